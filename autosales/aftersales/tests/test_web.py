import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from autosales.aftersales.choices import ServiceStatus
from autosales.aftersales.models import Complaint, FollowUpCall, Reminder, ServiceOrder
from autosales.core.identity import make_vin
from autosales.core.tests.factories import UserFactory
from autosales.inventory.models import Vehicle

from .factories import (
    ComplaintFactory,
    FollowUpCallFactory,
    ReminderFactory,
    ServiceJobFactory,
    ServiceOrderFactory,
    ServicePartFactory,
)

pytestmark = pytest.mark.django_db


def test_pages_open_for_an_advisor(client, advisor, customer, vehicle):
    order = ServiceOrderFactory(store=advisor.store, customer=customer, vehicle=vehicle, advisor=advisor)
    complaint = ComplaintFactory(store=advisor.store, customer=customer)
    client.force_login(advisor)
    for name, args in [
        ("web:service_home", []),
        ("web:service_order_list", []),
        ("web:service_order_create", []),
        ("web:service_order_detail", [order.pk]),
        ("web:reminder_due", []),
        ("web:reminder_list", []),
        ("web:follow_up_due", []),
        ("web:follow_up_list", []),
        ("web:complaint_list", []),
        ("web:complaint_create", []),
        ("web:complaint_detail", [complaint.pk]),
        ("web:customer_service_history", [customer.pk]),
        ("web:vehicle_service_history", [vehicle.pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name


def test_salesperson_cannot_open_the_service_pages(client, store):
    client.force_login(UserFactory(store=store))
    assert client.get(reverse("web:service_home")).status_code == 403
    assert client.get(reverse("web:service_order_create")).status_code == 403


def test_order_of_another_store_is_not_found(client, advisor):
    order = ServiceOrderFactory()
    client.force_login(advisor)
    assert client.get(reverse("web:service_order_detail", args=[order.pk])).status_code == 404
    response = client.post(reverse("web:service_order_action", args=[order.pk, "start"]))
    assert response.status_code == 404


def test_opening_by_unknown_vin_from_the_form(client, advisor, customer):
    vin = make_vin(random.Random(9))
    client.force_login(advisor)
    response = client.post(
        reverse("web:service_order_create"),
        {
            "customer": customer.pk,
            "vin": vin,
            "mileage_km": "42000",
            "kind": "repair",
            "vehicle_description": "Audi A4",
        },
    )
    order = ServiceOrder.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "web:service_order_detail", args=[order.pk]
    )
    assert Vehicle.objects.get(vin=vin).status == "external"


def test_lower_mileage_from_the_form_is_shown_on_the_field(client, advisor, customer, vehicle):
    ServiceOrderFactory(store=advisor.store, customer=customer, vehicle=vehicle, mileage_km=50000)
    client.force_login(advisor)
    response = client.post(
        reverse("web:service_order_create"),
        {"customer": customer.pk, "vin": vehicle.vin, "mileage_km": "100", "kind": "maintenance"},
    )
    assert response.status_code == 200
    assert "mileage_km" in response.context["form"].errors
    assert ServiceOrder.objects.count() == 1


def test_closing_with_unpaid_parts_shows_the_error_and_keeps_the_order(client, advisor, customer, vehicle):
    order = ServiceOrderFactory(
        store=advisor.store,
        customer=customer,
        vehicle=vehicle,
        status=ServiceStatus.READY,
        parts_revenue=Decimal("80"),
    )
    ServicePartFactory(service_order=order, part_number="BRK-7")
    client.force_login(advisor)
    response = client.post(reverse("web:service_order_action", args=[order.pk, "close"]), follow=True)
    assert "BRK-7" in response.content.decode()
    order.refresh_from_db()
    assert order.status == ServiceStatus.READY


def test_advisor_does_not_see_cost_on_the_order_page_but_manager_does(
    client, advisor, manager, customer, vehicle
):
    order = ServiceOrderFactory(store=advisor.store, customer=customer, vehicle=vehicle)
    ServiceJobFactory(service_order=order)
    client.force_login(advisor)
    assert (
        'id="gross-profit"'
        not in client.get(reverse("web:service_order_detail", args=[order.pk])).content.decode()
    )
    client.force_login(manager)
    assert (
        'id="gross-profit"'
        in client.get(reverse("web:service_order_detail", args=[order.pk])).content.decode()
    )


def test_survey_score_outside_1_to_5_is_refused_from_the_web(client, advisor):
    call = FollowUpCallFactory(service_order__store=advisor.store)
    client.force_login(advisor)
    response = client.post(
        reverse("web:follow_up_record", args=[call.pk]), {"status": "done", "score": "9"}, follow=True
    )
    assert "1 to 5" in response.content.decode()
    call.refresh_from_db()
    assert call.status == "due"


def test_low_score_from_the_web_opens_a_complaint(client, advisor):
    call = FollowUpCallFactory(service_order__store=advisor.store)
    client.force_login(advisor)
    response = client.post(
        reverse("web:follow_up_record", args=[call.pk]),
        {"status": "done", "score": "1", "outcome": "Late"},
        follow=True,
    )
    complaint = Complaint.objects.get(follow_up_call=call)
    assert f"no. {complaint.pk}" in response.content.decode()


def test_reminder_refusal_needs_a_reason_on_the_due_list(client, advisor):
    reminder = ReminderFactory(store=advisor.store, advisor=advisor)
    client.force_login(advisor)
    client.post(reverse("web:reminder_action", args=[reminder.pk, "refuse"]), {"reason": ""})
    reminder.refresh_from_db()
    assert reminder.status == "due"
    client.post(reverse("web:reminder_action", args=[reminder.pk, "refuse"]), {"reason": "Sold"})
    reminder.refresh_from_db()
    assert reminder.status == "refused"
    later = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    other = ReminderFactory(store=advisor.store, advisor=advisor)
    client.post(reverse("web:reminder_action", args=[other.pk, "postpone"]), {"postponed_to": later})
    assert Reminder.objects.get(pk=other.pk).status == "postponed"


def test_home_widget_shows_advisor_due_counts_and_manager_overdue_complaints(client, advisor, manager):
    ReminderFactory(store=advisor.store, advisor=advisor)
    FollowUpCallFactory(service_order__store=advisor.store, service_order__advisor=advisor, caller=advisor)
    overdue = ComplaintFactory(
        store=advisor.store, due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(advisor)
    page = client.get(reverse("web:home")).content.decode()
    assert 'id="widget-due-reminders"' in page and 'id="widget-due-calls"' in page
    client.force_login(manager)
    page = client.get(reverse("web:home")).content.decode()
    assert reverse("web:complaint_detail", args=[overdue.pk]) in page


def test_service_order_list_query_count_does_not_grow_with_rows(client, manager, store):
    ServiceOrderFactory.create_batch(3, store=store)
    client.force_login(manager)
    url = reverse("web:service_order_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ServiceOrderFactory.create_batch(12, store=store)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_follow_up_due_page_lists_calls(client, advisor):
    call = FollowUpCallFactory(service_order__store=advisor.store)
    client.force_login(advisor)
    page = client.get(reverse("web:follow_up_due")).content.decode()
    assert f'id="call-{call.pk}"' in page
    assert FollowUpCall.objects.count() == 1


def test_vehicle_sold_by_another_store_and_serviced_here_has_an_open_history(client, advisor, customer):
    from .factories import DeliveredVehicleFactory

    elsewhere = DeliveredVehicleFactory()  # registered at another store of the group
    ServiceOrderFactory(store=advisor.store, customer=customer, vehicle=elsewhere)
    unrelated = DeliveredVehicleFactory()
    client.force_login(advisor)
    assert client.get(reverse("web:vehicle_service_history", args=[elsewhere.pk])).status_code == 200
    assert client.get(reverse("web:vehicle_service_history", args=[unrelated.pk])).status_code == 404


def test_customer_page_panel_offers_service_actions_only_to_roles_that_may_write(client, advisor, store):
    from autosales.parties.tests.factories import CustomerFactory

    salesperson = UserFactory(store=store)
    customer = CustomerFactory(store=store, owner=salesperson)
    open_url = reverse("web:service_order_create")
    client.force_login(advisor)
    page = client.get(reverse("web:customer_detail", args=[customer.pk])).content.decode()
    assert 'id="customer-service-panel"' in page and open_url in page
    client.force_login(salesperson)
    page = client.get(reverse("web:customer_detail", args=[customer.pk])).content.decode()
    assert 'id="customer-service-panel"' in page and open_url not in page


def test_admin_complaint_form_does_not_list_every_follow_up_call(client):
    FollowUpCallFactory.create_batch(5)
    client.force_login(
        UserFactory(username="qa_admin", role="admin", store=None, is_staff=True, is_superuser=True)
    )
    client.get(reverse("admin:aftersales_complaint_add"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("admin:aftersales_complaint_add")).status_code == 200
    FollowUpCallFactory.create_batch(10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("admin:aftersales_complaint_add")).status_code == 200
    assert len(many) == len(few)
