"""API representations of life inside. Input serializers check shape and types and limit
every referenced record to those the user may see; the rules live in detention.services.
The person concerned comes with their legal status beside the terrorism flag.
"""

from rest_framework import serializers

from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
)
from detention.models import (
    Activity,
    CellLeader,
    Classification,
    Complaint,
    Enrolment,
    FamilyNotification,
    Visit,
    Visitor,
    Weekday,
)
from inmates.models import Custody, Relative, Transfer
from inmates.serializers import PersonSerializer, ScopedSerializer, active_units, current_custodies, who
from prisons.models import Facility, Regime, Unit


class ClassificationSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    risk_display = StrictCharField(source="get_risk_display", read_only=True)
    assessed_by_name = who("assessed_by")

    class Meta:
        model = Classification
        fields = ["id", "person", "risk", "risk_display", "assessed_on", "assessed_by_name", "reasons",
                  "next_review_on"]
        read_only_fields = fields


class ClassificationInputSerializer(ScopedSerializer, ModelSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    assessed_on = serializers.DateField(required=False)
    scoped = {"custody": current_custodies}

    class Meta:
        model = Classification
        fields = ["custody", "risk", "reasons", "next_review_on", "assessed_on"]


class CellLeaderSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    unit_name = StrictCharField(source="unit.name", read_only=True)
    appointed_by_name = who("appointed_by")

    class Meta:
        model = CellLeader
        fields = ["id", "unit", "unit_name", "person", "started_at", "ended_at", "end_reason",
                  "appointed_by_name", "agreement_noted", "agreement_notes"]
        read_only_fields = fields


class CellLeaderInputSerializer(ScopedSerializer):
    unit = StrictPrimaryKeyRelatedField(queryset=Unit.objects.none())
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    agreement_noted = StrictBooleanField()
    agreement_notes = StrictCharField(required=False, allow_blank=True, default="")
    scoped = {"unit": active_units, "custody": current_custodies}


class VisitorSerializer(ModelSerializer):
    class Meta:
        model = Visitor
        fields = ["last_name", "first_name", "id_document_kind", "id_document_number", "phone", "organisation"]
        # Identity documents repeat across visits: uniqueness is the service's lookup, not an error.
        validators = []


class VisitSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    visitor = VisitorSerializer(read_only=True)
    kind_display = StrictCharField(source="get_kind_display", read_only=True)
    recorded_by_name = who("recorded_by")
    exception_authorised_by_name = who("exception_authorised_by")

    class Meta:
        model = Visit
        fields = ["id", "facility", "person", "visitor", "kind", "kind_display", "relation", "arrived_at",
                  "left_at", "items_brought", "notes", "exception_authorised_by_name", "exception_reason",
                  "recorded_by_name"]
        read_only_fields = fields


class VisitInputSerializer(ScopedSerializer, ModelSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    visitor = VisitorSerializer()
    arrived_at = serializers.DateTimeField(required=False)
    scoped = {"custody": current_custodies}

    class Meta:
        model = Visit
        fields = ["custody", "visitor", "kind", "relation", "arrived_at", "left_at", "items_brought", "notes",
                  "exception_reason"]
        extra_kwargs = {"exception_reason": {"help_text": "Visite de famille hors des jours de visite : motif "
                                                          "de l'exception (direction seulement)."}}


class VisitLeaveSerializer(serializers.Serializer):
    left_at = serializers.DateTimeField(required=False)


class VisitingDaysSerializer(serializers.Serializer):
    facility = StrictIntegerField(read_only=True)
    visiting_days = serializers.ListField(child=serializers.ChoiceField(choices=Weekday.choices))


class ComplaintSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    status_display = StrictCharField(source="get_status_display", read_only=True)
    addressed_to_name = who("addressed_to")
    answered_by_name = who("answered_by")
    referred_by_name = who("referred_by")

    class Meta:
        model = Complaint
        fields = ["id", "facility", "person", "complainant_kind", "complainant_name", "channel", "subject",
                  "details", "is_confidential", "is_allegation", "addressed_to", "addressed_to_name",
                  "received_at", "due_on", "status", "status_display", "escalated_at", "answer", "answered_at",
                  "answered_by_name", "referral_authority", "referral_reference", "referred_at",
                  "referred_by_name", "closed_at"]
        read_only_fields = fields


class ComplaintReceiptSerializer(ModelSerializer):
    """What the author of a complaint gets back: the facts of the registration, never its
    content (a confidential complaint is read only by the direction and its addressee)."""

    person = PersonSerializer(source="custody", read_only=True)
    status_display = StrictCharField(source="get_status_display", read_only=True)
    addressed_to_name = who("addressed_to")

    class Meta:
        model = Complaint
        fields = ["id", "facility", "person", "complainant_kind", "channel", "is_confidential", "is_allegation",
                  "addressed_to", "addressed_to_name", "received_at", "due_on", "status", "status_display",
                  "escalated_at", "request_key"]
        read_only_fields = fields


class ComplaintInputSerializer(ScopedSerializer, ModelSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    received_at = serializers.DateTimeField(required=False)
    due_on = serializers.DateField(required=False)
    request_key = StrictCharField(
        required=False, allow_blank=True, default="", max_length=64,
        help_text="Clé choisie par le client (ou en-tête `Idempotency-Key`) : renvoyer la même requête "
                  "avec la même clé rend la première plainte (200) au lieu d'en créer une seconde.")
    scoped = {"custody": lambda user: Custody.objects.visible_to(user)}

    class Meta:
        model = Complaint
        fields = ["custody", "complainant_kind", "complainant_name", "channel", "subject", "details",
                  "is_confidential", "is_allegation", "addressed_to", "received_at", "due_on", "request_key"]


class AnswerSerializer(serializers.Serializer):
    answer = StrictCharField()


class ReferralSerializer(serializers.Serializer):
    authority = StrictCharField(max_length=160)
    reference = StrictCharField(required=False, allow_blank=True, default="", max_length=80)


class ActivitySerializer(ModelSerializer):
    kind_display = StrictCharField(source="get_kind_display", read_only=True)
    enrolled = StrictIntegerField(read_only=True, default=None)

    class Meta:
        model = Activity
        fields = ["id", "facility", "name", "kind", "kind_display", "open_to_regimes", "open_to_untried",
                  "open_to_convicted", "open_to_terrorism_related", "capacity", "is_active", "enrolled"]
        read_only_fields = fields


class ActivityInputSerializer(ScopedSerializer, ModelSerializer):
    facility = StrictPrimaryKeyRelatedField(queryset=Facility.objects.none())
    open_to_regimes = serializers.ListField(child=serializers.ChoiceField(choices=Regime.choices), allow_empty=True)
    scoped = {"facility": lambda user: Facility.objects.visible_to(user)}

    class Meta:
        model = Activity
        fields = ["facility", "name", "kind", "open_to_regimes", "open_to_untried", "open_to_convicted",
                  "open_to_terrorism_related", "capacity"]
        validators = []  # the service reports a duplicate name in French


class EnrolmentSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    activity_name = StrictCharField(source="activity.name", read_only=True)
    enrolled_by_name = who("enrolled_by")

    class Meta:
        model = Enrolment
        fields = ["id", "activity", "activity_name", "person", "started_on", "ended_on", "end_reason",
                  "enrolled_by_name"]
        read_only_fields = fields


class EnrolmentInputSerializer(ScopedSerializer):
    activity = StrictPrimaryKeyRelatedField(queryset=Activity.objects.none())
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    started_on = serializers.DateField(required=False)
    scoped = {"activity": lambda user: Activity.objects.visible_to(user), "custody": current_custodies}


class EndEnrolmentSerializer(serializers.Serializer):
    reason = StrictCharField(required=False, allow_blank=True, default="", max_length=200)
    ended_on = serializers.DateField(required=False)


class FamilyNotificationSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    event_display = StrictCharField(source="get_event_display", read_only=True)
    choice_display = StrictCharField(source="get_choice_display", read_only=True)
    told_by_name = who("told_by")

    class Meta:
        model = FamilyNotification
        fields = ["id", "person", "event", "event_display", "transfer", "choice", "choice_display", "relative",
                  "contact_name", "contact_phone", "told_at", "told_by_name", "method", "notes", "recorded_at"]
        read_only_fields = fields


class FamilyNotificationInputSerializer(ScopedSerializer, ModelSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    relative = StrictPrimaryKeyRelatedField(queryset=Relative.objects.none(), required=False, allow_null=True)
    transfer = StrictPrimaryKeyRelatedField(queryset=Transfer.objects.none(), required=False, allow_null=True)
    told_at = serializers.DateTimeField(required=False, allow_null=True)
    scoped = {
        "custody": lambda user: Custody.objects.visible_to(user),
        "relative": lambda user: Relative.objects.filter(
            inmate__in=Custody.objects.visible_to(user).values("inmate")),
        "transfer": lambda user: Transfer.objects.visible_to(user),
    }

    class Meta:
        model = FamilyNotification
        fields = ["custody", "event", "transfer", "choice", "relative", "contact_name", "contact_phone", "told_at",
                  "method", "notes"]


class ToldSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=FamilyNotification._meta.get_field("method").choices)
    told_at = serializers.DateTimeField(required=False)
    notes = StrictCharField(required=False, allow_blank=True, default="")
