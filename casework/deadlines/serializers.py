"""Read-only serializers for alerts and the backlog report."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.deadlines.alerts import LIMIT_EDITABLE_FIELDS, needs_art129_notice
from casework.models import DeadlineAlert, DetentionLimit
from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
)


class DeadlineAlertSerializer(ModelSerializer):
    kind_label = StrictCharField(source="get_kind_display", read_only=True)
    close_reason_label = StrictCharField(source="get_close_reason_display", read_only=True)
    # Empty for a person held with no case at all (the alert is then on the stay).
    case_number = StrictCharField(source="case.case_number", read_only=True, default=None)
    court = StrictCharField(source="case.court.name", read_only=True, default=None)
    court_id = StrictIntegerField(source="case.court_id", read_only=True, default=None)
    investigating_judge = StrictCharField(source="case.investigating_judge", read_only=True, default=None)
    custody = StrictIntegerField(source="custody_id", read_only=True)
    facility = StrictCharField(source="custody.facility.code", read_only=True)
    inmate_id = StrictIntegerField(source="custody.inmate_id", read_only=True)
    inmate = StrictCharField(source="custody.inmate.__str__", read_only=True)
    # Legal status always beside the terrorism flag (presumption of innocence).
    legal_status = StrictCharField(source="custody.legal_status", read_only=True)
    legal_status_label = StrictCharField(source="custody.get_legal_status_display", read_only=True)
    terrorism_related = StrictBooleanField(source="custody.terrorism_related", read_only=True)
    deadline_on = serializers.DateField(source="case.deadline.deadline_on", read_only=True, default=None)
    max_on = serializers.DateField(source="case.deadline.max_on", read_only=True, default=None)
    conservative_deadline_on = serializers.DateField(source="case.deadline.conservative_deadline_on",
                                                     read_only=True, default=None)
    limit = StrictCharField(source="case.deadline.limit.__str__", read_only=True, default=None)
    # Why the deadline is what it is (a renewal not counted, a start date assumed…).
    notes = StrictCharField(source="case.deadline.notes", read_only=True, default="")
    police_custody_hours = StrictFloatField(source="case.deadline.police_custody_hours", read_only=True,
                                            default=None)
    police_custody_limit_hours = StrictIntegerField(source="case.deadline.police_custody_limit_hours",
                                                    read_only=True, default=None)
    days_overdue = serializers.SerializerMethodField()
    critical = StrictBooleanField(
        source="is_critical", read_only=True,
        help_text="Vrai pour les irrégularités les plus graves : sortie en retard sur une décision de libération, "
                  "peine purgée, retenu sans titre, délai ou durée maximale dépassés, garde à vue excessive.")
    art129_notice_url = serializers.SerializerMethodField()
    notice_acknowledged_at = serializers.DateTimeField(
        source="notice_acknowledgement.acknowledged_at", read_only=True, allow_null=True, default=None,
        help_text="Quand le magistrat a accusé réception de l'avis article 129 (portail des juridictions).")
    notice_acknowledged_by = StrictCharField(
        source="notice_acknowledgement.acknowledged_by", read_only=True, allow_null=True, default=None)

    class Meta:
        model = DeadlineAlert
        fields = [
            "id", "kind", "kind_label", "case", "custody", "case_number", "court", "court_id", "investigating_judge",
            "facility", "inmate_id", "inmate", "legal_status", "legal_status_label", "terrorism_related",
            "due_on", "deadline_on", "max_on", "conservative_deadline_on", "limit", "notes",
            "police_custody_hours", "police_custody_limit_hours", "days_overdue", "critical",
            "opened_at", "closed_at", "close_reason", "close_reason_label", "art129_notice_url",
            "notice_acknowledged_at", "notice_acknowledged_by",
        ]
        read_only_fields = fields

    def get_days_overdue(self, alert) -> int | None:
        deadline = getattr(getattr(alert.case, "deadline", None), "deadline_on", None)
        return None if deadline is None else (timezone.localdate() - deadline).days

    def get_art129_notice_url(self, alert) -> str | None:
        if not needs_art129_notice(alert):
            return None
        return reverse("deadlines:art129_notice", args=[alert.pk])


class PersonAlertsSerializer(serializers.Serializer):
    """One person (their stay) with all their open alerts: GET /api/v1/alerts/by-person/."""

    custody = StrictIntegerField(source="custody.pk")
    inmate_id = StrictIntegerField(source="custody.inmate_id")
    inmate = StrictCharField(source="custody.inmate.__str__")
    prisoner_number = StrictCharField(source="custody.inmate.prisoner_number")
    facility = StrictCharField(source="custody.facility.code")
    # Legal status always beside the terrorism flag (presumption of innocence).
    legal_status = StrictCharField(source="custody.legal_status")
    legal_status_label = StrictCharField(source="custody.get_legal_status_display")
    terrorism_related = StrictBooleanField(source="custody.terrorism_related")
    days_overdue = StrictIntegerField(allow_null=True, help_text="Le plus long dépassement de ses alertes (jours).")
    alert_count = serializers.SerializerMethodField()
    alerts = serializers.SerializerMethodField(help_text="Toutes ses alertes ouvertes, la plus grave d'abord.")

    def get_alert_count(self, row) -> int:
        return len(row["alerts"])

    @extend_schema_field(DeadlineAlertSerializer(many=True))
    def get_alerts(self, row):
        return DeadlineAlertSerializer([e["alert"] for e in row["alerts"]], many=True, context=self.context).data


class BucketSerializer(serializers.Serializer):
    key = StrictCharField()
    label = StrictCharField()
    count = StrictIntegerField()


class AlertCountSerializer(serializers.Serializer):
    kind = StrictCharField()
    label = StrictCharField()
    count = StrictIntegerField()


class TerrorismStatusSerializer(serializers.Serializer):
    """Terrorism-related people of one legal status: the flag never travels without the status."""

    status = StrictCharField()
    label = StrictCharField()
    count = StrictIntegerField()


class ApartSerializer(serializers.Serializer):
    """Prisons out of service (destroyed, closed, being rebuilt) and the people still recorded there."""

    facilities = StrictIntegerField()
    held = StrictIntegerField()
    untried = StrictIntegerField()


class FacilityFiguresSerializer(serializers.Serializer):
    id = StrictIntegerField()
    code = StrictCharField()
    name = StrictCharField()
    status = StrictCharField()
    capacity = StrictIntegerField()
    held = StrictIntegerField()
    congestion = StrictFloatField(allow_null=True)
    untried = StrictIntegerField()
    untried_share = StrictFloatField(allow_null=True)
    terrorism = StrictIntegerField()
    terrorism_untried = StrictIntegerField()
    terrorism_untried_share = StrictFloatField(allow_null=True)
    terrorism_by_status = TerrorismStatusSerializer(many=True)


class TotalsSerializer(serializers.Serializer):
    capacity = StrictIntegerField()
    held = StrictIntegerField()
    congestion = StrictFloatField(allow_null=True)
    untried = StrictIntegerField()
    untried_share = StrictFloatField(allow_null=True)
    terrorism = StrictIntegerField()
    terrorism_untried = StrictIntegerField()
    terrorism_untried_share = StrictFloatField(allow_null=True)
    terrorism_by_status = TerrorismStatusSerializer(many=True)
    terrorism_suspect = StrictIntegerField()
    terrorism_charged = StrictIntegerField()
    terrorism_appeal = StrictIntegerField()
    terrorism_convicted = StrictIntegerField()
    facilities = StrictIntegerField(help_text="Établissements en service dans le périmètre.")
    apart = ApartSerializer(help_text="Hors capacité et hors taux : établissements hors service.")


class CourtFiguresSerializer(serializers.Serializer):
    court_id = StrictIntegerField()
    court = StrictCharField()
    untried = StrictIntegerField()
    overdue = StrictIntegerField()


class JudgeFiguresSerializer(CourtFiguresSerializer):
    judge = StrictCharField()


class TrendPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    held = StrictIntegerField()
    untried = StrictIntegerField()
    overdue = StrictIntegerField()


class BacklogReportSerializer(serializers.Serializer):
    day = serializers.DateField()
    facility = StrictIntegerField(allow_null=True)
    totals = TotalsSerializer()
    facilities = FacilityFiguresSerializer(many=True)
    other_facilities = FacilityFiguresSerializer(many=True)
    buckets = BucketSerializer(many=True)
    median_days_untried = StrictIntegerField(allow_null=True)
    p90_days_untried = StrictIntegerField(allow_null=True)
    alerts = AlertCountSerializer(many=True)
    by_court = CourtFiguresSerializer(many=True)
    by_judge = JudgeFiguresSerializer(many=True)
    trend = TrendPointSerializer(many=True)


class DetentionLimitSerializer(ModelSerializer):
    """One row of the limits table (LAW.md: every limit is data, with its code version and dates)."""

    key_label = StrictCharField(source="get_key_display", read_only=True)
    counted_from_label = StrictCharField(source="get_counted_from_display", read_only=True)

    class Meta:
        model = DetentionLimit
        fields = ["id", "key", "key_label", "code_version", *LIMIT_EDITABLE_FIELDS, "counted_from_label",
                  "updated_at"]
        read_only_fields = fields


class DetentionLimitChangeSerializer(ModelSerializer):
    """A correction of one row: the fields to change and the reason (audited); every deadline is
    then recomputed. The situation (`key`) and the code version identify the row and do not change."""

    reason = StrictCharField(write_only=True, help_text="Motif de la modification (obligatoire, audité).")

    class Meta:
        model = DetentionLimit
        fields = [*LIMIT_EDITABLE_FIELDS, "reason"]
        extra_kwargs = {name: {"required": False} for name in LIMIT_EDITABLE_FIELDS}
