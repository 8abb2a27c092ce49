"""Who may see the key-account analysis, configure it, decide account types and keep account plans.

The analysis shows profit and cost, so it follows ``can_see_cost``; users bound to a store see
their store only. Account plans follow the customer: whoever may see the customer sees its plan.
"""

from autosales.core.access import can_see_cost, scope
from autosales.core.choices import Role
from autosales.parties.models import Customer

from .models import AccountPlan, PlanAction

MANAGERS = frozenset({Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN})
CONFIGURERS = frozenset({Role.GENERAL_MANAGER, Role.ADMIN})
PLAN_ROLES = frozenset({Role.SALESPERSON, Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN})


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view_analysis(user) -> bool:
    return _active(user) and can_see_cost(user)


def can_configure(user) -> bool:
    return _active(user) and (user.is_superuser or user.role in CONFIGURERS)


def can_decide_type(user) -> bool:
    return _active(user) and (user.is_superuser or user.role in MANAGERS)


def analysis_store_id(user, requested_store_id=None):
    """The store a user's analysis covers: any (or the group) when group-wide, else their own."""
    if user.is_group_wide:
        return requested_store_id or None
    return user.store_id


def can_see_customer(user, customer) -> bool:
    return scope(user, Customer.objects.filter(pk=customer.pk)).exists()


def plans_visible(user):
    if not _active(user) or not (user.is_superuser or user.role in PLAN_ROLES):
        return AccountPlan.objects.none()
    return AccountPlan.objects.filter(customer__in=scope(user, Customer.objects.all()))


def can_edit_plan(user, plan) -> bool:
    if not _active(user):
        return False
    if user.is_superuser or user.role in MANAGERS:
        return plans_visible(user).filter(pk=plan.pk).exists()
    return plan.owner_id == user.pk or plans_visible(user).filter(pk=plan.pk).exists()


def can_create_plan(user, customer) -> bool:
    return (
        _active(user) and (user.is_superuser or user.role in PLAN_ROLES) and can_see_customer(user, customer)
    )


def actions_visible(user):
    return PlanAction.objects.filter(plan__in=plans_visible(user))
