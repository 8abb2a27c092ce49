import re

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework import throttling
from rest_framework.authtoken.models import Token

from autosales.api.authentication import token_with_user
from autosales.core.choices import Role

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_token_endpoint_returns_the_users_token_for_a_good_password(api, salesperson):
    response = api().post(TOKEN_URL, {"username": salesperson.username, "password": "Secret-pass-2026"})
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=salesperson).key


def test_token_from_the_endpoint_opens_the_api(api, salesperson):
    token = api().post(TOKEN_URL, {"username": salesperson.username, "password": "Secret-pass-2026"}).json()
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    response = client.get("/api/v1/users/me/")
    assert response.status_code == 200
    assert response.json()["username"] == salesperson.username


def test_token_endpoint_refuses_a_wrong_password_without_saying_which_part_is_wrong(api, salesperson):
    response = api().post(TOKEN_URL, {"username": salesperson.username, "password": "wrong-password-1"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Token.objects.filter(user=salesperson).exists()


def test_token_endpoint_refuses_an_inactive_user(api, make_user):
    user = make_user(is_active=False)
    response = api().post(TOKEN_URL, {"username": user.username, "password": "Secret-pass-2026"})
    assert response.status_code == 400


def test_a_deleted_or_wrong_token_is_refused(api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/v1/customers/").status_code == 401


def _all_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method in operations:
            yield method, re.sub(r"\{[^}]+\}", "1", path)


def test_anonymous_is_refused_on_every_endpoint_but_the_token_endpoint(api, salesperson):
    client = api()
    checked = 0
    for method, path in _all_operations():
        if path == TOKEN_URL:
            continue
        response = getattr(client, method)(path, {}, format="json")
        assert response.status_code == 401, (method, path, response.status_code)
        checked += 1
    assert checked > 40


def test_anonymous_cannot_read_the_schema(api):
    assert api().get("/api/v1/schema/").status_code == 401


def test_anonymous_is_sent_to_sign_in_from_the_docs(api):
    response = api().get("/api/v1/docs/")
    assert response.status_code == 302
    assert reverse("web:login") in response["Location"]


def test_docs_are_served_with_local_assets_for_a_signed_in_user(api, salesperson, client):
    client.force_login(salesperson)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr" not in html and "unpkg" not in html


def test_signed_in_user_reads_the_openapi_schema(api, salesperson):
    response = api(salesperson).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/vehicles/" in response.json()["paths"]


def test_session_of_the_web_app_also_opens_the_api(client, salesperson):
    client.force_login(salesperson)
    assert client.get("/api/v1/users/me/").json()["role"] == Role.SALESPERSON


def test_token_endpoint_slows_down_password_guessing(api, salesperson, monkeypatch):
    monkeypatch.setattr(throttling.ScopedRateThrottle, "THROTTLE_RATES", {"auth_token": "2/min"})
    client = api()
    codes = [
        client.post(TOKEN_URL, {"username": salesperson.username, "password": f"guess-{n}"}).status_code
        for n in range(3)
    ]
    assert codes == [400, 400, 429]


def test_a_token_of_an_inactive_user_is_refused_with_drfs_message_in_the_users_language(api, make_user):
    user = make_user()
    client = api(user, language="zh-hans")
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get("/api/v1/customers/")
    assert response.status_code == 401
    assert response.json()["detail"] == "用户未激活或者已删除。"
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/v1/customers/").json()["detail"] == "认证令牌无效。"


def test_the_token_lookup_loads_the_token_and_user_the_orm_loads(make_user, django_assert_num_queries):
    user = make_user(first_name="晓", last_name="王")
    token = Token.objects.create(user=user)
    ours = token_with_user(token.key)
    theirs = Token.objects.select_related("user").get(key=token.key)

    def fields(instance):
        return {k: v for k, v in instance.__dict__.items() if k != "_state"}

    assert fields(ours) == fields(theirs)
    assert fields(ours.user) == fields(theirs.user)
    assert ours.user.last_login is None and ours.created == theirs.created and ours.created.tzinfo
    assert not ours._state.adding and ours.user._state.db == "default"
    with django_assert_num_queries(0):
        assert ours.user.auth_token is ours
    assert token_with_user("no-such-key") is None


def test_each_api_request_authenticates_with_one_query_compiled_once(
    api, salesperson, django_assert_num_queries, monkeypatch
):
    client = api(salesperson)
    client.get("/api/v1/users/me/")
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(compiler, *args, **kwargs):
        if compiler.query.model is Token:
            compiled.append(compiler)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    for _ in range(2):
        with django_assert_num_queries(1) as captured:
            assert client.get("/api/v1/users/me/").status_code == 200
        assert "authtoken_token" in captured.captured_queries[0]["sql"]
    assert compiled == []
