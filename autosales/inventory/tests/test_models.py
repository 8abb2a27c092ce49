import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from autosales.core.identity import make_vin
from autosales.core.tests.factories import StoreFactory
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Vehicle
from autosales.inventory.tests.factories import TrimFactory, VehicleFactory

pytestmark = pytest.mark.django_db

rng = random.Random(31)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def new_vehicle(**fields):
    fields.setdefault("vin", make_vin(rng))
    fields.setdefault("trim", TrimFactory())
    fields.setdefault("store", StoreFactory())
    fields.setdefault("status", VehicleStatus.IN_STOCK)
    fields.setdefault("arrival_date", timezone.localdate() - datetime.timedelta(days=3))
    return Vehicle(**fields)


def test_valid_vehicle_passes_full_clean_and_keeps_vin_tail():
    vehicle = new_vehicle()
    vehicle.full_clean()
    vehicle.save()
    assert vehicle.vin_tail == vehicle.vin[-6:]


def test_vin_is_normalised_before_it_is_checked_and_saved():
    vin = make_vin(rng)
    vehicle = new_vehicle(vin=vin.lower())
    vehicle.full_clean()
    vehicle.save()
    assert Vehicle.objects.get(pk=vehicle.pk).vin == vin


def test_vehicle_with_bad_vin_check_digit_is_refused():
    vin = make_vin(rng)
    wrong = vin[:8] + ("1" if vin[8] != "1" else "2") + vin[9:]
    with pytest.raises(ValidationError) as exc:
        new_vehicle(vin=wrong).full_clean()
    assert f"should be {vin[8]}" in " ".join(exc.value.message_dict["vin"])


def test_second_vehicle_with_same_vin_is_refused_naming_the_store():
    first = VehicleFactory(store=StoreFactory(code="SH01", name="浦东店"))
    with pytest.raises(ValidationError) as exc:
        new_vehicle(vin=first.vin).full_clean()
    message = " ".join(exc.value.message_dict["vin"])
    assert first.vin in message
    assert "SH01" in message


def test_database_refuses_a_second_vehicle_with_same_vin():
    first = VehicleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        new_vehicle(vin=first.vin).save()


@pytest.mark.parametrize("status", [VehicleStatus.IN_STOCK, VehicleStatus.RESERVED])
def test_vehicle_in_stock_needs_an_arrival_date(status):
    with pytest.raises(ValidationError) as exc:
        new_vehicle(status=status, arrival_date=None).full_clean()
    assert "arrival_date" in exc.value.message_dict


def test_ordered_vehicle_needs_no_arrival_date():
    new_vehicle(status=VehicleStatus.ORDERED, arrival_date=None).full_clean()


def test_arrival_date_in_the_future_is_refused():
    with pytest.raises(ValidationError) as exc:
        new_vehicle(arrival_date=timezone.localdate() + datetime.timedelta(days=1)).full_clean()
    assert "arrival_date" in exc.value.message_dict


def test_stock_vehicle_needs_a_trim_but_a_customer_vehicle_does_not():
    with pytest.raises(ValidationError) as exc:
        new_vehicle(trim=None).full_clean()
    assert "trim" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        new_vehicle(trim=None).save()
    new_vehicle(
        trim=None, status=VehicleStatus.EXTERNAL, arrival_date=None, description="大众 朗逸 2015"
    ).full_clean()


def test_negative_cost_is_refused_by_clean_and_database():
    vehicle = new_vehicle(cost=Decimal("-1.00"))
    with pytest.raises(ValidationError) as exc:
        vehicle.full_clean()
    assert "cost" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        vehicle.save()


def test_stock_age_counts_days_since_arrival():
    arrival = datetime.date(2026, 1, 10)
    vehicle = new_vehicle(arrival_date=arrival)
    assert vehicle.stock_age_days(today=datetime.date(2026, 1, 10)) == 0
    assert vehicle.stock_age_days(today=datetime.date(2026, 2, 9)) == 30
    assert vehicle.stock_age_days(today=datetime.date(2026, 1, 1)) == 0


def test_stock_age_defaults_to_today_in_the_local_zone():
    vehicle = new_vehicle(arrival_date=timezone.localdate() - datetime.timedelta(days=45))
    assert vehicle.stock_age == 45


@pytest.mark.parametrize("status", [VehicleStatus.SOLD, VehicleStatus.DELIVERED, VehicleStatus.ORDERED])
def test_vehicle_outside_stock_has_no_stock_age(status):
    vehicle = new_vehicle(status=status, arrival_date=datetime.date(2026, 1, 10))
    assert vehicle.stock_age_days(today=datetime.date(2026, 3, 1)) is None


def test_vehicle_without_arrival_date_has_no_stock_age():
    assert new_vehicle(arrival_date=None).stock_age_days() is None
