"""The clock rule: a recorded moment may not be in the future, allowing five minutes of
skew between the clerk's watch and the server."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

CLOCK_SKEW = datetime.timedelta(minutes=5)


def latest_allowed():
    """The latest moment a record may carry: now plus the allowed skew."""
    return timezone.now() + CLOCK_SKEW


def is_future(at) -> bool:
    return at is not None and at > latest_allowed()


def moment(at=None, field="at"):
    """`at` or now; a moment in the future is refused under `field`."""
    now = timezone.now()
    at = at or now
    if at > now + CLOCK_SKEW:
        raise ValidationError({field: _("La date et l'heure sont dans le futur.")})
    return at
