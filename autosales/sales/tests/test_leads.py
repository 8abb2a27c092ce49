import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from autosales.core.exceptions import DomainError
from autosales.core.identity import make_credit_code
from autosales.core.models import Event
from autosales.core.tests.factories import UserFactory
from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.models import Customer
from autosales.sales import selectors, services
from autosales.sales.choices import ActivityKind, LeadStage, LostRequestStatus
from autosales.sales.models import Activity, Lead, LeadStageSetting

pytestmark = pytest.mark.django_db


def test_new_leads_are_assigned_round_robin_within_the_store(store, manager):
    a = UserFactory(username="rr_a", store=store)
    b = UserFactory(username="rr_b", store=store)
    owners = [
        services.lead_create(
            actor=manager, store=store, customer_data={"name": f"客户{i}", "mobile": f"1380013800{i}"}
        ).owner
        for i in range(4)
    ]
    assert owners == [a, b, a, b]


def test_a_lead_of_a_known_customer_goes_to_the_customers_owner(store, manager, customer, salesperson):
    UserFactory(username="other_sp", store=store)
    lead = services.lead_create(
        actor=manager, store=store, customer_data={"name": "x", "mobile": customer.mobile}
    )
    assert lead.customer == customer
    assert lead.owner == salesperson


def test_duplicate_lead_for_same_mobile_is_refused_naming_the_existing_lead(store, manager, lead, customer):
    with pytest.raises(DomainError) as exc:
        services.lead_create(
            actor=manager, store=store, customer_data={"name": "王", "mobile": customer.mobile}
        )
    assert f"no. {lead.pk}" in str(exc.value)
    assert Lead.objects.count() == 1


def test_duplicate_company_lead_is_merged_when_asked(store, manager):
    code = make_credit_code(__import__("random").Random(5))
    data = {"kind": "company", "name": "上海顺达物流有限公司", "credit_code": code}
    first = services.lead_create(actor=manager, store=store, customer_data=data, quantity=5)
    merged = services.lead_create(
        actor=manager,
        store=store,
        customer_data={**data, "credit_code": ""},
        quantity=8,
        notes="tender for 8 vans",
        on_duplicate="merge",
    )
    assert merged.pk == first.pk
    assert merged.quantity == 8
    assert "tender for 8 vans" in merged.notes
    assert Customer.objects.filter(kind="company").count() == 1


def test_stage_change_takes_the_managers_probability_and_records_an_event(lead, salesperson, manager):
    services.stage_probability_set(stage=LeadStage.CONTACTED, probability=25, actor=manager)
    services.lead_stage_change(lead=lead, stage=LeadStage.CONTACTED, actor=salesperson)
    lead.refresh_from_db()
    assert (lead.stage, lead.probability) == ("contacted", 25)
    assert Event.objects.filter(
        action="stage_changed", object_id=lead.pk, from_state="new", to_state="contacted"
    ).exists()


def test_salesperson_cannot_change_stage_probabilities(salesperson):
    with pytest.raises(DomainError):
        services.stage_probability_set(stage=LeadStage.NEW, probability=50, actor=salesperson)
    assert LeadStageSetting.objects.get(stage="new").probability == 10


def test_illegal_stage_transition_is_refused_and_changes_nothing(lead, salesperson):
    with pytest.raises(DomainError) as exc:
        services.lead_stage_change(lead=lead, stage=LeadStage.WON, actor=salesperson)
    assert "cannot become" in str(exc.value)
    lead.refresh_from_db()
    assert lead.stage == LeadStage.NEW


def test_logging_a_call_sets_the_follow_up_and_marks_the_lead_contacted(lead, salesperson):
    day = timezone.localdate() + datetime.timedelta(days=2)
    services.activity_log(
        actor=salesperson, lead=lead, kind=ActivityKind.CALL, notes="asked for price", next_follow_up=day
    )
    lead.refresh_from_db()
    assert lead.stage == LeadStage.CONTACTED
    assert lead.next_follow_up == day


def test_a_test_drive_records_vehicle_licence_and_feedback(lead, salesperson, store):
    demo = VehicleFactory(store=store, is_demo=True)
    activity = services.activity_log(
        actor=salesperson,
        lead=lead,
        kind=ActivityKind.TEST_DRIVE,
        vehicle=demo,
        licence_number="310101199001011234",
        feedback="quiet cabin",
    )
    lead.refresh_from_db()
    assert activity.vehicle == demo and activity.feedback == "quiet cabin"
    assert lead.stage == LeadStage.TEST_DRIVE


def test_a_test_drive_without_licence_is_refused(lead, salesperson, store):
    demo = VehicleFactory(store=store, is_demo=True)
    with pytest.raises(ValidationError):
        services.activity_log(actor=salesperson, lead=lead, kind=ActivityKind.TEST_DRIVE, vehicle=demo)
    assert not Activity.objects.exists()


def test_follow_ups_today_and_overdue(lead, salesperson, customer):
    today = timezone.localdate()
    Lead.objects.filter(pk=lead.pk).update(next_follow_up=today - datetime.timedelta(days=1))
    services.activity_log(actor=salesperson, customer=customer, kind=ActivityKind.VISIT, next_follow_up=today)
    lists = selectors.follow_ups(
        leads=Lead.objects.filter(owner=salesperson), activities=Activity.objects.filter(user=salesperson)
    )
    assert lists["overdue"] == [lead]
    assert [t.due_date for t in lists["tasks_today"]] == [today]


def test_lost_request_approved_by_manager_closes_the_lead(lead, salesperson, manager):
    services.lead_lost_request(lead=lead, actor=salesperson, reason="competitor", note="bought a BYD")
    services.lead_lost_approve(lead=lead, actor=manager)
    lead.refresh_from_db()
    assert lead.stage == LeadStage.LOST
    assert lead.lost_request == LostRequestStatus.APPROVED
    assert lead.closed_at is not None
    report = selectors.lost_reasons(Lead.objects.all())
    assert report[0]["lost_reason"] == "competitor" and report[0]["leads"] == 1


def test_lost_request_sent_back_keeps_the_lead_open(lead, salesperson, manager):
    services.lead_lost_request(lead=lead, actor=salesperson, reason="price")
    services.lead_lost_return(lead=lead, actor=manager, note="offer the 0% loan first")
    lead.refresh_from_db()
    assert lead.stage == LeadStage.NEW
    assert lead.lost_request == LostRequestStatus.RETURNED
    assert Event.objects.filter(action="lost_returned", reason="offer the 0% loan first").exists()


def test_salesperson_cannot_approve_a_lost_request(lead, salesperson):
    services.lead_lost_request(lead=lead, actor=salesperson, reason="price")
    with pytest.raises(DomainError):
        services.lead_lost_approve(lead=lead, actor=salesperson)
    lead.refresh_from_db()
    assert lead.stage == LeadStage.NEW


def test_weighted_pipeline_per_salesperson(lead, salesperson):
    rows = selectors.pipeline(Lead.objects.all())
    assert rows[0]["owner_id"] == salesperson.pk
    assert rows[0]["weighted"] == lead.expected_value * 10 / 100
