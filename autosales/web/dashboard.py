"""The home page: a grid of widgets chosen by role.

A widget is a template (and optionally a function that computes its context). Widgets whose
template does not exist yet are skipped, so each domain adds its own by appending to ``WIDGETS``.
"""

from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.module_loading import import_string

from autosales.core.choices import Role


@dataclass(frozen=True)
class Widget:
    template: str
    # Dotted path to ``f(request) -> dict``; its result is given to the template as ``data``.
    context: str | None = None
    roles: frozenset = frozenset(Role)
    # Bootstrap column classes of the card.
    width: str = "col-12 col-md-6 col-xl-4"
    # Static files (JavaScript) the widget needs, loaded once at the end of the page.
    scripts: tuple = ()


ALL_ROLES = frozenset(Role)
STOCK_ROLES = frozenset(
    {Role.SALESPERSON, Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.AFTERSALES, Role.ADMIN, Role.FINANCE}
)

WIDGETS: list[Widget] = [
    Widget("web/widgets/stock_status.html", "autosales.web.views.core.stock_status_widget", STOCK_ROLES),
    Widget(
        "web/widgets/stock_age.html",
        "autosales.web.views.core.stock_age_widget",
        STOCK_ROLES,
        scripts=("web/vendor/echarts/echarts.min.js", "web/charts.js"),
    ),
    Widget(
        "web/widgets/newest_customers.html", "autosales.web.views.core.newest_customers_widget", ALL_ROLES
    ),
    Widget(
        "web/sales/widgets/funnel.html",
        None,
        frozenset({Role.SALESPERSON, Role.SALES_MANAGER, Role.GENERAL_MANAGER}),
    ),
    Widget("web/sales/widgets/my_followups.html", None, frozenset({Role.SALESPERSON, Role.SALES_MANAGER})),
    Widget(
        "web/sales/widgets/payments.html",
        None,
        frozenset({Role.FINANCE, Role.SALES_MANAGER, Role.GENERAL_MANAGER}),
    ),
    Widget(
        "web/aftersales/widgets/service.html",
        None,
        frozenset({Role.AFTERSALES, Role.SALES_MANAGER, Role.GENERAL_MANAGER}),
    ),
    Widget(
        "web/keyaccounts/widgets/pareto.html",
        None,
        frozenset({Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}),
    ),
    Widget(
        "web/keyaccounts/widgets/pitfalls.html", None, frozenset({Role.SALES_MANAGER, Role.GENERAL_MANAGER})
    ),
    Widget(
        "web/keyaccounts/widgets/plan_actions.html",
        None,
        frozenset({Role.SALESPERSON, Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}),
    ),
]


def template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def widgets_for(request) -> list[dict]:
    """The widgets of the user's role whose templates exist, each with its computed ``data``."""
    user = request.user
    role = Role.ADMIN if user.is_superuser else user.role
    result = []
    for widget in WIDGETS:
        if role not in widget.roles or not template_exists(widget.template):
            continue
        data = {}
        if widget.context:
            try:
                func = import_string(widget.context)
            except ImportError:
                continue
            data = func(request)
            if data is None:
                continue
        result.append(
            {"template": widget.template, "data": data, "width": widget.width, "scripts": widget.scripts}
        )
    return result


def scripts_of(widgets: list[dict]) -> list[str]:
    seen = []
    for widget in widgets:
        for script in widget["scripts"]:
            if script not in seen:
                seen.append(script)
    return seen
