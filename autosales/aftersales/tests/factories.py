import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from autosales.aftersales.choices import FollowUpKind, ServiceKind, ServiceStatus, Severity
from autosales.aftersales.models import (
    Complaint,
    FollowUpCall,
    Reminder,
    ServiceJob,
    ServiceOrder,
    ServicePart,
)
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.tests.factories import CustomerFactory


class DeliveredVehicleFactory(VehicleFactory):
    status = VehicleStatus.DELIVERED
    arrival_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=400))


class ServiceOrderFactory(DjangoModelFactory):
    class Meta:
        model = ServiceOrder

    number = factory.Sequence(lambda n: f"SV-TEST-{n:06d}")
    store = factory.SubFactory(StoreFactory)
    customer = factory.SubFactory(CustomerFactory, store=factory.SelfAttribute("..store"))
    vehicle = factory.SubFactory(DeliveredVehicleFactory, store=factory.SelfAttribute("..store"))
    advisor = factory.SubFactory(UserFactory, aftersales=True, store=factory.SelfAttribute("..store"))
    kind = ServiceKind.MAINTENANCE
    status = ServiceStatus.OPEN
    mileage_km = 10000
    opened_at = factory.LazyFunction(timezone.now)


class ServiceJobFactory(DjangoModelFactory):
    class Meta:
        model = ServiceJob

    service_order = factory.SubFactory(ServiceOrderFactory)
    description = "保养"
    labour_hours = Decimal("1.00")
    labour_rate = Decimal("300.00")
    cost_rate = Decimal("100.00")


class ServicePartFactory(DjangoModelFactory):
    class Meta:
        model = ServicePart

    service_order = factory.SubFactory(ServiceOrderFactory)
    part_number = factory.Sequence(lambda n: f"P{n:05d}")
    name = "机油滤清器"
    quantity = Decimal("1")
    unit_cost = Decimal("40.00")
    unit_price = Decimal("80.00")


class ReminderFactory(DjangoModelFactory):
    class Meta:
        model = Reminder

    store = factory.SubFactory(StoreFactory)
    customer = factory.SubFactory(CustomerFactory, store=factory.SelfAttribute("..store"))
    vehicle = factory.SubFactory(DeliveredVehicleFactory, store=factory.SelfAttribute("..store"))
    due_date = factory.LazyFunction(timezone.localdate)
    due_mileage_km = 20000


class FollowUpCallFactory(DjangoModelFactory):
    class Meta:
        model = FollowUpCall

    service_order = factory.SubFactory(ServiceOrderFactory)
    store = factory.SelfAttribute("service_order.store")
    customer = factory.SelfAttribute("service_order.customer")
    kind = FollowUpKind.SERVICE_DAY3
    due_date = factory.LazyFunction(timezone.localdate)


class ComplaintFactory(DjangoModelFactory):
    class Meta:
        model = Complaint

    store = factory.SubFactory(StoreFactory)
    customer = factory.SubFactory(CustomerFactory, store=factory.SelfAttribute("..store"))
    category = "service_quality"
    severity = Severity.MEDIUM
    description = "等待时间太长"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
