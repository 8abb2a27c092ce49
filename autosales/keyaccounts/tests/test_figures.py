"""Value facts, rankings, pyramid and Pareto against figures worked out by hand (see builders.dealership).

A: 2 × (200,000 − 10,000 − 170,000) = 40,000 vehicle margin, free accessory costing 800 → vehicle GP 39,200;
   financing income 3,000, insurance 5,000 − 4,000 + 500 → add-on income 4,500; service 1,000 + 2,000 − 200
   = 2,800 revenue, 2,800 − 400 − 1,200 = 1,200 GP; 2 calls × 20 + 1 consultation × 500 = 540 cost to serve;
   net 39,200 + 4,500 + 1,200 − 540 = 44,360 on revenue 385,000 + 2,800 = 387,800.
B: 150,000 − 3,000 − 140,000 = 7,000; 10 visits × 150 = 1,500 → net 5,500.
C: 120,000 − 12,000 − 110,000 = −2,000, free extra costing 1,500 → −3,500; 4 visits 600 → net −4,100.
D, E: 100,000 − 95,000 = 5,000 each (a tie).
"""

import math
from decimal import Decimal

import pytest

from autosales.keyaccounts.choices import Tier
from autosales.keyaccounts.facts import Period
from autosales.keyaccounts.selectors import (
    analysis_run,
    customer_drilldown,
    customer_positions,
    customer_rows,
)

from .builders import END, configure, dealership

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    configure(vip="0.20", major="0.40", ordinary="0.20")
    return dealership()


def rows_by_name(a):
    return {row["name"]: row for row in customer_rows(a, customer_positions(a), limit=None)}


def test_value_facts_of_a_company_match_the_hand_computation(shop):
    a = analysis_run(months=36, end=END)
    row = rows_by_name(a)["A 物流"]
    assert row["sales_revenue"] == D("385000.00")
    assert row["vehicle_gp"] == D("39200.00")
    assert row["addon_income"] == D("4500.00")
    assert row["service_revenue"] == D("2800.00")
    assert row["service_gp"] == D("1200.00")
    assert row["cost_to_serve"] == D("540.00")
    assert row["net_profit"] == D("44360.00")
    assert row["revenue"] == D("387800.00")
    assert row["margin"] == D("0.1144")  # 44,360 / 387,800
    assert row["vehicles"] == 2
    assert row["orders"] == 1
    assert row["transactions"] == 2
    assert str(row["first_purchase"]) == "2026-03-01"
    assert str(row["last_purchase"]) == "2026-04-01"
    assert row["recency_days"] == 90
    assert row["days_late"] == D("5.0")  # 0 and 10 days late
    assert row["pipeline"] == D("400000.00")  # 1,000,000 × 40%, the lost lead not counted
    assert row["concessions"] == D("22000.00")  # 2 × 10,000 discount + 2,000 free accessory
    assert row["concession_ratio"] == D("0.0541")  # 22,000 / 407,000 list value
    assert row["discount_ratio"] == D("0.0491")  # 20,000 / 407,000
    assert row["attach_rate"] == D("0.5000")  # financing and insurance of four services
    assert row["growth"] == D("1.0000")  # nothing the year before


def test_orders_outside_the_period_or_cancelled_do_not_count(shop):
    row = rows_by_name(analysis_run(months=36, end=END))["B"]
    assert row["orders"] == 1
    assert row["revenue"] == D("147000.00")
    assert row["net_profit"] == D("5500.00")
    assert row["complaints"] == 1
    assert row["growth"] == D("-1.0000")  # bought last year, nothing this year


def test_loss_making_customer_has_negative_net_profit_and_margin(shop):
    row = rows_by_name(analysis_run(months=36, end=END))["C"]
    assert row["vehicle_gp"] == D("-3500.00")
    assert row["net_profit"] == D("-4100.00")
    assert row["margin"] == D("-0.0380")  # −4,100 / 108,000


def test_single_indicator_ranks_share_the_better_rank_on_ties(shop):
    rows = rows_by_name(analysis_run(months=36, end=END))
    assert [rows[n]["rank_net_profit"] for n in ["A 物流", "B", "D", "E", "C"]] == [1, 2, 3, 3, 5]
    assert [rows[n]["rank_revenue"] for n in ["A 物流", "B", "C", "D", "E"]] == [1, 2, 3, 4, 4]
    assert rows["A 物流"]["rank_vehicles"] == 1
    assert rows["B"]["rank_vehicles"] == 2  # B, C, D, E all bought one vehicle


def test_pyramid_tiers_by_net_profit_with_ties_in_the_better_tier(shop):
    a = analysis_run(months=36, end=END)
    rows = rows_by_name(a)
    # Cut-offs 20/40/20/20 of five: VIP up to rank 1, major to rank 3, ordinary to rank 4.
    assert rows["A 物流"]["tier"] == Tier.VIP
    assert [rows[n]["tier"] for n in "BDE"] == [Tier.MAJOR] * 3  # D and E tie at rank 3
    assert rows["C"]["tier"] == Tier.SMALL
    by_tier = {p["tier"]: p for p in a.pyramid}
    assert by_tier[Tier.MAJOR]["customers"] == 3
    assert by_tier[Tier.MAJOR]["customer_share"] == D("0.6000")
    assert by_tier[Tier.MAJOR]["net_profit"] == D("15500.00")
    assert by_tier[Tier.VIP]["profit_share"] == D("0.7956")  # 44,360 / 55,760
    assert by_tier[Tier.ORDINARY]["customers"] == 0
    assert by_tier[Tier.SMALL]["net_profit"] == D("-4100.00")


def test_pareto_and_whale_curve_figures(shop):
    p = analysis_run(months=36, end=END).pareto
    assert p["total_net_profit"] == D("55760.00")
    assert p["top20_customers"] == 1
    assert p["top20_share"] == D("0.7956")
    assert p["customers_for_80"] == 2  # 49,860 / 55,760 = 89.4%
    assert p["peak_customers"] == 4
    assert p["peak_share"] == D("1.0735")  # 59,860 / 55,760: the whale's hump
    assert p["loss_making_customers"] == 1
    assert p["loss_amount"] == D("4100.00")
    assert p["largest_share"] == D("0.7956")
    positive = [44360, 5500, 5000, 5000]
    hhi = sum((x / sum(positive)) ** 2 for x in positive)
    assert p["herfindahl"] == D(str(round(hhi, 4)))
    assert p["curve"][-1]["profit_share"] == D("1.0000")
    assert max(point["profit_share"] for point in p["curve"]) == D("1.0735")


def test_summary_totals_are_exact_to_the_cent(shop):
    s = analysis_run(months=36, end=END).summary
    assert s["customers"] == 5
    assert s["revenue"] == D("387800.00") + D("147000.00") + D("108000.00") + D("200000.00")
    assert s["net_profit"] == D("55760.00")
    assert s["cost_to_serve"] == D("540.00") + D("1500.00") + D("600.00")
    assert s["vehicles"] == 6


def test_store_without_sales_gives_an_empty_analysis():
    from autosales.core.tests.factories import StoreFactory

    configure()
    dealership()
    empty = StoreFactory(code="KA99")
    a = analysis_run(months=36, store=empty, end=END)
    assert a.n == 0
    assert a.summary["net_profit"] == D("0.00")
    assert a.pareto["top20_share"] is None
    assert all(not p["fires"] for p in a.pitfalls)
    assert all(t["customers"] == 0 for t in a.pyramid)


def test_a_store_counts_only_its_own_sales(shop):
    from autosales.core.tests.factories import StoreFactory

    other = StoreFactory(code="KA02")
    from .builders import order

    order(shop["A"], END, [{"unit_price": "1000", "unit_cost": "100"}], store=other)
    assert rows_by_name(analysis_run(months=36, store=shop["store"], end=END))["A 物流"]["net_profit"] == D(
        "44360.00"
    )
    assert rows_by_name(analysis_run(months=36, store=other, end=END))["A 物流"]["net_profit"] == D("900.00")


def test_drilldown_adds_up_to_the_customer_figures(shop):
    drill = customer_drilldown(shop["A"], months=36, end=END)
    assert [o.revenue for o in drill["orders"]] == [D("385000.00")]
    assert drill["totals"]["vehicle_gp"] == D("39200.00")
    assert drill["totals"]["addon_income"] == D("4500.00")
    assert drill["totals"]["service_gp"] == D("1200.00")
    assert drill["totals"]["cost_to_serve"] == D("540.00")
    assert drill["totals"]["net_profit"] == D("44360.00")
    assert sorted(p.days_late for p in drill["payments"]) == [0, 10]


def test_period_months_move_the_window():
    period = Period.build(months=36, end=END)
    assert str(period.start) == "2023-06-30"
    assert str(period.recent_start) == "2025-06-30"
    assert math.isclose((period.end - period.start).days, 1096)
