"""API of the discipline and isolation registers (issue 14): scoped lists and audited reads;
a placement in isolation through the service. Registered on config.api.router by detention.api."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.reads import AuditedReadsMixin
from core.api import (
    ModelSerializer,
    StrictCharField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    error_responses,
    require_perms,
)
from detention import discipline_reads
from detention.models import DisciplinaryCharge, DisciplinaryIncident, IsolationPlacement, Sanction
from detention.services import discipline, isolation
from inmates.api import RecordViewSet, record_action, record_schema
from inmates.models import Custody
from inmates.reads import PERSON_FIELDS
from inmates.serializers import ScopedSerializer
from prisons.models import Facility, Unit, UnitKind


class DisciplinaryChargeSerializer(ModelSerializer):
    occurred_at = serializers.DateTimeField(source="incident.occurred_at", read_only=True)
    place = StrictCharField(source="incident.place", read_only=True)
    description = StrictCharField(source="incident.description", read_only=True)
    witnesses = StrictCharField(source="incident.witnesses", read_only=True)
    facility = StrictIntegerField(source="incident.facility_id", read_only=True)
    sanction_name = StrictCharField(source="sanction.name", read_only=True, default=None)

    class Meta:
        model = DisciplinaryCharge
        fields = ["id", "incident", "facility", "custody", "occurred_at", "place", "description", "witnesses",
                  "offence", "notified_at", "notified_language", "heard_at", "statement", "interpreter",
                  "decided_at", "decided_by", "reasons", "sanction", "sanction_name", "sanction_days",
                  "appeal_lodged_at", "appeal_outcome", "appeal_decided_at"]
        read_only_fields = fields


STEP_METHODS = ["post", "options"]  # the charges' list and record are read-only


class ChargeStepSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                   help_text="Date et heure ; absent : maintenant.")


class ChargeNotifySerializer(ChargeStepSerializer):
    language = StrictCharField(max_length=60)


class ChargeHearingSerializer(ChargeStepSerializer):
    statement = StrictCharField(max_length=4000)
    interpreter = StrictCharField(max_length=120, required=False, allow_blank=True, default="")


class ChargeDecisionSerializer(ScopedSerializer, ChargeStepSerializer):
    reasons = StrictCharField(max_length=4000)
    sanction = StrictPrimaryKeyRelatedField(queryset=Sanction.objects.none(), required=False,
                                            allow_null=True, default=None,
                                            help_text="Une sanction de la liste de l'établissement ; absent : "
                                                            "aucune sanction.")
    days = StrictIntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=365)
    scoped = {"sanction": lambda user: Sanction.objects.filter(facility__in=Facility.objects.visible_to(user))}


class ChargeAppealOutcomeSerializer(ChargeStepSerializer):
    outcome = StrictCharField(max_length=4000)


class IsolationEndInputSerializer(ScopedSerializer, ChargeStepSerializer):
    reason = StrictCharField(max_length=200)
    back_to = StrictPrimaryKeyRelatedField(queryset=Unit.objects.none(), required=False, allow_null=True,
                                           default=None, help_text="L'unité où la personne retourne.")
    scoped = {"back_to": lambda user: Unit.objects.visible_to(user).filter(is_active=True)
              .exclude(kind=UnitKind.ISOLATION)}


class IsolationVisitInputSerializer(ChargeStepSerializer):
    adverse_effects = StrictCharField(max_length=4000, required=False, allow_blank=True, default="")


class IsolationSerializer(ModelSerializer):
    class Meta:
        model = IsolationPlacement
        fields = ["id", "facility", "custody", "reason_kind", "charge", "reason", "unit", "started_at",
                  "planned_end_on", "ended_at", "end_reason", "decided_by"]
        read_only_fields = fields


class IsolationInputSerializer(ScopedSerializer, ModelSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    charge = StrictPrimaryKeyRelatedField(queryset=DisciplinaryCharge.objects.none(), required=False,
                                          allow_null=True)
    scoped = {"custody": lambda user: Custody.objects.visible_to(user),
              "charge": lambda user: DisciplinaryCharge.objects.visible_to(user)}

    class Meta:
        model = IsolationPlacement
        fields = ["custody", "reason_kind", "charge", "reason", "planned_end_on", "is_pregnant", "with_infant",
                  "condition_worsened"]


@record_schema("poursuite disciplinaire", DisciplinaryChargeSerializer, DisciplinaryChargeSerializer,
               create_summary="(lecture seule)", list_summary="Registre disciplinaire")
class DisciplinaryChargeViewSet(AuditedReadsMixin, RecordViewSet):
    http_method_names = ["get", "head", "options"]  # the steps below are POST; a report: disciplinary-incidents
    read_service = staticmethod(discipline_reads.open_disciplinary_charge)
    serializer_class = DisciplinaryChargeSerializer
    queryset = DisciplinaryCharge.objects.all()
    facility_field = "incident__facility_id"

    def base_queryset(self):
        return DisciplinaryCharge.objects.visible_to(self.request.user).select_related(
            *PERSON_FIELDS, "incident", "sanction")

    @record_action("Notifier la poursuite à la personne, dans une langue qu'elle comprend (Règle 41)",
                   ChargeNotifySerializer, DisciplinaryChargeSerializer, ["detention.change_disciplinarycharge"],
                   http_method_names=STEP_METHODS)
    def notify(self, request, pk=None):
        return self._out(discipline.notify_charge(self.get_object(), actor=request.user,
                                                  **self._input(ChargeNotifySerializer)))

    @record_action("Enregistrer l'audience (après le délai de préparation ; interprète le cas échéant)",
                   ChargeHearingSerializer, DisciplinaryChargeSerializer, ["detention.change_disciplinarycharge"],
                   http_method_names=STEP_METHODS)
    def hear(self, request, pk=None):
        return self._out(discipline.hear_charge(self.get_object(), actor=request.user,
                                                **self._input(ChargeHearingSerializer)))

    @record_action("Décision motivée de la direction : une sanction de la liste de l'établissement, ou aucune",
                   ChargeDecisionSerializer, DisciplinaryChargeSerializer, ["detention.decide_disciplinarycharge"],
                   http_method_names=STEP_METHODS)
    def decide(self, request, pk=None):
        return self._out(discipline.decide_charge(self.get_object(), actor=request.user,
                                                  **self._input(ChargeDecisionSerializer)))

    @record_action("Enregistrer un recours contre la décision", ChargeStepSerializer, DisciplinaryChargeSerializer,
                   ["detention.change_disciplinarycharge"],
                   http_method_names=STEP_METHODS)
    def appeal(self, request, pk=None):
        return self._out(discipline.lodge_appeal(self.get_object(), actor=request.user,
                                                 **self._input(ChargeStepSerializer)))

    @record_action("Enregistrer l'issue du recours", ChargeAppealOutcomeSerializer, DisciplinaryChargeSerializer,
                   ["detention.change_disciplinarycharge"], url_path="appeal-outcome",
                   http_method_names=STEP_METHODS)
    def appeal_outcome(self, request, pk=None):
        return self._out(discipline.decide_appeal(self.get_object(), actor=request.user,
                                                  **self._input(ChargeAppealOutcomeSerializer)))


@record_schema("placement à l'isolement", IsolationSerializer, IsolationInputSerializer,
               create_summary="Placer une personne à l'isolement (sanction décidée ou mesure de sécurité)",
               list_summary="Registre de l'isolement")
class IsolationViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(discipline_reads.open_isolation)
    serializer_class = IsolationSerializer
    queryset = IsolationPlacement.objects.all()
    input_serializer = IsolationInputSerializer
    facility_field = "facility_id"

    def base_queryset(self):
        return IsolationPlacement.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "unit")

    def perform(self, data):
        custody = data.pop("custody")
        return isolation.place_in_isolation(custody, actor=self.request.user, **data)

    @record_action("Lever l'isolement (direction)", IsolationEndInputSerializer, IsolationSerializer,
                   ["detention.change_isolationplacement"])
    def end(self, request, pk=None):
        return self._out(isolation.end_isolation(self.get_object(), actor=request.user,
                                                 **self._input(IsolationEndInputSerializer)))

    @record_action("Enregistrer la visite médicale quotidienne (Règle 46 ; personnel de santé)",
                   IsolationVisitInputSerializer, IsolationSerializer, ["detention.record_isolation_visit"])
    def visit(self, request, pk=None):
        visit = isolation.record_isolation_visit(self.get_object(), actor=request.user,
                                                 **self._input(IsolationVisitInputSerializer))
        return self._out(visit.placement)  # the placement, with its visits (its serializer)


class IncidentReportSerializer(ScopedSerializer):
    facility = StrictPrimaryKeyRelatedField(queryset=Facility.objects.none())
    custodies = serializers.ListField(
        child=StrictPrimaryKeyRelatedField(queryset=Custody.objects.none()), min_length=1, max_length=50,
        help_text="Les séjours des personnes mises en cause (une poursuite chacune, décidée séparément).")
    occurred_at = serializers.DateTimeField()
    place = StrictCharField(max_length=160)
    description = StrictCharField(max_length=4000)
    witnesses = StrictCharField(max_length=4000, required=False, allow_blank=True, default="")
    offence = StrictCharField(max_length=200)
    scoped = {"facility": lambda user: Facility.objects.visible_to(user)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["custodies"].child.queryset = Custody.objects.visible_to(request.user).current()


class IncidentSerializer(ModelSerializer):
    charges = DisciplinaryChargeSerializer(many=True, read_only=True)

    class Meta:
        model = DisciplinaryIncident
        fields = ["id", "facility", "occurred_at", "place", "description", "witnesses", "reported_by",
                  "reported_at", "charges"]
        read_only_fields = fields


class DisciplinaryIncidentViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = IncidentReportSerializer
    permission_classes = [require_perms("detention.add_disciplinaryincident")]

    @extend_schema(summary="Rapport d'incident disciplinaire : une poursuite par personne mise en cause",
                   request=IncidentReportSerializer, responses={201: IncidentSerializer,
                                                                **error_responses(400, 403)})
    def create(self, request, *args, **kwargs):
        serializer = IncidentReportSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        incident = discipline.report_incident(data.pop("facility"), actor=request.user, **data)
        incident = DisciplinaryIncident.objects.prefetch_related("charges__sanction", "charges__incident").get(
            pk=incident.pk)
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

