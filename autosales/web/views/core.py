import json

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _gettext
from django.views.decorators.http import require_POST

from autosales.inventory import selectors as inventory_selectors
from autosales.parties import selectors as parties_selectors
from autosales.web.dashboard import scripts_of, widgets_for
from autosales.web.forms import LoginForm
from autosales.web.search import search_all


@login_required
def home(request):
    widgets = widgets_for(request)
    return render(request, "web/home.html", {"widgets": widgets, "widget_scripts": scripts_of(widgets)})


def stock_status_widget(request):
    rows = inventory_selectors.stock_by_status(user=request.user)
    return {"rows": rows, "total": sum(row["count"] for row in rows)}


def stock_age_widget(request):
    buckets = inventory_selectors.stock_age_buckets(user=request.user)
    chart = {
        "labels": [_gettext("%(range)s days") % {"range": bucket["label"]} for bucket in buckets],
        "values": [bucket["count"] for bucket in buckets],
        "name": _gettext("Vehicles"),
    }
    return {"buckets": buckets, "chart": chart}


def newest_customers_widget(request):
    return {"customers": parties_selectors.customer_newest(user=request.user, limit=5)}


@require_POST
def set_language(request):
    """Switch the interface language; remembered on the user and in the language cookie."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("web:home")
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    translation.activate(language)
    _set_language_cookie(request, response, language)
    return response


def _set_language_cookie(request, response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite="Lax",
        secure=request.is_secure(),
    )


def manifest(request):
    """The web app manifest that makes the site installable on a phone's home screen."""
    data = {
        "name": _gettext("AutoSales car sales management"),
        "short_name": _gettext("AutoSales"),
        "start_url": reverse("web:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "lang": translation.get_language(),
        "icons": [
            {"src": static("web/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("web/icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@login_required
def search(request):
    query = request.GET.get("q", "").strip()
    sections = search_all(request.user, query)
    return render(
        request,
        "web/search.html",
        {"search_query": query, "sections": sections, "too_short": 0 < len(query) < 2},
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The login page and pages after logout keep the language the user chose.
        language = form.get_user().language
        if language:
            _set_language_cookie(self.request, response, language)
        return response


urlpatterns = [
    path("", home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", set_language, name="set_language"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("search/", search, name="search"),
]
