import random

import factory
from factory.django import DjangoModelFactory

from autosales.core.identity import make_credit_code, make_mobile
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.parties.choices import BuyingRole, CustomerKind, Industry
from autosales.parties.models import Contact, Customer

_rng = random.Random(7)


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    kind = CustomerKind.PERSON
    name = factory.Sequence(lambda n: f"王客户{n}")
    mobile = factory.LazyFunction(lambda: make_mobile(_rng))
    store = factory.SubFactory(StoreFactory)
    owner = factory.SubFactory(UserFactory, store=factory.SelfAttribute("..store"))

    class Params:
        company = factory.Trait(
            kind=CustomerKind.COMPANY,
            name=factory.Sequence(lambda n: f"上海测试物流有限公司{n}"),
            credit_code=factory.LazyFunction(lambda: make_credit_code(_rng)),
            industry=Industry.LOGISTICS,
            fleet_size=40,
            mobile="",
        )


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory, company=True)
    name = factory.Sequence(lambda n: f"李联系人{n}")
    title = "采购经理"
    mobile = factory.LazyFunction(lambda: make_mobile(_rng))
    buying_role = BuyingRole.DECISION_MAKER
