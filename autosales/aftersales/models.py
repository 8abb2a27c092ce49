from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from autosales.core.history import HistoricalRecords
from autosales.core.models import CreatedByModel, Store, TimeStampedModel, money_field
from autosales.inventory.models import CarModel, Vehicle
from autosales.parties.models import Customer
from autosales.sales.models import Order

from .choices import (
    FOLLOW_UP_DAYS,
    LOW_SCORE_THRESHOLD,
    SEVERITY_DUE_DAYS,
    ComplaintCategory,
    ComplaintStatus,
    FollowUpKind,
    FollowUpStatus,
    ReminderStatus,
    ServiceKind,
    ServiceStatus,
    Severity,
)

User = settings.AUTH_USER_MODEL


class ServiceOrder(CreatedByModel):
    number = models.CharField(_("number"), max_length=30, unique=True)
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="service_orders"
    )
    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        related_name="service_orders",
        db_index=False,
    )
    advisor = models.ForeignKey(
        User,
        verbose_name=_("service advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ServiceKind.choices, default=ServiceKind.MAINTENANCE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ServiceStatus.choices, default=ServiceStatus.OPEN, db_index=True
    )
    mileage_km = models.PositiveIntegerField(_("mileage (km)"))
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    complaint_text = models.TextField(_("customer's request"), blank=True)
    discount = money_field(_("discount"))
    labour_revenue = money_field(_("labour revenue"))
    labour_cost = money_field(_("labour cost"))
    parts_revenue = money_field(_("parts revenue"))
    parts_cost = money_field(_("parts cost"))
    warranty_claim = money_field(_("billed to maker"))
    paid_total = money_field(_("paid"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        ordering = ["-opened_at", "-id"]
        indexes = [
            # Covers the key-account facts query over service orders.
            models.Index(
                fields=[
                    "customer",
                    "opened_at",
                    "status",
                    "kind",
                    "store",
                    "labour_revenue",
                    "parts_revenue",
                    "discount",
                    "warranty_claim",
                    "labour_cost",
                    "parts_cost",
                ],
                name="serviceorder_customer_facts",
            ),
            models.Index(fields=["vehicle", "-opened_at"]),
            models.Index(fields=["store", "-opened_at", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(discount__gte=0), name="service_discount_not_negative"),
            models.CheckConstraint(condition=Q(paid_total__gte=0), name="service_paid_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="closed_service_has_date"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def revenue(self) -> Decimal:
        return self.labour_revenue + self.parts_revenue - self.discount

    @property
    def gross_profit(self) -> Decimal:
        return self.revenue + self.warranty_claim - self.labour_cost - self.parts_cost

    @property
    def cost(self) -> Decimal:
        return self.labour_cost + self.parts_cost

    @property
    def balance_due(self) -> Decimal:
        """What the customer still owes; warranty work is billed to the maker, not to the customer."""
        return self.revenue - self.paid_total

    def clean(self):
        errors = {}
        if self.vehicle_id and self.mileage_km is not None:
            last = (
                ServiceOrder.objects.filter(vehicle_id=self.vehicle_id)
                .exclude(pk=self.pk)
                .exclude(status=ServiceStatus.CANCELLED)
                .order_by("-mileage_km")
                .values_list("mileage_km", flat=True)
                .first()
            )
            if last is not None and self.mileage_km < last and not self.pk:
                errors["mileage_km"] = _(
                    "The mileage %(new)s km is lower than the %(last)s km recorded last time."
                ) % {"new": self.mileage_km, "last": last}
        if self.discount is not None and self.discount < 0:
            errors["discount"] = _("A discount cannot be negative.")
        elif (
            self.discount is not None
            and self.labour_revenue is not None
            and self.parts_revenue is not None
            and self.discount > self.labour_revenue + self.parts_revenue
        ):
            errors["discount"] = _("The discount cannot exceed the labour and parts billed to the customer.")
        if errors:
            raise ValidationError(errors)


class ServiceJob(TimeStampedModel):
    service_order = models.ForeignKey(
        ServiceOrder, verbose_name=_("service order"), on_delete=models.CASCADE, related_name="jobs"
    )
    description = models.CharField(_("description"), max_length=200)
    labour_hours = models.DecimalField(_("labour hours"), max_digits=6, decimal_places=2)
    labour_rate = money_field(_("labour rate per hour"))
    cost_rate = money_field(_("labour cost per hour"))
    is_warranty = models.BooleanField(_("warranty"), default=False)

    class Meta:
        verbose_name = _("service job")
        verbose_name_plural = _("service jobs")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(labour_hours__gte=0), name="job_hours_not_negative")
        ]

    def __str__(self):
        return self.description

    def clean(self):
        errors = {}
        if self.labour_hours is not None and self.labour_hours <= 0:
            errors["labour_hours"] = _("Labour hours must be greater than zero.")
        if self.labour_rate is not None and self.labour_rate < 0:
            errors["labour_rate"] = _("The labour rate cannot be negative.")
        if self.cost_rate is not None and self.cost_rate < 0:
            errors["cost_rate"] = _("The labour cost cannot be negative.")
        if errors:
            raise ValidationError(errors)


class ServicePart(TimeStampedModel):
    service_order = models.ForeignKey(
        ServiceOrder, verbose_name=_("service order"), on_delete=models.CASCADE, related_name="parts"
    )
    part_number = models.CharField(_("part number"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2, default=1)
    unit_cost = money_field(_("unit cost"))
    unit_price = money_field(_("unit price"))
    is_warranty = models.BooleanField(_("warranty"), default=False)
    is_paid = models.BooleanField(_("paid"), default=False)

    class Meta:
        verbose_name = _("service part")
        verbose_name_plural = _("service parts")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="part_quantity_positive"),
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0, unit_price__gte=0), name="part_money_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.part_number} {self.name}"

    def clean(self):
        errors = {}
        if self.quantity is not None and self.quantity <= 0:
            errors["quantity"] = _("The quantity must be greater than zero.")
        if self.unit_cost is not None and self.unit_cost < 0:
            errors["unit_cost"] = _("The cost cannot be negative.")
        if self.unit_price is not None and self.unit_price < 0:
            errors["unit_price"] = _("The price cannot be negative.")
        if errors:
            raise ValidationError(errors)


class MaintenanceRule(TimeStampedModel):
    car_model = models.OneToOneField(
        CarModel,
        verbose_name=_("model"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="maintenance_rule",
        help_text=_("Empty for the default rule."),
    )
    interval_km = models.PositiveIntegerField(_("every (km)"), default=10000)
    interval_months = models.PositiveSmallIntegerField(_("every (months)"), default=12)

    class Meta:
        verbose_name = _("maintenance rule")
        verbose_name_plural = _("maintenance rules")
        constraints = [
            models.UniqueConstraint(
                fields=["car_model"], condition=Q(car_model__isnull=True), name="one_default_maintenance_rule"
            ),
            models.CheckConstraint(
                condition=Q(interval_km__gt=0, interval_months__gt=0), name="maintenance_interval_positive"
            ),
        ]

    def __str__(self):
        return f"{self.car_model or '*'}: {self.interval_km} km / {self.interval_months}"


def _days(verbose_name, default, help_text, maximum=365):
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(maximum)],
        help_text=help_text,
    )


class AfterSalesSettings(TimeStampedModel):
    """The group's after-sales rules: how long each complaint severity may take, which follow-up
    score opens a complaint, and when follow-up calls fall due. One row, read by the services."""

    complaint_days_critical = _days(
        _("critical complaint, days"), SEVERITY_DUE_DAYS[Severity.CRITICAL], _("Days to resolve."), 90
    )
    complaint_days_high = _days(
        _("high complaint, days"), SEVERITY_DUE_DAYS[Severity.HIGH], _("Days to resolve."), 90
    )
    complaint_days_medium = _days(
        _("medium complaint, days"), SEVERITY_DUE_DAYS[Severity.MEDIUM], _("Days to resolve."), 90
    )
    complaint_days_low = _days(
        _("low complaint, days"), SEVERITY_DUE_DAYS[Severity.LOW], _("Days to resolve."), 90
    )
    low_score_threshold = models.PositiveSmallIntegerField(
        _("complaint at score"),
        default=LOW_SCORE_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("A follow-up call scored at or below this (1–5 scale) opens a complaint."),
    )
    delivery_first_call_days = _days(
        _("first call after delivery, days"),
        FOLLOW_UP_DAYS[FollowUpKind.DELIVERY_DAY3],
        _("Days after hand-over."),
    )
    delivery_second_call_days = _days(
        _("second call after delivery, days"),
        FOLLOW_UP_DAYS[FollowUpKind.DELIVERY_DAY30],
        _("Days after hand-over."),
    )
    service_call_days = _days(
        _("call after service, days"),
        FOLLOW_UP_DAYS[FollowUpKind.SERVICE_DAY3],
        _("Days after the service order is closed."),
    )

    # What users set, in the order forms and the API show it.
    FIELDS = (
        "complaint_days_critical",
        "complaint_days_high",
        "complaint_days_medium",
        "complaint_days_low",
        "low_score_threshold",
        "delivery_first_call_days",
        "delivery_second_call_days",
        "service_call_days",
    )

    class Meta:
        verbose_name = _("after-sales settings")
        verbose_name_plural = _("after-sales settings")

    def __str__(self):
        return str(_("After-sales settings"))

    @classmethod
    def current(cls) -> "AfterSalesSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row

    def complaint_days(self, severity) -> int:
        return {
            Severity.CRITICAL: self.complaint_days_critical,
            Severity.HIGH: self.complaint_days_high,
            Severity.MEDIUM: self.complaint_days_medium,
            Severity.LOW: self.complaint_days_low,
        }[Severity(severity)]

    def follow_up_days(self, kind) -> int:
        return {
            FollowUpKind.DELIVERY_DAY3: self.delivery_first_call_days,
            FollowUpKind.DELIVERY_DAY30: self.delivery_second_call_days,
            FollowUpKind.SERVICE_DAY3: self.service_call_days,
        }[FollowUpKind(kind)]

    def clean(self):
        errors = {}
        days = [
            ("complaint_days_critical", self.complaint_days_critical),
            ("complaint_days_high", self.complaint_days_high),
            ("complaint_days_medium", self.complaint_days_medium),
            ("complaint_days_low", self.complaint_days_low),
        ]
        for (_name, shorter), (name, longer) in zip(days, days[1:], strict=False):
            if shorter is not None and longer is not None and longer < shorter:
                errors[name] = _("A less severe complaint cannot be due sooner than a more severe one.")
        first, second = self.delivery_first_call_days, self.delivery_second_call_days
        if first is not None and second is not None and second <= first:
            errors["delivery_second_call_days"] = _("The second call comes after the first.")
        if errors:
            raise ValidationError(errors)


class Reminder(CreatedByModel):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="reminders"
    )
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.CASCADE, related_name="reminders"
    )
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="+")
    advisor = models.ForeignKey(
        User,
        verbose_name=_("service advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    due_date = models.DateField(_("due date"), db_index=True)
    due_mileage_km = models.PositiveIntegerField(_("due at (km)"), null=True, blank=True)
    last_service_date = models.DateField(_("last service"), null=True, blank=True)
    last_mileage_km = models.PositiveIntegerField(_("last mileage (km)"), null=True, blank=True)
    service_order = models.ForeignKey(
        ServiceOrder,
        verbose_name=_("service order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The service that settled this reminder."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.DUE, db_index=True
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    postponed_to = models.DateField(_("postponed to"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("maintenance reminder")
        verbose_name_plural = _("maintenance reminders")
        ordering = ["due_date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(reason=""), name="refused_reminder_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="postponed") | Q(postponed_to__isnull=False),
                name="postponed_reminder_date",
            ),
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(status__in=["due", "postponed"]),
                name="one_open_reminder_per_vehicle",
            ),
        ]
        indexes = [models.Index(fields=["advisor", "status", "due_date"])]

    def __str__(self):
        return f"{self.vehicle} {self.due_date}"

    @property
    def effective_date(self):
        """The day the reminder shows on the due list: the postponed date if any."""
        return self.postponed_to if self.status == ReminderStatus.POSTPONED else self.due_date

    def clean(self):
        errors = {}
        if self.status == ReminderStatus.REFUSED and not (self.reason or "").strip():
            errors["reason"] = _("Give the reason the customer refused.")
        if self.status == ReminderStatus.POSTPONED and not self.postponed_to:
            errors["postponed_to"] = _("Choose the date to postpone to.")
        if errors:
            raise ValidationError(errors)


class Complaint(CreatedByModel):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="complaints"
    )
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    service_order = models.ForeignKey(
        ServiceOrder,
        verbose_name=_("service order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=20, choices=ComplaintCategory.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    owner = models.ForeignKey(
        User, verbose_name=_("owner"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.OPEN,
        db_index=True,
    )
    description = models.TextField(_("description"))
    due_date = models.DateField(_("due date"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    customer_accepted = models.BooleanField(_("customer accepted"), null=True, blank=True)
    follow_up_call = models.OneToOneField(
        "FollowUpCall",
        verbose_name=_("follow-up call"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaint",
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"]) | ~Q(resolution=""),
                name="resolved_complaint_has_resolution",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.customer}"

    def clean(self):
        errors = {}
        if self.status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED) and not self.resolution.strip():
            errors["resolution"] = _("Describe how the complaint was resolved.")
        if not (self.description or "").strip():
            errors["description"] = _("Describe the complaint.")
        if self.service_order_id and self.customer_id and self.service_order.customer_id != self.customer_id:
            errors["service_order"] = _("The service order belongs to another customer.")
        if self.order_id and self.customer_id and self.order.customer_id != self.customer_id:
            errors["order"] = _("The order belongs to another customer.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS)


class FollowUpCall(CreatedByModel):
    """A follow-up call (回访) with its satisfaction survey."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="follow_up_calls"
    )
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up_calls",
    )
    service_order = models.ForeignKey(
        ServiceOrder,
        verbose_name=_("service order"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up_calls",
    )
    kind = models.CharField(_("kind"), max_length=15, choices=FollowUpKind.choices)
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.DUE
    )
    caller = models.ForeignKey(
        User, verbose_name=_("caller"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="survey_score_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(score__isnull=False), name="done_call_has_score"
            ),
            models.CheckConstraint(
                condition=Q(order__isnull=False) | Q(service_order__isnull=False), name="call_has_subject"
            ),
            models.UniqueConstraint(
                fields=["order", "kind"], condition=Q(order__isnull=False), name="one_call_per_order_kind"
            ),
            models.UniqueConstraint(
                fields=["service_order", "kind"],
                condition=Q(service_order__isnull=False),
                name="one_call_per_service_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.customer}"

    def clean(self):
        errors = {}
        if self.score is not None and not 1 <= self.score <= 5:
            errors["score"] = _("The satisfaction score is from 1 to 5.")
        elif self.status == FollowUpStatus.DONE and self.score is None:
            errors["score"] = _("Record the customer's satisfaction score from 1 to 5.")
        if not self.order_id and not self.service_order_id:
            errors["order"] = _("A follow-up call is about an order or a service order.")
        if errors:
            raise ValidationError(errors)
