import datetime

import pytest

from autosales.exchange.columns import map_header, parse_date, parse_decimal
from autosales.exchange.importers.customers import CUSTOMER_COLUMNS
from autosales.exchange.readers import MAX_BYTES, FileRefused, cell_text, read_table

from .helpers import csv_bytes, xlsx_bytes

ROWS = [["客户名称", "手机号"], ["张三", "13812345678"], ["", ""], ["李四", "13912345678"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encoding_is_detected(encoding):
    table = read_table(csv_bytes(ROWS, encoding=encoding))
    assert table.header == ["客户名称", "手机号"]
    # Blank rows are skipped but line numbers stay those of the file.
    assert [(line, cells[0]) for line, cells in table.rows] == [(2, "张三"), (4, "李四")]


def test_xlsx_whole_numbers_lose_their_float_tail():
    table = read_table(
        xlsx_bytes([["mobile", "price", "day"], [13812345678, 1234.5, datetime.date(2024, 3, 5)]])
    )
    line, cells = table.rows[0]
    assert line == 2
    assert [cell_text(c) for c in cells] == ["13812345678", "1234.5", "2024-03-05"]


def test_multiline_cell_keeps_line_numbers_of_the_file():
    data = 'name,notes\n甲,"first\nsecond"\n乙,x\n'.encode()
    table = read_table(data)
    assert [line for line, _cells in table.rows] == [2, 4]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "neither CSV nor XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04not really a workbook", "cannot be read"),
    ],
)
def test_malformed_files_are_refused(data, message):
    with pytest.raises(FileRefused) as caught:
        read_table(data)
    assert message in " ".join(caught.value.messages)


def test_file_over_20_mb_is_refused():
    with pytest.raises(FileRefused, match="20 MB"):
        read_table(b"a" * (MAX_BYTES + 1))


def test_missing_required_column_is_refused_naming_both_languages():
    with pytest.raises(FileRefused) as caught:
        map_header(["mobile"], CUSTOMER_COLUMNS)
    assert "name / 客户名称" in caught.value.messages[0]


def test_headers_in_either_language_and_spelling_map_to_the_same_column():
    mapping, ignored = map_header(
        ["姓名", " Mobile ", "统一社会信用代码", "favourite colour"], CUSTOMER_COLUMNS
    )
    assert mapping == {"name": 0, "mobile": 1, "credit_code": 2}
    assert ignored == ["favourite colour"]


def test_money_and_dates_parse_exactly():
    assert str(parse_decimal("¥1,234.565")) == "1234.57"
    assert str(parse_decimal("0.125")) == "0.13"
    assert parse_date("2024/3/5") == datetime.date(2024, 3, 5)
    assert parse_date("2024年3月5日") == datetime.date(2024, 3, 5)
    assert parse_date("2024-03-05 00:00:00") == datetime.date(2024, 3, 5)
