import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from autosales.web.formatting import format_date, format_money, format_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234567.5"), "¥1,234,567.50"),
        (Decimal("0.005"), "¥0.01"),
        (Decimal("-1234.5"), "-¥1,234.50"),
        (0, "¥0.00"),
        (None, ""),
    ],
)
def test_money_has_yen_sign_thousands_and_two_decimals_rounded_half_up(value, expected):
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert format_money(value) == expected


def test_numbers_group_thousands():
    assert format_number(1234567) == "1,234,567"
    assert format_number(Decimal("1234.567"), 2) == "1,234.57"


def test_dates_follow_the_language():
    day = datetime.date(2026, 3, 5)
    with translation.override("zh-hans"):
        assert format_date(day) == "2026-03-05"
    with translation.override("en"):
        assert format_date(day) == "Mar 5, 2026"


def test_datetimes_are_shown_in_shanghai_time():
    moment = datetime.datetime(2026, 3, 5, 17, 30, tzinfo=datetime.UTC)
    with translation.override("zh-hans"):
        assert format_date(moment) == "2026-03-06"


def test_language_switch_is_remembered_on_the_user_and_in_the_cookie(client, salesperson):
    client.force_login(salesperson)
    response = client.post(
        reverse("web:set_language"), {"language": "en", "next": reverse("web:customer_list")}
    )
    assert response.status_code == 302
    assert response.url == reverse("web:customer_list")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    salesperson.refresh_from_db()
    assert salesperson.language == "en"
    assert client.get(reverse("web:home")).context["LANGUAGE_CODE"] == "en"


def test_language_switch_refuses_an_outside_redirect(client, salesperson):
    client.force_login(salesperson)
    response = client.post(reverse("web:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.url == reverse("web:home")


def test_first_visit_follows_the_browser_language(client):
    response = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.context["LANGUAGE_CODE"] == "en"
    response = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.context["LANGUAGE_CODE"] == "zh-hans"


def test_anonymous_language_switch_sets_only_the_cookie(client):
    response = client.post(reverse("web:set_language"), {"language": "en", "next": reverse("web:login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(reverse("web:login")).context["LANGUAGE_CODE"] == "en"


def test_signing_in_sets_the_cookie_to_the_users_language(client, salesperson):
    salesperson.language = "en"
    salesperson.save()
    response = client.post(
        reverse("web:login"), {"username": salesperson.username, "password": "Secret-pass-2026"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_refusal_and_missing_pages_are_ours_and_lead_back_home(client, salesperson):
    from autosales.core.tests.factories import UserFactory

    client.force_login(UserFactory(finance=True, store=salesperson.store))
    refused = client.get(reverse("web:lead_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert "Not allowed" in refused.content.decode() and 'href="/"' in refused.content.decode()
    missing = client.get("/customers/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404
    assert "Not found" in missing.content.decode() and "main-nav" in missing.content.decode()
