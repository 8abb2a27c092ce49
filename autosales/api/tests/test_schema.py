import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/customers/{customer_pk}/contacts/",
        "/api/v1/vehicles/{id}/",
    ):
        assert path in text
