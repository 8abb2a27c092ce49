import random

import pytest

from autosales.core.identity import make_credit_code, make_mobile
from autosales.core.models import Event
from autosales.core.tests.factories import StoreFactory
from autosales.exchange.services import exchange_import
from autosales.parties.choices import CustomerKind
from autosales.parties.models import Customer
from autosales.parties.tests.factories import CustomerFactory

from .helpers import FORMATS, encode

pytestmark = pytest.mark.django_db
rng = random.Random(5)

EN_HEADER = ["kind", "name", "mobile", "credit_code", "industry", "fleet_size", "store"]
ZH_HEADER = ["客户类型", "客户名称", "手机号", "统一社会信用代码", "行业", "车队规模", "门店"]


def rows(store_code="SH01", header=EN_HEADER):
    return [
        header,
        ["person", "张三", make_mobile(rng), "", "", "", store_code],
        ["company", "上海快运物流有限公司", "", make_credit_code(rng), "logistics", "40", store_code],
    ]


@pytest.fixture
def store():
    return StoreFactory(code="SH01")


@pytest.mark.parametrize("fmt", FORMATS)
def test_customers_import_from_each_format(store, fmt):
    data = rows()
    report = exchange_import(entity="customers", data=encode(data, fmt), filename=f"c.{fmt}")
    assert report.committed, report.errors
    assert report.counts["created"] == 2
    person = Customer.objects.get(mobile=data[1][2])
    assert person.name == "张三" and person.kind == CustomerKind.PERSON and person.store == store
    company = Customer.objects.get(credit_code=data[2][3])
    assert company.fleet_size == 40 and company.industry == "logistics"
    assert Event.objects.filter(action="imported").count() == 2


def test_chinese_headers_are_accepted(store):
    report = exchange_import(entity="customers", data=encode(rows(header=ZH_HEADER), "csv-utf8"))
    assert report.committed, report.errors
    assert Customer.objects.count() == 2


def test_xlsx_mobile_stored_as_number_keeps_its_digits(store):
    mobile = make_mobile(rng)
    data = [["name", "mobile", "store"], ["李四", int(mobile), "SH01"]]
    report = exchange_import(entity="customers", data=encode(data, "xlsx"))
    assert report.committed, report.errors
    assert Customer.objects.get().mobile == mobile


def test_one_bad_row_writes_nothing_and_names_line_and_reason(store):
    data = rows()
    data.append(["person", "王五", "12345", "", "", "", "SH01"])
    data.append(["company", "坏公司", "", "91310000ABCDEFGHIJ", "", "", "SH01"])
    report = exchange_import(entity="customers", data=encode(data, "csv-utf8"))
    assert not report.committed
    assert Customer.objects.count() == 0
    by_line = report.errors_by_line()
    assert set(by_line) == {4, 5}
    assert by_line[4][0].column == "mobile" and "11 digits" in by_line[4][0].message
    assert by_line[5][0].column == "credit_code"


def test_good_only_writes_good_rows_and_returns_bad_ones(store):
    data = rows()
    data.append(["person", "王五", "12345", "", "", "", "SH01"])
    report = exchange_import(entity="customers", data=encode(data, "csv-utf8"), good_only=True)
    assert report.committed
    assert Customer.objects.count() == 2
    content, extension = report.rejected_rows_file()
    assert extension == "csv"
    text = content.decode("utf-8-sig").splitlines()
    assert text[0].split(",") == [*EN_HEADER, "error"]
    assert len(text) == 2 and text[1].startswith("person,王五,12345")
    assert "mobile:" in text[1]


def test_reimport_creates_no_duplicates_and_reports_unchanged_and_updated(store):
    data = rows()
    exchange_import(entity="customers", data=encode(data, "csv-utf8"))
    data[1][1] = "张三丰"
    report = exchange_import(entity="customers", data=encode(data, "csv-utf8"))
    assert report.committed
    assert Customer.objects.count() == 2
    assert report.outcomes[2][0] == "updated" and report.outcomes[3][0] == "unchanged"
    assert Customer.objects.get(mobile=data[1][2]).name == "张三丰"


def test_duplicate_mobile_within_file_is_refused(store):
    mobile = make_mobile(rng)
    data = [["name", "mobile", "store"], ["甲", mobile, "SH01"], ["乙", mobile, "SH01"]]
    report = exchange_import(entity="customers", data=encode(data, "csv-utf8"))
    assert not report.committed
    assert report.errors[0].line == 3 and "line 2" in report.errors[0].message


def test_mobile_of_an_existing_customer_updates_that_customer(store):
    other = CustomerFactory(store=store)
    data = [["name", "mobile", "resident_id", "store"], ["甲", make_mobile(rng), "", "SH01"]]
    data.append(["乙", other.mobile, "", "SH01"])
    report = exchange_import(entity="customers", data=encode(data, "csv-utf8"))
    assert report.committed
    assert report.outcomes[3][0] == "updated"
    assert Customer.objects.count() == 2
    other.refresh_from_db()
    assert other.name == "乙"


def test_resident_id_of_another_customer_is_refused(store):
    other = CustomerFactory(store=store, resident_id="350203200012270646")
    data = [["name", "mobile", "resident_id", "store"], ["甲", make_mobile(rng), other.resident_id, "SH01"]]
    report = exchange_import(entity="customers", data=encode(data, "csv-utf8"))
    assert not report.committed
    assert report.errors[0].column == "resident_id" and other.name in report.errors[0].message


def test_missing_store_is_reported_per_row(store):
    data = [["name", "mobile"], ["甲", make_mobile(rng)]]
    report = exchange_import(entity="customers", data=encode(data, "csv-utf8"))
    assert not report.committed
    assert report.errors[0].column == "store"
    report = exchange_import(entity="customers", data=encode(data, "csv-utf8"), store=store)
    assert report.committed


def test_report_speaks_the_users_language(store):
    from django.utils import translation

    data = [
        ["客户名称", "手机号", "门店"],
        ["甲", "12345", "SH01"],
        ["乙", make_mobile(rng), "SH01"],
        ["丙", "", "SH01"],
    ]
    data[3][1] = data[2][1]
    with translation.override("zh-hans"):
        report = exchange_import(entity="customers", data=encode(data, "csv-utf8"))
        summary = report.summary()
    assert "第 3 行" in report.errors_by_line()[4][0].message
    assert "手机号" in report.errors_by_line()[2][0].message
    assert summary.startswith("共读取 3 行，其中 2 行有错误")
