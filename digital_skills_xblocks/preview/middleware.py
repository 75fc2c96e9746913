"""Language of the preview: Vietnamese unless the visitor chose English with ?lang=en."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation

LANGUAGE_COOKIE = "digital_skills_language"
SUPPORTED = {code for code, _name in settings.LANGUAGES}


class PreviewLanguageMiddleware:
    """Activate the language stored in a cookie, or ``LANGUAGE_CODE``; ``?lang=xx`` stores a choice.

    The browser's Accept-Language header is ignored on purpose: the site is
    Vietnamese first even in a browser set to English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        requested = request.GET.get("lang")
        if requested in SUPPORTED and request.method == "GET":
            remaining = request.GET.copy()
            del remaining["lang"]
            target = request.path + ("?" + urlencode(remaining, doseq=True) if remaining else "")
            response = HttpResponseRedirect(target)
            response.set_cookie(LANGUAGE_COOKIE, requested, samesite="Lax", httponly=True)
            return response

        language = request.COOKIES.get(LANGUAGE_COOKIE)
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
