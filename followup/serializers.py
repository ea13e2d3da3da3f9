"""API representations of the individual follow-up. Input serializers check shape and types and
limit every referenced record to what the user may see; the rules live in followup.services."""

from rest_framework import serializers

from core.api import ModelSerializer, StrictBooleanField, StrictCharField, StrictPrimaryKeyRelatedField
from detention.models import Activity, Risk
from inmates.models import Custody
from inmates.serializers import PersonSerializer, ScopedSerializer, current_custodies, who

from .models import (
    Answer,
    Assessment,
    ChecklistItem,
    CommitteeDecision,
    CommitteeMember,
    CommitteeSession,
    DecisionKind,
    Domain,
    EnrolmentRefusal,
    Goal,
    IndividualPlan,
    InstrumentVersion,
    Intervention,
    InterventionType,
    Item,
    MemberRole,
    PlanReview,
    ProgressNote,
    ProviderKind,
    ReintegrationChecklist,
)


def _activities(user):
    return Activity.objects.visible_to(user).active()


def _plans(user):
    return IndividualPlan.objects.visible_to(user)


# The instrument -------------------------------------------------------------------------------

class ItemSerializer(ModelSerializer):
    scale_code = StrictCharField(source="scale.code", read_only=True)
    options = serializers.ListField(source="scale.options", child=serializers.DictField(child=StrictCharField()),
                                    read_only=True)

    class Meta:
        model = Item
        fields = ["id", "code", "order", "text", "guidance", "scale_code", "options"]
        read_only_fields = fields


class DomainSerializer(ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Domain
        fields = ["id", "code", "order", "name", "guidance", "items"]
        read_only_fields = fields


class InstrumentVersionSerializer(ModelSerializer):
    instrument_code = StrictCharField(source="instrument.code", read_only=True)
    instrument_name = StrictCharField(source="instrument.name", read_only=True)
    assessor_roles = serializers.ListField(child=StrictCharField(), read_only=True)
    domains = DomainSerializer(many=True, read_only=True)

    class Meta:
        model = InstrumentVersion
        fields = ["id", "instrument_code", "instrument_name", "number", "status", "guidance", "assessor_roles",
                  "change_note", "published_at", "domains"]
        read_only_fields = fields


# Assessments ----------------------------------------------------------------------------------

class AnswerSerializer(ModelSerializer):
    item_code = StrictCharField(source="item.code", read_only=True)
    label = StrictCharField(read_only=True)

    class Meta:
        model = Answer
        fields = ["item", "item_code", "value", "label", "note"]
        read_only_fields = fields


class AssessmentSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    assessed_by_name = who("assessed_by")
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "person", "version", "reviews", "assessed_on", "assessed_by_name", "justification",
                  "conclusion", "next_review_on", "answers"]
        read_only_fields = fields


class AssessmentInputSerializer(ScopedSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    answers = serializers.DictField(child=StrictCharField(), help_text="{code de l'élément: valeur de l'échelle}")
    notes = serializers.DictField(child=StrictCharField(allow_blank=True), required=False)
    justification = StrictCharField()
    conclusion = StrictCharField()
    next_review_on = serializers.DateField()
    scoped = {"custody": current_custodies}


# Plans ----------------------------------------------------------------------------------------

class GoalSerializer(ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "text", "domain", "status"]
        read_only_fields = fields


class RefusalSerializer(ModelSerializer):
    class Meta:
        model = EnrolmentRefusal
        fields = ["id", "activity", "reason", "because_of_category", "refused_on"]
        read_only_fields = fields


class InterventionSerializer(ModelSerializer):
    kind_code = StrictCharField(source="kind.code", read_only=True)
    sessions_held = serializers.SerializerMethodField()
    sessions_attended = serializers.SerializerMethodField()
    refusals = RefusalSerializer(many=True, read_only=True)

    class Meta:
        model = Intervention
        fields = ["id", "kind", "kind_code", "provider_kind", "provider_name", "goal", "activity", "enrolment",
                  "sessions_held", "sessions_attended", "refusals"]
        read_only_fields = fields

    def get_sessions_held(self, obj) -> int:
        return obj.sessions.count()

    def get_sessions_attended(self, obj) -> int:
        return obj.sessions.filter(attended=True).count()


class NoteSerializer(ModelSerializer):
    author_name = who("author")

    class Meta:
        model = ProgressNote
        fields = ["id", "intervention", "written_on", "text", "author_name"]
        read_only_fields = fields


class PlanReviewSerializer(ModelSerializer):
    reviewed_by_name = who("reviewed_by")

    class Meta:
        model = PlanReview
        fields = ["id", "reviewed_on", "summary", "next_review_on", "reviewed_by_name"]
        read_only_fields = fields


class PlanSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    drafted_by_name = who("drafted_by")
    goals = GoalSerializer(many=True, read_only=True)
    interventions = InterventionSerializer(many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True)
    reviews = PlanReviewSerializer(many=True, read_only=True)

    class Meta:
        model = IndividualPlan
        fields = ["id", "person", "assessment", "status", "summary", "drafted_on", "drafted_by_name", "approved_on",
                  "next_review_on", "closed_on", "goals", "interventions", "notes", "reviews"]
        read_only_fields = fields


class PlanInputSerializer(ScopedSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    summary = StrictCharField()
    goals = serializers.ListField(child=StrictCharField(), min_length=1)
    next_review_on = serializers.DateField()
    scoped = {"custody": current_custodies}


class InterventionInputSerializer(ScopedSerializer):
    kind = StrictPrimaryKeyRelatedField(queryset=InterventionType.objects.filter(is_active=True))
    provider_kind = serializers.ChoiceField(choices=ProviderKind.choices)
    provider_name = StrictCharField(required=False, allow_blank=True, max_length=160)
    goal = StrictPrimaryKeyRelatedField(queryset=Goal.objects.all(), required=False, allow_null=True)
    activity = StrictPrimaryKeyRelatedField(queryset=Activity.objects.none(), required=False, allow_null=True)
    scoped = {"activity": _activities}


class AttendanceInputSerializer(serializers.Serializer):
    intervention = serializers.IntegerField()
    held_on = serializers.DateField()
    attended = StrictBooleanField()
    note = StrictCharField(required=False, allow_blank=True, max_length=300)


class NoteInputSerializer(serializers.Serializer):
    text = StrictCharField()
    intervention = serializers.IntegerField(required=False, allow_null=True)


class ReviewInputSerializer(serializers.Serializer):
    summary = StrictCharField()
    next_review_on = serializers.DateField()


class EnrolInputSerializer(ScopedSerializer):
    intervention = serializers.IntegerField()
    activity = StrictPrimaryKeyRelatedField(queryset=Activity.objects.none(), required=False, allow_null=True)
    scoped = {"activity": _activities}


# The committee --------------------------------------------------------------------------------

class MemberSerializer(ModelSerializer):
    class Meta:
        model = CommitteeMember
        fields = ["role", "name"]
        read_only_fields = fields


class DecisionSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    decided_by_name = who("decided_by")
    held_on = serializers.DateField(source="session.held_on", read_only=True)

    class Meta:
        model = CommitteeDecision
        fields = ["id", "session", "held_on", "person", "kind", "reasons", "plan", "risk", "classification",
                  "activity", "activity_access", "next_review_on", "decided_by_name", "decided_at"]
        read_only_fields = fields


class SessionSerializer(ModelSerializer):
    facility_code = StrictCharField(source="facility.code", read_only=True)
    members = MemberSerializer(many=True, read_only=True)
    reviewed = serializers.SerializerMethodField()
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = CommitteeSession
        fields = ["id", "facility", "facility_code", "held_on", "agenda", "closed_at", "members", "reviewed",
                  "decisions"]
        read_only_fields = fields

    def get_reviewed(self, obj) -> list[int]:
        return list(obj.reviewed.values_list("custody_id", flat=True))


class MemberInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=MemberRole.choices)
    name = StrictCharField(max_length=160)


class SessionInputSerializer(serializers.Serializer):
    facility = serializers.IntegerField()
    held_on = serializers.DateField()
    agenda = StrictCharField(required=False, allow_blank=True)
    members = MemberInputSerializer(many=True)


class ReviewedInputSerializer(ScopedSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    scoped = {"custody": current_custodies}


class DecisionInputSerializer(ScopedSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    reasons = StrictCharField()
    plan = StrictPrimaryKeyRelatedField(queryset=IndividualPlan.objects.none(), required=False, allow_null=True)
    risk = serializers.ChoiceField(choices=Risk.choices, required=False)
    activity = StrictPrimaryKeyRelatedField(queryset=Activity.objects.none(), required=False, allow_null=True)
    activity_access = StrictBooleanField(required=False, allow_null=True)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    scoped = {"custody": current_custodies, "plan": _plans, "activity": _activities}


# Preparing release ----------------------------------------------------------------------------

class ChecklistItemSerializer(ModelSerializer):
    done_by_name = who("done_by")

    class Meta:
        model = ChecklistItem
        fields = ["id", "topic", "done_on", "done_by_name", "note"]
        read_only_fields = fields


class ChecklistSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ReintegrationChecklist
        fields = ["id", "person", "basis", "foreseeable_release_on", "opened_on", "items"]
        read_only_fields = fields


class ChecklistInputSerializer(ScopedSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    scoped = {"custody": current_custodies}


class ItemDoneInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    note = StrictCharField()
