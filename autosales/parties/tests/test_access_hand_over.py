import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from autosales.core.exceptions import DomainError
from autosales.core.models import Event
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.parties.services import customer_hand_over
from autosales.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    return StoreFactory(code="SH01")


@pytest.fixture
def seller(store):
    return UserFactory(username="seller", store=store)


@pytest.fixture
def successor(store):
    return UserFactory(username="successor", store=store)


@pytest.fixture
def manager(store):
    return UserFactory(username="boss", store=store, manager=True, language="en")


@pytest.fixture
def customer(store, seller):
    return CustomerFactory(store=store, owner=seller)


def test_manager_hands_a_customer_over_and_an_event_records_it(customer, manager, successor):
    customer_hand_over(customer=customer, new_owner=successor, actor=manager, reason="seller left")
    customer.refresh_from_db()
    assert customer.owner == successor
    event = Event.objects.get(action="hand_over", object_id=customer.pk)
    assert (event.from_state, event.to_state, event.reason) == ("seller", "successor", "seller left")


def test_salesperson_may_not_hand_over_their_customer(customer, seller, successor):
    with pytest.raises(DomainError):
        customer_hand_over(customer=customer, new_owner=successor, actor=seller)
    customer.refresh_from_db()
    assert customer.owner == seller


def test_hand_over_to_a_salesperson_of_another_store_is_refused(customer, manager, seller):
    stranger = UserFactory(username="stranger", store=StoreFactory(code="BJ01"))
    with pytest.raises(DomainError):
        customer_hand_over(customer=customer, new_owner=stranger, actor=manager)
    customer.refresh_from_db()
    assert customer.owner == seller


def test_manager_of_another_store_cannot_hand_over(customer, successor, seller):
    other_manager = UserFactory(username="other_boss", store=StoreFactory(code="BJ01"), manager=True)
    with pytest.raises(DomainError):
        customer_hand_over(customer=customer, new_owner=successor, actor=other_manager)


def test_customer_page_offers_the_hand_over_to_managers_only(client, customer, manager, seller, successor):
    url = reverse("web:customer_detail", args=[customer.pk])
    client.force_login(seller)
    assert b'id="hand-over-form"' not in client.get(url).content
    client.force_login(manager)
    assert b'id="hand-over-form"' in client.get(url).content
    response = client.post(reverse("web:customer_hand_over", args=[customer.pk]), {"new_owner": successor.pk})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.owner == successor


def test_salesperson_posting_the_hand_over_form_is_refused(client, customer, seller, successor):
    client.force_login(seller)
    response = client.post(reverse("web:customer_hand_over", args=[customer.pk]), {"new_owner": successor.pk})
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.owner == seller


def test_api_hand_over_action(customer, manager, seller, successor):
    api = APIClient()
    api.force_authenticate(seller)
    url = f"/api/v1/customers/{customer.pk}/hand-over/"
    assert api.post(url, {"new_owner": successor.pk}, format="json").status_code == 400
    api.force_authenticate(manager)
    response = api.post(url, {"new_owner": successor.pk, "reason": "rota"}, format="json")
    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert customer.owner == successor
