"""One register line written through the product's services, as an arrival would be: the person
(inmates.services.create_inmate, audited; a number from the register or the prison's counter), the
stay (admit_to_custody), the case with its charge (casework.services.open_case), the detention
order (record_detention_order: its deadline alerts are re-evaluated on commit), the admission
completed when a title is on file (complete_admission), the unit (place_in_unit), then the imported
record with its provenance, "to be verified". A corrected line goes through the correction services
(update_inmate, update_custody, update_case) with the correcting job as the reason, and returns to
the verification queue. The new lines of a chunk are written together by registers.bulk (the same
rules, one INSERT per model); a line whose order is a police-custody extension comes here, to the
services one by one. Called inside django-import-export's transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from casework import services as casework_services
from casework.models import Case, ChargeStatus
from inmates import services as inmate_services
from inmates.models import Custody, CustodyStatus
from inmates.services import format_prisoner_number

from .models import ImportedRecord, RecordStatus, Reliability, Source

RELIABILITY_OF = {Source.REGISTER: Reliability.REGISTER, Source.ORAL: Reliability.ORAL,
                  Source.NO_FILE: Reliability.NO_FILE}


def admitted_at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def identity_fields(record):
    return {"last_name": record.last_name, "first_name": record.first_name, "father_name": record.father_name,
            "mother_name": record.mother_name, "sex": record.sex, "date_of_birth": record.birth_date,
            "birth_year": record.birth_date.year if record.birth_date else record.birth_year,
            "birth_year_margin": 0 if record.birth_date else 2, "region_of_origin": record.region}


def import_reason(job):
    return _("Reprise du registre papier (import n° %(job)s)") % {"job": job.pk}


def write_new_line(record: ImportedRecord, *, job, row_number, actor) -> ImportedRecord:
    facility = job.facility
    number = (format_prisoner_number(facility.code, record.admitted_on.year, int(record.register_number))
              if record.register_number else "")
    inmate = inmate_services.create_inmate(actor=actor, prisoner_number=number, **identity_fields(record))
    if not number:
        inmate_services.allocate_prisoner_number(inmate, facility=facility, actor=actor)
    custody = inmate_services.admit_to_custody(inmate, facility=facility, admitted_at=admitted_at(record.admitted_on),
                                               actor=actor, committing_authority=record.order_issued_by[:160])
    case = None
    if record.case_number:
        charges = ([{"offence": record.offence, "legal_class": record.legal_class, "status": ChargeStatus.CURRENT}]
                   if record.offence else [])
        case = casework_services.open_case(custody, actor=actor, court=record.court, case_number=record.case_number,
                                           charges=charges)
        if record.order_kind:
            casework_services.record_detention_order(
                case, actor=actor, kind=record.order_kind, reference=record.order_reference,
                issued_on=record.order_issued_on, issued_by=record.order_issued_by,
                valid_until=record.order_valid_until)
        _keep_register_status(record, custody, case, actor=actor)
        try:
            custody = inmate_services.complete_admission(custody, actor=actor)
        except ValidationError:
            pass  # no title on file: the stay stays "being committed" (on the roll), as at the gate
    if record.unit:
        inmate_services.place_in_unit(custody, unit=record.unit, actor=actor, at=custody.admitted_at,
                                      reason=import_reason(job), override_reason=_("Placement porté au registre papier"))
    record.job, record.row_number, record.facility, record.imported_by = job, row_number, facility, actor
    record.inmate, record.custody, record.case = inmate, custody, case
    record.reliability = RELIABILITY_OF.get(record.origin, Reliability.REGISTER)
    record.full_clean(validate_constraints=False)
    record.save(force_insert=True)
    record_audit(AuditAction.CREATE, actor=actor, target=record, inmate_id=inmate.pk, facility_id=facility.pk,
                 reason=import_reason(job), changes={"source": str(record.source), "import": job.pk,
                                               "ligne du fichier": row_number})
    return record


def _keep_register_status(record, custody, case, *, actor):
    """A register that says "convicted" without the judgment in the file: the register's status is kept on
    the case and the stay (the judgment is to be entered), and the audit says so."""
    if not record.legal_status or record.legal_status == custody.legal_status:
        return
    if record.legal_status in ("convicted", "appeal"):
        Case.objects.filter(pk=case.pk).update(legal_status=record.legal_status)
        Custody.objects.filter(pk=custody.pk).update(legal_status=record.legal_status)
        old, custody.legal_status = custody.legal_status, record.legal_status
        record_audit(AuditAction.UPDATE, actor=actor, target=custody, inmate_id=custody.inmate_id,
                     facility_id=custody.facility_id, changes={"legal_status": [old, record.legal_status]},
                     reason=_("Statut porté au registre papier ; jugement à saisir"))


CUSTODY_FIELDS = {"admitted_on": "admitted_at", "order_issued_by": "committing_authority"}
CASE_FIELDS = {"case_number": "case_number", "court": "court"}


def write_corrected_line(record: ImportedRecord, *, job, actor) -> ImportedRecord:
    """A line already imported whose corrected file differs: the person, stay and case corrected through
    their services (with the reason), the record's transcription updated and sent back to verification."""
    before = ImportedRecord.objects.select_related("inmate", "custody", "case").get(pk=record.pk)
    reason = _("Correction du registre papier (import n° %(job)s)") % {"job": job.pk}
    identity = {k: v for k, v in identity_fields(record).items() if getattr(before.inmate, k) != v}
    if identity:
        inmate_services.update_inmate(before.inmate, actor=actor, reason=reason, **identity)
    stay = {}
    if record.admitted_on != before.admitted_on:
        stay["admitted_at"] = admitted_at(record.admitted_on)
    if record.order_issued_by != before.order_issued_by:
        stay["committing_authority"] = record.order_issued_by[:160]
    if stay and before.custody.status != CustodyStatus.RELEASED:
        inmate_services.update_custody(before.custody, actor=actor, reason=reason, **stay)
    if before.case_id:
        case = {target: getattr(record, name) for name, target in CASE_FIELDS.items()
                if getattr(record, name) != getattr(before, name) and getattr(record, name)}
        if case:
            casework_services.update_case(before.case, actor=actor, reason=reason, **case)
    changed = {name: [str(getattr(before, name) or ""), str(getattr(record, name) or "")]
               for name in ("last_name", "first_name", "sex", "birth_date", "birth_year", "admitted_on", "case_number",
                            "court", "offence", "order_kind", "order_reference", "order_issued_on", "unit")
               if getattr(before, name) != getattr(record, name)}
    record.corrected_by_job = job
    record.status, record.verified_by, record.verified_at = RecordStatus.TO_VERIFY, None, None
    record.reliability = RELIABILITY_OF.get(record.origin, Reliability.REGISTER)
    record.full_clean(validate_constraints=False)
    record.save()
    record_audit(AuditAction.UPDATE, actor=actor, target=record, inmate_id=record.inmate_id,
                 facility_id=record.facility_id, changes=changed, reason=reason)
    return record
