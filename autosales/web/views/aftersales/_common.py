"""What the after-sales pages share: row lookup, running a service, messages and event labels."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from autosales.core.access import can_write, scope
from autosales.web.forms import BootstrapMixin


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), required=False)


def _get(request, model, pk):
    try:
        return scope(request.user, model.objects.all()).get(pk=pk)
    except model.DoesNotExist as exc:
        raise Http404 from exc


def _back(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def _report_errors(request, error):
    if isinstance(error, ValidationError):
        texts = error.messages
    else:  # a Django form's errors
        texts = [str(message) for messages_ in error.values() for message in messages_]
    for text in texts:
        messages.error(request, text)


def _run(request, obj, call, form=None, success=None):
    """Validate the form, run the service and report the outcome as a message."""
    if not can_write(request.user, obj):
        raise PermissionDenied
    if form is not None and not form.is_valid():
        _report_errors(request, form.errors)
        return False
    try:
        call(form.cleaned_data if form is not None else {})
    except ValidationError as error:
        _report_errors(request, error)
        return False
    if success:
        messages.success(request, success)
    return True


EVENT_LABELS = {
    "service.opened": _("Opened"),
    "service.status": _("Status"),
    "service.job_removed": _("Job removed"),
    "service.part_removed": _("Part removed"),
    "service.part_paid": _("Part paid"),
    "service.discount": _("Discount changed"),
    "service.payment": _("Payment recorded"),
    "complaint.opened": _("Opened"),
    "complaint.status": _("Status"),
    "complaint.assigned": _("Owner changed"),
    "complaint.escalated": _("Escalated to the manager"),
}


def _labelled(events, statuses):
    """Events with ``label`` and ``to_label`` in the user's language."""
    events = list(events)
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
        event.to_label = (
            statuses(event.to_state).label if event.to_state in statuses.values else event.to_state
        )
    return events
