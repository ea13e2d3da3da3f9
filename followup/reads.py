"""Read services of the individual follow-up: each checks the role's permission (403), the facility
scope (another prison's record: 404) and writes one VIEW entry naming the record and the person.
The pages, the API (`retrieve`) and the admin call the same ones.

Need-to-know: assessments and plans are read by the social service, the direction and health staff
(`accounts.need_to_know.can_read_assessments` / `can_read_plans`, role only); security reads the
committee's sessions and decisions (regime, activity access), never the answers; DNAPES reads the
aggregates only (oversight.followup_report)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts import need_to_know
from accounts.reads import open_record
from inmates.reads import open_custody

from .models import Assessment, CommitteeDecision, CommitteeSession, IndividualPlan, ReintegrationChecklist

PERSON = ("custody__inmate", "custody__facility")
# Any one of these lets a member of staff open a person's follow-up page; each part of the page
# is then shown only to those who may read it.
PERSON_PAGE_PERMISSIONS = ("followup.view_assessment", "followup.view_individualplan",
                           "followup.view_committeedecision", "followup.view_reintegrationchecklist")


def open_assessment(pk, *, actor) -> Assessment:
    if not need_to_know.can_read_assessments(actor):
        raise PermissionDenied(_("Les évaluations se lisent par le service social, la direction et le service "
                                 "médical."))
    queryset = Assessment.objects.visible_to(actor).select_related(*PERSON, "version__instrument", "assessed_by")
    return open_record(queryset, pk, actor=actor, permission=need_to_know.ASSESSMENT, person="custody.inmate_id",
                       facility="custody.facility_id", not_found=_("Aucune évaluation ne correspond."))


def open_plan(pk, *, actor) -> IndividualPlan:
    if not need_to_know.can_read_plans(actor):
        raise PermissionDenied(_("Les plans individuels se lisent par le service social, la direction et le "
                                 "service médical."))
    queryset = IndividualPlan.objects.visible_to(actor).select_related(*PERSON, "drafted_by")
    return open_record(queryset, pk, actor=actor, permission=need_to_know.PLAN, person="custody.inmate_id",
                       facility="custody.facility_id", not_found=_("Aucun plan ne correspond."))


def open_session(pk, *, actor) -> CommitteeSession:
    queryset = CommitteeSession.objects.visible_to(actor).select_related("facility", "created_by", "closed_by")
    return open_record(queryset, pk, actor=actor, permission="followup.view_committeesession", person=lambda s: None,
                       facility="facility_id", not_found=_("Aucune séance ne correspond."))


def open_decision(pk, *, actor) -> CommitteeDecision:
    queryset = CommitteeDecision.objects.visible_to(actor).select_related(*PERSON, "session", "decided_by")
    return open_record(queryset, pk, actor=actor, permission="followup.view_committeedecision",
                       person="custody.inmate_id", facility="custody.facility_id",
                       not_found=_("Aucune décision ne correspond."))


def open_checklist(pk, *, actor) -> ReintegrationChecklist:
    queryset = ReintegrationChecklist.objects.visible_to(actor).select_related(*PERSON, "opened_by")
    return open_record(queryset, pk, actor=actor, permission="followup.view_reintegrationchecklist",
                       person="custody.inmate_id", facility="custody.facility_id",
                       not_found=_("Aucune préparation à la sortie ne correspond."))


def may_open_person(actor) -> bool:
    """By role only (never is_superuser): one of the follow-up permissions."""
    return any(need_to_know.role_grants(actor, p) for p in PERSON_PAGE_PERMISSIONS)


def open_person(custody_pk, *, actor):
    """A person's follow-up page: the stay, read and audited, and what this reader may see of it."""
    if not may_open_person(actor):
        raise PermissionDenied(_("Le suivi individuel se lit par le personnel de l'établissement qui en a besoin."))
    permission = next(p for p in PERSON_PAGE_PERMISSIONS if need_to_know.role_grants(actor, p))
    custody = open_custody(custody_pk, actor=actor, permission=permission, reason=_("Suivi individuel"))
    may = {
        "assessments": need_to_know.can_read_assessments(actor),
        "plans": need_to_know.can_read_plans(actor),
        "decisions": need_to_know.role_grants(actor, "followup.view_committeedecision"),
        "checklist": need_to_know.role_grants(actor, "followup.view_reintegrationchecklist"),
    }
    return custody, {
        "may": may,
        "assessments": (Assessment.objects.filter(custody=custody).select_related("version__instrument", "assessed_by")
                        if may["assessments"] else Assessment.objects.none()),
        "plans": (IndividualPlan.objects.filter(custody=custody).prefetch_related("goals")
                  if may["plans"] else IndividualPlan.objects.none()),
        "decisions": (CommitteeDecision.objects.filter(custody=custody).select_related("session", "decided_by")
                      if may["decisions"] else CommitteeDecision.objects.none()),
        "checklist": (ReintegrationChecklist.objects.filter(custody=custody).first() if may["checklist"] else None),
    }
