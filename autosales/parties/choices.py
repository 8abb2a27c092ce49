from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class SourceChannel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    WEBSITE = "website", _("Website")
    REFERRAL = "referral", _("Referral")
    FLEET_TENDER = "fleet_tender", _("Fleet tender")
    AUTOHOME = "auto_portal", _("Auto portal")
    EVENT = "event", _("Event / exhibition")
    IMPORT = "import", _("Import")


class Industry(models.TextChoices):
    RENTAL = "rental", _("Car rental")
    TAXI = "taxi", _("Taxi and ride-hailing")
    LOGISTICS = "logistics", _("Logistics")
    GOVERNMENT = "government", _("Government and public institution")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CONSTRUCTION = "construction", _("Construction")
    RETAIL = "retail", _("Retail and services")
    FINANCE = "finance", _("Finance and insurance")
    TECHNOLOGY = "technology", _("Technology")
    DEALER = "dealer", _("Channel dealer")
    OTHER = "other", _("Other")


class BuyingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("Decision maker")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")


class Stance(models.TextChoices):
    SUPPORTER = "supporter", _("Supporter")
    NEUTRAL = "neutral", _("Neutral")
    SCEPTIC = "sceptic", _("Sceptic")
    UNKNOWN = "unknown", _("Unknown")
