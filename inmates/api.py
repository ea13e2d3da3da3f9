"""API (DRF) for this app; registers on config.api.router.

People and custodies, scoped to the user's facilities (another facility's record is a
404). Reads of a prisoner file go through `open_inmate_file` (audited); every write calls
one function of inmates.services.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from accounts.reads import AuditedListMixin, AuditedReadsMixin
from config.api import router
from core.api import (
    PreconditionRequired,
    StrictBooleanField,
    StrictIntegerField,
    error_responses,
    require_perms,
    validation_detail,
)

from . import movements, reads, services
from .filters import CustodyFilter, InmateFilter
from .models import Custody, Inmate, Placement, Release, Transfer, TransferStatus
from .serializers import (
    AgeVerificationSerializer,
    AliasInputSerializer,
    AliasSerializer,
    CellMoveInputSerializer,
    CellMoveSerializer,
    CustodyCreateSerializer,
    CustodySerializer,
    CustodyUpdateSerializer,
    InmateDetailSerializer,
    InmateListSerializer,
    InmateUpdateSerializer,
    MomentSerializer,
    PlacementInputSerializer,
    PlacementSerializer,
    PlacementWarningSerializer,
    PriorCustodyInputSerializer,
    PriorCustodySerializer,
    ReasonSerializer,
    RelativeInputSerializer,
    RelativeSerializer,
    ReleaseInputSerializer,
    ReleaseSerializer,
    TransferArriveSerializer,
    TransferDepartSerializer,
    TransferRequestSerializer,
    TransferSerializer,
)


def _placements():
    return Prefetch("placements", queryset=Placement.objects.select_related("unit", "created_by"))


def _custodies_in_full():
    """Every custody of a person, latest first, with its arrest chain and placements."""
    return Prefetch(
        "custodies",
        queryset=Custody.objects.select_related("facility", "inmate", "arrest_region").prefetch_related(
            "prior_custodies", _placements()
        ).order_by("-admitted_at", "-id"),
    )


def _custodies_summary():
    return Prefetch(
        "custodies",
        queryset=Custody.objects.select_related("facility").prefetch_related(
            Prefetch("placements", queryset=Placement.objects.current().select_related("unit"))
        ).order_by("-admitted_at", "-id"),
    )


@extend_schema_view(
    list=extend_schema(
        summary="Détenus visibles (recherche ?q=), avec leur séjour actuel et leur statut juridique",
        responses={200: InmateListSerializer(many=True), **error_responses(400, 403)},
    ),
    retrieve=extend_schema(
        summary="Ouvrir un dossier de détenu (consultation enregistrée au journal d'audit)",
        responses={200: InmateDetailSerializer, **error_responses(403, 404)},
    ),
    partial_update=extend_schema(
        summary="Corriger l'identité (motif obligatoire ; `version` obligatoire pour détecter les conflits)",
        description=(
            "Verrouillage optimiste : le corps doit contenir `version`, la valeur lue dans le dossier "
            "(`GET /api/v1/inmates/{id}/`). Sans `version` : 428 (Precondition Required), rien n'est "
            "écrit. Si le dossier a été enregistré depuis cette lecture : 409, rien n'est écrit ; "
            "relisez le dossier et refaites la correction. Chaque correction réussie augmente `version`."
        ),
        request=InmateUpdateSerializer,
        responses={200: InmateDetailSerializer, **error_responses(400, 403, 404, 409, 428)},
    ),
)
class InmateViewSet(AuditedListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """No POST: a person enters the register only together with a stay, through the arrival
    workflow (`POST /api/v1/arrivals/`). A person without a stay is in no prison, so nobody's
    facility scope would show them again: an orphan."""

    person_field = "id"  # each row is a person; `retrieve` is the file (open_inmate_file)
    queryset = Inmate.objects.all()
    serializer_class = InmateListSerializer
    filterset_class = InmateFilter
    ordering_fields = ["last_name", "first_name", "prisoner_number", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Inmate.objects.visible_to(self.request.user).prefetch_related(_custodies_summary())

    def http_method_not_allowed(self, request, *args, **kwargs):
        if request.method == "POST" and self.detail is False and self.action is None:
            raise MethodNotAllowed("POST", detail=_(
                "On n'enregistre pas une personne seule : elle entre au registre avec son séjour, par "
                "l'écrou (POST /api/v1/arrivals/, ou la page « Écrous » → nouvelle arrivée)."))
        return super().http_method_not_allowed(request, *args, **kwargs)

    def get_serializer_class(self):
        return {"partial_update": InmateUpdateSerializer}.get(self.action, InmateListSerializer)

    def _file(self, inmate):
        prefetch_related_objects([inmate], "region_of_origin", "aliases", "relatives", _custodies_in_full())
        return InmateDetailSerializer(inmate).data

    def retrieve(self, request, pk=None):
        inmate = services.open_inmate_file(pk, actor=request.user)
        return Response(self._file(inmate))

    def partial_update(self, request, pk=None):
        inmate = self.get_object()
        if not hasattr(request.data, "get") or request.data.get("version") in (None, ""):
            raise PreconditionRequired()
        serializer = self.get_serializer(inmate, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        version = changes.pop("version", None)
        inmate = services.update_inmate(inmate, actor=request.user, reason=reason,
                                        expected_version=version, **changes)
        return Response(self._file(inmate))

    @extend_schema(summary="Ajouter un autre nom (surnom, orthographe, ancien nom)",
                   request=AliasInputSerializer,
                   responses={201: AliasSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("inmates.add_alias")])
    def aliases(self, request, pk=None):
        inmate = self.get_object()
        serializer = AliasInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alias = services.add_alias(inmate, actor=request.user, **serializer.validated_data)
        return Response(AliasSerializer(alias).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Enregistrer la vérification de l'âge (fin de l'alerte « mineur possible »)",
                   request=AgeVerificationSerializer,
                   responses={200: InmateDetailSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="verify-age",
            permission_classes=[require_perms("inmates.change_inmate")])
    def verify_age(self, request, pk=None):
        inmate = self.get_object()
        serializer = AgeVerificationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inmate = services.verify_age(inmate, actor=request.user, **serializer.validated_data)
        return Response(self._file(inmate))

    @extend_schema(summary="Ajouter un parent ou un contact", request=RelativeInputSerializer,
                   responses={201: RelativeSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("inmates.add_relative")])
    def relatives(self, request, pk=None):
        inmate = self.get_object()
        serializer = RelativeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        relative = services.add_relative(inmate, actor=request.user, **serializer.validated_data)
        return Response(RelativeSerializer(relative).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Séjours en détention visibles",
                       responses={200: CustodySerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(summary="Un séjour : arrestation, chaîne de détention, placements "
                                   "(consultation enregistrée au journal d'audit)",
                           responses={200: CustodySerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="Écrouer une personne (avec ses gardes antérieures)",
                         request=CustodyCreateSerializer,
                         responses={201: CustodySerializer, **error_responses(400, 403)}),
    partial_update=extend_schema(summary="Corriger l'arrestation ou l'heure d'écrou (motif obligatoire)",
                                 request=CustodyUpdateSerializer,
                                 responses={200: CustodySerializer, **error_responses(400, 403, 404)}),
)
class CustodyViewSet(AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    person_field = "inmate_id"  # `retrieve` is a read of the file (open_inmate_file)
    queryset = Custody.objects.all()
    serializer_class = CustodySerializer
    filterset_class = CustodyFilter
    ordering_fields = ["admitted_at", "released_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Custody.objects.visible_to(self.request.user)
            .select_related("inmate", "facility", "arrest_region")
            .prefetch_related("prior_custodies", _placements())
            .order_by("-admitted_at", "-id")
        )

    def get_serializer_class(self):
        return {"create": CustodyCreateSerializer, "partial_update": CustodyUpdateSerializer}.get(
            self.action, CustodySerializer)

    def retrieve(self, request, pk=None):
        custody = self.get_object()
        # A stay is part of the prisoner file: reading it is recorded like opening the file.
        services.open_inmate_file(custody.inmate_id, actor=request.user)
        return Response(CustodySerializer(custody).data)

    def _read(self, custody):
        return CustodySerializer(Custody.objects.select_related("inmate", "facility")
                                 .prefetch_related("prior_custodies", _placements()).get(pk=custody.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        inmate = data.pop("inmate")
        custody = services.admit_to_custody(inmate, actor=request.user, **data)
        return Response(self._read(custody), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        custody = self.get_object()
        serializer = self.get_serializer(custody, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        custody = services.update_custody(custody, actor=request.user, reason=reason, **changes)
        return Response(self._read(custody))

    @extend_schema(summary="Ajouter une garde antérieure à la chaîne de détention",
                   request=PriorCustodyInputSerializer,
                   responses={201: PriorCustodySerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="prior-custodies",
            permission_classes=[require_perms("inmates.add_priorcustody")])
    def prior_custodies(self, request, pk=None):
        custody = self.get_object()
        serializer = PriorCustodyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        prior = services.record_prior_custody(custody, actor=request.user, **serializer.validated_data)
        return Response(PriorCustodySerializer(prior).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Placer (ou déplacer) la personne dans une unité",
        description="Une unité pleine ou un mélange de catégories (Règle 11) est refusé (400, "
                    "`override_required`) tant que `override_reason` n'est pas renseigné.",
        request=PlacementInputSerializer,
        responses={
            201: PlacementSerializer,
            400: OpenApiResponse(PlacementWarningSerializer,
                                 description="Saisie refusée, ou avertissement de placement à confirmer."),
            **error_responses(403, 404),
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[require_perms("inmates.add_placement")])
    def placements(self, request, pk=None):
        custody = self.get_object()
        serializer = PlacementInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            placement = services.place_in_unit(custody, actor=request.user, **data)
        except DjangoValidationError as error:
            detail = validation_detail(error)
            if "override_reason" in detail:
                detail["override_required"] = True
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Terminer l'écrou : la personne compte désormais dans l'effectif",
                   request=None, responses={200: CustodySerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="complete-admission",
            permission_classes=[require_perms("inmates.change_custody")])
    def complete_admission(self, request, pk=None):
        custody = services.complete_admission(self.get_object(), actor=request.user)
        return Response(self._read(custody))


router.register("inmates", InmateViewSet, basename="inmate")
router.register("custodies", CustodyViewSet, basename="custody")


# --- Movements, and the base of every register's API --------------------------------------


PERSON_FIELDS = ("custody__inmate", "custody__facility")


FACILITY_PARAM = OpenApiParameter("facility", OpenApiTypes.INT, description="Identifiant d'un établissement.")


class ListParams(serializers.Serializer):
    """The list filters; a malformed value is a 400 in French, not an empty page."""

    facility = StrictIntegerField(required=False, min_value=1)
    custody = StrictIntegerField(required=False, min_value=1)
    current = StrictBooleanField(required=False, default=False)
    review_overdue = StrictBooleanField(required=False, default=False)
    overdue = StrictBooleanField(required=False, default=False)
    direction = serializers.ChoiceField(required=False, choices=["incoming", "outgoing"])
    status = serializers.ChoiceField(required=False, choices=TransferStatus.choices)


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
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


def record_schema(model_name, read, write, *, create_summary, list_summary, params=(), create=None):
    create = create or {"responses": {201: read, **error_responses(400, 403)}}
    return extend_schema_view(
        list=extend_schema(summary=list_summary, parameters=[FACILITY_PARAM, *params],
                           responses={200: read(many=True), **error_responses(400, 403)}),
        retrieve=extend_schema(summary=f"Un(e) {model_name}", responses={200: read, **error_responses(403, 404)}),
        create=extend_schema(summary=create_summary, request=write, **create),
    )


def record_action(summary, request, response, perm, **kwargs):
    """A POST action on one record: documented, permission-checked."""
    def wrap(func):
        func = action(detail=True, methods=["post"], permission_classes=[require_perms(*perm)], **kwargs)(func)
        return extend_schema(summary=summary, request=request,
                             responses={200: response, **error_responses(400, 403, 404)})(func)
    return wrap


@record_schema("transfert", TransferSerializer, TransferRequestSerializer,
         create_summary="Demander un transfert vers un autre établissement",
         list_summary="Transferts (les deux établissements les voient ; ?direction=incoming|outgoing)",
         params=[OpenApiParameter("direction", OpenApiTypes.STR, enum=["incoming", "outgoing"]),
                 OpenApiParameter("status", OpenApiTypes.STR, enum=TransferStatus.values)])
class TransferViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_transfer)
    serializer_class = TransferSerializer
    queryset = Transfer.objects.all()
    input_serializer = TransferRequestSerializer

    def base_queryset(self):
        return Transfer.objects.visible_to(self.request.user).select_related(
            *PERSON_FIELDS, "from_facility", "to_facility", "requested_by", "approved_by", "departed_by", "arrived_by",
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
        return movements.request_transfer(custody, actor=self.request.user, **data)

    @record_action("Approuver le transfert (direction de l'établissement de départ)", MomentSerializer,
             TransferSerializer, ["inmates.approve_transfer"])
    def approve(self, request, pk=None):
        return self._out(movements.approve_transfer(self.get_object(), actor=request.user,
                                                   **self._input(MomentSerializer)))

    @record_action("Enregistrer le départ avec l'escorte et les effets", TransferDepartSerializer, TransferSerializer,
             ["inmates.change_transfer"])
    def depart(self, request, pk=None):
        return self._out(movements.depart_transfer(self.get_object(), actor=request.user,
                                                  **self._input(TransferDepartSerializer)))

    @record_action("Enregistrer l'arrivée (établissement d'accueil) et placer dans une unité",
             TransferArriveSerializer, TransferSerializer, ["inmates.change_transfer"])
    def arrive(self, request, pk=None):
        return self._out(movements.arrive_transfer(self.get_object(), actor=request.user,
                                                  **self._input(TransferArriveSerializer)))

    @record_action("Annuler le transfert avant le départ", ReasonSerializer, TransferSerializer,
             ["inmates.change_transfer"])
    def cancel(self, request, pk=None):
        return self._out(movements.cancel_transfer(self.get_object(), actor=request.user,
                                                  **self._input(ReasonSerializer)))


@record_schema("sortie", ReleaseSerializer, ReleaseInputSerializer,
         create_summary="Enregistrer une sortie (décision, délai, restitution des effets contre reçu)",
         list_summary="Sorties")
class ReleaseViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_release)
    serializer_class = ReleaseSerializer
    queryset = Release.objects.all()
    input_serializer = ReleaseInputSerializer
    facility_field = "custody__facility_id"

    def base_queryset(self):
        return Release.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "recorded_by")

    def perform(self, data):
        custody = data.pop("custody")
        return movements.release(custody, actor=self.request.user, **data)


@record_schema("placement", CellMoveSerializer, CellMoveInputSerializer,
         create_summary="Changer une personne de cellule (motif obligatoire ; avertissements à confirmer "
                        "par `override_reason`)",
         list_summary="Placements (?custody= pour l'historique d'une personne)",
         params=[OpenApiParameter("custody", OpenApiTypes.INT), OpenApiParameter("current", OpenApiTypes.BOOL)])
class PlacementViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(reads.open_placement)
    serializer_class = CellMoveSerializer
    queryset = Placement.objects.all()
    input_serializer = CellMoveInputSerializer
    facility_field = "unit__facility_id"

    def base_queryset(self):
        return Placement.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "unit", "created_by")

    def get_queryset(self):
        qs = super().get_queryset()
        if self.params.get("custody"):
            qs = qs.filter(custody_id=self.params["custody"])
        return qs.current() if self.params.get("current") else qs

    def perform(self, data):
        custody = data.pop("custody")
        return movements.move_to_unit(custody, actor=self.request.user, **data)


router.register("transfers", TransferViewSet, basename="transfer")
router.register("releases", ReleaseViewSet, basename="release")
router.register("placements", PlacementViewSet, basename="placement")
