from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from autosales.core.history import HistoricalRecords
from autosales.core.models import CreatedByModel, Store
from autosales.core.validators import (
    normalize_code,
    normalize_mobile,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)

from .choices import BuyingRole, CustomerKind, Industry, SourceChannel, Stance


class Customer(CreatedByModel):
    kind = models.CharField(
        _("kind"), max_length=10, choices=CustomerKind.choices, default=CustomerKind.PERSON
    )
    name = models.CharField(_("name"), max_length=120, db_index=True)
    mobile = models.CharField(
        _("mobile"), max_length=11, blank=True, help_text=_("11-digit mainland mobile.")
    )
    resident_id = models.CharField(_("resident ID number"), max_length=18, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    fleet_size = models.PositiveIntegerField(_("fleet size"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    source = models.CharField(
        _("source channel"), max_length=20, choices=SourceChannel.choices, default=SourceChannel.WALK_IN
    )
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="customers"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner salesperson"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_customers",
        db_index=False,
    )
    marketing_consent = models.BooleanField(_("marketing consent"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    is_anonymised = models.BooleanField(_("anonymised"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"], condition=~Q(mobile=""), name="unique_customer_mobile"
            ),
            models.UniqueConstraint(
                fields=["resident_id"], condition=~Q(resident_id=""), name="unique_customer_resident_id"
            ),
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="unique_customer_credit_code"
            ),
            models.CheckConstraint(
                condition=Q(kind="company") | Q(credit_code=""),
                name="customer_credit_code_only_for_companies",
            ),
            models.CheckConstraint(
                condition=Q(kind="person") | Q(resident_id=""), name="customer_resident_id_only_for_persons"
            ),
        ]
        indexes = [
            models.Index(fields=["store", "-id"]),
            models.Index(fields=["owner", "-id"]),
            models.Index(fields=["kind", "-id"]),
            # A search by name or mobile within a store (and its count) reads this index alone
            # instead of every customer row of the store.
            models.Index(fields=["store", "name", "mobile"], name="customer_store_search"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_company(self) -> bool:
        return self.kind == CustomerKind.COMPANY

    def normalize(self):
        self.name = (self.name or "").strip()
        self.mobile = normalize_mobile(self.mobile)
        self.resident_id = normalize_code(self.resident_id)
        self.credit_code = normalize_code(self.credit_code)

    def clean_fields(self, exclude=None):
        # Normalise first, so "+86 138 0013 8000" meets the 11-character field.
        self.normalize()
        super().clean_fields(exclude=exclude)

    def clean(self):
        self.normalize()
        errors = {}
        if not self.name:
            errors["name"] = _("Enter the customer's name.")
        if self.mobile:
            try:
                validate_mobile(self.mobile)
            except ValidationError as exc:
                errors["mobile"] = exc.messages
        if self.kind == CustomerKind.PERSON:
            if not self.mobile:
                errors["mobile"] = _("A person needs a mobile number.")
            if self.credit_code:
                errors["credit_code"] = _("Only a company has a unified social credit code.")
            if self.resident_id:
                try:
                    validate_resident_id(self.resident_id)
                except ValidationError as exc:
                    errors["resident_id"] = exc.messages
        else:
            if self.resident_id:
                errors["resident_id"] = _("Only a person has a resident ID number.")
            if not self.credit_code:
                errors["credit_code"] = _("A company needs its unified social credit code.")
            else:
                try:
                    validate_credit_code(self.credit_code)
                except ValidationError as exc:
                    errors["credit_code"] = exc.messages
        for field, label in (
            ("mobile", _("mobile")),
            ("resident_id", _("resident ID number")),
            ("credit_code", _("unified social credit code")),
        ):
            value = getattr(self, field)
            if not value or field in errors:
                continue
            existing = (
                Customer.objects.filter(**{field: value}).exclude(pk=self.pk).only("id", "name").first()
            )
            if existing:
                errors[field] = _("Customer %(name)s (no. %(id)s) already has this %(label)s.") % {
                    "name": existing.name,
                    "id": existing.pk,
                    "label": label,
                }
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None):
        # Duplicates are reported by clean() with the existing customer's name.
        exclude = set(exclude or ()) | {"mobile", "resident_id", "credit_code"}
        super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ()) | {"mobile", "resident_id", "credit_code"}
        super().validate_constraints(exclude=exclude)


class Contact(CreatedByModel):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("job title"), max_length=60, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    email = models.EmailField(_("email"), blank=True)
    buying_role = models.CharField(
        _("part in buying"), max_length=20, choices=BuyingRole.choices, default=BuyingRole.USER
    )
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices, default=Stance.UNKNOWN)
    is_executive = models.BooleanField(_("executive level"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    # Erasing a customer's personal data also clears the history of their contacts (by customer).
    history = HistoricalRecords(indexed=("customer",))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["customer_id", "name"]

    def __str__(self):
        return f"{self.name} ({self.customer})"

    def clean_fields(self, exclude=None):
        self.mobile = normalize_mobile(self.mobile)
        super().clean_fields(exclude=exclude)

    def clean(self):
        self.name = (self.name or "").strip()
        self.mobile = normalize_mobile(self.mobile)
        errors = {}
        if not self.name:
            errors["name"] = _("Enter the contact's name.")
        if self.mobile:
            try:
                validate_mobile(self.mobile)
            except ValidationError as exc:
                errors["mobile"] = exc.messages
        if self.customer_id and self.customer.kind != CustomerKind.COMPANY:
            errors["customer"] = _("Contacts belong to company customers.")
        if errors:
            raise ValidationError(errors)
