import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from autosales.inventory.choices import VehicleStatus
from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _csv(response):
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_has_the_filtered_rows_of_the_list(client, manager):
    in_stock = VehicleFactory(store=manager.store)
    VehicleFactory(store=manager.store, status=VehicleStatus.SOLD)
    client.force_login(manager)
    rows = _csv(client.get(reverse("web:vehicle_list") + "?status=in_stock&export=csv"))
    assert rows[0][0] == "VIN"
    assert [row[0] for row in rows[1:]] == [in_stock.vin]


def test_csv_export_is_not_cut_to_one_page(client, manager):
    CustomerFactory.create_batch(60, store=manager.store)
    client.force_login(manager)
    rows = _csv(client.get(reverse("web:customer_list") + "?export=csv"))
    assert len(rows) == 61


def test_export_leaves_out_cost_for_a_salesperson(client, manager, salesperson):
    VehicleFactory(store=manager.store)
    client.force_login(manager)
    assert "Cost" in _csv(client.get(reverse("web:vehicle_list") + "?export=csv"))[0]
    client.force_login(salesperson)
    assert "Cost" not in _csv(client.get(reverse("web:vehicle_list") + "?export=csv"))[0]


def test_export_holds_only_rows_the_user_may_see(client, salesperson, other_salesperson):
    CustomerFactory(store=salesperson.store, owner=salesperson, name="我的客户")
    CustomerFactory(store=other_salesperson.store, owner=other_salesperson, name="别人的客户")
    client.force_login(salesperson)
    rows = _csv(client.get(reverse("web:customer_list") + "?export=csv"))
    names = [row[1] for row in rows[1:]]
    assert names == ["我的客户"]


def test_xlsx_export_keeps_money_as_numbers(client, manager):
    vehicle = VehicleFactory(store=manager.store)
    client.force_login(manager)
    response = client.get(reverse("web:vehicle_list") + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    header = rows[0]
    assert rows[1][0] == vehicle.vin
    price = rows[1][header.index("List price")]
    assert float(price) == float(vehicle.list_price)
