"""``autosales keyaccounts analyze`` prints the summary and the ranked customers in three formats."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from .builders import configure, dealership, order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    configure(vip="0.20", major="0.40", ordinary="0.20")
    data = dealership()
    order(
        data["D"],
        timezone.localdate() - datetime.timedelta(days=3),
        [{"unit_price": "1000", "unit_cost": "900"}],
    )
    return data


def run(*args):
    out = io.StringIO()
    call_command("keyaccounts", "analyze", *args, stdout=out)
    return out.getvalue()


def test_json_has_summary_pyramid_pitfalls_and_ranked_customers(shop):
    data = json.loads(run("--format", "json", "--store", "KA01"))
    assert data["summary"]["customers"] == 5
    assert [c["name"] for c in data["customers"]][:2] == ["A 物流", "B"]
    assert data["customers"][0]["net_profit"] == "44360.00"
    assert {p["code"] for p in data["pitfalls"]} >= {"single_indicator", "concessions"}


def test_csv_lists_one_row_per_customer(shop):
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv", "--limit", "0"))))
    assert len(rows) == 5
    assert rows[-1]["name"] == "C" and rows[-1]["net_profit"] == "-4100.00"


def test_table_names_the_figures(shop):
    text = run("--months", "36")
    assert "5 customers" in text
    assert "A 物流" in text


def test_unknown_store_is_refused(shop):
    with pytest.raises(CommandError):
        run("--store", "NOPE")


def test_export_writes_a_workbook(shop, tmp_path):
    target = tmp_path / "ka.xlsx"
    call_command("keyaccounts", "export", "--output", str(target), stdout=io.StringIO())
    assert target.read_bytes()[:2] == b"PK"
