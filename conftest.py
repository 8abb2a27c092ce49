import os

# Tests run the production settings (DEBUG off) over plain HTTP on localhost.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")


def pytest_configure(config):
    # pytest-django loads the settings before this file is imported, so the two lines above
    # come too late for them; apply the same choice to the loaded settings.
    from django.conf import settings

    if not settings.configured:
        return
    if os.environ.get("SECURE_SSL_REDIRECT") == "0":
        settings.SECURE_SSL_REDIRECT = False
    if os.environ.get("SECURE_COOKIES") == "0":
        settings.SESSION_COOKIE_SECURE = False
        settings.CSRF_COOKIE_SECURE = False
