from autosales.api.tests.conftest import api, make_user, manager, store_a, store_b  # noqa: F401
