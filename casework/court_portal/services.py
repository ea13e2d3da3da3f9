"""The court portal (issue 14, item 8): the court-side half of the arrest-to-detention chain.

An investigating judge or a prosecutor (`Role.MAGISTRATE`, with a `MagistrateProfile`: court and
cabinet) sees the detainees of their own cases only (`Case.objects.of_magistrate`), their
deadlines, alerts and art. 129 notices; acknowledges a notice (recorded, shown to the prison on
the alert); and sends a renewal or a release order (a PDF and its data). The order has no effect
until a clerk of the prison confirms it against the paper original (four eyes): it then becomes a
detention order or a release order through casework's own services; or the clerk rejects it with
a reason. Nothing else of the file reaches the magistrate (no medical, social, property, visits
or intake sheet): their account serves no prison, so every other page and list is empty to them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.reads import open_record
from accounts.services import record_audit
from casework.deadlines import alerts as alert_services
from casework.models import (
    Case,
    CourtSubmission,
    DeadlineAlert,
    DetentionOrder,
    MagistrateProfile,
    NoticeAcknowledgement,
    SubmissionKind,
    SubmissionStatus,
)
from casework.releases import services as releases
from casework.services import renew_detention_order
from core.access import require_serves
from inmates.models import Custody

MAX_ORDER_MB = 10


@transaction.atomic
def set_magistrate_profile(user, *, actor, function: str, court, cabinet: str = "") -> MagistrateProfile:
    """Link a magistrate's account to their court and cabinet (system administrators); audited."""
    from accounts.roles import Role

    if not (actor.is_authenticated and actor.is_active and actor.has_role(Role.ADMIN)):
        raise PermissionDenied(_("Seuls les administrateurs système rattachent un magistrat à son cabinet."))
    if not user.is_magistrate:
        raise ValidationError({"user": _("Ce compte n'a pas le rôle de magistrat.")})
    profile = MagistrateProfile.objects.select_for_update().filter(user=user).first()
    old = {"function": profile.function, "court": profile.court_id, "cabinet": profile.cabinet} if profile else {}
    profile = profile or MagistrateProfile(user=user)
    profile.function, profile.court, profile.cabinet = function, court, (cabinet or "").strip()
    profile.full_clean()
    profile.save()
    new = {"function": profile.function, "court": profile.court_id, "cabinet": profile.cabinet}
    record_audit(AuditAction.UPDATE if old else AuditAction.CREATE, actor=actor, target=profile,
                 changes={k: [old.get(k), v] for k, v in new.items() if old.get(k) != v})
    return profile


def require_magistrate(actor):
    if not (actor.is_authenticated and actor.is_active and actor.is_magistrate
            and actor.has_perm("casework.use_court_portal") and hasattr(actor, "magistrate_profile")):
        raise PermissionDenied(_("Seuls les magistrats, pour leurs propres affaires, utilisent ce portail."))


def _require_own_case(actor, case_id):
    require_magistrate(actor)
    if not Case.objects.of_magistrate(actor).filter(pk=case_id).exists():
        raise PermissionDenied(_("Cette affaire n'est pas celle de votre cabinet."))


def cases_for(user):
    """The magistrate's cases, with what the portal shows of them."""
    return (Case.objects.of_magistrate(user)
            .select_related("court", "custody__inmate", "custody__facility", "deadline")
            .order_by("custody__inmate__last_name", "pk"))


def open_court_case(pk, *, actor) -> Case:
    """One of the magistrate's cases, read and audited (another cabinet's case: 404)."""
    require_magistrate(actor)
    return open_record(cases_for(actor), pk, actor=actor, permission="casework.use_court_portal",
                       person="custody.inmate_id", facility="custody.facility_id",
                       not_found=_("Aucune affaire de votre cabinet ne correspond."))


def case_alerts(case):
    return list(DeadlineAlert.objects.filter(case=case).select_related("notice_acknowledgement__acknowledged_by")
                .order_by("-opened_at", "-id"))


def notice_alerts_for(user):
    """Open alerts of the magistrate's cases that call for an art. 129 notice."""
    qs = (alert_services.alert_queryset().filter(case__in=Case.objects.of_magistrate(user)).open()
          .select_related("notice_acknowledgement"))
    return [a for a in qs if alert_services.needs_art129_notice(a)]


def alert_of_magistrate(pk, *, actor) -> DeadlineAlert:
    """An alert of one of the magistrate's cases (404 otherwise)."""
    require_magistrate(actor)
    alert = (alert_services.alert_queryset().filter(case__in=Case.objects.of_magistrate(actor), pk=pk)
             .select_related("case__custody").first())
    if alert is None:
        raise Http404(_("Aucune alerte de votre cabinet ne correspond."))
    return alert


@transaction.atomic
def acknowledge_notice(alert, *, actor, note: str = "") -> NoticeAcknowledgement:
    """The magistrate acknowledges receipt of the art. 129 notice of `alert`: recorded with who
    and when, shown to the prison on the alert."""
    alert = DeadlineAlert.objects.select_for_update(of=("self",)).select_related("case__custody").get(pk=alert.pk)
    _require_own_case(actor, alert.case_id)
    if not alert_services.needs_art129_notice(alert):
        raise ValidationError(_("Aucun avis de l'article 129 n'est dû pour cette alerte."))
    if NoticeAcknowledgement.objects.filter(alert=alert).exists():
        raise ValidationError(_("La réception de cet avis est déjà accusée."))
    ack = NoticeAcknowledgement(alert=alert, acknowledged_by=actor, acknowledged_at=timezone.now(),
                                note=(note or "").strip())
    ack.full_clean()
    ack.save()
    custody = alert.case.custody
    record_audit(AuditAction.CREATE, actor=actor, target=ack, reason=_("Accusé de réception de l'avis article 129"),
                 inmate_id=custody.inmate_id, facility_id=custody.facility_id,
                 changes={"alert": [None, alert.pk], "note": [None, ack.note]})
    return ack


def _validate_pdf(document):
    """A real, unencrypted PDF of at most MAX_ORDER_MB (the clerk must open it)."""
    if document is None:
        raise ValidationError({"document": _("Joignez l'ordonnance en PDF.")})
    if document.size > MAX_ORDER_MB * 1024 * 1024:
        raise ValidationError({"document": _("Fichier trop volumineux (%(mb)d Mo au plus).") % {"mb": MAX_ORDER_MB}})
    document.seek(0)
    head = document.read(5)
    document.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"document": _("L'ordonnance doit être un fichier PDF.")})
    from pypdf import PdfReader

    try:
        reader = PdfReader(document, strict=False)
        pages = 0 if reader.is_encrypted else len(reader.pages)
    except Exception:  # noqa: BLE001 — pypdf raises many kinds of errors on malformed input: all mean unreadable
        pages = 0
    finally:
        document.seek(0)
    if not pages:
        raise ValidationError({"document": _("PDF illisible, vide ou protégé : joignez le document sans protection.")})


@transaction.atomic
def submit_court_order(case, *, actor, kind: str, document, reference: str, issued_on, issued_by: str,
                       renews=None, valid_until=None, release_kind: str = "", notes: str = "") -> CourtSubmission:
    """A magistrate sends a renewal or a release order for one of their cases. Pending until a
    clerk of the prison confirms it against the original; it changes nothing before that."""
    case = Case.objects.select_for_update(of=("self",)).select_related("custody").get(pk=case.pk)
    _require_own_case(actor, case.pk)
    _validate_pdf(document)
    if CourtSubmission.objects.pending().filter(case=case, kind=kind).exists():
        raise ValidationError(_("Une ordonnance de ce type attend déjà la confirmation du greffe pour cette affaire."))
    submission = CourtSubmission(
        case=case, kind=kind, document=document, reference=(reference or "").strip(), issued_on=issued_on,
        issued_by=(issued_by or "").strip(), renews=renews if kind == SubmissionKind.RENEWAL else None,
        valid_until=valid_until if kind == SubmissionKind.RENEWAL else None,
        release_kind=release_kind if kind == SubmissionKind.RELEASE else "", notes=(notes or "").strip(),
        submitted_by=actor, submitted_at=timezone.now())
    submission.full_clean()
    submission.save()
    record_audit(AuditAction.CREATE, actor=actor, target=submission, reason=submission.reference,
                 inmate_id=case.custody.inmate_id, facility_id=case.custody.facility_id,
                 changes={"kind": [None, kind], "reference": [None, submission.reference],
                          "issued_on": [None, str(issued_on)], "valid_until": [None, str(valid_until or "")],
                          "release_kind": [None, submission.release_kind]})
    return submission


def _lock_for_decision(submission, actor) -> CourtSubmission:
    submission = (CourtSubmission.objects.select_for_update(of=("self",)).select_related("case__custody", "renews")
                  .get(pk=submission.pk))
    if actor.is_outside_service or not actor.has_perm("casework.confirm_courtsubmission"):
        raise PermissionDenied(_("Seul le greffe de l'établissement confirme une ordonnance transmise."))
    require_serves(actor, submission.case.custody.facility_id)
    if submission.submitted_by_id == actor.pk:
        raise PermissionDenied(_("Celui qui a transmis l'ordonnance ne peut pas la confirmer (double contrôle)."))
    if submission.status != SubmissionStatus.PENDING:
        raise ValidationError(_("Cette ordonnance a déjà été traitée."))
    return submission


@transaction.atomic
def confirm_court_submission(submission, *, actor, received_at=None) -> CourtSubmission:
    """The clerk has checked the order against the paper original: it becomes a detention order
    (renewal) or a release order (casework's services: their own checks, audit and alerts)."""
    submission = _lock_for_decision(submission, actor)
    case = submission.case
    if submission.kind == SubmissionKind.RENEWAL:
        submission.detention_order = renew_detention_order(
            submission.renews, until=submission.valid_until, issued_on=submission.issued_on,
            issued_by=submission.issued_by, reference=submission.reference, actor=actor)
    else:
        submission.release_order = releases.record_release_order(
            case, actor=actor, kind=submission.release_kind, received_at=received_at or timezone.now(),
            brought_by=_("Portail des juridictions (%(who)s)") % {"who": submission.submitted_by},
            authority=submission.issued_by, reference=submission.reference, issued_on=submission.issued_on,
            notes=submission.notes)
    submission.status = SubmissionStatus.CONFIRMED
    submission.decided_by = actor
    submission.decided_at = timezone.now()
    submission.full_clean()
    submission.save()
    record_audit(AuditAction.UPDATE, actor=actor, target=submission, reason=_("Confirmée sur l'original"),
                 inmate_id=case.custody.inmate_id, facility_id=case.custody.facility_id,
                 changes={"status": [SubmissionStatus.PENDING, SubmissionStatus.CONFIRMED]})
    return submission


@transaction.atomic
def reject_court_submission(submission, *, actor, reason: str) -> CourtSubmission:
    """The clerk refuses the order (it does not match the original…), with a reason shown to the magistrate."""
    submission = _lock_for_decision(submission, actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif du rejet.")})
    submission.status = SubmissionStatus.REJECTED
    submission.rejection_reason = reason.strip()
    submission.decided_by = actor
    submission.decided_at = timezone.now()
    submission.full_clean()
    submission.save()
    custody = submission.case.custody
    record_audit(AuditAction.UPDATE, actor=actor, target=submission, reason=submission.rejection_reason,
                 inmate_id=custody.inmate_id, facility_id=custody.facility_id,
                 changes={"status": [SubmissionStatus.PENDING, SubmissionStatus.REJECTED]})
    return submission


def submissions_for(user):
    return (CourtSubmission.objects.visible_to(user)
            .select_related("case__custody__inmate", "case__custody__facility", "case__court", "submitted_by",
                            "decided_by", "renews"))


def open_court_submission(pk, *, actor) -> CourtSubmission:
    """A submission, read and audited: the prison's staff for their prisons, the magistrate for their cases."""
    return open_record(submissions_for(actor), pk, actor=actor, permission="casework.view_courtsubmission",
                       person="case.custody.inmate_id", facility="case.custody.facility_id",
                       not_found=_("Aucune ordonnance transmise ne correspond."))


def open_notice_acknowledgement(pk, *, actor) -> NoticeAcknowledgement:
    """A magistrate's acknowledgement of an art. 129 notice, read and audited (the admin's door)."""
    queryset = (NoticeAcknowledgement.objects
                .filter(alert__custody__in=Custody.objects.visible_to(actor))
                .select_related("alert__custody__inmate", "alert__custody__facility", "acknowledged_by"))
    return open_record(queryset, pk, actor=actor, permission="casework.view_noticeacknowledgement",
                       person="alert.custody.inmate_id", facility="alert.custody.facility_id",
                       not_found=_("Aucun accusé de réception ne correspond."))


def renewable_orders(case):
    return DetentionOrder.objects.filter(case=case).order_by("-issued_on", "-id")
