"""Base classes of the REST API.

Every viewset reads through ``core.access.scope`` and writes through a domain service; the
model's own validation errors come back as 400 responses naming each field, in the user's
language.

A resource is three declarations::

    class CustomerSerializer(ServiceModelSerializer):
        create_service = staticmethod(customer_create)      # f(*, actor, **data) -> instance
        update_service = staticmethod(customer_update)      # f(*, customer, actor, **data)
        update_instance_arg = "customer"

        class Meta:
            model = Customer
            fields = [...]

    class CustomerViewSet(ScopedModelViewSet):
        queryset = Customer.objects.select_related("store", "owner")
        serializer_class = CustomerSerializer
        filterset_class = CustomerFilterSet                 # the same FilterSet as the web list

Without ``create_service`` / ``update_service`` the serializer falls back to
``core.services.model_create`` / ``model_update`` (``full_clean`` + save + event). Foreign keys
accept only rows the user may see (``ScopedPrimaryKeyRelatedField``), and fields listed in
``cost_fields`` disappear from input and output for roles that may not see cost.

Workflow actions (a change of state by a service, e.g. ``quote_submit``) follow one pattern::

    class QuoteViewSet(ScopedModelViewSet):
        ...

        @extend_schema(request=QuoteRejectInput, responses=QuoteSerializer)
        @action(detail=True, methods=["post"])
        def reject(self, request, pk=None):
            return self.run_action(quote_reject, instance_arg="quote", input_serializer=QuoteRejectInput)

Lists answer with the serializer's rows rendered by ``rows.rows_render`` (the same JSON as DRF,
from a plan made once per serializer). A list whose rows show columns of joined rows names them in
``list_related_fields`` (``("customer__name",)``) so that only those columns are read.

``run_action`` loads the row through the scoped queryset (404 outside the user's scope), checks
``can_write`` (403), validates the optional input serializer (400 per field), calls
``service(quote=<row>, actor=request.user, **validated_input)`` and answers 200 with the row as
the viewset's serializer shows it after the change. A ``DomainError`` raised by the service
becomes a 400 response; set ``permission_classes`` on the action for a different role rule.
"""

import functools

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters import utils
from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, filters, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator
from rest_framework.views import exception_handler as drf_exception_handler

from autosales.core import access
from autosales.core.events import event_record
from autosales.core.services import model_create, model_update

from .rows import rows_render


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The change conflicts with other records.")
    default_code = "conflict"


def _view_model(view):
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    if hasattr(view, "get_queryset"):
        return view.get_queryset().model
    return None


class RoleAccess(permissions.BasePermission):
    """Reads need the role to read the model; writes need the role to write it and the row in scope."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        model = _view_model(view)
        if model is None:
            return True
        if request.method in permissions.SAFE_METHODS:
            return access.can_read_model(request.user, model)
        return access.can_write_model(request.user, model)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True  # the queryset is already scoped
        return access.can_write(request.user, obj)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, validating only the filters the request names.

    A FilterSet copies every filter when it is made, and validating it builds a form of every
    filter's field (with its choices) on each request, although a filter the request does not name
    hands the rows back unchanged. So a list without filter parameters is left as it is, and a list
    with some is filtered by the same FilterSet cut down to the filters named (a subclass made once
    per set of names): the same rows, the same errors for the same values. A FilterSet with a
    required filter or its own ``filter_queryset``, ``qs``, form or ``__init__`` always runs whole.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not _plain_filterset(filterset_class):
            return super().filter_queryset(request, queryset, view)
        named = _named_filters(filterset_class, request.query_params)
        if not named:
            return queryset
        filterset = filterset_narrowed(filterset_class, named)(
            **self.get_filterset_kwargs(request, queryset, view)
        )
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs


@functools.cache
def _plain_filterset(filterset_class) -> bool:
    return all(
        getattr(filterset_class, attribute) is getattr(BaseFilterSet, attribute)
        for attribute in ("__init__", "filter_queryset", "qs", "form", "get_form_class")
    ) and not any(f.extra.get("required") for f in filterset_class.base_filters.values())


def _named_filters(filterset_class, params) -> frozenset:
    """The filters a parameter names: by their name, or their name and a suffix (``price_min``)."""
    return frozenset(
        name
        for name in filterset_class.base_filters
        if any(key == name or key.startswith(f"{name}_") for key in params)
    )


@functools.lru_cache(maxsize=1024)
def filterset_narrowed(filterset_class, names: frozenset):
    """``filterset_class`` with only the filters in ``names``."""
    narrowed = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    narrowed.base_filters = {
        name: filter_ for name, filter_ in filterset_class.base_filters.items() if name in names
    }
    return narrowed


class ExplicitOrderingFilter(filters.OrderingFilter):
    """DRF ordering only for views that declare ``ordering_fields``.

    Views with a FilterSet take ``?ordering=`` from the FilterSet's own OrderingFilter, so the
    API sorts exactly like the web list.
    """

    def get_ordering(self, request, queryset, view):
        if getattr(view, "ordering_fields", None) is None:
            return None
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        if getattr(view, "ordering_fields", None) is None:
            return []
        return super().get_schema_operation_parameters(view)


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    user = serializers.CharField(source="user.username", allow_null=True, default=None)
    kind = serializers.CharField()
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    reason = serializers.CharField()
    changes = HistoryChangeSerializer(many=True)


class HistoryMixin:
    """``GET <resource>/{id}/history/``: the record's audit trail, read-only, scoped like the record."""

    history_states = None

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], url_path="history", filter_backends=[], pagination_class=None)
    def history(self, request, pk=None):
        from autosales.core.selectors import history_for

        obj = self.get_object()
        entries = history_for(obj, user=request.user, states=self.history_states)
        return Response(HistoryEntrySerializer(entries, many=True).data)


def summary_serializer(serializer_class, *nested: str):
    """``serializer_class`` without its ``nested`` rows, for lists.

    A page of 50 orders then reads 50 rows instead of every line, payment and allocation of each;
    the detail URL of a row answers with the nested rows.
    """
    meta_attrs = {"fields": [f for f in serializer_class.Meta.fields if f not in nested]}
    read_only = getattr(serializer_class.Meta, "read_only_fields", None)
    if read_only is not None:
        meta_attrs["read_only_fields"] = [f for f in read_only if f not in nested]
    attrs = dict.fromkeys(nested)
    attrs["Meta"] = type("Meta", (serializer_class.Meta,), meta_attrs)
    attrs["__doc__"] = (
        (serializer_class.__doc__ or "").strip() + "\n\nIn lists without: " + ", ".join(nested) + "."
    )
    name = serializer_class.__name__.removesuffix("Serializer") + "SummarySerializer"
    return type(name, (serializer_class,), {"__module__": serializer_class.__module__, **attrs})


class ScopedViewSetMixin:
    """Limit the queryset to what the user may see; subclasses set ``queryset``.

    ``list_serializer_class`` (see ``summary_serializer``) answers lists with lighter rows; their
    prefetched related rows are then not read at all.
    """

    permission_classes = [RoleAccess]
    filter_backends = [FilterBackend, ExplicitOrderingFilter]
    list_serializer_class = None
    # Columns of joined rows that list rows show (e.g. ``"customer__name"``); when set, lists read
    # every column of the row itself but only these of the joined rows. A joined column the
    # serializer needs and this leaves out costs a query per row, which the query-count tests catch.
    list_related_fields: tuple[str, ...] = ()

    def get_queryset(self):
        return access.scope(self.request.user, super().get_queryset())

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and self.list_serializer_class is not None:
            queryset = queryset.prefetch_related(None)
        if self.action == "list" and self.list_related_fields:
            own = [field.name for field in queryset.model._meta.concrete_fields]
            queryset = queryset.only(*own, *self.list_related_fields)
        # Pages need a total order: end every ordering with the primary key, including
        # aggregated querysets, where Django drops Meta.ordering.
        fields = list(queryset.query.order_by)
        if not fields and queryset.query.default_ordering:
            fields = list(queryset.model._meta.ordering)
        if not any(isinstance(f, str) and f.lstrip("-") in ("pk", "id") for f in fields):
            queryset = queryset.order_by(*fields, "pk")
        return queryset

    def list(self, request, *args, **kwargs):
        """DRF's list, with the page's rows rendered by ``rows.rows_render`` (same answer, a fraction
        of the time)."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer()
        rows = rows_render(serializer, queryset if page is None else page)
        if page is not None:
            return self.get_paginated_response(rows)
        return Response(rows)

    def perform_authentication(self, request):
        # Token clients are authenticated here, after the middleware that applies the
        # saved language of session users; do the same for them.
        super().perform_authentication(request)
        language = getattr(request.user, "language", "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()

    def reread(self, instance):
        """The row as the list shows it (annotations, related rows), or ``instance`` if now out of scope."""
        return self.get_queryset().filter(pk=instance.pk).first() or instance

    def perform_create(self, serializer):
        serializer.instance = self.reread(serializer.save())

    def perform_update(self, serializer):
        serializer.instance = self.reread(serializer.save())

    def perform_destroy(self, instance):
        model_delete(instance, actor=self.request.user)

    def run_action(self, service, *, instance_arg, input_serializer=None, status_code=200, **extra):
        """Call a workflow ``service`` on the row of this detail URL and answer with the updated row."""
        instance = self.get_object()
        params = {}
        if input_serializer is not None:
            parsed = input_serializer(data=self.request.data, context=self.get_serializer_context())
            parsed.is_valid(raise_exception=True)
            params = dict(parsed.validated_data)
        result = service(**{instance_arg: instance}, actor=self.request.user, **params, **extra)
        if not isinstance(result, type(instance)):
            result = instance
        return Response(self.get_serializer(self.reread(result)).data, status=status_code)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


def model_delete(instance, *, actor):
    """Delete a row with an audit event; rows still referenced by others are refused (409)."""
    try:
        with transaction.atomic():
            event_record(target=instance, action="deleted", actor=actor, data={"str": str(instance)})
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise Conflict(
            _("%(object)s is still used by other records and cannot be deleted.") % {"object": instance}
        ) from exc


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that accepts only rows the requesting user may see."""

    # Only input depends on the request; the output is the id (see ``rows``).
    request_free_representation = True

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return access.scope(request.user, queryset)


class ServiceModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that writes through a domain service, so ``Model.full_clean()`` decides.

    Uniqueness is left to the model too: its messages name the existing row (e.g. the customer
    who already has this mobile), which DRF's generic unique validators cannot.
    """

    serializer_related_field = ScopedPrimaryKeyRelatedField
    create_service = None
    update_service = None
    update_instance_arg = "instance"
    cost_fields: tuple[str, ...] = ()
    # Fields holding a person's mobile or ID number: masked in lists, and on one row unless
    # ``access.can_see_personal_data`` allows it for the row's customer.
    personal_fields: tuple[str, ...] = ()

    def get_validators(self):
        return []

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        if self.cost_fields and not self._may_see_cost():
            for name in self.cost_fields:
                fields.pop(name, None)
        return fields

    def _may_see_cost(self):
        view = self.context.get("view")
        if getattr(view, "swagger_fake_view", False):
            return True  # the schema documents cost fields; they are optional in every response
        request = self.context.get("request")
        return request is not None and access.can_see_cost(request.user)

    def personal_customer(self, instance):
        from autosales.parties.models import Customer

        return instance if isinstance(instance, Customer) else getattr(instance, "customer", None)

    def _may_see_personal(self, instance) -> bool:
        request = self.context.get("request")
        if request is None:
            return False
        view = self.context.get("view")
        if getattr(view, "action", None) == "list" or getattr(view, "personal_data_listing", False):
            return access.can_see_personal_data(request.user)
        return access.can_see_personal_data(request.user, self.personal_customer(instance))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.personal_fields and not self._may_see_personal(instance):
            for name in self.personal_fields:
                if data.get(name):
                    data[name] = access.mask_personal(data[name])
        return data

    @property
    def actor(self):
        request = self.context.get("request")
        return request.user if request is not None else None

    def _split_many(self, validated_data):
        many = {}
        for field in self.Meta.model._meta.many_to_many:
            if field.name in validated_data:
                many[field.name] = validated_data.pop(field.name)
        return many

    def create(self, validated_data):
        data = dict(validated_data)
        if self.create_service is not None:
            return self.create_service(actor=self.actor, **data)
        many = self._split_many(data)
        with transaction.atomic():
            instance = model_create(self.Meta.model, actor=self.actor, data=data)
            for name, values in many.items():
                getattr(instance, name).set(values)
        return instance

    def update(self, instance, validated_data):
        data = dict(validated_data)
        if self.update_service is not None:
            return self.update_service(**{self.update_instance_arg: instance}, actor=self.actor, **data)
        many = self._split_many(data)
        with transaction.atomic():
            instance = model_update(instance, actor=self.actor, data=data)
            for name, values in many.items():
                getattr(instance, name).set(values)
        return instance


def django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): [
                    str(m) for m in msgs
                ]
                for field, msgs in exc.message_dict.items()
            }
        )
    return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]})


def exception_handler(exc, context):
    """Domain and model validation errors become 400 responses naming each field.

    A database constraint that fires despite the model's checks (two users saving the same
    VIN at the same moment) or a delete blocked by references becomes a 409, not a 500.
    """
    if isinstance(exc, DjangoValidationError):
        exc = django_validation_to_drf(exc)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = Conflict(_("This record is still used by other records and cannot be deleted."))
    elif isinstance(exc, IntegrityError):
        exc = Conflict(_("The change conflicts with a record saved at the same time; reload and try again."))
    return drf_exception_handler(exc, context)
