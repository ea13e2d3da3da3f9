"""Project-wide HTTP rules that belong to no app: no caching of personal data, and no JSON body
nested deeper than the API accepts (whatever parser a view chose)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse, UnreadablePostError
from django.utils.cache import patch_cache_control

from .parsers import json_too_deep, too_deep_message


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user (pages, API, exports,
    files) and on every API response (the token endpoint answers anonymous callers with a
    token). Static files are served before this runs (whitenoise) and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True)
            response.headers.pop("Expires", None)
        return response


class JsonDepthLimitMiddleware:
    """A JSON body nested deeper than API_JSON_MAX_DEPTH gets a 400 before any view parses it
    (Python's parser would raise RecursionError, a 500, at a few thousand levels). A compressed body
    (`Content-Encoding` other than identity: the exchange's push) cannot be measured here; the
    parser that accepts that encoding measures it once decompressed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        encoded = request.META.get("HTTP_CONTENT_ENCODING", "identity").strip().lower() not in ("", "identity")
        if "json" in content_type and not encoded and request.method in ("POST", "PUT", "PATCH", "DELETE"):
            try:
                body = request.body
            except (RequestDataTooBig, UnreadablePostError):  # the view's own handling decides
                body = None
            if body is not None:
                if json_too_deep(body, settings.API_JSON_MAX_DEPTH):
                    return JsonResponse({"detail": too_deep_message()}, status=400)
                request.json_depth_checked = True
        return self.get_response(request)
