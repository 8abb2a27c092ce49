from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("keyaccounts/plans", views.AccountPlanViewSet, basename="keyaccount-plan")
router.register("keyaccounts/plan-actions", views.PlanActionViewSet, basename="keyaccount-plan-action")

urlpatterns = [
    path("keyaccounts/summary/", views.SummaryView.as_view(), name="keyaccounts-summary"),
    path("keyaccounts/pyramid/", views.PyramidView.as_view(), name="keyaccounts-pyramid"),
    path("keyaccounts/pareto/", views.ParetoView.as_view(), name="keyaccounts-pareto"),
    path("keyaccounts/scorecard/", views.ScorecardView.as_view(), name="keyaccounts-scorecard"),
    path("keyaccounts/comparison/", views.ComparisonView.as_view(), name="keyaccounts-comparison"),
    path("keyaccounts/pitfalls/", views.PitfallsView.as_view(), name="keyaccounts-pitfalls"),
    path("keyaccounts/types/", views.TypesView.as_view(), name="keyaccounts-types"),
    path("keyaccounts/rfm/", views.RfmView.as_view(), name="keyaccounts-rfm"),
    path("keyaccounts/clv/", views.ClvView.as_view(), name="keyaccounts-clv"),
    path("keyaccounts/customers/", views.CustomerListView.as_view(), name="keyaccounts-customers"),
    path("keyaccounts/customers/<int:pk>/", views.CustomerDetailView.as_view(), name="keyaccounts-customer"),
    path(
        "keyaccounts/customers/<int:pk>/account-type/",
        views.AccountTypeView.as_view(),
        name="keyaccounts-account-type",
    ),
    path("keyaccounts/export.xlsx", views.ExportView.as_view(), name="keyaccounts-export"),
    path("keyaccounts/config/settings/", views.SettingsView.as_view(), name="keyaccounts-settings"),
    path(
        "keyaccounts/config/scorecard/",
        views.ScorecardConfigView.as_view(),
        name="keyaccounts-scorecard-config",
    ),
    path("keyaccounts/config/cost-rates/", views.CostRatesView.as_view(), name="keyaccounts-cost-rates"),
    *router.urls,
]
