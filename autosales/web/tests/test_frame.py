import json

import pytest
from django.urls import reverse

from autosales.core.tests.factories import UserFactory
from autosales.inventory.tests.factories import VehicleFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_public_and_styled(client):
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    assert b"bootstrap.min.css" in response.content
    assert b'rel="manifest"' in response.content


def test_home_redirects_anonymous_to_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


def test_home_shows_stock_widgets_for_manager(client):
    user = UserFactory(manager=True)
    VehicleFactory(store=user.store)
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="widget-stock-status"' in body
    assert 'id="widget-stock-age"' in body
    assert "echarts.min.js" in body


def test_manifest_lists_both_icon_sizes(client):
    response = client.get(reverse("web:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
    assert data["display"] == "standalone"
