"""A real browser walks a lead to a delivered car, with a manager approving the discount."""

import shutil
from decimal import Decimal

import pytest
from django.urls import reverse

from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.tests.factories import TrimFactory, VehicleFactory
from autosales.sales.models import ApprovalRule, Lead, Order, Quote

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
def browser(browser, live_server):
    """``browser(user)`` opens a phone-sized page signed in as ``user`` (the session's chromium)."""
    contexts = []

    def open_as(user):
        # A phone-sized window: the showroom floor works on phones.
        context = browser.new_context(
            locale="en-US", base_url=live_server.url, viewport={"width": 390, "height": 844}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30000)
        page.goto(reverse("web:login"))
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lead_to_delivery_with_a_manager_approving_the_discount(browser):
    # The approval matrix this walk relies on, whatever earlier tests left in the database.
    for role, rate, below in (
        ("salesperson", "0.0200", False),
        ("sales_manager", "0.0500", False),
        ("general_manager", "1.0000", True),
    ):
        ApprovalRule.objects.update_or_create(
            role=role,
            defaults={
                "max_discount_rate": Decimal(rate),
                "max_discount_amount": None,
                "may_go_below_floor": below,
            },
        )
    store = StoreFactory(code="SH01", name="上海浦东店")
    seller = UserFactory(username="seller", store=store, language="en")
    boss = UserFactory(username="boss", store=store, manager=True, language="en")
    cashier = UserFactory(username="cashier", store=store, finance=True, language="en")
    trim = TrimFactory()
    vehicle = VehicleFactory(trim=trim, store=store)

    sp = browser(seller)
    sp.goto(reverse("web:lead_create"))
    sp.fill("#id_customer_name", "赵小龙")
    sp.fill("#id_mobile", "13912345678")
    sp.select_option("#id_interested_trim", str(trim.pk))
    sp.click("form.object-form button[type=submit]")
    sp.wait_for_selector("#lead-stage")
    lead = Lead.objects.get()
    assert lead.owner == seller

    # Logging a call: tap "Call", tap "Save".
    sp.click("#log-button-call")
    sp.wait_for_selector("#log-call.collapse.show")  # opened, not still sliding open
    sp.click("#log-save-call")
    sp.wait_for_selector("#lead-stage >> text=Contacted")

    sp.click("#new-quote")
    sp.wait_for_selector("#quote-status")
    sp.select_option("#id_kind", "vehicle")
    sp.fill("#id_vin", vehicle.vin)
    sp.fill("#id_unit_discount", "6000")
    sp.click("#add-line")
    sp.wait_for_selector(f"#quote-lines >> text={vehicle.vin}")
    sp.click("#submit-quote")
    sp.wait_for_selector("#quote-status >> text=Pending approval")
    quote = Quote.objects.get()

    mgr = browser(boss)
    mgr.goto(reverse("web:approval_list"))
    mgr.click(f"#approval-rows >> text={quote.number}")
    mgr.wait_for_selector("#approval-box")
    assert "¥6,000.00" in mgr.text_content("#approval-discount")
    mgr.fill("#decision-reason", "returning family, keep them")
    mgr.click("#approve-quote")
    mgr.wait_for_selector("#quote-status >> text=Approved")

    sp.reload()
    sp.click("#accept-quote")
    sp.wait_for_selector("#quote-status >> text=Accepted")
    sp.click("#create-order")
    sp.wait_for_selector("#order-status")
    sp.click("#confirm-order")
    sp.wait_for_selector("#order-status >> text=Confirmed")
    order = Order.objects.get()

    fin = browser(cashier)
    fin.goto(reverse("web:order_detail", args=[order.pk]))
    fin.select_option("#payment-kind", "deposit")
    fin.fill("#payment-amount", "194000")
    fin.click("#record-payment")
    fin.wait_for_selector("#order-status >> text=Paid in full")

    sp.reload()
    sp.fill("#allocate-vin", vehicle.vin)
    sp.click("#allocate-button")
    sp.wait_for_selector(f"#allocations >> text={vehicle.vin}")
    sp.click("#schedule-delivery")
    delivery_card = sp.wait_for_selector("[id^=delivery-]")
    delivery_id = delivery_card.get_attribute("id").split("-")[1]
    for box in sp.query_selector_all(".pdi-item"):
        box.check()
    sp.click(f"#save-pdi-{delivery_id}")
    sp.click(f"#handover-{delivery_id}")
    sp.wait_for_selector("#order-status >> text=Delivered")
    order.refresh_from_db()
    vehicle.refresh_from_db()
    assert order.status == "delivered" and vehicle.status == "delivered"
