"""The register of persons deprived of liberty of one prison (ICPPED art. 17(3); Mandela Rule 7).

For every person held at the end of a day (intake included: they are deprived of liberty too),
and every person who left that day: identity, when and by whom they were arrested, the
authority that ordered the detention and its grounds, the whole chain of earlier custody,
where they are held, their legal status; for those who left, when and why. A fixed number of
queries whatever the size of the prison. Read through `oversight.access.read_report` (audited).
"""

import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inmates.models import Custody, Placement, PriorCustody

from .reports import day_bounds


def _row(custody, units):
    inmate = custody.inmate
    priors = list(custody.prior_custodies.all())  # prefetched
    return {
        "custody_id": custody.pk, "inmate_id": inmate.pk, "prisoner_number": inmate.prisoner_number or "",
        "name": f"{inmate.last_name.upper()} {inmate.first_name}", "sex": inmate.sex,
        "birth": inmate.date_of_birth.isoformat() if inmate.date_of_birth else (
            str(inmate.birth_year) if inmate.birth_year else ""),
        "legal_status": custody.legal_status, "legal_status_label": str(custody.get_legal_status_display()),
        "terrorism_related": custody.terrorism_related,
        "status": custody.status, "status_label": str(custody.get_status_display()),
        "arresting_force": str(custody.get_arresting_force_display() or ""),
        "arresting_unit": custody.arresting_unit, "arrested_at": custody.arrested_at,
        "arrest_place": custody.arrest_place,
        "deprived_since": custody.first_custody_at(),
        "prior_custody": [{"kind": str(p.get_kind_display()), "place": p.place, "authority": p.authority,
                           "started_at": p.started_at, "ended_at": p.ended_at} for p in priors],
        "admitted_at": custody.admitted_at,
        "committing_authority": custody.committing_authority, "grounds": custody.grounds,
        "unit": units.get(custody.pk, ""),
        "released_at": custody.released_at,
        "release_reason": str(custody.get_release_reason_display() or "") if custody.released_at else "",
    }


def custody_register(facility, *, day: datetime.date | None = None) -> dict:
    """Who is deprived of liberty in `facility` at the end of `day`, and who left that day."""
    day = day or timezone.localdate()
    start, end = day_bounds(day)
    here = Custody.objects.filter(facility=facility, admitted_at__lt=end)
    held = Q(released_at__isnull=True) | Q(released_at__gte=end)
    left = Q(released_at__gte=start, released_at__lt=end)
    custodies = list(
        here.filter(held | left).select_related("inmate")
        .prefetch_related(Prefetch("prior_custodies", queryset=PriorCustody.objects.order_by("started_at", "pk")))
        .order_by("inmate__last_name", "inmate__first_name", "pk")
    )
    at_end = Q(started_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=end))
    units = dict(Placement.objects.filter(at_end, custody__in=[c.pk for c in custodies])
                 .values_list("custody_id", "unit__name"))
    present, left_today = [], []
    for custody in custodies:
        row = _row(custody, units)
        (present if row["released_at"] is None or row["released_at"] >= end else left_today).append(row)
    return {
        "facility": {"id": facility.pk, "code": facility.code, "name": facility.name},
        "day": day, "count": len(present), "people": present,
        "left": left_today,
        "missing": {
            "authority": sum(1 for r in present if not r["committing_authority"].strip()),
            "grounds": sum(1 for r in present if not r["grounds"].strip()),
            "arrest": sum(1 for r in present if r["arrested_at"] is None),
        },
        "note": _("Registre tenu d'après les dossiers : chaque ligne vient du séjour de la personne "
                  "(arrestation, chaîne de détention, titre et autorité, placement)."),
    }
