"""The exchange's link in the header, on a prison's server and the national server."""

from django.conf import settings


def exchange(request):
    if settings.SITE_MODE == "single" or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    from .views import may_view

    return {"sync_link": may_view(request.user), "site_mode": settings.SITE_MODE}
