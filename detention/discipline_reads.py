"""Reads of the discipline and isolation registers for the register pages and the inspection view.

`isolation_rows(facility)`: each open placement with its consecutive days, alert (day 13) and
breach (beyond day 15), and the days without a medical visit. `register_summary(facility, start, end)`:
counts over a period and the overdue items. `isolation_reconciliation(facility)`: people in an
isolation unit without an open register entry, and open entries of people not in one.
Callers audit the list they show (`accounts.reads.record_rows`).
"""

import datetime

from django.utils import timezone

from detention.models.discipline import (
    DisciplinaryCharge,
    DisciplineLimit,
    DisciplineLimitKey,
    IsolationPlacement,
)
from inmates.models import Placement
from prisons.models import UnitKind


def isolation_days(placement, on: datetime.date) -> int:
    """Consecutive days in isolation, counting the first day as day 1."""
    start = timezone.localtime(placement.started_at).date()
    end = timezone.localtime(placement.ended_at).date() if placement.ended_at else on
    return (end - start).days + 1


def missing_visit_days(placement, on: datetime.date) -> list[datetime.date]:
    """Days of the placement (up to `on`, today included only once it is over) without a visit."""
    start = timezone.localtime(placement.started_at).date()
    last = timezone.localtime(placement.ended_at).date() if placement.ended_at else on - datetime.timedelta(days=1)
    visited = {timezone.localtime(v.visited_at).date() for v in placement.visits.all()}
    days, day = [], start
    while day <= last:
        if day not in visited:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def isolation_rows(facility, *, on=None, open_only=True):
    on = on or timezone.localdate()
    limit = DisciplineLimit.value_of(DisciplineLimitKey.ISOLATION_MAX_DAYS)
    alert = DisciplineLimit.value_of(DisciplineLimitKey.ISOLATION_ALERT_DAY)
    qs = (IsolationPlacement.objects.filter(facility=facility)
          .select_related("custody__inmate", "custody__facility", "unit", "decided_by")
          .prefetch_related("visits"))
    if open_only:
        qs = qs.open()
    rows = []
    for placement in qs:
        days = isolation_days(placement, on)
        rows.append({"placement": placement, "days": days, "alert": days >= alert, "breach": days > limit,
                     "missing_visits": missing_visit_days(placement, on)})
    return rows


def isolation_reconciliation(facility):
    """(in a unit without an entry, an open entry without the unit): custody lists."""
    in_units = set(Placement.objects.current().filter(unit__facility=facility, unit__kind=UnitKind.ISOLATION)
                   .values_list("custody_id", flat=True))
    open_entries = set(IsolationPlacement.objects.open().filter(facility=facility).values_list("custody_id", flat=True))
    has_units = facility.units.filter(kind=UnitKind.ISOLATION, is_active=True).exists()
    return {"without_entry": sorted(in_units - open_entries),
            "not_in_unit": sorted(open_entries - in_units) if has_units else []}


def register_summary(facility, *, start: datetime.date, end: datetime.date, on=None) -> dict:
    """Counts over [start, end] and the overdue items, for the inspection view (issue 14 item 6)."""
    charges = DisciplinaryCharge.objects.filter(incident__facility=facility,
                                                incident__occurred_at__date__range=(start, end))
    placements = IsolationPlacement.objects.filter(facility=facility, started_at__date__range=(start, end))
    rows = isolation_rows(facility, on=on)
    return {
        "incidents": charges.values("incident").distinct().count(),
        "charges": charges.count(),
        "sanctions": charges.filter(sanction__isnull=False).count(),
        "appeals": charges.filter(appeal_lodged_at__isnull=False).count(),
        "pending_decisions": DisciplinaryCharge.objects.filter(incident__facility=facility,
                                                                decided_at__isnull=True).count(),
        "isolations": placements.count(),
        "isolations_open": len(rows),
        "isolation_alerts": sum(1 for r in rows if r["alert"] and not r["breach"]),
        "isolation_breaches": sum(1 for r in rows if r["breach"]),
        "isolation_missing_visits": sum(len(r["missing_visits"]) for r in rows),
        "reconciliation": isolation_reconciliation(facility),
    }


def open_disciplinary_charge(pk, *, actor):
    """One disciplinary charge (incident, notification, hearing, decision, appeal), read and audited."""
    from django.utils.translation import gettext as _

    from accounts.reads import open_record
    from inmates.reads import PERSON_FIELDS

    queryset = DisciplinaryCharge.objects.visible_to(actor).select_related(
        *PERSON_FIELDS, "incident", "sanction", "notified_by", "heard_by", "decided_by")
    return open_record(queryset, pk, actor=actor, permission="detention.view_disciplinarycharge",
                       person="custody.inmate_id", facility="incident.facility_id",
                       not_found=_("Aucune poursuite disciplinaire ne correspond."))


def open_isolation(pk, *, actor):
    """One placement in isolation with its visits, read and audited."""
    from accounts.reads import open_record
    from inmates.reads import NOT_FOUND, PERSON_FIELDS

    queryset = IsolationPlacement.objects.visible_to(actor).select_related(*PERSON_FIELDS, "unit", "decided_by")
    return open_record(queryset, pk, actor=actor, permission="detention.view_isolationplacement",
                       person="custody.inmate_id", facility="facility_id", not_found=NOT_FOUND)
