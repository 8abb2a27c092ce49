import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, router
from django.utils.translation import gettext_lazy as _

from .choices import COST_VIEWING_ROLES, GROUP_WIDE_ROLES, Role
from .constraints import check_in_python
from .loading import row_instance
from .writes import model_do_insert, model_do_update


def loaded_relations(instance) -> set[str]:
    """Foreign keys of ``instance`` that hold an object read from (or saved to) the database.

    ``Model.clean_fields`` asks the database whether each foreign key's row exists; for these the
    object itself answers that, so validating them again costs a query each for nothing (the
    database's own foreign-key constraint still guards against a row deleted meanwhile).
    """
    names = set()
    for field in instance._meta.concrete_fields:
        if not ((field.many_to_one or field.one_to_one) and field.is_cached(instance)):
            continue
        related = field.get_cached_value(instance)
        if (
            related is not None
            and not related._state.adding
            and related._state.db is not None
            and getattr(related, field.target_field.attname) == getattr(instance, field.attname)
            and not field.get_limit_choices_to()
        ):
            names.add(field.name)
    return names


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    # Rows are saved with statements compiled once per shape and connection (core.writes).
    _do_insert = model_do_insert
    _do_update = model_do_update

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = row_instance(cls, db, field_names, values)
        return super().from_db(db, field_names, values) if instance is None else instance

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude=set(exclude or ()) | loaded_relations(self))

    def validate_constraints(self, exclude=None):
        """Check constraints Python can decide (see ``core.constraints``) cost no query; the
        rest are validated by Django as usual, and all errors come back together."""
        errors = {}
        using = router.db_for_write(self.__class__, instance=self)
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, models.CheckConstraint):
                    passed = check_in_python(constraint, self, exclude)
                    if passed is True:
                        continue
                    if passed is False:
                        error = ValidationError(
                            constraint.get_violation_error_message(), code=constraint.violation_error_code
                        )
                        errors = error.update_error_dict(errors)
                        continue
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    fields = getattr(constraint, "fields", ())
                    if getattr(error, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class CreatedByModel(TimeStampedModel):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


def money_field(verbose_name, **kwargs):
    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 2)
    kwargs.setdefault("default", 0)
    return models.DecimalField(verbose_name, **kwargs)


class Store(TimeStampedModel):
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("Short code used in document numbers, e.g. SH01."),
    )
    name = models.CharField(_("name"), max_length=100)
    city = models.CharField(_("city"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=50, default="Asia/Shanghai")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        self.code = (self.code or "").strip().upper()
        if not re.fullmatch(r"[A-Z0-9]{2,8}", self.code):
            raise ValidationError({"code": _("A store code has 2 to 8 capital letters or digits.")})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SALESPERSON)
    store = models.ForeignKey(
        Store,
        verbose_name=_("store"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Home store. General managers and administrators work across all stores."),
    )
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Interface language; empty follows the browser."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = row_instance(cls, db, field_names, values)
        return super().from_db(db, field_names, values) if instance is None else instance

    def __str__(self):
        full = self.get_full_name()
        return full or self.username

    def get_full_name(self):
        # Chinese names are written family name first, without a space.
        return f"{self.last_name}{self.first_name}".strip()

    def clean(self):
        super().clean()
        if self.role not in GROUP_WIDE_ROLES and not self.store_id and not self.is_superuser:
            raise ValidationError({"store": _("A user with this role must belong to a store.")})

    @property
    def is_group_wide(self) -> bool:
        return self.is_superuser or self.role in GROUP_WIDE_ROLES

    @property
    def can_see_cost(self) -> bool:
        return self.is_superuser or self.role in COST_VIEWING_ROLES


class Event(models.Model):
    """One row per change of state: who, when, from, to, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=50)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    _do_insert = model_do_insert
    _do_update = model_do_update

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.action} {self.from_state}→{self.to_state}"


class NumberSequence(models.Model):
    """The last number issued per store, document kind and year."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["store", "kind", "year"], name="unique_number_sequence")
        ]

    def __str__(self):
        return f"{self.store_id}-{self.kind}-{self.year}: {self.last_value}"


def content_type_for(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


class ExportLog(models.Model):
    """One row per export of data that may hold personal information: who, when, what, how many rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("what"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.what} ({self.rows})"
