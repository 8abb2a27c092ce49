import io
import random
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from autosales.core.identity import make_mobile, make_vin
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.exchange.exports import csv_chunks, export_rows, write_xlsx
from autosales.exchange.services import exchange_import
from autosales.inventory.models import Vehicle
from autosales.inventory.tests.factories import ColourFactory, TrimFactory, VehicleFactory
from autosales.parties.models import Customer
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.models import Order, OrderLine

from .helpers import csv_bytes

pytestmark = pytest.mark.django_db
rng = random.Random(44)


def export_bytes(entity, fmt, lang="en", **kwargs) -> bytes:
    columns, rows = export_rows(entity, **kwargs)
    if fmt == "csv":
        return b"".join(csv_chunks(columns, rows, lang=lang))
    buffer = io.BytesIO()
    write_xlsx(columns, rows, buffer, lang=lang)
    return buffer.getvalue()


@pytest.fixture
def world():
    store = StoreFactory(code="SH01")
    seller = UserFactory(username="wang", store=store)
    trim = TrimFactory(code="T-1")
    colour = ColourFactory(name="黑")
    customers = [CustomerFactory(store=store, owner=seller, region="浦东", marketing_consent=True)]
    customers.append(CustomerFactory(company=True, store=store, owner=None, fleet_size=12))
    vehicles = [
        VehicleFactory(store=store, trim=trim, colour=colour, cost=Decimal("123456.78")) for _ in range(2)
    ]
    return {"store": store, "seller": seller, "trim": trim, "customers": customers, "vehicles": vehicles}


def history(world) -> bytes:
    mobile = world["customers"][0].mobile
    code = world["customers"][1].credit_code
    return csv_bytes(
        [
            [
                "order_number",
                "order_date",
                "store",
                "salesperson",
                "customer_mobile",
                "customer_credit_code",
                "kind",
                "vin",
                "quantity",
                "unit_price",
                "discount",
                "unit_cost",
                "income",
                "term_months",
                "annual_rate",
            ],
            [
                "H-1",
                "2023-05-01",
                "SH01",
                "wang",
                mobile,
                "",
                "vehicle",
                world["vehicles"][0].vin,
                "1",
                "199999.99",
                "1000.01",
                "170000",
                "0",
                "",
                "",
            ],
            [
                "H-1",
                "2023-05-01",
                "SH01",
                "wang",
                mobile,
                "",
                "financing",
                "",
                "1",
                "0",
                "0",
                "0",
                "3200",
                "36",
                "0.0399",
            ],
            [
                "H-2",
                "2023-06-01",
                "SH01",
                "",
                "",
                code,
                "vehicle",
                world["vehicles"][1].vin,
                "1",
                "210000",
                "0",
                "180000.5",
                "",
                "",
                "",
            ],
        ]
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_then_import_round_trip(world, fmt, lang):
    assert exchange_import(entity="orders", data=history(world)).committed
    for entity in ("customers", "vehicles", "orders"):
        report = exchange_import(entity=entity, data=export_bytes(entity, fmt, lang))
        assert report.committed, (entity, report.errors)
        assert report.counts["created"] == report.counts["updated"] == 0, (entity, report.outcomes)

    before = {
        "customers": list(
            Customer.objects.order_by("mobile").values(
                "name", "mobile", "credit_code", "fleet_size", "region", "marketing_consent", "owner_id"
            )
        ),
        "orders": list(
            Order.objects.order_by("number").values("number", "total", "cost_total", "income_total")
        ),
    }
    orders_file = export_bytes("orders", fmt, lang)
    customers_file = export_bytes("customers", fmt, lang)
    OrderLine.objects.all().delete()
    Order.objects.all().delete()
    Customer.objects.all().delete()
    assert exchange_import(entity="customers", data=customers_file).counts["created"] == 2
    report = exchange_import(entity="orders", data=orders_file)
    assert report.committed and report.counts["created"] == 3
    after = {
        "customers": list(
            Customer.objects.order_by("mobile").values(
                "name", "mobile", "credit_code", "fleet_size", "region", "marketing_consent", "owner_id"
            )
        ),
        "orders": list(
            Order.objects.order_by("number").values("number", "total", "cost_total", "income_total")
        ),
    }
    assert after == before
    assert OrderLine.objects.get(kind="financing").annual_rate == Decimal("0.0399")


def test_import_command_good_only_writes_report_and_rejected_file(world, tmp_path):
    source = tmp_path / "customers.csv"
    source.write_bytes(
        csv_bytes([["name", "mobile"], ["甲", make_mobile(rng)], ["乙", "999"]], encoding="gbk")
    )
    report = tmp_path / "report.csv"
    out = io.StringIO()
    call_command(
        "import",
        "customers",
        str(source),
        "--good-only",
        "--store",
        "SH01",
        "--report",
        str(report),
        "--lang",
        "en",
        stdout=out,
        stderr=io.StringIO(),
    )
    rejected = tmp_path / "customers.rejected.csv"
    assert rejected.is_file() and "乙,999," in rejected.read_bytes().decode("utf-8-sig")
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "line,key,outcome,message"
    assert lines[1].startswith("2,") and "created" in lines[1]
    assert lines[2].startswith("3,") and "rejected" in lines[2]
    assert "1 created" in out.getvalue()


def test_import_command_refuses_and_writes_nothing_when_a_row_is_bad(world, tmp_path):
    source = tmp_path / "vehicles.csv"
    source.write_bytes(
        csv_bytes(
            [
                ["vin", "trim_code", "arrival_date"],
                [make_vin(rng), "T-1", "2024-01-01"],
                ["NOTAVIN", "T-1", "2024-01-01"],
            ]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import",
            "vehicles",
            str(source),
            "--store",
            "SH01",
            "--lang",
            "en",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "line 3: vin:" in err.getvalue()
    assert Vehicle.objects.count() == 2


def test_import_command_refuses_a_file_without_required_columns(world, tmp_path):
    source = tmp_path / "x.csv"
    source.write_bytes(csv_bytes([["colour"], ["red"]]))
    with pytest.raises(CommandError, match="vin / 车架号"):
        call_command("import", "vehicles", str(source), stdout=io.StringIO(), stderr=io.StringIO())


def test_export_command_writes_chinese_headers_and_filters_by_store(world, tmp_path):
    other = StoreFactory(code="BJ01")
    VehicleFactory(store=other)
    target = tmp_path / "vehicles.csv"
    call_command(
        "export", "vehicles", "--output", str(target), "--lang", "zh", "--store", "SH01", stderr=io.StringIO()
    )
    lines = target.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("车架号,配置代码,颜色,门店,状态,成本")
    assert len(lines) == 3 and "123456.78" in lines[1]
    xlsx = tmp_path / "vehicles.xlsx"
    call_command("export", "vehicles", "--output", str(xlsx), stderr=io.StringIO())
    assert xlsx.read_bytes().startswith(b"PK")
