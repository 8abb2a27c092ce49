from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from autosales.core.choices import Role
from autosales.core.models import CreatedByModel, Store, TimeStampedModel, money_field
from autosales.inventory.choices import FuelType
from autosales.inventory.models import CarModel, Trim, Vehicle
from autosales.keyaccounts.choices import AccountType, Tier
from autosales.parties.models import Customer

from .choices import (
    PDI_ITEMS,
    ActivityKind,
    AgreementStatus,
    AllocationStatus,
    ApprovalDecision,
    LeadSource,
    LeadStage,
    LineKind,
    LostReason,
    LostRequestStatus,
    OrderStatus,
    PaymentKind,
    PaymentMethod,
    QuoteStatus,
    TradeInStatus,
)

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


class TradeInAppraisal(CreatedByModel):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="trade_ins"
    )
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="+")
    appraiser = models.ForeignKey(
        User, verbose_name=_("appraiser"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    description = models.CharField(_("make and model"), max_length=120)
    first_registration = models.DateField(_("first registration"), null=True, blank=True)
    mileage_km = models.PositiveIntegerField(_("mileage (km)"))
    condition = models.TextField(_("condition"), blank=True)
    appraised_value = money_field(_("appraised value"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TradeInStatus.choices, default=TradeInStatus.APPRAISED
    )

    class Meta:
        verbose_name = _("trade-in appraisal")
        verbose_name_plural = _("trade-in appraisals")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(appraised_value__gte=0), name="appraisal_not_negative")
        ]

    def __str__(self):
        return f"{self.description} {self.appraised_value}"

    def clean(self):
        from autosales.core.validators import normalize_vin, validate_vin

        self.vin = normalize_vin(self.vin)
        if self.vin:
            try:
                validate_vin(self.vin)
            except ValidationError as exc:
                raise ValidationError({"vin": exc.messages}) from exc
        if self.appraised_value is not None and self.appraised_value < 0:
            raise ValidationError({"appraised_value": _("The appraised value cannot be negative.")})


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
        FleetAgreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="lines"
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


class PricedDocument(CreatedByModel):
    """Fields shared by quotes and orders: totals kept by the services for fast lists."""

    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    salesperson = models.ForeignKey(
        User,
        verbose_name=_("salesperson"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    list_total = money_field(_("list total"))
    discount_total = money_field(_("discount total"))
    total = money_field(_("total"))
    cost_total = money_field(_("cost total"))
    income_total = money_field(_("third-party income"))
    trade_in_credit = money_field(_("trade-in credit"))
    purchase_tax = money_field(_("purchase tax estimate"))
    registration_fees = money_field(_("registration fees estimate"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.number

    @property
    def gross_profit(self) -> Decimal:
        return self.total - self.cost_total + self.income_total

    @property
    def margin(self) -> Decimal:
        from autosales.core.money import ratio

        return ratio(self.gross_profit, self.total)

    @property
    def payable(self) -> Decimal:
        """What the customer pays the dealer: the total less the trade-in credit."""
        return self.total - self.trade_in_credit

    @property
    def out_of_pocket(self) -> Decimal:
        """The customer's whole outlay estimate, with purchase tax and registration."""
        return self.payable + self.purchase_tax + self.registration_fees


class Quote(PricedDocument):
    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT, db_index=True
    )
    valid_until = models.DateField(_("valid until"))
    fleet_agreement = models.ForeignKey(
        FleetAgreement,
        verbose_name=_("fleet agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
    )
    required_role = models.CharField(
        _("approval needed from"), max_length=20, choices=Role.choices, blank=True
    )
    approved_by = models.ForeignKey(
        User,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval_reason = models.TextField(
        _("reason for the discount"),
        blank=True,
        help_text=_("Required when the margin falls below the floor."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-id"]
        indexes = [models.Index(fields=["store", "status", "-id"]), models.Index(fields=["customer", "-id"])]


LINE_FIGURE_FIELDS = [
    "price_discount",
    "free_extras",
    "free_extras_cost",
    "vehicle_profit",
    "addon_profit",
    "fi_income",
    "vehicle_units",
    "financing_lines",
    "insurance_lines",
    "package_lines",
    "upfitting_lines",
]


class Order(PricedDocument):
    quote = models.OneToOneField(
        Quote, verbose_name=_("quote"), on_delete=models.PROTECT, null=True, blank=True, related_name="order"
    )
    status = models.CharField(
        _("status"), max_length=15, choices=OrderStatus.choices, default=OrderStatus.DRAFT, db_index=True
    )
    order_date = models.DateField(_("order date"), db_index=True)
    balance_due_date = models.DateField(_("balance due"), null=True, blank=True)
    is_fleet = models.BooleanField(_("fleet order"), default=False)
    paid_total = money_field(_("paid"))
    cancel_reason = models.TextField(_("cancellation reason"), blank=True)
    refund_owed = money_field(_("refund owed"))
    is_historical = models.BooleanField(_("imported history"), default=False)
    # Figures of the lines by kind, kept by ``order_figures_refresh`` whenever lines are written
    # (lines do not change after the order is made). The key-account analysis reads them instead
    # of grouping every order line. Trade-in lines are credits and count in none of them.
    price_discount = money_field(_("discount on paid lines"))
    free_extras = money_field(_("free extras at list price"))
    free_extras_cost = money_field(_("cost of free extras"))
    vehicle_profit = money_field(_("vehicle gross profit"), help_text=_("Vehicles and free extras."))
    addon_profit = money_field(_("add-on gross profit"))
    fi_income = money_field(_("finance and insurance income"))
    vehicle_units = models.PositiveIntegerField(_("vehicles sold"), default=0)
    financing_lines = models.PositiveSmallIntegerField(_("financing lines"), default=0)
    insurance_lines = models.PositiveSmallIntegerField(_("insurance lines"), default=0)
    package_lines = models.PositiveSmallIntegerField(_("service package lines"), default=0)
    upfitting_lines = models.PositiveSmallIntegerField(_("upfitting lines"), default=0)

    history = HistoricalRecords(excluded_fields=LINE_FIGURE_FIELDS)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["store", "status", "-id"]),
            # Covers the key-account facts queries (orders, and the join to lines and payments).
            models.Index(
                fields=[
                    "customer",
                    "order_date",
                    "status",
                    "store",
                    "total",
                    "list_total",
                    "cost_total",
                    "income_total",
                    "is_fleet",
                    *LINE_FIGURE_FIELDS,
                ],
                name="order_customer_facts",
            ),
            models.Index(fields=["order_date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(paid_total__gte=0), name="order_paid_not_negative"),
            models.CheckConstraint(
                condition=Q(paid_total__lte=models.F("total") - models.F("trade_in_credit")),
                name="order_not_overpaid",
            ),
        ]

    @property
    def balance_due(self) -> Decimal:
        return self.payable - self.paid_total


class DocumentLine(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices, default=LineKind.VEHICLE)
    description = models.CharField(_("description"), max_length=200, blank=True)
    trim = models.ForeignKey(
        Trim, verbose_name=_("trim"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = money_field(_("unit price"), help_text=_("List price per unit, VAT included."))
    unit_discount = money_field(_("discount per unit"))
    unit_cost = money_field(_("cost per unit"))
    income = money_field(_("third-party income"), help_text=_("Commission from lender or insurer."))
    is_free = models.BooleanField(_("free extra"), default=False)
    # Financing terms (kind = financing).
    finance_amount = money_field(_("amount financed"), null=True, blank=True, default=None)
    down_payment = money_field(_("down payment"), null=True, blank=True, default=None)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    annual_rate = models.DecimalField(_("annual rate"), max_digits=6, decimal_places=4, null=True, blank=True)
    monthly_payment = money_field(_("monthly payment"), null=True, blank=True, default=None)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_kind_display()} {self.description}"

    @property
    def amount(self) -> Decimal:
        return (self.unit_price - self.unit_discount) * self.quantity

    @property
    def gross_profit(self) -> Decimal:
        return (self.unit_price - self.unit_discount - self.unit_cost) * self.quantity + self.income

    def clean(self):
        errors = {}
        if self.quantity is not None and self.quantity < 1:
            errors["quantity"] = _("The quantity is at least 1.")
        if self.unit_discount is not None and self.unit_price is not None:
            if self.unit_discount < 0:
                errors["unit_discount"] = _("A discount cannot be negative.")
            elif self.unit_discount > self.unit_price:
                errors["unit_discount"] = _("The discount cannot exceed the price.")
        if self.is_free and self.unit_discount != self.unit_price:
            errors["is_free"] = _("A free extra is discounted by its full price.")
        if self.kind == LineKind.VEHICLE and not (self.trim_id or getattr(self, "vehicle_id", None)):
            errors["trim"] = _("Choose a vehicle by VIN or a trim.")
        if self.kind == LineKind.FINANCING and (not self.term_months or self.annual_rate is None):
            errors["term_months"] = _("Financing needs a term and an annual rate.")
        if errors:
            raise ValidationError(errors)


class QuoteLine(DocumentLine):
    quote = models.ForeignKey(Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="lines")
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trade_in = models.ForeignKey(
        TradeInAppraisal,
        verbose_name=_("trade-in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_discount__gte=0), name="quoteline_discount_not_negative"),
            models.CheckConstraint(
                condition=Q(unit_discount__lte=models.F("unit_price")), name="quoteline_discount_within_price"
            ),
        ]


class OrderLine(DocumentLine):
    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines")
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trade_in = models.ForeignKey(
        TradeInAppraisal,
        verbose_name=_("trade-in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        indexes = [
            # Covers the key-account facts query over order lines.
            models.Index(
                fields=[
                    "order",
                    "kind",
                    "is_free",
                    "quantity",
                    "unit_price",
                    "unit_discount",
                    "unit_cost",
                    "income",
                    "trim",
                ],
                name="orderline_facts",
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(unit_discount__gte=0), name="orderline_discount_not_negative"),
            models.CheckConstraint(
                condition=Q(unit_discount__lte=models.F("unit_price")), name="orderline_discount_within_price"
            ),
        ]


class QuoteApproval(CreatedByModel):
    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="approvals"
    )
    required_role = models.CharField(_("approver role"), max_length=20, choices=Role.choices)
    decision = models.CharField(
        _("decision"), max_length=10, choices=ApprovalDecision.choices, default=ApprovalDecision.PENDING
    )
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    discount_total = money_field(_("discount"))
    discount_rate = models.DecimalField(_("discount rate"), max_digits=7, decimal_places=4, default=0)
    margin = models.DecimalField(_("margin"), max_digits=7, decimal_places=4, default=0)
    margin_floor = models.DecimalField(_("margin floor"), max_digits=5, decimal_places=4, default=0)
    below_floor = models.BooleanField(_("below margin floor"), default=False)
    concessions_this_year = money_field(_("concessions this year"))
    request_note = models.TextField(_("salesperson's reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quote approval")
        verbose_name_plural = _("quote approvals")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.quote} {self.get_decision_display()}"


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
    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.CASCADE, related_name="+")
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
