"""Helpers shared by the importers: rows as dicts, look-ups by natural key, who may write where."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from autosales.core import access
from autosales.core.models import Event, Store, User

from .readers import Table, cell_text

BATCH = 1000


def table_values(table: Table, mapping: dict[str, int]) -> list[tuple[int, dict[str, str]]]:
    """Each row as (line, {column key: text}); cells a short row lacks are empty."""
    result = []
    # CSV cells are text already; spreadsheet cells may be numbers or dates.
    text = (lambda value: value) if table.format == "csv" else cell_text
    items = list(mapping.items())
    for line, cells in table.rows:
        count = len(cells)
        result.append((line, {key: text(cells[i]).strip() if i < count else "" for key, i in items}))
    return result


def in_chunks(values, size: int = 900):
    """Slices of ``values`` small enough for one ``IN (...)`` on every database."""
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def stores_by_code() -> dict[str, Store]:
    return {s.code: s for s in Store.objects.all()}


def users_by_name(names) -> dict[str, User]:
    names = {n for n in names if n}
    if not names:
        return {}
    return {u.username: u for u in User.objects.filter(username__in=names)}


def may_use_store(actor, store: Store) -> bool:
    """Outside the command line, a user imports only into the stores they work in."""
    if actor is None or actor.is_superuser or actor.is_group_wide:
        return True
    return store.pk == actor.store_id


def resolve_store(code: str, *, stores: dict, default: Store | None, actor) -> Store:
    code = (code or "").strip().upper()
    if not code:
        if default is None:
            raise ValidationError(_("Give the store code (column store, or choose a store for the import)."))
        store = default
    else:
        store = stores.get(code)
        if store is None:
            raise ValidationError(_("There is no store with code %(code)s.") % {"code": code})
    if not may_use_store(actor, store):
        raise ValidationError(_("You may not import into store %(code)s.") % {"code": store.code})
    return store


def resolve_user(name: str, users: dict) -> User | None:
    if not name:
        return None
    user = users.get(name)
    if user is None:
        raise ValidationError(_("There is no user named %(name)s.") % {"name": name})
    return user


def writable_ids(actor, model, ids) -> set:
    """The ids among ``ids`` that ``actor`` may change (all of them on the command line)."""
    ids = set(ids)
    if actor is None or not ids:
        return ids
    queryset = access.scope(actor, model._default_manager.filter(pk__in=ids))
    return set(queryset.values_list("pk", flat=True))


def visible_ids(actor, model, ids) -> set:
    """The ids among ``ids`` that ``actor`` may see (all of them on the command line)."""
    return writable_ids(actor, model, ids)


def fast_insert(model, rows: list[dict], *, batch: int = 2000) -> None:
    """INSERT ``rows`` ({attname: value}): COPY on PostgreSQL, one prepared statement per batch elsewhere.

    For imports of many rows that are already validated: no ``save()``, no signals, no model
    instances. A field a row leaves out takes its default; ``auto_now`` fields take the current time.
    """
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    postgres = connection.vendor == "postgresql"
    plan = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = now
        else:
            # As in Model.__init__: the declared default, else "" for text that may not be null.
            default = f.get_default()
        if isinstance(f, models.JSONField):
            prep = json.dumps if postgres else _memo_prep(f)
        elif isinstance(f, models.DateField) and not postgres:
            prep = _memo_prep(f)
        else:
            prep = None
        plan.append((f.attname, prep(default) if prep is not None else default, prep))
    missing = object()

    def values_of(row):
        values = []
        for attname, default, prep in plan:
            value = row.get(attname, missing)
            if value is missing:
                values.append(default)
            else:
                values.append(prep(value) if prep is not None else value)
        return values

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if postgres:
            # COPY is an order of magnitude faster than row-by-row INSERTs on PostgreSQL.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values_of(row))
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, [values_of(row) for row in rows[start : start + batch]])


def _memo_prep(field):
    cache = {}

    def prep(value):
        if isinstance(value, dict | list):
            return field.get_db_prep_save(value, connection)
        if value not in cache:
            cache[value] = field.get_db_prep_save(value, connection)
        return cache[value]

    return prep


def ids_by(model, field: str, values) -> dict:
    """{value: pk} for rows whose ``field`` is one of ``values``, a chunk at a time."""
    found = {}
    for chunk in in_chunks(set(values)):
        found.update(model._default_manager.filter(**{f"{field}__in": chunk}).values_list(field, "pk"))
    return found


def events_bulk_states(model, items, *, to_state: str, actor, action: str) -> None:
    """One state-change event per row: [(pk, from_state), ...]."""
    content_type_id = ContentType.objects.get_for_model(model).pk
    actor_id = getattr(actor, "pk", None)
    fast_insert(
        Event,
        [
            {
                "content_type_id": content_type_id,
                "object_id": pk,
                "action": action,
                "from_state": from_state,
                "to_state": to_state,
                "actor_id": actor_id,
                "reason": "import",
            }
            for pk, from_state in items
        ],
    )


def events_bulk(model, items, *, actor, action: str) -> None:
    """One audit event per imported row, written in bulk: [(pk, data), ...]."""
    content_type_id = ContentType.objects.get_for_model(model).pk
    actor_id = getattr(actor, "pk", None)
    fast_insert(
        Event,
        [
            {
                "content_type_id": content_type_id,
                "object_id": pk,
                "action": action,
                "data": data,
                "actor_id": actor_id,
                "reason": "import",
            }
            for pk, data in items
        ],
    )


def plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, str | int | bool | type(None)):
        return value
    return str(value)
