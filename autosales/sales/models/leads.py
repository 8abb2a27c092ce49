"""Leads, the activities logged with customers, and the default win probability of each stage."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from autosales.core.models import CreatedByModel, Store, TimeStampedModel, money_field
from autosales.inventory.models import Trim, Vehicle
from autosales.parties.models import Customer

from ..choices import ActivityKind, LeadSource, LeadStage, LostReason, LostRequestStatus

User = settings.AUTH_USER_MODEL


class LeadStageSetting(TimeStampedModel):
    """The default win probability of each lead stage, editable by managers."""

    stage = models.CharField(_("stage"), max_length=12, choices=LeadStage.choices, unique=True)
    probability = models.PositiveSmallIntegerField(_("probability %"))

    class Meta:
        verbose_name = _("lead stage probability")
        verbose_name_plural = _("lead stage probabilities")
        ordering = ["probability"]
        constraints = [
            models.CheckConstraint(condition=Q(probability__lte=100), name="stage_probability_max_100")
        ]

    def __str__(self):
        return f"{self.get_stage_display()} {self.probability}%"


class Lead(CreatedByModel):
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="leads")
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="leads"
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("salesperson"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        db_index=False,
    )
    source = models.CharField(
        _("source"), max_length=20, choices=LeadSource.choices, default=LeadSource.WALK_IN
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=LeadStage.choices, default=LeadStage.NEW, db_index=True
    )
    probability = models.PositiveSmallIntegerField(_("probability %"), default=10)
    interested_trim = models.ForeignKey(
        Trim,
        verbose_name=_("interested in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(_("vehicles wanted"), default=1)
    expected_value = money_field(_("expected value"))
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True, db_index=True)
    lost_reason = models.CharField(_("lost reason"), max_length=20, choices=LostReason.choices, blank=True)
    lost_note = models.TextField(_("lost note"), blank=True)
    lost_request = models.CharField(
        _("lost request"), max_length=10, choices=LostRequestStatus.choices, blank=True, default=""
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(probability__lte=100), name="lead_probability_max_100"),
            models.CheckConstraint(condition=Q(expected_value__gte=0), name="lead_value_not_negative"),
            models.CheckConstraint(
                condition=~Q(stage="lost") | ~Q(lost_reason=""), name="lost_lead_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["store", "stage"]), models.Index(fields=["owner", "stage"])]

    def __str__(self):
        return f"#{self.pk} {self.customer}"

    def clean(self):
        errors = {}
        if self.probability is not None and self.probability > 100:
            errors["probability"] = _("A probability is at most 100%.")
        if self.expected_value is not None and self.expected_value < 0:
            errors["expected_value"] = _("The expected value cannot be negative.")
        if self.stage == LeadStage.LOST and not self.lost_reason:
            errors["lost_reason"] = _("Give the reason the lead was lost.")
        if errors:
            raise ValidationError(errors)

    @property
    def weighted_value(self) -> Decimal:
        return (self.expected_value * self.probability / 100).quantize(Decimal("0.01"))


class Activity(CreatedByModel):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="activities"
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        User,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=15, choices=ActivityKind.choices, default=ActivityKind.CALL)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("demo vehicle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="test_drives",
    )
    licence_number = models.CharField(_("driving licence number"), max_length=18, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # Covers the key-account facts query: read in customer order, no table rows, no sort.
            models.Index(
                fields=["customer", "occurred_at", "kind", "completed_at", "due_date", "store"],
                name="activity_customer_facts",
            ),
            models.Index(fields=["user", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="test_drive") | (Q(vehicle__isnull=False) & ~Q(licence_number="")),
                name="test_drive_has_vehicle_and_licence",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.customer}"

    def clean(self):
        errors = {}
        if self.kind == ActivityKind.TEST_DRIVE:
            if not self.vehicle_id:
                errors["vehicle"] = _("Choose the demo vehicle of the test drive.")
            if not self.licence_number:
                errors["licence_number"] = _("Record the driver's licence number.")
        if self.kind == ActivityKind.FOLLOW_UP and not self.due_date:
            errors["due_date"] = _("A follow-up needs a due date.")
        if self.lead_id and self.customer_id and self.lead.customer_id != self.customer_id:
            errors["lead"] = _("The lead belongs to another customer.")
        if errors:
            raise ValidationError(errors)
