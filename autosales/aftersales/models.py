from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from autosales.core.models import CreatedByModel, Store, TimeStampedModel, money_field
from autosales.inventory.models import CarModel, Vehicle
from autosales.parties.models import Customer
from autosales.sales.models import Order

from .choices import (
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
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="service_orders"
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

    class Meta:
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "opened_at"]),
            models.Index(fields=["vehicle", "-opened_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(discount__gte=0), name="service_discount_not_negative")
        ]

    def __str__(self):
        return self.number

    @property
    def revenue(self) -> Decimal:
        return self.labour_revenue + self.parts_revenue - self.discount

    @property
    def gross_profit(self) -> Decimal:
        return self.revenue + self.warranty_claim - self.labour_cost - self.parts_cost

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
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="part_quantity_positive")]

    def __str__(self):
        return f"{self.part_number} {self.name}"


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

    def __str__(self):
        return f"{self.car_model or '*'}: {self.interval_km} km / {self.interval_months}"


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
    )
    due_date = models.DateField(_("due date"), db_index=True)
    due_mileage_km = models.PositiveIntegerField(_("due at (km)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.DUE
    )
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
        ]

    def __str__(self):
        return f"{self.vehicle} {self.due_date}"


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
        if self.status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED) and not self.resolution:
            raise ValidationError({"resolution": _("Describe how the complaint was resolved.")})


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
        if self.score is not None and not 1 <= self.score <= 5:
            raise ValidationError({"score": _("The satisfaction score is from 1 to 5.")})
