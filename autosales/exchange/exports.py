"""Exports with the import's own columns, so an exported file imports again unchanged.

Rows are streamed from the database in chunks; nothing holds the whole table in memory.
"""

import csv
import datetime
from decimal import Decimal

from autosales.core.access import can_see_cost, can_see_personal_data, mask_personal, scope
from autosales.inventory.models import Vehicle
from autosales.parties.models import Customer
from autosales.sales.models import Order, OrderLine

from .columns import Column
from .importers.customers import CUSTOMER_COLUMNS
from .importers.orders import ORDER_COLUMNS
from .importers.vehicles import VEHICLE_COLUMNS

CHUNK = 2000

# column key → the database lookup that fills it
SOURCES = {
    "customers": {
        "kind": "kind",
        "name": "name",
        "mobile": "mobile",
        "resident_id": "resident_id",
        "credit_code": "credit_code",
        "industry": "industry",
        "fleet_size": "fleet_size",
        "region": "region",
        "email": "email",
        "address": "address",
        "source": "source",
        "store": "store__code",
        "owner": "owner__username",
        "marketing_consent": "marketing_consent",
        "notes": "notes",
    },
    "vehicles": {
        "vin": "vin",
        "trim_code": "trim__code",
        "colour": "colour__name",
        "store": "store__code",
        "status": "status",
        "cost": "cost",
        "list_price": "list_price",
        "arrival_date": "arrival_date",
        "is_demo": "is_demo",
        "description": "description",
        "plate_number": "plate_number",
    },
    "orders": {
        "order_number": "order__number",
        "order_date": "order__order_date",
        "status": "order__status",
        "store": "order__store__code",
        "salesperson": "order__salesperson__username",
        "customer_name": "order__customer__name",
        "customer_mobile": "order__customer__mobile",
        "customer_credit_code": "order__customer__credit_code",
        "kind": "kind",
        "vin": "vehicle__vin",
        "trim_code": "trim__code",
        "description": "description",
        "quantity": "quantity",
        "unit_price": "unit_price",
        "discount": "unit_discount",
        "unit_cost": "unit_cost",
        "income": "income",
        "term_months": "term_months",
        "annual_rate": "annual_rate",
    },
}
COLUMNS = {"customers": CUSTOMER_COLUMNS, "vehicles": VEHICLE_COLUMNS, "orders": ORDER_COLUMNS}


def export_queryset(entity: str, *, user=None, store=None):
    """The rows of ``entity`` that ``user`` may see (all of them without a user), optionally for one store."""
    if entity == "customers":
        queryset = Customer.objects.all()
        if user is not None:
            queryset = scope(user, queryset)
        if store is not None:
            queryset = queryset.filter(store=store)
        return queryset.order_by("id")
    if entity == "vehicles":
        queryset = Vehicle.objects.all()
        if user is not None:
            queryset = scope(user, queryset)
        if store is not None:
            queryset = queryset.filter(store=store)
        return queryset.order_by("id")
    if entity == "orders":
        orders = Order.objects.all()
        if user is not None:
            orders = scope(user, orders)
        if store is not None:
            orders = orders.filter(store=store)
        return OrderLine.objects.filter(order__in=orders.values("pk")).order_by("order_id", "id")
    raise ValueError(entity)


def export_columns(entity: str, *, user=None) -> tuple[Column, ...]:
    show_cost = user is None or can_see_cost(user)
    return tuple(c for c in COLUMNS[entity] if show_cost or not c.cost)


PERSONAL_KEYS = frozenset({"mobile", "resident_id", "customer_mobile"})


def export_rows(entity: str, *, user=None, store=None):
    """(columns, iterator of rows of plain values) for ``entity``.

    Mobiles and ID numbers are masked for users who may not see personal data in lists.
    """
    columns = export_columns(entity, user=user)
    lookups = [SOURCES[entity][c.key] for c in columns]
    rows = export_queryset(entity, user=user, store=store).values_list(*lookups).iterator(chunk_size=CHUNK)
    masked = [i for i, c in enumerate(columns) if c.key in PERSONAL_KEYS]
    if user is None or not masked or can_see_personal_data(user):
        return columns, rows
    return columns, _masked(rows, masked)


def _masked(rows, positions):
    for row in rows:
        row = list(row)
        for i in positions:
            if row[i]:
                row[i] = mask_personal(row[i])
        yield tuple(row)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _cell(value):
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, Decimal):
        return value
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def csv_chunks(columns, rows, *, lang: str = "en", bom: bool = True):
    """The CSV file as a stream of encoded pieces (UTF-8 with a BOM, which Excel needs for Chinese)."""
    writer = csv.writer(_Echo())
    first = writer.writerow([c.header(lang) for c in columns])
    yield (("\ufeff" if bom else "") + first).encode("utf-8")
    batch = []
    for row in rows:
        batch.append(writer.writerow([_text(v) for v in row]))
        if len(batch) >= 500:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def write_xlsx(columns, rows, target, *, lang: str = "en") -> int:
    """Write an XLSX workbook to ``target`` (a path or binary file) in openpyxl's streaming mode."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([c.header(lang) for c in columns])
    count = 0
    for row in rows:
        sheet.append([_cell(v) for v in row])
        count += 1
    workbook.save(target)
    return count
