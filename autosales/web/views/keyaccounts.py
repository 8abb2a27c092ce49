"""Key accounts: the analysis with charts, ranked customers, pitfalls, types, forecasts,
configuration and account plans."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from autosales.core.access import scope
from autosales.core.choices import Role
from autosales.core.models import Store, User
from autosales.keyaccounts import permissions as ka_access
from autosales.keyaccounts import selectors, services
from autosales.keyaccounts.analysis import rfm_segment_label
from autosales.keyaccounts.choices import (
    TIER_METAL_NAMES,
    TIER_ORDER,
    AccountType,
    ActionStatus,
    Grade,
    Indicator,
    Pitfall,
    RankMeasure,
    RelationshipStage,
    Tier,
    TierNaming,
    ValueGroup,
)
from autosales.keyaccounts.export import analysis_workbook
from autosales.keyaccounts.models import (
    AccountPlan,
    AnalysisSettings,
    CostToServeRate,
    ScorecardIndicator,
)
from autosales.keyaccounts.playbooks import PLAYBOOKS
from autosales.parties.models import Customer
from autosales.sales.choices import ActivityKind
from autosales.web.forms import BootstrapMixin

PAGE_SIZE = 50

# --- helpers --------------------------------------------------------------------------------------


def _require_analysis(request):
    if not ka_access.can_view_analysis(request.user):
        raise PermissionDenied


def _period(request):
    """Store and months from the query string, limited to what the user may see."""
    store_id = request.GET.get("store") or None
    try:
        store_id = int(store_id) if store_id else None
    except ValueError:
        store_id = None
    try:
        months = int(request.GET.get("months") or 0) or None
    except ValueError:
        months = None
    if months is not None:
        months = max(1, min(months, 240))
    store_id = ka_access.analysis_store_id(request.user, store_id)
    return store_id, months


def _analysis(request):
    store_id, months = _period(request)
    return selectors.analysis_cached(months=months, store=store_id), store_id, months


def tier_label(code, naming):
    return TIER_METAL_NAMES[code] if naming == TierNaming.METALS else Tier(code).label


def _base_context(request, a, store_id, months):
    settings_row = AnalysisSettings.current()
    return {
        "analysis": a,
        "summary": a.summary,
        "stores": scope(request.user, Store.objects.filter(is_active=True))
        if request.user.is_group_wide
        else [],
        "store_id": store_id,
        "months": months or a.summary["months"],
        "query": request.GET.urlencode(),
        "tier_naming": settings_row.tier_naming,
        "can_configure": ka_access.can_configure(request.user),
    }


def _rows_with_labels(rows, naming):
    for row in rows:
        row["tier_label"] = tier_label(row["tier"], naming)
        row["account_type_label"] = AccountType(row["account_type"]).label if row["account_type"] else ""
        row["rfm_segment_label"] = rfm_segment_label(row["rfm_segment"])
        row["pitfall_badges"] = [(PITFALL_NUMBER[code], Pitfall(code).label) for code in row["pitfalls"]]
    return rows


PITFALL_NUMBER = {code: number for number, code in enumerate(Pitfall.values, start=1)}


# --- analysis pages -------------------------------------------------------------------------------


@login_required
def home(request):
    """Managers see the analysis; salespeople land on their account plans."""
    if not ka_access.can_view_analysis(request.user):
        return HttpResponseRedirect(reverse("web:ka_plans"))
    a, store_id, months = _analysis(request)
    ctx = _base_context(request, a, store_id, months)
    naming = ctx["tier_naming"]
    pyramid = [{**t, "label": tier_label(t["tier"], naming)} for t in a.pyramid]
    pitfalls = selectors.pitfall_report(a, limit=0)
    for p in pitfalls:
        p["label"] = Pitfall(p["code"]).label
    quadrant_points = [
        [float(r["score_current"]), float(r["score_potential"]), r["name"]]
        for r in selectors.customer_rows(a, selectors.customer_positions(a, order_by="score"), limit=400)
    ]
    ctx.update(
        {
            "pareto": a.pareto,
            "pyramid": pyramid,
            "pitfalls": pitfalls,
            "types": [{**t, "label": AccountType(t["account_type"]).label} for t in a.types["mix"]],
            "grades": a.scorecard["grades"],
            "chart_data": {
                "whale": {
                    "x": [float(p["customer_share"]) * 100 for p in a.pareto["curve"]],
                    "y": [float(p["profit_share"]) * 100 for p in a.pareto["curve"]],
                    "name": gettext("Cumulative share of net profit (%)"),
                    "xname": gettext("Share of customers, best first (%)"),
                },
                "pyramid": {
                    "labels": [str(t["label"]) for t in pyramid],
                    "customers": [t["customers"] for t in pyramid],
                    "profit": [float(t["net_profit"]) for t in pyramid],
                    "customers_name": gettext("Customers"),
                    "profit_name": gettext("Net profit"),
                },
                "distribution": {
                    "labels": [
                        f"{float(d['from']):.1f}–{float(d['to']):.1f}" for d in a.scorecard["distribution"]
                    ],
                    "values": [d["customers"] for d in a.scorecard["distribution"]],
                    "name": gettext("Customers"),
                },
                "quadrant": {
                    "points": quadrant_points,
                    "xname": gettext("Current value"),
                    "yname": gettext("Potential value"),
                },
                "types": [
                    {"name": str(t["label"]), "value": t["customers"]}
                    for t in [{**t, "label": AccountType(t["account_type"]).label} for t in a.types["mix"]]
                ],
            },
        }
    )
    return render(request, "web/keyaccounts/home.html", ctx)


SORT_CHOICES = [
    ("net_profit", _("Net profit")),
    ("revenue", _("Revenue")),
    ("gross_profit", _("Gross profit")),
    ("vehicles", _("Vehicles bought")),
    ("score", _("Scorecard score")),
    ("margin", _("Net margin")),
    ("cost_to_serve", _("Cost to serve")),
    ("concession_ratio", _("Concession ratio")),
    ("growth", _("Year-over-year growth")),
    ("pipeline", _("Open pipeline")),
]


@login_required
def customer_list(request):
    _require_analysis(request)
    a, store_id, months = _analysis(request)
    g = request.GET
    order_by = g.get("sort") if g.get("sort") in dict(SORT_CHOICES) else "net_profit"
    positions = selectors.customer_positions(
        a,
        order_by=order_by,
        descending=g.get("dir") != "asc",
        tier=g.get("tier") or None,
        grade=g.get("grade") or None,
        account_type=g.get("type") or None,
        key_only=g.get("key") == "1",
        disputed_only=g.get("disputed") == "1",
        pitfall=g.get("pitfall") or None,
        search=g.get("q") or None,
    )
    try:
        page = max(1, int(g.get("page") or 1))
    except ValueError:
        page = 1
    ctx = _base_context(request, a, store_id, months)
    rows = _rows_with_labels(
        selectors.customer_rows(a, positions, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE),
        ctx["tier_naming"],
    )
    params = g.copy()
    params.pop("page", None)
    ctx.update(
        {
            "rows": rows,
            "count": len(positions),
            "page": page,
            "has_next": page * PAGE_SIZE < len(positions),
            "page_query": params.urlencode(),
            "sort_choices": SORT_CHOICES,
            "sort": order_by,
            "tiers": [(t, tier_label(t, ctx["tier_naming"])) for t in TIER_ORDER],
            "grade_choices": Grade.choices,
            "type_choices": AccountType.choices,
            "pitfall_choices": Pitfall.choices,
            "measures": RankMeasure.choices,
            "filters": g,
        }
    )
    return render(request, "web/keyaccounts/customer_list.html", ctx)


class AccountTypeForm(BootstrapMixin, forms.Form):
    account_type = forms.ChoiceField(label=_("account type"), choices=AccountType.choices)
    note = forms.CharField(label=_("why"), widget=forms.Textarea(attrs={"rows": 2}))


@login_required
def customer_detail(request, pk):
    _require_analysis(request)
    customer = get_object_or_404(scope(request.user, Customer.objects.all()), pk=pk)
    store_id, months = _period(request)
    row = selectors.customer_analysis_row(customer, months=months, store=store_id)
    drill = selectors.customer_drilldown(customer, months=months, store=store_id)
    naming = AnalysisSettings.current().tier_naming
    for item in drill["activities"]:
        item["label"] = ActivityKind(item["kind"]).label
    if row:
        _rows_with_labels([row], naming)
        row["pitfall_labels"] = [Pitfall(code).label for code in row["pitfalls"]]
    playbook = PLAYBOOKS.get(row["account_type"]) if row else None
    return render(
        request,
        "web/keyaccounts/customer_detail.html",
        {
            "customer": customer,
            "row": row,
            "drill": drill,
            "playbook": playbook,
            "type_form": AccountTypeForm(initial={"account_type": row["account_type"] if row else None}),
            "can_decide": ka_access.can_decide_type(request.user),
            "plan": ka_access.plans_visible(request.user).filter(customer=customer).first(),
            "can_plan": ka_access.can_create_plan(request.user, customer),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_POST
def customer_type(request, pk):
    if not ka_access.can_decide_type(request.user):
        raise PermissionDenied
    customer = get_object_or_404(scope(request.user, Customer.objects.all()), pk=pk)
    if request.POST.get("clear"):
        services.account_type_decision_clear(actor=request.user, customer=customer)
        messages.success(request, gettext("The suggested type applies again."))
    else:
        form = AccountTypeForm(request.POST)
        if form.is_valid():
            try:
                services.account_type_decide(actor=request.user, customer=customer, **form.cleaned_data)
                messages.success(request, gettext("Account type saved."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, gettext("Choose a type and say why."))
    return HttpResponseRedirect(reverse("web:ka_customer", args=[customer.pk]))


@login_required
def comparison(request):
    _require_analysis(request)
    a, store_id, months = _analysis(request)
    ctx = _base_context(request, a, store_id, months)
    labels = {
        "revenue": _("Revenue"),
        "vehicles": _("Vehicles"),
        "pyramid": _("Pyramid"),
        "scorecard": _("Scorecard"),
    }
    ctx.update(
        {
            "comparison": a.comparison,
            "method_labels": [labels[m] for m in a.comparison["methods"]],
            "overlap_rows": list(
                zip([labels[m] for m in a.comparison["methods"]], a.comparison["overlap"], strict=True)
            ),
            "rows": selectors.comparison_rows(a, limit=200),
            "methods": a.comparison["methods"],
        }
    )
    return render(request, "web/keyaccounts/comparison.html", ctx)


@login_required
def pitfalls(request):
    _require_analysis(request)
    a, store_id, months = _analysis(request)
    ctx = _base_context(request, a, store_id, months)
    report = selectors.pitfall_report(a, limit=25)
    for p in report:
        p["label"] = Pitfall(p["code"]).label
        p["figure_rows"] = selectors.pitfall_figure_rows(p["figures"])
        _rows_with_labels(p["customers"], ctx["tier_naming"])
    ctx["report"] = report
    return render(request, "web/keyaccounts/pitfalls.html", ctx)


@login_required
def types(request):
    _require_analysis(request)
    a, store_id, months = _analysis(request)
    ctx = _base_context(request, a, store_id, months)
    rows = selectors.type_rows(a, limit=300)
    for r in rows:
        r["label"] = AccountType(r["account_type"]).label
        r["suggested_label"] = AccountType(r["suggested"]).label
    ctx.update(
        {
            "rows": rows,
            "mix": [{**t, "label": AccountType(t["account_type"]).label} for t in a.types["mix"]],
            "playbooks": [PLAYBOOKS[t] for t in AccountType.values],
        }
    )
    return render(request, "web/keyaccounts/types.html", ctx)


@login_required
def forecasts(request):
    _require_analysis(request)
    a, store_id, months = _analysis(request)
    ctx = _base_context(request, a, store_id, months)
    model = selectors.clv_estimates(a)
    ctx.update(
        {
            "model": model,
            "rows": selectors.clv_rows(a, limit=100),
            "segments": [{**s, "label": rfm_segment_label(s["segment"])} for s in a.rfm["segments"]],
        }
    )
    for r in ctx["rows"]:
        r["segment_label"] = rfm_segment_label(r["rfm_segment"])
    return render(request, "web/keyaccounts/forecasts.html", ctx)


@login_required
def export(request):
    _require_analysis(request)
    a, _store_id, _months = _analysis(request)
    response = HttpResponse(
        analysis_workbook(a), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="key-accounts-{timezone.localdate()}.xlsx"'
    return response


# --- configuration --------------------------------------------------------------------------------


class SettingsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = AnalysisSettings
        fields = list(services.SETTINGS_FIELDS)


class RatesForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = dict(CostToServeRate.objects.values_list("activity_kind", "rate"))
        for kind, label in ActivityKind.choices:
            self.fields[f"rate_{kind}"] = forms.DecimalField(
                label=label, min_value=0, max_digits=14, decimal_places=2, initial=current.get(kind, 0)
            )


class ScorecardForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = {row.indicator: row for row in ScorecardIndicator.objects.all()}
        for code, label in Indicator.choices:
            row = current.get(code)
            self.fields[f"group_{code}"] = forms.ChoiceField(
                label=label, choices=ValueGroup.choices, initial=row.group if row else ValueGroup.CURRENT
            )
            self.fields[f"weight_{code}"] = forms.DecimalField(
                label=_("weight"),
                min_value=0,
                max_value=1,
                decimal_places=4,
                initial=row.weight if row and row.is_active else 0,
            )

    def indicator_rows(self):
        return [(self[f"group_{code}"], self[f"weight_{code}"]) for code in Indicator.values]


@login_required
def settings_page(request):
    _require_analysis(request)
    editable = ka_access.can_configure(request.user)
    settings_form = SettingsForm(instance=AnalysisSettings.current())
    rates_form = RatesForm()
    scorecard_form = ScorecardForm()
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        section = request.POST.get("section")
        try:
            if section == "settings":
                settings_form = SettingsForm(request.POST, instance=AnalysisSettings.current())
                if settings_form.is_valid():
                    services.settings_update(actor=request.user, data=settings_form.cleaned_data)
                    messages.success(request, gettext("Settings saved."))
                    return HttpResponseRedirect(reverse("web:ka_settings"))
            elif section == "rates":
                rates_form = RatesForm(request.POST)
                if rates_form.is_valid():
                    services.cost_rates_set(
                        actor=request.user,
                        rates={k.removeprefix("rate_"): v for k, v in rates_form.cleaned_data.items()},
                    )
                    messages.success(request, gettext("Cost-to-serve rates saved."))
                    return HttpResponseRedirect(reverse("web:ka_settings"))
            elif section == "scorecard":
                scorecard_form = ScorecardForm(request.POST)
                if scorecard_form.is_valid():
                    data = scorecard_form.cleaned_data
                    services.scorecard_set(
                        actor=request.user,
                        indicators=[
                            {"indicator": c, "group": data[f"group_{c}"], "weight": data[f"weight_{c}"]}
                            for c in Indicator.values
                            if data[f"weight_{c}"]
                        ],
                    )
                    messages.success(request, gettext("Scorecard saved."))
                    return HttpResponseRedirect(reverse("web:ka_settings"))
        except ValidationError as exc:
            target = {"settings": settings_form, "scorecard": scorecard_form, "rates": rates_form}.get(
                section
            )
            if target is not None:
                for message in exc.messages:
                    target.add_error(None, message)
            messages.error(request, gettext("Nothing was saved; see the errors below."))
    return render(
        request,
        "web/keyaccounts/settings.html",
        {
            "settings_form": settings_form,
            "rates_form": rates_form,
            "scorecard_form": scorecard_form,
            "editable": editable,
        },
    )


# --- account plans --------------------------------------------------------------------------------


class PlanForm(BootstrapMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("account manager"), queryset=User.objects.none(), required=False)
    stage = forms.ChoiceField(label=_("relationship stage"), choices=RelationshipStage.choices)
    summary = forms.CharField(
        label=_("situation and goals"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_review = forms.DateField(
        label=_("next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("reason for a stage change"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _plan_owners(user)


class ObjectiveForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("objective"), max_length=200)
    measure = forms.CharField(label=_("measure"), max_length=100, required=False)
    target = forms.DecimalField(label=_("target"), max_digits=14, decimal_places=2, required=False)
    due_date = forms.DateField(label=_("by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ActionForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("action"), max_length=200)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))
    objective = forms.ModelChoiceField(label=_("objective"), queryset=None, required=False)

    def __init__(self, *args, plan=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _plan_owners(user)
        self.fields["objective"].queryset = plan.objectives.all()


class ReviewForm(BootstrapMixin, forms.Form):
    next_review = forms.DateField(label=_("next review"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), required=False)


def _plan_owners(user):
    if user is None:
        return User.objects.none()
    stores = scope(user, Store.objects.all())
    roles = [Role.SALESPERSON, Role.SALES_MANAGER, Role.GENERAL_MANAGER]
    return User.objects.filter(is_active=True, role__in=roles).filter(store__in=stores) | User.objects.filter(
        is_active=True, role=Role.GENERAL_MANAGER
    )


@login_required
def plan_list(request):
    plans = (
        ka_access.plans_visible(request.user)
        .select_related("customer", "owner")
        .order_by("next_review", "id")
    )
    stage = request.GET.get("stage")
    if stage in RelationshipStage.values:
        plans = plans.filter(stage=stage)
    return render(
        request,
        "web/keyaccounts/plan_list.html",
        {
            "plans": plans[:500],
            "stages": RelationshipStage.choices,
            "stage": stage,
            "overdue": selectors.plan_actions_overdue(request.user),
            "can_view_analysis": ka_access.can_view_analysis(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def plan_create(request, customer_pk):
    customer = get_object_or_404(scope(request.user, Customer.objects.all()), pk=customer_pk)
    if not ka_access.can_create_plan(request.user, customer):
        raise PermissionDenied
    try:
        plan = services.account_plan_create(actor=request.user, customer=customer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        existing = AccountPlan.objects.filter(customer=customer).first()
        return HttpResponseRedirect(
            reverse("web:ka_plan", args=[existing.pk]) if existing else reverse("web:ka_plans")
        )
    messages.success(request, gettext("Account plan created."))
    return HttpResponseRedirect(reverse("web:ka_plan", args=[plan.pk]))


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(ka_access.plans_visible(request.user).select_related("customer", "owner"), pk=pk)
    editable = ka_access.can_edit_plan(request.user, plan)
    plan_form = PlanForm(
        user=request.user,
        initial={
            "owner": plan.owner,
            "stage": plan.stage,
            "summary": plan.summary,
            "next_review": plan.next_review,
        },
    )
    objective_form = ObjectiveForm()
    action_form = ActionForm(plan=plan, user=request.user, initial={"owner": request.user})
    review_form = ReviewForm(initial={"next_review": timezone.localdate() + datetime.timedelta(days=90)})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        section = request.POST.get("section")
        forms_by_section = {
            "plan": lambda: PlanForm(request.POST, user=request.user),
            "objective": lambda: ObjectiveForm(request.POST),
            "action": lambda: ActionForm(request.POST, plan=plan, user=request.user),
            "review": lambda: ReviewForm(request.POST),
        }
        if section in forms_by_section:
            form = forms_by_section[section]()
            if form.is_valid():
                data = dict(form.cleaned_data)
                try:
                    if section == "plan":
                        reason = data.pop("reason", "")
                        services.account_plan_update(actor=request.user, plan=plan, data=data, reason=reason)
                    elif section == "objective":
                        services.plan_objective_add(actor=request.user, plan=plan, **data)
                    elif section == "action":
                        services.plan_action_add(actor=request.user, plan=plan, **data)
                    else:
                        services.account_plan_review(actor=request.user, plan=plan, **data)
                    messages.success(request, gettext("Saved."))
                    return HttpResponseRedirect(reverse("web:ka_plan", args=[plan.pk]))
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
            messages.error(request, gettext("Nothing was saved; see the errors below."))
            plan_form, objective_form, action_form, review_form = (
                form if section == "plan" else plan_form,
                form if section == "objective" else objective_form,
                form if section == "action" else action_form,
                form if section == "review" else review_form,
            )
    detail = selectors.plan_detail(plan)
    stages = list(RelationshipStage.choices)
    current_index = [s for s, _l in stages].index(plan.stage)
    return render(
        request,
        "web/keyaccounts/plan_detail.html",
        {
            **detail,
            "editable": editable,
            "plan_form": plan_form,
            "objective_form": objective_form,
            "action_form": action_form,
            "review_form": review_form,
            "stages": [(code, label, i <= current_index) for i, (code, label) in enumerate(stages)],
            "today": timezone.localdate(),
            "segment": selectors.customer_value_summary(plan.customer)
            if ka_access.can_view_analysis(request.user)
            else None,
        },
    )


@login_required
@require_POST
def action_status(request, pk):
    item = get_object_or_404(ka_access.actions_visible(request.user).select_related("plan"), pk=pk)
    if not (ka_access.can_edit_plan(request.user, item.plan) or item.owner_id == request.user.pk):
        raise PermissionDenied
    status = request.POST.get("status")
    try:
        if status not in ActionStatus.values:
            raise ValidationError(gettext("Unknown status."))
        services.plan_action_set_status(
            actor=request.user, action=item, status=status, outcome=request.POST.get("outcome", "")
        )
        messages.success(request, gettext("Action updated."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    back = request.POST.get("next")
    if back and back.startswith("/") and not back.startswith("//"):
        return HttpResponseRedirect(back)
    return HttpResponseRedirect(reverse("web:ka_plan", args=[item.plan_id]))


# --- dashboard widgets (loaded with htmx so the home page stays fast) ------------------------------


@login_required
def widget_pareto(request):
    if not ka_access.can_view_analysis(request.user):
        return HttpResponse("")
    a, _store_id, _months = _analysis(request)
    return render(
        request, "web/keyaccounts/widgets/_pareto_body.html", {"pareto": a.pareto, "summary": a.summary}
    )


@login_required
def widget_pitfalls(request):
    if not ka_access.can_view_analysis(request.user):
        return HttpResponse("")
    a, _store_id, _months = _analysis(request)
    report = [
        {**p, "label": Pitfall(p["code"]).label} for p in selectors.pitfall_report(a, limit=0) if p["fires"]
    ]
    return render(request, "web/keyaccounts/widgets/_pitfalls_body.html", {"report": report})


@login_required
def widget_actions(request):
    actions = list(selectors.plan_actions_overdue(request.user)[:10])
    return render(
        request,
        "web/keyaccounts/widgets/_actions_body.html",
        {"actions": actions, "today": timezone.localdate()},
    )


urlpatterns = [
    path("", home, name="keyaccounts_home"),
    path("customers/", customer_list, name="ka_customers"),
    path("customers/<int:pk>/", customer_detail, name="ka_customer"),
    path("customers/<int:pk>/type/", customer_type, name="ka_customer_type"),
    path("comparison/", comparison, name="ka_comparison"),
    path("pitfalls/", pitfalls, name="ka_pitfalls"),
    path("types/", types, name="ka_types"),
    path("forecasts/", forecasts, name="ka_forecasts"),
    path("export.xlsx", export, name="ka_export"),
    path("settings/", settings_page, name="ka_settings"),
    path("plans/", plan_list, name="ka_plans"),
    path("plans/new/<int:customer_pk>/", plan_create, name="ka_plan_create"),
    path("plans/<int:pk>/", plan_detail, name="ka_plan"),
    path("actions/<int:pk>/status/", action_status, name="ka_action_status"),
    path("widgets/pareto/", widget_pareto, name="ka_widget_pareto"),
    path("widgets/pitfalls/", widget_pitfalls, name="ka_widget_pitfalls"),
    path("widgets/actions/", widget_actions, name="ka_widget_actions"),
]
