"""Reads of the register of serious incidents and injuries, for its pages, its API and the
inspection view: one read service per record, audited; the medical details only for medical
staff (`accounts.need_to_know.can_read_injury_medical`, by role — never the superuser flag)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import need_to_know
from accounts.reads import open_record, record_read
from detention.models.incidents import InjuryMedicalDetail, SeriousIncident

NOT_FOUND = _("Aucun incident grave ne correspond.")


def incidents_of(actor, *, facility=None, start: datetime.date | None = None, end: datetime.date | None = None):
    """The register as the actor may see it (scoped), for one prison and a period of occurrence."""
    qs = (SeriousIncident.objects.visible_to(actor)
          .select_related("facility", "custody__inmate", "custody__facility", "recorded_by")
          .prefetch_related("involvements__custody__inmate")
          # Whether medical details exist (a fact, not their content): where health staff add them.
          .annotate(has_medical_detail=Exists(InjuryMedicalDetail.objects.filter(incident=OuterRef("pk")))))
    if facility is not None:
        qs = qs.filter(facility=facility)
    if start:
        qs = qs.filter(occurred_at__date__gte=start)
    if end:
        qs = qs.filter(occurred_at__date__lte=end)
    return qs


def register_rows(incidents, *, now=None):
    """Each incident with what is still owed and whether the authority was informed late."""
    now = now or timezone.now()
    return [{"incident": i, "missing": i.missing(now), "authority_late": i.authority_late(now)} for i in incidents]


def _person(record):
    return record.custody.inmate_id if record.custody_id else None


def open_incident(pk, *, actor) -> SeriousIncident:
    """One serious incident (facts, notices, inquiry — never the medical details), read and audited."""
    queryset = SeriousIncident.objects.visible_to(actor).select_related(
        "facility", "custody__inmate", "custody__facility", "recorded_by", "authority_informed_by", "kin_told_by")
    return open_record(queryset, pk, actor=actor, permission="detention.view_seriousincident", person=_person,
                       facility="facility_id", not_found=NOT_FOUND)


def may_read_medical(actor) -> bool:
    return need_to_know.can_read_injury_medical(actor)


def open_injury_medical_detail(incident, *, actor) -> InjuryMedicalDetail | None:
    """The medical details of an injury (medical staff only: 403 otherwise), read and audited;
    None when none is recorded. `incident` comes from `open_incident` (scoped)."""
    if not may_read_medical(actor):
        raise PermissionDenied(_("Les constats médicaux sont réservés au personnel de santé."))
    try:
        detail = InjuryMedicalDetail.objects.select_related("recorded_by").get(incident=incident)
    except InjuryMedicalDetail.DoesNotExist:
        return None
    record_read(actor, target=detail, inmate_id=_person(incident), facility_id=incident.facility_id)
    return detail


def medical_detail_or_404(pk, *, actor) -> InjuryMedicalDetail:
    detail = open_injury_medical_detail(open_incident(pk, actor=actor), actor=actor)
    if detail is None:
        raise Http404(_("Aucun constat médical n'est enregistré pour cet incident."))
    return detail
