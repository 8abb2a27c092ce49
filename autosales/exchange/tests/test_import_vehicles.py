import datetime
import random
from decimal import Decimal

import pytest

from autosales.core.identity import make_vin
from autosales.core.tests.factories import StoreFactory
from autosales.exchange.services import exchange_import
from autosales.inventory.models import Vehicle
from autosales.inventory.tests.factories import ColourFactory, TrimFactory

from .helpers import FORMATS, encode

pytestmark = pytest.mark.django_db
rng = random.Random(9)


@pytest.fixture
def setup():
    store = StoreFactory(code="SH01")
    trim = TrimFactory(code="A4L-2026")
    colour = ColourFactory(name="珍珠白", name_en="Pearl white")
    return store, trim, colour


def vehicle_rows(header=("vin", "trim_code", "colour", "store", "cost", "list_price", "arrival_date")):
    return [
        list(header),
        [make_vin(rng), "A4L-2026", "珍珠白", "SH01", "180000", "210000.5", "2026-01-15"],
        [make_vin(rng), "a4l-2026", "Pearl white", "SH01", "181000.00", "211000", "2026/01/16"],
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_vehicles_import_from_each_format(setup, fmt):
    store, trim, colour = setup
    data = vehicle_rows()
    report = exchange_import(entity="vehicles", data=encode(data, fmt))
    assert report.committed, report.errors
    vehicle = Vehicle.objects.get(vin=data[1][0])
    assert vehicle.trim == trim and vehicle.colour == colour and vehicle.store == store
    assert vehicle.list_price == Decimal("210000.50") and vehicle.cost == Decimal("180000.00")
    assert vehicle.arrival_date == datetime.date(2026, 1, 15)
    assert vehicle.vin_tail == data[1][0][-6:]
    assert Vehicle.objects.get(vin=data[2][0]).arrival_date == datetime.date(2026, 1, 16)


def test_chinese_headers_and_dates_from_xlsx(setup):
    data = vehicle_rows(header=("车架号", "配置代码", "颜色", "门店", "成本", "标价", "到店日期"))
    data[1][6] = datetime.date(2026, 2, 1)
    report = exchange_import(entity="vehicles", data=encode(data, "xlsx"))
    assert report.committed, report.errors
    assert Vehicle.objects.get(vin=data[1][0]).arrival_date == datetime.date(2026, 2, 1)


def test_wrong_vin_check_digit_is_refused_with_line_number(setup):
    data = vehicle_rows()
    vin = data[2][0]
    wrong = "0" if vin[8] != "0" else "1"
    data[2][0] = vin[:8] + wrong + vin[9:]
    report = exchange_import(entity="vehicles", data=encode(data, "csv-utf8"))
    assert not report.committed
    assert Vehicle.objects.count() == 0
    assert [(e.line, e.column) for e in report.errors] == [(3, "vin")]
    assert "check digit" in report.errors[0].message


def test_unknown_trim_and_future_arrival_are_reported(setup):
    data = vehicle_rows()
    data[1][1] = "NOPE"
    data[2][6] = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    report = exchange_import(entity="vehicles", data=encode(data, "csv-gbk"))
    assert {(e.line, e.column) for e in report.errors} == {(2, "trim_code"), (3, "arrival_date")}


def test_reimport_by_vin_updates_or_leaves_unchanged(setup):
    data = vehicle_rows()
    exchange_import(entity="vehicles", data=encode(data, "csv-utf8"))
    data[2][5] = "199000"
    report = exchange_import(entity="vehicles", data=encode(data, "csv-utf8"))
    assert report.committed
    assert Vehicle.objects.count() == 2
    assert report.counts == {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert Vehicle.objects.get(vin=data[2][0]).list_price == Decimal("199000.00")


def test_good_only_from_xlsx_returns_an_xlsx_of_bad_rows(setup):
    import io

    from python_calamine import CalamineWorkbook

    data = vehicle_rows()
    data.append(["BADVIN", "A4L-2026", "", "SH01", "1", "1", "2026-01-01"])
    report = exchange_import(entity="vehicles", data=encode(data, "xlsx"), good_only=True)
    assert report.committed and Vehicle.objects.count() == 2
    content, extension = report.rejected_rows_file()
    assert extension == "xlsx"
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert sheet[0][-1] == "error" and sheet[1][0] == "BADVIN" and "17 characters" in sheet[1][-1]
