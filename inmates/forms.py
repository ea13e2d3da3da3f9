"""Forms for the staff pages: they validate input; the views call the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from prisons.models import Facility, Unit, occupancy_text

from .models import Alias, Inmate, LegalStatus, PriorCustody, ReceiptAcknowledgement, Relative, ReleaseReason
from .services import INMATE_EDITABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


def date_widgets(model, *, exclude=()):
    """HTML5 date / datetime pickers for every date field of `model`."""
    widgets = {}
    for field in model._meta.get_fields():
        if field.name in exclude or not getattr(field, "editable", False):
            continue
        internal = field.get_internal_type() if hasattr(field, "get_internal_type") else ""
        if internal == "DateField":
            widgets[field.name] = DateInput()
        elif internal == "DateTimeField":
            widgets[field.name] = DateTimeInput()
    return widgets


def localize_datetime_fields(form):
    for field in form.fields.values():
        if isinstance(field, forms.DateTimeField):
            field.input_formats = DATETIME_INPUT_FORMATS


class InmateFilterForm(forms.Form):
    """Search and filters of the detainee list (GET)."""

    SITUATION_CURRENT = "current"
    SITUATION_RELEASED = "released"
    SITUATION_ALL = "all"

    q = forms.CharField(label=_("Nom, surnom ou numéro d'écrou"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    facility = forms.ModelChoiceField(label=_("Établissement"), queryset=Facility.objects.none(),
                                      required=False, empty_label=_("Tous"))
    unit = forms.ModelChoiceField(label=_("Unité / cellule"), queryset=Unit.objects.none(),
                                  required=False, empty_label=_("Toutes"))
    legal_status = forms.ChoiceField(label=_("Statut juridique"), required=False,
                                     choices=[("", _("Tous")), ("untried", _("Non jugés (prévenus)")),
                                              *LegalStatus.choices])
    terrorism = forms.ChoiceField(label=_("Affaire liée au terrorisme"), required=False,
                                  choices=[("", _("Indifférent")), ("1", _("Oui")), ("0", _("Non"))])
    possible_minor = forms.BooleanField(label=_("Mineurs possibles — âge à vérifier"), required=False)
    sans_cellule = forms.BooleanField(label=_("Sans cellule attribuée"), required=False)
    situation = forms.ChoiceField(label=_("Situation"), required=False,
                                  choices=[(SITUATION_CURRENT, _("Présents")),
                                           (SITUATION_RELEASED, _("Sortis")),
                                           (SITUATION_ALL, _("Tous"))])

    def __init__(self, data, *, user):
        super().__init__(data)
        facilities = Facility.objects.visible_to(user)
        self.fields["facility"].queryset = facilities
        # Units only of one facility (the chosen one, or the user's only one): a national
        # user would otherwise get every cell of the country in one drop-down.
        facility_id = (data or {}).get("facility") or ""
        ids = user.visible_facility_ids()
        if not facility_id and ids is not None and len(ids) == 1:
            facility_id = next(iter(ids))
        units = Unit.objects.none()
        if str(facility_id).isdigit():
            units = Unit.objects.visible_to(user).filter(facility_id=facility_id).order_by("code")
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: f"{u.code} — {u.name}"


class InmateIdentityForm(forms.ModelForm):
    """Correction of identity: every change needs a reason; `version` detects a concurrent save."""

    reason = forms.CharField(label=_("Motif de la correction"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Obligatoire : par exemple « erreur de saisie, cf. mandat de dépôt »."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Inmate
        fields = INMATE_EDITABLE_FIELDS
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year_margin"].required = False  # empty: an exact estimate (0)

    def clean_birth_year_margin(self):
        return self.cleaned_data.get("birth_year_margin") or 0

    def changes(self):
        return {name: self.cleaned_data[name] for name in INMATE_EDITABLE_FIELDS}


class AgeVerificationForm(forms.Form):
    """What established the age, and the date or year it established (inmates.services.verify_age)."""

    evidence = forms.CharField(label=_("Pièce ou examen ayant établi l'âge"), max_length=200,
                               help_text=_("Ex. acte de naissance n°…, carte NINA, examen médical du …"))
    date_of_birth = forms.DateField(label=_("Date de naissance établie"), required=False, widget=DateInput())
    birth_year = forms.IntegerField(label=_("ou année de naissance établie"), required=False,
                                    min_value=1900, max_value=2100)


class AliasForm(forms.ModelForm):
    class Meta:
        model = Alias
        fields = ["name", "kind"]


class RelativeForm(forms.ModelForm):
    class Meta:
        model = Relative
        fields = ["name", "relation", "is_next_of_kin", "is_emergency_contact", "phone", "address",
                  "date_of_birth", "age_years", "whereabouts", "caregiver", "notes"]
        widgets = {"date_of_birth": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"whereabouts": _("Pour un enfant : où il vit actuellement."),
                      "caregiver": _("Pour un enfant : la personne qui s'en occupe.")}


class PriorCustodyForm(forms.ModelForm):
    class Meta:
        model = PriorCustody
        fields = ["kind", "place", "authority", "started_at", "ended_at", "notes"]
        widgets = {"started_at": DateTimeInput(), "ended_at": DateTimeInput(),
                   "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localize_datetime_fields(self)


class PlacementForm(forms.Form):
    """Place or move a person; a warning (full unit, mixed categories) needs a reason to confirm."""

    unit = forms.ModelChoiceField(label=_("Unité / cellule"), queryset=Unit.objects.none())
    at = forms.DateTimeField(label=_("Date et heure du placement"), required=False, widget=DateTimeInput(),
                             input_formats=DATETIME_INPUT_FORMATS,
                             help_text=_("Laisser vide pour maintenant."))
    reason = forms.CharField(label=_("Motif du placement"), required=False, max_length=255)
    override_reason = forms.CharField(
        label=_("Motif malgré l'avertissement"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire seulement si l'unité est pleine ou mélange des catégories (Règle 11)."),
    )

    def __init__(self, *args, custody, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.filter(facility_id=custody.facility_id, is_active=True)
            .with_occupancy().order_by("code")
        )
        self.fields["unit"].label_from_instance = (
            lambda u: _("%(code)s — %(name)s (%(occupancy)s)")
            % {"code": u.code, "name": u.name, "occupancy": occupancy_text(u.occupants, u.capacity)}
        )


# --- Movements: transfers, cell moves, releases -----------------------------------------


def when_field(label, required=False, help_text=_("Laisser vide pour maintenant.")):
    return forms.DateTimeField(label=label, required=required, widget=DateTimeInput(),
                               input_formats=DATETIME_INPUT_FORMATS, help_text=help_text if not required else "")


def text_field(label, required=True, rows=None, max_length=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=required, widget=widget, max_length=max_length,
                           help_text=help_text)


def units_with_occupancy(facility_id):
    return Unit.objects.filter(facility_id=facility_id, is_active=True).with_occupancy().order_by("code")


def unit_label(unit):
    return _("%(code)s — %(name)s (%(occupancy)s, %(regime)s)") % {
        "code": unit.code, "name": unit.name, "occupancy": occupancy_text(unit.occupants, unit.capacity),
        "regime": unit.get_regime_display()}


class TransferRequestForm(forms.Form):
    to_facility = forms.ModelChoiceField(label=_("Établissement d'accueil"), queryset=Facility.objects.none())
    reason = text_field(_("Motif du transfert"), rows=2)
    escort = text_field(_("Escorte prévue"), required=False, max_length=200)
    property_seal_number = text_field(_("Scellé des effets"), required=False, max_length=40)
    property_notes = text_field(_("Effets qui suivent la personne"), required=False, rows=2)

    def __init__(self, *args, custody, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_facility"].queryset = Facility.objects.operational().exclude(pk=custody.facility_id)


class TransferDepartForm(forms.Form):
    escort = text_field(_("Escorte (unité, chef d'escorte, véhicule)"), max_length=200)
    property_seal_number = text_field(_("Scellé des effets"), required=False, max_length=40)
    property_notes = text_field(_("Effets remis à l'escorte"), required=False, rows=2)


class TransferArriveForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unité d'arrivée"), queryset=Unit.objects.none())
    property_received_notes = text_field(_("Effets reçus (scellé intact ?)"), required=False, rows=2)
    override_reason = text_field(_("Motif malgré l'avertissement"), required=False, rows=2,
                            help_text=_("Seulement si l'unité est pleine ou mélange des catégories (Règle 11)."))

    def __init__(self, *args, transfer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_with_occupancy(transfer.to_facility_id)
        self.fields["unit"].label_from_instance = unit_label


class ReasonForm(forms.Form):
    reason = text_field(_("Motif"), rows=2)


class CellMoveForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Nouvelle unité / cellule"), queryset=Unit.objects.none())
    reason = text_field(_("Motif du déplacement"), max_length=255)
    override_reason = text_field(_("Motif malgré l'avertissement"), required=False, rows=2,
                            help_text=_("Seulement si l'unité est pleine ou mélange des catégories (Règle 11)."))

    def __init__(self, *args, custody, current_unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_with_occupancy(custody.facility_id)
        if current_unit_id:
            units = units.exclude(pk=current_unit_id)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_label


class ReleaseForm(forms.Form):
    # A death is recorded in the death register (its own form), never as a bare release.
    reason = forms.ChoiceField(label=_("Motif de la sortie"),
                               choices=[c for c in ReleaseReason.choices if c[0] != ReleaseReason.DEATH])
    authority = text_field(_("Autorité ayant ordonné la sortie"), required=False, max_length=160)
    order_reference = text_field(_("Référence de la décision"), required=False, max_length=80)
    order_received_at = when_field(_("Décision reçue le"), required=True)
    left_at = when_field(_("Sortie effective le"))
    property_returned = forms.BooleanField(label=_("Effets restitués"), required=False)
    receipt = forms.ChoiceField(label=_("Reçu des effets"), required=False,
                                choices=[("", "—"), *ReceiptAcknowledgement.choices])
    witness_name = text_field(_("Témoin (si refus de signer)"), required=False, max_length=160)
    property_notes = text_field(_("Effets restitués / observations"), required=False, rows=2)
    file_extract_given = forms.BooleanField(label=_("Extrait du dossier remis à la personne (Règle 9)"),
                                            required=False)
    notes = text_field(_("Observations"), required=False, rows=2)
