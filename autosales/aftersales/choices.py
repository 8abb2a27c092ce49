from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance")
    REPAIR = "repair", _("Repair")
    WARRANTY = "warranty", _("Warranty")
    ACCIDENT = "accident", _("Accident repair")


class ServiceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    READY = "ready", _("Ready for pick-up")
    CLOSED = "closed", _("Closed (paid)")
    CANCELLED = "cancelled", _("Cancelled")


class ReminderStatus(models.TextChoices):
    DUE = "due", _("Due")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")
    REFUSED = "refused", _("Refused")


class ComplaintCategory(models.TextChoices):
    SALES = "sales", _("Sales process")
    DELIVERY = "delivery", _("Delivery")
    VEHICLE_QUALITY = "vehicle_quality", _("Vehicle quality")
    SERVICE_QUALITY = "service_quality", _("Service quality")
    PRICE = "price", _("Price and billing")
    STAFF = "staff", _("Staff attitude")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# Days to resolve a complaint, by severity (defaults of ``AfterSalesSettings``).
SEVERITY_DUE_DAYS = {Severity.LOW: 14, Severity.MEDIUM: 7, Severity.HIGH: 3, Severity.CRITICAL: 1}


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class FollowUpKind(models.TextChoices):
    DELIVERY_DAY3 = "delivery_d3", _("Delivery, day 3")
    DELIVERY_DAY30 = "delivery_d30", _("Delivery, day 30")
    SERVICE_DAY3 = "service_d3", _("Service, day 3")


# Defaults of the after-sales settings (``AfterSalesSettings``), which the services read.
# A follow-up score at or below this opens a complaint.
LOW_SCORE_THRESHOLD = 2

# Days from hand-over (delivery calls) or closing (service call) to each follow-up call.
FOLLOW_UP_DAYS = {
    FollowUpKind.DELIVERY_DAY3: 3,
    FollowUpKind.DELIVERY_DAY30: 30,
    FollowUpKind.SERVICE_DAY3: 3,
}


class FollowUpStatus(models.TextChoices):
    DUE = "due", _("Due")
    DONE = "done", _("Done")
    UNREACHABLE = "unreachable", _("Unreachable")
