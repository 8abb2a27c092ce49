import random

import factory
from factory.django import DjangoModelFactory

from autosales.core.choices import Role
from autosales.core.models import Store, User

_rng = random.Random(20261127)


class StoreFactory(DjangoModelFactory):
    class Meta:
        model = Store
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ST{n:02d}")
    name = factory.Sequence(lambda n: f"测试门店{n}")
    city = "上海"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "伟"
    last_name = "张"
    role = Role.SALESPERSON
    store = factory.SubFactory(StoreFactory)
    password = factory.PostGenerationMethodCall("set_password", "Secret-pass-2026")
    is_staff = False

    class Params:
        manager = factory.Trait(role=Role.SALES_MANAGER)
        general_manager = factory.Trait(role=Role.GENERAL_MANAGER, store=None)
        finance = factory.Trait(role=Role.FINANCE)
        aftersales = factory.Trait(role=Role.AFTERSALES)
        admin = factory.Trait(role=Role.ADMIN, store=None, is_staff=True, is_superuser=True)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save()
