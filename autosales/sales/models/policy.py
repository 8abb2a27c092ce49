"""Sales policy: fleet agreements and their prices, the approval matrix, margin floors and tax rules."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from autosales.core.choices import Role
from autosales.core.config_cache import ConfigQuerySet
from autosales.core.history import HistoricalRecords
from autosales.core.models import CreatedByModel, Store, TimeStampedModel, money_field
from autosales.inventory.choices import FuelType
from autosales.inventory.models import CarModel, Trim
from autosales.keyaccounts.choices import AccountType, Tier
from autosales.parties.models import Customer

from ..choices import AgreementStatus


class FleetAgreement(CreatedByModel):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="fleet_agreements"
    )
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    volume_target = models.PositiveIntegerField(_("agreed volume"), default=0)
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=30)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fleet agreement")
        verbose_name_plural = _("fleet agreements")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="agreement_ends_after_start"
            )
        ]

    def __str__(self):
        return self.number

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The agreement cannot end before it starts.")
        if self.customer_id and not self.customer.is_company:
            errors["customer"] = _("Fleet agreements are made with company customers.")
        if errors:
            raise ValidationError(errors)


class FleetAgreementLine(TimeStampedModel):
    agreement = models.ForeignKey(
        FleetAgreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,
    )
    trim = models.ForeignKey(Trim, verbose_name=_("trim"), on_delete=models.PROTECT, related_name="+")
    unit_price = money_field(_("agreed unit price"))
    volume = models.PositiveIntegerField(_("volume"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fleet agreement line")
        verbose_name_plural = _("fleet agreement lines")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "trim"], name="unique_trim_per_agreement"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="agreement_price_positive"),
        ]

    def __str__(self):
        return f"{self.trim} {self.unit_price}"


class ApprovalRule(TimeStampedModel):
    """How large a discount each role may grant on its own (the approval matrix)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, unique=True)
    max_discount_rate = models.DecimalField(
        _("max discount rate"),
        max_digits=5,
        decimal_places=4,
        help_text=_("Share of the list price, e.g. 0.0300 for 3%."),
    )
    max_discount_amount = money_field(_("max discount per quote"), null=True, blank=True, default=None)
    may_go_below_floor = models.BooleanField(
        _("may approve below margin floor (with written reason)"), default=False
    )

    history = HistoricalRecords()

    objects = ConfigQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["max_discount_rate"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_discount_rate__gte=0, max_discount_rate__lte=1),
                name="approval_rate_between_0_and_1",
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} ≤ {self.max_discount_rate:.2%}"


class MarginFloor(TimeStampedModel):
    """Minimum gross margin after all discounts and free extras, by customer tier/type and model."""

    customer_tier = models.CharField(
        _("customer tier"),
        max_length=20,
        blank=True,
        choices=Tier.choices,
        help_text=_("Empty applies to every tier."),
    )
    account_type = models.CharField(
        _("account type"),
        max_length=20,
        blank=True,
        choices=AccountType.choices,
        help_text=_("Empty applies to every account type."),
    )
    car_model = models.ForeignKey(
        CarModel,
        verbose_name=_("model"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty applies to every model."),
    )
    min_margin = models.DecimalField(_("minimum gross margin"), max_digits=5, decimal_places=4)

    history = HistoricalRecords()

    objects = ConfigQuerySet.as_manager()

    class Meta:
        verbose_name = _("margin floor")
        verbose_name_plural = _("margin floors")
        constraints = [
            models.UniqueConstraint(
                fields=["customer_tier", "account_type", "car_model"], name="unique_margin_floor"
            ),
            models.CheckConstraint(
                condition=Q(min_margin__gte=-1, min_margin__lte=1), name="margin_floor_range"
            ),
        ]

    def __str__(self):
        return f"{self.customer_tier or '*'}/{self.account_type or '*'}/{self.car_model or '*'} ≥ {self.min_margin:.2%}"


class TaxRule(TimeStampedModel):
    """Purchase tax and registration estimate, valid for a period and fuel types."""

    name = models.CharField(_("name"), max_length=60)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    fuel_types = models.JSONField(
        _("fuel types"), default=list, help_text=_("Fuel types this rule applies to; empty means all.")
    )
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4, default=Decimal("0.13"))
    purchase_tax_rate = models.DecimalField(
        _("purchase tax rate"), max_digits=5, decimal_places=4, default=Decimal("0.10")
    )
    purchase_tax_reduction = models.DecimalField(
        _("purchase tax reduction"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        help_text=_("Share of the tax waived, e.g. 1 for exempt, 0.5 for halved."),
    )
    reduction_cap = money_field(_("reduction cap per vehicle"), null=True, blank=True, default=None)
    registration_fee = money_field(_("registration fee estimate"), default=Decimal("500"))

    history = HistoricalRecords()

    objects = ConfigQuerySet.as_manager()

    class Meta:
        verbose_name = _("tax rule")
        verbose_name_plural = _("tax rules")
        ordering = ["-valid_from"]

    def __str__(self):
        return self.name

    @property
    def fuel_type_labels(self) -> list[str]:
        labels = dict(FuelType.choices)
        return [str(labels.get(code, code)) for code in self.fuel_types or []]

    def clean(self):
        valid = {choice for choice, _label in FuelType.choices}
        unknown = [f for f in (self.fuel_types or []) if f not in valid]
        if unknown:
            raise ValidationError({"fuel_types": _("Unknown fuel type: %(v)s") % {"v": ", ".join(unknown)}})
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The rule cannot end before it starts.")})
