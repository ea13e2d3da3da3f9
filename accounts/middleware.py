"""Login required everywhere but the login page; the request's context for the audit trail;
French unless English was chosen."""

import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from .request_context import _current_ip, client_ip
from .second_factor import requires_second_factor


class SlidingSessionMiddleware:
    """The idle timeout slides with activity, without writing the session row on every request.

    A signed-in session is marked modified (so SessionMiddleware saves it, pushing its expiry
    SESSION_COOKIE_AGE ahead) only when its last refresh is older than SESSION_REFRESH_SECONDS.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current_ip.reset(token)


class LoginRequiredMiddleware:
    """Every page needs a signed-in user, except login, static files and the token API.

    API views answer 401/403 through DRF's own authentication, so /api/ is left to DRF.
    """

    OPEN_PREFIXES = ("/static/", "/api/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = request.user
        if user.is_authenticated and user.outside_authorisation:
            # A monitor whose authorisation ended (or was revoked) during the session: closed at once.
            from django.contrib import messages
            from django.contrib.auth import logout

            from .monitors import refused_sign_in_message

            logout(request)
            if path.startswith("/api/"):
                return JsonResponse({"detail": refused_sign_in_message()}, status=403)
            messages.error(request, refused_sign_in_message())
            return redirect_to_login(request.get_full_path())
        if user.is_authenticated and requires_second_factor(user) and not user.is_verified():
            return self._second_factor_gate(request, path)
        if user.is_authenticated or path.startswith(self.OPEN_PREFIXES) or path == reverse("accounts:login"):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path())

    def _second_factor_gate(self, request, path):
        """Signed in with a password only, on an account that needs a second factor."""
        # Only a first authenticator can be paired from here (second_factor.may_pair).
        allowed = (reverse("accounts:second_factor_setup"), reverse("accounts:second_factor_verify"),
                   reverse("accounts:logout"))
        if path in allowed or path.startswith(("/static/", "/i18n/", "/healthz")):
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Double authentification requise : validez votre code dans l'application.")},
                status=403,
            )
        return redirect(f"{reverse('accounts:second_factor_verify')}?next={request.get_full_path()}")


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """French unless the user chose English with the language switch (cookie).

    The browser's Accept-Language is ignored on the pages on purpose: many office computers run
    an English system, and staff must not get an English interface they did not ask for. An API
    client states its language deliberately, so the API honours Accept-Language (French when it
    names neither language).
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES) and request.path.startswith("/api/"):
            language = self._accepted(request)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def _accepted(request):
        for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
            code = code.split("-")[0].lower()
            if code in dict(settings.LANGUAGES):
                return code
        return None
