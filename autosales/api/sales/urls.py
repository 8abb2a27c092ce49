from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("leads", views.LeadViewSet, basename="lead")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("orders", views.OrderViewSet, basename="order")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("deliveries", views.DeliveryViewSet, basename="delivery")
router.register("fleet-agreements", views.FleetAgreementViewSet, basename="fleet-agreement")
router.register("trade-ins", views.TradeInViewSet, basename="trade-in")
router.register("sales-targets", views.SalesTargetViewSet, basename="sales-target")
router.register("sales-reports", views.SalesReportViewSet, basename="sales-report")

urlpatterns = router.urls
