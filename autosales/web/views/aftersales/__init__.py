"""After-sales: service orders, maintenance reminders, follow-up calls, complaints and histories."""

from django.urls import path

from ._common import EVENT_LABELS, ReasonForm
from .complaints import (
    COMPLAINT_ACTIONS,
    AcceptanceForm,
    ComplaintForm,
    ComplaintListView,
    OwnerForm,
    ResolutionForm,
    complaint_action,
    complaint_create,
    complaint_detail,
)
from .follow_ups import (
    SCORE_CHOICES,
    FollowUpCallListView,
    FollowUpRecordForm,
    follow_up_record_view,
    follow_ups_due_view,
)
from .history import customer_history_view, vehicle_history_view
from .home import dashboard_data, service_home
from .maintenance_rules import (
    AfterSalesSettingsView,
    MaintenanceRuleEditView,
    MaintenanceRuleForm,
    MaintenanceRuleListView,
)
from .reminders import REMINDER_ACTIONS, PostponeForm, ReminderListView, reminder_action, reminders_due_view
from .service_orders import (
    SERVICE_ACTIONS,
    AmountForm,
    DiscountForm,
    JobForm,
    PartForm,
    ServiceOrderListView,
    ServiceOrderOpenForm,
    service_line_action,
    service_order_action,
    service_order_create,
    service_order_detail,
)

__all__ = [
    "COMPLAINT_ACTIONS",
    "EVENT_LABELS",
    "REMINDER_ACTIONS",
    "SCORE_CHOICES",
    "SERVICE_ACTIONS",
    "AcceptanceForm",
    "AmountForm",
    "ComplaintForm",
    "ComplaintListView",
    "DiscountForm",
    "FollowUpCallListView",
    "FollowUpRecordForm",
    "JobForm",
    "AfterSalesSettingsView",
    "MaintenanceRuleEditView",
    "MaintenanceRuleForm",
    "MaintenanceRuleListView",
    "OwnerForm",
    "PartForm",
    "PostponeForm",
    "ReasonForm",
    "ReminderListView",
    "ResolutionForm",
    "ServiceOrderListView",
    "ServiceOrderOpenForm",
    "complaint_action",
    "complaint_create",
    "complaint_detail",
    "customer_history_view",
    "dashboard_data",
    "follow_up_record_view",
    "follow_ups_due_view",
    "reminder_action",
    "reminders_due_view",
    "service_home",
    "service_line_action",
    "service_order_action",
    "service_order_create",
    "service_order_detail",
    "urlpatterns",
    "vehicle_history_view",
]

urlpatterns = [
    path("", service_home, name="service_home"),
    path("orders/", ServiceOrderListView.as_view(), name="service_order_list"),
    path("orders/new/", service_order_create, name="service_order_create"),
    path("orders/<int:pk>/", service_order_detail, name="service_order_detail"),
    path("orders/<int:pk>/<slug:action>/", service_order_action, name="service_order_action"),
    path(
        "orders/<int:pk>/<str:line_kind>/<int:line_pk>/<slug:action>/",
        service_line_action,
        name="service_line_action",
    ),
    path("reminders/", reminders_due_view, name="reminder_due"),
    path("reminders/all/", ReminderListView.as_view(), name="reminder_list"),
    path("reminders/<int:pk>/<slug:action>/", reminder_action, name="reminder_action"),
    path("calls/", follow_ups_due_view, name="follow_up_due"),
    path("calls/all/", FollowUpCallListView.as_view(), name="follow_up_list"),
    path("calls/<int:pk>/record/", follow_up_record_view, name="follow_up_record"),
    path("complaints/", ComplaintListView.as_view(), name="complaint_list"),
    path("complaints/new/", complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/<slug:action>/", complaint_action, name="complaint_action"),
    path("history/customer/<int:pk>/", customer_history_view, name="customer_service_history"),
    path("history/vehicle/<int:pk>/", vehicle_history_view, name="vehicle_service_history"),
    path("rules/", MaintenanceRuleListView.as_view(), name="maintenance_rule_list"),
    path("settings/", AfterSalesSettingsView.as_view(), name="aftersales_settings"),
    path("rules/new/", MaintenanceRuleEditView.as_view(), name="maintenance_rule_create"),
    path("rules/<int:pk>/", MaintenanceRuleEditView.as_view(), name="maintenance_rule_edit"),
]
