"""Requests and complaints (Rules 56–57): an allegation of ill-treatment is escalated at once."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import direction_and_dnapes_emails, record_audit
from core.access import require_serves, serves
from core.clock import moment
from detention.models import (
    ALLEGATION_ANSWER_DAYS,
    COMPLAINT_ANSWER_DAYS,
    Complaint,
    ComplaintStatus,
)
from inmates.services import lock_custody


def notify_allegation(complaint_id: int) -> int:
    """E-mail the prison's direction and DNAPES that an allegation was registered. The message
    names no one and holds no details: they are read in the register, by those entitled."""
    complaint = Complaint.objects.select_related("facility").get(pk=complaint_id)
    recipients = direction_and_dnapes_emails(complaint.facility)
    if not recipients:
        return 0
    subject = _("[DNAPES] Allégation de torture ou de mauvais traitements — %(f)s") % {
        "f": complaint.facility.name}
    body = _(
        "Une allégation de torture ou de mauvais traitements a été enregistrée le %(day)s "
        "à %(facility)s (plainte n° %(id)s).\n\n"
        "Elle doit être transmise sans délai à une autorité compétente (Règle Nelson Mandela 57).\n"
        "Consultez-la dans le registre des plaintes : %(path)s\n"
    ) % {"day": timezone.localtime(complaint.received_at).strftime("%d/%m/%Y %H:%M"),
         "facility": complaint.facility.name, "id": complaint.pk,
         "path": reverse("life:complaint_detail", args=[complaint.pk])}
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _replayed_complaint(custody, *, actor, request_key: str):
    """The complaint `actor` already registered with `request_key` (marked `is_replay`), if any."""
    if not request_key:
        return None
    first = Complaint.objects.filter(recorded_by=actor, request_key=request_key).first()
    if first is None:
        return None
    if first.custody_id != custody.pk:
        raise ValidationError({"request_key": _(
            "Cette clé de requête a déjà servi pour une autre plainte : choisissez-en une nouvelle.")})
    first.is_replay = True
    return first


@transaction.atomic
def register_complaint(custody, *, complainant_kind: str, channel: str, subject: str, details: str, actor,
                       complainant_name: str = "", is_confidential: bool = False, is_allegation: bool = False,
                       addressed_to=None, received_at=None, due_on=None, request_key: str = "") -> Complaint:
    """Enter a request or complaint in the register (Rule 56). An allegation of torture or
    ill-treatment is escalated at once: the director and DNAPES are e-mailed on commit (Rule 57).
    With a `request_key`, a retry by the same author returns the first complaint (`is_replay`)
    and writes nothing."""
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    replayed = _replayed_complaint(custody, actor=actor, request_key=request_key)
    if replayed is not None:
        return replayed
    received_at = moment(received_at, "received_at")
    if due_on is None:
        days = ALLEGATION_ANSWER_DAYS if is_allegation else COMPLAINT_ANSWER_DAYS
        due_on = timezone.localtime(received_at).date() + datetime.timedelta(days=days)
    if addressed_to is not None:
        if not addressed_to.is_active or not serves(addressed_to, custody.facility_id):
            raise ValidationError({"addressed_to": _("Ce destinataire ne sert pas dans cet établissement.")})
    complaint = Complaint(
        facility=custody.facility, custody=custody, complainant_kind=complainant_kind,
        complainant_name=complainant_name.strip(), channel=channel, subject=subject.strip(), details=details,
        is_confidential=is_confidential, is_allegation=is_allegation, addressed_to=addressed_to,
        received_at=received_at, due_on=due_on, recorded_by=actor, request_key=request_key,
        escalated_at=timezone.now() if is_allegation else None,
    )
    complaint.full_clean()
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError:
        # The same key, at the same moment, for another detainee (whose row this one did not lock).
        replayed = _replayed_complaint(custody, actor=actor, request_key=request_key)
        if replayed is None:
            raise
        return replayed
    # The audit trail keeps the facts, not the content: a confidential complaint stays so.
    record_audit(AuditAction.CREATE, target=complaint, actor=actor, inmate_id=custody.inmate_id, facility_id=custody.facility_id,
           changes={"is_allegation": [None, is_allegation], "is_confidential": [None, is_confidential],
                    "due_on": [None, str(due_on)]})
    if is_allegation:
        transaction.on_commit(lambda: notify_allegation(complaint.pk))
    return complaint


def _lock_complaint(complaint, actor) -> Complaint:
    locked = Complaint.objects.select_for_update(of=("self",)).select_related("custody").get(pk=complaint.pk)
    require_serves(actor, locked.facility_id)
    if not (actor.has_perm("detention.change_complaint") or locked.addressed_to_id == actor.pk):
        raise PermissionDenied(_("Seuls la direction et le destinataire traitent cette plainte."))
    return locked


@transaction.atomic
def answer_complaint(complaint, *, answer: str, actor, at=None) -> Complaint:
    """Record the answer given to the complainant."""
    complaint = _lock_complaint(complaint, actor)
    if complaint.status != ComplaintStatus.OPEN:
        raise ValidationError(_("Cette plainte a déjà reçu une réponse."))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Rédigez la réponse.")})
    at = moment(at)
    complaint.status, complaint.answer, complaint.answered_at, complaint.answered_by = (
        ComplaintStatus.ANSWERED, answer.strip(), at, actor)
    complaint.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    record_audit(AuditAction.UPDATE, target=complaint, actor=actor, inmate_id=complaint.custody.inmate_id,
           facility_id=complaint.facility_id, changes={"status": [ComplaintStatus.OPEN, ComplaintStatus.ANSWERED]})
    return complaint


@transaction.atomic
def refer_complaint(complaint, *, authority: str, reference: str = "", actor, at=None) -> Complaint:
    """Record the referral of a complaint to a competent authority (prosecutor, judge, inspection)."""
    complaint = _lock_complaint(complaint, actor)
    if complaint.status == ComplaintStatus.CLOSED:
        raise ValidationError(_("Cette plainte est close."))
    if complaint.referred_at:
        raise ValidationError(_("La transmission de cette plainte est déjà enregistrée."))
    if not (authority or "").strip():
        raise ValidationError({"authority": _("Indiquez l'autorité saisie.")})
    complaint.referral_authority, complaint.referral_reference = authority.strip(), reference.strip()
    complaint.referred_at, complaint.referred_by = moment(at), actor
    complaint.save(update_fields=["referral_authority", "referral_reference", "referred_at", "referred_by"])
    record_audit(AuditAction.UPDATE, target=complaint, actor=actor, inmate_id=complaint.custody.inmate_id,
           facility_id=complaint.facility_id, changes={"referral_authority": [None, complaint.referral_authority]})
    return complaint


@transaction.atomic
def close_complaint(complaint, *, actor, at=None) -> Complaint:
    """Close an answered complaint. An allegation of torture or ill-treatment cannot be closed
    until its referral to a competent authority is recorded (Rule 57(3))."""
    complaint = _lock_complaint(complaint, actor)
    if complaint.status == ComplaintStatus.CLOSED:
        raise ValidationError(_("Cette plainte est déjà close."))
    if complaint.status != ComplaintStatus.ANSWERED:
        raise ValidationError(_("Une plainte se clôt après avoir reçu une réponse."))
    if complaint.is_allegation and not complaint.referred_at:
        raise ValidationError(_("Une allégation de torture ou de mauvais traitements ne peut être close "
                                "sans transmission enregistrée à une autorité compétente (Règle 57)."))
    complaint.status, complaint.closed_at, complaint.closed_by = ComplaintStatus.CLOSED, moment(at), actor
    complaint.save(update_fields=["status", "closed_at", "closed_by"])
    record_audit(AuditAction.UPDATE, target=complaint, actor=actor, inmate_id=complaint.custody.inmate_id,
           facility_id=complaint.facility_id, changes={"status": [ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED]})
    return complaint
