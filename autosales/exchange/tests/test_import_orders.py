import random
from decimal import Decimal

import pytest

from autosales.core.identity import make_credit_code, make_mobile, make_vin
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.exchange.services import exchange_import
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Vehicle
from autosales.inventory.tests.factories import TrimFactory, VehicleFactory
from autosales.parties.models import Customer
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.models import Order, OrderLine
from autosales.sales.tests.factories import OrderFactory, OrderLineFactory

from .helpers import FORMATS, encode

pytestmark = pytest.mark.django_db
rng = random.Random(3)

HEADER = [
    "order_number",
    "order_date",
    "store",
    "salesperson",
    "customer_name",
    "customer_mobile",
    "customer_credit_code",
    "kind",
    "vin",
    "trim_code",
    "quantity",
    "unit_price",
    "discount",
    "unit_cost",
    "income",
]
ZH_HEADER = [
    "订单号",
    "订单日期",
    "门店",
    "销售顾问",
    "客户名称",
    "客户手机号",
    "客户信用代码",
    "行类型",
    "车架号",
    "配置代码",
    "数量",
    "单价",
    "单位优惠",
    "单位成本",
    "第三方收入",
]


@pytest.fixture
def world():
    store = StoreFactory(code="SH01")
    seller = UserFactory(username="wang", store=store)
    trim = TrimFactory(code="A4L-2026")
    customer = CustomerFactory(store=store)
    vehicle = VehicleFactory(store=store, trim=trim)
    return {"store": store, "seller": seller, "trim": trim, "customer": customer, "vehicle": vehicle}


def order_rows(world, header=HEADER):
    credit_code = make_credit_code(rng)
    new_vin = make_vin(rng)
    mobile = world["customer"].mobile
    vin = world["vehicle"].vin
    return [
        header,
        [
            "H-2024-0001",
            "2024-03-05",
            "SH01",
            "wang",
            "",
            mobile,
            "",
            "vehicle",
            new_vin,
            "A4L-2026",
            "1",
            "200000",
            "5000",
            "180000",
            "0",
        ],
        [
            "H-2024-0001",
            "2024-03-05",
            "SH01",
            "wang",
            "",
            mobile,
            "",
            "accessory",
            "",
            "",
            "2",
            "1000.50",
            "0",
            "400.25",
            "0",
        ],
        [
            "H-2024-0001",
            "2024-03-05",
            "SH01",
            "wang",
            "",
            mobile,
            "",
            "insurance",
            "",
            "",
            "1",
            "6000",
            "0",
            "0",
            "800",
        ],
        [
            "H-2024-0002",
            "2024-04-01",
            "SH01",
            "",
            "上海快运物流有限公司",
            "",
            credit_code,
            "",
            vin,
            "",
            "",
            "210000",
            "0",
            "185000",
            "",
        ],
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_orders_import_from_each_format(world, fmt):
    data = order_rows(world)
    report = exchange_import(entity="orders", data=encode(data, fmt))
    assert report.committed, report.errors
    assert report.counts["created"] == 4

    first = Order.objects.get(number="H-2024-0001")
    assert first.is_historical and first.status == "delivered"
    assert first.customer == world["customer"] and first.salesperson == world["seller"]
    assert first.list_total == Decimal("208001.00")
    assert first.discount_total == Decimal("5000.00")
    assert first.total == Decimal("203001.00")
    assert first.cost_total == Decimal("180800.50")
    assert first.income_total == Decimal("800.00")
    assert first.lines.count() == 3

    new_vehicle = Vehicle.objects.get(vin=data[1][8])
    assert new_vehicle.status == VehicleStatus.DELIVERED and new_vehicle.trim == world["trim"]
    assert first.lines.get(kind="vehicle").vehicle == new_vehicle

    second = Order.objects.get(number="H-2024-0002")
    assert second.customer.credit_code == data[4][6] and second.customer.name == "上海快运物流有限公司"
    world["vehicle"].refresh_from_db()
    assert world["vehicle"].status == VehicleStatus.DELIVERED
    assert second.lines.get().trim == world["trim"]


def test_chinese_headers_are_accepted(world):
    report = exchange_import(entity="orders", data=encode(order_rows(world, ZH_HEADER), "csv-gbk"))
    assert report.committed, report.errors
    assert Order.objects.filter(is_historical=True).count() == 2


def test_totals_equal_line_sums_on_every_database(world):
    data = [HEADER]
    for n in range(30):
        data.append(
            [
                "H-1",
                "2024-01-02",
                "SH01",
                "",
                "",
                world["customer"].mobile,
                "",
                "accessory",
                "",
                "",
                "3",
                f"{n}.33",
                "0.11",
                "0.07",
                "0.01",
            ]
        )
    report = exchange_import(entity="orders", data=encode(data, "csv-utf8"))
    assert report.committed, report.errors
    order = Order.objects.get(number="H-1")
    lines = list(OrderLine.objects.filter(order=order))
    assert order.total == sum(line.amount for line in lines)
    assert order.cost_total == sum(line.unit_cost * line.quantity for line in lines)
    assert order.income_total == Decimal("0.30")


def test_unknown_customer_without_name_is_refused_with_the_rule(world):
    data = order_rows(world)
    data[4][4] = ""
    report = exchange_import(entity="orders", data=encode(data, "csv-utf8"))
    assert not report.committed
    assert Order.objects.count() == 0 and Customer.objects.count() == 1
    assert [(e.line, e.column) for e in report.errors] == [(5, "customer_name")]
    assert "customer_name" in report.errors[0].message


def test_one_bad_line_refuses_its_whole_order_and_good_only_keeps_the_rest(world):
    data = order_rows(world)
    data[2][11] = "abc"
    report = exchange_import(entity="orders", data=encode(data, "csv-utf8"))
    assert not report.committed and Order.objects.count() == 0 and Vehicle.objects.count() == 1
    errors = report.errors_by_line()
    assert errors[3][0].column == "unit_price"
    assert set(errors) == {2, 3, 4}

    report = exchange_import(entity="orders", data=encode(data, "csv-utf8"), good_only=True)
    assert report.committed
    assert list(Order.objects.values_list("number", flat=True)) == ["H-2024-0002"]
    content, _ext = report.rejected_rows_file()
    lines = content.decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and all(line.startswith("H-2024-0001") for line in lines[1:])


def test_contradicting_order_header_is_refused(world):
    data = order_rows(world)
    data[2][1] = "2024-03-06"
    report = exchange_import(entity="orders", data=encode(data, "csv-utf8"))
    assert (3, "order_date") in [(e.line, e.column) for e in report.errors]


def test_reimport_creates_no_duplicates(world):
    data = order_rows(world)
    exchange_import(entity="orders", data=encode(data, "csv-utf8"))
    report = exchange_import(entity="orders", data=encode(data, "csv-utf8"))
    assert report.committed
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 0}
    assert Order.objects.count() == 2 and OrderLine.objects.count() == 4
    assert Customer.objects.count() == 2 and Vehicle.objects.count() == 2

    data[2][10] = "3"
    report = exchange_import(entity="orders", data=encode(data, "csv-utf8"))
    assert report.outcomes[2][0] == "updated" and report.outcomes[5][0] == "unchanged"
    assert OrderLine.objects.count() == 4
    assert Order.objects.get(number="H-2024-0001").list_total == Decimal("209001.50")


def test_order_entered_in_the_system_cannot_be_overwritten(world):
    OrderFactory(number="H-2024-0001", store=world["store"], customer=world["customer"])
    report = exchange_import(entity="orders", data=encode(order_rows(world), "csv-utf8"))
    assert not report.committed
    assert {e.line for e in report.errors if e.column == "order_number"} == {2, 3, 4}


def test_vin_sold_on_another_order_is_refused(world):
    OrderLineFactory(order__store=world["store"], vehicle=world["vehicle"], trim=world["trim"])
    report = exchange_import(entity="orders", data=encode(order_rows(world), "csv-utf8"))
    assert [(e.line, e.column) for e in report.errors if e.column] == [(5, "vin")]


def test_new_vin_needs_a_trim_and_vin_line_has_quantity_one(world):
    data = order_rows(world)
    data[1][9] = ""
    data[4][10] = "2"
    report = exchange_import(entity="orders", data=encode(data, "csv-utf8"))
    assert {(e.line, e.column) for e in report.errors if e.column} == {(2, "trim_code"), (5, "quantity")}


def test_open_status_is_refused(world):
    data = [[*HEADER, "status"]]
    data.append(
        [
            "H-9",
            "2024-01-02",
            "SH01",
            "",
            "",
            world["customer"].mobile,
            "",
            "accessory",
            "",
            "",
            "1",
            "10",
            "0",
            "5",
            "0",
            "confirmed",
        ]
    )
    report = exchange_import(entity="orders", data=encode(data, "csv-utf8"))
    assert report.errors[0].column == "status"


def test_file_without_customer_columns_is_refused(world):
    from autosales.exchange.readers import FileRefused

    data = [["order_number", "order_date", "unit_price", "unit_cost"], ["H", "2024-01-01", "1", "1"]]
    with pytest.raises(FileRefused):
        exchange_import(entity="orders", data=encode(data, "csv-utf8"))


def test_imported_system_style_numbers_are_not_issued_again(world):
    from autosales.core.numbering import number_next

    data = [HEADER]
    data.append(
        [
            "O-SH01-2024-000041",
            "2024-01-02",
            "SH01",
            "",
            "",
            world["customer"].mobile,
            "",
            "accessory",
            "",
            "",
            "1",
            "10",
            "0",
            "5",
            "0",
        ]
    )
    assert exchange_import(entity="orders", data=encode(data, "csv-utf8")).committed
    assert number_next(store=world["store"], kind="order", year=2024) == "SH01-2024-000042"


def test_manager_imports_history_through_the_upload_page(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    manager = UserFactory(username="boss", manager=True, store=world["store"])
    client.force_login(manager)
    payload = {"entity": "orders", "file": SimpleUploadedFile("o.csv", encode(order_rows(world), "csv-utf8"))}
    response = client.post(reverse("web:exchange_import"), payload)
    assert response.status_code == 200 and response.context["report"].committed
    assert Order.objects.filter(is_historical=True, created_by=manager).count() == 2


def test_query_count_does_not_grow_with_the_number_of_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def history(prefix, count):
        data = [HEADER]
        for n in range(count):
            vin = make_vin(rng)
            data.append(
                [
                    f"{prefix}-{n}",
                    "2024-01-02",
                    "SH01",
                    "wang",
                    f"客户{prefix}{n}",
                    make_mobile(rng),
                    "",
                    "vehicle",
                    vin,
                    "A4L-2026",
                    "1",
                    "100",
                    "0",
                    "90",
                    "0",
                ]
            )
            data.append(
                [
                    f"{prefix}-{n}",
                    "2024-01-02",
                    "SH01",
                    "wang",
                    f"客户{prefix}{n}",
                    data[-1][5],
                    "",
                    "accessory",
                    "",
                    "",
                    "1",
                    "10",
                    "0",
                    "5",
                    "0",
                ]
            )
        return encode(data, "csv-utf8")

    exchange_import(entity="orders", data=history("warm-up", 1))  # content types get cached
    counts = []
    for prefix, count in (("A", 3), ("B", 60)):
        with CaptureQueriesContext(connection) as queries:
            assert exchange_import(entity="orders", data=history(prefix, count)).committed
        counts.append(len(queries))
    assert counts[0] == counts[1]
