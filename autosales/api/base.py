"""Base classes of the REST API: every viewset reads through ``core.access.scope`` and
writes through a domain service, with the model's own validation errors returned per field."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, permissions, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from autosales.core import access


class RoleAccess(permissions.BasePermission):
    """Reads need the role to read the model; writes need the role to write it and the row in scope."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        model = view.get_queryset().model if hasattr(view, "get_queryset") else None
        if model is None:
            return True
        if request.method in permissions.SAFE_METHODS:
            return access.can_read_model(request.user, model)
        return access.can_write_model(request.user, model)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True  # the queryset is already scoped
        return access.can_write(request.user, obj)


class ScopedViewSetMixin:
    """Limit the queryset to what the user may see; subclasses set ``queryset``."""

    permission_classes = [RoleAccess]

    def get_queryset(self):
        return access.scope(self.request.user, super().get_queryset())


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


def django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": [str(m) for m in exc.messages]})


def exception_handler(exc, context):
    """Domain and model validation errors become 400 responses naming each field."""
    if isinstance(exc, DjangoValidationError):
        exc = django_validation_to_drf(exc)
    return drf_exception_handler(exc, context)
