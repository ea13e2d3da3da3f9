"""API input and output shapes for the arrival workflow. Inputs only check types; the
rules (what is required, in which case) are the services', so both doors say the same."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.models import Court, LegalClass, OrderKind
from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
)
from inmates.models import (
    Affiliation,
    ArrestingForce,
    Education,
    EngagementReason,
    Involvement,
    MaritalStatus,
    PriorCustodyKind,
    Relation,
    Sex,
)
from inmates.vocabularies import EthnicGroup, Occupation, OrganisationalRole, Religion
from prisons.models import Facility, Region, Unit

from .models import (
    STEP_SLUGS,
    Acknowledgement,
    BriefingLanguage,
    Finger,
    IdentityDecision,
    Intake,
    Need,
    PropertyCategory,
    RulesMode,
    SecurityCheck,
    Step,
)
from .services import WARRANT_REQUIRED

OPTIONAL = {"required": False}
TEXT = {"required": False, "allow_blank": True}


class ArrivalChargeSerializer(serializers.Serializer):
    offence = StrictCharField(**TEXT, max_length=200)
    legal_class = serializers.ChoiceField(LegalClass.choices, **TEXT)
    terrorism_related = StrictBooleanField(default=False)
    max_penalty_months = StrictIntegerField(min_value=0, required=False, allow_null=True)


class ArrivalPriorCustodySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(PriorCustodyKind.choices, **TEXT)
    place = StrictCharField(**TEXT, max_length=160)
    authority = StrictCharField(**TEXT, max_length=160)
    started_at = serializers.DateTimeField(required=False, allow_null=True)
    ended_at = serializers.DateTimeField(required=False, allow_null=True)


class CandidateShownSerializer(serializers.Serializer):
    id = StrictIntegerField(min_value=1)
    score = StrictFloatField(min_value=0, max_value=1)


class ArrivalSerializer(serializers.Serializer):
    """The warrant as the police hand it over, and the clerk's identity decision."""

    # What intake.services.check_warrant requires (Mandela Rule 7); also one of `date_of_birth`
    # or `birth_year`, and `inmate` when `identity_decision` is "readmission".
    schema_required = (*WARRANT_REQUIRED, "charges")

    facility = serializers.SlugRelatedField(slug_field="code", queryset=Facility.objects.all(),
                                            required=False, help_text=_("Code de l'établissement."))
    identity_decision = serializers.ChoiceField(IdentityDecision.choices, **TEXT)
    inmate = StrictIntegerField(required=False, allow_null=True,
                                help_text=_("Pour un ré-écrou : la personne déjà connue."))
    candidates_shown = CandidateShownSerializer(
        many=True, required=False,
        help_text=_("Les correspondances montrées au greffier (GET /api/v1/inmates/matches/) : id et "
                    "score, gardés avec l'écrou pour montrer que la décision d'identité a été éclairée."))
    last_name = StrictCharField(**TEXT, max_length=80)
    first_name = StrictCharField(**TEXT, max_length=120)
    father_name = StrictCharField(**TEXT, max_length=120)
    mother_name = StrictCharField(**TEXT, max_length=160)
    sex = serializers.ChoiceField(Sex.choices, **TEXT)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    birth_year = StrictIntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)
    region_of_origin = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(),
                                                    required=False, allow_null=True)
    warrant_number = StrictCharField(**TEXT, max_length=60)
    warrant_kind = serializers.ChoiceField(OrderKind.choices, **TEXT)
    issued_by = StrictCharField(**TEXT, max_length=160)
    issued_on = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    court = serializers.SlugRelatedField(slug_field="code", queryset=Court.objects.all(),
                                         required=False, allow_null=True)
    case_number = StrictCharField(**TEXT, max_length=60)
    investigating_judge = StrictCharField(**TEXT, max_length=120)
    charges = ArrivalChargeSerializer(many=True, required=False)
    arresting_force = serializers.ChoiceField(ArrestingForce.choices, **TEXT)
    arresting_unit = StrictCharField(**TEXT, max_length=120)
    arrested_at = serializers.DateTimeField(required=False, allow_null=True)
    arrest_place = StrictCharField(**TEXT, max_length=160)
    arrest_region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(),
                                                 required=False, allow_null=True)
    prior_custodies = ArrivalPriorCustodySerializer(many=True, required=False)
    admitted_at = serializers.DateTimeField(required=False, allow_null=True)


class StepStateSerializer(serializers.Serializer):
    step = StrictIntegerField()
    slug = StrictCharField()
    label = StrictCharField()
    done = StrictBooleanField()
    completed_by = StrictCharField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class IntakePersonSerializer(serializers.Serializer):
    id = StrictIntegerField()
    name = StrictCharField()
    prisoner_number = StrictCharField(allow_null=True, help_text=_("Attribué à l'étape 2."))


class NextStepSerializer(serializers.Serializer):
    step = StrictIntegerField(min_value=1, max_value=5)
    slug = serializers.ChoiceField(choices=list(STEP_SLUGS.values()))
    label = StrictCharField()


class BriefingSerializer(ModelSerializer):
    """The rules and rights explained at the security step (Rules 54–55) and the charges
    communicated (Rule 111)."""

    language_display = StrictCharField(read_only=True)

    class Meta:
        model = SecurityCheck
        fields = ["rules_language", "rules_language_other", "language_display", "rules_mode",
                  "interpreter_name", "can_read", "acknowledgement", "acknowledgement_witness",
                  "charges_communicated_at", "charges_communicated_by"]
        read_only_fields = fields


class IntakeSerializer(ModelSerializer):
    """State of an intake. Medical details never appear here: only fit / not fit."""

    facility = StrictCharField(source="facility.code")
    inmate = serializers.SerializerMethodField()
    legal_status = StrictCharField(source="custody.legal_status")
    terrorism_related = StrictBooleanField(source="custody.terrorism_related")
    next_step = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    medical_check = serializers.SerializerMethodField()
    is_stalled = serializers.SerializerMethodField()
    briefing = serializers.SerializerMethodField()

    class Meta:
        model = Intake
        fields = ["id", "facility", "inmate", "custody", "case", "legal_status", "terrorism_related",
                  "status", "identity_decision", "next_step", "steps", "medical_check", "is_stalled",
                  "briefing", "opened_at", "last_activity_at", "completed_at"]

    @extend_schema_field(IntakePersonSerializer)
    def get_inmate(self, intake):
        person = intake.inmate
        return {"id": person.pk, "name": person.full_name, "prisoner_number": person.prisoner_number}

    @extend_schema_field(NextStepSerializer(allow_null=True))
    def get_next_step(self, intake):
        step = intake.next_step
        return None if step is None else {"step": int(step), "slug": STEP_SLUGS[step],
                                          "label": str(step.label)}

    @extend_schema_field(StepStateSerializer(many=True))
    def get_steps(self, intake):
        done = {r.step: r for r in intake.step_records.all()}
        return StepStateSerializer([{
            "step": int(step), "slug": STEP_SLUGS[step], "label": str(step.label),
            "done": step in done,
            "completed_by": str(done[step].completed_by) if step in done else None,
            "completed_at": done[step].completed_at if step in done else None,
        } for step in Step], many=True).data

    def get_medical_check(self, intake) -> str | None:
        """"apte" / "inapte" once the medical step is done; details only for medical staff."""
        if intake.medically_fit is None:
            return None
        return "apte" if intake.medically_fit else "inapte"

    def get_is_stalled(self, intake) -> bool:
        return intake.is_stalled()

    @extend_schema_field(BriefingSerializer(allow_null=True))
    def get_briefing(self, intake):
        check = getattr(intake, "security", None)
        return None if check is None else BriefingSerializer(check).data


class SecuritySerializer(serializers.Serializer):
    rules_explained = StrictBooleanField(default=False)
    rules_language = serializers.ChoiceField(BriefingLanguage.choices, **TEXT)
    rules_language_other = StrictCharField(**TEXT, max_length=60, help_text=_(
        "Obligatoire si la langue est « other »."))
    interpreter_name = StrictCharField(**TEXT, max_length=120)
    can_read = StrictBooleanField(required=False, allow_null=True, default=None, help_text=_(
        "Obligatoire ; une personne qui ne sait pas lire reçoit les explications oralement."))
    rules_mode = serializers.ChoiceField(RulesMode.choices, **TEXT)
    acknowledgement = serializers.ChoiceField(Acknowledgement.choices, **TEXT)
    acknowledgement_witness = StrictCharField(**TEXT, max_length=120, help_text=_(
        "Obligatoire en cas de refus de signer."))
    charges_communicated = StrictBooleanField(default=False)
    charges_communicated_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    charges_communicated_by = StrictCharField(**TEXT, max_length=120)
    search_done = StrictBooleanField(default=False)
    searcher_sex = serializers.ChoiceField(Sex.choices, **TEXT, help_text=_(
        "Sexe de l'agent qui a fouillé : une fouille par un agent de l'autre sexe est refusée (Règles 50–52)."))
    search_witnesses = StrictCharField(**TEXT, max_length=240)
    prohibited_items_found = StrictBooleanField(default=False)
    items_found = StrictCharField(**TEXT)
    unit = StrictPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    override_reason = StrictCharField(**TEXT, help_text=_(
        "Obligatoire si l'unité est pleine ou mélange des catégories (Règle 11)."))
    notes = StrictCharField(**TEXT)


class IntakeRelativeSerializer(serializers.Serializer):
    name = StrictCharField(max_length=160)
    relation = serializers.ChoiceField(Relation.choices)
    is_next_of_kin = StrictBooleanField(default=False)
    is_emergency_contact = StrictBooleanField(default=False)
    phone = StrictCharField(**TEXT, max_length=40)
    address = StrictCharField(**TEXT, max_length=200)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    age_years = StrictIntegerField(required=False, allow_null=True, min_value=0)
    whereabouts = StrictCharField(**TEXT, max_length=200)
    caregiver = StrictCharField(**TEXT, max_length=160)


class AdministrationSerializer(serializers.Serializer):
    """multipart/form-data: photo, warrant scan, one file per finger (or the reason);
    `relatives` is a JSON list."""

    # Also, per finger, `fingerprint_<finger>` or `fingerprint_<finger>_missing_reason`; and
    # `no_contact_reason` when no relative is next of kin or emergency contact.
    schema_required = ("identity_confirmed", "photo", "warrant_scan")

    identity_confirmed = StrictBooleanField(default=False)
    identity_notes = StrictCharField(**TEXT)
    photo = serializers.FileField(required=False, allow_null=True)
    warrant_scan = serializers.FileField(required=False, allow_null=True)
    father_name = StrictCharField(**TEXT, max_length=120)
    mother_name = StrictCharField(**TEXT, max_length=160)
    place_of_birth = StrictCharField(**TEXT, max_length=120)
    nationality = StrictCharField(**TEXT, max_length=60)
    languages = StrictCharField(**TEXT, max_length=200)
    gender_identity = StrictCharField(**TEXT, max_length=60)
    domiciled_in_mali = StrictBooleanField(
        required=False, allow_null=True, default=None,
        help_text="Domicilié au Mali : détermine le délai des délits punis de 2 ans au plus (art. 125 CPP) ; "
                  "null : non renseigné.")
    relatives = serializers.JSONField(required=False, binary=True)
    no_contact_reason = StrictCharField(**TEXT, max_length=200)
    no_fingerprint_reader = StrictBooleanField(
        default=False, help_text="Pas de lecteur d'empreintes à ce poste : chaque doigt sans image ni motif "
                                 "propre est enregistré comme non relevé pour ce motif.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for finger in Finger:
            self.fields[f"fingerprint_{finger.value}"] = serializers.FileField(required=False, allow_null=True)
            self.fields[f"fingerprint_{finger.value}_missing"] = StrictCharField(**TEXT, max_length=200)

    def validate_relatives(self, value):
        if value in (None, ""):
            return []
        if not isinstance(value, list):
            raise serializers.ValidationError(_("Une liste de parents ou contacts est attendue."))
        out = IntakeRelativeSerializer(data=value, many=True)
        out.is_valid(raise_exception=True)
        return out.validated_data

    def service_data(self):
        data = dict(self.validated_data)
        data["fingerprints"] = {
            f.value: {"image": data.pop(f"fingerprint_{f.value}", None),
                      "missing_reason": data.pop(f"fingerprint_{f.value}_missing", "")}
            for f in Finger}
        data["relatives"] = [dict(r) for r in data.get("relatives") or []]
        return data


class PropertyItemSerializer(serializers.Serializer):
    category = serializers.ChoiceField(PropertyCategory.choices)
    description = StrictCharField(max_length=200)
    quantity = StrictIntegerField(min_value=1, default=1)
    cash_amount = StrictIntegerField(min_value=0, required=False, allow_null=True)
    currency = StrictCharField(max_length=12, default="XOF")
    imei = StrictCharField(**TEXT, max_length=15)


class RegistrySerializer(serializers.Serializer):
    # Also `seal_number` and `storage_place` when `items` is not empty; `witness_name` on a refusal.
    schema_required = ("acknowledgement",)

    items = PropertyItemSerializer(many=True, required=False)
    seal_number = StrictCharField(**TEXT, max_length=40)
    storage_place = StrictCharField(**TEXT, max_length=120)
    acknowledgement = serializers.ChoiceField(Acknowledgement.choices, **TEXT)
    witness_name = StrictCharField(**TEXT, max_length=160)
    notes = StrictCharField(**TEXT)


class MedicalSerializer(serializers.Serializer):
    # Also `injuries_description` with `visible_injuries`; the allegation's account with
    # `ill_treatment_alleged`; `report_authority` and `report_date` with either.
    schema_required = ("fit_for_detention", "contagious_screening")

    fit_for_detention = StrictBooleanField(required=False, allow_null=True, default=None)
    visible_injuries = StrictBooleanField(default=False)
    injuries_description = StrictCharField(**TEXT)
    ill_treatment_alleged = StrictBooleanField(default=False)
    allegation_by_whom = StrictCharField(**TEXT, max_length=160)
    allegation_where = StrictCharField(**TEXT, max_length=160)
    allegation_when = StrictCharField(**TEXT, max_length=80)
    allegation_account = StrictCharField(**TEXT)
    contagious_screening = StrictCharField(**TEXT)
    treatment = StrictCharField(**TEXT)
    report_authority = StrictCharField(**TEXT, max_length=160)
    report_date = serializers.DateField(required=False, allow_null=True)

    def validate_report_date(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError(_("La date du signalement est dans le futur."))
        return value


class InterviewSerializer(serializers.Serializer):
    # Also `involvement` (and the profile) when the case is terrorism-related.
    schema_required = ("background", "family_situation", "conclusions")

    background = StrictCharField(**TEXT)
    family_situation = StrictCharField(**TEXT)
    languages = StrictCharField(**TEXT, max_length=200)
    own_account = StrictCharField(**TEXT)
    motivations = StrictCharField(**TEXT)
    needs = serializers.MultipleChoiceField(choices=Need.choices, required=False)
    needs_notes = StrictCharField(**TEXT)
    conclusions = StrictCharField(**TEXT)
    ethnic_group = serializers.ChoiceField(EthnicGroup.choices, **TEXT)
    ethnic_group_other = StrictCharField(**TEXT, max_length=120, help_text=_("Obligatoire lorsque la rubrique vaut « other » (Autre) ; vide sinon."))
    religion = serializers.ChoiceField(Religion.choices, **TEXT)
    religion_other = StrictCharField(**TEXT, max_length=120, help_text=_("Obligatoire lorsque la rubrique vaut « other » (Autre) ; vide sinon."))
    education = serializers.ChoiceField(Education.choices, **TEXT)
    occupation = serializers.ChoiceField(Occupation.choices, **TEXT)
    occupation_other = StrictCharField(**TEXT, max_length=120, help_text=_("Obligatoire lorsque la rubrique vaut « other » (Autre) ; vide sinon."))
    marital_status = serializers.ChoiceField(MaritalStatus.choices, **TEXT)
    children_count = StrictIntegerField(required=False, allow_null=True, min_value=0)
    affiliations = serializers.MultipleChoiceField(choices=Affiliation.choices, required=False)
    involvement = serializers.ChoiceField(Involvement.choices, **TEXT)
    organisational_role = serializers.ChoiceField(OrganisationalRole.choices, **TEXT)
    organisational_role_other = StrictCharField(**TEXT, max_length=120, help_text=_("Obligatoire lorsque la rubrique vaut « other » (Autre) ; vide sinon."))
    engagement_reasons = serializers.MultipleChoiceField(choices=EngagementReason.choices, required=False)

    def service_data(self):
        data = dict(self.validated_data)
        for name in ("needs", "affiliations", "engagement_reasons"):
            data[name] = sorted(data.get(name) or [])
        return data


class MatchSerializer(serializers.Serializer):
    id = StrictIntegerField()
    name = StrictCharField()
    birth_year = StrictIntegerField(allow_null=True)
    region = StrictCharField(allow_null=True, help_text=_("Code de la région d'origine (voir /api/v1/regions/)."))
    region_name = StrictCharField(allow_null=True)
    prisoner_number = StrictCharField(allow_null=True)
    score = StrictFloatField()
    in_custody = StrictBooleanField(help_text=_("Un séjour est en cours (ré-écrou impossible)."))
