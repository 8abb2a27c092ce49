"""What the sales pages share: manager roles, row lookup, running a service, redirects, dates."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect

from autosales.core.access import can_write, scope
from autosales.core.choices import Role
from autosales.web.forms import BootstrapMixin

MANAGERS = (Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)


def _is_manager(user) -> bool:
    return user.is_superuser or user.role in MANAGERS


def _get(request, model, pk, queryset=None):
    """The row if the user may see it, else 404."""
    try:
        return scope(request.user, (queryset if queryset is not None else model.objects).all()).get(pk=pk)
    except (model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def _writable(request, obj):
    if not can_write(request.user, obj):
        raise PermissionDenied


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _run(request, func, success: str, **kwargs):
    """Call a service; its refusal becomes an error message and nothing is changed."""
    try:
        result = func(actor=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return None
    messages.success(request, success)
    return result or True


def _back(request, fallback):
    target = request.POST.get("next") or fallback
    if not target.startswith("/"):
        target = fallback
    return HttpResponseRedirect(target)


class Form(BootstrapMixin, forms.Form):
    pass


def _date(value):
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
