"""Rows of API lists, rendered from a plan made once per serializer instead of field by field.

DRF builds a serializer's fields from the model on every request and then, for every row and
field, walks the source path, checks for callables and dispatches to the field. On a page of 50
rows that is most of the request's time. ``rows_render`` gives the same answer — the test suite
compares both for every list endpoint and role — from a plan of ``(name, read, write)`` steps:

* ``read`` takes the value from the row: an attribute getter for a plain source, the foreign
  key's id column for a primary-key relation, the row itself for a ``SerializerMethodField``;
  DRF's own ``get_attribute`` wherever DRF would do something special (a dotted source through a
  missing row, ``source="*"``, a model method);
* ``write`` turns the value into JSON: ``str``/``int`` for text and numbers, the pre-computed
  quantum for decimals, the choice table for choices, the field's own ``to_representation``
  for dates, times and the rest. ``None`` stays ``None`` without a call, as in DRF.

A plan holding only fields that do not depend on the request is kept per serializer class and
whether the user may see cost (the one thing our serializers' fields depend on); a plan with a
nested serializer or a request-dependent relation is made again for each request from that
request's fields. Personal data is masked exactly as ``ServiceModelSerializer`` does.
"""

import datetime
import decimal
import operator
import threading

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework import fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from autosales.core import access

SKIP = object()

# Fields whose representation depends only on the value (exact classes: a subclass may read the
# request): their plan may serve every request.
CONTEXT_FREE = frozenset(
    {
        drf_fields.BigIntegerField,
        drf_fields.BooleanField,
        drf_fields.CharField,
        drf_fields.ChoiceField,
        drf_fields.DateField,
        drf_fields.DateTimeField,
        drf_fields.DecimalField,
        drf_fields.DurationField,
        drf_fields.EmailField,
        drf_fields.FloatField,
        drf_fields.IntegerField,
        drf_fields.JSONField,
        drf_fields.ReadOnlyField,
        drf_fields.SerializerMethodField,
        drf_fields.SlugField,
        drf_fields.TimeField,
        drf_fields.URLField,
        drf_fields.UUIDField,
        relations.PrimaryKeyRelatedField,
    }
)


def _request_free(field) -> bool:
    """A field of DRF's listed above, or of a class that says so itself (``request_free_representation``
    in its own body: a subclass must say it again)."""
    return type(field) in CONTEXT_FREE or bool(type(field).__dict__.get("request_free_representation"))


_plans: dict = {}
_plans_lock = threading.Lock()


def _text(value):
    return value if type(value) is str else str(value)


def _identity(value):
    return value


def _decimal_writer(field):
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if (
        field.decimal_places is None
        or field.localize
        or not coerce
        or getattr(field, "normalize_output", False)
    ):
        return field.to_representation
    quantum = decimal.Decimal(".1") ** field.decimal_places
    context = decimal.getcontext().copy()
    if field.max_digits is not None:
        context.prec = field.max_digits
    rounding = field.rounding

    def write(value):
        if not isinstance(value, decimal.Decimal):
            value = decimal.Decimal(str(value).strip())
        return format(value.quantize(quantum, rounding=rounding, context=context), "f")

    return write


class _DatetimeWriter:
    """DRF's ISO 8601 ``DateTimeField`` output, in the time zone of the request (looked up once per
    page by ``bound``)."""

    def __init__(self, field):
        self.fallback = field.to_representation

    def bound(self, zone):
        fallback = self.fallback

        def write(value):
            if type(value) is not datetime.datetime or value.tzinfo is None:
                return fallback(value)
            text = value.astimezone(zone).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return write


def _datetime_writer(field):
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if (
        not settings.USE_TZ
        or hasattr(field, "timezone")
        or not isinstance(output_format, str)
        or output_format.lower() != ISO_8601
    ):
        return field.to_representation
    return _DatetimeWriter(field)


def _choice_writer(field):
    table = field.choice_strings_to_values

    def write(value):
        if value == "":
            return value
        return table.get(str(value), value)

    return write


def _writer(field):
    if isinstance(field, drf_fields.ChoiceField) and not isinstance(field, drf_fields.MultipleChoiceField):
        return _choice_writer(field)
    if isinstance(field, drf_fields.DecimalField):
        return _decimal_writer(field)
    if type(field) is drf_fields.DateTimeField:
        return _datetime_writer(field)
    if type(field) in (
        drf_fields.CharField,
        drf_fields.EmailField,
        drf_fields.SlugField,
        drf_fields.URLField,
    ):
        return _text
    if type(field) is drf_fields.IntegerField:
        return int
    if type(field) is drf_fields.ReadOnlyField:
        return _identity
    return field.to_representation


def _drf_reader(field):
    def read(instance):
        try:
            value = field.get_attribute(instance)
        except SkipField:
            return SKIP
        if isinstance(value, PKOnlyObject) and value.pk is None:
            return None
        return value

    return read


def _plain_attribute(model, name) -> bool:
    """A model field or property: read with getattr exactly as DRF would (no call to make)."""
    attribute = getattr(model, name, None)
    return not callable(attribute) or isinstance(attribute, property) or hasattr(attribute, "field")


def _reader(field, model):
    attrs = field.source_attrs
    if field.source == "*" or not attrs or model is None:
        return _drf_reader(field)
    if isinstance(field, relations.PrimaryKeyRelatedField):
        if len(attrs) == 1 and field.use_pk_only_optimization() and field.pk_field is None:
            try:
                model_field = model._meta.get_field(attrs[0])
            except Exception:  # noqa: BLE001 - not a model field: DRF decides
                return _drf_reader(field)
            if getattr(model_field, "many_to_one", False):
                return operator.attrgetter(model_field.attname)
        return _drf_reader(field)
    if len(attrs) == 1 and _plain_attribute(model, attrs[0]):
        return operator.attrgetter(attrs[0])
    if len(attrs) == 2 and _plain_attribute(model, attrs[0]):
        first, second = attrs
        fallback = _drf_reader(field)

        def read(instance):
            related = getattr(instance, first)
            if related is None:
                return fallback(instance)
            value = getattr(related, second)
            return fallback(instance) if callable(value) else value

        return read
    return _drf_reader(field)


class Plan:
    def __init__(self, serializer, *, request_free_fields: bool = True):
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        self.steps = []
        self.cacheable = request_free_fields
        readable = [(name, field) for name, field in serializer.fields.items() if not field.write_only]
        for name, field in readable:
            if not _request_free(field):
                self.cacheable = False
                self.steps.append((name, _drf_reader(field), field.to_representation, None))
            elif isinstance(field, drf_fields.SerializerMethodField):
                self.steps.append((name, None, field.method_name, None))
            elif isinstance(field, relations.PrimaryKeyRelatedField):
                reader = _reader(field, model)
                plain = type(reader) is operator.attrgetter and field.pk_field is None
                self.steps.append((name, reader, _identity if plain else field.to_representation, field))
            else:
                self.steps.append((name, _reader(field, model), _writer(field), field))
        self.personal_fields = tuple(getattr(serializer, "personal_fields", ()))
        if self.cacheable:
            # The plan outlives this request: its fields must not keep the request alive.
            for _name, field in readable:
                field.parent = None

    def render(self, serializer, instances, *, mask: bool):
        zone = timezone.get_current_timezone()
        steps = []
        for name, read, write, field in self.steps:
            if read is None:
                steps.append((name, _identity, getattr(serializer, write), None))
            elif isinstance(write, _DatetimeWriter):
                steps.append((name, read, write.bound(zone), field))
            else:
                steps.append((name, read, write, field))
        personal = self.personal_fields if mask else ()
        rows = []
        for instance in instances:
            row = {}
            for name, read, write, field in steps:
                try:
                    value = read(instance)
                except (AttributeError, KeyError, ObjectDoesNotExist):
                    if field is None:
                        raise
                    # DRF's own reading decides: a default, None, or no key at all.
                    value = _drf_reader(field)(instance)
                if value is SKIP:
                    continue
                row[name] = None if value is None else write(value)
            for name in personal:
                if row.get(name):
                    row[name] = access.mask_personal(row[name])
            rows.append(row)
        return rows


def _plan_key(serializer):
    request = serializer.context.get("request")
    user = getattr(request, "user", None)
    return (type(serializer), bool(user is not None and access.can_see_cost(user)))


def _standard(serializer_class) -> tuple[bool, bool]:
    """(rendered by DRF's ``to_representation``, fields decided by DRF's or ``ServiceModelSerializer``'s
    ``get_fields``, i.e. by the model and whether the user may see cost)."""
    from .base import ServiceModelSerializer

    representation = serializer_class.to_representation in (
        serializers.Serializer.to_representation,
        ServiceModelSerializer.to_representation,
    )
    fields = serializer_class.get_fields in (
        serializers.Serializer.get_fields,
        serializers.ModelSerializer.get_fields,
        ServiceModelSerializer.get_fields,
    )
    return representation, fields


def rows_render(serializer, instances) -> list[dict]:
    """``serializer(instances, many=True).data`` for a list page, from a plan (see above)."""
    representation, standard_fields = _standard(type(serializer))
    if not representation:
        return [serializer.to_representation(instance) for instance in instances]
    key = _plan_key(serializer)
    plan = _plans.get(key)
    if plan is None:
        plan = Plan(serializer, request_free_fields=standard_fields)
        if plan.cacheable:
            with _plans_lock:
                _plans[key] = plan
    mask = bool(plan.personal_fields) and not _may_see_personal_listing(serializer)
    return plan.render(serializer, instances, mask=mask)


def _may_see_personal_listing(serializer) -> bool:
    request = serializer.context.get("request")
    return request is not None and access.can_see_personal_data(request.user)
