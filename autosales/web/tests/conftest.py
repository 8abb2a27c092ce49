import pytest

from autosales.core.tests.factories import StoreFactory, UserFactory


@pytest.fixture
def store():
    return StoreFactory(code="SH01", name="上海一店")


@pytest.fixture
def other_store():
    return StoreFactory(code="BJ01", name="北京一店")


@pytest.fixture
def salesperson(store):
    return UserFactory(username="sales1", store=store)


@pytest.fixture
def manager(store):
    return UserFactory(username="manager1", store=store, manager=True)


@pytest.fixture
def other_salesperson(other_store):
    return UserFactory(username="sales2", store=other_store)
