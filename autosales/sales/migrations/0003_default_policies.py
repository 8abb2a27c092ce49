import datetime
from decimal import Decimal

from django.db import migrations

STAGES = {"new": 10, "contacted": 20, "test_drive": 40, "quoted": 60, "negotiating": 80, "won": 100, "lost": 0}

APPROVAL = [
    # role, max discount rate (share of list price), may approve below the margin floor
    ("salesperson", Decimal("0.0200"), False),
    ("sales_manager", Decimal("0.0500"), False),
    ("general_manager", Decimal("1.0000"), True),
]

NEW_ENERGY = ["electric", "phev"]

TAX_RULES = [
    # name, from, to, fuel types, reduction share, cap per vehicle
    ("Standard purchase tax", datetime.date(2015, 1, 1), None, [], Decimal("0"), None),
    (
        "New-energy vehicles exempt 2024–2025",
        datetime.date(2024, 1, 1),
        datetime.date(2025, 12, 31),
        NEW_ENERGY,
        Decimal("1"),
        Decimal("30000.00"),
    ),
    (
        "New-energy vehicles halved 2026–2027",
        datetime.date(2026, 1, 1),
        datetime.date(2027, 12, 31),
        NEW_ENERGY,
        Decimal("0.5"),
        Decimal("15000.00"),
    ),
]


def forwards(apps, schema_editor):
    LeadStageSetting = apps.get_model("sales", "LeadStageSetting")
    ApprovalRule = apps.get_model("sales", "ApprovalRule")
    MarginFloor = apps.get_model("sales", "MarginFloor")
    TaxRule = apps.get_model("sales", "TaxRule")
    for stage, probability in STAGES.items():
        LeadStageSetting.objects.get_or_create(stage=stage, defaults={"probability": probability})
    for role, rate, below in APPROVAL:
        ApprovalRule.objects.get_or_create(
            role=role, defaults={"max_discount_rate": rate, "may_go_below_floor": below}
        )
    MarginFloor.objects.get_or_create(
        customer_tier="", account_type="", car_model=None, defaults={"min_margin": Decimal("0.0300")}
    )
    for name, start, end, fuels, reduction, cap in TAX_RULES:
        TaxRule.objects.get_or_create(
            name=name,
            defaults={
                "valid_from": start,
                "valid_to": end,
                "fuel_types": fuels,
                "vat_rate": Decimal("0.13"),
                "purchase_tax_rate": Decimal("0.10"),
                "purchase_tax_reduction": reduction,
                "reduction_cap": cap,
                "registration_fee": Decimal("500.00"),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("sales", "0002_pricing_fields_and_approval_snapshot")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
