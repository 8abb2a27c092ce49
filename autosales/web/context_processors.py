"""What every page of the web app needs: the navigation for the user's role."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from autosales.core.access import can_read_model


@dataclass(frozen=True)
class NavItem:
    label: str
    # The first URL name that resolves is used, so a domain's page shows up once it exists.
    url_names: tuple[str, ...]
    # The item shows only to users who may read this model ("app_label.model_name").
    model: str | None = None
    icon: str = ""


NAVIGATION: list[NavItem] = [
    NavItem(_("Customers"), ("web:customer_list",), "parties.customer"),
    NavItem(_("Stock"), ("web:vehicle_list",), "inventory.vehicle"),
    NavItem(_("Catalogue"), ("web:catalogue", "web:trim_list"), "inventory.trim"),
    NavItem(_("Leads"), ("web:lead_list",), "sales.lead"),
    NavItem(_("Quotes"), ("web:quote_list",), "sales.quote"),
    NavItem(_("Orders"), ("web:order_list",), "sales.order"),
    NavItem(
        _("Service"),
        ("web:service_home", "web:serviceorder_list", "web:service_order_list"),
        "aftersales.serviceorder",
    ),
    NavItem(
        _("Key accounts"),
        ("web:keyaccounts_home", "web:keyaccount_home", "web:keyaccount_list", "web:pareto"),
        "parties.customer",
    ),
    NavItem(_("Import/Export"), ("web:exchange_home", "web:import_list", "web:exchange"), None),
]


def _resolve(url_names):
    for name in url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def _model_readable(user, label):
    if label is None:
        return True
    try:
        model = apps.get_model(label)
    except LookupError:
        return False
    return can_read_model(user, model)


def navigation_for(request):
    """The navigation items the user may open, each with its URL and whether it is the current section."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    path = request.path
    for item in NAVIGATION:
        if not _model_readable(user, item.model):
            continue
        url = _resolve(item.url_names)
        if url is None:
            continue
        items.append({"label": item.label, "url": url, "active": False})
    # The longest matching prefix wins, so /stock/catalogue/ marks Catalogue and not Stock.
    matches = [entry for entry in items if entry["url"] != "/" and path.startswith(entry["url"])]
    if matches:
        max(matches, key=lambda entry: len(entry["url"]))["active"] = True
    return items


def navigation(request):
    return {"nav_items": navigation_for(request)}
