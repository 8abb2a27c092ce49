"""Quotes and orders with their lines and approvals, and the trade-in appraisals their lines credit."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.utils.translation import gettext_lazy as _

from autosales.core.choices import Role
from autosales.core.history import HistoricalRecords
from autosales.core.models import CreatedByModel, Store, TimeStampedModel, money_field
from autosales.inventory.models import Trim, Vehicle
from autosales.parties.models import Customer

from ..choices import ApprovalDecision, LineKind, OrderStatus, QuoteStatus, TradeInStatus
from .leads import Lead
from .policy import FleetAgreement

User = settings.AUTH_USER_MODEL


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


class PricedDocument(CreatedByModel):
    """Fields shared by quotes and orders: totals kept by the services for fast lists."""

    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+", db_index=False
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
        ]
        constraints = [
            models.CheckConstraint(condition=Q(paid_total__gte=0), name="order_paid_not_negative"),
            # Half a cent of slack: SQLite subtracts decimals as binary floats, and
            # 300000.30 - 100000.10 there is 200000.19999999998, just under a full payment.
            models.CheckConstraint(
                condition=Q(
                    paid_total__lte=models.F("total") - models.F("trade_in_credit") + Value(Decimal("0.005"))
                ),
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
