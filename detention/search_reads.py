"""Reads of the searches register and of the use-of-force register: one audited read per record,
called by the page and the API alike; the lists' filters; the flags the inspection view shows.
Callers audit the lists they show (`accounts.reads.record_rows`)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.reads import open_record
from detention.models.searches import Search, SearchKind, UseOfForce
from detention.services import force as force_services
from inmates.reads import NOT_FOUND, PERSON_FIELDS


def _person(record):
    return record.custody.inmate_id if record.custody_id else None


def open_search(pk, *, actor) -> Search:
    """One search with its items, read and audited."""
    queryset = (Search.objects.visible_to(actor)
                .select_related("facility", "custody__inmate", "custody__facility", "unit", "searched_by",
                                "recorded_by").prefetch_related("items"))
    return open_record(queryset, pk, actor=actor, permission="detention.view_search", person=_person,
                       facility="facility_id", not_found=_("Aucune fouille ne correspond."))


def open_use_of_force(pk, *, actor) -> UseOfForce:
    """One use of force with its examination, report and review, read and audited."""
    queryset = (UseOfForce.objects.visible_to(actor)
                .select_related(*PERSON_FIELDS, "examined_by", "report_recorded_by", "reviewed_by", "recorded_by")
                .prefetch_related("staff"))
    return open_record(queryset, pk, actor=actor, permission="detention.view_useofforce",
                       person="custody.inmate_id", facility="facility_id", not_found=NOT_FOUND)


def _day(text):
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def search_filters(query) -> dict:
    """The list's filters (`nature`, `du`, `au`), ignored when not understood."""
    kind = query.get("nature", "")
    return {"kind": kind if kind in SearchKind.values else "", "start": _day(query.get("du")),
            "end": _day(query.get("au"))}


def filter_period(queryset, field, start, end):
    if start:
        queryset = queryset.filter(**{f"{field}__date__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__date__lte": end})
    return queryset


def search_rows(facility, *, actor, kind="", start=None, end=None):
    qs = (Search.objects.visible_to(actor).filter(facility=facility)
          .select_related("custody__inmate", "custody__facility", "unit", "searched_by").prefetch_related("items"))
    if kind:
        qs = qs.filter(kind=kind)
    return filter_period(qs, "searched_at", start, end)


def force_rows(facility, *, actor, start=None, end=None):
    qs = (UseOfForce.objects.visible_to(actor).filter(facility=facility)
          .select_related("custody__inmate", "custody__facility", "examined_by", "reviewed_by"))
    return filter_period(qs, "occurred_at", start, end)


def force_flags(force, *, now=None, limit=None) -> dict:
    now = now or timezone.now()
    limit = force_services.restraint_limit() if limit is None else limit
    return {"examination_overdue": force_services.examination_overdue(force, now),
            "report_late": force_services.report_late(force, now),
            "review_missing": force_services.review_missing(force, now, limit)}
