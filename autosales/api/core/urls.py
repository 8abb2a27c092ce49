from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ObtainTokenView, StoreViewSet, UserViewSet

router = SimpleRouter()
router.register("stores", StoreViewSet, basename="store")
router.register("users", UserViewSet, basename="user")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    *router.urls,
]
