"""Web UI routes. Each domain module under ``views/`` declares its own ``urlpatterns``."""

from django.urls import include, path

app_name = "web"

urlpatterns = [
    path("", include("autosales.web.views.core")),
    path("customers/", include("autosales.web.views.parties")),
    path("stock/", include("autosales.web.views.inventory")),
    path("exchange/", include("autosales.web.views.exchange")),
    path("sales/", include("autosales.web.views.sales")),
    path("service/", include("autosales.web.views.aftersales")),
    path("key-accounts/", include("autosales.web.views.keyaccounts")),
]
