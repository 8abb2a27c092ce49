"""Historical orders: one row per order line, written in bulk.

Rules of the file:
- rows with the same order number form one order; its date, status, store, customer and salesperson
  are taken from its first row and must not contradict it on later rows;
- the customer is found by ``customer_credit_code`` (a company) or ``customer_mobile`` (a person);
  when no customer has that number, the row must give ``customer_name`` and the customer is created
  in the order's store; otherwise the row is refused;
- a vehicle line names a VIN or a trim code; a new VIN creates the vehicle with the trim, an existing
  one is marked delivered; a VIN can be on one order only;
- an existing order number is left unchanged when the file says the same, replaced when it differs and
  the order is imported history, and refused when it was entered in the system.

Everything is checked before anything is written; look-ups are made once per file, not per row.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from autosales.core.access import can_see_cost
from autosales.core.models import NumberSequence
from autosales.core.validators import (
    normalize_code,
    normalize_mobile,
    normalize_vin,
    validate_credit_code,
    validate_mobile,
    validate_vin,
)
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Trim, Vehicle
from autosales.parties.choices import CustomerKind, SourceChannel
from autosales.parties.models import Customer
from autosales.sales.choices import LineKind, OrderStatus
from autosales.sales.figures import order_figures_refresh
from autosales.sales.models import Order, OrderLine

from .. import common
from ..columns import Column, choice_lookup, map_header, parse_choice, parse_date, parse_decimal, parse_int
from ..readers import FileRefused, Table
from ..report import CREATED, UNCHANGED, UPDATED, ImportReport

ORDER_COLUMNS = (
    Column("order_number", "订单号", aliases=("number", "订单编号", "合同号"), required=True),
    Column("order_date", "订单日期", aliases=("date", "日期", "下单日期"), required=True),
    Column("status", "订单状态", aliases=("order_status",)),
    Column("store", "门店", aliases=("store_code", "门店代码")),
    Column("salesperson", "销售顾问", aliases=("salesperson_username", "销售")),
    Column("customer_name", "客户名称", aliases=("客户", "客户姓名")),
    Column("customer_mobile", "客户手机号", aliases=("mobile", "手机号", "客户手机")),
    Column("customer_credit_code", "客户信用代码", aliases=("credit_code", "统一社会信用代码")),
    Column("kind", "行类型", aliases=("line_kind", "类型", "项目类型")),
    Column("vin", "车架号", aliases=("VIN", "VIN码")),
    Column("trim_code", "配置代码", aliases=("trim", "车型代码")),
    Column("description", "描述", aliases=("说明", "项目")),
    Column("quantity", "数量", aliases=("qty",)),
    Column("unit_price", "单价", aliases=("price", "售价"), required=True),
    Column("discount", "单位优惠", aliases=("unit_discount", "优惠", "折扣")),
    Column("unit_cost", "单位成本", aliases=("cost", "成本"), required=True, cost=True),
    Column("income", "第三方收入", aliases=("收入", "佣金")),
    Column("term_months", "期数", aliases=("贷款期数",)),
    Column("annual_rate", "年利率", aliases=("利率",)),
)
SYSTEM_NUMBER = re.compile(r"^O-(?P<store>[A-Z0-9]{2,8})-(?P<year>\d{4})-(?P<value>\d+)$")
HISTORY_STATUSES = (OrderStatus.DELIVERED, OrderStatus.CLOSED)
RATE_PLACES = Decimal("0.0001")


class LineData:
    """The values of one order line, checked by ``OrderLine.clean`` without building a model instance
    (a model instance per row costs more than the rest of the import)."""

    __slots__ = (
        "kind",
        "description",
        "trim_id",
        "quantity",
        "unit_price",
        "unit_discount",
        "unit_cost",
        "income",
        "is_free",
        "term_months",
        "annual_rate",
        "vehicle_id",
    )

    def __init__(self, **values):
        self.is_free = False
        self.vehicle_id = None
        for name, value in values.items():
            setattr(self, name, value)

    def as_row(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass
class LineRow:
    line: int
    number: str
    header: tuple  # (date, status, store code, customer key, salesperson)
    customer_key: tuple[str, str]  # ("credit_code" | "mobile", value)
    customer_name: str
    vin: str
    store: object = None
    salesperson: object = None
    order_line: LineData | None = None


@dataclass
class OrderPlan:
    number: str
    rows: list[LineRow] = field(default_factory=list)
    existing_id: int | None = None
    outcome: str = CREATED


class OrderImporter:
    entity = "orders"
    columns = ORDER_COLUMNS

    def __init__(self, *, actor=None, store=None, good_only: bool = False):
        self.actor = actor
        self.default_store = store
        self.good_only = good_only
        self._dates = {}

    # Parsing ---------------------------------------------------------------

    def _date(self, text):
        if text not in self._dates:
            self._dates[text] = parse_date(text)
        return self._dates[text]

    def parse(self, rows, report: ImportReport) -> list[LineRow]:
        stores = common.stores_by_code()
        users = common.users_by_name({v.get("salesperson", "") for _l, v in rows})
        trim_codes = {v.get("trim_code", "").upper() for _l, v in rows} - {""}
        trims = {}
        for chunk in common.in_chunks(trim_codes):
            trims.update({t.code.upper(): t for t in Trim.objects.filter(code__in=chunk)})
        kinds = choice_lookup(LineKind)
        statuses = choice_lookup(OrderStatus)
        store_cache, user_cache = {}, {}
        today = timezone.localdate()
        parsed = []
        for line, v in rows:
            errors = []

            def fail(column, message, errors=errors, line=line):
                errors.append(column)
                report.add_error(line, column, message)

            number = v.get("order_number", "").strip()
            if not number:
                fail("order_number", _("Give the order number."))
            elif len(number) > 30:
                fail("order_number", _("An order number has at most 30 characters."))
            order_date = None
            try:
                order_date = self._date(v.get("order_date", ""))
                if order_date is None:
                    fail("order_date", _("Give the order date."))
                elif order_date > today:
                    fail("order_date", _("A historical order cannot be dated in the future."))
            except ValidationError as exc:
                fail("order_date", exc.messages[0])
            status = OrderStatus.DELIVERED
            try:
                status = parse_choice(v.get("status", ""), OrderStatus, statuses) or OrderStatus.DELIVERED
                if status not in HISTORY_STATUSES:
                    fail("status", _("Imported orders are delivered or closed."))
            except ValidationError as exc:
                fail("status", exc.messages[0])

            store_code = v.get("store", "").upper()
            if store_code not in store_cache:
                try:
                    store_cache[store_code] = common.resolve_store(
                        store_code, stores=stores, default=self.default_store, actor=self.actor
                    )
                except ValidationError as exc:
                    store_cache[store_code] = exc
            store = store_cache[store_code]
            if isinstance(store, ValidationError):
                fail("store", store.messages[0])
                store = None

            username = v.get("salesperson", "")
            if username not in user_cache:
                try:
                    user_cache[username] = common.resolve_user(username, users)
                except ValidationError as exc:
                    user_cache[username] = exc
            salesperson = user_cache[username]
            if isinstance(salesperson, ValidationError):
                fail("salesperson", salesperson.messages[0])
                salesperson = None

            code = normalize_code(v.get("customer_credit_code", ""))
            mobile = normalize_mobile(v.get("customer_mobile", ""))
            customer_key = ("credit_code", code) if code else ("mobile", mobile)
            if not customer_key[1]:
                fail("customer_mobile", _("Give the customer's mobile or unified social credit code."))

            vin = normalize_vin(v.get("vin", ""))
            if vin:
                try:
                    validate_vin(vin)
                except ValidationError as exc:
                    fail("vin", exc.messages[0])
            trim = None
            trim_code = v.get("trim_code", "").upper()
            if trim_code:
                trim = trims.get(trim_code)
                if trim is None:
                    fail("trim_code", _("There is no trim with code %(code)s.") % {"code": v["trim_code"]})

            kind = LineKind.VEHICLE if (vin or trim) else None
            try:
                kind = parse_choice(v.get("kind", ""), LineKind, kinds) or kind
                if kind is None:
                    fail("kind", _("Give the line kind, or a VIN or trim code for a vehicle line."))
            except ValidationError as exc:
                fail("kind", exc.messages[0])
            if vin and kind not in (None, LineKind.VEHICLE):
                fail("vin", _("Only a vehicle line has a VIN."))

            values = {}
            for column, parser, default in (
                ("quantity", parse_int, 1),
                ("unit_price", parse_decimal, None),
                ("discount", parse_decimal, Decimal("0.00")),
                ("unit_cost", parse_decimal, None),
                ("income", parse_decimal, Decimal("0.00")),
                ("term_months", parse_int, None),
            ):
                try:
                    value = parser(v.get(column, ""))
                except ValidationError as exc:
                    fail(column, exc.messages[0])
                    continue
                if value is None:
                    value = default
                    if value is None and column != "term_months":
                        fail(column, _("This column needs a value."))
                elif isinstance(value, Decimal) and value < 0 and column != "income":
                    fail(column, _("The amount cannot be negative."))
                values[column] = value
            try:
                values["annual_rate"] = parse_decimal(
                    v.get("annual_rate", ""), places=RATE_PLACES, max_digits=6
                )
            except ValidationError as exc:
                fail("annual_rate", exc.messages[0])
            if vin and values.get("quantity") not in (None, 1):
                fail("quantity", _("A line with a VIN is one vehicle; its quantity is 1."))

            if errors:
                continue
            order_line = LineData(
                kind=str(kind),
                description=v.get("description", "")[:200],
                trim_id=trim.pk if trim else None,
                quantity=values["quantity"],
                unit_price=values["unit_price"],
                unit_discount=values["discount"],
                unit_cost=values["unit_cost"],
                income=values["income"],
                term_months=values["term_months"],
                annual_rate=values["annual_rate"],
            )
            try:
                # The vehicle of a VIN is found (or created) later, for all rows at once; until then
                # the VIN stands in for it in the model's check that a vehicle line names one.
                order_line.vehicle_id = -1 if vin else None
                OrderLine.clean(order_line)
                order_line.vehicle_id = None
            except ValidationError as exc:
                report.add_validation_error(
                    line, exc, {"unit_discount": "discount", "trim": "trim_code", "is_free": "discount"}
                )
                continue
            parsed.append(
                LineRow(
                    line=line,
                    number=number,
                    header=(order_date, status, store.pk, customer_key, getattr(salesperson, "pk", None)),
                    customer_key=customer_key,
                    customer_name=v.get("customer_name", "").strip(),
                    vin=vin,
                    store=store,
                    salesperson=salesperson,
                    order_line=order_line,
                )
            )
        return parsed

    # Checks across rows ----------------------------------------------------

    def group(self, parsed: list[LineRow], report: ImportReport) -> dict[str, OrderPlan]:
        plans: dict[str, OrderPlan] = {}
        names = ("order_date", "status", "store", "customer_mobile", "salesperson")
        for row in parsed:
            plan = plans.setdefault(row.number, OrderPlan(number=row.number))
            if plan.rows:
                first = plan.rows[0]
                for name, mine, theirs in zip(names, row.header, first.header, strict=True):
                    if mine != theirs:
                        report.add_error(
                            row.line,
                            name,
                            _("Order %(number)s has a different %(column)s on line %(line)s.")
                            % {"number": row.number, "column": name, "line": first.line},
                        )
                        break
                else:
                    plan.rows.append(row)
            else:
                plan.rows.append(row)
        return plans

    def resolve_customers(self, parsed: list[LineRow], report: ImportReport) -> dict:
        codes = {r.customer_key[1] for r in parsed if r.customer_key[0] == "credit_code"}
        mobiles = {r.customer_key[1] for r in parsed if r.customer_key[0] == "mobile"}
        found = {}
        for chunk in common.in_chunks(codes):
            for pk, value in Customer.objects.filter(credit_code__in=chunk).values_list("pk", "credit_code"):
                found[("credit_code", value)] = pk
        for chunk in common.in_chunks(mobiles):
            for pk, value in Customer.objects.filter(mobile__in=chunk).values_list("pk", "mobile"):
                found[("mobile", value)] = pk
        visible = common.visible_ids(self.actor, Customer, found.values())
        new: dict[tuple, Customer] = {}
        checked: dict[tuple, str | None] = {}
        for row in parsed:
            key = row.customer_key
            column = "customer_credit_code" if key[0] == "credit_code" else "customer_mobile"
            if key in found:
                if found[key] not in visible:
                    report.add_error(row.line, column, _("This customer is outside what you may see."))
                continue
            if key not in checked:
                try:
                    (validate_credit_code if key[0] == "credit_code" else validate_mobile)(key[1])
                    checked[key] = None
                except ValidationError as exc:
                    checked[key] = exc.messages[0]
            if checked[key]:
                report.add_error(row.line, column, checked[key])
                continue
            if not row.customer_name:
                report.add_error(
                    row.line,
                    "customer_name",
                    _(
                        "No customer has %(value)s: import the customer first, or give customer_name to create it."
                    )
                    % {"value": key[1]},
                )
                continue
            if key in new:
                if new[key]["name"] != row.customer_name[:120]:
                    report.add_error(
                        row.line,
                        "customer_name",
                        _("%(value)s is named %(name)s on an earlier line.")
                        % {"value": key[1], "name": new[key]["name"]},
                    )
                continue
            company = key[0] == "credit_code"
            new[key] = {
                "kind": (CustomerKind.COMPANY if company else CustomerKind.PERSON).value,
                "name": row.customer_name[:120],
                "credit_code": key[1] if company else "",
                "mobile": "" if company else key[1],
                "store_id": row.store.pk,
                "owner_id": getattr(row.salesperson, "pk", None),
                "source": SourceChannel.IMPORT.value,
                "created_by_id": getattr(self.actor, "pk", None),
            }
        return found, new

    def resolve_vehicles(self, parsed: list[LineRow], plans, report: ImportReport) -> dict:
        vins = {r.vin for r in parsed if r.vin}
        vehicles = {}
        for chunk in common.in_chunks(vins):
            for vehicle in Vehicle.objects.filter(vin__in=chunk).values(
                "pk", "vin", "trim_id", "status", "store_id"
            ):
                vehicles[vehicle["vin"]] = vehicle
        # A VIN sold on an order outside this file cannot be sold again.
        sold_on = {}
        ids = {v["pk"]: vin for vin, v in vehicles.items()}
        for chunk in common.in_chunks(ids):
            lines = OrderLine.objects.filter(vehicle_id__in=chunk).values_list("vehicle_id", "order__number")
            for vehicle_id, number in lines:
                sold_on[ids[vehicle_id]] = number
        seen = {}
        for row in parsed:
            if not row.vin:
                continue
            first = seen.setdefault(row.vin, row.line)
            if first != row.line:
                report.add_error(
                    row.line,
                    "vin",
                    _("%(value)s is already on line %(line)s of this file.")
                    % {"value": row.vin, "line": first},
                )
                continue
            other = sold_on.get(row.vin)
            if other and other != row.number:
                report.add_error(
                    row.line,
                    "vin",
                    _("Vehicle %(vin)s is already sold on order %(number)s.")
                    % {"vin": row.vin, "number": other},
                )
                continue
            existing = vehicles.get(row.vin)
            if existing is None and row.order_line.trim_id is None:
                report.add_error(
                    row.line, "trim_code", _("Vehicle %(vin)s is new: give its trim code.") % {"vin": row.vin}
                )
            elif existing is not None and row.order_line.trim_id is None:
                row.order_line.trim_id = existing["trim_id"]
        return vehicles

    def resolve_orders(self, plans: dict[str, OrderPlan], report: ImportReport) -> dict:
        existing = {}
        for chunk in common.in_chunks(plans):
            for order in Order.objects.filter(number__in=chunk).values(
                "pk",
                "number",
                "is_historical",
                "order_date",
                "status",
                "store_id",
                "customer_id",
                "salesperson_id",
            ):
                existing[order["number"]] = order
        writable = common.writable_ids(self.actor, Order, [o["pk"] for o in existing.values()])
        for number, order in existing.items():
            plan = plans[number]
            plan.existing_id = order["pk"]
            message = None
            if not order["is_historical"]:
                message = _("Order %(number)s was entered in the system; an import cannot change it.")
            elif order["pk"] not in writable:
                message = _("Order %(number)s is outside what you may change.")
            if message:
                for row in plan.rows:
                    report.add_error(row.line, "order_number", message % {"number": number})
        return existing

    # Running ---------------------------------------------------------------

    def run(self, table: Table) -> ImportReport:
        mapping, ignored = map_header(table.header, self.columns)
        report = ImportReport(
            entity=self.entity, table=table, good_only=self.good_only, ignored_columns=ignored
        )
        if "customer_mobile" not in mapping and "customer_credit_code" not in mapping:
            raise FileRefused(
                _("Required columns are missing: %(columns)s. The first row must name the columns.")
                % {"columns": "customer_mobile / 客户手机号, customer_credit_code / 客户信用代码"}
            )
        if self.actor is not None and not can_see_cost(self.actor):
            raise FileRefused(_("Your role may not see or set costs, which a historical order needs."))
        rows = common.table_values(table, mapping)
        parsed = self.parse(rows, report)
        plans = self.group(parsed, report)
        parsed = [row for plan in plans.values() for row in plan.rows]
        customers, new_customers = self.resolve_customers(parsed, report)
        vehicles = self.resolve_vehicles(parsed, plans, report)
        existing = self.resolve_orders(plans, report)

        # An order with one bad line is refused whole.
        bad = report.bad_lines
        lines_by_number = defaultdict(list)
        for line, values in rows:
            lines_by_number[values.get("order_number", "").strip()].append(line)
        good_plans = []
        for number, plan in plans.items():
            if any(line in bad for line in lines_by_number[number]):
                for line in lines_by_number[number]:
                    if line not in bad:
                        report.add_error(
                            line, "", _("Another line of order %(number)s has errors.") % {"number": number}
                        )
                continue
            good_plans.append(plan)

        self.compare_existing(good_plans, existing, customers)
        for plan in good_plans:
            for row in plan.rows:
                report.set_outcome(row.line, plan.outcome, plan.number)
        if report.errors and not self.good_only:
            return report
        with transaction.atomic():
            self.write(good_plans, customers, new_customers, vehicles, existing)
        report.committed = True
        return report

    def advance_number_sequences(self, numbers) -> None:
        """Keep the order numbers the system issues (O-SH01-2026-000123) past those imported."""
        stores = {s.code: s for s in common.stores_by_code().values()}
        highest: dict[tuple, int] = {}
        for number in numbers:
            match = SYSTEM_NUMBER.match(number)
            if match and match["store"] in stores:
                key = (stores[match["store"]].pk, int(match["year"]))
                highest[key] = max(highest.get(key, 0), int(match["value"]))
        for (store_id, year), value in highest.items():
            sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
                store_id=store_id, kind="order", year=year
            )
            if sequence.last_value < value:
                sequence.last_value = value
                sequence.save(update_fields=["last_value"])

    def _line_signature(self, line: OrderLine, vin: str):
        return (
            str(line.kind),
            vin,
            line.trim_id,
            line.description,
            line.quantity,
            line.unit_price,
            line.unit_discount,
            line.unit_cost,
            line.income,
            line.term_months,
            line.annual_rate,
        )

    def compare_existing(self, plans, existing, customers) -> None:
        ids = {existing[p.number]["pk"]: p for p in plans if p.number in existing}
        if not ids:
            return
        stored = defaultdict(list)
        for chunk in common.in_chunks(ids):
            for values in (
                OrderLine.objects.filter(order_id__in=chunk)
                .order_by("id")
                .values(
                    "order_id",
                    "kind",
                    "vehicle__vin",
                    "trim_id",
                    "description",
                    "quantity",
                    "unit_price",
                    "unit_discount",
                    "unit_cost",
                    "income",
                    "term_months",
                    "annual_rate",
                )
            ):
                order_id = values.pop("order_id")
                values["vehicle__vin"] = values["vehicle__vin"] or ""
                stored[order_id].append(tuple(values.values()))
        for order_id, plan in ids.items():
            order = existing[plan.number]
            first = plan.rows[0]
            header = (
                first.header[0],
                str(first.header[1]),
                first.store.pk,
                customers.get(first.customer_key),
                getattr(first.salesperson, "pk", None),
            )
            stored_header = (
                order["order_date"],
                order["status"],
                order["store_id"],
                order["customer_id"],
                order["salesperson_id"],
            )
            lines = [self._line_signature(r.order_line, r.vin) for r in plan.rows]
            same = header == stored_header and sorted(map(repr, lines)) == sorted(map(repr, stored[order_id]))
            plan.outcome = UNCHANGED if same else UPDATED

    def write(self, plans, customers, new_customers, vehicles, existing) -> None:
        actor_id = getattr(self.actor, "pk", None)
        now = timezone.now()
        common.fast_insert(Customer, list(new_customers.values()))
        for key_field in ("credit_code", "mobile"):
            keys = [value for kind, value in new_customers if kind == key_field]
            for value, pk in common.ids_by(Customer, key_field, keys).items():
                customers[(key_field, value)] = pk
        common.events_bulk(
            Customer,
            [(customers[key], {"source": "import"}) for key in new_customers],
            actor=self.actor,
            action="imported",
        )

        plans = [p for p in plans if p.outcome != UNCHANGED]
        new_vehicles, delivered_ids, delivered_events = [], set(), []
        for plan in plans:
            for row in plan.rows:
                if not row.vin:
                    continue
                known = vehicles.get(row.vin)
                if known is None:
                    line = row.order_line
                    new_vehicles.append(
                        {
                            "vin": row.vin,
                            "vin_tail": row.vin[-6:],
                            "trim_id": line.trim_id,
                            "store_id": row.store.pk,
                            "status": VehicleStatus.DELIVERED.value,
                            "cost": line.unit_cost,
                            "list_price": line.unit_price,
                            "created_by_id": actor_id,
                        }
                    )
                    vehicles[row.vin] = None
                elif known["status"] != VehicleStatus.DELIVERED:
                    delivered_ids.add(known["pk"])
                    delivered_events.append((known["pk"], known["status"]))
        common.fast_insert(Vehicle, new_vehicles)
        created_vehicles = common.ids_by(Vehicle, "vin", [v["vin"] for v in new_vehicles])
        for vin, pk in created_vehicles.items():
            vehicles[vin] = {"pk": pk}
        for chunk in common.in_chunks(delivered_ids):
            Vehicle.objects.filter(pk__in=chunk).update(status=VehicleStatus.DELIVERED, updated_at=now)
        common.events_bulk(
            Vehicle,
            [(pk, {"source": "import"}) for pk in created_vehicles.values()],
            actor=self.actor,
            action="imported",
        )
        common.events_bulk_states(
            Vehicle,
            delivered_events,
            to_state=VehicleStatus.DELIVERED,
            actor=self.actor,
            action="delivered by import",
        )

        replaced = [existing[p.number]["pk"] for p in plans if p.outcome == UPDATED]
        for chunk in common.in_chunks(replaced):
            OrderLine.objects.filter(order_id__in=chunk).delete()
        new_orders, changed_orders = [], []
        zero = Decimal("0.00")
        for plan in plans:
            first = plan.rows[0]
            list_total = discount_total = total = cost_total = income_total = zero
            for row in plan.rows:
                line = row.order_line
                list_total += line.unit_price * line.quantity
                discount_total += line.unit_discount * line.quantity
                total += (line.unit_price - line.unit_discount) * line.quantity
                cost_total += line.unit_cost * line.quantity
                income_total += line.income
            values = {
                "number": plan.number,
                "order_date": first.header[0],
                "status": str(first.header[1]),
                "store_id": first.store.pk,
                "customer_id": customers[first.customer_key],
                "salesperson_id": getattr(first.salesperson, "pk", None),
                "is_historical": True,
                "list_total": list_total,
                "discount_total": discount_total,
                "total": total,
                "cost_total": cost_total,
                "income_total": income_total,
                # History comes without its payments: a delivered order was paid in full.
                "paid_total": total,
                "created_by_id": actor_id,
            }
            if plan.outcome == UPDATED:
                changed_orders.append(Order(pk=existing[plan.number]["pk"], updated_at=now, **values))
            else:
                new_orders.append(values)
        common.fast_insert(Order, new_orders)
        order_ids = common.ids_by(Order, "number", [o["number"] for o in new_orders])
        if changed_orders:
            Order.objects.bulk_update(
                changed_orders,
                [
                    "order_date",
                    "status",
                    "store",
                    "customer",
                    "salesperson",
                    "paid_total",
                    "updated_at",
                    "list_total",
                    "discount_total",
                    "total",
                    "cost_total",
                    "income_total",
                ],
                batch_size=common.BATCH,
            )
            order_ids.update({o.number: o.pk for o in changed_orders})
        lines = []
        for plan in plans:
            order_id = order_ids[plan.number]
            for row in plan.rows:
                values = row.order_line.as_row()
                values["order_id"] = order_id
                if row.vin:
                    values["vehicle_id"] = vehicles[row.vin]["pk"]
                lines.append(values)
        common.fast_insert(OrderLine, lines)
        for chunk in common.in_chunks(list(order_ids.values())):
            order_figures_refresh(Order.objects.filter(pk__in=chunk))
        self.advance_number_sequences([plan.number for plan in plans])
        common.events_bulk(
            Order,
            [(order_ids[o["number"]], {"source": "import"}) for o in new_orders],
            actor=self.actor,
            action="imported",
        )
        common.events_bulk(
            Order,
            [(o.pk, {"source": "import"}) for o in changed_orders],
            actor=self.actor,
            action="updated by import",
        )
