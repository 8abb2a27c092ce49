"""``autosales keyaccounts analyze [--store S] [--months N] [--format table|json|csv] [--limit N]``
and ``autosales keyaccounts export --output FILE.xlsx``."""

import csv
import json
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from autosales.core.models import Store
from autosales.keyaccounts.choices import Pitfall, Tier
from autosales.keyaccounts.selectors import (
    analysis_run,
    customer_positions,
    customer_rows,
    pitfall_report,
)

COLUMNS = (
    "rank_net_profit",
    "customer_id",
    "name",
    "tier",
    "grade",
    "account_type",
    "revenue",
    "gross_profit",
    "cost_to_serve",
    "net_profit",
    "margin",
    "vehicles",
    "orders",
    "score",
)


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class Command(BaseCommand):
    help = "Key-account analysis: summary, pyramid, pitfalls and the ranked customers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("analyze", "export"):
            p = sub.add_parser(name)
            p.add_argument("--store", help="store code or id (default: the whole group)")
            p.add_argument(
                "--months", type=int, default=None, help="period in months (default from settings)"
            )
            if name == "analyze":
                p.add_argument("--format", choices=("table", "json", "csv"), default="table")
                p.add_argument("--limit", type=int, default=50, help="customers to list (0 for all)")
                p.add_argument("--order-by", default="net_profit")
            else:
                p.add_argument("--output", required=True, help="XLSX file to write")

    def handle(self, *args, action, store=None, months=None, **options):
        store_obj = None
        if store:
            store_obj = Store.objects.filter(code=store.upper()).first()
            if store_obj is None and store.isdigit():
                store_obj = Store.objects.filter(pk=int(store)).first()
            if store_obj is None:
                raise CommandError(_("Unknown store: %(s)s") % {"s": store})
        if months is not None and months < 1:
            raise CommandError(_("The period is at least one month."))
        a = analysis_run(months=months, store=store_obj)
        if action == "export":
            from autosales.keyaccounts.export import analysis_workbook

            with open(options["output"], "wb") as fh:
                fh.write(analysis_workbook(a))
            self.stdout.write(_("Wrote %(path)s") % {"path": options["output"]})
            return
        limit = options["limit"] or None
        rows = customer_rows(a, customer_positions(a, order_by=options["order_by"]), limit=limit)
        fmt = options["format"]
        if fmt == "json":
            payload = {
                "summary": a.summary,
                "pyramid": a.pyramid,
                "pareto": {k: v for k, v in a.pareto.items() if k != "curve"},
                "pitfalls": [
                    {k: p[k] for k in ("code", "fires", "message", "count", "figures")}
                    for p in pitfall_report(a, limit=0)
                ],
                "customers": rows,
            }
            self.stdout.write(json.dumps(payload, default=_json_default, ensure_ascii=False, indent=2))
        elif fmt == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(COLUMNS)
            for row in rows:
                writer.writerow([row[c] for c in COLUMNS])
        else:
            self._table(a, rows)

    def _table(self, a, rows):
        s, p = a.summary, a.pareto
        w = self.stdout.write
        w(
            _("Key accounts %(start)s – %(end)s, %(n)d customers")
            % {"start": s["period_start"], "end": s["period_end"], "n": s["customers"]}
        )
        w(
            _("Revenue %(r)s · gross profit %(g)s · cost to serve %(c)s · net profit %(p)s")
            % {"r": s["revenue"], "g": s["gross_profit"], "c": s["cost_to_serve"], "p": s["net_profit"]}
        )
        if p["top20_share"] is not None:
            w(
                _(
                    "Top 20%% bring %(t)s of net profit; %(k)s customers bring 80%%; whale peak %(w)s at %(wk)s customers; "
                    "%(l)d loss-making customers cost %(la)s; largest customer %(big)s, Herfindahl %(h)s"
                )
                % {
                    "t": f"{p['top20_share']:.1%}",
                    "k": p["customers_for_80"],
                    "w": f"{p['peak_share']:.1%}",
                    "wk": p["peak_customers"],
                    "l": p["loss_making_customers"],
                    "la": p["loss_amount"],
                    "big": f"{p['largest_share']:.1%}",
                    "h": p["herfindahl"],
                }
            )
        for t in a.pyramid:
            w(
                f"  {Tier(t['tier']).label:<10} {t['customers']:>8}  {t['customer_share']:.1%}  {t['net_profit']:>16}  "
                f"{'' if t['profit_share'] is None else format(t['profit_share'], '.1%')}"
            )
        for item in pitfall_report(a, limit=0):
            mark = "!" if item["fires"] else " "
            w(f" {mark} {Pitfall(item['code']).label}: {item['message']}")
        w("")
        w("  ".join(f"{c:>14}" if c not in ("name",) else f"{c:<20}" for c in COLUMNS))
        for row in rows:
            w("  ".join(f"{str(row[c])[:20]:<20}" if c == "name" else f"{str(row[c]):>14}" for c in COLUMNS))
        sys.stdout.flush()
