"""Vehicle allocations, payments and deliveries that fulfil an order, and the monthly sales targets."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from autosales.core.history import HistoricalRecords
from autosales.core.models import CreatedByModel, Store, money_field
from autosales.inventory.models import Vehicle

from ..choices import PDI_ITEMS, AllocationStatus, PaymentKind, PaymentMethod
from .documents import Order, OrderLine

User = settings.AUTH_USER_MODEL


class VehicleAllocation(CreatedByModel):
    """A VIN reserved for an order line. A vehicle has at most one active allocation (database constraint)."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="allocations"
    )
    line = models.ForeignKey(
        OrderLine,
        verbose_name=_("order line"),
        on_delete=models.CASCADE,
        related_name="allocations",
        null=True,
        blank=True,
    )
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="allocations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AllocationStatus.choices, default=AllocationStatus.ALLOCATED
    )
    delivery = models.ForeignKey(
        "Delivery",
        verbose_name=_("delivery"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="allocations",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vehicle allocation")
        verbose_name_plural = _("vehicle allocations")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"], condition=~Q(status="released"), name="one_open_allocation_per_vehicle"
            ),
        ]

    def __str__(self):
        return f"{self.vehicle} → {self.order}"


class Payment(CreatedByModel):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PaymentKind.choices)
    method = models.CharField(
        _("method"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    amount = money_field(_("amount"), help_text=_("Always positive; a refund reduces what was paid."))
    paid_at = models.DateTimeField(_("paid at"), db_index=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    received_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at", "-id"]
        # Covers the key-account facts query over payments (days late).
        indexes = [models.Index(fields=["order", "kind", "due_date", "paid_at"], name="payment_order_facts")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    def clean(self):
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("The amount must be greater than zero.")})

    @property
    def signed_amount(self) -> Decimal:
        return -self.amount if self.kind == PaymentKind.REFUND else self.amount


def default_pdi():
    return {key: False for key, _label in PDI_ITEMS}


class Delivery(CreatedByModel):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="deliveries"
    )
    scheduled_for = models.DateField(_("scheduled for"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        User,
        verbose_name=_("handed over by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pdi = models.JSONField(_("PDI checklist"), default=default_pdi)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.order} #{self.pk}"

    @property
    def pdi_complete(self) -> bool:
        return all(self.pdi.get(key) for key, _label in PDI_ITEMS)

    def clean(self):
        known = {key for key, _label in PDI_ITEMS}
        unknown = set(self.pdi or {}) - known
        if unknown:
            raise ValidationError({"pdi": _("Unknown PDI item: %(v)s") % {"v": ", ".join(sorted(unknown))}})


class SalesTarget(CreatedByModel):
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    salesperson = models.ForeignKey(
        User,
        verbose_name=_("salesperson"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the whole store."),
    )
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    units = models.PositiveIntegerField(_("units"), default=0)
    revenue = money_field(_("revenue"))
    gross_profit = money_field(_("gross profit"))

    class Meta:
        verbose_name = _("sales target")
        verbose_name_plural = _("sales targets")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["store", "salesperson", "month"], name="unique_target_per_month"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.salesperson or self.store}"

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("A target is set for a whole month; use its first day.")})
