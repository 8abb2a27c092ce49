"""After-sales settings: complaint due days, the low follow-up score and follow-up call days."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from autosales.aftersales.choices import FollowUpKind, Severity
from autosales.aftersales.models import AfterSalesSettings, Complaint, FollowUpCall
from autosales.aftersales.services import (
    aftersales_settings_update,
    complaint_open,
    follow_up_record,
    followups_for_delivery,
)
from autosales.core.choices import Role
from autosales.core.events import events_for
from autosales.core.tests.factories import UserFactory
from autosales.sales.choices import OrderStatus
from autosales.sales.tests.factories import OrderFactory, OrderLineFactory

from .factories import FollowUpCallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def general_manager():
    return UserFactory(role=Role.GENERAL_MANAGER, store=None)


def change(actor, **data):
    return aftersales_settings_update(actor=actor, **data)


def test_defaults_are_the_usual_rules():
    rules = AfterSalesSettings.current()
    assert [
        rules.complaint_days(s) for s in (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)
    ] == [
        1,
        3,
        7,
        14,
    ]
    assert rules.low_score_threshold == 2
    assert [rules.follow_up_days(k) for k in FollowUpKind.values] == [3, 30, 3]
    assert AfterSalesSettings.objects.count() == 1
    assert AfterSalesSettings.current().pk == rules.pk


def test_complaint_due_days_follow_the_settings(general_manager, advisor, customer):
    change(general_manager, complaint_days_high=2, complaint_days_medium=5)
    complaint = complaint_open(
        customer=customer,
        category="service_quality",
        description="Late",
        actor=advisor,
        severity=Severity.MEDIUM,
    )
    assert complaint.due_date == timezone.localdate() + datetime.timedelta(days=5)
    assert [e.action for e in events_for(AfterSalesSettings.current())] == ["updated"]


def test_low_score_threshold_follows_the_settings(general_manager, advisor):
    call = FollowUpCallFactory()
    follow_up_record(call=call, score=3, outcome="So-so", actor=advisor)
    assert not Complaint.objects.exists()
    change(general_manager, low_score_threshold=3)
    second = FollowUpCallFactory()
    follow_up_record(call=second, score=3, outcome="So-so", actor=advisor)
    assert Complaint.objects.get().follow_up_call == second


def test_follow_up_call_days_follow_the_settings(general_manager, store, customer, vehicle, advisor):
    change(general_manager, delivery_first_call_days=2, delivery_second_call_days=14)
    order = OrderFactory(store=store, customer=customer, status=OrderStatus.DELIVERED)
    OrderLineFactory(order=order, vehicle=vehicle, trim=vehicle.trim)
    day = datetime.date(2026, 11, 20)
    followups_for_delivery(order=order, delivered_on=day, actor=advisor)
    assert sorted(FollowUpCall.objects.values_list("due_date", flat=True)) == [
        datetime.date(2026, 11, 22),
        datetime.date(2026, 12, 4),
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"complaint_days_high": 10}, "complaint_days_medium"),
        ({"complaint_days_critical": 0}, "complaint_days_critical"),
        ({"low_score_threshold": 5}, "low_score_threshold"),
        ({"delivery_second_call_days": 3}, "delivery_second_call_days"),
        ({"service_call_days": 400}, "service_call_days"),
    ],
)
def test_inconsistent_settings_are_refused_and_nothing_changes(general_manager, data, field):
    with pytest.raises(ValidationError) as info:
        change(general_manager, **data)
    assert field in info.value.message_dict
    stored = AfterSalesSettings.objects.get()
    assert (stored.complaint_days_high, stored.low_score_threshold, stored.delivery_second_call_days) == (
        3,
        2,
        30,
    )


def test_web_page_lets_a_general_manager_change_and_others_only_read(client, general_manager, advisor):
    client.force_login(advisor)
    page = client.get("/service/settings/")
    assert page.status_code == 200
    assert b"disabled" in page.content
    assert client.post("/service/settings/", {"low_score_threshold": 3}).status_code == 403
    client.force_login(general_manager)
    form = {
        "complaint_days_critical": 1,
        "complaint_days_high": 2,
        "complaint_days_medium": 7,
        "complaint_days_low": 10,
        "low_score_threshold": 3,
        "delivery_first_call_days": 3,
        "delivery_second_call_days": 30,
        "service_call_days": 2,
    }
    assert client.post("/service/settings/", form).status_code == 302
    stored = AfterSalesSettings.current()
    assert (stored.complaint_days_high, stored.low_score_threshold, stored.service_call_days) == (2, 3, 2)
    bad = client.post("/service/settings/", {**form, "complaint_days_low": 1}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 200
    assert "投诉" in bad.content.decode()
    assert AfterSalesSettings.current().complaint_days_low == 10


def test_salesperson_may_not_open_the_settings(client, store):
    client.force_login(UserFactory(role=Role.SALESPERSON, store=store))
    assert client.get("/service/settings/").status_code == 403


def test_api_reads_and_changes_the_settings(general_manager, advisor):
    def api(user):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    assert api(advisor).get("/api/v1/service-settings/").json()["complaint_days_low"] == 14
    assert (
        api(advisor).patch("/api/v1/service-settings/", {"complaint_days_low": 9}, format="json").status_code
        == 403
    )
    answer = api(general_manager).patch("/api/v1/service-settings/", {"complaint_days_low": 9}, format="json")
    assert answer.status_code == 200
    assert answer.json()["complaint_days_low"] == 9
    refused = api(general_manager).patch(
        "/api/v1/service-settings/", {"complaint_days_low": 2}, format="json"
    )
    assert refused.status_code == 400
    assert "complaint_days_low" in refused.json()
    assert AfterSalesSettings.current().complaint_days_low == 9
