"""The five pitfalls fire where they bite and stay quiet where they do not.

Each case is 19 ordinary buyers (revenue 100,000 to 280,000, gross margin 10%) plus the customer under test.
With 20 customers the default cut-offs give 1 VIP, 0 major, 3 ordinary and 16 small; the key share of a
single indicator (5%) is 1 customer.
"""

from decimal import Decimal

import numpy as np

from autosales.keyaccounts.analysis import Config, analyse
from autosales.keyaccounts.choices import TIER_ORDER, Pitfall, Tier

from .builders import buyer, synthetic

NET_ONLY = [("net_profit", "current", 1.0)]


def base():
    return [buyer(100_000 + i * 10_000, 10_000 + i * 1_000) for i in range(19)]


def run(rows, **config):
    config.setdefault("indicators", NET_ONLY)
    return analyse(synthetic(rows), Config(**config))


def pitfall(a, code):
    return next(p for p in a.pitfalls if p["code"] == code)


def named(a, code):
    return [a.facts.names[i] for i in pitfall(a, code)["customers"]]


def test_volume_without_profit_fires_for_the_top_customer_by_revenue_with_a_thin_margin():
    a = run([*base(), buyer(1_000_000, 5_000, name="X")])
    assert pitfall(a, Pitfall.VOLUME_WITHOUT_PROFIT)["fires"]
    assert named(a, Pitfall.VOLUME_WITHOUT_PROFIT) == ["X"]


def test_volume_without_profit_is_quiet_when_the_biggest_customer_earns_well():
    a = run([*base(), buyer(1_000_000, 200_000, name="X")])
    assert not pitfall(a, Pitfall.VOLUME_WITHOUT_PROFIT)["fires"]


def test_single_indicator_risk_names_customers_key_by_revenue_only():
    a = run([*base(), buyer(1_000_000, 5_000, name="X", vehicles=10)])
    p = pitfall(a, Pitfall.SINGLE_INDICATOR)
    assert p["fires"]
    assert named(a, Pitfall.SINGLE_INDICATOR) == ["X"]
    assert a.comparison["key_by_method"] == {"revenue": 1, "vehicles": 1, "pyramid": 1, "scorecard": 5}


def test_single_indicator_risk_is_quiet_when_all_methods_agree():
    a = run([*base(), buyer(1_000_000, 200_000, name="X", vehicles=10)])
    assert not pitfall(a, Pitfall.SINGLE_INDICATOR)["fires"]


def test_dropping_the_small_fires_when_enough_small_customers_are_neglected():
    rows = base()
    for row in rows[:3]:
        row["overdue_follow_ups"] = 1
    rows.append(buyer(1_000_000, 200_000, name="X"))
    a = run(rows)
    p = pitfall(a, Pitfall.DROPPING_SMALL)
    assert p["fires"]  # 3 of 19 small and ordinary customers, above 10%
    assert p["figures"]["neglected"] == 3
    assert p["figures"]["small_customers"] == 19


def test_dropping_the_small_is_quiet_below_the_warning_share():
    rows = base()
    rows[0]["overdue_follow_ups"] = 1
    rows.append(buyer(1_000_000, 200_000, name="X"))
    a = run(rows)
    assert not pitfall(a, Pitfall.DROPPING_SMALL)["fires"]  # 1 of 19
    assert pitfall(a, Pitfall.DROPPING_SMALL)["figures"]["neglected"] == 1


def test_dropping_the_small_counts_falling_purchases_and_lapsed_customers():
    rows = base()
    rows[0].update(orders_recent=1, service_previous=4)  # 1 purchase this year against 4 the year before
    rows[1].update(orders_recent=0, orders_previous=1)  # bought last year, nothing since
    rows[2].update(contacts_previous=10, contacts_recent=2)  # visits fell by 80%
    a = run([*rows, buyer(1_000_000, 200_000, name="X")])
    figures = pitfall(a, Pitfall.DROPPING_SMALL)["figures"]
    assert figures["falling_purchases"] == 2
    assert figures["falling_contacts"] == 1
    assert figures["lapsed"] == 1
    assert pitfall(a, Pitfall.DROPPING_SMALL)["fires"]


def test_big_ticket_fires_for_a_large_order_from_a_low_value_customer():
    a = run([*base(), buyer(1_000_000, 200_000, name="X"), buyer(2_000_000, -10_000, name="Y")])
    assert pitfall(a, Pitfall.BIG_TICKET)["fires"]
    assert named(a, Pitfall.BIG_TICKET) == ["Y"]


def test_big_ticket_is_quiet_when_the_largest_order_comes_from_a_valuable_customer():
    a = run([*base(), buyer(2_000_000, 300_000, name="Y")])
    assert not pitfall(a, Pitfall.BIG_TICKET)["fires"]


def test_concessions_beyond_the_tier_allowance_fire_with_the_excess():
    rows = base()
    rows[0].update(name="Z", discounts=10_000)  # 10% of a 100,000 list value for a small customer (3%)
    a = run(rows)
    p = pitfall(a, Pitfall.CONCESSIONS)
    assert p["fires"]
    assert named(a, Pitfall.CONCESSIONS) == ["Z"]
    assert p["figures"]["excess"] == Decimal("7000.00")


def test_concessions_within_the_allowance_are_quiet():
    rows = base()
    rows[0]["discounts"] = 2_000
    assert not pitfall(run(rows), Pitfall.CONCESSIONS)["fires"]


def test_vip_customers_are_allowed_more_concessions():
    rows = [*base(), buyer(1_000_000, 200_000, name="X", discounts=70_000)]  # 7% for a VIP (8% allowed)
    a = run(rows)
    x = a.facts.names.index("X")
    assert TIER_ORDER[a.v["tier"][x]] == Tier.VIP
    assert not pitfall(a, Pitfall.CONCESSIONS)["fires"]
    assert np.isclose(a.v["concession_allowed"][x], 0.08)


def test_concessions_message_shows_the_excess_as_money():
    from django.utils import translation

    from autosales.keyaccounts.analysis import pitfall_message

    with translation.override("en"):
        text = pitfall_message(Pitfall.CONCESSIONS, {"count": 2, "excess": Decimal("687369.19")}, Config())
    assert "¥687,369.19 in excess" in text
