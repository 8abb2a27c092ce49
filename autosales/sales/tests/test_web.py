import datetime
import functools
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from autosales.core.exceptions import DomainError
from autosales.sales import services
from autosales.sales.choices import PDI_ITEMS, OrderStatus
from autosales.sales.models import Activity, Delivery, Lead, Order, Quote

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_web_walk_from_lead_to_delivery(store, salesperson, manager, finance, customer, vehicle):
    sp, mgr, fin = client_for(salesperson), client_for(manager), client_for(finance)
    r = sp.post(
        reverse("web:lead_create"),
        {
            "customer": customer.pk,
            "store": store.pk,
            "source": "walk_in",
            "quantity": 1,
            "expected_value": "200000",
        },
    )
    assert r.status_code == 302, r.context["form"].errors
    lead = Lead.objects.get()
    page = sp.get(reverse("web:lead_detail", args=[lead.pk]))
    assert page.status_code == 200 and "log-button-call" in page.content.decode()
    follow = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    sp.post(
        reverse("web:lead_action", args=[lead.pk, "log"]),
        {"kind": "call", "call-kind": "call", "call-notes": "price?", "call-next_follow_up": follow},
    )
    lead.refresh_from_db()
    assert lead.stage == "contacted" and lead.next_follow_up.isoformat() == follow
    r = sp.get(reverse("web:quote_create") + f"?lead={lead.pk}")
    quote = Quote.objects.get()
    assert r.status_code == 302
    sp.post(
        reverse("web:quote_action", args=[quote.pk, "add_line"]),
        {"kind": "vehicle", "vin": vehicle.vin, "quantity": 1, "unit_discount": "6000"},
    )
    page = sp.get(reverse("web:quote_detail", args=[quote.pk]))
    assert page.status_code == 200
    assert vehicle.vin in page.content.decode()
    assert "quote-gross-profit" not in page.content.decode()  # no cost for a salesperson
    sp.post(reverse("web:quote_action", args=[quote.pk, "submit"]))
    quote.refresh_from_db()
    assert quote.status == "pending_approval"
    approvals = mgr.get(reverse("web:approval_list")).content.decode()
    assert quote.number in approvals
    page = mgr.get(reverse("web:quote_detail", args=[quote.pk])).content.decode()
    assert "approve-quote" in page and "quote-gross-profit" in page
    mgr.post(reverse("web:quote_action", args=[quote.pk, "approve"]), {"reason": "good customer"})
    sp.post(reverse("web:quote_action", args=[quote.pk, "accept"]))
    r = sp.post(reverse("web:quote_action", args=[quote.pk, "order"]))
    order = Order.objects.get()
    assert r.url == reverse("web:order_detail", args=[order.pk])
    sp.post(reverse("web:order_action", args=[order.pk, "confirm"]))
    r = fin.post(
        reverse("web:order_action", args=[order.pk, "pay"]),
        {"kind": "deposit", "amount": "999999"},
        follow=True,
    )
    assert "exceeds the balance due" in r.content.decode()
    fin.post(reverse("web:order_action", args=[order.pk, "pay"]), {"kind": "deposit", "amount": "194000"})
    sp.post(reverse("web:order_action", args=[order.pk, "allocate"]), {"vin": vehicle.vin})
    sp.post(reverse("web:order_action", args=[order.pk, "schedule"]))
    delivery = Delivery.objects.get()
    sp.post(reverse("web:delivery_action", args=[delivery.pk, "pdi"]), {"pdi": [k for k, _l in PDI_ITEMS]})
    sp.post(reverse("web:delivery_action", args=[delivery.pk, "complete"]))
    order.refresh_from_db()
    assert order.status == "delivered"
    assert sp.get(reverse("web:order_detail", args=[order.pk])).status_code == 200


def test_sales_pages_render_for_each_role(store, salesperson, manager, finance, lead, customer):
    for user in (salesperson, manager, finance):
        client = client_for(user)
        for name in (
            "web:follow_ups",
            "web:pipeline",
            "web:lost_requests",
            "web:approval_list",
            "web:performance",
            "web:home",
        ):
            assert client.get(reverse(name)).status_code == 200, (user.role, name)
    for name in ("web:lead_list", "web:quote_list", "web:order_list"):
        assert client_for(manager).get(reverse(name)).status_code == 200


def test_customer_panel_lists_leads_and_offers_quick_logging(rf, salesperson, lead, customer):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = salesperson
    html = render_to_string("web/sales/panels/customer_sales.html", {"customer": customer}, request=request)
    assert f"#{lead.pk}" in html
    assert reverse("web:customer_log_activity", args=[customer.pk]) in html


def test_customer_panel_offers_no_sales_links_the_role_could_not_open(store, customer, finance):
    from autosales.core.tests.factories import UserFactory

    advisor = UserFactory(aftersales=True, store=store)
    page = client_for(advisor).get(reverse("web:customer_detail", args=[customer.pk])).content.decode()
    for name in ("web:lead_create", "web:quote_create"):
        assert reverse(name) not in page
    log_url = reverse("web:customer_log_activity", args=[customer.pk])
    assert log_url in page
    assert (
        log_url
        not in client_for(finance).get(reverse("web:customer_detail", args=[customer.pk])).content.decode()
    )


def test_sales_pages_of_finance_hold_no_links_to_leads(finance, salesperson, quote_with_vehicle):
    page = client_for(finance).get(reverse("web:quote_list")).content.decode()
    assert reverse("web:order_list") in page
    for name in ("web:lead_list", "web:follow_ups", "web:pipeline", "web:lost_requests"):
        assert f'href="{reverse(name)}"' not in page, name
    lead_url = reverse("web:lead_detail", args=[quote_with_vehicle.lead_id])
    detail = reverse("web:quote_detail", args=[quote_with_vehicle.pk])
    assert lead_url not in client_for(finance).get(detail).content.decode()
    assert lead_url in client_for(salesperson).get(detail).content.decode()


def test_quick_log_from_the_customer_page_creates_a_follow_up_task(salesperson, customer):
    day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client_for(salesperson).post(
        reverse("web:customer_log_activity", args=[customer.pk]),
        {
            "kind": "visit",
            "visit-kind": "visit",
            "visit-notes": "came in",
            "visit-next_follow_up": day,
            "call-kind": "call",
        },
    )
    assert Activity.objects.filter(kind="visit", customer=customer).exists()
    assert Activity.objects.filter(kind="follow_up", due_date=day).exists()


def test_manager_sets_a_target_and_sees_achievement(manager, salesperson, store):
    month = timezone.localdate().replace(day=1)
    r = client_for(manager).post(
        reverse("web:performance"),
        {
            "store": store.pk,
            "salesperson": salesperson.pk,
            "month": month.isoformat(),
            "units": 4,
            "revenue": "800000",
        },
    )
    assert r.status_code == 302
    from autosales.sales.models import SalesTarget

    assert SalesTarget.objects.get().revenue == Decimal("800000.00")


def test_a_salesperson_cannot_open_another_salespersons_lead(store, lead):
    from autosales.core.tests.factories import UserFactory

    other = UserFactory(username="sp_other", store=store)
    assert client_for(other).get(reverse("web:lead_detail", args=[lead.pk])).status_code == 404


def test_policy_page_names_fuel_types_and_shows_rates_as_percentages(manager):
    from autosales.sales.models import TaxRule

    TaxRule.objects.create(
        name="NEV halved",
        valid_from=datetime.date(2026, 1, 1),
        fuel_types=["electric", "phev"],
        purchase_tax_rate=Decimal("0.1"),
    )
    page = client_for(manager).get(reverse("web:policy")).content.decode()
    assert "Electric, Plug-in hybrid" in page
    assert "electric, phev" not in page
    assert "10.00%" in page


def test_finance_is_offered_no_delivery_steps_and_may_not_schedule_one(
    finance, salesperson, confirmed_order, vehicle
):
    client_for(finance).post(
        reverse("web:order_action", args=[confirmed_order.pk, "pay"]), {"kind": "deposit", "amount": "5000"}
    )
    client_for(salesperson).post(
        reverse("web:order_action", args=[confirmed_order.pk, "allocate"]), {"vin": vehicle.vin}
    )
    schedule = reverse("web:order_action", args=[confirmed_order.pk, "schedule"])
    detail = reverse("web:order_detail", args=[confirmed_order.pk])
    assert schedule in client_for(salesperson).get(detail).content.decode()
    assert schedule not in client_for(finance).get(detail).content.decode()
    allocation = confirmed_order.allocations.get()
    assert client_for(finance).post(schedule, {"allocation": allocation.pk}).status_code == 403
    assert not Delivery.objects.exists()


def test_finance_records_money_but_does_not_move_the_order_along(
    finance, salesperson, manager, confirmed_order, vehicle
):
    detail = reverse("web:order_detail", args=[confirmed_order.pk])
    action = functools.partial(reverse, "web:order_action")
    client_for(finance).post(action(args=[confirmed_order.pk, "pay"]), {"kind": "deposit", "amount": "5000"})
    confirmed_order.refresh_from_db()
    assert confirmed_order.status == OrderStatus.DEPOSIT_PAID
    finance_page = client_for(finance).get(detail).content.decode()
    assert action(args=[confirmed_order.pk, "pay"]) in finance_page
    for step in ("allocate", "cancel", "close"):
        assert action(args=[confirmed_order.pk, step]) not in finance_page, step
    assert (
        action(args=[confirmed_order.pk, "allocate"]) in client_for(salesperson).get(detail).content.decode()
    )
    with pytest.raises(DomainError) as refused:
        services.order_allocate_vehicle(order=confirmed_order, vehicle=vehicle, actor=finance)
    assert refused.value.code == "not_sales"
    with pytest.raises(DomainError):
        services.order_cancel(order=confirmed_order, actor=finance, reason="客户改主意")
    client_for(finance).post(action(args=[confirmed_order.pk, "cancel"]), {"reason": "客户改主意"})
    confirmed_order.refresh_from_db()
    assert confirmed_order.status == OrderStatus.DEPOSIT_PAID
    services.order_allocate_vehicle(order=confirmed_order, vehicle=vehicle, actor=salesperson)
    assert confirmed_order.allocations.count() == 1
