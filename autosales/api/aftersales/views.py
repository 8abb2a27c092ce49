import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from autosales.aftersales import selectors, services
from autosales.aftersales.filtersets import (
    ComplaintFilterSet,
    FollowUpCallFilterSet,
    MaintenanceRuleFilterSet,
    ReminderFilterSet,
    ServiceOrderFilterSet,
)
from autosales.aftersales.models import (
    AfterSalesSettings,
    Complaint,
    FollowUpCall,
    MaintenanceRule,
    Reminder,
    ServiceOrder,
)
from autosales.api.base import RoleAccess, ScopedModelViewSet, ScopedReadOnlyViewSet, summary_serializer
from autosales.core.access import can_read_model, can_write
from autosales.inventory.models import Vehicle
from autosales.parties.models import Customer

from .serializers import (
    AcceptanceInput,
    AfterSalesSettingsSerializer,
    AmountInput,
    ComplaintSerializer,
    DiscountInput,
    FollowUpCallSerializer,
    FollowUpRecordInput,
    HistorySerializer,
    JobInput,
    KpiSerializer,
    LineRefInput,
    MaintenanceRuleSerializer,
    NoteInput,
    OwnerInput,
    PartInput,
    PostponeInput,
    ReasonInput,
    ReminderSerializer,
    ResolutionInput,
    ServiceOrderSerializer,
)


class ServiceOrderViewSet(ScopedModelViewSet):
    """Service orders (maintenance, repair, warranty, accident). Open with POST; jobs, parts, discount,
    payments and the status (open → in progress → ready → closed) change only through the actions.
    Closing needs the bill paid in full and every billable part paid; it schedules the day-3 follow-up
    call and the next maintenance reminder."""

    queryset = ServiceOrder.objects.all()
    serializer_class = ServiceOrderSerializer
    list_serializer_class = summary_serializer(ServiceOrderSerializer, "jobs", "parts")
    filterset_class = ServiceOrderFilterSet
    list_related_fields = (
        "customer__name",
        "vehicle__vin",
        "advisor__username",
        "advisor__first_name",
        "advisor__last_name",
        "store__code",
    )
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.service_order_list(user=self.request.user).prefetch_related("jobs", "parts")

    def _line_action(self, service, model_attr, arg):
        order = self.get_object()
        ref = LineRefInput(data=self.request.data)
        ref.is_valid(raise_exception=True)
        line = get_object_or_404(getattr(order, model_attr).all(), pk=ref.validated_data["id"])
        if not can_write(self.request.user, order):
            raise exceptions.PermissionDenied()
        service(**{arg: line}, actor=self.request.user)
        return Response(self.get_serializer(self.reread(order)).data)

    @extend_schema(request=JobInput, responses=ServiceOrderSerializer, summary="Add a job")
    @action(detail=True, methods=["post"], url_path="add-job")
    def add_job(self, request, pk=None):
        return self.run_action(
            services.service_job_add, instance_arg="service_order", input_serializer=JobInput
        )

    @extend_schema(request=LineRefInput, responses=ServiceOrderSerializer, summary="Remove a job")
    @action(detail=True, methods=["post"], url_path="remove-job")
    def remove_job(self, request, pk=None):
        return self._line_action(services.service_job_remove, "jobs", "job")

    @extend_schema(request=PartInput, responses=ServiceOrderSerializer, summary="Add a part")
    @action(detail=True, methods=["post"], url_path="add-part")
    def add_part(self, request, pk=None):
        return self.run_action(
            services.service_part_add, instance_arg="service_order", input_serializer=PartInput
        )

    @extend_schema(request=LineRefInput, responses=ServiceOrderSerializer, summary="Remove a part")
    @action(detail=True, methods=["post"], url_path="remove-part")
    def remove_part(self, request, pk=None):
        return self._line_action(services.service_part_remove, "parts", "part")

    @extend_schema(request=LineRefInput, responses=ServiceOrderSerializer, summary="Mark a part paid")
    @action(detail=True, methods=["post"], url_path="part-paid")
    def part_paid(self, request, pk=None):
        return self._line_action(services.service_part_mark_paid, "parts", "part")

    @extend_schema(request=DiscountInput, responses=ServiceOrderSerializer)
    @action(detail=True, methods=["post"])
    def discount(self, request, pk=None):
        return self.run_action(
            services.service_order_set_discount, instance_arg="service_order", input_serializer=DiscountInput
        )

    @extend_schema(request=AmountInput, responses=ServiceOrderSerializer, summary="Record a customer payment")
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        return self.run_action(
            services.service_order_record_payment, instance_arg="service_order", input_serializer=AmountInput
        )

    @extend_schema(request=None, responses=ServiceOrderSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self.run_action(services.service_order_start, instance_arg="service_order")

    @extend_schema(request=None, responses=ServiceOrderSerializer)
    @action(detail=True, methods=["post"])
    def ready(self, request, pk=None):
        return self.run_action(services.service_order_mark_ready, instance_arg="service_order")

    @extend_schema(request=ReasonInput, responses=ServiceOrderSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self.run_action(
            services.service_order_reopen, instance_arg="service_order", input_serializer=ReasonInput
        )

    @extend_schema(request=None, responses=ServiceOrderSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.run_action(services.service_order_close, instance_arg="service_order")

    @extend_schema(request=ReasonInput, responses=ServiceOrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self.run_action(
            services.service_order_cancel, instance_arg="service_order", input_serializer=ReasonInput
        )


class ReminderViewSet(ScopedReadOnlyViewSet):
    """Maintenance reminders. ``due/`` is the user's due list for today (an advisor's own and the
    store's unassigned ones); the actions mark one done, postponed (to a later day) or refused (with a reason)."""

    queryset = Reminder.objects.all()
    serializer_class = ReminderSerializer
    filterset_class = ReminderFilterSet

    def get_queryset(self):
        return selectors.reminder_list(user=self.request.user)

    @extend_schema(responses=ReminderSerializer(many=True), summary="Today's due list")
    @action(detail=False, methods=["get"])
    def due(self, request):
        page = self.paginate_queryset(selectors.reminders_due(user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=NoteInput, responses=ReminderSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        return self.run_action(
            services.reminder_mark_done, instance_arg="reminder", input_serializer=NoteInput
        )

    @extend_schema(request=PostponeInput, responses=ReminderSerializer)
    @action(detail=True, methods=["post"])
    def postpone(self, request, pk=None):
        return self.run_action(
            services.reminder_postpone, instance_arg="reminder", input_serializer=PostponeInput
        )

    @extend_schema(request=ReasonInput, responses=ReminderSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self.run_action(
            services.reminder_refuse, instance_arg="reminder", input_serializer=ReasonInput
        )


class FollowUpCallViewSet(ScopedReadOnlyViewSet):
    """Follow-up calls (回访) after deliveries (day 3 and 30) and services (day 3). Recording a score of
    2 or less opens a complaint linked to the call."""

    queryset = FollowUpCall.objects.all()
    serializer_class = FollowUpCallSerializer
    filterset_class = FollowUpCallFilterSet

    def get_queryset(self):
        return selectors.follow_up_list(user=self.request.user).select_related("complaint")

    @extend_schema(responses=FollowUpCallSerializer(many=True), summary="Calls to make today")
    @action(detail=False, methods=["get"])
    def due(self, request):
        page = self.paginate_queryset(selectors.follow_ups_due(user=request.user).select_related("complaint"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=FollowUpRecordInput, responses=FollowUpCallSerializer, summary="Record the call")
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        return self.run_action(
            services.follow_up_record, instance_arg="call", input_serializer=FollowUpRecordInput
        )


class ComplaintViewSet(ScopedModelViewSet):
    """Complaints with category, severity, owner and a due date set by severity. Overdue open complaints
    are escalated to the managers' dashboard (``?overdue=true``)."""

    queryset = Complaint.objects.all()
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.complaint_list(user=self.request.user)

    @extend_schema(request=None, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self.run_action(services.complaint_start, instance_arg="complaint")

    @extend_schema(request=OwnerInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self.run_action(
            services.complaint_assign, instance_arg="complaint", input_serializer=OwnerInput
        )

    @extend_schema(request=ResolutionInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self.run_action(
            services.complaint_resolve, instance_arg="complaint", input_serializer=ResolutionInput
        )

    @extend_schema(request=AcceptanceInput, responses=ComplaintSerializer, summary="The customer's answer")
    @action(detail=True, methods=["post"])
    def acceptance(self, request, pk=None):
        return self.run_action(
            services.complaint_record_acceptance, instance_arg="complaint", input_serializer=AcceptanceInput
        )


class MaintenanceRuleViewSet(ScopedModelViewSet):
    """Maintenance intervals per model (km and months); the rule without a model is the default."""

    queryset = MaintenanceRule.objects.select_related("car_model__brand")
    serializer_class = MaintenanceRuleSerializer
    filterset_class = MaintenanceRuleFilterSet


class AfterSalesSettingsView(generics.RetrieveUpdateAPIView):
    """The group's after-sales settings (one object): read by the after-sales team and managers,
    changed with ``PATCH`` by general managers and administrators. New complaints and follow-up calls
    take their due dates from them."""

    queryset = AfterSalesSettings.objects.all()
    serializer_class = AfterSalesSettingsSerializer
    permission_classes = [RoleAccess]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        settings_row = AfterSalesSettings.current()
        self.check_object_permissions(self.request, settings_row)
        return settings_row


def _period(request):
    today = timezone.localdate()
    try:
        end = datetime.date.fromisoformat(request.query_params.get("end") or today.isoformat())
        start = datetime.date.fromisoformat(
            request.query_params.get("start") or end.replace(day=1).isoformat()
        )
    except ValueError as exc:
        raise exceptions.ValidationError({"start": [_("Enter dates as YYYY-MM-DD.")]}) from exc
    if start > end:
        raise exceptions.ValidationError({"start": [_("The start is after the end.")]})
    return start, end


class ServiceKpiView(APIView):
    """After-sales dashboard figures for the period (default: this month to date)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day (default: 1st of the month)"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (default: today)"),
        ],
        responses=KpiSerializer,
    )
    def get(self, request):
        if not can_read_model(request.user, ServiceOrder):
            raise exceptions.PermissionDenied()
        start, end = _period(request)
        return Response(KpiSerializer(selectors.service_kpis(user=request.user, start=start, end=end)).data)


class _HistoryView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    model = None

    def load(self, user, obj):
        raise NotImplementedError

    def get(self, request, pk):
        obj = selectors.history_subject(user=request.user, model=self.model, pk=pk)
        if obj is None:
            raise Http404
        history = self.load(request.user, obj)
        return Response(HistorySerializer(history, context={"request": request, "view": self}).data)


class CustomerHistoryView(_HistoryView):
    """A customer's purchases, services, complaints, follow-up calls and reminders."""

    model = Customer

    @extend_schema(responses=HistorySerializer)
    def get(self, request, pk):
        return super().get(request, pk)

    def load(self, user, obj):
        return selectors.customer_history(user=user, customer=obj)


class VehicleHistoryView(_HistoryView):
    """A vehicle's sale, services, complaints, follow-up calls and reminders."""

    model = Vehicle

    @extend_schema(responses=HistorySerializer)
    def get(self, request, pk):
        return super().get(request, pk)

    def load(self, user, obj):
        return selectors.vehicle_history(user=user, vehicle=obj)
