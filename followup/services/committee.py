"""The multidisciplinary committee: a session per prison, its members by role, the people it
reviews and its decisions with their reasons. Approving a plan marks the plan approved; a decision
on the regime calls detention's classify service, the session being its reason; the minutes are
arrested (closed) and then no longer change."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from detention.services import classify
from inmates.models import Custody

from ..models import (
    CommitteeDecision,
    CommitteeMember,
    CommitteeReview,
    CommitteeSession,
    DecisionKind,
    IndividualPlan,
    MemberRole,
    PlanStatus,
)


def _lock_session(session, actor) -> CommitteeSession:
    session = CommitteeSession.objects.select_for_update(of=("self",)).select_related("facility").get(pk=session.pk)
    require_serves(actor, session.facility_id)
    if session.is_closed:
        raise ValidationError(_("Le procès-verbal de cette séance est arrêté : il ne change plus."))
    return session


@transaction.atomic
def open_session(facility, *, held_on, members, actor, agenda: str = "") -> CommitteeSession:
    """A session with the members present ([{"role", "name", "user"?}]): the direction and at least
    one other service."""
    require_serves(actor, facility.pk)
    members = [m for m in members or [] if (m.get("name") or "").strip() or m.get("user")]
    roles = {m.get("role") for m in members}
    errors = {}
    if any(r not in MemberRole.values for r in roles):
        errors["members"] = _("Rôle de membre inconnu.")
    elif MemberRole.DIRECTOR not in roles or len(roles) < 2:
        errors["members"] = _("Le comité réunit la direction et au moins un autre service (sécurité, social, "
                              "médical, enseignement).")
    if errors:
        raise ValidationError(errors)
    session = CommitteeSession(facility=facility, held_on=held_on, agenda=(agenda or "").strip(), created_by=actor)
    session.full_clean()
    session.save()
    for m in members:
        user = m.get("user")
        member = CommitteeMember(session=session, role=m["role"], user=user,
                                 name=(m.get("name") or "").strip() or (user.get_full_name() or user.username))
        member.full_clean()
        member.save()
    record_audit(AuditAction.CREATE, target=session, actor=actor, facility_id=facility.pk,
                 changes={"held_on": [None, str(held_on)], "membres présents": [None, sorted(roles)]})
    return session


def _review(session, custody, actor) -> CommitteeReview:
    if custody.facility_id != session.facility_id:
        raise ValidationError({"custody": _("Cette personne n'est pas détenue dans l'établissement du comité.")})
    if not custody.is_current:
        raise ValidationError({"custody": _("Ce séjour est terminé (personne sortie).")})
    review, created = CommitteeReview.objects.get_or_create(session=session, custody=custody)
    if created:
        record_audit(AuditAction.CREATE, target=review, actor=actor, inmate_id=custody.inmate_id,
                     facility_id=session.facility_id, changes={"session": [None, session.pk]})
    return review


@transaction.atomic
def add_reviewed_person(session, *, custody, actor) -> CommitteeReview:
    session = _lock_session(session, actor)
    return _review(session, Custody.objects.select_related("inmate").get(pk=custody.pk), actor)


def _reason_text(session, reasons):
    return _("Décision du comité pluridisciplinaire, séance du %(d)s (n° %(n)d) : %(r)s") % {
        "d": session.held_on.strftime("%d/%m/%Y"), "n": session.pk, "r": reasons}


@transaction.atomic
def record_decision(session, *, custody, kind: str, reasons: str, actor, plan=None, risk: str = "",
                    next_review_on=None, activity=None, activity_access=None) -> CommitteeDecision:
    """One decision of the session about one person, with its reasons."""
    if not actor.has_perm("followup.decide_committeesession"):
        raise PermissionDenied(_("Les décisions du comité sont enregistrées par la direction."))
    session = _lock_session(session, actor)
    custody = Custody.objects.select_related("inmate").get(pk=custody.pk)
    _review(session, custody, actor)
    decision = CommitteeDecision(session=session, custody=custody, kind=kind, reasons=(reasons or "").strip(),
                                 plan=plan, risk=risk or "", next_review_on=next_review_on, activity=activity,
                                 activity_access=activity_access, decided_by=actor)
    decision.full_clean()
    changes = {"kind": [None, kind]}
    if kind == DecisionKind.PLAN_APPROVED:
        plan = IndividualPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if plan.custody_id != custody.pk:
            raise ValidationError({"plan": _("Ce plan concerne une autre personne.")})
        if plan.status != PlanStatus.DRAFT:
            raise ValidationError({"plan": _("Seul un plan en projet s'approuve.")})
        plan.status, plan.approved_on = PlanStatus.APPROVED, session.held_on
        if next_review_on:
            plan.next_review_on = next_review_on
        plan.full_clean()
        plan.save(update_fields=["status", "approved_on", "next_review_on"])
        changes["plan"] = [PlanStatus.DRAFT, PlanStatus.APPROVED]
    elif kind == DecisionKind.REGIME:
        decision.classification = classify(custody, risk=risk, reasons=_reason_text(session, decision.reasons),
                                           next_review_on=next_review_on, actor=actor, assessed_on=session.held_on)
        changes["risk"] = [None, risk]
    elif kind == DecisionKind.ACTIVITY:
        if activity.facility_id != session.facility_id:
            raise ValidationError({"activity": _("Cette activité n'est pas dans l'établissement du comité.")})
        changes["activity"] = [None, activity.name]
        changes["activity_access"] = [None, bool(activity_access)]
    elif kind == DecisionKind.REVIEW_DATE:
        current = IndividualPlan.objects.filter(custody=custody).in_force().select_for_update(of=("self",)).first()
        if current is not None:
            current.next_review_on = next_review_on
            current.save(update_fields=["next_review_on"])
        changes["next_review_on"] = [None, str(next_review_on)]
    decision.save()
    record_audit(AuditAction.CREATE, target=decision, actor=actor, inmate_id=custody.inmate_id,
                 facility_id=session.facility_id, changes=changes, reason=decision.reasons)
    return decision


@transaction.atomic
def close_session(session, *, actor) -> CommitteeSession:
    """Arrest the minutes: the session's members, people and decisions no longer change."""
    session = _lock_session(session, actor)
    if not session.decisions.exists() and not session.reviewed.exists():
        raise ValidationError(_("Aucune personne examinée : il n'y a pas de procès-verbal à arrêter."))
    session.closed_at, session.closed_by = timezone.now(), actor
    session.save(update_fields=["closed_at", "closed_by"])
    record_audit(AuditAction.UPDATE, target=session, actor=actor, facility_id=session.facility_id,
                 changes={"closed_at": [None, session.closed_at.isoformat()]})
    return session
