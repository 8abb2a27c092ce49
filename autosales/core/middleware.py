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
