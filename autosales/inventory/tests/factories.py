import datetime
import random
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from autosales.core.identity import make_vin
from autosales.core.tests.factories import StoreFactory
from autosales.inventory.choices import FuelType, VehicleStatus
from autosales.inventory.models import Brand, CarModel, Colour, Trim, Vehicle

_rng = random.Random(11)


class BrandFactory(DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"品牌{n}")
    name_en = factory.Sequence(lambda n: f"Brand {n}")


class CarModelFactory(DjangoModelFactory):
    class Meta:
        model = CarModel

    brand = factory.SubFactory(BrandFactory)
    name = factory.Sequence(lambda n: f"车型{n}")


class ColourFactory(DjangoModelFactory):
    class Meta:
        model = Colour
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"颜色{n}")
    hex_code = "#112233"


class TrimFactory(DjangoModelFactory):
    class Meta:
        model = Trim

    car_model = factory.SubFactory(CarModelFactory)
    name = factory.Sequence(lambda n: f"豪华型{n}")
    code = factory.Sequence(lambda n: f"TRIM{n:05d}")
    model_year = 2026
    fuel_type = FuelType.PETROL
    msrp = Decimal("200000.00")
    standard_cost = Decimal("180000.00")


class VehicleFactory(DjangoModelFactory):
    class Meta:
        model = Vehicle

    vin = factory.LazyFunction(lambda: make_vin(_rng))
    trim = factory.SubFactory(TrimFactory)
    store = factory.SubFactory(StoreFactory)
    status = VehicleStatus.IN_STOCK
    cost = factory.LazyAttribute(lambda o: o.trim.standard_cost)
    list_price = factory.LazyAttribute(lambda o: o.trim.msrp)
    arrival_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
