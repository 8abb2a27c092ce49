from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SALESPERSON = "salesperson", _("Salesperson")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    GENERAL_MANAGER = "general_manager", _("General manager")
    FINANCE = "finance", _("Finance")
    AFTERSALES = "aftersales", _("After-sales advisor")
    ADMIN = "admin", _("Administrator")


# Roles that see every store of the group.
GROUP_WIDE_ROLES = frozenset({Role.GENERAL_MANAGER, Role.ADMIN})
# Roles that may see vehicle cost and margins.
COST_VIEWING_ROLES = frozenset({Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.FINANCE, Role.ADMIN})
