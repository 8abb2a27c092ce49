"""Read an uploaded table (CSV in UTF-8 or GBK, or XLSX) into a header and numbered rows of cells."""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from autosales.core.exceptions import DomainError

MAX_BYTES = 20 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
# Old binary Excel (.xls) and other OLE documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class FileRefused(DomainError):
    """The file as a whole cannot be imported (format, size, columns); nothing was written."""


@dataclass
class Table:
    format: str  # "csv" or "xlsx"
    header: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)  # (line number in the file, cells)
    encoding: str = ""


def read_table(data: bytes, *, filename: str = "") -> Table:
    """Parse ``data``; the format is recognised from the content, not trusted from the file name."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            _("The file is %(size)s MB; the largest file accepted is 20 MB. Split it into smaller files.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}"}
        )
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        table = _read_xlsx(data)
    elif data.startswith(OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise FileRefused(_("Old Excel files (.xls) are not accepted; save the sheet as .xlsx or CSV."))
    else:
        table = _read_csv(data)
    if not any(cell.strip() for cell in table.header):
        raise FileRefused(_("The first row of the file must hold the column names."))
    return table


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise FileRefused(_("This file is neither CSV nor XLSX."))
    try:
        # GB18030 is a superset of GBK and GB2312, the encodings Excel uses for Chinese CSV.
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError as exc:
        raise FileRefused(_("The file is not text in UTF-8 or GBK, nor an XLSX workbook.")) from exc


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise FileRefused(_("This file is neither CSV nor XLSX."))
    sample = text[:8192]
    delimiter = ","
    first_line = sample.split("\n", 1)[0]
    if first_line.count("\t") > first_line.count(",") and first_line.count("\t") > 0:
        delimiter = "\t"
    elif first_line.count(";") > first_line.count(",") and first_line.count(";") > 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise FileRefused(_("The file is empty.")) from exc
    except csv.Error as exc:
        raise FileRefused(_("The file is not a valid CSV file: %(error)s") % {"error": exc}) from exc
    header = [h.strip() for h in header]
    rows = []
    try:
        start = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileRefused(
            _("The file is not a valid CSV file (line %(line)s): %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    return Table(format="csv", header=header, rows=rows, encoding=encoding)


def _read_xlsx(data: bytes) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise FileRefused(_("The workbook has no sheet."))
        sheet = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except FileRefused:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged workbooks
        raise FileRefused(_("This XLSX workbook cannot be read: %(error)s") % {"error": exc}) from exc
    if not sheet:
        raise FileRefused(_("The file is empty."))
    header = [cell_text(c).strip() for c in sheet[0]]
    rows = []
    for index, cells in enumerate(sheet[1:], start=2):
        if any(cell_text(c).strip() for c in cells):
            rows.append((index, list(cells)))
    return Table(format="xlsx", header=header, rows=rows)


def cell_text(value) -> str:
    """A cell as text. Whole numbers that a spreadsheet stored as floats lose their ``.0``."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)
    return str(value)
