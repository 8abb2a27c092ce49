"""REST API v1. Each domain sub-package declares a ``router`` or ``urlpatterns``."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("autosales.api.core.urls")),
    path("", include("autosales.api.parties.urls")),
    path("", include("autosales.api.inventory.urls")),
    path("", include("autosales.api.sales.urls")),
    path("", include("autosales.api.aftersales.urls")),
    path("", include("autosales.api.keyaccounts.urls")),
]
