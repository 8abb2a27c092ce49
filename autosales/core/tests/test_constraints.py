"""Check constraints decided in Python agree with the database, and cost no query."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from autosales.core.constraints import check_in_python
from autosales.core.models import TimeStampedModel

pytestmark = pytest.mark.django_db


def project_check_constraints():
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("autosales."):
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                found.append((model, constraint))
    return found


def referenced_fields(model, condition):
    names = set()

    def walk(node):
        if isinstance(node, Q):
            for child in node.children:
                walk(child)
        elif isinstance(node, tuple):
            names.add(node[0].split("__")[0])
            walk_expression(node[1])

    def walk_expression(expression):
        if isinstance(expression, F):
            names.add(expression.name)
        for source in getattr(expression, "get_source_expressions", lambda: [])():
            walk_expression(source)

    walk(condition)
    return [model._meta.get_field(name) for name in sorted(names)]


def value_strategy(field):
    values = st.none() if field.null else st.nothing()
    if isinstance(field, models.DecimalField):
        step = Decimal(1).scaleb(-field.decimal_places)
        number = st.integers(min_value=-300, max_value=300).map(lambda n: n * step * 7)
        return values | number | st.sampled_from([Decimal(0), Decimal(1), Decimal(-1)])
    if isinstance(field, (models.IntegerField, models.PositiveIntegerField)):
        return values | st.integers(min_value=-5, max_value=150)
    if isinstance(field, models.DateTimeField):
        return values | st.datetimes(timezones=st.just(datetime.UTC)).filter(lambda d: 2000 <= d.year <= 2040)
    if isinstance(field, models.DateField):
        return values | st.dates().filter(lambda d: 2000 <= d.year <= 2040)
    if isinstance(field, models.ForeignKey):
        return st.none() | st.integers(min_value=1, max_value=3)
    if isinstance(field, (models.CharField, models.TextField)):
        choices = [value for value, _label in field.choices or []]
        return values | st.sampled_from(["", "x", *choices])
    raise AssertionError(f"no values for {field!r}")


CONSTRAINTS = project_check_constraints()


def test_every_project_check_constraint_is_decided_in_python():
    # A condition Python cannot decide still works (the database decides it), but costs queries:
    # this list names them so a new one is a deliberate choice.
    undecided = []
    for model, constraint in CONSTRAINTS:
        instance = model()
        if check_in_python(constraint, instance) is None:
            undecided.append(constraint.name)
    assert undecided == []
    assert len(CONSTRAINTS) >= 15


class PythonAgreesWithDatabase(TestCase):
    @settings(max_examples=400)
    @given(data=st.data(), index=st.integers(min_value=0, max_value=len(CONSTRAINTS) - 1))
    def test_same_verdict(self, data, index):
        model, constraint = CONSTRAINTS[index]
        instance = model()
        for field in referenced_fields(model, constraint.condition):
            setattr(instance, field.attname, data.draw(value_strategy(field), label=field.name))
        python = check_in_python(constraint, instance)
        database = Q(constraint.condition).check(
            instance._get_field_expression_map(meta=model._meta), using="default"
        )
        assert python is database, (constraint.name, python, database)


def test_skipped_when_a_field_is_excluded():
    model, constraint = next((m, c) for m, c in CONSTRAINTS if c.name == "quoteline_discount_within_price")
    line = model(unit_price=Decimal("100"), unit_discount=Decimal("150"))
    assert check_in_python(constraint, line) is False
    assert check_in_python(constraint, line, exclude={"unit_price"}) is True


def test_undecided_conditions_go_to_the_database():
    constraint = models.CheckConstraint(condition=Q(name__startswith="A"), name="x")
    from autosales.core.models import Store

    assert check_in_python(constraint, Store(name="B")) is None


def test_model_validation_names_the_constraint_without_a_query():
    from autosales.sales.models import QuoteLine

    assert issubclass(QuoteLine, TimeStampedModel)
    line = QuoteLine(unit_price=Decimal("100.00"), unit_discount=Decimal("120.00"))
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as caught:
        line.validate_constraints()
    assert len(queries) == 0
    assert any(
        "discount" in message.lower() or "price" in message.lower() for message in caught.value.messages
    )


def test_full_payment_with_cents_after_a_trade_in_is_not_overpaid():
    from autosales.sales.tests.factories import OrderFactory

    order = OrderFactory(total=Decimal("300000.30"), trade_in_credit=Decimal("100000.10"))
    order.paid_total = Decimal("200000.20")
    order.full_clean()
    order.save(update_fields=["paid_total"])
    order.paid_total = Decimal("200000.21")
    with pytest.raises(ValidationError):
        order.full_clean()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        order.save(update_fields=["paid_total"])
