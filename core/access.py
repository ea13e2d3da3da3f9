"""Facility scoping and the facility-access guard: one rule for every app.

Pages and the API scope what a user sees with `.visible_to(user)` (a record of another
prison is a 404). Services check again, with `require_serves`, the facility they are about
to act in (a 403): the guard lives in the service, so every door gets it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _


def facility_scope(user, *fields):
    """Q matching rows whose `fields` point at one of the user's facilities (None: all)."""
    ids = user.visible_facility_ids()
    if ids is None:
        return None
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__in": ids})
    return query


def serves(actor, *facility_ids) -> bool:
    """True when `actor` serves at least one of `facility_ids` (national staff serve all)."""
    ids = actor.visible_facility_ids()
    return ids is None or any(fid in ids for fid in facility_ids)


def require_serves(actor, *facility_ids, message=None):
    """Refuse (403) an actor who serves none of `facility_ids`."""
    if not serves(actor, *facility_ids):
        raise PermissionDenied(message or _("Vous n'êtes pas affecté(e) à cet établissement."))
