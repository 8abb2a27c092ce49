from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    AfterSalesSettingsView,
    ComplaintViewSet,
    CustomerHistoryView,
    FollowUpCallViewSet,
    MaintenanceRuleViewSet,
    ReminderViewSet,
    ServiceKpiView,
    ServiceOrderViewSet,
    VehicleHistoryView,
)

router = SimpleRouter()
router.register("service-orders", ServiceOrderViewSet, basename="serviceorder")
router.register("service-reminders", ReminderViewSet, basename="reminder")
router.register("follow-up-calls", FollowUpCallViewSet, basename="followupcall")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("maintenance-rules", MaintenanceRuleViewSet, basename="maintenancerule")

urlpatterns = [
    path("service-kpis/", ServiceKpiView.as_view(), name="service-kpis"),
    path("service-settings/", AfterSalesSettingsView.as_view(), name="service-settings"),
    path(
        "service-history/customers/<int:pk>/", CustomerHistoryView.as_view(), name="customer-service-history"
    ),
    path("service-history/vehicles/<int:pk>/", VehicleHistoryView.as_view(), name="vehicle-service-history"),
    *router.urls,
]
