"""Key-account API: every result of the analysis, its configuration, type decisions and account plans.

Analysis endpoints take ``?store=<id>&months=<n>``; users bound to a store always get their store.
They need a role that may see cost and margin (sales manager, general manager, finance, admin).
"""

from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from autosales.core.access import scope
from autosales.keyaccounts import permissions as ka_access
from autosales.keyaccounts import selectors, services
from autosales.keyaccounts.export import analysis_workbook
from autosales.keyaccounts.models import AccountPlan, AnalysisSettings, CostToServeRate, ScorecardIndicator
from autosales.parties.models import Customer

from . import serializers as s

PERIOD_PARAMETERS = [
    OpenApiParameter("store", OpenApiTypes.INT, description="Store id; omit for the whole group."),
    OpenApiParameter("months", OpenApiTypes.INT, description="Period in months (default from settings)."),
]


class CanViewAnalysis(permissions.BasePermission):
    def has_permission(self, request, view):
        return ka_access.can_view_analysis(request.user)


class CanConfigure(permissions.BasePermission):
    """Everyone who sees the analysis reads its configuration; general managers and admins change it."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return ka_access.can_view_analysis(request.user)
        return ka_access.can_configure(request.user)


class AnalysisView(APIView):
    permission_classes = [CanViewAnalysis]
    query_serializer = s.AnalysisQuery

    def query(self):
        parsed = self.query_serializer(data=self.request.query_params)
        parsed.is_valid(raise_exception=True)
        return parsed.validated_data

    def analysis(self, query=None):
        query = query or self.query()
        store_id = ka_access.analysis_store_id(self.request.user, query.get("store"))
        return selectors.analysis_cached(months=query.get("months"), store=store_id)


def _jsonable(value):
    """Money and shares as exact strings (DRF's encoder would turn a bare Decimal into a float)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _answer(payload):
    return Response(_jsonable(payload))


class SummaryView(AnalysisView):
    """Totals of the period, Pareto figures, pyramid, scorecard grades, method comparison counts,
    type mix, RFM segments and which pitfalls bite."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        a = self.analysis()
        pareto = {k: v for k, v in a.pareto.items() if k != "curve"}
        return _answer(
            {
                "summary": a.summary,
                "pareto": pareto,
                "pyramid": a.pyramid,
                "scorecard": a.scorecard,
                "comparison": a.comparison,
                "types": a.types,
                "rfm": a.rfm,
            }
        )


class PyramidView(AnalysisView):
    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return _answer(self.analysis().pyramid)


class ParetoView(AnalysisView):
    """Cumulative share of net profit by customer rank (the whale curve, at most 201 points)."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return _answer(self.analysis().pareto)


class ScorecardView(AnalysisView):
    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return _answer(self.analysis().scorecard)


class ComparisonView(AnalysisView):
    """Customers key by one method and not by another, with the reason."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        a = self.analysis()
        return _answer({**a.comparison, "customers": selectors.comparison_rows(a, limit=200)})


class PitfallsView(AnalysisView):
    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return _answer(selectors.pitfall_report(self.analysis(), limit=100))


class TypesView(AnalysisView):
    """Key accounts with suggested type, reasons, confidence and any manager decision."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        a = self.analysis()
        return _answer({**a.types, "customers": selectors.type_rows(a, limit=500)})


class RfmView(AnalysisView):
    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return _answer(self.analysis().rfm)


class ClvView(AnalysisView):
    """BG/NBD + Gamma-Gamma: probability still active, expected purchases and value in 12 months."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        a = self.analysis()
        return _answer({"model": selectors.clv_estimates(a), "customers": selectors.clv_rows(a, limit=200)})


class CustomerListView(AnalysisView):
    """Ranked customers with every figure. ``ordering`` is a figure name, ``-`` for descending."""

    query_serializer = s.CustomerListQuery

    @extend_schema(
        operation_id="keyaccounts_customers_list", parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        q = self.query()
        a = self.analysis(q)
        ordering = q["ordering"]
        positions = selectors.customer_positions(
            a,
            order_by=ordering.lstrip("-"),
            descending=ordering.startswith("-"),
            tier=q.get("tier"),
            grade=q.get("grade"),
            account_type=q.get("account_type"),
            key_only=q["key_only"],
            disputed_only=q["disputed_only"],
            pitfall=q.get("pitfall"),
            search=q.get("search"),
        )
        size = q["page_size"]
        offset = (q["page"] - 1) * size
        return _answer(
            {
                "count": len(positions),
                "page": q["page"],
                "results": selectors.customer_rows(a, positions, offset=offset, limit=size),
            }
        )


def _visible_customer(request, pk):
    return get_object_or_404(scope(request.user, Customer.objects.all()), pk=pk)


class CustomerDetailView(AnalysisView):
    """One customer's figures and the orders, services, activities and payments behind them."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        customer = _visible_customer(request, pk)
        q = self.query()
        store_id = ka_access.analysis_store_id(request.user, q.get("store"))
        row = selectors.customer_analysis_row(customer, months=q.get("months"), store=store_id)
        drill = selectors.customer_drilldown(customer, months=q.get("months"), store=store_id)
        return _answer(
            {
                "customer_id": customer.pk,
                "name": customer.name,
                "figures": row,
                "totals": drill["totals"],
                "orders": [
                    {
                        "id": o.pk,
                        "number": o.number,
                        "order_date": o.order_date,
                        "status": o.status,
                        "revenue": o.revenue,
                        "vehicle_gp": o.vehicle_gp,
                        "addon_income": o.addon_income,
                        "discounts": o.discounts,
                        "free_extras": o.free_extras,
                        "vehicles": o.vehicles,
                    }
                    for o in drill["orders"]
                ],
                "services": [
                    {
                        "id": so.pk,
                        "number": so.number,
                        "opened_at": so.opened_at,
                        "kind": so.kind,
                        "revenue": so.revenue_amount,
                        "gross_profit": so.gross_profit_amount,
                    }
                    for so in drill["services"]
                ],
                "activities": drill["activities"],
                "payments": [
                    {
                        "id": p.pk,
                        "order": p.order.number,
                        "due_date": p.due_date,
                        "paid_at": p.paid_at,
                        "days_late": p.days_late,
                    }
                    for p in drill["payments"]
                ],
            }
        )


class AccountTypeView(APIView):
    """A manager decides a key account's type (POST) or goes back to the suggestion (DELETE)."""

    permission_classes = [permissions.IsAuthenticated]

    def _customer(self, request, pk):
        if not ka_access.can_decide_type(request.user):
            raise PermissionDenied()
        return _visible_customer(request, pk)

    @extend_schema(request=s.AccountTypeInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk):
        customer = self._customer(request, pk)
        form = s.AccountTypeInput(data=request.data)
        form.is_valid(raise_exception=True)
        row = services.account_type_decide(actor=request.user, customer=customer, **form.validated_data)
        return Response({"customer": customer.pk, "account_type": row.account_type, "note": row.note})

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.account_type_decision_clear(actor=request.user, customer=self._customer(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportView(AnalysisView):
    """The whole analysis as an XLSX workbook."""

    @extend_schema(
        parameters=PERIOD_PARAMETERS, responses={(200, "application/vnd.ms-excel"): OpenApiTypes.BINARY}
    )
    def get(self, request):
        data = analysis_workbook(self.analysis())
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="key-accounts-{timezone.localdate()}.xlsx"'
        return response


class SettingsView(APIView):
    permission_classes = [CanConfigure]

    @extend_schema(responses=s.AnalysisSettingsSerializer)
    def get(self, request):
        return Response(s.AnalysisSettingsSerializer(AnalysisSettings.current()).data)

    @extend_schema(request=s.AnalysisSettingsSerializer, responses=s.AnalysisSettingsSerializer)
    def patch(self, request):
        form = s.AnalysisSettingsSerializer(AnalysisSettings.current(), data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        row = services.settings_update(actor=request.user, data=dict(form.validated_data))
        return Response(s.AnalysisSettingsSerializer(row).data)


class ScorecardConfigView(APIView):
    """The scorecard's indicators and weights; PUT replaces them (active weights must sum to 1)."""

    permission_classes = [CanConfigure]

    @extend_schema(responses=s.ScorecardInput)
    def get(self, request):
        return Response(
            {"indicators": s.ScorecardIndicatorSerializer(ScorecardIndicator.objects.all(), many=True).data}
        )

    @extend_schema(request=s.ScorecardInput, responses=s.ScorecardInput)
    def put(self, request):
        form = s.ScorecardInput(data=request.data)
        form.is_valid(raise_exception=True)
        services.scorecard_set(
            actor=request.user, indicators=[dict(i) for i in form.validated_data["indicators"]]
        )
        return self.get(request)


class CostRatesView(APIView):
    permission_classes = [CanConfigure]

    @extend_schema(responses=s.CostRatesInput)
    def get(self, request):
        return Response({"rates": s.CostToServeRateSerializer(CostToServeRate.objects.all(), many=True).data})

    @extend_schema(request=s.CostRatesInput, responses=s.CostRatesInput)
    def put(self, request):
        form = s.CostRatesInput(data=request.data)
        form.is_valid(raise_exception=True)
        services.cost_rates_set(
            actor=request.user, rates={r["activity_kind"]: r["rate"] for r in form.validated_data["rates"]}
        )
        return self.get(request)


class PlanAccess(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        plan = obj if isinstance(obj, AccountPlan) else obj.plan
        return ka_access.can_edit_plan(request.user, plan)


class AccountPlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Account plans: relationship stage, buying-centre contacts, objectives, actions and reviews."""

    serializer_class = s.AccountPlanSerializer
    permission_classes = [PlanAccess]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            ka_access.plans_visible(self.request.user)
            .select_related("customer", "owner")
            .prefetch_related("objectives", "actions__owner", "customer__contacts")
            .order_by("next_review", "id")
        )

    @extend_schema(request=s.PlanCreateInput, responses={201: s.AccountPlanSerializer})
    def create(self, request, *args, **kwargs):
        form = s.PlanCreateInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        customer = _visible_customer(request, data.pop("customer"))
        if not ka_access.can_create_plan(request.user, customer):
            raise PermissionDenied()
        plan = services.account_plan_create(actor=request.user, customer=customer, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=plan.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.PlanUpdateInput, responses=s.AccountPlanSerializer)
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        form = s.PlanUpdateInput(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        reason = data.pop("reason", "")
        services.account_plan_update(actor=request.user, plan=plan, data=data, reason=reason)
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=s.ObjectiveInput, responses=s.AccountPlanSerializer)
    @action(detail=True, methods=["post"])
    def objectives(self, request, pk=None):
        plan = self.get_object()
        form = s.ObjectiveInput(data=request.data)
        form.is_valid(raise_exception=True)
        services.plan_objective_add(actor=request.user, plan=plan, **form.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=plan.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.ActionInput, responses=s.AccountPlanSerializer)
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        plan = self.get_object()
        form = s.ActionInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        objective = data.pop("objective")
        objective = get_object_or_404(plan.objectives, pk=objective) if objective else None
        services.plan_action_add(actor=request.user, plan=plan, objective=objective, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=plan.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.ReviewInput, responses=s.AccountPlanSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        plan = self.get_object()
        form = s.ReviewInput(data=request.data)
        form.is_valid(raise_exception=True)
        services.account_plan_review(actor=request.user, plan=plan, **form.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data)


class PlanActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Actions of the plans the user sees; ``?mine=1&overdue=1`` for the owner's overdue list."""

    serializer_class = s.PlanActionSerializer
    permission_classes = [PlanAccess]

    def get_queryset(self):
        qs = (
            ka_access.actions_visible(self.request.user)
            .select_related("owner", "plan")
            .order_by("due_date", "id")
        )
        params = self.request.query_params
        if params.get("mine") in ("1", "true"):
            qs = qs.filter(owner=self.request.user)
        if params.get("overdue") in ("1", "true"):
            qs = qs.filter(status="open", due_date__lt=timezone.localdate())
        return qs

    @extend_schema(request=s.ActionStatusInput, responses=s.PlanActionSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        item = self.get_object()
        form = s.ActionStatusInput(data=request.data)
        form.is_valid(raise_exception=True)
        item = services.plan_action_set_status(actor=request.user, action=item, **form.validated_data)
        return Response(self.get_serializer(item).data)
