"""Aggregates over placements for the pages (counted in the database, one query)."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from prisons.figures import legal_status_labels, terrorism_annotations, terrorism_by_status
from prisons.models import Unit

from .models import (
    UNTRIED_STATUSES,
)


def separation_rows(facility, *, on=None):
    """Units of `facility` with their current occupants counted by category, in one query."""
    day = on or timezone.localdate()
    try:
        cutoff = day.replace(year=day.year - 18)
    except ValueError:  # 29 February
        cutoff = day.replace(year=day.year - 18, day=28)
    here = Q(placements__ended_at__isnull=True)
    person = "placements__custody__inmate__"
    minor = Q(**{f"{person}date_of_birth__gt": cutoff}) | Q(
        **{f"{person}date_of_birth__isnull": True, f"{person}birth_year__gt": day.year - 18})
    adult = Q(**{f"{person}date_of_birth__lte": cutoff}) | Q(
        **{f"{person}date_of_birth__isnull": True, f"{person}birth_year__lte": day.year - 18})
    untried = Q(placements__custody__legal_status__in=UNTRIED_STATUSES)
    terror = Q(placements__custody__terrorism_related=True)
    units = (
        Unit.objects.filter(facility=facility)
        .annotate(
            occupants=Count("placements", filter=here),
            men=Count("placements", filter=here & Q(**{f"{person}sex": "M"})),
            women=Count("placements", filter=here & Q(**{f"{person}sex": "F"})),
            untried=Count("placements", filter=here & untried),
            convicted=Count("placements", filter=here & ~untried),
            minors=Count("placements", filter=here & minor),
            adults=Count("placements", filter=here & adult),
            terrorism=Count("placements", filter=here & terror),
            general=Count("placements", filter=here & ~terror),
            **terrorism_annotations("placements", "placements__custody__", here),
        )
        .filter(occupants__gt=0)
        .order_by("code")
    )
    rows, labels = [], legal_status_labels()
    for unit in units:
        mixes = []
        if unit.men and unit.women:
            mixes.append(_("hommes et femmes"))
        if unit.untried and unit.convicted:
            mixes.append(_("prévenus et condamnés"))
        if unit.minors and unit.adults:
            mixes.append(_("mineurs et majeurs"))
        if unit.terrorism and unit.general:
            mixes.append(_("affaires de terrorisme et population générale"))
        rows.append({"unit": unit, "mixes": mixes, "terrorism_split": terrorism_by_status(unit, labels)})
    return rows
