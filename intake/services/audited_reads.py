"""Audited reads of an intake's medical examination, interview and stored files."""


from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import need_to_know
from accounts.models import AuditAction
from accounts.services import record_audit
from intake.models import (
    AdministrationRecord,
    Fingerprint,
    Intake,
    InterviewRecord,
    MedicalExamination,
)

# --- Reads that are audited ------------------------------------------------------------

def read_medical_examination(intake: Intake, *, actor) -> MedicalExamination | None:
    """The medical details, for medical staff only (Rule 9 / STYLE "Access in one place")."""
    if not need_to_know.can_read_medical(actor):
        raise PermissionDenied(_("Seul le personnel médical consulte le détail médical."))
    exam = MedicalExamination.objects.filter(intake=intake).first()
    if exam is not None:
        record_audit(AuditAction.VIEW_MEDICAL, actor=actor, target=exam, inmate_id=intake.inmate_id,
                     facility_id=intake.facility_id)
    return exam


def read_interview(intake: Intake, *, actor) -> InterviewRecord | None:
    """The social investigation report, for the social service and the direction; audited."""
    if not need_to_know.can_read_social_report(actor):
        raise PermissionDenied(_("Le rapport d'enquête sociale est réservé au service social et à "
                                 "la direction."))
    record = InterviewRecord.objects.filter(intake=intake).first()
    if record is not None:
        record_audit(AuditAction.VIEW, actor=actor, target=record, inmate_id=intake.inmate_id,
                     facility_id=intake.facility_id)
    return record


FILE_KINDS = ("photo", "warrant", "fingerprint")


def open_intake_file(intake: Intake, kind: str, *, actor, item_id=None):
    """A stored upload of this intake (photo, warrant scan, fingerprint), after an access check;
    the read is audited. Http404 when there is no such file."""
    if kind == "fingerprint":
        fingerprint = Fingerprint.objects.filter(intake=intake, pk=item_id).exclude(image="").first()
        field, target = (fingerprint.image, fingerprint) if fingerprint else (None, None)
    elif kind in ("photo", "warrant"):
        record = AdministrationRecord.objects.filter(intake=intake).first()
        field = (record.photo if kind == "photo" else record.warrant_scan) if record else None
        target = record
    else:
        field = target = None
    if not field:
        raise Http404(_("Aucun fichier."))
    record_audit(AuditAction.VIEW, actor=actor, target=target, inmate_id=intake.inmate_id,
                 facility_id=intake.facility_id, changes={"file": [None, kind]})
    return field
