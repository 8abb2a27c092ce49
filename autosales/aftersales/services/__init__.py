"""After-sales writes: service orders, maintenance reminders, follow-up calls and complaints.

Every function here is the only way its change of state happens: it validates first, changes rows
inside one transaction (rows that users could race on are locked), and writes an event per change.
"""

from ._common import add_months
from .complaints import (
    COMPLAINT_TRANSITIONS,
    complaint_assign,
    complaint_open,
    complaint_record_acceptance,
    complaint_resolve,
    complaint_start,
    complaints_escalate,
)
from .followups import (
    follow_up_record,
    followups_for_delivery,
    followups_for_service,
    followups_generate_missing,
)
from .reminders import (
    DEFAULT_INTERVAL_KM,
    DEFAULT_INTERVAL_MONTHS,
    REMINDER_TRANSITIONS,
    maintenance_rule_for,
    reminder_due_date,
    reminder_mark_done,
    reminder_postpone,
    reminder_refuse,
    reminder_schedule,
)
from .rules import aftersales_settings_update
from .service_orders import (
    EDITABLE_SERVICE_STATUSES,
    SERVICE_TRANSITIONS,
    SERVICEABLE_VEHICLE_STATUSES,
    service_job_add,
    service_job_remove,
    service_order_cancel,
    service_order_close,
    service_order_mark_ready,
    service_order_open,
    service_order_record_payment,
    service_order_reopen,
    service_order_set_discount,
    service_order_start,
    service_part_add,
    service_part_mark_paid,
    service_part_remove,
)

__all__ = [
    "aftersales_settings_update",
    "COMPLAINT_TRANSITIONS",
    "DEFAULT_INTERVAL_KM",
    "DEFAULT_INTERVAL_MONTHS",
    "EDITABLE_SERVICE_STATUSES",
    "REMINDER_TRANSITIONS",
    "SERVICEABLE_VEHICLE_STATUSES",
    "SERVICE_TRANSITIONS",
    "add_months",
    "complaint_assign",
    "complaint_open",
    "complaint_record_acceptance",
    "complaint_resolve",
    "complaint_start",
    "complaints_escalate",
    "follow_up_record",
    "followups_for_delivery",
    "followups_for_service",
    "followups_generate_missing",
    "maintenance_rule_for",
    "reminder_due_date",
    "reminder_mark_done",
    "reminder_postpone",
    "reminder_refuse",
    "reminder_schedule",
    "service_job_add",
    "service_job_remove",
    "service_order_cancel",
    "service_order_close",
    "service_order_mark_ready",
    "service_order_open",
    "service_order_record_payment",
    "service_order_reopen",
    "service_order_set_discount",
    "service_order_start",
    "service_part_add",
    "service_part_mark_paid",
    "service_part_remove",
]
