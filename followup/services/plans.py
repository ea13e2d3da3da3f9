"""The individual plan: drafted by the social service, approved by the committee
(services.committee), followed through interventions, sessions, notes and reviews. Enrolment in
an activity from the plan calls detention's enrol service (its eligibility rules); a refusal is
kept and says whether it was because of the person's category."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from detention.services import enrol
from inmates.services import lock_custody, require_current

from ..models import (
    EnrolmentRefusal,
    Goal,
    IndividualPlan,
    Intervention,
    InterventionSession,
    PlanReview,
    PlanStatus,
    ProgressNote,
)


def _audit(action, target, plan, *, actor, changes, reason=""):
    record_audit(action, target=target, actor=actor, inmate_id=plan.custody.inmate_id,
                 facility_id=plan.custody.facility_id, changes=changes, reason=reason)


def _lock_plan(plan, actor, *, open_only=True) -> IndividualPlan:
    plan = IndividualPlan.objects.select_for_update(of=("self",)).select_related("custody__inmate").get(pk=plan.pk)
    require_serves(actor, plan.custody.facility_id)
    if open_only and plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("Ce plan est clos."))
    return plan


@transaction.atomic
def draft_plan(custody, *, summary: str, next_review_on, actor, assessment=None, goals=(),
               drafted_on=None) -> IndividualPlan:
    """A plan in draft, to be approved by the committee; at most one plan in force per stay."""
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    require_current(custody)
    if IndividualPlan.objects.filter(custody=custody).in_force().exists():
        raise ValidationError(_("Cette personne a déjà un plan en cours : révisez-le ou clôturez-le."))
    if assessment is not None and assessment.custody_id != custody.pk:
        raise ValidationError({"assessment": _("L'évaluation doit concerner le même séjour.")})
    goals = [g.strip() for g in goals if g and g.strip()]
    if not goals:
        raise ValidationError({"goals": _("Un plan a au moins un objectif.")})
    plan = IndividualPlan(custody=custody, assessment=assessment, summary=(summary or "").strip(),
                          drafted_on=drafted_on or timezone.localdate(), drafted_by=actor,
                          next_review_on=next_review_on)
    plan.full_clean()
    plan.save()
    for text in goals:
        goal = Goal(plan=plan, text=text)
        goal.full_clean()
        goal.save()
    _audit(AuditAction.CREATE, plan, plan, actor=actor,
           changes={"status": [None, plan.status], "objectifs": [None, len(goals)],
                    "next_review_on": [None, str(next_review_on)]})
    return plan


@transaction.atomic
def add_goal(plan, *, text: str, actor, domain: str = "") -> Goal:
    plan = _lock_plan(plan, actor)
    goal = Goal(plan=plan, text=(text or "").strip(), domain=(domain or "").strip())
    goal.full_clean()
    goal.save()
    _audit(AuditAction.CREATE, goal, plan, actor=actor, changes={"text": [None, goal.text]})
    return goal


@transaction.atomic
def add_intervention(plan, *, kind, provider_kind: str, actor, provider_name: str = "", goal=None,
                     activity=None) -> Intervention:
    """An intervention of the catalogue, with its provider (staff, NGO, recognised religious leader)."""
    plan = _lock_plan(plan, actor)
    errors = {}
    if not kind.is_active:
        errors["kind"] = _("Cette intervention n'est plus proposée.")
    elif provider_kind not in (kind.provider_kinds or []):
        errors["provider_kind"] = _("Ce prestataire ne propose pas cette intervention.")
    if goal is not None and goal.plan_id != plan.pk:
        errors["goal"] = _("Cet objectif appartient à un autre plan.")
    if activity is not None:
        if activity.facility_id != plan.custody.facility_id:
            errors["activity"] = _("Cette activité n'est pas dans l'établissement de la personne.")
        elif kind.activity_kinds and activity.kind not in kind.activity_kinds:
            errors["activity"] = _("Cette activité ne correspond pas à l'intervention choisie.")
    if errors:
        raise ValidationError(errors)
    intervention = Intervention(plan=plan, kind=kind, provider_kind=provider_kind,
                                provider_name=(provider_name or "").strip(), goal=goal, activity=activity,
                                added_on=timezone.localdate(), added_by=actor)
    intervention.full_clean()
    intervention.save()
    _audit(AuditAction.CREATE, intervention, plan, actor=actor,
           changes={"kind": [None, kind.code], "provider_kind": [None, provider_kind]})
    return intervention


@transaction.atomic
def _record_refusal(intervention, activity, *, reason, actor) -> EnrolmentRefusal:
    custody = intervention.plan.custody
    placement = custody.placements.filter(ended_at__isnull=True).select_related("unit").first()
    unit = placement.unit if placement else None
    # The person's category (terrorism-related, untried, convicted) is what refused them when
    # their unit's regime is admitted: refusal_for tests the regime first.
    category = unit is not None and unit.regime in (activity.open_to_regimes or [])
    refusal = EnrolmentRefusal.objects.create(
        intervention=intervention, activity=activity, reason=str(reason)[:300], because_of_category=category,
        terrorism_related=custody.terrorism_related, legal_status=custody.legal_status,
        refused_on=timezone.localdate(), asked_by=actor)
    _audit(AuditAction.CREATE, refusal, intervention.plan, actor=actor,
           changes={"activity": [None, activity.name], "because_of_category": [None, category]}, reason=str(reason))
    return refusal


def enrol_from_plan(intervention, *, actor, activity=None):
    """Enrol the person in the intervention's activity through detention's enrol service.

    When the activity's access rules refuse, the refusal is recorded (and counted), then the
    refusal is raised with its reason — and, when it is the person's category, it says so."""
    intervention = Intervention.objects.select_related("plan__custody__inmate", "activity").get(pk=intervention.pk)
    require_serves(actor, intervention.plan.custody.facility_id)
    activity = activity or intervention.activity
    if activity is None:
        raise ValidationError({"activity": _("Choisissez l'activité où inscrire la personne.")})
    if intervention.plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("Ce plan est clos."))
    custody = intervention.plan.custody
    placement = custody.placements.filter(ended_at__isnull=True).select_related("unit").first()
    refusal = activity.refusal_for(custody, placement.unit if placement else None) if custody.is_current else None
    if refusal:
        record = _record_refusal(intervention, activity, reason=refusal, actor=actor)
        if record.because_of_category:
            raise ValidationError({"activity": _("Inscription refusée à cause de la catégorie de la personne : "
                                                 "%(r)s Le refus est enregistré et compté.") % {"r": refusal}})
        raise ValidationError({"activity": _("Inscription refusée : %(r)s Le refus est enregistré.")
                               % {"r": refusal}})
    with transaction.atomic():
        enrolment = enrol(activity, custody=custody, actor=actor)
        Intervention.objects.filter(pk=intervention.pk).update(enrolment=enrolment, activity=activity)
        _audit(AuditAction.UPDATE, intervention, intervention.plan, actor=actor,
               changes={"enrolment": [None, enrolment.pk]})
    intervention.refresh_from_db()
    return enrolment


@transaction.atomic
def record_session(intervention, *, held_on, attended: bool, actor, note: str = "") -> InterventionSession:
    plan = _lock_plan(intervention.plan, actor)
    if held_on and held_on < plan.drafted_on:
        raise ValidationError({"held_on": _("Une séance ne précède pas le plan.")})
    if InterventionSession.objects.filter(intervention=intervention, held_on=held_on).exists():
        raise ValidationError({"held_on": _("Une séance est déjà enregistrée ce jour-là pour cette intervention.")})
    session = InterventionSession(intervention=intervention, held_on=held_on, attended=bool(attended),
                                  note=(note or "").strip(), recorded_by=actor)
    session.full_clean()
    session.save()
    _audit(AuditAction.CREATE, session, plan, actor=actor,
           changes={"held_on": [None, str(held_on)], "attended": [None, bool(attended)]})
    return session


@transaction.atomic
def add_progress_note(plan, *, text: str, actor, intervention=None, written_on=None) -> ProgressNote:
    plan = _lock_plan(plan, actor)
    if intervention is not None and intervention.plan_id != plan.pk:
        raise ValidationError({"intervention": _("Cette intervention appartient à un autre plan.")})
    note = ProgressNote(plan=plan, intervention=intervention, text=(text or "").strip(),
                        written_on=written_on or timezone.localdate(), author=actor)
    note.full_clean()
    note.save()
    _audit(AuditAction.CREATE, note, plan, actor=actor, changes={"written_on": [None, str(note.written_on)]})
    return note


@transaction.atomic
def review_plan(plan, *, summary: str, next_review_on, actor, reviewed_on=None) -> PlanReview:
    """A review of the plan: its assessment of progress and the next review date (history kept)."""
    plan = _lock_plan(plan, actor)
    review = PlanReview(plan=plan, summary=(summary or "").strip(), next_review_on=next_review_on,
                        reviewed_on=reviewed_on or timezone.localdate(), reviewed_by=actor)
    review.full_clean()
    review.save()
    old = plan.next_review_on
    plan.next_review_on = next_review_on
    plan.save(update_fields=["next_review_on"])
    _audit(AuditAction.CREATE, review, plan, actor=actor, changes={"next_review_on": [str(old), str(next_review_on)]})
    return review


@transaction.atomic
def close_plan(plan, *, reason: str, actor) -> IndividualPlan:
    plan = _lock_plan(plan, actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez pourquoi le plan est clos.")})
    old = plan.status
    plan.status, plan.closed_on = PlanStatus.CLOSED, timezone.localdate()
    plan.save(update_fields=["status", "closed_on"])
    _audit(AuditAction.UPDATE, plan, plan, actor=actor, changes={"status": [old, plan.status]}, reason=reason)
    return plan
