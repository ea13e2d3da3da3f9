"""API (DRF) of custody life; registers on config.api.router.

Every list and detail is scoped by `.visible_to(user)` (another prison's record: 404);
model permissions give 403 to a role without them; every write calls one service of
inmates.services, whose French ValidationError becomes a 400.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.reads import AuditedReadsMixin
from config.api import error_responses, require_perms, router

from . import reads, services
from .life_serializers import (
    ActivityInputSerializer,
    ActivitySerializer,
    AnswerSerializer,
    CellLeaderInputSerializer,
    CellLeaderSerializer,
    CellMoveInputSerializer,
    CellMoveSerializer,
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
    MomentSerializer,
    ReasonSerializer,
    ReferralSerializer,
    ReleaseInputSerializer,
    ReleaseSerializer,
    ToldSerializer,
    TransferArriveSerializer,
    TransferDepartSerializer,
    TransferRequestSerializer,
    TransferSerializer,
    VisitInputSerializer,
    VisitLeaveSerializer,
    VisitSerializer,
)
from .models import (
    Activity,
    CellLeader,
    Classification,
    Complaint,
    Enrolment,
    FamilyNotification,
    Placement,
    Release,
    Transfer,
    TransferStatus,
    Visit,
)

_PERSON = ("custody__inmate", "custody__facility")
FACILITY_PARAM = OpenApiParameter("facility", OpenApiTypes.INT, description="Identifiant d'un établissement.")


class ListParams(serializers.Serializer):
    """The list filters; a malformed value is a 400 in French, not an empty page."""

    facility = serializers.IntegerField(required=False, min_value=1)
    custody = serializers.IntegerField(required=False, min_value=1)
    current = serializers.BooleanField(required=False, default=False)
    review_overdue = serializers.BooleanField(required=False, default=False)
    direction = serializers.ChoiceField(required=False, choices=["incoming", "outgoing"])
    status = serializers.ChoiceField(required=False, choices=TransferStatus.choices)


class LifeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    # Read (scoped) + create through a service. Subclasses set `input_serializer` and `perform`
    # (a comment, not a docstring: the schema would show it to integrators).

    http_method_names = ["get", "post", "head", "options"]
    input_serializer = None
    facility_field = None

    def base_queryset(self):
        raise NotImplementedError

    @property
    def params(self):
        if not hasattr(self, "_params"):
            if self.action != "list":
                self._params = {}
            else:
                query = self.request.query_params
                repeated = {name: [_("Une seule valeur est permise.")] for name in ListParams().fields
                            if len(query.getlist(name)) > 1}
                empty = {name: [_("Valeur vide : retirez ce paramètre ou donnez-lui une valeur.")]
                         for name in ListParams().fields if query.get(name) == ""}
                if repeated or empty:
                    raise serializers.ValidationError({**empty, **repeated})
                parsed = ListParams(data=query)
                parsed.is_valid(raise_exception=True)
                self._params = parsed.validated_data
        return self._params

    def get_queryset(self):
        qs = self.base_queryset()
        facility = self.params.get("facility")
        if facility and self.facility_field:
            qs = qs.filter(**{self.facility_field: facility})
        return qs

    def _input(self, serializer_class=None):
        serializer = (serializer_class or self.input_serializer)(data=self.request.data,
                                                                  context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _out(self, obj, code=status.HTTP_200_OK):
        obj = self.base_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)

    def create(self, request, *args, **kwargs):
        return self._out(self.perform(self._input()), status.HTTP_201_CREATED)


def _schema(model_name, read, write, *, create_summary, list_summary, params=(), create=None):
    create = create or {"responses": {201: read, **error_responses(400, 403)}}
    return extend_schema_view(
        list=extend_schema(summary=list_summary, parameters=[FACILITY_PARAM, *params],
                           responses={200: read(many=True), **error_responses(400, 403)}),
        retrieve=extend_schema(summary=f"Un(e) {model_name}", responses={200: read, **error_responses(403, 404)}),
        create=extend_schema(summary=create_summary, request=write, **create),
    )


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Clé unique par requête (64 caractères au plus), propre à son auteur ; équivaut au champ "
                "`request_key`. Une nouvelle tentative avec la même clé rend la plainte déjà enregistrée (200).")


def _action(summary, request, response, perm, **kwargs):
    """A POST action on one record: documented, permission-checked."""
    def wrap(func):
        func = action(detail=True, methods=["post"], permission_classes=[require_perms(*perm)], **kwargs)(func)
        return extend_schema(summary=summary, request=request,
                             responses={200: response, **error_responses(400, 403, 404)})(func)
    return wrap


@_schema("transfert", TransferSerializer, TransferRequestSerializer,
         create_summary="Demander un transfert vers un autre établissement",
         list_summary="Transferts (les deux établissements les voient ; ?direction=incoming|outgoing)",
         params=[OpenApiParameter("direction", OpenApiTypes.STR, enum=["incoming", "outgoing"]),
                 OpenApiParameter("status", OpenApiTypes.STR, enum=TransferStatus.values)])
class TransferViewSet(AuditedReadsMixin, LifeViewSet):
    read_service = staticmethod(reads.open_transfer)
    serializer_class = TransferSerializer
    queryset = Transfer.objects.all()
    input_serializer = TransferRequestSerializer

    def base_queryset(self):
        return Transfer.objects.visible_to(self.request.user).select_related(
            *_PERSON, "from_facility", "to_facility", "requested_by", "approved_by", "departed_by", "arrived_by",
            "cancelled_by")

    def get_queryset(self):
        qs = self.base_queryset()
        params = self.params
        facility = params.get("facility")
        if facility:
            direction = params.get("direction")
            if direction == "incoming":
                qs = qs.filter(to_facility_id=facility)
            elif direction == "outgoing":
                qs = qs.filter(from_facility_id=facility)
            else:
                qs = qs.filter(Q(to_facility_id=facility) | Q(from_facility_id=facility))
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs

    def perform(self, data):
        custody = data.pop("custody")
        return services.request_transfer(custody, actor=self.request.user, **data)

    @_action("Approuver le transfert (direction de l'établissement de départ)", MomentSerializer,
             TransferSerializer, ["inmates.approve_transfer"])
    def approve(self, request, pk=None):
        return self._out(services.approve_transfer(self.get_object(), actor=request.user,
                                                   **self._input(MomentSerializer)))

    @_action("Enregistrer le départ avec l'escorte et les effets", TransferDepartSerializer, TransferSerializer,
             ["inmates.change_transfer"])
    def depart(self, request, pk=None):
        return self._out(services.depart_transfer(self.get_object(), actor=request.user,
                                                  **self._input(TransferDepartSerializer)))

    @_action("Enregistrer l'arrivée (établissement d'accueil) et placer dans une unité",
             TransferArriveSerializer, TransferSerializer, ["inmates.change_transfer"])
    def arrive(self, request, pk=None):
        return self._out(services.arrive_transfer(self.get_object(), actor=request.user,
                                                  **self._input(TransferArriveSerializer)))

    @_action("Annuler le transfert avant le départ", ReasonSerializer, TransferSerializer,
             ["inmates.change_transfer"])
    def cancel(self, request, pk=None):
        return self._out(services.cancel_transfer(self.get_object(), actor=request.user,
                                                  **self._input(ReasonSerializer)))


@_schema("sortie", ReleaseSerializer, ReleaseInputSerializer,
         create_summary="Enregistrer une sortie (décision, délai, restitution des effets contre reçu)",
         list_summary="Sorties")
class ReleaseViewSet(AuditedReadsMixin, LifeViewSet):
    read_service = staticmethod(reads.open_release)
    serializer_class = ReleaseSerializer
    queryset = Release.objects.all()
    input_serializer = ReleaseInputSerializer
    facility_field = "custody__facility_id"

    def base_queryset(self):
        return Release.objects.visible_to(self.request.user).select_related(*_PERSON, "recorded_by")

    def perform(self, data):
        custody = data.pop("custody")
        return services.release(custody, actor=self.request.user, **data)


@_schema("classement", ClassificationSerializer, ClassificationInputSerializer,
         create_summary="Enregistrer une évaluation individuelle du risque",
         list_summary="Classements de sécurité (?review_overdue=1 : révisions en retard)",
         params=[OpenApiParameter("review_overdue", OpenApiTypes.BOOL)])
class ClassificationViewSet(AuditedReadsMixin, LifeViewSet):
    read_service = staticmethod(reads.open_classification)
    serializer_class = ClassificationSerializer
    queryset = Classification.objects.all()
    input_serializer = ClassificationInputSerializer
    facility_field = "custody__facility_id"

    def base_queryset(self):
        return Classification.objects.visible_to(self.request.user).select_related(*_PERSON, "assessed_by")

    def get_queryset(self):
        qs = super().get_queryset()
        if self.params.get("review_overdue"):
            qs = qs.review_overdue()
        return qs

    def perform(self, data):
        custody = data.pop("custody")
        return services.classify(custody, actor=self.request.user, **data)


@_schema("chef de cellule", CellLeaderSerializer, CellLeaderInputSerializer,
         create_summary="Désigner le chef d'une cellule (choisi par les détenus, accord du personnel)",
         list_summary="Chefs de cellule, actuels et passés (?current=1)",
         params=[OpenApiParameter("current", OpenApiTypes.BOOL)])
class CellLeaderViewSet(AuditedReadsMixin, LifeViewSet):
    read_service = staticmethod(reads.open_cell_leader)
    serializer_class = CellLeaderSerializer
    queryset = CellLeader.objects.all()
    input_serializer = CellLeaderInputSerializer
    facility_field = "unit__facility_id"

    def base_queryset(self):
        return CellLeader.objects.visible_to(self.request.user).select_related(*_PERSON, "unit", "appointed_by")

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.current() if self.params.get("current") else qs

    def perform(self, data):
        unit = data.pop("unit")
        return services.appoint_cell_leader(unit, actor=self.request.user, **data)


@_schema("visite", VisitSerializer, VisitInputSerializer,
         create_summary="Inscrire une visite au registre (hors jours de visite : avocats seulement)",
         list_summary="Registre des visites")
class VisitViewSet(AuditedReadsMixin, LifeViewSet):
    read_service = staticmethod(reads.open_visit)
    serializer_class = VisitSerializer
    queryset = Visit.objects.all()
    input_serializer = VisitInputSerializer
    facility_field = "facility_id"

    def base_queryset(self):
        return Visit.objects.visible_to(self.request.user).select_related(*_PERSON, "visitor", "recorded_by")

    def perform(self, data):
        custody = data.pop("custody")
        return services.record_visit(custody, actor=self.request.user, **data)

    @_action("Enregistrer la sortie du visiteur", VisitLeaveSerializer, VisitSerializer, ["inmates.change_visit"])
    def leave(self, request, pk=None):
        return self._out(services.end_visit(self.get_object(), actor=request.user,
                                            **self._input(VisitLeaveSerializer)))


@_schema("plainte", ComplaintSerializer, ComplaintInputSerializer,
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
         list_summary="Registre des plaintes (les confidentielles : direction et destinataire seulement)")
class ComplaintViewSet(AuditedReadsMixin, LifeViewSet):
    read_service = staticmethod(reads.open_complaint)
    serializer_class = ComplaintSerializer
    queryset = Complaint.objects.all()
    input_serializer = ComplaintInputSerializer
    facility_field = "facility_id"

    def base_queryset(self):
        return Complaint.objects.visible_to(self.request.user).select_related(
            *_PERSON, "addressed_to", "answered_by", "referred_by")

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
        complaint = Complaint.objects.select_related(*_PERSON, "addressed_to").get(pk=complaint.pk)
        return Response(ComplaintReceiptSerializer(complaint).data, status=code)

    @_action("Répondre à la plainte (direction ou destinataire)", AnswerSerializer, ComplaintSerializer,
             ["inmates.view_complaint"])
    def answer(self, request, pk=None):
        return self._out(services.answer_complaint(self.get_object(), actor=request.user,
                                                   **self._input(AnswerSerializer)))

    @_action("Enregistrer la transmission à une autorité compétente", ReferralSerializer, ComplaintSerializer,
             ["inmates.view_complaint"])
    def refer(self, request, pk=None):
        return self._out(services.refer_complaint(self.get_object(), actor=request.user,
                                                  **self._input(ReferralSerializer)))

    @_action("Clore la plainte (une allégation : seulement après transmission)", None, ComplaintSerializer,
             ["inmates.view_complaint"])
    def close(self, request, pk=None):
        return self._out(services.close_complaint(self.get_object(), actor=request.user))


@_schema("activité", ActivitySerializer, ActivityInputSerializer,
         create_summary="Créer une activité et dire qui peut y participer",
         list_summary="Activités, avec le nombre d'inscrits")
class ActivityViewSet(LifeViewSet):
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


@_schema("inscription", EnrolmentSerializer, EnrolmentInputSerializer,
         create_summary="Inscrire une personne à une activité (selon son régime et sa catégorie)",
         list_summary="Inscriptions aux activités")
class EnrolmentViewSet(AuditedReadsMixin, LifeViewSet):
    read_service = staticmethod(reads.open_enrolment)
    serializer_class = EnrolmentSerializer
    queryset = Enrolment.objects.all()
    input_serializer = EnrolmentInputSerializer
    facility_field = "activity__facility_id"

    def base_queryset(self):
        return Enrolment.objects.visible_to(self.request.user).select_related(*_PERSON, "activity", "enrolled_by")

    def perform(self, data):
        activity = data.pop("activity")
        return services.enrol(activity, actor=self.request.user, **data)

    @_action("Mettre fin à l'inscription", EndEnrolmentSerializer, EnrolmentSerializer,
             ["inmates.change_enrolment"])
    def end(self, request, pk=None):
        return self._out(services.end_enrolment(self.get_object(), actor=request.user,
                                                **self._input(EndEnrolmentSerializer)))


@_schema("information de la famille", FamilyNotificationSerializer, FamilyNotificationInputSerializer,
         create_summary="Enregistrer qui prévenir (choix de la personne) et, le cas échéant, quand",
         list_summary="Informations des familles (incarcération, transfert, maladie grave, décès)")
class FamilyNotificationViewSet(AuditedReadsMixin, LifeViewSet):
    read_service = staticmethod(reads.open_family_notification)
    serializer_class = FamilyNotificationSerializer
    queryset = FamilyNotification.objects.all()
    input_serializer = FamilyNotificationInputSerializer
    facility_field = "custody__facility_id"

    def base_queryset(self):
        return FamilyNotification.objects.visible_to(self.request.user).select_related(*_PERSON, "told_by")

    def perform(self, data):
        custody = data.pop("custody")
        return services.record_family_notification(custody, actor=self.request.user, **data)

    @_action("Le contact a été prévenu (quand, comment, par qui)", ToldSerializer, FamilyNotificationSerializer,
             ["inmates.change_familynotification"])
    def told(self, request, pk=None):
        return self._out(services.mark_family_told(self.get_object(), actor=request.user,
                                                   **self._input(ToldSerializer)))


@_schema("placement", CellMoveSerializer, CellMoveInputSerializer,
         create_summary="Changer une personne de cellule (motif obligatoire ; avertissements à confirmer "
                        "par `override_reason`)",
         list_summary="Placements (?custody= pour l'historique d'une personne)",
         params=[OpenApiParameter("custody", OpenApiTypes.INT), OpenApiParameter("current", OpenApiTypes.BOOL)])
class PlacementViewSet(AuditedReadsMixin, LifeViewSet):
    read_service = staticmethod(reads.open_placement)
    serializer_class = CellMoveSerializer
    queryset = Placement.objects.all()
    input_serializer = CellMoveInputSerializer
    facility_field = "unit__facility_id"

    def base_queryset(self):
        return Placement.objects.visible_to(self.request.user).select_related(*_PERSON, "unit", "created_by")

    def get_queryset(self):
        qs = super().get_queryset()
        if self.params.get("custody"):
            qs = qs.filter(custody_id=self.params["custody"])
        return qs.current() if self.params.get("current") else qs

    def perform(self, data):
        custody = data.pop("custody")
        return services.move_to_unit(custody, actor=self.request.user, **data)


router.register("transfers", TransferViewSet, basename="transfer")
router.register("releases", ReleaseViewSet, basename="release")
router.register("classifications", ClassificationViewSet, basename="classification")
router.register("cell-leaders", CellLeaderViewSet, basename="cell-leader")
router.register("visits", VisitViewSet, basename="visit")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("activities", ActivityViewSet, basename="activity")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("family-notifications", FamilyNotificationViewSet, basename="family-notification")
router.register("placements", PlacementViewSet, basename="placement")
