"""The filters every report takes (facility, date), validated the same way on both doors."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import (
    QuerySerializer,
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
)
from prisons.figures import LEGAL_STATUS_ORDER

from .suppression import THRESHOLD


class ReportQuerySerializer(QuerySerializer):
    etablissement = StrictIntegerField(
        required=False, min_value=1, help_text=_("Identifiant de l'établissement (par défaut : tous ceux visibles)."),
        error_messages={"invalid": _("Établissement invalide.")},
    )
    date = serializers.DateField(
        required=False, help_text=_("Jour du rapport, AAAA-MM-JJ (par défaut : aujourd'hui)."),
        error_messages={"invalid": _("Date invalide : utilisez le format AAAA-MM-JJ.")},
    )

    def validate_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("La date ne peut pas être dans le futur."))
        return value


# --- the reports' responses (schema only: the reports are built as plain data by reports.py and
# profiles.py; tests/oversight/test_report_schemas.py checks every answer against these) ----------

SUPPRESSED, HIDDEN = f"< {THRESHOLD}", "n.d."
_PERCENT = {"allow_null": True, "help_text": _("Pourcentage à une décimale ; null quand la base est 0.")}


class _Report(serializers.Serializer):
    """Read-only report shapes."""


class TerrorismStatusCountSerializer(_Report):
    status = serializers.ChoiceField(choices=[(s, s) for s in LEGAL_STATUS_ORDER])
    label = StrictCharField()
    count = StrictIntegerField()


def _terrorism_fields():
    fields = {f"terrorism_{s}": StrictIntegerField(
        help_text=_("Personnes liées au terrorisme au statut juridique « %(s)s ».") % {"s": s})
        for s in LEGAL_STATUS_ORDER}
    fields["terrorism"] = StrictIntegerField(help_text=_("Personnes liées au terrorisme (tous statuts)."))
    fields["terrorism_by_status"] = TerrorismStatusCountSerializer(
        many=True, allow_null=True,
        help_text=_("Les mêmes par statut juridique (présomption d'innocence) ; null dans un instantané "
                    "antérieur à cette ventilation."))
    return fields


class OccupancyUnitSerializer(_Report):
    id = StrictIntegerField()
    code = StrictCharField()
    name = StrictCharField()
    kind = StrictCharField()
    regime = StrictCharField()
    regime_label = StrictCharField()
    capacity = StrictIntegerField()
    occupants = StrictIntegerField()
    untried = StrictIntegerField()
    congestion = StrictFloatField(**_PERCENT)


OccupancyFacilitySerializer = type("OccupancyFacilitySerializer", (_Report,), {
    "id": StrictIntegerField(),
    "code": StrictCharField(),
    "name": StrictCharField(),
    "status": StrictCharField(),
    "status_label": StrictCharField(),
    "region": StrictCharField(help_text=_("Code de la région (voir /api/v1/regions/).")),
    "region_name": StrictCharField(),
    "zone": StrictCharField(),
    "capacity": StrictIntegerField(help_text=_("Capacité officielle (places).")),
    "held": StrictIntegerField(help_text=_("Personnes détenues (écrou en cours ou détenues).")),
    "intake": StrictIntegerField(help_text=_("Dont à l'écrou (étapes d'arrivée non terminées).")),
    "untried": StrictIntegerField(help_text=_("Dont non jugées (suspects, inculpés, en appel).")),
    "untried_share": StrictFloatField(**_PERCENT),
    "congestion": StrictFloatField(
        allow_null=True, help_text=_("Taux d'occupation : détenus ÷ capacité officielle, en %.")),
    **_terrorism_fields(),
    "unplaced": StrictIntegerField(help_text=_("Personnes détenues sans affectation en cellule.")),
    "units": OccupancyUnitSerializer(many=True, required=False),
})


class OccupancyApartSerializer(_Report):
    facilities = StrictIntegerField()
    held = StrictIntegerField()
    untried = StrictIntegerField()


OccupancyTotalsSerializer = type("OccupancyTotalsSerializer", (_Report,), {
    "held": StrictIntegerField(),
    "capacity": StrictIntegerField(),
    "congestion": StrictFloatField(**_PERCENT),
    "untried": StrictIntegerField(),
    "untried_share": StrictFloatField(**_PERCENT),
    "facilities": StrictIntegerField(help_text=_("Établissements en service comptés.")),
    "apart": OccupancyApartSerializer(help_text=_("Établissements hors service (détruits, fermés) et les "
                                                  "personnes qui y sont encore inscrites, comptés à part.")),
    "intake": StrictIntegerField(),
    **_terrorism_fields(),
})


class OccupancyTrendPointSerializer(_Report):
    day = serializers.DateField()
    held = StrictIntegerField()
    capacity = StrictIntegerField()
    untried = StrictIntegerField()
    congestion = StrictFloatField(**_PERCENT)


class OccupancyReportSerializer(_Report):
    day = serializers.DateField()
    source = serializers.ChoiceField(
        choices=[("live", "live"), ("snapshot", "snapshot"), ("missing", "missing")],
        help_text=_("live : compté à l'instant ; snapshot : instantané du jour demandé ; missing : aucun "
                    "instantané ce jour-là."))
    facilities = OccupancyFacilitySerializer(many=True, help_text=_("Établissements en service."))
    other_facilities = OccupancyFacilitySerializer(many=True, help_text=_("Établissements hors service."))
    totals = OccupancyTotalsSerializer()
    trend = OccupancyTrendPointSerializer(many=True, help_text=_("90 derniers jours, du plus ancien au plus récent."))


class RollPersonSerializer(_Report):
    custody_id = StrictIntegerField()
    inmate_id = StrictIntegerField()
    prisoner_number = StrictCharField(allow_blank=True)
    name = StrictCharField()
    sex = StrictCharField()
    legal_status = StrictCharField()
    legal_status_label = StrictCharField()
    terrorism_related = StrictBooleanField()
    unit = StrictCharField(allow_blank=True)


class RollMovementSerializer(RollPersonSerializer):
    at = serializers.DateTimeField()
    how = StrictCharField(help_text=_("Écrou, sortie (motif) ou transfert (vers / depuis)."))


class RollCourtSerializer(RollPersonSerializer):
    court = StrictCharField()
    hearing = StrictCharField()


class RollUnitSerializer(_Report):
    code = StrictCharField()
    name = StrictCharField()
    kind = StrictCharField()
    capacity = StrictIntegerField()
    count = StrictIntegerField()
    people = RollPersonSerializer(many=True)


class RollAbsencesSerializer(_Report):
    court = RollCourtSerializer(many=True, help_text=_("Attendus au tribunal (audience du jour)."))
    infirmary = RollPersonSerializer(many=True, help_text=_("À l'infirmerie."))
    in_transit = RollMovementSerializer(many=True, help_text=_("En transfert, sous escorte."))


class FacilityRefSerializer(_Report):
    id = StrictIntegerField()
    code = StrictCharField()
    name = StrictCharField()


class RollReportSerializer(_Report):
    day = serializers.DateField()
    facility = FacilityRefSerializer()
    count = StrictIntegerField(help_text=_("Effectif en fin de journée (affectés et non affectés)."))
    units = RollUnitSerializer(many=True)
    unplaced = RollPersonSerializer(many=True)
    intake = RollPersonSerializer(many=True, help_text=_("À l'écrou (aujourd'hui seulement)."))
    arrivals = RollMovementSerializer(many=True)
    departures = RollMovementSerializer(many=True)
    absences = RollAbsencesSerializer()


class SeparationMixesSerializer(_Report):
    sex = StrictBooleanField()
    legal = StrictBooleanField()
    age = StrictBooleanField()
    terrorism = StrictBooleanField()


SeparationUnitSerializer = type("SeparationUnitSerializer", (_Report,), {
    "unit_id": StrictIntegerField(),
    "unit": StrictCharField(),
    "unit_code": StrictCharField(),
    "regime_label": StrictCharField(),
    "facility_id": StrictIntegerField(),
    "facility": StrictCharField(),
    "mixes": SeparationMixesSerializer(help_text=_("Les catégories mêlées dans l'unité.")),
    "mix_labels": serializers.ListField(child=StrictCharField()),
    **{name: StrictIntegerField() for name in ("total", "men", "women", "untried", "convicted", "minors",
                                                    "adults", "age_unknown", "general")},
    **_terrorism_fields(),
})


class SeparationSummarySerializer(_Report):
    key = serializers.ChoiceField(choices=[("sex", "sex"), ("legal", "legal"), ("age", "age"),
                                           ("terrorism", "terrorism")])
    label = StrictCharField()
    units = StrictIntegerField()
    people = StrictIntegerField()


class SeparationFacilitySerializer(_Report):
    id = StrictIntegerField()
    name = StrictCharField()
    units = StrictIntegerField()
    people = StrictIntegerField()
    sex = StrictIntegerField()
    legal = StrictIntegerField()
    age = StrictIntegerField()
    terrorism = StrictIntegerField()


class SeparationReportSerializer(_Report):
    day = serializers.DateField()
    units = SeparationUnitSerializer(many=True, help_text=_("Seules les unités qui mêlent des catégories."))
    summary = SeparationSummarySerializer(many=True)
    facilities = SeparationFacilitySerializer(many=True)
    placed = StrictIntegerField()
    units_checked = StrictIntegerField()


class ActivityCategorySerializer(_Report):
    key = StrictCharField()
    label = StrictCharField()
    held = StrictIntegerField()
    enrolled_any = StrictIntegerField(help_text=_("Personnes inscrites à au moins une activité."))
    share_any = StrictFloatField(**_PERCENT)


class ActivityCellSerializer(_Report):
    category = StrictCharField()
    open = StrictBooleanField(help_text=_("Une activité de ce type est ouverte à cette catégorie."))
    enrolled = StrictIntegerField()
    share = StrictFloatField(**_PERCENT)


class ActivityKindSerializer(_Report):
    kind = StrictCharField()
    label = StrictCharField()
    activities = StrictIntegerField()
    cells = ActivityCellSerializer(many=True)


class ActivityFacilitySerializer(_Report):
    id = StrictIntegerField()
    name = StrictCharField()
    code = StrictCharField()
    categories = ActivityCategorySerializer(many=True)
    kinds = ActivityKindSerializer(many=True)


class CategoryLabelSerializer(_Report):
    key = StrictCharField()
    label = StrictCharField()


class ActivitiesReportSerializer(_Report):
    facilities = ActivityFacilitySerializer(many=True)
    totals = ActivityCategorySerializer(many=True)
    categories = CategoryLabelSerializer(many=True)


CELL_TEXT_HELP = _(
    "Le nombre publié, ou un texte quand il est masqué : « %(s)s » = effectif de 0 à %(m)s, masqué "
    "(protection des petits nombres) ; « %(h)s » = non diffusé, masqué en second rang pour qu'aucun petit "
    "effectif ne puisse être recalculé par différence (au moins %(t)s)."
) % {"s": SUPPRESSED, "m": THRESHOLD - 1, "h": HIDDEN, "t": THRESHOLD}


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 0},
                                {"type": "string", "enum": [SUPPRESSED, HIDDEN]}],
                      "description": str(CELL_TEXT_HELP)})
class CellTextField(serializers.Field):
    """A published count or its masked text."""


class ProfileCellSerializer(_Report):
    text = CellTextField()
    percent = StrictFloatField(
        allow_null=True, help_text=_("Part des réponses connues, en % ; null quand la cellule ou sa base est "
                               "masquée."))
    value = StrictIntegerField(allow_null=True, help_text=_("Le nombre, null quand il est masqué."))


class ProfileTotalSerializer(_Report):
    text = CellTextField()


class ProfileRowSerializer(_Report):
    key = StrictCharField(help_text=_("Code de la catégorie ; « other » : réponses regroupées ; "
                                            "« unknown » : non renseigné."))
    label = StrictCharField()
    apart = StrictBooleanField(help_text=_("Non renseigné : hors de la base des pourcentages."))
    cells = ProfileCellSerializer(many=True, help_text=_("Une cellule par colonne (`columns`)."))


class ProfileDimensionSerializer(_Report):
    key = StrictCharField()
    label = StrictCharField()
    multi = StrictBooleanField(help_text=_("Plusieurs réponses possibles : les lignes ne s'additionnent pas."))
    rows = ProfileRowSerializer(many=True)
    known = ProfileCellSerializer(many=True, help_text=_("Réponses connues par colonne (base des pourcentages)."))


class ProfileColumnSerializer(_Report):
    key = StrictCharField(help_text=_("Id de l'établissement, « others » (établissements regroupés) ou "
                                            "« national »."))
    label = StrictCharField()


class ProfileYearTableSerializer(_Report):
    label = StrictCharField()
    columns = serializers.ListField(child=StrictCharField(), help_text=_("Années d'écrou (regroupées)."))
    rows = ProfileRowSerializer(many=True)
    known = ProfileCellSerializer(many=True)
    totals = ProfileCellSerializer(many=True)


class ProfilesReportSerializer(_Report):
    day = serializers.DateField()
    threshold = StrictIntegerField(help_text=_("Seuil des petits nombres (5) : en dessous, « < 5 »."))
    columns = ProfileColumnSerializer(many=True)
    totals = ProfileTotalSerializer(many=True, help_text=_("Population de chaque colonne."))
    dimensions = ProfileDimensionSerializer(many=True)
    notes = serializers.ListField(child=StrictCharField())
    by_year = ProfileYearTableSerializer(allow_null=True, help_text=_("Lecteurs nationaux seulement ; null sinon."))


class RegisterPriorCustodySerializer(_Report):
    kind = StrictCharField(help_text=_("Type de lieu (police, gendarmerie, Sécurité d'État…)."))
    place = StrictCharField()
    authority = StrictCharField(allow_blank=True)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class RegisterPersonSerializer(RollPersonSerializer):
    birth = StrictCharField(allow_blank=True, help_text=_("Date de naissance (AAAA-MM-JJ), ou année estimée."))
    status = StrictCharField()
    status_label = StrictCharField()
    arresting_force = StrictCharField(allow_blank=True)
    arresting_unit = StrictCharField(allow_blank=True)
    arrested_at = serializers.DateTimeField(allow_null=True)
    arrest_place = StrictCharField(allow_blank=True)
    deprived_since = serializers.DateTimeField(
        help_text=_("Premier moment de privation de liberté : arrestation, garde antérieure ou écrou."))
    prior_custody = RegisterPriorCustodySerializer(many=True)
    admitted_at = serializers.DateTimeField()
    committing_authority = StrictCharField(allow_blank=True, help_text=_("Vide : non inscrite au dossier."))
    grounds = StrictCharField(allow_blank=True, help_text=_("Vide : non inscrits au dossier."))
    released_at = serializers.DateTimeField(allow_null=True)
    release_reason = StrictCharField(allow_blank=True)


class RegisterMissingSerializer(_Report):
    authority = StrictIntegerField()
    grounds = StrictIntegerField()
    arrest = StrictIntegerField()


class RegisterReportSerializer(_Report):
    day = serializers.DateField()
    facility = FacilityRefSerializer()
    count = StrictIntegerField(help_text=_("Personnes privées de liberté en fin de journée (écrous compris)."))
    people = RegisterPersonSerializer(many=True)
    left = RegisterPersonSerializer(many=True, help_text=_("Sorties du jour."))
    missing = RegisterMissingSerializer(help_text=_("Personnes présentes dont le dossier n'inscrit pas l'autorité, "
                                                    "les motifs ou l'arrestation."))
    note = StrictCharField()


REPORT_SERIALIZERS = {
    "register": RegisterReportSerializer,
    "occupancy": OccupancyReportSerializer, "roll": RollReportSerializer,
    "separation": SeparationReportSerializer, "activities": ActivitiesReportSerializer,
    "profiles": ProfilesReportSerializer,
}


class QueueSerializer(serializers.Serializer):
    """One work queue of the signed-in user (oversight.queues): a count and the list it opens."""

    key = StrictCharField(help_text="Identifiant stable de la file (ex. intake_administration).")
    label = StrictCharField(help_text="Libellé, dans la langue de la requête.")
    count = StrictIntegerField(min_value=0)
    url = StrictCharField(help_text="La page de la liste filtrée qui montre ces dossiers.")
    facility = StrictCharField(allow_blank=True, help_text="Code de l'établissement ; vide : national.")
    facility_name = StrictCharField(allow_blank=True)
    urgent = StrictBooleanField()


class MyQueuesSerializer(serializers.Serializer):
    queues = QueueSerializer(many=True)


# --- the inspection view of one prison (oversight.inspection) -----------------------------------

class InspectionQuerySerializer(QuerySerializer):
    debut = serializers.DateField(
        required=False, help_text=_("Début de la période, AAAA-MM-JJ (par défaut : il y a 29 jours)."),
        error_messages={"invalid": _("Date invalide : utilisez le format AAAA-MM-JJ.")})
    fin = serializers.DateField(
        required=False, help_text=_("Fin de la période, AAAA-MM-JJ, incluse (par défaut : aujourd'hui)."),
        error_messages={"invalid": _("Date invalide : utilisez le format AAAA-MM-JJ.")})


class InspectionRowSerializer(_Report):
    cells = serializers.ListField(child=StrictCharField(allow_blank=True),
                                  help_text=_("Les cellules, dans l'ordre des colonnes de la section."))
    url = StrictCharField(allow_blank=True, help_text=_("La page de l'enregistrement (vide : aucune)."))
    inmate_id = StrictIntegerField(allow_null=True, help_text=_("La personne concernée, s'il y en a une."))


class InspectionOverdueSerializer(_Report):
    label = StrictCharField(help_text=_("Ce qui est en retard ou irrégulier."))
    detail = StrictCharField(allow_blank=True, help_text=_("Qui ou quoi (n° d'écrou et nom, unité…)."))
    since = serializers.DateField(allow_null=True, help_text=_("Depuis quand (date en cause)."))
    url = StrictCharField(allow_blank=True, help_text=_("La page où régulariser (vide : aucune)."))
    inmate_id = StrictIntegerField(allow_null=True)


class InspectionFigureSerializer(_Report):
    label = StrictCharField()
    value = StrictFloatField(allow_null=True, help_text=_("Effectif, ou pourcentage ; null : base nulle."))


class InspectionSectionSerializer(_Report):
    key = StrictCharField(help_text=_("Le registre : deaths, complaints, alerts, occupancy, presentations…"))
    title = StrictCharField()
    count = StrictIntegerField(help_text=_("Enregistrements de la période (l'occupation : détenus du jour)."))
    count_label = StrictCharField()
    columns = serializers.ListField(child=StrictCharField())
    rows = InspectionRowSerializer(many=True)
    overdue = InspectionOverdueSerializer(many=True, help_text=_("Éléments en retard, quelle que soit leur date."))
    figures = InspectionFigureSerializer(many=True)
    note = StrictCharField(allow_blank=True)


class InspectionFacilitySerializer(_Report):
    id = StrictIntegerField()
    code = StrictCharField()
    name = StrictCharField()


class InspectionSerializer(_Report):
    facility = InspectionFacilitySerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    generated_at = serializers.DateTimeField()
    overdue_total = StrictIntegerField()
    sections = InspectionSectionSerializer(many=True)
