"""The whole key-account analysis as an XLSX workbook (write-only, so 100,000 customers stay fast)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .analysis import ROW_FIELDS, Analysis
from .choices import Indicator, Pitfall, Tier
from .selectors import comparison_rows, customer_positions, customer_rows, pitfall_report, type_rows

CUSTOMER_COLUMNS = ("customer_id", "name", "tier", "grade", "account_type", "rfm_segment") + tuple(
    name for name, _kind in ROW_FIELDS
)


def _plain(value):
    if value is None or isinstance(value, int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value
    return float(value) if hasattr(value, "as_tuple") else str(value)


def analysis_workbook(a: Analysis, *, customers_limit: int | None = None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Summary"))
    for key, value in a.summary.items():
        ws.append([key, _plain(value) if not isinstance(value, list) else ", ".join(map(str, value))])
    for key, value in a.pareto.items():
        if key != "curve":
            ws.append([f"pareto.{key}", _plain(value)])

    ws = wb.create_sheet(_("Customers"))
    ws.append(list(CUSTOMER_COLUMNS))
    positions = customer_positions(a)
    step = 5000
    limit = len(positions) if customers_limit is None else min(customers_limit, len(positions))
    for offset in range(0, limit, step):
        for row in customer_rows(a, positions, offset=offset, limit=min(step, limit - offset)):
            ws.append([_plain(row[c]) for c in CUSTOMER_COLUMNS])

    ws = wb.create_sheet(_("Pyramid"))
    ws.append(["tier", "label", "customers", "customer_share", "net_profit", "profit_share", "revenue"])
    for t in a.pyramid:
        ws.append(
            [
                t["tier"],
                str(Tier(t["tier"]).label),
                t["customers"],
                _plain(t["customer_share"]),
                _plain(t["net_profit"]),
                _plain(t["profit_share"]),
                _plain(t["revenue"]),
            ]
        )

    ws = wb.create_sheet(_("Whale curve"))
    ws.append(["customers", "customer_share", "profit_share"])
    for p in a.pareto["curve"]:
        ws.append([p["customers"], _plain(p["customer_share"]), _plain(p["profit_share"])])

    ws = wb.create_sheet(_("Scorecard"))
    ws.append(["indicator", "label", "group", "weight"])
    for item in a.scorecard["indicators"]:
        ws.append(
            [
                item["indicator"],
                str(Indicator(item["indicator"]).label),
                item["group"],
                _plain(item["weight"]),
            ]
        )
    ws.append([])
    ws.append(["grade", "customers"])
    for g in a.scorecard["grades"]:
        ws.append([g["grade"], g["customers"]])

    ws = wb.create_sheet(_("Method comparison"))
    ws.append(["customer_id", "name", "net_profit", "revenue", "vehicles", "pyramid", "scorecard", "reason"])
    for r in comparison_rows(a, limit=1000):
        ws.append(
            [
                r["customer_id"],
                r["name"],
                _plain(r["net_profit"]),
                *(r["key_by"][m] for m in ("revenue", "vehicles", "pyramid", "scorecard")),
                r["reason"],
            ]
        )

    ws = wb.create_sheet(_("Pitfalls"))
    ws.append(["pitfall", "label", "fires", "count", "message", "customer_id", "name"])
    for p in pitfall_report(a, limit=1000):
        label = str(Pitfall(p["code"]).label)
        ws.append([p["code"], label, p["fires"], p["count"], p["message"]])
        for c in p["customers"]:
            ws.append([p["code"], label, None, None, None, c["customer_id"], c["name"]])

    ws = wb.create_sheet(_("Account types"))
    ws.append(
        ["customer_id", "name", "account_type", "suggested", "confidence", "overridden", "note", "reasons"]
    )
    for r in type_rows(a, limit=5000):
        ws.append(
            [
                r["customer_id"],
                r["name"],
                r["account_type"],
                r["suggested"],
                _plain(r["confidence"]),
                r["overridden"],
                r["note"],
                "; ".join(x["text"] for x in r["reasons"]),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
