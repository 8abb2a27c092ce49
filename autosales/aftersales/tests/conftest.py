import pytest

from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.parties.tests.factories import CustomerFactory

from .factories import DeliveredVehicleFactory


@pytest.fixture
def store():
    return StoreFactory(code="SH01")


@pytest.fixture
def advisor(store):
    return UserFactory(username="advisor", aftersales=True, store=store)


@pytest.fixture
def manager(store):
    return UserFactory(username="manager", manager=True, store=store)


@pytest.fixture
def customer(store):
    return CustomerFactory(store=store)


@pytest.fixture
def vehicle(store):
    return DeliveredVehicleFactory(store=store)
