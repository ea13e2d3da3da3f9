"""The filters every report takes (facility, date), validated the same way on both doors."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from prisons.figures import LEGAL_STATUS_ORDER

from .suppression import THRESHOLD


class ReportQuerySerializer(serializers.Serializer):
    etablissement = serializers.IntegerField(
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
    label = serializers.CharField()
    count = serializers.IntegerField()


def _terrorism_fields():
    fields = {f"terrorism_{s}": serializers.IntegerField(
        help_text=_("Personnes liées au terrorisme au statut juridique « %(s)s ».") % {"s": s})
        for s in LEGAL_STATUS_ORDER}
    fields["terrorism"] = serializers.IntegerField(help_text=_("Personnes liées au terrorisme (tous statuts)."))
    fields["terrorism_by_status"] = TerrorismStatusCountSerializer(
        many=True, allow_null=True,
        help_text=_("Les mêmes par statut juridique (présomption d'innocence) ; null dans un instantané "
                    "antérieur à cette ventilation."))
    return fields


class OccupancyUnitSerializer(_Report):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    regime = serializers.CharField()
    regime_label = serializers.CharField()
    capacity = serializers.IntegerField()
    occupants = serializers.IntegerField()
    untried = serializers.IntegerField()
    congestion = serializers.FloatField(**_PERCENT)


OccupancyFacilitySerializer = type("OccupancyFacilitySerializer", (_Report,), {
    "id": serializers.IntegerField(),
    "code": serializers.CharField(),
    "name": serializers.CharField(),
    "status": serializers.CharField(),
    "status_label": serializers.CharField(),
    "region": serializers.CharField(help_text=_("Code de la région (voir /api/v1/regions/).")),
    "region_name": serializers.CharField(),
    "zone": serializers.CharField(),
    "capacity": serializers.IntegerField(help_text=_("Capacité officielle (places).")),
    "held": serializers.IntegerField(help_text=_("Personnes détenues (écrou en cours ou détenues).")),
    "intake": serializers.IntegerField(help_text=_("Dont à l'écrou (étapes d'arrivée non terminées).")),
    "untried": serializers.IntegerField(help_text=_("Dont non jugées (suspects, inculpés, en appel).")),
    "untried_share": serializers.FloatField(**_PERCENT),
    "congestion": serializers.FloatField(
        allow_null=True, help_text=_("Taux d'occupation : détenus ÷ capacité officielle, en %.")),
    **_terrorism_fields(),
    "unplaced": serializers.IntegerField(help_text=_("Personnes détenues sans affectation en cellule.")),
    "units": OccupancyUnitSerializer(many=True, required=False),
})


class OccupancyApartSerializer(_Report):
    facilities = serializers.IntegerField()
    held = serializers.IntegerField()
    untried = serializers.IntegerField()


OccupancyTotalsSerializer = type("OccupancyTotalsSerializer", (_Report,), {
    "held": serializers.IntegerField(),
    "capacity": serializers.IntegerField(),
    "congestion": serializers.FloatField(**_PERCENT),
    "untried": serializers.IntegerField(),
    "untried_share": serializers.FloatField(**_PERCENT),
    "facilities": serializers.IntegerField(help_text=_("Établissements en service comptés.")),
    "apart": OccupancyApartSerializer(help_text=_("Établissements hors service (détruits, fermés) et les "
                                                  "personnes qui y sont encore inscrites, comptés à part.")),
    "intake": serializers.IntegerField(),
    **_terrorism_fields(),
})


class OccupancyTrendPointSerializer(_Report):
    day = serializers.DateField()
    held = serializers.IntegerField()
    capacity = serializers.IntegerField()
    untried = serializers.IntegerField()
    congestion = serializers.FloatField(**_PERCENT)


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
    custody_id = serializers.IntegerField()
    inmate_id = serializers.IntegerField()
    prisoner_number = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    sex = serializers.CharField()
    legal_status = serializers.CharField()
    legal_status_label = serializers.CharField()
    terrorism_related = serializers.BooleanField()
    unit = serializers.CharField(allow_blank=True)


class RollMovementSerializer(RollPersonSerializer):
    at = serializers.DateTimeField()
    how = serializers.CharField(help_text=_("Écrou, sortie (motif) ou transfert (vers / depuis)."))


class RollCourtSerializer(RollPersonSerializer):
    court = serializers.CharField()
    hearing = serializers.CharField()


class RollUnitSerializer(_Report):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    capacity = serializers.IntegerField()
    count = serializers.IntegerField()
    people = RollPersonSerializer(many=True)


class RollAbsencesSerializer(_Report):
    court = RollCourtSerializer(many=True, help_text=_("Attendus au tribunal (audience du jour)."))
    infirmary = RollPersonSerializer(many=True, help_text=_("À l'infirmerie."))
    in_transit = RollMovementSerializer(many=True, help_text=_("En transfert, sous escorte."))


class FacilityRefSerializer(_Report):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class RollReportSerializer(_Report):
    day = serializers.DateField()
    facility = FacilityRefSerializer()
    count = serializers.IntegerField(help_text=_("Effectif en fin de journée (affectés et non affectés)."))
    units = RollUnitSerializer(many=True)
    unplaced = RollPersonSerializer(many=True)
    intake = RollPersonSerializer(many=True, help_text=_("À l'écrou (aujourd'hui seulement)."))
    arrivals = RollMovementSerializer(many=True)
    departures = RollMovementSerializer(many=True)
    absences = RollAbsencesSerializer()


class SeparationMixesSerializer(_Report):
    sex = serializers.BooleanField()
    legal = serializers.BooleanField()
    age = serializers.BooleanField()
    terrorism = serializers.BooleanField()


SeparationUnitSerializer = type("SeparationUnitSerializer", (_Report,), {
    "unit_id": serializers.IntegerField(),
    "unit": serializers.CharField(),
    "unit_code": serializers.CharField(),
    "regime_label": serializers.CharField(),
    "facility_id": serializers.IntegerField(),
    "facility": serializers.CharField(),
    "mixes": SeparationMixesSerializer(help_text=_("Les catégories mêlées dans l'unité.")),
    "mix_labels": serializers.ListField(child=serializers.CharField()),
    **{name: serializers.IntegerField() for name in ("total", "men", "women", "untried", "convicted", "minors",
                                                    "adults", "age_unknown", "general")},
    **_terrorism_fields(),
})


class SeparationSummarySerializer(_Report):
    key = serializers.ChoiceField(choices=[("sex", "sex"), ("legal", "legal"), ("age", "age"),
                                           ("terrorism", "terrorism")])
    label = serializers.CharField()
    units = serializers.IntegerField()
    people = serializers.IntegerField()


class SeparationFacilitySerializer(_Report):
    id = serializers.IntegerField()
    name = serializers.CharField()
    units = serializers.IntegerField()
    people = serializers.IntegerField()
    sex = serializers.IntegerField()
    legal = serializers.IntegerField()
    age = serializers.IntegerField()
    terrorism = serializers.IntegerField()


class SeparationReportSerializer(_Report):
    day = serializers.DateField()
    units = SeparationUnitSerializer(many=True, help_text=_("Seules les unités qui mêlent des catégories."))
    summary = SeparationSummarySerializer(many=True)
    facilities = SeparationFacilitySerializer(many=True)
    placed = serializers.IntegerField()
    units_checked = serializers.IntegerField()


class ActivityCategorySerializer(_Report):
    key = serializers.CharField()
    label = serializers.CharField()
    held = serializers.IntegerField()
    enrolled_any = serializers.IntegerField(help_text=_("Personnes inscrites à au moins une activité."))
    share_any = serializers.FloatField(**_PERCENT)


class ActivityCellSerializer(_Report):
    category = serializers.CharField()
    open = serializers.BooleanField(help_text=_("Une activité de ce type est ouverte à cette catégorie."))
    enrolled = serializers.IntegerField()
    share = serializers.FloatField(**_PERCENT)


class ActivityKindSerializer(_Report):
    kind = serializers.CharField()
    label = serializers.CharField()
    activities = serializers.IntegerField()
    cells = ActivityCellSerializer(many=True)


class ActivityFacilitySerializer(_Report):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    categories = ActivityCategorySerializer(many=True)
    kinds = ActivityKindSerializer(many=True)


class CategoryLabelSerializer(_Report):
    key = serializers.CharField()
    label = serializers.CharField()


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
    percent = serializers.FloatField(
        allow_null=True, help_text=_("Part des réponses connues, en % ; null quand la cellule ou sa base est "
                                     "masquée."))
    value = serializers.IntegerField(allow_null=True, help_text=_("Le nombre, null quand il est masqué."))


class ProfileTotalSerializer(_Report):
    text = CellTextField()


class ProfileRowSerializer(_Report):
    key = serializers.CharField(help_text=_("Code de la catégorie ; « other » : réponses regroupées ; "
                                            "« unknown » : non renseigné."))
    label = serializers.CharField()
    apart = serializers.BooleanField(help_text=_("Non renseigné : hors de la base des pourcentages."))
    cells = ProfileCellSerializer(many=True, help_text=_("Une cellule par colonne (`columns`)."))


class ProfileDimensionSerializer(_Report):
    key = serializers.CharField()
    label = serializers.CharField()
    multi = serializers.BooleanField(help_text=_("Plusieurs réponses possibles : les lignes ne s'additionnent pas."))
    rows = ProfileRowSerializer(many=True)
    known = ProfileCellSerializer(many=True, help_text=_("Réponses connues par colonne (base des pourcentages)."))


class ProfileColumnSerializer(_Report):
    key = serializers.CharField(help_text=_("Id de l'établissement, « others » (établissements regroupés) ou "
                                            "« national »."))
    label = serializers.CharField()


class ProfileYearTableSerializer(_Report):
    label = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField(), help_text=_("Années d'écrou (regroupées)."))
    rows = ProfileRowSerializer(many=True)
    known = ProfileCellSerializer(many=True)
    totals = ProfileCellSerializer(many=True)


class ProfilesReportSerializer(_Report):
    day = serializers.DateField()
    threshold = serializers.IntegerField(help_text=_("Seuil des petits nombres (5) : en dessous, « < 5 »."))
    columns = ProfileColumnSerializer(many=True)
    totals = ProfileTotalSerializer(many=True, help_text=_("Population de chaque colonne."))
    dimensions = ProfileDimensionSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    by_year = ProfileYearTableSerializer(allow_null=True, help_text=_("Lecteurs nationaux seulement ; null sinon."))


class RegisterPriorCustodySerializer(_Report):
    kind = serializers.CharField(help_text=_("Type de lieu (police, gendarmerie, Sécurité d'État…)."))
    place = serializers.CharField()
    authority = serializers.CharField(allow_blank=True)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class RegisterPersonSerializer(RollPersonSerializer):
    birth = serializers.CharField(allow_blank=True, help_text=_("Date de naissance (AAAA-MM-JJ), ou année estimée."))
    status = serializers.CharField()
    status_label = serializers.CharField()
    arresting_force = serializers.CharField(allow_blank=True)
    arresting_unit = serializers.CharField(allow_blank=True)
    arrested_at = serializers.DateTimeField(allow_null=True)
    arrest_place = serializers.CharField(allow_blank=True)
    deprived_since = serializers.DateTimeField(
        help_text=_("Premier moment de privation de liberté : arrestation, garde antérieure ou écrou."))
    prior_custody = RegisterPriorCustodySerializer(many=True)
    admitted_at = serializers.DateTimeField()
    committing_authority = serializers.CharField(allow_blank=True, help_text=_("Vide : non inscrite au dossier."))
    grounds = serializers.CharField(allow_blank=True, help_text=_("Vide : non inscrits au dossier."))
    released_at = serializers.DateTimeField(allow_null=True)
    release_reason = serializers.CharField(allow_blank=True)


class RegisterMissingSerializer(_Report):
    authority = serializers.IntegerField()
    grounds = serializers.IntegerField()
    arrest = serializers.IntegerField()


class RegisterReportSerializer(_Report):
    day = serializers.DateField()
    facility = FacilityRefSerializer()
    count = serializers.IntegerField(help_text=_("Personnes privées de liberté en fin de journée (écrous compris)."))
    people = RegisterPersonSerializer(many=True)
    left = RegisterPersonSerializer(many=True, help_text=_("Sorties du jour."))
    missing = RegisterMissingSerializer(help_text=_("Personnes présentes dont le dossier n'inscrit pas l'autorité, "
                                                    "les motifs ou l'arrestation."))
    note = serializers.CharField()


REPORT_SERIALIZERS = {
    "register": RegisterReportSerializer,
    "occupancy": OccupancyReportSerializer, "roll": RollReportSerializer,
    "separation": SeparationReportSerializer, "activities": ActivitiesReportSerializer,
    "profiles": ProfilesReportSerializer,
}


class QueueSerializer(serializers.Serializer):
    """One work queue of the signed-in user (oversight.queues): a count and the list it opens."""

    key = serializers.CharField(help_text="Identifiant stable de la file (ex. intake_administration).")
    label = serializers.CharField(help_text="Libellé, dans la langue de la requête.")
    count = serializers.IntegerField(min_value=0)
    url = serializers.CharField(help_text="La page de la liste filtrée qui montre ces dossiers.")
    facility = serializers.CharField(allow_blank=True, help_text="Code de l'établissement ; vide : national.")
    facility_name = serializers.CharField(allow_blank=True)
    urgent = serializers.BooleanField()


class MyQueuesSerializer(serializers.Serializer):
    queues = QueueSerializer(many=True)


# --- the inspection view of one prison (oversight.inspection) -----------------------------------

class InspectionQuerySerializer(serializers.Serializer):
    debut = serializers.DateField(
        required=False, help_text=_("Début de la période, AAAA-MM-JJ (par défaut : il y a 29 jours)."),
        error_messages={"invalid": _("Date invalide : utilisez le format AAAA-MM-JJ.")})
    fin = serializers.DateField(
        required=False, help_text=_("Fin de la période, AAAA-MM-JJ, incluse (par défaut : aujourd'hui)."),
        error_messages={"invalid": _("Date invalide : utilisez le format AAAA-MM-JJ.")})


class InspectionRowSerializer(_Report):
    cells = serializers.ListField(child=serializers.CharField(allow_blank=True),
                                  help_text=_("Les cellules, dans l'ordre des colonnes de la section."))
    url = serializers.CharField(allow_blank=True, help_text=_("La page de l'enregistrement (vide : aucune)."))
    inmate_id = serializers.IntegerField(allow_null=True, help_text=_("La personne concernée, s'il y en a une."))


class InspectionOverdueSerializer(_Report):
    label = serializers.CharField(help_text=_("Ce qui est en retard ou irrégulier."))
    detail = serializers.CharField(allow_blank=True, help_text=_("Qui ou quoi (n° d'écrou et nom, unité…)."))
    since = serializers.DateField(allow_null=True, help_text=_("Depuis quand (date en cause)."))
    url = serializers.CharField(allow_blank=True, help_text=_("La page où régulariser (vide : aucune)."))
    inmate_id = serializers.IntegerField(allow_null=True)


class InspectionFigureSerializer(_Report):
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text=_("Effectif, ou pourcentage ; null : base nulle."))


class InspectionSectionSerializer(_Report):
    key = serializers.CharField(help_text=_("Le registre : deaths, complaints, alerts, occupancy, presentations…"))
    title = serializers.CharField()
    count = serializers.IntegerField(help_text=_("Enregistrements de la période (l'occupation : détenus du jour)."))
    count_label = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = InspectionRowSerializer(many=True)
    overdue = InspectionOverdueSerializer(many=True, help_text=_("Éléments en retard, quelle que soit leur date."))
    figures = InspectionFigureSerializer(many=True)
    note = serializers.CharField(allow_blank=True)


class InspectionFacilitySerializer(_Report):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class InspectionSerializer(_Report):
    facility = InspectionFacilitySerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    generated_at = serializers.DateTimeField()
    overdue_total = serializers.IntegerField()
    sections = InspectionSectionSerializer(many=True)
