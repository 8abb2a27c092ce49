import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.tests.factories import TrimFactory
from autosales.parties.tests.factories import CustomerFactory
from autosales.sales.choices import LeadStage, LineKind, OrderStatus, PaymentKind, QuoteStatus
from autosales.sales.models import Lead, Order, OrderLine, Payment, Quote, QuoteLine


class LeadFactory(DjangoModelFactory):
    class Meta:
        model = Lead

    store = factory.SubFactory(StoreFactory)
    customer = factory.SubFactory(CustomerFactory, store=factory.SelfAttribute("..store"))
    owner = factory.SubFactory(UserFactory, store=factory.SelfAttribute("..store"))
    stage = LeadStage.NEW
    probability = 10
    expected_value = Decimal("200000.00")


class QuoteFactory(DjangoModelFactory):
    class Meta:
        model = Quote

    store = factory.SubFactory(StoreFactory)
    customer = factory.SubFactory(CustomerFactory, store=factory.SelfAttribute("..store"))
    salesperson = factory.SubFactory(UserFactory, store=factory.SelfAttribute("..store"))
    number = factory.Sequence(lambda n: f"Q-TEST-{n:06d}")
    status = QuoteStatus.DRAFT
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class QuoteLineFactory(DjangoModelFactory):
    class Meta:
        model = QuoteLine

    quote = factory.SubFactory(QuoteFactory)
    kind = LineKind.VEHICLE
    trim = factory.SubFactory(TrimFactory)
    quantity = 1
    unit_price = Decimal("200000.00")
    unit_cost = Decimal("180000.00")


class OrderFactory(DjangoModelFactory):
    class Meta:
        model = Order

    store = factory.SubFactory(StoreFactory)
    customer = factory.SubFactory(CustomerFactory, store=factory.SelfAttribute("..store"))
    salesperson = factory.SubFactory(UserFactory, store=factory.SelfAttribute("..store"))
    number = factory.Sequence(lambda n: f"O-TEST-{n:06d}")
    status = OrderStatus.CONFIRMED
    order_date = factory.LazyFunction(timezone.localdate)


class OrderLineFactory(DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    kind = LineKind.VEHICLE
    trim = factory.SubFactory(TrimFactory)
    quantity = 1
    unit_price = Decimal("200000.00")
    unit_cost = Decimal("180000.00")


class PaymentFactory(DjangoModelFactory):
    class Meta:
        model = Payment

    order = factory.SubFactory(OrderFactory)
    kind = PaymentKind.DEPOSIT
    amount = Decimal("5000.00")
    paid_at = factory.LazyFunction(timezone.now)
