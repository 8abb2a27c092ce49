"""The sales domain's models: leads, sales policy, quotes and orders, and their fulfilment."""

from .documents import (
    LINE_FIGURE_FIELDS,
    DocumentLine,
    Order,
    OrderLine,
    PricedDocument,
    Quote,
    QuoteApproval,
    QuoteLine,
    TradeInAppraisal,
)
from .fulfilment import Delivery, Payment, SalesTarget, VehicleAllocation, default_pdi
from .leads import Activity, Lead, LeadStageSetting
from .policy import ApprovalRule, FleetAgreement, FleetAgreementLine, MarginFloor, TaxRule

__all__ = [
    "Activity",
    "ApprovalRule",
    "Delivery",
    "DocumentLine",
    "FleetAgreement",
    "FleetAgreementLine",
    "LINE_FIGURE_FIELDS",
    "Lead",
    "LeadStageSetting",
    "MarginFloor",
    "Order",
    "OrderLine",
    "Payment",
    "PricedDocument",
    "Quote",
    "QuoteApproval",
    "QuoteLine",
    "SalesTarget",
    "TaxRule",
    "TradeInAppraisal",
    "VehicleAllocation",
    "default_pdi",
]
