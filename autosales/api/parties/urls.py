from rest_framework.routers import SimpleRouter

from .views import ContactViewSet, CustomerContactViewSet, CustomerViewSet

router = SimpleRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register(
    r"customers/(?P<customer_pk>[^/.]+)/contacts", CustomerContactViewSet, basename="customer-contact"
)
router.register("contacts", ContactViewSet, basename="contact")

urlpatterns = router.urls
