import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from autosales.core.tests.factories import UserFactory
from autosales.inventory.tests.factories import VehicleFactory
from autosales.parties.tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "logout", "manifest", "set_language"}


def _web_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace or ""
            if prefix or namespace == "web":
                yield from _web_patterns(entry, prefix or "web")
        elif isinstance(entry, URLPattern) and prefix and entry.name:
            yield entry.name, list(entry.pattern.converters)


def _web_urls():
    urls = []
    for name, params in _web_patterns():
        if name in PUBLIC:
            continue
        urls.append(reverse(f"web:{name}", kwargs=dict.fromkeys(params, 1)))
    return urls


def test_every_web_page_but_login_redirects_anonymous_to_login(client):
    urls = _web_urls()
    assert reverse("web:customer_list") in urls and reverse("web:vehicle_list") in urls
    login = reverse("web:login")
    for url in urls:
        response = client.get(url)
        if response.status_code == 405:
            # A POST-only action: posting anonymously must lead to the login page too.
            response = client.post(url)
        assert response.status_code == 302, url
        assert response.url.startswith(login), url


def test_salesperson_of_another_store_gets_404_for_a_guessed_customer(client, salesperson, other_salesperson):
    customer = CustomerFactory(store=salesperson.store, owner=salesperson, company=True)
    client.force_login(other_salesperson)
    for name in ("web:customer_detail", "web:customer_edit", "web:contact_create"):
        assert client.get(reverse(name, args=[customer.pk])).status_code == 404, name
    response = client.post(reverse("web:customer_edit", args=[customer.pk]), {"name": "x"})
    assert response.status_code == 404


def test_salesperson_cannot_open_a_colleagues_customer(client, salesperson, store):
    colleague = UserFactory(username="colleague", store=store)
    customer = CustomerFactory(store=store, owner=colleague)
    client.force_login(salesperson)
    assert client.get(reverse("web:customer_detail", args=[customer.pk])).status_code == 404


def test_contact_of_another_store_is_hidden(client, salesperson, other_salesperson):
    contact = ContactFactory(
        customer=CustomerFactory(store=salesperson.store, owner=salesperson, company=True)
    )
    client.force_login(other_salesperson)
    assert client.get(reverse("web:contact_detail", args=[contact.pk])).status_code == 404
    assert client.get(reverse("web:contact_edit", args=[contact.pk])).status_code == 404


def test_vehicle_of_another_store_is_404(client, salesperson, other_store):
    vehicle = VehicleFactory(store=other_store)
    client.force_login(salesperson)
    assert client.get(reverse("web:vehicle_detail", args=[vehicle.pk])).status_code == 404


def test_salesperson_may_not_register_vehicles_or_edit_catalogue(client, salesperson):
    client.force_login(salesperson)
    assert client.get(reverse("web:vehicle_create")).status_code == 403
    assert client.get(reverse("web:brand_create")).status_code == 403
    assert client.get(reverse("web:trim_create")).status_code == 403
    response = client.get(reverse("web:vehicle_list"))
    assert b'id="add-button"' not in response.content


def test_finance_has_no_catalogue_write_but_sees_customers(client, store):
    finance = UserFactory(username="fin", store=store, finance=True)
    client.force_login(finance)
    assert client.get(reverse("web:customer_list")).status_code == 200
    assert client.get(reverse("web:customer_create")).status_code == 403


def test_navigation_shows_only_existing_pages_the_role_may_read(client, salesperson):
    client.force_login(salesperson)
    body = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:customer_list")}"' in body
    assert f'href="{reverse("web:vehicle_list")}"' in body


def test_after_sales_role_does_not_see_leads_in_navigation(client, store):
    from autosales.web.context_processors import navigation_for

    advisor = UserFactory(username="svc", store=store, aftersales=True)

    class Request:
        user = advisor
        path = "/"

    labels = [str(item["label"]) for item in navigation_for(Request())]
    assert "Leads" not in labels
    assert "Customers" in labels
