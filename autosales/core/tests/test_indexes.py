"""Every index of the project's tables earns its writes: none repeats another, and none is only the
leading columns of a narrow index (which serves the same lookups, joins and foreign-key checks)."""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

# A store's rows are counted for every list page; the one-column index is the narrowest to count
# from, so it stays beside the (store, status, id) index the page itself reads.
COUNTED_BY_STORE = {
    "sales_quote",
    "sales_order",
    "sales_lead",
    "inventory_vehicle",
    "parties_customer",
    "aftersales_serviceorder",
}
# Wider than this, a covering index is for reports; the key's own index stays for lookups.
NARROW = 3


def _project_models():
    """The project's own tables (Django makes the many-to-many tables' indexes itself)."""
    return [model for model in apps.get_models() if model.__module__.startswith("autosales.")]


def _special(models) -> set:
    """Indexes with a condition (they hold only some rows) or operator classes (they answer other
    questions than equality and order)."""
    return {
        item.name
        for model in models
        for item in [*model._meta.indexes, *model._meta.constraints]
        if getattr(item, "condition", None) is not None or getattr(item, "opclasses", ())
    }


def _indexes(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        name: (tuple(c["columns"]), bool(c["unique"]), c.get("type"))
        for name, c in constraints.items()
        if c["index"] and not c["primary_key"] and c["columns"] and not name.endswith("_like")
    }


def test_no_index_repeats_or_only_leads_another():
    models = _project_models()
    special = _special(models)
    redundant = []
    for table in sorted({model._meta.db_table for model in models}):
        indexes = _indexes(table)
        for name, (columns, unique, kind) in indexes.items():
            if unique or name in special:
                continue
            for other, (other_columns, _unique, other_kind) in indexes.items():
                if other == name or other in special or other_kind != kind:
                    continue
                if other_columns == columns:
                    redundant.append(f"{table}.{name} repeats {other} {columns}")
                elif (
                    other_columns[: len(columns)] == columns
                    and len(other_columns) <= NARROW
                    and not (table in COUNTED_BY_STORE and columns == ("store_id",))
                ):
                    redundant.append(f"{table}.{name} {columns} leads {other} {other_columns}")
    assert redundant == [], "\n".join(redundant)


def test_the_check_sees_the_indexes_it_judges():
    assert _indexes("sales_quote")  # introspection works on this database
    assert ("customer_id", "id") in {columns for columns, *_rest in _indexes("sales_quote").values()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL adds LIKE indexes")
def test_status_columns_keep_one_index_on_postgresql():
    from autosales.aftersales.models import Complaint, Reminder, ServiceOrder
    from autosales.keyaccounts.models import PlanAction
    from autosales.sales.models import Lead, Order, Quote

    for model, column in [
        (Quote, "status"),
        (Order, "status"),
        (Lead, "stage"),
        (ServiceOrder, "status"),
        (Complaint, "status"),
        (Reminder, "status"),
        (PlanAction, "status"),
    ]:
        indexes = [
            name
            for name, (columns, *_rest) in _indexes_with_like(model._meta.db_table).items()
            if columns == (column,)
        ]
        assert len(indexes) == 1, (model, indexes)


def _indexes_with_like(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        name: (tuple(c["columns"]),) for name, c in constraints.items() if c["index"] and not c["primary_key"]
    }
