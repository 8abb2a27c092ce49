from decimal import Decimal

from django.db import migrations

RATES = {
    "call": "20.00",
    "visit": "150.00",
    "test_drive": "300.00",
    "follow_up": "20.00",
    "message": "5.00",
    "consultation": "500.00",
}

INDICATORS = [
    ("revenue", "current", "0.1000"),
    ("net_profit", "current", "0.2000"),
    ("margin", "current", "0.1000"),
    ("payment", "current", "0.1000"),
    ("aftersales", "current", "0.0500"),
    ("tenure", "current", "0.0500"),
    ("growth", "potential", "0.1000"),
    ("fleet", "potential", "0.1000"),
    ("pipeline", "potential", "0.1000"),
    ("strategic_fit", "potential", "0.1000"),
    ("gross_profit", "current", "0.0000"),
    ("frequency", "current", "0.0000"),
    ("attach", "potential", "0.0000"),
]


def load(apps, schema_editor):
    AnalysisSettings = apps.get_model("keyaccounts", "AnalysisSettings")
    CostToServeRate = apps.get_model("keyaccounts", "CostToServeRate")
    ScorecardIndicator = apps.get_model("keyaccounts", "ScorecardIndicator")
    if not AnalysisSettings.objects.exists():
        AnalysisSettings.objects.create()
    for kind, rate in RATES.items():
        CostToServeRate.objects.get_or_create(activity_kind=kind, defaults={"rate": Decimal(rate)})
    for code, group, weight in INDICATORS:
        ScorecardIndicator.objects.get_or_create(
            indicator=code,
            defaults={"group": group, "weight": Decimal(weight), "is_active": Decimal(weight) > 0},
        )


class Migration(migrations.Migration):
    dependencies = [("keyaccounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
