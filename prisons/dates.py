"""The plausible range of a date in a legal record, in one place (the models' field validators;
their `clean()` keeps only the rules between two dates of a record).

A date typed into a register (arrest, admission, detention order, hearing, judgment, release
order, birth…) is either an event that has happened — not before 1900, not in the future — or
one that is scheduled — not before 1900, and not further ahead than `MAX_YEARS_AHEAD` years:
the longest pre-trial detention is 36 months (LAW.md, art. 135) and a hearing is set months,
not decades, ahead. Year 1, 1899 or 9999 is a typing error, refused with a French message.

These are model field validators: `full_clean()` in every service, the ModelForms and the
ModelSerializers all run them, so the pages and the API refuse the same dates. This module
sits in `prisons`, the lowest app both `inmates` and `casework` import, and knows nothing of
either.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.clock import latest_allowed

EARLIEST = datetime.date(1900, 1, 1)
MAX_YEARS_AHEAD = 5
# A clock a few minutes fast (a clerk's computer, a phone) must not refuse "now": core.clock.


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _years_ahead(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _not_before_earliest(value):
    if _as_date(value) < EARLIEST:
        raise ValidationError(
            _("Date invraisemblable : elle doit être postérieure au 1er janvier 1900."),
            code="date_too_early")


def _in_the_future(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value > latest_allowed()
    # A date is the future after the day of the latest moment allowed: at 23:58 in Bamako, a
    # watch five minutes fast is already tomorrow, and so is the date its owner writes.
    return value > timezone.localdate(latest_allowed())


def validate_past_date(value):
    """An event that has happened: between 1 January 1900 and now."""
    if value is None:
        return
    _not_before_earliest(value)
    if _in_the_future(value):
        raise ValidationError(_("La date est dans le futur : indiquez la date à laquelle l'événement a eu lieu."),
                              code="date_in_future")


def validate_birth_date(value):
    """A date of birth: between 1 January 1900 and today."""
    if value is None:
        return
    _not_before_earliest(value)
    if _in_the_future(value):
        raise ValidationError(_("La date de naissance est dans le futur."), code="date_in_future")


def validate_scheduled_date(value):
    """A date set ahead (hearing, end of validity, review): from 1900 to `MAX_YEARS_AHEAD` years
    from today."""
    if value is None:
        return
    _not_before_earliest(value)
    latest = _years_ahead(timezone.localdate(), MAX_YEARS_AHEAD)
    if _as_date(value) > latest:
        raise ValidationError(
            _("Date invraisemblable : elle ne peut pas dépasser de plus de %(years)d ans la date du jour "
              "(au plus tard le %(latest)s)."),
            code="date_too_late", params={"years": MAX_YEARS_AHEAD, "latest": latest.strftime("%d/%m/%Y")})
