import pytest

from autosales.parties.tests.factories import ContactFactory, CustomerFactory
from autosales.sales.tests.factories import OrderLineFactory, PaymentFactory


@pytest.mark.django_db
def test_factories_build_valid_rows():
    for obj in (
        CustomerFactory(),
        CustomerFactory(company=True),
        ContactFactory(),
        OrderLineFactory(),
        PaymentFactory(),
    ):
        obj.full_clean()
