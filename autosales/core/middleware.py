import time

from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Use the language a signed-in user chose; otherwise LocaleMiddleware's choice (cookie, browser)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class SessionRenewalMiddleware:
    """Keep a signed-in session alive while it is used, writing it at most once a minute.

    A session ends ``SESSION_COOKIE_AGE`` seconds after it was last saved. Saving it on every
    request (``SESSION_SAVE_EVERY_REQUEST``) makes every page view a write to the session store —
    on SQLite a turn at the single write lock. Here a session in use is saved again (new expiry,
    new cookie) once ``SESSION_RENEW_SECONDS`` have passed since its last renewal, so it still
    ends after the idle time, give or take that interval. Requests without a session (API tokens,
    anonymous visitors) are left alone.
    """

    key = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None:
            last = session.get(self.key)
            now = int(time.time())
            # A cookie of a session that no longer exists loads as none: nothing to renew.
            every = min(settings.SESSION_RENEW_SECONDS, settings.SESSION_COOKIE_AGE // 2)
            stale = not isinstance(last, int) or not 0 <= now - last < every
            if session.session_key is not None and stale:
                session[self.key] = now
        return self.get_response(request)


def session_renewed_at_login(sender, request, user, **kwargs):
    """Signing in saves a fresh session: its renewal clock starts then."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SessionRenewalMiddleware.key] = int(time.time())
