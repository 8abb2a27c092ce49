import pytest
from django.template import Context, Template
from django.urls import URLResolver, get_resolver
from django.utils import translation

from autosales.core.models import User
from autosales.parties.models import Customer
from autosales.web.generic import ObjectListView, pk_url_maker, url_or_none

pytestmark = pytest.mark.django_db

USERS = ["admin", "gm", "manager.sh01", "sales.sh01", "finance.sh01", "service.sh01"]

LOOP = Template(
    "{% for row in rows %}<tr>{% for cell in row.cells %}"
    '<td class="{{ cell.css }}">{{ cell.html }}</td>{% endfor %}</tr>\n{% endfor %}'
)


@pytest.fixture(scope="module")
def markup_customer(seeded_group, django_db_blocker):
    """A customer of SH01 whose name looks like markup (rolled back with the seeded group)."""
    with django_db_blocker.unblock():
        customer = Customer.objects.filter(store__code="SH01").order_by("id").first()
        Customer.objects.filter(pk=customer.pk).update(name='<b>Tom & "Jerry"</b> 汽车')


def _list_views(patterns, prefix=""):
    """(path, view class) of every web list."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _list_views(pattern.url_patterns, route)
        else:
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class and issubclass(view_class, ObjectListView):
                yield "/" + route, view_class


@pytest.mark.parametrize("username", USERS)
def test_list_rows_are_written_as_the_template_loop_wrote_them(markup_customer, client, username):
    client.force_login(User.objects.get(username=username))
    urls = sorted({path for path, _view in _list_views(get_resolver().url_patterns) if "<" not in path})
    assert len(urls) >= 15
    compared = 0
    for url in urls:
        for language in ("zh-hans", "en"):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code != 200 or not response.context["rows"]:
                continue
            with translation.override(language):
                expected = LOOP.render(Context({"rows": response.context["rows"]}))
            assert response.context["rows_html"] + "\n" == expected, url
            assert response.context["rows_html"] in response.content.decode(), url
            compared += 1
    assert compared >= 8


def test_markup_in_a_value_is_escaped_in_the_rows(markup_customer, client):
    client.force_login(User.objects.get(username="manager.sh01"))
    page = client.get("/customers/?q=Jerry").content.decode()
    assert "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt; 汽车" in page
    assert "<b>Tom" not in page


def test_row_links_are_the_reversed_detail_urls():
    names = {
        view.detail_url_name
        for _path, view in _list_views(get_resolver().url_patterns)
        if view.detail_url_name
    }
    assert len(names) >= 10
    for name in names:
        url = pk_url_maker(name)
        for pk in (1, 42, 7_390_416_285, 10**15, "7", None):
            assert url(pk) == url_or_none(name, pk), (name, pk)
    assert pk_url_maker("web:no_such_page")(1) is None
