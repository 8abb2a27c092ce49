from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from autosales.core.tests.factories import StoreFactory
from autosales.exchange.services import exchange_import
from autosales.inventory.tests.factories import ColourFactory, TrimFactory
from autosales.parties.models import Customer
from autosales.sales.models import Order

pytestmark = pytest.mark.django_db
EXAMPLES = Path(settings.BASE_DIR) / "examples"


@pytest.fixture
def catalogue():
    StoreFactory(code="SH01")
    for code in ("BYD-QINP-DMI55", "BYD-QINP-DMI120", "BYD-HAN-EV605"):
        TrimFactory(code=code)
    for name in ("珍珠白", "曜石黑", "星际灰"):
        ColourFactory(name=name)


def test_example_files_import_cleanly_and_again_without_changes(catalogue):
    files = [
        ("customers", "customers.csv"),
        ("customers", "customers_gbk.csv"),
        ("vehicles", "vehicles.xlsx"),
        ("orders", "orders.csv"),
    ]
    for entity, name in files:
        report = exchange_import(entity=entity, data=(EXAMPLES / name).read_bytes(), filename=name)
        assert report.committed and not report.errors, (name, report.errors)
    assert Customer.objects.get(name="陈静").kind == "person"
    assert Customer.objects.get(name="上海城建工程有限公司").kind == "company"
    # The last order's customer was not in the customer files: it comes from the order's own columns.
    assert Order.objects.get(number="HIST-2024-0003").customer.name == "周敏"
    fleet = Order.objects.get(number="HIST-2023-0002")
    assert fleet.status == "closed" and fleet.lines.count() == 3
    assert fleet.total == (Decimal("79800") - Decimal("3800")) * 10
    for entity, name in files:
        report = exchange_import(entity=entity, data=(EXAMPLES / name).read_bytes(), filename=name)
        assert report.counts["created"] == report.counts["updated"] == 0, name
