"""Who may see and change what: one table used by the web app, the API, exports and search.

Access is denied by default: a model missing from ``RULES`` is visible to nobody but
group-wide roles, and a role missing from a rule's ``read`` set sees none of its rows.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .choices import Role

S, SM, GM, FI, AS, AD = (
    Role.SALESPERSON,
    Role.SALES_MANAGER,
    Role.GENERAL_MANAGER,
    Role.FINANCE,
    Role.AFTERSALES,
    Role.ADMIN,
)
ALL = frozenset(Role)
SALES = frozenset({S, SM, GM, AD})


@dataclass(frozen=True)
class Rule:
    read: frozenset = ALL
    write: frozenset = frozenset({AD})
    store: str | None = "store"  # lookup from the model to its store; None for group-wide data
    owner: str | None = None  # lookup to the salesperson who owns the row
    owner_roles: frozenset = field(default_factory=lambda: frozenset({S}))


RULES: dict[str, Rule] = {
    "core.store": Rule(store="id", write=frozenset({AD})),
    "core.user": Rule(store="store", write=frozenset({AD})),
    "parties.customer": Rule(
        read=frozenset({S, SM, GM, FI, AS, AD}), write=frozenset({S, SM, GM, AS, AD}), owner="owner"
    ),
    "parties.contact": Rule(
        read=frozenset({S, SM, GM, FI, AS, AD}),
        write=frozenset({S, SM, GM, AD}),
        store="customer__store",
        owner="customer__owner",
    ),
    "inventory.brand": Rule(store=None, write=frozenset({AD, GM})),
    "inventory.carmodel": Rule(store=None, write=frozenset({AD, GM})),
    "inventory.colour": Rule(store=None, write=frozenset({AD, GM})),
    "inventory.trim": Rule(store=None, write=frozenset({AD, GM})),
    "inventory.vehicle": Rule(write=frozenset({SM, GM, AD, AS})),
    "inventory.stocktransfer": Rule(read=SALES, write=frozenset({SM, GM, AD}), store="from_store"),
    "sales.lead": Rule(read=SALES, write=SALES, owner="owner"),
    "sales.activity": Rule(
        read=frozenset({S, SM, GM, AS, AD}), write=frozenset({S, SM, GM, AS, AD}), owner="user"
    ),
    "sales.tradeinappraisal": Rule(read=SALES, write=SALES, owner="customer__owner"),
    "sales.fleetagreement": Rule(read=SALES | {FI}, write=frozenset({SM, GM, AD}), owner="customer__owner"),
    "sales.quote": Rule(read=SALES | {FI}, write=SALES, owner="salesperson"),
    "sales.order": Rule(read=SALES | {FI}, write=SALES | {FI}, owner="salesperson"),
    "sales.payment": Rule(
        read=SALES | {FI}, write=frozenset({FI, SM, GM, AD}), store="order__store", owner="order__salesperson"
    ),
    "sales.delivery": Rule(
        read=SALES | {FI, AS}, write=SALES, store="order__store", owner="order__salesperson"
    ),
    "sales.salestarget": Rule(read=SALES, write=frozenset({SM, GM, AD}), owner="salesperson"),
    "aftersales.serviceorder": Rule(read=frozenset({AS, SM, GM, AD}), write=frozenset({AS, GM, AD})),
    "aftersales.reminder": Rule(read=frozenset({AS, SM, GM, AD}), write=frozenset({AS, GM, AD})),
    "aftersales.complaint": Rule(
        read=frozenset({AS, SM, GM, AD, S}), write=frozenset({AS, SM, GM, AD}), owner="customer__owner"
    ),
    "aftersales.maintenancerule": Rule(
        store=None, read=frozenset({AS, SM, GM, AD}), write=frozenset({GM, AD})
    ),
    "aftersales.aftersalessettings": Rule(
        store=None, read=frozenset({AS, SM, GM, AD}), write=frozenset({GM, AD})
    ),
    "aftersales.followupcall": Rule(read=frozenset({AS, SM, GM, AD}), write=frozenset({AS, SM, GM, AD})),
}


def rule_for(model) -> Rule | None:
    return RULES.get(model._meta.label_lower)


def scope(user, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    rule = rule_for(queryset.model)
    if rule is None or user.role not in rule.read:
        return queryset.none()
    if user.is_group_wide:
        return queryset
    condition = Q()
    if rule.store is not None:
        if not user.store_id:
            return queryset.none()
        condition &= Q(**{rule.store: user.store_id})
    if rule.owner is not None and user.role in rule.owner_roles:
        condition &= Q(**{rule.owner: user.pk})
    return queryset.filter(condition)


def can_read_model(user, model) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    rule = rule_for(model)
    return rule is not None and user.role in rule.read


def can_write_model(user, model) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    rule = rule_for(model)
    return rule is not None and user.role in rule.write


def can_write(user, obj) -> bool:
    """May ``user`` change this existing row? (role may write, and the row is in the user's scope)."""
    model = type(obj)
    if not can_write_model(user, model):
        return False
    return scope(user, model._default_manager.filter(pk=obj.pk)).exists()


def can_see_cost(user) -> bool:
    return bool(user and user.is_authenticated and user.can_see_cost)


# Personal information (PIPL): who sees a person's mobile and resident ID number in full.
#
# - In lists, API list responses and exports (``customer`` is None): the salespeople (who see only
#   their own customers), sales managers, general managers and admins. Finance and after-sales staff
#   see masked values (138****5678): they work from document numbers, not from lists of people.
# - On one customer's page or API detail (``customer`` given): managers and admins always; a
#   salesperson only for a customer they own; finance (the vehicle sales invoice carries the buyer's
#   ID number) and after-sales (follow-up calls and reminders) for a customer already in their scope.
# - The after-sales call lists (reminders and follow-up calls due) show the number in full: calling
#   the customer is the task they exist for, and each row is one customer the advisor must phone.
PERSONAL_DATA_LIST_ROLES = frozenset({S, SM, GM, AD})
PERSONAL_DATA_DETAIL_ROLES = frozenset({SM, GM, AD, FI, AS})
# Erasure by anonymisation cannot be undone: only the top of the group decides it.
ANONYMISE_ROLES = frozenset({GM, AD})


def can_see_personal_data(user, customer=None) -> bool:
    """May ``user`` see full mobiles and ID numbers (of ``customer``, or in lists when None)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if customer is None:
        return user.role in PERSONAL_DATA_LIST_ROLES
    if user.role == S:
        return customer.owner_id == user.pk
    return user.role in PERSONAL_DATA_DETAIL_ROLES


def can_anonymise(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in ANONYMISE_ROLES))


def mask_personal(value) -> str:
    """``13812345678`` → ``138****5678``; an ID number keeps its first 3 and last 4 characters."""
    value = "" if value is None else str(value)
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# Fields that reveal what the dealer paid or earns; shown only when ``can_see_cost(user)``.
COST_FIELD_NAMES = frozenset(
    {
        "cost",
        "standard_cost",
        "cost_total",
        "unit_cost",
        "gross_profit",
        "margin",
        "margin_floor",
        "free_extras_cost",
        "vehicle_profit",
        "addon_profit",
        "fi_income",
    }
)
PERSONAL_FIELD_NAMES = frozenset({"mobile", "resident_id"})
