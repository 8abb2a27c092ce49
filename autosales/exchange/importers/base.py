"""Row-by-row import of one model, validated by the model's own ``full_clean()``.

A row is identified by its natural key: an existing row is updated (or left unchanged when the
file says nothing new), a new key creates a row. A cell left empty keeps the stored value.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from autosales.core.access import can_see_cost

from .. import common
from ..columns import Column, map_header, parse_bool, parse_choice, parse_date, parse_decimal, parse_int
from ..readers import Table
from ..report import CREATED, UNCHANGED, UPDATED, ImportReport


class RowImporter:
    entity: str = ""
    model = None
    columns: tuple[Column, ...] = ()
    # column key → (model field, kind); kind is "text", "decimal", "int", "date", "bool", a choices
    # class, or the name of a resolver method ("store", "owner", ...)
    fields: dict[str, tuple[str, object]] = {}
    defaults: dict[str, object] = {}

    def __init__(self, *, actor=None, store=None, good_only: bool = False):
        self.actor = actor
        self.default_store = store
        self.good_only = good_only
        self.stores = {}
        self.choice_lookups = {}

    # Hooks -----------------------------------------------------------------

    def prefetch(self, rows) -> None:
        self.stores = common.stores_by_code()

    def key_of(self, data: dict) -> str:
        raise NotImplementedError

    def unique_fields(self) -> tuple[str, ...]:
        """Fields that must not repeat within a file."""
        return ()

    def find_existing(self, parsed) -> dict[str, object]:
        raise NotImplementedError

    def complete_new(self, data: dict) -> None:
        """Fill what a new row needs and the file left out."""

    # Parsing ---------------------------------------------------------------

    def parse_row(self, line: int, values: dict, report: ImportReport) -> dict | None:
        data = {}
        failed = False
        for column_key, text in values.items():
            if column_key not in self.fields:
                continue
            field, kind = self.fields[column_key]
            if field == "store":
                # The store is resolved even when empty: the import's store is the default.
                try:
                    data[field] = (
                        common.resolve_store(text, stores=self.stores, default=None, actor=self.actor)
                        if text
                        else None
                    )
                except ValidationError as exc:
                    report.add_error(line, column_key, "; ".join(exc.messages))
                    failed = True
                continue
            if text == "":
                continue
            try:
                data[field] = self.convert(kind, text)
            except ValidationError as exc:
                report.add_error(line, column_key, "; ".join(exc.messages))
                failed = True
        return None if failed else data

    def convert(self, kind, text: str):
        if kind == "text":
            return text
        if kind == "decimal":
            return parse_decimal(text)
        if kind == "int":
            return parse_int(text)
        if kind == "date":
            return parse_date(text)
        if kind == "bool":
            return parse_bool(text)
        if isinstance(kind, str):
            return getattr(self, f"resolve_{kind}")(text)
        if kind not in self.choice_lookups:
            from ..columns import choice_lookup

            self.choice_lookups[kind] = choice_lookup(kind)
        return parse_choice(text, kind, self.choice_lookups[kind])

    # Running ---------------------------------------------------------------

    def usable_mapping(self, mapping: dict, report: ImportReport) -> dict:
        if self.actor is not None and not can_see_cost(self.actor):
            for column in self.columns:
                if column.cost and column.key in mapping:
                    del mapping[column.key]
                    report.notes.append(
                        _("Column %(name)s was ignored: your role may not see or set costs.")
                        % {"name": column.key}
                    )
        return mapping

    @property
    def resolved_fields(self) -> list[str]:
        return [
            field
            for field, kind in self.fields.values()
            if isinstance(kind, str) and kind not in ("text", "decimal", "int", "date", "bool")
        ]

    def field_columns(self) -> dict[str, str]:
        return {field: key for key, (field, _kind) in self.fields.items()}

    def run(self, table: Table) -> ImportReport:
        mapping, ignored = map_header(table.header, self.columns)
        report = ImportReport(entity=self.entity, table=table, good_only=self.good_only)
        report.ignored_columns = ignored
        mapping = self.usable_mapping(mapping, report)
        rows = common.table_values(table, mapping)
        self.prefetch(rows)

        parsed = []
        for line, values in rows:
            data = self.parse_row(line, values, report)
            if data is not None:
                parsed.append((line, data))
        parsed = self.drop_file_duplicates(parsed, report)
        existing = self.find_existing(parsed)
        writable = common.writable_ids(self.actor, self.model, [obj.pk for obj in existing.values()])

        plans = []
        columns = self.field_columns()
        for line, data in parsed:
            key = self.key_of(data)
            current = existing.get(key)
            if current is not None and current.pk not in writable:
                report.add_error(
                    line, "", _("%(key)s exists but is outside what you may change.") % {"key": key}
                )
                continue
            try:
                instance, original = self.build(data, current)
                # Related rows were looked up once for the whole file, so they exist; the model's check
                # constraints repeat rules of its clean() and the database enforces them on insert
                # too, so they are not checked again with one query each per row.
                instance.full_clean(exclude=self.resolved_fields, validate_constraints=False)
            except ValidationError as exc:
                report.add_validation_error(line, exc, columns)
                continue
            if current is None:
                report.set_outcome(line, CREATED, key)
                plans.append((instance, None))
            else:
                changes = {
                    name: {"old": common.plain(old), "new": common.plain(getattr(instance, attname))}
                    for attname, (name, old) in original.items()
                    if getattr(instance, attname) != old
                }
                report.set_outcome(line, UPDATED if changes else UNCHANGED, key)
                if changes:
                    plans.append((instance, changes))

        if report.errors and not self.good_only:
            return report
        with transaction.atomic():
            self.write(plans)
        report.committed = True
        return report

    def drop_file_duplicates(self, parsed, report: ImportReport):
        seen: dict[tuple[str, str], int] = {}
        kept = []
        for line, data in parsed:
            duplicate = False
            for field in self.unique_fields():
                value = self.normalized(field, data.get(field))
                if not value:
                    continue
                first = seen.setdefault((field, value), line)
                if first != line:
                    report.add_error(
                        line,
                        self.field_columns().get(field, field),
                        _("%(value)s is already on line %(line)s of this file.")
                        % {"value": value, "line": first},
                    )
                    duplicate = True
            if not duplicate:
                kept.append((line, data))
        return kept

    def normalized(self, field: str, value):
        return value

    def build(self, data: dict, current):
        """The instance to validate and, for an existing row, its values (by attname) before the change."""
        if current is None:
            values = {**self.defaults, **data}
            if values.get("store") is None:
                if self.default_store is None:
                    raise ValidationError(
                        {"store": _("Give the store code (column store, or choose a store for the import).")}
                    )
                values["store"] = self.default_store
            instance = self.model(**values)
            if self.actor is not None and getattr(self.actor, "pk", None):
                instance.created_by = self.actor
            self.complete_new(instance)
            return instance, {}
        original = {}
        for name, value in data.items():
            if name == "store" and value is None:
                continue
            field = self.model._meta.get_field(name)
            original[field.attname] = (name, getattr(current, field.attname))
            setattr(current, name, value)
        return current, original

    def write(self, plans) -> None:
        new = [instance for instance, changes in plans if changes is None]
        changed = [(instance, changes) for instance, changes in plans if changes is not None]
        self.before_save(new)
        created = self.model.objects.bulk_create(new, batch_size=common.BATCH)
        common.events_bulk(
            self.model,
            [(obj.pk, {"source": "import"}) for obj in created],
            actor=self.actor,
            action="imported",
        )
        if changed:
            names = sorted({name for _instance, changes in changed for name in changes})
            attnames = list(names)
            if hasattr(self.model, "updated_at"):
                attnames.append("updated_at")
            now = timezone.now()
            for instance, _changes in changed:
                instance.updated_at = now
            self.before_save([instance for instance, _changes in changed])
            self.model.objects.bulk_update(
                [instance for instance, _changes in changed], attnames, batch_size=common.BATCH
            )
            common.events_bulk(
                self.model,
                [(instance.pk, changes) for instance, changes in changed],
                actor=self.actor,
                action="updated by import",
            )

    def before_save(self, instances) -> None:
        """Set what ``save()`` would have set; bulk writes skip it."""
