from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadSource(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    WEBSITE = "website", _("Website")
    REFERRAL = "referral", _("Referral")
    FLEET_TENDER = "fleet_tender", _("Fleet tender")
    IMPORT = "import", _("Import")


class LeadStage(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    TEST_DRIVE = "test_drive", _("Test drive")
    QUOTED = "quoted", _("Quoted")
    NEGOTIATING = "negotiating", _("Negotiating")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


OPEN_LEAD_STAGES = (
    LeadStage.NEW,
    LeadStage.CONTACTED,
    LeadStage.TEST_DRIVE,
    LeadStage.QUOTED,
    LeadStage.NEGOTIATING,
)

DEFAULT_STAGE_PROBABILITY = {
    LeadStage.NEW: 10,
    LeadStage.CONTACTED: 20,
    LeadStage.TEST_DRIVE: 40,
    LeadStage.QUOTED: 60,
    LeadStage.NEGOTIATING: 80,
    LeadStage.WON: 100,
    LeadStage.LOST: 0,
}


class LostReason(models.TextChoices):
    PRICE = "price", _("Price")
    COMPETITOR = "competitor", _("Bought a competitor model")
    FINANCING = "financing", _("Financing refused")
    NO_NEED = "no_need", _("No longer needed")
    STOCK = "stock", _("Vehicle not available in time")
    SERVICE = "service", _("Unhappy with our service")
    UNREACHABLE = "unreachable", _("Cannot be reached")
    OTHER = "other", _("Other")


class LostRequestStatus(models.TextChoices):
    NONE = "", _("None")
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Sent back")


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Showroom visit")
    TEST_DRIVE = "test_drive", _("Test drive")
    FOLLOW_UP = "follow_up", _("Follow-up")
    MESSAGE = "message", _("Message")
    CONSULTATION = "consultation", _("Consultation")


class TradeInStatus(models.TextChoices):
    APPRAISED = "appraised", _("Appraised")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SENT = "sent", _("Sent to customer")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class LineKind(models.TextChoices):
    VEHICLE = "vehicle", _("Vehicle")
    ACCESSORY = "accessory", _("Accessory")
    SERVICE_PACKAGE = "service_package", _("Service package")
    INSURANCE = "insurance", _("Insurance")
    FINANCING = "financing", _("Financing")
    TRADE_IN = "trade_in", _("Trade-in credit")
    UPFITTING = "upfitting", _("Upfitting")
    FEE = "fee", _("Fee")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    DEPOSIT_PAID = "deposit_paid", _("Deposit paid")
    ALLOCATED = "allocated", _("Vehicle allocated")
    PAID = "paid", _("Paid in full")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ORDER_STATUSES = (
    OrderStatus.DRAFT,
    OrderStatus.CONFIRMED,
    OrderStatus.DEPOSIT_PAID,
    OrderStatus.ALLOCATED,
    OrderStatus.PAID,
)
# Orders that count as sales in reports and key-account analysis.
SOLD_ORDER_STATUSES = (
    OrderStatus.CONFIRMED,
    OrderStatus.DEPOSIT_PAID,
    OrderStatus.ALLOCATED,
    OrderStatus.PAID,
    OrderStatus.DELIVERED,
    OrderStatus.CLOSED,
)


class PaymentKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    BALANCE = "balance", _("Balance")
    LOAN = "loan", _("Loan disbursement")
    REFUND = "refund", _("Refund")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    CARD = "card", _("Card")
    CASH = "cash", _("Cash")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    LOAN = "loan", _("Lender")


class AllocationStatus(models.TextChoices):
    ALLOCATED = "allocated", _("Allocated")
    DELIVERED = "delivered", _("Delivered")
    RELEASED = "released", _("Released")


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


PDI_ITEMS = (
    ("exterior", _("Exterior and paint without damage")),
    ("interior", _("Interior clean and complete")),
    ("fluids", _("Fluids and tyre pressure checked")),
    ("electrics", _("Lights, screens and electrics work")),
    ("battery", _("Battery / charge level checked")),
    ("documents", _("Certificate, invoice and manuals ready")),
    ("accessories", _("Ordered accessories fitted")),
    ("keys", _("Keys and spare key handed over")),
)
