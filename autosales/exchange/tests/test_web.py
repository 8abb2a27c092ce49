import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from autosales.core.identity import make_mobile
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.models import Customer
from autosales.parties.tests.factories import CustomerFactory

from .helpers import csv_bytes

pytestmark = pytest.mark.django_db
rng = random.Random(21)
PASSWORD = "Secret-pass-2026"


@pytest.fixture
def store():
    return StoreFactory(code="SH01")


@pytest.fixture
def manager(store):
    return UserFactory(username="manager1", manager=True, store=store, language="en")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def upload(client, data: bytes, *, entity="customers", name="customers.csv", **extra):
    payload = {"entity": entity, "file": SimpleUploadedFile(name, data), **extra}
    return client.post(reverse("web:exchange_import"), payload)


def test_pages_need_login(client):
    for name in ("web:exchange_home", "web:exchange_import", "web:exchange_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("web:login"))


def test_manager_uploads_customers_and_sees_the_report(client, manager, store):
    login(client, manager)
    page = client.get(reverse("web:exchange_home"))
    assert page.status_code == 200 and b'id="import-form"' in page.content
    data = csv_bytes([["name", "mobile"], ["张三", make_mobile(rng)], ["李四", make_mobile(rng)]])
    response = upload(client, data, store=store.pk)
    assert response.status_code == 200
    assert response.context["report"].committed
    assert b'id="count-created">2<' in response.content
    assert Customer.objects.filter(store=store).count() == 2


def test_bad_row_is_listed_with_line_and_nothing_is_written(client, manager, store):
    login(client, manager)
    data = csv_bytes([["name", "mobile"], ["张三", make_mobile(rng)], ["李四", "12345"]])
    response = upload(client, data, store=store.pk)
    assert response.status_code == 200
    assert Customer.objects.count() == 0
    assert response.context["error_lines"][0][0] == 3
    assert "mobile" in response.context["error_lines"][0][1][0]
    assert b'id="rejected-download"' not in response.content


def test_good_only_imports_good_rows_and_offers_the_bad_ones(client, manager, store):
    login(client, manager)
    data = csv_bytes([["name", "mobile"], ["张三", make_mobile(rng)], ["李四", "12345"]])
    response = upload(client, data, store=store.pk, good_only="on")
    assert Customer.objects.count() == 1
    token = response.context["rejected_token"]
    download = client.get(reverse("web:exchange_rejected", args=[token]))
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "name,mobile,error" and "李四,12345," in text
    other = UserFactory(username="other1", manager=True, store=store)
    client.force_login(other)
    assert client.get(reverse("web:exchange_rejected", args=[token])).status_code == 404


def test_file_that_is_not_a_table_is_refused(client, manager, store):
    login(client, manager)
    response = upload(client, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", name="photo.png")
    assert response.status_code == 400
    assert b'id="import-refused"' in response.content


def test_role_that_may_not_write_orders_cannot_import_them(client, store):
    salesperson = UserFactory(username="sales1", store=store)
    login(client, salesperson)
    data = csv_bytes([["order_number"], ["X"]])
    response = upload(client, data, entity="orders")
    assert response.status_code == 400 and "entity" in response.context["import_form"].errors
    finance = UserFactory(username="fin1", finance=True, store=store)
    client.force_login(finance)
    assert upload(client, data, entity="customers").status_code == 403


def test_web_export_follows_scope_and_hides_cost(client, store):
    salesperson = UserFactory(username="sales2", store=store)
    mine = CustomerFactory(store=store, owner=salesperson)
    CustomerFactory(store=store)
    login(client, salesperson)
    response = client.get(
        reverse("web:exchange_export"), {"entity": "customers", "format": "csv", "lang": "en"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("kind,name,mobile") and len(lines) == 2 and mine.mobile in lines[1]

    VehicleFactory(store=store)
    advisor = UserFactory(username="as1", aftersales=True, store=store)
    client.force_login(advisor)
    response = client.get(
        reverse("web:exchange_export"), {"entity": "vehicles", "format": "xlsx", "lang": "zh"}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "车架号" and "成本" not in sheet[0] and len(sheet) == 2


def test_reupload_lists_updated_rows_and_creates_no_duplicates(client, manager, store):
    login(client, manager)
    mobile = make_mobile(rng)
    upload(
        client, csv_bytes([["name", "mobile"], ["张三", mobile], ["李四", make_mobile(rng)]]), store=store.pk
    )
    data = csv_bytes([["name", "mobile"], ["张三丰", mobile]])
    response = upload(client, data, store=store.pk)
    assert Customer.objects.count() == 2
    assert response.context["updated_lines"] == [(2, mobile)]
    assert b'id="import-updated"' in response.content


def test_web_export_masks_mobiles_for_roles_without_personal_data_and_is_logged(client, store):
    from autosales.core.models import ExportLog

    customer = CustomerFactory(store=store)
    advisor = UserFactory(username="as2", aftersales=True, store=store)
    client.force_login(advisor)
    response = client.get(
        reverse("web:exchange_export"), {"entity": "customers", "format": "csv", "lang": "en"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert customer.mobile not in text
    assert f"{customer.mobile[:3]}****{customer.mobile[-4:]}" in text
    log = ExportLog.objects.get(user=advisor)
    assert (log.what, log.rows, log.file_format) == ("customers", 1, "csv")
