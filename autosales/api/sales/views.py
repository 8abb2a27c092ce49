import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from autosales.api.base import (
    HistoryMixin,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    ScopedViewSetMixin,
    summary_serializer,
)
from autosales.core import access
from autosales.sales import selectors, services
from autosales.sales.choices import OrderStatus, QuoteStatus
from autosales.sales.filtersets import (
    ActivityFilterSet,
    DeliveryFilterSet,
    FleetAgreementFilterSet,
    LeadFilterSet,
    OrderFilterSet,
    PaymentFilterSet,
    QuoteFilterSet,
    SalesTargetFilterSet,
    TradeInFilterSet,
)
from autosales.sales.models import (
    Activity,
    Delivery,
    FleetAgreement,
    Lead,
    Order,
    Payment,
    Quote,
    QuoteLine,
    SalesTarget,
    TradeInAppraisal,
)
from autosales.sales.pdf import quote_pdf

from . import serializers as s


class LeadViewSet(ScopedModelViewSet):
    """Leads and their funnel. New leads are assigned round-robin in the store, or to the owner of a
    known customer; a second open lead for the same mobile or company is refused naming the first
    (or merged into it with ``on_duplicate=merge``)."""

    queryset = Lead.objects.select_related("customer", "owner", "store")
    serializer_class = s.LeadSerializer
    list_related_fields = ("customer__name", "owner__username", "owner__first_name", "owner__last_name")
    filterset_class = LeadFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=s.LeadCreateSerializer, responses={201: s.LeadSerializer})
    def create(self, request, *args, **kwargs):
        form = s.LeadCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        lead = services.lead_create(actor=request.user, **form.to_service_kwargs(request.user))
        return Response(self.get_serializer(self.reread(lead)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.LeadStageInput, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        return self.run_action(
            services.lead_stage_change, instance_arg="lead", input_serializer=s.LeadStageInput
        )

    @extend_schema(request=s.LeadAssignInput, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self.run_action(services.lead_assign, instance_arg="lead", input_serializer=s.LeadAssignInput)

    @extend_schema(request=s.LeadActivityInput, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"])
    def activity(self, request, pk=None):
        """Log a call, visit or test drive on the lead and set the next follow-up."""
        return self.run_action(
            services.activity_log, instance_arg="lead", input_serializer=s.LeadActivityInput
        )

    @extend_schema(request=s.LostRequestInput, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"], url_path="lost-request")
    def lost_request(self, request, pk=None):
        return self.run_action(
            services.lead_lost_request, instance_arg="lead", input_serializer=s.LostRequestInput
        )

    @extend_schema(request=s.LeadNoteInput, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"], url_path="lost-approve")
    def lost_approve(self, request, pk=None):
        return self.run_action(
            services.lead_lost_approve, instance_arg="lead", input_serializer=s.LeadNoteInput
        )

    @extend_schema(request=s.LeadNoteInput, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"], url_path="lost-return")
    def lost_return(self, request, pk=None):
        return self.run_action(
            services.lead_lost_return, instance_arg="lead", input_serializer=s.LeadNoteInput
        )


class ActivityViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Calls, visits, test drives and follow-up tasks."""

    queryset = Activity.objects.select_related("user", "customer")
    serializer_class = s.ActivitySerializer
    filterset_class = ActivityFilterSet


class QuoteViewSet(HistoryMixin, ScopedModelViewSet):
    """Quotes with their lines, taxes, gross profit and margin (cost figures only for roles that
    see cost). Discounts beyond the submitter's authority wait for the right approver."""

    # Rows name their customer; store and salesperson go out as ids, read from the row itself.
    queryset = Quote.objects.select_related("customer").prefetch_related("lines__vehicle")
    serializer_class = s.QuoteSerializer
    list_serializer_class = summary_serializer(s.QuoteSerializer, "lines")
    list_related_fields = ("customer__name",)
    filterset_class = QuoteFilterSet
    history_states = QuoteStatus
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _line(self, quote, line_id):
        return get_object_or_404(QuoteLine, pk=line_id, quote=quote)

    @extend_schema(request=s.QuoteLineInput, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"], url_path="lines")
    def add_line(self, request, pk=None):
        return self.run_action(
            services.quote_line_add, instance_arg="quote", input_serializer=s.QuoteLineInput
        )

    @extend_schema(request=s.QuoteLineChangeInput, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"], url_path="change-line")
    def change_line(self, request, pk=None):
        quote = self.get_object()
        if not access.can_write(request.user, quote):
            raise PermissionDenied
        form = s.QuoteLineChangeInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        services.quote_line_update(line=self._line(quote, data.pop("line")), actor=request.user, **data)
        return Response(self.get_serializer(self.reread(quote)).data)

    @extend_schema(request=s.QuoteLineRef, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"], url_path="remove-line")
    def remove_line(self, request, pk=None):
        quote = self.get_object()
        form = s.QuoteLineRef(data=request.data)
        form.is_valid(raise_exception=True)
        services.quote_line_remove(line=self._line(quote, form.validated_data["line"]), actor=request.user)
        return Response(self.get_serializer(self.reread(quote)).data)

    @extend_schema(request=s.SalesReasonInput, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.run_action(
            services.quote_submit, instance_arg="quote", input_serializer=s.SalesReasonInput
        )

    @extend_schema(request=s.SalesReasonInput, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.run_action(
            services.quote_approve, instance_arg="quote", input_serializer=s.SalesReasonInput
        )

    @extend_schema(request=s.SalesRequiredReasonInput, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self.run_action(
            services.quote_reject, instance_arg="quote", input_serializer=s.SalesRequiredReasonInput
        )

    @extend_schema(request=None, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        return self.run_action(services.quote_send, instance_arg="quote")

    @extend_schema(request=None, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self.run_action(services.quote_accept, instance_arg="quote")

    @extend_schema(request=s.SalesReasonInput, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self.run_action(
            services.quote_cancel, instance_arg="quote", input_serializer=s.SalesReasonInput
        )

    @extend_schema(responses=s.QuoteApprovalSerializer(many=True))
    @action(detail=True, methods=["get"])
    def approvals(self, request, pk=None):
        quote = self.get_object()
        return Response(
            s.QuoteApprovalSerializer(quote.approvals.select_related("decided_by"), many=True).data
        )

    @extend_schema(responses=s.QuoteApprovalSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="approvals-pending")
    def approvals_pending(self, request):
        """Approvals waiting for the caller's role, with margin and the customer's concessions this year."""
        rows = selectors.approvals_pending_for(request.user, self.get_queryset())
        return Response(s.QuoteApprovalSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("lang", OpenApiTypes.STR, description="zh-hans or en")],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The printable quote in Chinese (default) or English."""
        quote = self.get_object()
        language = request.query_params.get("lang") or getattr(request, "LANGUAGE_CODE", "zh-hans")
        body = quote_pdf(quote, language=language, show_cost=False)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{quote.number}.pdf"'
        return response


class OrderViewSet(HistoryMixin, ScopedReadOnlyViewSet):
    """Orders (contracts): made from accepted quotes, then confirmed, paid, allocated, delivered."""

    queryset = Order.objects.select_related("customer").prefetch_related(
        "lines__vehicle", "allocations__vehicle", "payments"
    )
    serializer_class = s.OrderSerializer
    list_serializer_class = summary_serializer(s.OrderSerializer, "lines", "allocations", "payments")
    list_related_fields = ("customer__name",)
    filterset_class = OrderFilterSet
    history_states = OrderStatus

    def _write_check(self):
        if not access.can_write_model(self.request.user, Order):
            raise PermissionDenied

    @extend_schema(request=s.OrderFromQuoteInput, responses={201: s.OrderSerializer})
    @action(detail=False, methods=["post"], url_path="from-quote")
    def from_quote(self, request):
        self._write_check()
        form = s.OrderFromQuoteInput(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        order = services.order_create_from_quote(actor=request.user, **form.validated_data)
        return Response(self.get_serializer(self.reread(order)).data, status=status.HTTP_201_CREATED)

    def _run(self, service, **kwargs):
        self._write_check()
        return self.run_action(service, instance_arg="order", **kwargs)

    @extend_schema(request=None, responses=s.OrderSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._run(services.order_confirm)

    @extend_schema(request=s.OrderAllocateInput, responses=s.OrderSerializer)
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None):
        """Reserve a vehicle (by id or VIN); a VIN already on another open order is refused."""
        return self._run(services.order_allocate_vehicle, input_serializer=s.OrderAllocateInput)

    @extend_schema(request=s.OrderPaymentInput, responses=s.OrderSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Record a deposit, balance, loan disbursement or refund; overpayment is refused."""
        return self._run(services.payment_record, input_serializer=s.OrderPaymentInput)

    @extend_schema(request=s.SalesRequiredReasonInput, responses=s.OrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._run(services.order_cancel, input_serializer=s.SalesRequiredReasonInput)

    @extend_schema(request=s.DeliveryScheduleInput, responses=s.DeliverySerializer)
    @action(detail=True, methods=["post"], url_path="schedule-delivery")
    def schedule_delivery(self, request, pk=None):
        self._write_check()
        order = self.get_object()
        if not access.can_write(request.user, order):
            raise PermissionDenied
        form = s.DeliveryScheduleInput(data=request.data)
        form.is_valid(raise_exception=True)
        delivery = services.delivery_schedule(order=order, actor=request.user, **form.validated_data)
        return Response(s.DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.OrderSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._run(services.order_close)


class PaymentViewSet(ScopedReadOnlyViewSet):
    queryset = Payment.objects.select_related("order")
    serializer_class = s.PaymentSerializer
    filterset_class = PaymentFilterSet


class DeliveryViewSet(ScopedReadOnlyViewSet):
    """Deliveries (交车): PDI checklist and handover."""

    queryset = Delivery.objects.prefetch_related("allocations__vehicle")
    serializer_class = s.DeliverySerializer
    filterset_class = DeliveryFilterSet

    def _run(self, service, **kwargs):
        if not access.can_write_model(self.request.user, Delivery):
            raise PermissionDenied
        return self.run_action(service, instance_arg="delivery", **kwargs)

    @extend_schema(request=s.DeliveryPdiInput, responses=s.DeliverySerializer)
    @action(detail=True, methods=["post"])
    def pdi(self, request, pk=None):
        return self._run(services.delivery_pdi_update, input_serializer=s.DeliveryPdiInput)

    @extend_schema(request=s.DeliveryHandoverInput, responses=s.DeliverySerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Hand over: the PDI must be complete; the vehicles become delivered."""
        return self._run(services.delivery_complete, input_serializer=s.DeliveryHandoverInput)


class TradeInViewSet(ScopedModelViewSet):
    queryset = TradeInAppraisal.objects.select_related("customer")
    serializer_class = s.TradeInSerializer
    filterset_class = TradeInFilterSet
    http_method_names = ["get", "post", "head", "options"]


class SalesTargetViewSet(ScopedModelViewSet):
    """Monthly targets per salesperson (or store, without salesperson), set by managers."""

    queryset = SalesTarget.objects.all()
    serializer_class = s.SalesTargetSerializer
    filterset_class = SalesTargetFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]


class FleetAgreementViewSet(ScopedModelViewSet):
    """Framework agreements with company customers: agreed prices per trim; quotes of the company
    start from these prices while the agreement is active."""

    queryset = FleetAgreement.objects.select_related("customer").prefetch_related("lines__trim")
    serializer_class = s.FleetAgreementSerializer
    list_serializer_class = summary_serializer(s.FleetAgreementSerializer, "lines")
    filterset_class = FleetAgreementFilterSet
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=s.AgreementPriceInput, responses=s.FleetAgreementSerializer)
    @action(detail=True, methods=["post"])
    def prices(self, request, pk=None):
        return self.run_action(
            services.fleet_agreement_price_set,
            instance_arg="agreement",
            input_serializer=s.AgreementPriceInput,
        )

    @extend_schema(request=s.AgreementStatusInput, responses=s.FleetAgreementSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        return self.run_action(
            services.fleet_agreement_set_status,
            instance_arg="agreement",
            input_serializer=s.AgreementStatusInput,
        )


def _period(request):
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(request.query_params.get("start", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = datetime.date.fromisoformat(request.query_params.get("end", ""))
    except ValueError:
        end = today
    return start, end


class SalesReportViewSet(viewsets.ViewSet):
    """Pipeline, follow-ups, lost reasons and performance, over the rows the caller may see."""

    permission_classes = [permissions.IsAuthenticated]

    def _leads(self):
        return access.scope(self.request.user, Lead.objects.all())

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def pipeline(self, request):
        leads = self._leads()
        return Response(
            {
                "by_salesperson": selectors.pipeline(leads),
                "by_store": selectors.pipeline_by_store(leads),
                "by_stage": selectors.pipeline_by_stage(leads),
            }
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], url_path="follow-ups")
    def follow_ups(self, request):
        user = request.user
        data = selectors.follow_ups(
            leads=self._leads().filter(owner=user) if user.role == "salesperson" else self._leads(),
            activities=access.scope(user, Activity.objects.all()),
        )
        return Response(
            {
                key: [
                    {
                        "id": row.pk,
                        "type": "lead" if isinstance(row, Lead) else "task",
                        "customer": row.customer.name,
                        "due": str(getattr(row, "next_follow_up", None) or row.due_date),
                    }
                    for row in rows
                ]
                for key, rows in data.items()
            }
        )

    @extend_schema(
        parameters=[OpenApiParameter("start", OpenApiTypes.DATE), OpenApiParameter("end", OpenApiTypes.DATE)],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"], url_path="lost-reasons")
    def lost_reasons(self, request):
        start, end = _period(request)
        return Response(selectors.lost_reasons(self._leads(), start=start, end=end))

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("by", OpenApiTypes.STR, enum=["salesperson", "store"]),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def performance(self, request):
        start, end = _period(request)
        rows = selectors.performance(
            orders=access.scope(request.user, Order.objects.all()),
            leads=self._leads(),
            start=start,
            end=end,
            by=request.query_params.get("by", "salesperson"),
        )
        if not access.can_see_cost(request.user):
            for row in rows:
                for key in ("gross_profit", "margin", "target_gross_profit", "gross_profit_achieved"):
                    row.pop(key, None)
        return Response(rows)
