import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from autosales.core.history import HistoricalRecords
from autosales.core.models import CreatedByModel, Store, TimeStampedModel, money_field
from autosales.core.validators import normalize_vin, validate_vin

from .choices import STOCK_STATUSES, BodyType, FuelType, TransferStatus, VehicleStatus


class Brand(TimeStampedModel):
    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    country = models.CharField(_("country"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CarModel(TimeStampedModel):
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="models", db_index=False
    )
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    body_type = models.CharField(
        _("body type"), max_length=12, choices=BodyType.choices, default=BodyType.SEDAN
    )
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("model")
        verbose_name_plural = _("models")
        ordering = ["brand__name", "name"]
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="unique_model_per_brand")]

    def __str__(self):
        return f"{self.brand} {self.name}"


class Colour(TimeStampedModel):
    name = models.CharField(_("name"), max_length=30, unique=True)
    name_en = models.CharField(_("English name"), max_length=30, blank=True)
    hex_code = models.CharField(_("colour code"), max_length=7, default="#FFFFFF")

    class Meta:
        verbose_name = _("colour")
        verbose_name_plural = _("colours")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", self.hex_code or ""):
            raise ValidationError({"hex_code": _("Enter a colour code like #1A2B3C.")})


class Trim(TimeStampedModel):
    car_model = models.ForeignKey(
        CarModel, verbose_name=_("model"), on_delete=models.PROTECT, related_name="trims"
    )
    name = models.CharField(_("name"), max_length=80)
    code = models.CharField(_("code"), max_length=30, unique=True)
    model_year = models.PositiveSmallIntegerField(_("model year"))
    fuel_type = models.CharField(
        _("fuel type"), max_length=10, choices=FuelType.choices, default=FuelType.PETROL
    )
    msrp = money_field(_("list price (MSRP)"))
    standard_cost = money_field(
        _("standard cost"), help_text=_("The dealer's usual purchase price from the maker.")
    )
    colours = models.ManyToManyField(Colour, verbose_name=_("colours"), blank=True, related_name="trims")
    is_active = models.BooleanField(_("on sale"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trim")
        verbose_name_plural = _("trims")
        ordering = ["car_model__brand__name", "car_model__name", "msrp"]
        constraints = [
            models.CheckConstraint(condition=Q(msrp__gt=0), name="trim_msrp_positive"),
            models.CheckConstraint(condition=Q(standard_cost__gte=0), name="trim_cost_not_negative"),
        ]

    def __str__(self):
        return f"{self.car_model} {self.name}"

    def clean(self):
        errors = {}
        if self.msrp is not None and self.msrp <= 0:
            errors["msrp"] = _("The list price must be greater than zero.")
        if self.standard_cost is not None and self.standard_cost < 0:
            errors["standard_cost"] = _("The cost cannot be negative.")
        if self.model_year and not 1990 <= self.model_year <= timezone.localdate().year + 2:
            errors["model_year"] = _("Enter a model year between 1990 and two years from now.")
        if errors:
            raise ValidationError(errors)


class Vehicle(CreatedByModel):
    vin = models.CharField(_("VIN"), max_length=17, unique=True)
    vin_tail = models.CharField(_("last 6 of VIN"), max_length=6, db_index=True, editable=False)
    trim = models.ForeignKey(
        Trim, verbose_name=_("trim"), on_delete=models.PROTECT, related_name="vehicles", null=True, blank=True
    )
    colour = models.ForeignKey(
        Colour,
        verbose_name=_("colour"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
    )
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="vehicles"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=VehicleStatus.choices,
        default=VehicleStatus.IN_STOCK,
    )
    cost = money_field(_("cost"))
    list_price = money_field(_("list price"))
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo vehicle"), default=False, help_text=_("Used for test drives."))
    description = models.CharField(
        _("description"),
        max_length=120,
        blank=True,
        help_text=_("Make and model of a vehicle bought elsewhere."),
    )
    plate_number = models.CharField(_("plate number"), max_length=12, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="vehicle_cost_not_negative"),
            models.CheckConstraint(condition=Q(list_price__gte=0), name="vehicle_price_not_negative"),
            models.CheckConstraint(
                condition=Q(status="external") | Q(trim__isnull=False), name="vehicle_stock_has_trim"
            ),
        ]
        indexes = [
            models.Index(fields=["store", "status", "-id"]),
            models.Index(fields=["status", "arrival_date"]),
        ]

    def __str__(self):
        return self.vin

    def stock_age_days(self, today: datetime.date | None = None) -> int | None:
        """Days since arrival while the vehicle is the dealer's stock."""
        if self.arrival_date is None or self.status not in STOCK_STATUSES:
            return None
        today = today or timezone.localdate()
        return max((today - self.arrival_date).days, 0)

    @property
    def stock_age(self):
        return self.stock_age_days()

    def clean(self):
        self.vin = normalize_vin(self.vin)
        errors = {}
        try:
            validate_vin(self.vin)
        except ValidationError as exc:
            errors["vin"] = exc.messages
        if self.status != VehicleStatus.EXTERNAL and not self.trim_id:
            errors["trim"] = _("Choose the trim of a stock vehicle.")
        if self.cost is not None and self.cost < 0:
            errors["cost"] = _("The cost cannot be negative.")
        if self.list_price is not None and self.list_price < 0:
            errors["list_price"] = _("The list price cannot be negative.")
        if self.arrival_date and self.arrival_date > timezone.localdate():
            errors["arrival_date"] = _("The arrival date cannot be in the future.")
        if self.status in STOCK_STATUSES and not self.arrival_date:
            errors["arrival_date"] = _("A vehicle in stock needs its arrival date.")
        if "vin" not in errors and self.vin:
            existing = (
                Vehicle.objects.filter(vin=self.vin).exclude(pk=self.pk).select_related("store").first()
            )
            if existing:
                errors["vin"] = _("Vehicle %(vin)s is already registered at %(store)s.") % {
                    "vin": existing.vin,
                    "store": existing.store,
                }
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude=set(exclude or ()) | {"vin"})

    def save(self, *args, **kwargs):
        self.vin = normalize_vin(self.vin)
        self.vin_tail = self.vin[-6:]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "vin" in update_fields:
            kwargs["update_fields"] = {*update_fields, "vin_tail"}
        super().save(*args, **kwargs)


class StockTransfer(CreatedByModel):
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_store = models.ForeignKey(
        Store, verbose_name=_("from store"), on_delete=models.PROTECT, related_name="+"
    )
    to_store = models.ForeignKey(
        Store, verbose_name=_("to store"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stock transfer")
        verbose_name_plural = _("stock transfers")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_store=models.F("to_store")), name="transfer_between_stores"
            ),
        ]

    def __str__(self):
        return f"{self.vehicle} {self.from_store_id}→{self.to_store_id}"

    def clean(self):
        if self.from_store_id and self.from_store_id == self.to_store_id:
            raise ValidationError({"to_store": _("Choose a different store to transfer to.")})
