"""Guessed ids: every object page and API endpoint refuses rows outside the user's scope.

Every object of store A gets the same primary key, ``ID``. A request for any URL pattern with every
id argument set to ``ID`` therefore asks for store A's object of whatever kind the pattern is about,
and an intruder must get a refusal (403/404), never 200 with data. Lists, exports and the global
search must not contain store A's rows either.
"""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from autosales.aftersales.tests.factories import (
    ComplaintFactory,
    FollowUpCallFactory,
    ReminderFactory,
    ServiceJobFactory,
    ServiceOrderFactory,
    ServicePartFactory,
)
from autosales.core.tests.factories import StoreFactory, UserFactory
from autosales.inventory.tests.factories import (
    BrandFactory,
    CarModelFactory,
    ColourFactory,
    TrimFactory,
    VehicleFactory,
)
from autosales.parties.tests.factories import ContactFactory, CustomerFactory
from autosales.sales.tests.factories import (
    LeadFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    QuoteFactory,
    QuoteLineFactory,
)

pytestmark = pytest.mark.django_db

ID = 987_001
MARKER = "Zqxmarker"

# Group-wide catalogue: every signed-in user may read it, whatever the store.
CATALOGUE_WEB = {
    "brand_detail",
    "carmodel_detail",
    "model_detail",
    "trim_detail",
    "colour_detail",
}
CATALOGUE_API = (
    "/api/v1/brands/",
    "/api/v1/models/",
    "/api/v1/car-models/",
    "/api/v1/trims/",
    "/api/v1/colours/",
)
REFUSED = {403, 404}


def _walk(resolver, prefix, namespace):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern), namespace or entry.namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, prefix + str(entry.pattern), entry


GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _fill(entry, path):
    """The URL of ``entry`` with every id argument set to ``ID`` (None if it takes other arguments)."""
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    names = re.findall(r"<(?:(\w+):)?(\w+)>", path) + [("", name) for name in GROUP.findall(path)]
    if not names or any(not (name == "pk" or name.endswith(("_pk", "_id"))) for _conv, name in names):
        return None
    path = re.sub(r"<(?:int:)?\w+>", str(ID), GROUP.sub(str(ID), path))
    return "/" + path if not re.search(r"[<>()?\[\]]", path) else None


def web_object_urls():
    urls = []
    for namespace, path, entry in _walk(get_resolver(), "", None):
        if namespace == "web" and entry.name not in CATALOGUE_WEB:
            url = _fill(entry, path)
            if url:
                urls.append((entry.name, url))
    return urls


def api_object_urls():
    urls = []
    for _namespace, path, entry in _walk(get_resolver(), "", None):
        if path.startswith("api/") and "format" not in path:
            url = _fill(entry, path)
            if url and not url.startswith(CATALOGUE_API):
                urls.append((entry.name, url))
    return urls


def _has_arguments(path):
    return "<" in path or "(?P" in path


def web_list_urls():
    return [
        (entry.name, "/" + path)
        for namespace, path, entry in _walk(get_resolver(), "", None)
        if namespace == "web"
        and not _has_arguments(path)
        and entry.name not in {"logout", "set_language"}
        and not path.startswith("stock/catalogue/")
    ]


def api_list_urls():
    return [
        "/" + path.replace("^", "").replace("$", "")
        for _namespace, path, entry in _walk(get_resolver(), "", None)
        if path.startswith("api/v1/")
        and not _has_arguments(path)
        and not path.endswith(("token/", "schema/", "docs/", "redoc/"))
    ]


@pytest.fixture
def store_a_world(db):
    """One object of each kind in store A, all with primary key ``ID``, owned by salesperson ``owner``."""
    store = StoreFactory(id=ID, code="AA", name=f"{MARKER} store")
    owner = UserFactory(id=ID, username="owner_a", store=store)
    brand = BrandFactory(id=ID)
    car_model = CarModelFactory(id=ID, brand=brand)
    trim = TrimFactory(id=ID, car_model=car_model)
    colour = ColourFactory(id=ID)
    vehicle = VehicleFactory(id=ID, store=store, trim=trim, colour=colour)
    customer = CustomerFactory(id=ID, store=store, owner=owner, name=f"{MARKER} customer")
    ContactFactory(id=ID, customer=customer, name=f"{MARKER} contact")
    LeadFactory(id=ID, store=store, owner=owner, customer=customer)
    quote = QuoteFactory(id=ID, store=store, salesperson=owner, customer=customer, number=f"Q-{MARKER}")
    QuoteLineFactory(id=ID, quote=quote, trim=trim)
    order = OrderFactory(id=ID, store=store, salesperson=owner, customer=customer, number=f"O-{MARKER}")
    OrderLineFactory(id=ID, order=order, trim=trim)
    PaymentFactory(id=ID, order=order)
    advisor = UserFactory(username="advisor_a", store=store, aftersales=True)
    service = ServiceOrderFactory(
        id=ID, store=store, customer=customer, vehicle=vehicle, advisor=advisor, number=f"SV-{MARKER}"
    )
    ServiceJobFactory(id=ID, service_order=service)
    ServicePartFactory(id=ID, service_order=service)
    ReminderFactory(id=ID, store=store, customer=customer, vehicle=vehicle)
    FollowUpCallFactory(id=ID, store=store, customer=customer)
    ComplaintFactory(id=ID, store=store, customer=customer)
    return {"store": store, "owner": owner, "customer": customer, "vehicle": vehicle}


@pytest.fixture
def outsider(db):
    """A salesperson of store B."""
    return UserFactory(username="sales_b", store=StoreFactory(code="BB"))


@pytest.fixture
def outsider_manager(db):
    return UserFactory(username="manager_b", store=StoreFactory(code="BB"), manager=True)


@pytest.fixture
def colleague(store_a_world):
    """Another salesperson of store A."""
    return UserFactory(username="colleague_a", store=store_a_world["store"])


def _leaks(client, urls):
    leaks = []
    for name, url in urls:
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        if response.status_code not in REFUSED | {405}:
            leaks.append((name, url, response.status_code))
    return leaks


def test_the_matrix_covers_the_main_object_pages(store_a_world):
    names = {name for name, _url in web_object_urls()}
    assert {"customer_detail", "customer_edit", "contact_detail"} <= names
    api = {url for _name, url in api_object_urls()}
    assert f"/api/v1/customers/{ID}/" in api


@pytest.mark.parametrize("intruder", ["outsider", "outsider_manager"])
def test_user_of_another_store_is_refused_every_object_page(client, store_a_world, intruder, request):
    client.force_login(request.getfixturevalue(intruder))
    assert _leaks(client, web_object_urls()) == []


def test_another_salesperson_of_the_store_is_refused_owned_object_pages(client, store_a_world, colleague):
    client.force_login(colleague)
    # Stock and service records belong to the store, not to one salesperson.
    store_wide = (
        "vehicle",
        "store",
        "service",
        "reminder",
        "follow_up",
        "complaint",
        "job",
        "part",
        "history",
    )
    urls = [(name, url) for name, url in web_object_urls() if not any(word in name for word in store_wide)]
    assert any(name == "customer_detail" for name, _url in urls)
    assert _leaks(client, urls) == []


@pytest.mark.parametrize("intruder", ["outsider", "outsider_manager"])
def test_user_of_another_store_is_refused_every_api_object(store_a_world, intruder, request):
    api = APIClient()
    api.force_authenticate(request.getfixturevalue(intruder))
    leaks = []
    for name, url in api_object_urls():
        for method in ("get", "patch", "delete"):
            response = getattr(api, method)(url, {}, format="json")
            if response.status_code not in REFUSED | {405}:
                leaks.append((name, url, method, response.status_code))
    assert leaks == []


def test_another_salesperson_is_refused_the_owners_customer_in_the_api(store_a_world, colleague):
    api = APIClient()
    api.force_authenticate(colleague)
    for url in (
        f"/api/v1/customers/{ID}/",
        f"/api/v1/leads/{ID}/",
        f"/api/v1/quotes/{ID}/",
        f"/api/v1/orders/{ID}/",
    ):
        assert api.get(url).status_code == 404, url
        assert api.patch(url, {"notes": "x"}, format="json").status_code in REFUSED | {405}, url


def _shows_store_a(body: str) -> bool:
    return MARKER in body or f'"id":{ID},' in body.replace(" ", "") or f"/{ID}/" in body


def test_lists_and_exports_hold_no_rows_of_another_store(client, store_a_world, outsider):
    client.force_login(outsider)
    shown = []
    for name, url in web_list_urls():
        for query in ("", "?export=csv"):
            response = client.get(url + query)
            if response.status_code != 200:
                continue
            content = b"".join(response.streaming_content) if response.streaming else response.content
            if _shows_store_a(content.decode("utf-8", "replace")):
                shown.append((name, url + query))
    assert shown == []


def test_api_lists_hold_no_rows_of_another_store(store_a_world, outsider):
    api = APIClient()
    api.force_authenticate(outsider)
    shown = []
    for url in api_list_urls():
        response = api.get(url)
        if response.status_code != 200 or url.startswith(CATALOGUE_API) or url.endswith(".xlsx"):
            continue
        if _shows_store_a(json.dumps(response.json(), ensure_ascii=False, separators=(",", ":"))):
            shown.append(url)
    assert shown == []


def test_global_search_does_not_find_rows_of_another_store(client, store_a_world, outsider, colleague):
    vin_tail = store_a_world["vehicle"].vin[-6:]
    # Stock belongs to the store: a colleague may find the vehicle, an outsider may not.
    for user, queries in (
        (outsider, (MARKER, store_a_world["customer"].mobile, vin_tail)),
        (colleague, (MARKER,)),
    ):
        client.force_login(user)
        for query in queries:
            response = client.get("/search/", {"q": query})
            body = response.content.decode()
            # The query itself is echoed in the search box; the rows' names and links must not appear.
            assert f"{MARKER} customer" not in body and f"/{ID}/" not in body, (user.username, query)


def test_the_owner_does_see_the_rows_the_others_are_refused(client, store_a_world):
    client.force_login(store_a_world["owner"])
    assert client.get(f"/customers/{ID}/").status_code == 200
    assert MARKER in client.get("/search/", {"q": MARKER}).content.decode()
