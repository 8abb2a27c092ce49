import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English source text, whatever the default language."""
    with translation.override("en"):
        yield
