"""Lockout on both doors (login page, API token), per username *and* per address.

django-axes counts failures per (username, address) and per address (AXES_LOCKOUT_PARAMETERS);
its single failure limit is compared with the larger count, which is always the address's. So
the limit is computed here: an address is locked after AXES_IP_FAILURE_LIMIT failures whatever
the usernames (one address spraying many names), a username from that address after
AXES_USER_FAILURE_LIMIT.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _failures(**filters) -> int:
    return AccessAttempt.objects.filter(**filters).aggregate(n=Sum("failures_since_start"))["n"] or 0


def _recent(request):
    filters = {"ip_address": getattr(request, "axes_ip_address", None)}
    if settings.AXES_COOLOFF_TIME:
        filters["attempt_time__gte"] = get_cool_off_threshold(request)
    return filters


def failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT: the address's own limit, or its current count (so: locked) once this
    username has failed AXES_USER_FAILURE_LIMIT times from this address."""
    filters = _recent(request)
    username = get_client_username(request, credentials)
    if username is not None and _failures(username=username, **filters) >= settings.AXES_USER_FAILURE_LIMIT:
        return min(settings.AXES_USER_FAILURE_LIMIT, _failures(**filters))
    return settings.AXES_IP_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """A successful sign-in forgets that username's failures from the address, not the other
    usernames' (otherwise one valid account would reset the address's count of a spray)."""

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username,
                                                ip_address=request.axes_ip_address).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """429: JSON for the API, the French page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _(
            "Trop de tentatives de connexion ont échoué : accès bloqué pendant 30 minutes pour cet "
            "identifiant ou depuis cette adresse.")}, status=429)
    return render(request, "accounts/locked.html", status=429)
