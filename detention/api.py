"""API (DRF) of life inside; registers on config.api.router.

Every list and detail is scoped by `.visible_to(user)` (another prison's record: 404);
model permissions give 403 to a role without them; every write calls one service of
detention.services, whose French ValidationError becomes a 400.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.reads import AuditedReadsMixin
from config.api import router
from core.api import error_responses
from detention import reads, services
from detention.models import (
    Activity,
    CellLeader,
    Classification,
    Complaint,
    Enrolment,
    FamilyNotification,
    Visit,
)
from detention.serializers import (
    ActivityInputSerializer,
    ActivitySerializer,
    AnswerSerializer,
    CellLeaderInputSerializer,
    CellLeaderSerializer,
    ClassificationInputSerializer,
    ClassificationSerializer,
    ComplaintInputSerializer,
    ComplaintReceiptSerializer,
    ComplaintSerializer,
    EndEnrolmentSerializer,
    EnrolmentInputSerializer,
    EnrolmentSerializer,
    FamilyNotificationInputSerializer,
    FamilyNotificationSerializer,
    ReferralSerializer,
    ToldSerializer,
    VisitInputSerializer,
    VisitLeaveSerializer,
    VisitSerializer,
)
from inmates.api import RecordViewSet, record_action, record_schema
from inmates.reads import PERSON_FIELDS

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Clé unique par requête (64 caractères au plus), propre à son auteur ; équivaut au champ "
                "`request_key`. Une nouvelle tentative avec la même clé rend la plainte déjà enregistrée (200).")


@record_schema("classement", ClassificationSerializer, ClassificationInputSerializer,
         create_summary="Enregistrer une évaluation individuelle du risque",
         list_summary="Classements de sécurité (?review_overdue=1 : révisions en retard)",
         params=[OpenApiParameter("review_overdue", OpenApiTypes.BOOL)])
class ClassificationViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_classification)
    serializer_class = ClassificationSerializer
    queryset = Classification.objects.all()
    input_serializer = ClassificationInputSerializer
    facility_field = "custody__facility_id"

    def base_queryset(self):
        return Classification.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "assessed_by")

    def get_queryset(self):
        qs = super().get_queryset()
        if self.params.get("review_overdue"):
            qs = qs.review_overdue()
        return qs

    def perform(self, data):
        custody = data.pop("custody")
        return services.classify(custody, actor=self.request.user, **data)


@record_schema("chef de cellule", CellLeaderSerializer, CellLeaderInputSerializer,
         create_summary="Désigner le chef d'une cellule (choisi par les détenus, accord du personnel)",
         list_summary="Chefs de cellule, actuels et passés (?current=1)",
         params=[OpenApiParameter("current", OpenApiTypes.BOOL)])
class CellLeaderViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_cell_leader)
    serializer_class = CellLeaderSerializer
    queryset = CellLeader.objects.all()
    input_serializer = CellLeaderInputSerializer
    facility_field = "unit__facility_id"

    def base_queryset(self):
        return CellLeader.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "unit", "appointed_by")

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.current() if self.params.get("current") else qs

    def perform(self, data):
        unit = data.pop("unit")
        return services.appoint_cell_leader(unit, actor=self.request.user, **data)


@record_schema("visite", VisitSerializer, VisitInputSerializer,
         create_summary="Inscrire une visite au registre (hors jours de visite : avocats seulement)",
         list_summary="Registre des visites")
class VisitViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_visit)
    serializer_class = VisitSerializer
    queryset = Visit.objects.all()
    input_serializer = VisitInputSerializer
    facility_field = "facility_id"

    def base_queryset(self):
        return Visit.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "visitor", "recorded_by")

    def perform(self, data):
        custody = data.pop("custody")
        return services.record_visit(custody, actor=self.request.user, **data)

    @record_action("Enregistrer la sortie du visiteur", VisitLeaveSerializer, VisitSerializer, ["detention.change_visit"])
    def leave(self, request, pk=None):
        return self._out(services.end_visit(self.get_object(), actor=request.user,
                                            **self._input(VisitLeaveSerializer)))


@record_schema("plainte", ComplaintSerializer, ComplaintInputSerializer,
         create_summary="Enregistrer une requête ou une plainte (une allégation de torture est signalée "
                        "immédiatement)",
         create={"description": "La réponse est un accusé d'enregistrement, sans l'objet ni l'exposé : une "
                                "plainte confidentielle ne se lit que par la direction et son destinataire "
                                "(`GET /api/v1/complaints/{id}/` pour qui en a le droit). Avec une clé de "
                                "requête (`Idempotency-Key` ou `request_key`), renvoyer la même requête rend "
                                "la première plainte (200) au lieu d'en créer une seconde ; la même clé pour "
                                "un autre détenu est un 400.",
                 "parameters": [IDEMPOTENCY_KEY],
                 "responses": {201: ComplaintReceiptSerializer,
                               200: OpenApiResponse(ComplaintReceiptSerializer,
                                                    description="Nouvelle tentative : la plainte déjà enregistrée."),
                               **error_responses(400, 403)}},
         list_summary="Registre des plaintes (les confidentielles : direction et destinataire seulement ; "
                      "?overdue=1 : sans réponse après l'échéance)",
         params=[OpenApiParameter("overdue", OpenApiTypes.BOOL,
                                  description="Seulement les plaintes ouvertes dont l'échéance de réponse est passée "
                                              "(7 jours ; 1 jour pour une allégation).")])
class ComplaintViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_complaint)
    serializer_class = ComplaintSerializer
    queryset = Complaint.objects.all()
    input_serializer = ComplaintInputSerializer
    facility_field = "facility_id"

    def base_queryset(self):
        return Complaint.objects.visible_to(self.request.user).select_related(
            *PERSON_FIELDS, "addressed_to", "answered_by", "referred_by")

    def get_queryset(self):
        qs = super().get_queryset()
        if self.params.get("overdue"):
            qs = qs.overdue()
        return qs

    def perform(self, data):
        custody = data.pop("custody")
        return services.register_complaint(custody, actor=self.request.user, **data)

    def _request_key(self, data):
        header = self.request.headers.get("Idempotency-Key", "").strip()
        key = (data.get("request_key") or "").strip()
        if header and key and header != key:
            raise serializers.ValidationError({"request_key": [
                _("La clé de requête du corps diffère de l'en-tête Idempotency-Key.")]})
        key = key or header
        if len(key) > 64:
            raise serializers.ValidationError({"request_key": [_("64 caractères au plus.")]})
        return key

    def create(self, request, *args, **kwargs):
        """A receipt, not the complaint: its author may not be one of its readers. A retry with
        the same key answers 200 with the first complaint's receipt."""
        data = self._input()
        data["request_key"] = self._request_key(data)
        complaint = self.perform(data)
        code = status.HTTP_200_OK if getattr(complaint, "is_replay", False) else status.HTTP_201_CREATED
        complaint = Complaint.objects.select_related(*PERSON_FIELDS, "addressed_to").get(pk=complaint.pk)
        return Response(ComplaintReceiptSerializer(complaint).data, status=code)

    @record_action("Répondre à la plainte (direction ou destinataire)", AnswerSerializer, ComplaintSerializer,
             ["detention.view_complaint"])
    def answer(self, request, pk=None):
        return self._out(services.answer_complaint(self.get_object(), actor=request.user,
                                                   **self._input(AnswerSerializer)))

    @record_action("Enregistrer la transmission à une autorité compétente", ReferralSerializer, ComplaintSerializer,
             ["detention.view_complaint"])
    def refer(self, request, pk=None):
        return self._out(services.refer_complaint(self.get_object(), actor=request.user,
                                                  **self._input(ReferralSerializer)))

    @record_action("Clore la plainte (une allégation : seulement après transmission)", None, ComplaintSerializer,
             ["detention.view_complaint"])
    def close(self, request, pk=None):
        return self._out(services.close_complaint(self.get_object(), actor=request.user))


@record_schema("activité", ActivitySerializer, ActivityInputSerializer,
         create_summary="Créer une activité et dire qui peut y participer",
         list_summary="Activités, avec le nombre d'inscrits")
class ActivityViewSet(RecordViewSet):
    serializer_class = ActivitySerializer
    queryset = Activity.objects.all()
    input_serializer = ActivityInputSerializer
    facility_field = "facility_id"

    def base_queryset(self):
        return Activity.objects.visible_to(self.request.user).annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__ended_on__isnull=True))).order_by("name", "pk")

    def perform(self, data):
        facility = data.pop("facility")
        return services.create_activity(facility, actor=self.request.user, **data)


@record_schema("inscription", EnrolmentSerializer, EnrolmentInputSerializer,
         create_summary="Inscrire une personne à une activité (selon son régime et sa catégorie)",
         list_summary="Inscriptions aux activités")
class EnrolmentViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_enrolment)
    serializer_class = EnrolmentSerializer
    queryset = Enrolment.objects.all()
    input_serializer = EnrolmentInputSerializer
    facility_field = "activity__facility_id"

    def base_queryset(self):
        return Enrolment.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "activity", "enrolled_by")

    def perform(self, data):
        activity = data.pop("activity")
        return services.enrol(activity, actor=self.request.user, **data)

    @record_action("Mettre fin à l'inscription", EndEnrolmentSerializer, EnrolmentSerializer,
             ["detention.change_enrolment"])
    def end(self, request, pk=None):
        return self._out(services.end_enrolment(self.get_object(), actor=request.user,
                                                **self._input(EndEnrolmentSerializer)))


@record_schema("information de la famille", FamilyNotificationSerializer, FamilyNotificationInputSerializer,
         create_summary="Enregistrer qui prévenir (choix de la personne) et, le cas échéant, quand",
         list_summary="Informations des familles (incarcération, transfert, maladie grave, décès)")
class FamilyNotificationViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_family_notification)
    serializer_class = FamilyNotificationSerializer
    queryset = FamilyNotification.objects.all()
    input_serializer = FamilyNotificationInputSerializer
    facility_field = "custody__facility_id"

    def base_queryset(self):
        return FamilyNotification.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "told_by")

    def perform(self, data):
        custody = data.pop("custody")
        return services.record_family_notification(custody, actor=self.request.user, **data)

    @record_action("Le contact a été prévenu (quand, comment, par qui)", ToldSerializer, FamilyNotificationSerializer,
             ["detention.change_familynotification"])
    def told(self, request, pk=None):
        return self._out(services.mark_family_told(self.get_object(), actor=request.user,
                                                   **self._input(ToldSerializer)))


router.register("classifications", ClassificationViewSet, basename="classification")
router.register("cell-leaders", CellLeaderViewSet, basename="cell-leader")
router.register("visits", VisitViewSet, basename="visit")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("activities", ActivityViewSet, basename="activity")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("family-notifications", FamilyNotificationViewSet, basename="family-notification")

from detention.discipline_api import (  # noqa: E402  (issue 14)
    DisciplinaryChargeViewSet,
    DisciplinaryIncidentViewSet,
    IsolationViewSet,
)  # noqa: E402  (issue 14)

router.register("disciplinary-charges", DisciplinaryChargeViewSet, basename="disciplinary-charge")
router.register("isolations", IsolationViewSet, basename="isolation")
router.register("disciplinary-incidents", DisciplinaryIncidentViewSet, basename="disciplinary-incident")

from detention.search_api import SearchViewSet, UseOfForceViewSet  # noqa: E402  (issue 14, items 3-4)

router.register("searches", SearchViewSet, basename="search")
router.register("uses-of-force", UseOfForceViewSet, basename="use-of-force")

from detention.incident_api import SeriousIncidentViewSet  # noqa: E402  (issue 14 item 5)

router.register("serious-incidents", SeriousIncidentViewSet, basename="serious-incident")
