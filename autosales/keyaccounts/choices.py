from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Tier(models.TextChoices):
    VIP = "vip", _("VIP")
    MAJOR = "major", _("Major")
    ORDINARY = "ordinary", _("Ordinary")
    SMALL = "small", _("Small")


TIER_ORDER = (Tier.VIP, Tier.MAJOR, Tier.ORDINARY, Tier.SMALL)
KEY_TIERS = frozenset({Tier.VIP, Tier.MAJOR})

# Zeithaml–Rust–Lemon names, a display option of the pyramid. The context keeps the metal "Lead"
# apart from a sales lead, which the same English word names everywhere else.
TIER_METAL_NAMES = {
    Tier.VIP: pgettext_lazy("metal tier", "Platinum"),
    Tier.MAJOR: pgettext_lazy("metal tier", "Gold"),
    Tier.ORDINARY: pgettext_lazy("metal tier", "Iron"),
    Tier.SMALL: pgettext_lazy("metal tier", "Lead"),
}


class TierNaming(models.TextChoices):
    PLAIN = "plain", _("VIP / major / ordinary / small")
    METALS = "metals", _("Platinum / gold / iron / lead")


class Normalisation(models.TextChoices):
    PERCENTILE = "percentile", _("Percentile rank")
    MINMAX = "minmax", _("Min–max")


class ValueGroup(models.TextChoices):
    CURRENT = "current", _("Current value")
    POTENTIAL = "potential", _("Potential value")


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class AccountType(models.TextChoices):
    INTRINSIC = "intrinsic", _("Intrinsic value")
    EXTRINSIC = "extrinsic", _("Extrinsic value")
    STRATEGIC = "strategic", _("Strategic value")


class RelationshipStage(models.TextChoices):
    DEVELOP = "develop", _("Develop the relationship")
    TRUST = "trust", _("Build trust")
    DEMAND = "demand", _("Guide demand")
    SOLVE = "solve", _("Solve problems")


class RankMeasure(models.TextChoices):
    REVENUE = "revenue", _("Revenue")
    GROSS_PROFIT = "gross_profit", _("Gross profit")
    NET_PROFIT = "net_profit", _("Net profit")
    VEHICLES = "vehicles", _("Vehicles bought")


class Indicator(models.TextChoices):
    """Measures the scorecard can weigh; each maps to a per-customer fact."""

    REVENUE = "revenue", _("Revenue")
    GROSS_PROFIT = "gross_profit", _("Gross profit")
    NET_PROFIT = "net_profit", _("Net profit")
    MARGIN = "margin", _("Net margin")
    PAYMENT = "payment", _("Payment punctuality")
    AFTERSALES = "aftersales", _("After-sales spend")
    TENURE = "tenure", _("Tenure")
    FREQUENCY = "frequency", _("Purchase frequency")
    GROWTH = "growth", _("Year-over-year growth")
    FLEET = "fleet", _("Fleet size")
    PIPELINE = "pipeline", _("Open pipeline")
    STRATEGIC_FIT = "strategic_fit", _("Strategic fit")
    ATTACH = "attach", _("Attach rate of services")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Pitfall(models.TextChoices):
    SINGLE_INDICATOR = "single_indicator", _("Single-indicator risk")
    DROPPING_SMALL = "dropping_small", _("Dropping the small")
    BIG_TICKET = "big_ticket", _("Big ticket is not a big customer")
    VOLUME_WITHOUT_PROFIT = "volume_without_profit", _("Volume without profit")
    CONCESSIONS = "concessions", _("Too many concessions")
