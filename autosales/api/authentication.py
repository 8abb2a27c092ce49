"""Token authentication with its query compiled once per database connection.

DRF's ``TokenAuthentication`` reads ``Token.objects.select_related("user").get(key=key)`` on every
API request; the ORM builds and compiles the same statement each time, which takes ten times as
long as running it (about 0.5 ms of a 5 ms list request). Here the statement is prepared once per
connection (``autosales.core.prepared``) and run with the request's key; the row becomes the same
``Token`` and ``User`` instances as the ORM's. Answers and error messages are DRF's.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from autosales.core.prepared import prepared

_token = prepared(lambda key: Token.objects.select_related("user").filter(key=key), str)


def token_with_user(key: str):
    """The token of ``key`` with its user loaded, or ``None``."""
    rows = _token.list(key)
    return rows[0] if rows else None


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication (``Authorization: Token <key>``), with the lookup above."""

    def authenticate_credentials(self, key):
        if self.get_model() is not Token:
            return super().authenticate_credentials(key)
        token = token_with_user(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
