import csv
import io

from openpyxl import Workbook


def csv_bytes(rows, *, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def encode(rows, fmt: str) -> bytes:
    if fmt == "csv-utf8":
        return csv_bytes(rows, encoding="utf-8-sig")
    if fmt == "csv-gbk":
        return csv_bytes(rows, encoding="gbk")
    if fmt == "xlsx":
        return xlsx_bytes(rows)
    raise ValueError(fmt)


FORMATS = ("csv-utf8", "csv-gbk", "xlsx")
