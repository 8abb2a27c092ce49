"""A real browser from opening a service order to its follow-up call (headless Debian Chromium)."""

import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from autosales.aftersales.models import FollowUpCall, ServiceOrder
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.parties.tests.factories import CustomerFactory

from .factories import DeliveredVehicleFactory

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "Secret-pass-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian chromium"),
]


@pytest.fixture
def service_page(browser, live_server):
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(30000)
    yield page
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_service_order_from_opening_to_its_follow_up_call(service_page):
    page = service_page
    store = StoreFactory(code="SH01")
    advisor = UserFactory(username="advisor", aftersales=True, store=store, language="en")
    customer = CustomerFactory(store=store, name="Wang Fang")
    vehicle = DeliveredVehicleFactory(store=store)

    page.goto(reverse("web:login"))
    page.fill("#id_username", advisor.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#logout-button", state="attached")

    page.goto(reverse("web:service_order_create"))
    page.select_option("#id_customer", str(customer.pk))
    page.fill("#id_vin", vehicle.vin)
    page.fill("#id_mileage_km", "12000")
    page.fill("#id_complaint_text", "10,000 km service")
    page.click("form.object-form button[type=submit]")
    page.wait_for_selector("#order-status")
    order = ServiceOrder.objects.get()
    assert page.text_content("#order-status").strip() == "Open"

    page.fill("#job_description", "Oil change")
    page.fill("#job_labour_hours", "1.5")
    page.fill("#job_labour_rate", "200")
    page.fill("#job_cost_rate", "80")
    page.click("#add-job")
    page.wait_for_selector("#jobs >> text=Oil change")
    page.fill("#part_part_number", "OF-1")
    page.fill("#part_name", "Oil filter")
    page.fill("#part_unit_cost", "40")
    page.fill("#part_unit_price", "90")
    page.click("#add-part")
    page.wait_for_selector("#parts >> text=Oil filter")
    assert "390.00" in page.text_content("#revenue")

    page.click("#start-button")
    page.wait_for_selector("#ready-button")
    page.click("#ready-button")
    page.wait_for_selector("#close-button")
    # Closing before payment is refused with the unpaid part named.
    page.click("#close-button")
    page.wait_for_selector(".alert-danger >> text=OF-1")
    assert page.text_content("#order-status").strip() == "Ready for pick-up"

    page.fill("#pay-amount", "390.00")
    page.click("#pay-button")
    page.wait_for_selector(".alert-success")
    page.click("#close-button")
    page.wait_for_selector("#calls >> text=Service, day 3")
    assert page.text_content("#order-status").strip() == "Closed (paid)"
    order.refresh_from_db()
    assert order.status == "closed"

    # Three days later the call is on the advisor's list.
    call = FollowUpCall.objects.get(service_order=order)
    FollowUpCall.objects.filter(pk=call.pk).update(due_date=timezone.localdate())
    page.goto(reverse("web:follow_up_due"))
    page.select_option(f"#score-{call.pk}", "5")
    page.fill(f"#outcome-{call.pk}", "Very happy")
    page.click(f"#record-{call.pk}")
    page.wait_for_selector(".alert-success")
    assert page.locator(f"#call-{call.pk}").count() == 0
    call.refresh_from_db()
    assert (call.status, call.score, call.outcome, call.caller) == ("done", 5, "Very happy", advisor)

    page.goto(reverse("web:customer_service_history", args=[customer.pk]))
    assert order.number in page.text_content("#services")
    assert "5/5" in page.text_content("#calls")
