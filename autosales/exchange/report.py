"""The outcome of an import: what each line did, and every refused line with its reasons."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .readers import Table, cell_text

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REJECTED = "rejected"

OUTCOME_LABELS = {
    CREATED: pgettext_lazy("import outcome", "created"),
    UPDATED: pgettext_lazy("import outcome", "updated"),
    UNCHANGED: pgettext_lazy("import outcome", "unchanged"),
    REJECTED: pgettext_lazy("import outcome", "rejected"),
}


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    entity: str
    table: Table | None = None
    good_only: bool = False
    committed: bool = False
    outcomes: dict[int, tuple[str, str]] = field(default_factory=dict)  # line → (outcome, key)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    # Recording -------------------------------------------------------------

    def add_error(self, line: int, column: str, message) -> None:
        self.errors.append(RowError(line, column, str(message)))

    def add_validation_error(self, line: int, exc: ValidationError, columns: dict[str, str] | None = None):
        """Record a model ValidationError, naming the file's column for each model field."""
        columns = columns or {}
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = columns.get(name, "" if name == "__all__" else name)
                for message in messages:
                    self.add_error(line, column, message)
        else:
            for message in exc.messages:
                self.add_error(line, "", message)

    def set_outcome(self, line: int, outcome: str, key: str = "") -> None:
        self.outcomes[line] = (outcome, key)

    # Reading ---------------------------------------------------------------

    @property
    def bad_lines(self) -> set[int]:
        return {e.line for e in self.errors}

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(outcome for outcome, _key in self.outcomes.values())
        counter[REJECTED] = len(self.bad_lines)
        return {k: counter.get(k, 0) for k in (CREATED, UPDATED, UNCHANGED, REJECTED)}

    @property
    def total_rows(self) -> int:
        return len(self.table.rows) if self.table else 0

    def errors_by_line(self) -> dict[int, list[RowError]]:
        grouped: dict[int, list[RowError]] = {}
        for error in sorted(self.errors, key=lambda e: e.line):
            grouped.setdefault(error.line, []).append(error)
        return grouped

    def summary(self) -> str:
        counts = self.counts
        if self.committed:
            text = gettext(
                "%(total)s rows read: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(rejected)s rejected."
            )
        else:
            text = gettext(
                "%(total)s rows read, %(rejected)s with errors: nothing was imported. "
                "Fix the rows listed, or import only the good rows."
            )
        return text % {"total": self.total_rows, **counts}

    def error_text(self, error: RowError) -> str:
        if error.column:
            return f"{error.column}: {error.message}"
        return error.message

    # Files -----------------------------------------------------------------

    def rejected_rows_file(self) -> tuple[bytes, str] | None:
        """The refused rows with the file's own columns and an error column, as (content, extension)."""
        if not self.errors or self.table is None:
            return None
        grouped = self.errors_by_line()
        error_header = gettext("error")
        header = [*self.table.header, error_header]
        rows = []
        for line, cells in self.table.rows:
            if line in grouped:
                texts = [cell_text(c) for c in cells]
                texts += [""] * (len(self.table.header) - len(texts))
                rows.append([*texts, "; ".join(self.error_text(e) for e in grouped[line])])
        if self.table.format == "xlsx":
            return _xlsx_bytes(header, rows), "xlsx"
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        # A BOM lets Excel open the UTF-8 file with the Chinese text intact.
        return buffer.getvalue().encode("utf-8-sig"), "csv"

    def report_rows(self):
        """One row per line of the file: line, key, outcome, message (for the CLI report file)."""
        grouped = self.errors_by_line()
        yield [gettext("line"), gettext("key"), gettext("outcome"), gettext("message")]
        lines = sorted(set(self.outcomes) | set(grouped))
        for line in lines:
            if line in grouped:
                yield [
                    line,
                    self.outcomes.get(line, ("", ""))[1],
                    str(OUTCOME_LABELS[REJECTED]),
                    "; ".join(self.error_text(e) for e in grouped[line]),
                ]
            else:
                outcome, key = self.outcomes[line]
                label = (
                    OUTCOME_LABELS[outcome]
                    if self.committed
                    else _("would be %(outcome)s") % {"outcome": OUTCOME_LABELS[outcome]}
                )
                yield [line, key, str(label), ""]


def _xlsx_bytes(header, rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
