from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from autosales.core.config_cache import ConfigQuerySet
from autosales.core.models import CreatedByModel, TimeStampedModel, money_field
from autosales.core.prepared import prepared
from autosales.parties.models import Customer
from autosales.sales.choices import ActivityKind

from .choices import (
    AccountType,
    ActionStatus,
    Indicator,
    Normalisation,
    RelationshipStage,
    TierNaming,
    ValueGroup,
)

User = settings.AUTH_USER_MODEL


def share_field(verbose_name, default, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=4, default=Decimal(default), **kwargs
    )


class AnalysisSettings(TimeStampedModel):
    """The one row of key-account settings: pyramid cut-offs, grades, pitfall thresholds."""

    default_months = models.PositiveSmallIntegerField(_("default period (months)"), default=36)
    vip_share = share_field(_("VIP share of customers"), "0.01")
    major_share = share_field(_("major share of customers"), "0.04")
    ordinary_share = share_field(
        _("ordinary share of customers"), "0.15", help_text=_("The rest of the customers are small.")
    )
    tier_naming = models.CharField(
        _("tier names"), max_length=10, choices=TierNaming.choices, default=TierNaming.PLAIN
    )
    normalisation = models.CharField(
        _("scorecard normalisation"),
        max_length=12,
        choices=Normalisation.choices,
        default=Normalisation.PERCENTILE,
    )
    grade_a = share_field(_("grade A from score"), "0.75")
    grade_b = share_field(_("grade B from score"), "0.50")
    grade_c = share_field(_("grade C from score"), "0.25")
    key_share = share_field(
        _("key share by a single indicator"),
        "0.05",
        help_text=_("Customers ranked in this top share by one measure count as key by that measure."),
    )
    low_margin = share_field(
        _("low net margin"), "0.02", help_text=_("Pitfall 4: key customers below this net margin.")
    )
    big_ticket_share = share_field(
        _("big-ticket share"),
        "0.05",
        help_text=_("Pitfall 3: largest orders in this top share of all customers' largest orders."),
    )
    decline_share = share_field(
        _("decline that counts as falling"),
        "0.30",
        help_text=_("Pitfall 2: purchases or visits down by at least this share year over year."),
    )
    neglect_warning_share = share_field(
        _("neglected small customers that warn"),
        "0.10",
        help_text=_("Pitfall 2 warns when at least this share of small and ordinary customers is neglected."),
    )
    concession_vip = share_field(_("concession allowed, VIP"), "0.08")
    concession_major = share_field(_("concession allowed, major"), "0.06")
    concession_ordinary = share_field(_("concession allowed, ordinary"), "0.04")
    concession_small = share_field(_("concession allowed, small"), "0.03")
    price_sensitive_discount = share_field(_("discount ratio of a price-sensitive customer"), "0.05")
    high_attach_rate = share_field(_("high attach rate of services"), "0.50")

    objects = ConfigQuerySet.as_manager()

    class Meta:
        verbose_name = _("key-account settings")
        verbose_name_plural = _("key-account settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(vip_share__gte=0, major_share__gte=0, ordinary_share__gte=0),
                name="ka_shares_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(grade_a__gte=models.F("grade_b"), grade_b__gte=models.F("grade_c")),
                name="ka_grades_descending",
            ),
            models.CheckConstraint(condition=Q(default_months__gte=1), name="ka_period_at_least_a_month"),
        ]

    def __str__(self):
        return str(_("Key-account settings"))

    @property
    def small_share(self) -> Decimal:
        return Decimal(1) - self.vip_share - self.major_share - self.ordinary_share

    def clean(self):
        errors = {}
        shares = (self.vip_share, self.major_share, self.ordinary_share)
        if any(s is None or s < 0 for s in shares):
            errors["vip_share"] = _("A tier share cannot be negative.")
        elif sum(shares) > 1:
            errors["ordinary_share"] = _(
                "VIP, major and ordinary together cover at most 100%% of customers (now %(total)s)."
            ) % {"total": f"{sum(shares):.2%}"}
        if None not in (self.grade_a, self.grade_b, self.grade_c) and not (
            1 >= self.grade_a >= self.grade_b >= self.grade_c >= 0
        ):
            errors["grade_b"] = _("Grade thresholds must fall from A to C, between 0 and 1.")
        for name in (
            "key_share",
            "low_margin",
            "big_ticket_share",
            "decline_share",
            "neglect_warning_share",
            "concession_vip",
            "concession_major",
            "concession_ordinary",
            "concession_small",
            "price_sensitive_discount",
            "high_attach_rate",
        ):
            value = getattr(self, name)
            if value is not None and not (0 <= value <= 1):
                errors[name] = _("Enter a share between 0 and 1.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def current(cls) -> "AnalysisSettings":
        rows = _first_settings.list()
        return rows[0] if rows else cls()


_first_settings = prepared(lambda: AnalysisSettings.objects.order_by("pk")[:1])


class CostToServeRate(TimeStampedModel):
    """What one activity of a kind costs the dealer (staff time, fuel, hospitality)."""

    activity_kind = models.CharField(
        _("activity kind"), max_length=15, choices=ActivityKind.choices, unique=True
    )
    rate = money_field(_("cost per activity"))

    class Meta:
        verbose_name = _("cost-to-serve rate")
        verbose_name_plural = _("cost-to-serve rates")
        ordering = ["activity_kind"]
        constraints = [models.CheckConstraint(condition=Q(rate__gte=0), name="ka_rate_not_negative")]

    def __str__(self):
        return f"{self.get_activity_kind_display()} {self.rate}"

    def clean(self):
        if self.rate is not None and self.rate < 0:
            raise ValidationError({"rate": _("A cost cannot be negative.")})


class ScorecardIndicator(TimeStampedModel):
    """One weighted indicator of the customer value scorecard; active weights sum to 1."""

    indicator = models.CharField(_("indicator"), max_length=20, choices=Indicator.choices, unique=True)
    group = models.CharField(_("value"), max_length=10, choices=ValueGroup.choices)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=4, default=Decimal("0"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("scorecard indicator")
        verbose_name_plural = _("scorecard indicators")
        ordering = ["group", "indicator"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=1), name="ka_weight_between_0_1")
        ]

    def __str__(self):
        return f"{self.get_indicator_display()} {self.weight}"

    def clean(self):
        if self.weight is not None and not (0 <= self.weight <= 1):
            raise ValidationError({"weight": _("A weight is between 0 and 1.")})


class AccountTypeOverride(CreatedByModel):
    """A manager's decision on the type of a key account, replacing the suggestion."""

    customer = models.OneToOneField(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="account_type_override"
    )
    account_type = models.CharField(_("account type"), max_length=12, choices=AccountType.choices)
    note = models.TextField(_("note"))

    class Meta:
        verbose_name = _("account type decision")
        verbose_name_plural = _("account type decisions")

    def __str__(self):
        return f"{self.customer}: {self.get_account_type_display()}"

    def clean(self):
        if not (self.note or "").strip():
            raise ValidationError({"note": _("Say why the type is set by hand.")})


class AccountPlan(CreatedByModel):
    customer = models.OneToOneField(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="account_plan"
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_plans",
    )
    stage = models.CharField(
        _("relationship stage"),
        max_length=10,
        choices=RelationshipStage.choices,
        default=RelationshipStage.DEVELOP,
    )
    summary = models.TextField(_("situation and goals"), blank=True)
    last_review = models.DateField(_("last review"), null=True, blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        ordering = ["next_review", "id"]

    def __str__(self):
        return str(_("Account plan of %(customer)s") % {"customer": self.customer})

    def clean(self):
        if self.last_review and self.next_review and self.next_review < self.last_review:
            raise ValidationError({"next_review": _("The next review cannot come before the last one.")})


class PlanObjective(TimeStampedModel):
    plan = models.ForeignKey(
        AccountPlan, verbose_name=_("account plan"), on_delete=models.CASCADE, related_name="objectives"
    )
    title = models.CharField(_("objective"), max_length=200)
    measure = models.CharField(_("measure"), max_length=100, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    due_date = models.DateField(_("by"), null=True, blank=True)
    achieved = models.BooleanField(_("achieved"), default=False)

    class Meta:
        verbose_name = _("plan objective")
        verbose_name_plural = _("plan objectives")
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if not (self.title or "").strip():
            raise ValidationError({"title": _("Name the objective.")})


class PlanAction(TimeStampedModel):
    plan = models.ForeignKey(
        AccountPlan, verbose_name=_("account plan"), on_delete=models.CASCADE, related_name="actions"
    )
    objective = models.ForeignKey(
        PlanObjective,
        verbose_name=_("objective"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="account_plan_actions",
        db_index=False,
    )
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if not (self.title or "").strip():
            errors["title"] = _("Describe the action.")
        if self.objective_id and self.plan_id and self.objective.plan_id != self.plan_id:
            errors["objective"] = _("The objective belongs to another account plan.")
        if errors:
            raise ValidationError(errors)
