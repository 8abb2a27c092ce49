import csv
import io
import random

import pytest

from autosales.core.identity import make_credit_code
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.choices import FuelType
from autosales.inventory.tests.factories import TrimFactory, VehicleFactory
from autosales.parties.models import Customer
from autosales.parties.tests.factories import CustomerFactory
from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def showroom():
    store = StoreFactory(code="SH01", name="上海一店")
    manager = UserFactory(username="manager.sh01", store=store, manager=True)
    electric = VehicleFactory(store=store, trim=TrimFactory(fuel_type=FuelType.ELECTRIC))
    petrol = VehicleFactory(store=store, trim=TrimFactory(fuel_type=FuelType.PETROL))
    return {"store": store, "manager": manager, "electric": electric, "petrol": petrol}


def test_manager_switches_language_creates_company_searches_filters_and_exports(page, showroom):
    manager = showroom["manager"]
    login(page, manager)
    assert page.locator("html").get_attribute("lang") == "en"
    page.wait_for_selector("#widget-stock-age .chart svg")
    assert page.locator("#widget-stock-age .chart svg").count() == 1

    # Language switch: remembered on the user.
    page.click("#language-menu")
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    manager.refresh_from_db()
    assert manager.language == "zh-hans"
    page.click("#language-menu")
    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")

    # A company with a wrong credit code, then the right one.
    page.goto("/customers/add/")
    page.check("input[name=kind][value=company]")
    page.fill("input[name=name]", "上海星辰租车有限公司")
    page.fill("input[name=credit_code]", "91310000ABCDEFGH12")
    page.click("form.object-form button[type=submit]")
    error = page.locator("#field-credit_code .field-error")
    error.wait_for()
    assert error.inner_text().strip()
    assert not Customer.objects.exists()
    good_code = make_credit_code(random.Random(5))
    page.fill("input[name=credit_code]", good_code)
    page.click("form.object-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("#object-title").inner_text() == "上海星辰租车有限公司"
    assert Customer.objects.get().credit_code == good_code

    # Global search finds it.
    page.fill("#global-search", "星辰租车")
    page.press("#global-search", "Enter")
    page.wait_for_selector("#search-customers")
    assert "上海星辰租车有限公司" in page.locator("#search-customers").inner_text()

    # Filter the vehicle list by fuel type.
    page.goto("/stock/")
    table = page.locator("#results-table")
    assert showroom["petrol"].vin in table.inner_text()
    page.select_option("#id_fuel_type", "electric")
    page.wait_for_function(
        "vin => !document.querySelector('#results-table').innerText.includes(vin)", arg=showroom["petrol"].vin
    )
    assert showroom["electric"].vin in page.locator("#results-table").inner_text()
    assert "fuel_type=electric" in page.url

    # Export what the list shows.
    with page.expect_download() as download_info:
        page.click("#export-csv")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert [row[0] for row in rows[1:]] == [showroom["electric"].vin]


def test_pages_fit_a_375px_phone_without_horizontal_scroll(phone_page, showroom):
    customer = CustomerFactory(store=showroom["store"], company=True)
    login(phone_page, showroom["manager"])
    assert phone_page.locator(".navbar-toggler").is_visible()
    assert not phone_page.locator("#main-nav").is_visible()
    for url in [
        "/",
        "/customers/",
        f"/customers/{customer.pk}/",
        "/customers/add/",
        "/stock/",
        f"/stock/{showroom['electric'].pk}/",
        "/stock/catalogue/",
        "/search/?q=" + customer.name[:4],
    ]:
        phone_page.goto(url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (url, width)
    phone_page.click(".navbar-toggler")
    phone_page.wait_for_selector("#main-nav.show")
    assert phone_page.locator("#global-search").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


def test_anonymous_visitor_is_sent_to_login_in_the_browsers_language(browser, live_server):
    from conftest import new_page

    page = new_page(browser, live_server, locale="zh-CN")
    try:
        page.goto("/stock/")
        assert "/login/" in page.url
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.locator("link[rel=manifest]").count() == 1
    finally:
        page.context.close()
