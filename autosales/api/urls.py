"""REST API v1. Each domain sub-package declares its ``urlpatterns`` (usually a router's)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

app_name = "api"


class DocsView(SpectacularSwaggerView):
    """Swagger UI, served with its own assets (no network needed); signed-in users only."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("", include("autosales.api.core.urls")),
    path("", include("autosales.api.parties.urls")),
    path("", include("autosales.api.inventory.urls")),
    path("", include("autosales.api.sales.urls")),
    path("", include("autosales.api.aftersales.urls")),
    path("", include("autosales.api.keyaccounts.urls")),
]
