"""Sales pages: leads and follow-ups, quotes and approvals, orders, payments and delivery, performance."""

from django.urls import path

from ._common import MANAGERS, Form
from .leads import (
    ActivityForm,
    LeadForm,
    LeadListView,
    customer_log_activity,
    follow_ups,
    lead_action,
    lead_create,
    lead_detail,
    lost_requests,
    pipeline,
    stage_probability,
)
from .orders import OrderListView, delivery_action, order_action, order_detail
from .policies import (
    POLICY_FORMS,
    AgreementForm,
    ApprovalRuleForm,
    MarginFloorForm,
    TaxRuleForm,
    agreement_detail,
    agreement_list,
    policy,
    policy_edit,
)
from .quotes import (
    LineForm,
    QuoteListView,
    approval_list,
    quote_action,
    quote_create,
    quote_detail,
    quote_pdf_view,
    show_cost_ok,
)
from .reports import TargetForm, performance

__all__ = [
    "MANAGERS",
    "POLICY_FORMS",
    "ActivityForm",
    "AgreementForm",
    "ApprovalRuleForm",
    "Form",
    "LeadForm",
    "LeadListView",
    "LineForm",
    "MarginFloorForm",
    "OrderListView",
    "QuoteListView",
    "TargetForm",
    "TaxRuleForm",
    "agreement_detail",
    "agreement_list",
    "approval_list",
    "customer_log_activity",
    "delivery_action",
    "follow_ups",
    "lead_action",
    "lead_create",
    "lead_detail",
    "lost_requests",
    "order_action",
    "order_detail",
    "performance",
    "pipeline",
    "policy",
    "policy_edit",
    "quote_action",
    "quote_create",
    "quote_detail",
    "quote_pdf_view",
    "show_cost_ok",
    "stage_probability",
    "urlpatterns",
]

urlpatterns = [
    path("leads/", LeadListView.as_view(), name="lead_list"),
    path("leads/new/", lead_create, name="lead_create"),
    path("leads/<int:pk>/", lead_detail, name="lead_detail"),
    path("leads/<int:pk>/<slug:action>/", lead_action, name="lead_action"),
    path("customers/<int:pk>/log/", customer_log_activity, name="customer_log_activity"),
    path("follow-ups/", follow_ups, name="follow_ups"),
    path("lost-requests/", lost_requests, name="lost_requests"),
    path("pipeline/", pipeline, name="pipeline"),
    path("pipeline/probability/", stage_probability, name="stage_probability"),
    path("quotes/", QuoteListView.as_view(), name="quote_list"),
    path("quotes/new/", quote_create, name="quote_create"),
    path("quotes/<int:pk>/", quote_detail, name="quote_detail"),
    path("quotes/<int:pk>/pdf/", quote_pdf_view, name="quote_pdf"),
    path("quotes/<int:pk>/<slug:action>/", quote_action, name="quote_action"),
    path("approvals/", approval_list, name="approval_list"),
    path("orders/", OrderListView.as_view(), name="order_list"),
    path("orders/<int:pk>/", order_detail, name="order_detail"),
    path("orders/<int:pk>/<slug:action>/", order_action, name="order_action"),
    path("deliveries/<int:pk>/<slug:action>/", delivery_action, name="delivery_action"),
    path("performance/", performance, name="performance"),
]

urlpatterns += [
    path("policy/", policy, name="policy"),
    path("policy/<slug:kind>/new/", policy_edit, name="policy_create"),
    path("policy/<slug:kind>/<int:pk>/", policy_edit, name="policy_edit"),
    path("agreements/", agreement_list, name="agreement_list"),
    path("agreements/<int:pk>/", agreement_detail, name="agreement_detail"),
]
