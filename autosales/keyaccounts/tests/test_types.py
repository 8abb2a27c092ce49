"""Account types suggested from observable signals, with reasons and confidence, and a manager's override."""

from autosales.keyaccounts.analysis import Config, analyse, type_reasons
from autosales.keyaccounts.choices import AccountType

from .builders import buyer, synthetic

NET_ONLY = [("net_profit", "current", 1.0)]


def run(rows, **config):
    config.setdefault("indicators", NET_ONLY)
    return analyse(synthetic(rows), Config(**config))


def strategic():
    return buyer(
        1_000_000, 150_000, name="S", agreements_active=1, agreement_days=1095, executives=2, product_lines=3
    )


def extrinsic():
    return buyer(
        900_000,
        140_000,
        name="E",
        orders=2,
        lines_financing=2,
        lines_insurance=2,
        lines_package=2,
        act_consultation=3,
        maintenance_visits=4,
    )


def intrinsic():
    return buyer(800_000, 130_000, name="I", discounts=64_000, lost_on_price=2)


def test_clear_cases_get_their_type_with_full_confidence_and_reasons():
    a = run([strategic(), extrinsic(), intrinsic()])
    types = dict(zip(a.facts.names, a.v["account_type"], strict=True))
    assert types == {"S": AccountType.STRATEGIC, "E": AccountType.EXTRINSIC, "I": AccountType.INTRINSIC}
    s = a.facts.names.index("S")
    assert a.v["type_confidence"][s] > 0.6
    signals = {r["signal"] for r in type_reasons(a, s) if r["account_type"] == AccountType.STRATEGIC}
    assert signals == {"fleet_agreement", "long_contract", "executive_contacts", "product_lines"}
    i = a.facts.names.index("I")
    assert {"price_discount", "lost_on_price"} <= {r["signal"] for r in type_reasons(a, i)}


def test_weak_signals_give_low_confidence():
    a = run([buyer(100_000, 10_000, name="W", executives=1, act_consultation=1)])
    assert a.v["type_confidence"][0] < 0.5


def test_a_manager_override_replaces_the_suggestion():
    a = run(
        [strategic(), extrinsic(), intrinsic()], overrides={3: (AccountType.STRATEGIC, "board-level deal")}
    )
    i = a.facts.names.index("I")
    assert a.v["type_suggested"][i] == AccountType.INTRINSIC
    assert a.v["account_type"][i] == AccountType.STRATEGIC
    assert a.v["type_overridden"][i]


def test_type_mix_counts_key_accounts_only():
    rows = [strategic(), extrinsic(), intrinsic()] + [buyer(10_000, 100) for _ in range(17)]
    a = run(rows)
    mix = {m["account_type"]: m["customers"] for m in a.types["mix"]}
    assert sum(mix.values()) == a.types["key_accounts"] == int(a.v["key_account"].sum())
