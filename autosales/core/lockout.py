from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

LOCKED_STATUS = status.HTTP_429_TOO_MANY_REQUESTS


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a sign-in from a locked-out account or address: JSON for the API, a page otherwise."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minutes; "
        "try again later or ask an administrator to unlock the account."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = Response({"detail": message}, status=LOCKED_STATUS)
        response.accepted_renderer = JSONRenderer()
        response.accepted_media_type = "application/json"
        response.renderer_context = {}
        response["Retry-After"] = str(minutes * 60)
        return response.render()
    response = render(
        request, "web/locked_out.html", {"message": message, "minutes": minutes}, status=LOCKED_STATUS
    )
    response["Retry-After"] = str(minutes * 60)
    return response
