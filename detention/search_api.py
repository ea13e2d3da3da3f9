"""API of the searches register and of the use-of-force register (issue 14, items 3–4): scoped lists
and audited reads; a search or a use of force entered through its service; the examination, the
report to the director, the review and the duration as actions. Registered on config.api.router by
detention.api."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from accounts.reads import AuditedReadsMixin
from core.api import ModelSerializer, StrictCharField, StrictIntegerField, StrictPrimaryKeyRelatedField
from detention import search_reads
from detention.models.searches import ItemOutcome, Search, SearchItem, UseOfForce
from detention.services import force as force_services
from detention.services import searches as search_services
from inmates.api import RecordViewSet, record_action, record_schema
from inmates.models import Custody
from inmates.reads import PERSON_FIELDS
from inmates.serializers import ScopedSerializer
from prisons.models import Facility, Unit


class SearchItemSerializer(ModelSerializer):
    outcome = serializers.ChoiceField(ItemOutcome.choices)
    reference = StrictCharField(required=False, allow_blank=True, default="")

    class Meta:
        model = SearchItem
        fields = ["description", "outcome", "reference"]


class SearchSerializer(ModelSerializer):
    items = SearchItemSerializer(many=True, read_only=True)

    class Meta:
        model = Search
        fields = ["id", "facility", "kind", "custody", "unit", "searched_at", "reason", "at_admission",
                  "searched_by", "searcher_sex", "witnesses", "authorised_by", "authorisation_reference",
                  "items", "recorded_by", "recorded_at"]
        read_only_fields = fields


def _staff(user):
    ids = user.visible_facility_ids()
    users = get_user_model().objects.filter(is_active=True)
    return users if ids is None else users.filter(facilities__in=ids).distinct()


class SearchInputSerializer(ScopedSerializer, ModelSerializer):
    facility = StrictPrimaryKeyRelatedField(queryset=Facility.objects.none())
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none(), required=False, allow_null=True)
    unit = StrictPrimaryKeyRelatedField(queryset=Unit.objects.none(), required=False, allow_null=True)
    searched_by = StrictPrimaryKeyRelatedField(queryset=get_user_model().objects.none(), required=False,
                                               allow_null=True)
    searched_at = serializers.DateTimeField(required=False, allow_null=True)
    items = SearchItemSerializer(many=True, required=False)
    scoped = {"facility": lambda user: Facility.objects.visible_to(user),
              "custody": lambda user: Custody.objects.visible_to(user),
              "unit": lambda user: Unit.objects.visible_to(user),
              "searched_by": _staff}

    class Meta:
        model = Search
        fields = ["facility", "kind", "custody", "unit", "searched_at", "reason", "searched_by", "searcher_sex",
                  "witnesses", "authorised_by", "authorisation_reference", "items"]


class UseOfForceSerializer(ModelSerializer):
    class Meta:
        model = UseOfForce
        fields = ["id", "facility", "custody", "occurred_at", "place", "staff", "other_staff", "reason_kind",
                  "reason", "means", "means_detail", "duration_minutes", "injuries", "examined_at", "examined_by",
                  "reported_at", "report_recorded_by", "reviewed_at", "reviewed_by", "review_outcome",
                  "recorded_by", "recorded_at"]
        read_only_fields = fields


class UseOfForceInputSerializer(ScopedSerializer, ModelSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    staff = StrictPrimaryKeyRelatedField(queryset=get_user_model().objects.none(), many=True, required=False)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    scoped = {"custody": lambda user: Custody.objects.visible_to(user)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # a list of staff: the scope goes on each element's field
            self.fields["staff"].child_relation.queryset = _staff(request.user)

    class Meta:
        model = UseOfForce
        fields = ["custody", "occurred_at", "place", "staff", "other_staff", "reason_kind", "reason", "means",
                  "means_detail", "duration_minutes", "injuries"]


class ForceMomentSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True)


class ForceReviewSerializer(ForceMomentSerializer):
    outcome = StrictCharField()


class ForceDurationSerializer(serializers.Serializer):
    duration_minutes = StrictIntegerField(min_value=0)


@record_schema("fouille", SearchSerializer, SearchInputSerializer,
               create_summary="Inscrire une fouille (corporelle ou de cellule) et les objets trouvés",
               list_summary="Registre des fouilles")
class SearchViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(search_reads.open_search)
    serializer_class = SearchSerializer
    queryset = Search.objects.all()
    input_serializer = SearchInputSerializer
    facility_field = "facility_id"

    def base_queryset(self):
        return (Search.objects.visible_to(self.request.user)
                .select_related("custody__inmate", "unit").prefetch_related("items"))

    def perform(self, data):
        facility = data.pop("facility")
        data["at"] = data.pop("searched_at", None)
        return search_services.record_search(facility, actor=self.request.user, **data)


@record_schema("usage de la force", UseOfForceSerializer, UseOfForceInputSerializer,
               create_summary="Inscrire un usage de la force ou de moyens de contrainte",
               list_summary="Registre de l'usage de la force et des moyens de contrainte")
class UseOfForceViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(search_reads.open_use_of_force)
    serializer_class = UseOfForceSerializer
    queryset = UseOfForce.objects.all()
    input_serializer = UseOfForceInputSerializer
    facility_field = "facility_id"

    def base_queryset(self):
        return UseOfForce.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS).prefetch_related("staff")

    def perform(self, data):
        custody = data.pop("custody")
        data["at"] = data.pop("occurred_at", None)
        return force_services.record_use_of_force(custody, actor=self.request.user, **data)

    def _step(self, pk, serializer_class, call):
        force = search_reads.open_use_of_force(pk, actor=self.request.user)
        return self._out(call(force, self._input(serializer_class)))

    @record_action("Enregistrer l'examen médical (personnel de santé)", ForceMomentSerializer, UseOfForceSerializer,
                   ["detention.examine_useofforce"], url_path="examination")
    def examination(self, request, pk=None):
        return self._step(pk, ForceMomentSerializer, lambda force, data: force_services.record_force_examination(
            force, actor=request.user, at=data.get("at")))

    @record_action("Enregistrer le rapport au directeur", ForceMomentSerializer, UseOfForceSerializer,
                   ["detention.change_useofforce"], url_path="report")
    def report(self, request, pk=None):
        return self._step(pk, ForceMomentSerializer, lambda force, data: force_services.record_force_report(
            force, actor=request.user, at=data.get("at")))

    @record_action("Contrôler une contrainte prolongée (direction)", ForceReviewSerializer, UseOfForceSerializer,
                   ["detention.review_useofforce"], url_path="review")
    def review(self, request, pk=None):
        return self._step(pk, ForceReviewSerializer, lambda force, data: force_services.record_restraint_review(
            force, outcome=data["outcome"], actor=request.user, at=data.get("at")))

    @record_action("Inscrire la durée de la contrainte", ForceDurationSerializer, UseOfForceSerializer,
                   ["detention.change_useofforce"], url_path="duration")
    def duration(self, request, pk=None):
        return self._step(pk, ForceDurationSerializer, lambda force, data: force_services.end_restraint(
            force, duration_minutes=data["duration_minutes"], actor=request.user))
