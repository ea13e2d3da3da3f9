"""API (DRF) of the individual follow-up; registers on config.api.router.

Lists and details are scoped by `.visible_to(user)` (another prison's record: 404); the need-to-know
permissions (assessments, plans) are granted by role only; `retrieve` goes through followup.reads
(audited), `list` records one LIST entry; every write calls one service of followup.services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from accounts.reads import AuditedReadsMixin
from config.api import router
from core.api import error_responses
from inmates.api import RecordViewSet, record_action, record_schema
from inmates.reads import PERSON_FIELDS
from prisons.models import Facility

from . import reads, services
from .models import (
    Assessment,
    ChecklistItem,
    CommitteeDecision,
    CommitteeSession,
    IndividualPlan,
    InstrumentVersion,
    Intervention,
    ReintegrationChecklist,
)
from .serializers import (
    AssessmentInputSerializer,
    AssessmentSerializer,
    AttendanceInputSerializer,
    ChecklistInputSerializer,
    ChecklistSerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    EnrolInputSerializer,
    InstrumentVersionSerializer,
    InterventionInputSerializer,
    ItemDoneInputSerializer,
    NoteInputSerializer,
    PlanInputSerializer,
    PlanReviewSerializer,
    PlanSerializer,
    ReviewedInputSerializer,
    ReviewInputSerializer,
    SessionInputSerializer,
    SessionSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="Versions des instruments d'évaluation (domaines, éléments, échelles)"),
    retrieve=extend_schema(summary="Une version d'instrument", responses={200: InstrumentVersionSerializer,
                                                                         **error_responses(403, 404)}),
)
class InstrumentVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = InstrumentVersionSerializer
    queryset = InstrumentVersion.objects.select_related("instrument").prefetch_related("domains__items__scale")


@record_schema("évaluation des besoins", AssessmentSerializer, AssessmentInputSerializer,
               create_summary="Enregistrer une évaluation des besoins (version publiée ; jamais de classement "
                              "automatique)",
               list_summary="Évaluations des besoins (service social, direction, service médical)")
class AssessmentViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_assessment)
    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.all()
    input_serializer = AssessmentInputSerializer
    facility_field = "custody__facility_id"

    def base_queryset(self):
        return (Assessment.objects.visible_to(self.request.user)
                .select_related(*PERSON_FIELDS, "assessed_by").prefetch_related("answers__item__scale"))

    def perform(self, data):
        custody = data.pop("custody")
        instrument_version = InstrumentVersion.objects.filter(instrument__code="besoins", status="published").first()
        previous = Assessment.objects.filter(custody=custody).first()
        return services.record_assessment(custody, version=instrument_version, reviews=previous,
                                          actor=self.request.user, **data)


@record_schema("plan individuel", PlanSerializer, PlanInputSerializer,
               create_summary="Rédiger le projet de plan individuel (approuvé ensuite par le comité)",
               list_summary="Plans individuels (service social, direction, service médical)")
class PlanViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_plan)
    serializer_class = PlanSerializer
    queryset = IndividualPlan.objects.all()
    input_serializer = PlanInputSerializer
    facility_field = "custody__facility_id"

    def base_queryset(self):
        return (IndividualPlan.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "drafted_by")
                .prefetch_related("goals", "interventions__refusals", "interventions__sessions", "notes", "reviews"))

    def perform(self, data):
        custody = data.pop("custody")
        from .models import Assessment as _Assessment

        return services.draft_plan(custody, actor=self.request.user,
                                   assessment=_Assessment.objects.filter(custody=custody).first(), **data)

    def _plan(self):
        return self.get_object()

    def _intervention(self, plan, pk):
        return get_object_or_404(Intervention, plan=plan, pk=pk)

    @record_action("Ajouter une intervention du catalogue au plan", InterventionInputSerializer, PlanSerializer,
                   ["followup.change_individualplan"])
    def interventions(self, request, pk=None):
        plan = self._plan()
        services.add_intervention(plan, actor=request.user, **self._input(InterventionInputSerializer))
        return self._out(plan)

    @record_action("Enregistrer une séance (tenue, suivie ou non)", AttendanceInputSerializer, PlanSerializer,
                   ["followup.change_individualplan"])
    def sessions(self, request, pk=None):
        plan = self._plan()
        data = self._input(AttendanceInputSerializer)
        services.record_session(self._intervention(plan, data.pop("intervention")), actor=request.user, **data)
        return self._out(plan)

    @record_action("Ajouter une note de suivi", NoteInputSerializer, PlanSerializer, ["followup.change_individualplan"])
    def notes(self, request, pk=None):
        plan = self._plan()
        data = self._input(NoteInputSerializer)
        intervention = data.pop("intervention", None)
        services.add_progress_note(plan, actor=request.user, **data,
                                   intervention=self._intervention(plan, intervention) if intervention else None)
        return self._out(plan)

    @record_action("Réviser le plan", ReviewInputSerializer, PlanReviewSerializer, ["followup.change_individualplan"])
    def reviews(self, request, pk=None):
        review = services.review_plan(self._plan(), actor=request.user, **self._input(ReviewInputSerializer))
        return self._out(review.plan)

    @record_action("Inscrire à l'activité de l'intervention (règles d'accès de l'activité ; un refus est "
                   "enregistré et compté)", EnrolInputSerializer, PlanSerializer,
                   ["followup.change_individualplan", "detention.add_enrolment"])
    def enrol(self, request, pk=None):
        plan = self._plan()
        data = self._input(EnrolInputSerializer)
        services.enrol_from_plan(self._intervention(plan, data["intervention"]), actor=request.user,
                                 activity=data.get("activity"))
        return self._out(plan)


@record_schema("séance du comité", SessionSerializer, SessionInputSerializer,
               create_summary="Ouvrir une séance du comité pluridisciplinaire (membres présents par rôle)",
               list_summary="Séances du comité pluridisciplinaire (procès-verbaux)")
class CommitteeSessionViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_session)
    serializer_class = SessionSerializer
    queryset = CommitteeSession.objects.all()
    input_serializer = SessionInputSerializer
    facility_field = "facility_id"
    person_field = None

    def base_queryset(self):
        return (CommitteeSession.objects.visible_to(self.request.user).select_related("facility")
                .prefetch_related("members", "reviewed", "decisions__custody__inmate",
                                  "decisions__custody__facility"))

    def perform(self, data):
        facility = get_object_or_404(Facility.objects.visible_to(self.request.user), pk=data.pop("facility"))
        return services.open_session(facility, actor=self.request.user, **data)

    @record_action("Inscrire une personne à l'ordre du jour", ReviewedInputSerializer, SessionSerializer,
                   ["followup.change_committeesession"])
    def reviewed(self, request, pk=None):
        session = self.get_object()
        services.add_reviewed_person(session, actor=request.user, **self._input(ReviewedInputSerializer))
        return self._out(session)

    @record_action("Enregistrer une décision (un changement de régime met à jour le classement)",
                   DecisionInputSerializer, SessionSerializer, ["followup.decide_committeesession"])
    def decisions(self, request, pk=None):
        session = self.get_object()
        data = self._input(DecisionInputSerializer)
        data["risk"] = data.get("risk") or ""
        services.record_decision(session, actor=request.user, **data)
        return self._out(session)

    @record_action("Arrêter le procès-verbal", None, SessionSerializer, ["followup.decide_committeesession"])
    def close(self, request, pk=None):
        return self._out(services.close_session(self.get_object(), actor=request.user))


@extend_schema_view(
    list=extend_schema(summary="Décisions du comité (la sécurité les lit, sans les réponses des évaluations)"),
    retrieve=extend_schema(summary="Une décision du comité", responses={200: DecisionSerializer,
                                                                       **error_responses(403, 404)}),
)
class DecisionViewSet(AuditedReadsMixin, RecordViewSet):
    http_method_names = ["get", "head", "options"]
    read_service = staticmethod(reads.open_decision)
    serializer_class = DecisionSerializer
    queryset = CommitteeDecision.objects.all()
    facility_field = "session__facility_id"

    def base_queryset(self):
        return CommitteeDecision.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "session",
                                                                                       "decided_by")


@record_schema("préparation à la sortie", ChecklistSerializer, ChecklistInputSerializer,
               create_summary="Ouvrir la préparation à la sortie (sortie prévisible dans le délai réglé)",
               list_summary="Préparations à la sortie")
class ChecklistViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_checklist)
    serializer_class = ChecklistSerializer
    queryset = ReintegrationChecklist.objects.all()
    input_serializer = ChecklistInputSerializer
    facility_field = "custody__facility_id"

    def base_queryset(self):
        return (ReintegrationChecklist.objects.visible_to(self.request.user)
                .select_related(*PERSON_FIELDS).prefetch_related("items__done_by"))

    def perform(self, data):
        return services.open_checklist(data["custody"], actor=self.request.user)

    @record_action("Régler un point (ce qui est prévu)", ItemDoneInputSerializer, ChecklistSerializer,
                   ["followup.change_reintegrationchecklist"])
    def items(self, request, pk=None):
        checklist = self.get_object()
        data = self._input(ItemDoneInputSerializer)
        services.complete_item(get_object_or_404(ChecklistItem, checklist=checklist, pk=data["item"]),
                               note=data["note"], actor=request.user)
        return self._out(checklist)


router.register("followup/instrument-versions", InstrumentVersionViewSet, basename="followup-instrument-version")
router.register("followup/assessments", AssessmentViewSet, basename="followup-assessment")
router.register("followup/plans", PlanViewSet, basename="followup-plan")
router.register("followup/committee-sessions", CommitteeSessionViewSet, basename="followup-committee-session")
router.register("followup/committee-decisions", DecisionViewSet, basename="followup-committee-decision")
router.register("followup/reintegration-checklists", ChecklistViewSet, basename="followup-checklist")
