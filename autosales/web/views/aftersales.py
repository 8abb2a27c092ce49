"""After-sales: service orders, maintenance reminders, follow-up calls, complaints and histories."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from autosales.aftersales import selectors, services
from autosales.aftersales.choices import (
    ComplaintCategory,
    ComplaintStatus,
    FollowUpStatus,
    ServiceKind,
    ServiceStatus,
    Severity,
)
from autosales.aftersales.filtersets import (
    ComplaintFilterSet,
    FollowUpCallFilterSet,
    MaintenanceRuleFilterSet,
    ReminderFilterSet,
    ServiceOrderFilterSet,
)
from autosales.aftersales.models import Complaint, FollowUpCall, MaintenanceRule, Reminder, ServiceOrder
from autosales.core.access import can_read_model, can_see_cost, can_write, can_write_model, scope
from autosales.core.choices import Role
from autosales.core.events import events_for
from autosales.core.models import Store, User
from autosales.core.selectors import history_for
from autosales.core.services import model_create, model_update
from autosales.inventory.models import CarModel, Vehicle
from autosales.parties.models import Customer
from autosales.web.forms import BootstrapMixin, ServiceModelForm
from autosales.web.generic import Column, ObjectEditView, ObjectListView, url_or_none

# --- forms ----------------------------------------------------------------------------------------


def _advisors(user):
    stores = scope(user, Store.objects.all())
    return User.objects.filter(is_active=True, role=Role.AFTERSALES, store__in=stores).order_by("username")


class ServiceOrderOpenForm(BootstrapMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("customer"), queryset=Customer.objects.none())
    vin = forms.CharField(
        label=_("VIN"),
        max_length=20,
        help_text=_("A VIN we do not know registers the customer's own vehicle."),
    )
    vehicle_description = forms.CharField(
        label=_("make and model"),
        max_length=120,
        required=False,
        help_text=_("Only for a vehicle bought elsewhere."),
    )
    plate_number = forms.CharField(label=_("plate number"), max_length=12, required=False)
    mileage_km = forms.IntegerField(label=_("mileage (km)"), min_value=0)
    kind = forms.ChoiceField(label=_("kind"), choices=ServiceKind.choices, initial=ServiceKind.MAINTENANCE)
    advisor = forms.ModelChoiceField(label=_("service advisor"), queryset=User.objects.none(), required=False)
    complaint_text = forms.CharField(
        label=_("customer's request"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["customer"].queryset = scope(user, Customer.objects.all()).order_by("name")
        self.fields["advisor"].queryset = _advisors(user)
        self.fields["vin"].widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})
        if user is not None and user.role == Role.AFTERSALES:
            self.initial.setdefault("advisor", user.pk)


class JobForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("description"), max_length=200)
    labour_hours = forms.DecimalField(label=_("labour hours"), max_digits=6, decimal_places=2)
    labour_rate = forms.DecimalField(label=_("labour rate per hour"), max_digits=14, decimal_places=2)
    cost_rate = forms.DecimalField(
        label=_("labour cost per hour"), max_digits=14, decimal_places=2, required=False, initial=0
    )
    is_warranty = forms.BooleanField(label=_("warranty"), required=False)


class PartForm(BootstrapMixin, forms.Form):
    part_number = forms.CharField(label=_("part number"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=120)
    quantity = forms.DecimalField(label=_("quantity"), max_digits=8, decimal_places=2, initial=1)
    unit_cost = forms.DecimalField(label=_("unit cost"), max_digits=14, decimal_places=2)
    unit_price = forms.DecimalField(label=_("unit price"), max_digits=14, decimal_places=2)
    is_warranty = forms.BooleanField(label=_("warranty"), required=False)


class AmountForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(label=_("amount"), max_digits=14, decimal_places=2)


class DiscountForm(BootstrapMixin, forms.Form):
    discount = forms.DecimalField(label=_("discount"), max_digits=14, decimal_places=2, min_value=0)


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), required=False)


class PostponeForm(BootstrapMixin, forms.Form):
    postponed_to = forms.DateField(label=_("postponed to"), widget=forms.DateInput())
    reason = forms.CharField(label=_("reason"), required=False)


SCORE_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]


class FollowUpRecordForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("result"),
        choices=[(FollowUpStatus.DONE, _("Reached")), (FollowUpStatus.UNREACHABLE, _("Unreachable"))],
        initial=FollowUpStatus.DONE,
    )
    # Kept as text: the range is the service's rule, so a forged value gets the same message.
    score = forms.CharField(
        label=_("satisfaction (1–5)"), required=False, widget=forms.Select(choices=SCORE_CHOICES)
    )
    outcome = forms.CharField(label=_("outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ComplaintForm(BootstrapMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("customer"), queryset=Customer.objects.none())
    service_order = forms.ModelChoiceField(
        label=_("service order"), queryset=ServiceOrder.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("category"), choices=ComplaintCategory.choices)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none(), required=False)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = scope(user, Customer.objects.all()).order_by("name")
        self.fields["service_order"].queryset = scope(user, ServiceOrder.objects.all())
        stores = scope(user, Store.objects.all())
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, store__in=stores, role__in=[Role.AFTERSALES, Role.SALES_MANAGER]
        ).order_by("username")


class ResolutionForm(BootstrapMixin, forms.Form):
    resolution = forms.CharField(
        label=_("resolution"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AcceptanceForm(BootstrapMixin, forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("customer accepted"),
        choices=[("1", _("Accepted")), ("0", _("Not accepted"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("note"), required=False)


class OwnerForm(BootstrapMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())


class MaintenanceRuleForm(ServiceModelForm):
    class Meta:
        model = MaintenanceRule
        fields = ["car_model", "interval_km", "interval_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["car_model"].queryset = CarModel.objects.select_related("brand")


# --- helpers --------------------------------------------------------------------------------------


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


def _period(request):
    today = timezone.localdate()
    try:
        end = datetime.date.fromisoformat(request.GET.get("end") or today.isoformat())
        start = datetime.date.fromisoformat(request.GET.get("start") or end.replace(day=1).isoformat())
    except ValueError:
        return today.replace(day=1), today
    return (start, end) if start <= end else (end, start)


# --- service home and widgets ---------------------------------------------------------------------


def dashboard_data(request) -> dict:
    """What the after-sales overview shows to this user for the period in the query string."""
    start, end = _period(request)
    return selectors.service_dashboard(user=request.user, start=start, end=end)


@login_required
def service_home(request):
    if not can_read_model(request.user, ServiceOrder):
        raise PermissionDenied
    data = dashboard_data(request)
    active = (
        selectors.service_order_list(user=request.user)
        .filter(status__in=selectors.ACTIVE_SERVICE_STATUSES)
        .order_by("opened_at")
    )
    return render(
        request,
        "web/aftersales/home.html",
        {
            "data": data,
            "active_orders": list(active[:20]),
            "may_open": can_write_model(request.user, ServiceOrder),
            "show_cost": can_see_cost(request.user),
        },
    )


# --- service orders -------------------------------------------------------------------------------


class ServiceOrderListView(ObjectListView):
    queryset = ServiceOrder.objects.select_related("customer", "vehicle", "advisor", "store")
    filterset = ServiceOrderFilterSet
    filter_fields = ["status", "kind", "store", "advisor", "opened_after", "opened_before"]
    columns = [
        Column("number", link=True),
        Column("opened_at", kind="datetime", order="opened_at"),
        Column("customer", _("customer")),
        Column("vehicle.vin", _("VIN")),
        Column("vehicle.plate_number", _("plate number")),
        Column("kind"),
        Column("status"),
        Column("mileage_km", kind="number", order="mileage_km"),
        Column("advisor", _("service advisor")),
        Column("revenue", _("revenue"), kind="money"),
        Column("gross_profit", _("gross profit"), kind="money", cost=True),
        Column("closed_at", kind="datetime", order="closed_at"),
    ]
    title = _("Service orders")
    detail_url_name = "web:service_order_detail"
    add_url_name = "web:service_order_create"
    export_name = "service-orders"
    search_placeholder = _("Number, VIN, plate or customer")


@login_required
def service_order_create(request):
    if not can_write_model(request.user, ServiceOrder):
        raise PermissionDenied
    initial = {}
    if request.GET.get("customer", "").isdigit():
        initial["customer"] = request.GET["customer"]
    if request.GET.get("vin"):
        initial["vin"] = request.GET["vin"]
    form = ServiceOrderOpenForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        store = request.user.store or data["customer"].store
        try:
            order = services.service_order_open(
                store=store,
                customer=data["customer"],
                vin=data["vin"],
                vehicle_description=data["vehicle_description"],
                plate_number=data["plate_number"],
                mileage_km=data["mileage_km"],
                kind=data["kind"],
                advisor=data["advisor"],
                complaint_text=data["complaint_text"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {"__all__": error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, gettext("Service order %(number)s was opened.") % {"number": order.number}
            )
            return HttpResponseRedirect(reverse("web:service_order_detail", args=[order.pk]))
    return render(
        request,
        "web/object_form.html",
        {
            "form": form,
            "title": gettext("Open a service order"),
            "cancel_url": reverse("web:service_order_list"),
            "submit_label": gettext("Open the order"),
        },
    )


@login_required
def service_order_detail(request, pk):
    order = _get(request, ServiceOrder, pk)
    order = (
        selectors.service_order_list(user=request.user)
        .select_related("vehicle__trim__car_model__brand")
        .prefetch_related("jobs", "parts")
        .get(pk=order.pk)
    )
    writable = can_write(request.user, order)
    editable = writable and order.status in services.EDITABLE_SERVICE_STATUSES
    moves = services.SERVICE_TRANSITIONS[ServiceStatus(order.status)] if writable else set()
    calls = list(
        scope(request.user, FollowUpCall.objects.filter(service_order=order)).select_related(
            "caller", "complaint"
        )
    )
    return render(
        request,
        "web/aftersales/service_order_detail.html",
        {
            "order": order,
            "title": order.number,
            "show_cost": can_see_cost(request.user),
            "writable": writable,
            "editable": editable,
            "may_start": ServiceStatus.IN_PROGRESS in moves and order.status == ServiceStatus.OPEN,
            "may_ready": ServiceStatus.READY in moves,
            "may_reopen": ServiceStatus.IN_PROGRESS in moves and order.status == ServiceStatus.READY,
            "may_close": ServiceStatus.CLOSED in moves,
            "may_cancel": ServiceStatus.CANCELLED in moves,
            "may_pay": writable and order.status not in (ServiceStatus.CLOSED, ServiceStatus.CANCELLED),
            "job_form": JobForm(
                initial={"is_warranty": order.kind == ServiceKind.WARRANTY}, auto_id="job_%s"
            ),
            "part_form": PartForm(
                initial={"is_warranty": order.kind == ServiceKind.WARRANTY}, auto_id="part_%s"
            ),
            "amount_form": AmountForm(initial={"amount": order.balance_due}),
            "discount_form": DiscountForm(initial={"discount": order.discount}),
            "calls": calls,
            "history": history_for(order, user=request.user, states=ServiceStatus),
        },
    )


SERVICE_ACTIONS = {
    "start": (
        None,
        lambda o, a, d: services.service_order_start(service_order=o, actor=a),
        _("Work started."),
    ),
    "ready": (
        None,
        lambda o, a, d: services.service_order_mark_ready(service_order=o, actor=a),
        _("Ready for pick-up."),
    ),
    "reopen": (
        ReasonForm,
        lambda o, a, d: services.service_order_reopen(service_order=o, actor=a, reason=d["reason"]),
        _("Back in the workshop."),
    ),
    "close": (
        None,
        lambda o, a, d: services.service_order_close(service_order=o, actor=a),
        _("Service order closed."),
    ),
    "cancel": (
        ReasonForm,
        lambda o, a, d: services.service_order_cancel(service_order=o, actor=a, reason=d["reason"]),
        _("Service order cancelled."),
    ),
    "add-job": (
        JobForm,
        lambda o, a, d: services.service_job_add(
            service_order=o, actor=a, **{**d, "cost_rate": d["cost_rate"] or 0}
        ),
        _("Job added."),
    ),
    "add-part": (
        PartForm,
        lambda o, a, d: services.service_part_add(service_order=o, actor=a, **d),
        _("Part added."),
    ),
    "discount": (
        DiscountForm,
        lambda o, a, d: services.service_order_set_discount(service_order=o, actor=a, discount=d["discount"]),
        _("Discount saved."),
    ),
    "pay": (
        AmountForm,
        lambda o, a, d: services.service_order_record_payment(service_order=o, actor=a, amount=d["amount"]),
        _("Payment recorded."),
    ),
}


@login_required
@require_POST
def service_order_action(request, pk, action):
    order = _get(request, ServiceOrder, pk)
    if action not in SERVICE_ACTIONS:
        raise Http404
    form_class, call, success = SERVICE_ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    _run(request, order, lambda data: call(order, request.user, data), form, success)
    return HttpResponseRedirect(reverse("web:service_order_detail", args=[order.pk]))


@login_required
@require_POST
def service_line_action(request, pk, line_kind, line_pk, action):
    order = _get(request, ServiceOrder, pk)
    related = {"job": order.jobs, "part": order.parts}.get(line_kind)
    line = related.filter(pk=line_pk).first() if related is not None else None
    if line is None:
        raise Http404
    if action == "remove":
        call = services.service_job_remove if line_kind == "job" else services.service_part_remove
        _run(
            request,
            order,
            lambda data: call(**{line_kind: line, "actor": request.user}),
            success=_("Removed."),
        )
    elif action == "paid" and line_kind == "part":
        _run(
            request,
            order,
            lambda data: services.service_part_mark_paid(part=line, actor=request.user),
            success=_("Part marked as paid."),
        )
    else:
        raise Http404
    return HttpResponseRedirect(reverse("web:service_order_detail", args=[order.pk]))


# --- reminders ------------------------------------------------------------------------------------


class ReminderListView(ObjectListView):
    queryset = Reminder.objects.select_related("customer", "vehicle", "advisor", "store")
    filterset = ReminderFilterSet
    filter_fields = ["status", "advisor", "due_after", "due_before"]
    columns = [
        Column("due_date", kind="date", order="due_date"),
        Column("customer", _("customer")),
        Column("customer.mobile", _("mobile")),
        Column("vehicle.vin", _("VIN")),
        Column("due_mileage_km", kind="number"),
        Column("last_service_date", kind="date"),
        Column("advisor", _("service advisor")),
        Column("status"),
        Column("postponed_to", kind="date"),
        Column("reason"),
    ]
    title = _("Maintenance reminders")
    export_name = "reminders"
    search_placeholder = _("Customer, last 6 of VIN or plate")


@login_required
def reminders_due_view(request):
    if not can_read_model(request.user, Reminder):
        raise PermissionDenied
    on = timezone.localdate()
    due = list(selectors.reminders_due(user=request.user, on=on)[:200])
    return render(
        request,
        "web/aftersales/reminders_due.html",
        {
            "reminders": due,
            "on": on,
            "may_write": can_write_model(request.user, Reminder),
            "tomorrow": on + datetime.timedelta(days=1),
        },
    )


REMINDER_ACTIONS = {
    "done": (
        ReasonForm,
        lambda r, a, d: services.reminder_mark_done(reminder=r, actor=a, note=d["reason"]),
        _("Marked done."),
    ),
    "postpone": (
        PostponeForm,
        lambda r, a, d: services.reminder_postpone(
            reminder=r, actor=a, postponed_to=d["postponed_to"], reason=d["reason"]
        ),
        _("Postponed."),
    ),
    "refuse": (
        ReasonForm,
        lambda r, a, d: services.reminder_refuse(reminder=r, actor=a, reason=d["reason"]),
        _("Marked refused."),
    ),
}


@login_required
@require_POST
def reminder_action(request, pk, action):
    reminder = _get(request, Reminder, pk)
    if action not in REMINDER_ACTIONS:
        raise Http404
    form_class, call, success = REMINDER_ACTIONS[action]
    _run(
        request, reminder, lambda data: call(reminder, request.user, data), form_class(request.POST), success
    )
    return _back(request, reverse("web:reminder_due"))


# --- follow-up calls ------------------------------------------------------------------------------


class FollowUpCallListView(ObjectListView):
    queryset = FollowUpCall.objects.select_related("customer", "caller", "order", "service_order", "store")
    filterset = FollowUpCallFilterSet
    filter_fields = ["status", "kind", "caller", "due_before", "score_max"]
    columns = [
        Column("due_date", kind="date", order="due_date"),
        Column("kind"),
        Column("customer", _("customer")),
        Column("customer.mobile", _("mobile")),
        Column("service_order", _("service order")),
        Column("order", _("order")),
        Column("status"),
        Column("score", kind="number"),
        Column("caller", _("caller")),
        Column("called_at", kind="datetime", order="called_at"),
        Column("outcome"),
    ]
    title = _("Follow-up calls")
    export_name = "follow-up-calls"
    search_placeholder = _("Customer")


@login_required
def follow_ups_due_view(request):
    if not can_read_model(request.user, FollowUpCall):
        raise PermissionDenied
    calls = list(selectors.follow_ups_due(user=request.user)[:200])
    return render(
        request,
        "web/aftersales/follow_ups_due.html",
        {
            "calls": calls,
            "form": FollowUpRecordForm(),
            "may_write": can_write_model(request.user, FollowUpCall),
        },
    )


@login_required
@require_POST
def follow_up_record_view(request, pk):
    call = _get(request, FollowUpCall, pk)
    form = FollowUpRecordForm(request.POST)
    done = _run(
        request,
        call,
        lambda data: services.follow_up_record(
            call=call, actor=request.user, status=data["status"], score=data["score"], outcome=data["outcome"]
        ),
        form,
        _("Call recorded."),
    )
    if done:
        call.refresh_from_db()
        complaint = Complaint.objects.filter(follow_up_call=call).first()
        if complaint is not None:
            messages.warning(
                request, gettext("The low score opened complaint no. %(id)s.") % {"id": complaint.pk}
            )
    return _back(request, reverse("web:follow_up_due"))


# --- complaints -----------------------------------------------------------------------------------


class ComplaintListView(ObjectListView):
    queryset = Complaint.objects.select_related("customer", "owner", "store", "service_order")
    filterset = ComplaintFilterSet
    filter_fields = ["status", "category", "severity", "owner", "overdue"]
    columns = [
        Column("id", _("No."), link=True, order="id"),
        Column("created_at", kind="date"),
        Column("customer", _("customer")),
        Column("category"),
        Column("severity"),
        Column("status"),
        Column("owner", _("owner")),
        Column("due_date", kind="date", order="due_date"),
        Column("escalated_at", kind="datetime"),
        Column("customer_accepted", kind="bool"),
    ]
    title = _("Complaints")
    detail_url_name = "web:complaint_detail"
    add_url_name = "web:complaint_create"
    export_name = "complaints"
    search_placeholder = _("Customer or text")


@login_required
def complaint_create(request):
    if not can_write_model(request.user, Complaint):
        raise PermissionDenied
    initial = {
        key: request.GET[key] for key in ("customer", "service_order") if request.GET.get(key, "").isdigit()
    }
    form = ComplaintForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_open(
                customer=data["customer"],
                service_order=data["service_order"],
                category=data["category"],
                severity=data["severity"],
                owner=data["owner"],
                description=data["description"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {"__all__": error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("Complaint no. %(id)s was opened.") % {"id": complaint.pk})
            return HttpResponseRedirect(reverse("web:complaint_detail", args=[complaint.pk]))
    return render(
        request,
        "web/object_form.html",
        {"form": form, "title": gettext("New complaint"), "cancel_url": reverse("web:complaint_list")},
    )


@login_required
def complaint_detail(request, pk):
    complaint = _get(request, Complaint, pk)
    writable = can_write(request.user, complaint)
    owner_form = OwnerForm(initial={"owner": complaint.owner_id})
    owner_form.fields["owner"].queryset = ComplaintForm(user=request.user).fields["owner"].queryset
    return render(
        request,
        "web/aftersales/complaint_detail.html",
        {
            "complaint": complaint,
            "title": gettext("Complaint no. %(id)s") % {"id": complaint.pk},
            "writable": writable,
            "overdue": complaint.is_open and complaint.due_date < timezone.localdate(),
            "resolution_form": ResolutionForm(),
            "acceptance_form": AcceptanceForm(),
            "owner_form": owner_form,
            "events": _labelled(events_for(complaint)[:15], ComplaintStatus),
        },
    )


COMPLAINT_ACTIONS = {
    "start": (
        None,
        lambda c, a, d: services.complaint_start(complaint=c, actor=a),
        _("Work on the complaint started."),
    ),
    "resolve": (
        ResolutionForm,
        lambda c, a, d: services.complaint_resolve(complaint=c, actor=a, resolution=d["resolution"]),
        _("Resolution recorded."),
    ),
    "acceptance": (
        AcceptanceForm,
        lambda c, a, d: services.complaint_record_acceptance(
            complaint=c, actor=a, accepted=d["accepted"], note=d["note"]
        ),
        _("The customer's answer was recorded."),
    ),
}


@login_required
@require_POST
def complaint_action(request, pk, action):
    complaint = _get(request, Complaint, pk)
    if action == "assign":
        form = OwnerForm(request.POST)
        form.fields["owner"].queryset = ComplaintForm(user=request.user).fields["owner"].queryset
        _run(
            request,
            complaint,
            lambda data: services.complaint_assign(
                complaint=complaint, owner=data["owner"], actor=request.user
            ),
            form,
            _("Owner changed."),
        )
    elif action in COMPLAINT_ACTIONS:
        form_class, call, success = COMPLAINT_ACTIONS[action]
        form = form_class(request.POST) if form_class else None
        _run(request, complaint, lambda data: call(complaint, request.user, data), form, success)
    else:
        raise Http404
    return HttpResponseRedirect(reverse("web:complaint_detail", args=[complaint.pk]))


# --- history --------------------------------------------------------------------------------------


@login_required
def customer_history_view(request, pk):
    customer = selectors.history_subject(user=request.user, model=Customer, pk=pk)
    if customer is None:
        raise Http404
    history = selectors.customer_history(user=request.user, customer=customer)
    return render(
        request,
        "web/aftersales/history.html",
        {
            "subject": customer,
            "customer": customer,
            "history": history,
            "title": gettext("History of %(name)s") % {"name": customer},
            "show_cost": can_see_cost(request.user),
            "back_url": url_or_none("web:customer_detail", customer.pk),
            "open_url": reverse("web:service_order_create") + f"?customer={customer.pk}"
            if can_write_model(request.user, ServiceOrder)
            else None,
        },
    )


@login_required
def vehicle_history_view(request, pk):
    vehicle = selectors.history_subject(user=request.user, model=Vehicle, pk=pk)
    if vehicle is None:
        raise Http404
    history = selectors.vehicle_history(user=request.user, vehicle=vehicle)
    return render(
        request,
        "web/aftersales/history.html",
        {
            "subject": vehicle,
            "vehicle": vehicle,
            "history": history,
            "title": gettext("History of vehicle %(vin)s") % {"vin": vehicle.vin},
            "show_cost": can_see_cost(request.user),
            "back_url": url_or_none("web:vehicle_detail", vehicle.pk),
            "open_url": reverse("web:service_order_create") + f"?vin={vehicle.vin}"
            if can_write_model(request.user, ServiceOrder)
            else None,
        },
    )


# --- maintenance rules ----------------------------------------------------------------------------


class MaintenanceRuleListView(ObjectListView):
    queryset = MaintenanceRule.objects.select_related("car_model__brand")
    filterset = MaintenanceRuleFilterSet
    columns = [
        Column(
            "car_model",
            _("model"),
            link=True,
            accessor=lambda r: r.car_model or gettext("Default (every model)"),
        ),
        Column("interval_km", kind="number"),
        Column("interval_months", kind="number"),
    ]
    title = _("Maintenance rules")
    detail_url_name = "web:maintenance_rule_edit"
    add_url_name = "web:maintenance_rule_create"
    link_requires_write = True

    def get_queryset(self, request):
        # Rules are group-wide configuration: everyone who may read them sees all of them.
        return self.queryset.all() if can_read_model(request.user, MaintenanceRule) else self.queryset.none()


class MaintenanceRuleEditView(ObjectEditView):
    queryset = MaintenanceRule.objects.select_related("car_model")
    form_class = MaintenanceRuleForm
    list_url_name = "web:maintenance_rule_list"

    def get_object(self, request, pk):
        try:
            return self.queryset.get(pk=pk)
        except MaintenanceRule.DoesNotExist as exc:
            raise Http404 from exc

    def success_url(self, obj):
        return reverse("web:maintenance_rule_list")

    def create(self, request, form, data):
        return model_create(MaintenanceRule, actor=request.user, data=data)

    def update(self, request, obj, form, data):
        return model_update(obj, actor=request.user, data=data)


urlpatterns = [
    path("", service_home, name="service_home"),
    path("orders/", ServiceOrderListView.as_view(), name="service_order_list"),
    path("orders/new/", service_order_create, name="service_order_create"),
    path("orders/<int:pk>/", service_order_detail, name="service_order_detail"),
    path("orders/<int:pk>/<slug:action>/", service_order_action, name="service_order_action"),
    path(
        "orders/<int:pk>/<str:line_kind>/<int:line_pk>/<slug:action>/",
        service_line_action,
        name="service_line_action",
    ),
    path("reminders/", reminders_due_view, name="reminder_due"),
    path("reminders/all/", ReminderListView.as_view(), name="reminder_list"),
    path("reminders/<int:pk>/<slug:action>/", reminder_action, name="reminder_action"),
    path("calls/", follow_ups_due_view, name="follow_up_due"),
    path("calls/all/", FollowUpCallListView.as_view(), name="follow_up_list"),
    path("calls/<int:pk>/record/", follow_up_record_view, name="follow_up_record"),
    path("complaints/", ComplaintListView.as_view(), name="complaint_list"),
    path("complaints/new/", complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/<slug:action>/", complaint_action, name="complaint_action"),
    path("history/customer/<int:pk>/", customer_history_view, name="customer_service_history"),
    path("history/vehicle/<int:pk>/", vehicle_history_view, name="vehicle_service_history"),
    path("rules/", MaintenanceRuleListView.as_view(), name="maintenance_rule_list"),
    path("rules/new/", MaintenanceRuleEditView.as_view(), name="maintenance_rule_create"),
    path("rules/<int:pk>/", MaintenanceRuleEditView.as_view(), name="maintenance_rule_edit"),
]
