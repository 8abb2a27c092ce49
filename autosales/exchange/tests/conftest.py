import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; tests that check Chinese switch language themselves."""
    with translation.override("en"):
        yield
