from rest_framework.routers import SimpleRouter

from .views import BrandViewSet, CarModelViewSet, ColourViewSet, TrimViewSet, VehicleViewSet

router = SimpleRouter()
router.register("brands", BrandViewSet, basename="brand")
router.register("models", CarModelViewSet, basename="carmodel")
router.register("trims", TrimViewSet, basename="trim")
router.register("colours", ColourViewSet, basename="colour")
router.register("vehicles", VehicleViewSet, basename="vehicle")

urlpatterns = router.urls
