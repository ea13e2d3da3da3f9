"""Page forms for the arrival workflow. They check types and shape input for the services;
what is required, and when, is the services' to say (the same messages in both doors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Court, LegalClass, OrderKind
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
from prisons.models import Facility, Region, Unit, occupancy_text

from .models import Acknowledgement, BriefingLanguage, Finger, Need, PropertyCategory, RulesMode

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices, label="—"):
    return [("", label), *choices]


def _opt(field_class, label, **kwargs):
    return field_class(label=label, required=False, **kwargs)


def offer_own_prisons(field, user):
    """A facility choice limited to the user's operating prisons, preselected when there is one."""
    facilities = Facility.objects.visible_to(user).operational()
    field.queryset = facilities
    if len(facilities) == 1:
        field.initial = facilities[0]


class ArrivalForm(forms.Form):
    facility = forms.ModelChoiceField(Facility.objects.none(), label=_("Établissement"))
    last_name = _opt(forms.CharField, _("Nom"), max_length=80)
    first_name = _opt(forms.CharField, _("Prénom(s)"), max_length=120)
    father_name = _opt(forms.CharField, _("Prénom du père"), max_length=120)
    mother_name = _opt(forms.CharField, _("Nom et prénom de la mère"), max_length=160)
    sex = _opt(forms.ChoiceField, _("Sexe"), choices=_blank(Sex.choices))
    date_of_birth = _opt(forms.DateField, _("Date de naissance"), widget=DATE)
    birth_year = _opt(forms.IntegerField, _("ou année estimée"), min_value=1900, max_value=2100)
    region_of_origin = _opt(forms.ModelChoiceField, _("Région d'origine"), queryset=Region.objects.all())
    warrant_number = _opt(forms.CharField, _("Numéro du titre"), max_length=60)
    warrant_kind = _opt(forms.ChoiceField, _("Type de titre"), choices=_blank(OrderKind.choices))
    issued_by = _opt(forms.CharField, _("Délivré par (magistrat, juridiction)"), max_length=160)
    issued_on = _opt(forms.DateField, _("Délivré le"), widget=DATE)
    valid_until = _opt(forms.DateField, _("Valable jusqu'au"), widget=DATE)
    court = _opt(forms.ModelChoiceField, _("Juridiction"), queryset=Court.objects.all())
    case_number = _opt(forms.CharField, _("Numéro de dossier (si différent)"), max_length=60)
    investigating_judge = _opt(forms.CharField, _("Juge d'instruction"), max_length=120)
    arresting_force = _opt(forms.ChoiceField, _("Force ayant arrêté"), choices=_blank(ArrestingForce.choices))
    arresting_unit = _opt(forms.CharField, _("Unité / service"), max_length=120)
    arrested_at = _opt(forms.DateTimeField, _("Date et heure de l'arrestation"), widget=DATETIME)
    arrest_place = _opt(forms.CharField, _("Lieu de l'arrestation"), max_length=160)
    arrest_region = _opt(forms.ModelChoiceField, _("Région de l'arrestation"), queryset=Region.objects.all())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_own_prisons(self.fields["facility"], user)
        # What the title must show (intake.services.WARRANT_REQUIRED) is marked on the page; the
        # form stays novalidate: the service says what is missing, and nothing typed is lost.
        from .services import WARRANT_REQUIRED

        for name in ("facility", *WARRANT_REQUIRED):
            self.fields[name].widget.attrs.update({"required": True, "aria-required": "true"})


class ChargeForm(forms.Form):
    offence = _opt(forms.CharField, _("Infraction"), max_length=200)
    legal_class = _opt(forms.ChoiceField, _("Qualification"), choices=_blank(LegalClass.choices))
    terrorism_related = _opt(forms.BooleanField, _("Liée au terrorisme"))
    max_penalty_months = _opt(forms.IntegerField, _("Peine max. (mois)"), min_value=0)


class PriorCustodyForm(forms.Form):
    kind = _opt(forms.ChoiceField, _("Type de lieu"), choices=_blank(PriorCustodyKind.choices))
    place = _opt(forms.CharField, _("Lieu"), max_length=160)
    authority = _opt(forms.CharField, _("Autorité"), max_length=160)
    started_at = _opt(forms.DateTimeField, _("Du"), widget=DATETIME)
    ended_at = _opt(forms.DateTimeField, _("Au"), widget=DATETIME)


ChargeFormSet = forms.formset_factory(ChargeForm, extra=2, max_num=10)
PriorCustodyFormSet = forms.formset_factory(PriorCustodyForm, extra=2, max_num=10)


class SecurityForm(forms.Form):
    rules_explained = _opt(forms.BooleanField, _("Règlement, droits et procédure de plainte expliqués "
                                                 "(Règles 54–55)"))
    rules_language = _opt(forms.ChoiceField, _("Langue utilisée"), choices=_blank(BriefingLanguage.choices))
    rules_language_other = _opt(forms.CharField, _("Autre langue (laquelle)"), max_length=60)
    interpreter_name = _opt(forms.CharField, _("Interprète (nom), s'il y en a eu un"), max_length=120)
    can_read = _opt(forms.NullBooleanField, _("La personne sait lire"), widget=forms.Select(choices=[
        ("unknown", "—"), ("true", _("Oui")), ("false", _("Non : explications orales"))]))
    rules_mode = _opt(forms.ChoiceField, _("Forme"), choices=_blank(RulesMode.choices))
    acknowledgement = _opt(forms.ChoiceField, _("Accusé de la personne"),
                           choices=_blank(Acknowledgement.choices))
    acknowledgement_witness = _opt(forms.CharField, _("Témoin du refus (nom)"), max_length=120)
    charges_communicated = _opt(forms.BooleanField, _("Charges et motifs de la détention communiqués "
                                                      "à la personne (Règle 111)"))
    charges_communicated_at = _opt(forms.DateTimeField, _("Communiqués le"), widget=DATETIME)
    charges_communicated_by = _opt(forms.CharField, _("Communiqués par (nom et qualité)"), max_length=120)
    search_done = _opt(forms.BooleanField, _("Fouille effectuée"))
    searcher_sex = _opt(forms.ChoiceField, _("Sexe de l'agent qui a fouillé (même sexe que la personne)"),
                        choices=_blank(Sex.choices))
    search_witnesses = _opt(forms.CharField, _("Personnes présentes à la fouille"), max_length=240)
    prohibited_items_found = _opt(forms.BooleanField, _("Objets interdits trouvés"))
    items_found = _opt(forms.CharField, _("Objets trouvés"), widget=forms.Textarea(attrs={"rows": 2}))
    unit = _opt(forms.ModelChoiceField, _("Unité / cellule d'affectation"), queryset=Unit.objects.none())
    override_reason = _opt(forms.CharField, _("Motif malgré l'avertissement (unité pleine ou "
                                              "catégories mélangées)"),
                           widget=forms.Textarea(attrs={"rows": 2}))
    notes = _opt(forms.CharField, _("Observations"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, intake, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(facility=intake.facility, is_active=True).with_occupancy()
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: _("%(unit)s — %(occupancy)s") % {
            "unit": u.name, "occupancy": occupancy_text(u.occupants, u.capacity)}


class AdministrationForm(forms.Form):
    identity_confirmed = _opt(forms.BooleanField, _("Identité vérifiée sur le titre de détention"))
    identity_notes = _opt(forms.CharField, _("Écarts constatés"), widget=forms.Textarea(attrs={"rows": 2}))
    father_name = _opt(forms.CharField, _("Prénom du père"), max_length=120)
    mother_name = _opt(forms.CharField, _("Nom et prénom de la mère"), max_length=160)
    place_of_birth = _opt(forms.CharField, _("Lieu de naissance"), max_length=120)
    nationality = _opt(forms.CharField, _("Nationalité"), max_length=60)
    languages = _opt(forms.CharField, _("Langues parlées"), max_length=200)
    gender_identity = _opt(forms.CharField, _("Genre déclaré (si différent du sexe)"), max_length=60)
    domiciled_in_mali = forms.NullBooleanField(
        label=_("Domicilié au Mali"), required=False,
        help_text=_("Détermine le délai applicable aux délits punis de 2 ans au plus (art. 125 CPP)."))
    photo = _opt(forms.FileField, _("Photo (JPEG ou PNG)"),
                 widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
    warrant_scan = _opt(forms.FileField, _("Titre de détention numérisé (PDF, JPEG ou PNG)"),
                        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
    no_contact_reason = _opt(forms.CharField, _("Aucun parent ni contact connu : motif"), max_length=200)
    no_fingerprint_reader = _opt(forms.BooleanField, _("Pas de lecteur d'empreintes à ce poste (pour les dix doigts)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for finger in Finger:
            self.fields[f"fingerprint_{finger.value}"] = _opt(
                forms.FileField, finger.label,
                widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
            self.fields[f"fingerprint_{finger.value}_missing"] = _opt(
                forms.CharField, _("ou motif"), max_length=200)

    def finger_rows(self):
        return [(finger.label, self[f"fingerprint_{finger.value}"], self[f"fingerprint_{finger.value}_missing"])
                for finger in Finger]

    def service_data(self):
        data = dict(self.cleaned_data)
        data["fingerprints"] = {
            f.value: {"image": data.pop(f"fingerprint_{f.value}", None),
                      "missing_reason": data.pop(f"fingerprint_{f.value}_missing", "")}
            for f in Finger}
        return data


class RelativeForm(forms.Form):
    name = _opt(forms.CharField, _("Nom et prénom"), max_length=160)
    relation = _opt(forms.ChoiceField, _("Lien"), choices=_blank(Relation.choices))
    is_next_of_kin = _opt(forms.BooleanField, _("Plus proche parent"))
    is_emergency_contact = _opt(forms.BooleanField, _("Contact d'urgence"))
    phone = _opt(forms.CharField, _("Téléphone"), max_length=40)
    address = _opt(forms.CharField, _("Adresse / localité"), max_length=200)
    age_years = _opt(forms.IntegerField, _("Âge (enfants)"), min_value=0)
    whereabouts = _opt(forms.CharField, _("Où se trouve-t-il/elle"), max_length=200)
    caregiver = _opt(forms.CharField, _("Qui en a la charge"), max_length=160)


RelativeFormSet = forms.formset_factory(RelativeForm, extra=3, max_num=20)


class RegistryForm(forms.Form):
    seal_number = _opt(forms.CharField, _("Numéro de scellé"), max_length=40)
    storage_place = _opt(forms.CharField, _("Lieu de rangement"), max_length=120)
    acknowledgement = _opt(forms.ChoiceField, _("Reconnaissance par le détenu"),
                           choices=_blank(Acknowledgement.choices), widget=forms.RadioSelect)
    witness_name = _opt(forms.CharField, _("Témoin (en cas de refus)"), max_length=160)
    notes = _opt(forms.CharField, _("Observations"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledgement"].choices = Acknowledgement.choices


class PropertyItemForm(forms.Form):
    category = _opt(forms.ChoiceField, _("Catégorie"), choices=_blank(PropertyCategory.choices))
    description = _opt(forms.CharField, _("Description"), max_length=200)
    quantity = _opt(forms.IntegerField, _("Quantité"), min_value=1)
    cash_amount = _opt(forms.IntegerField, _("Montant"), min_value=0)
    currency = _opt(forms.CharField, _("Devise"), max_length=12, initial="FCFA")
    imei = _opt(forms.CharField, _("IMEI"), max_length=15)


PropertyItemFormSet = forms.formset_factory(PropertyItemForm, extra=5, max_num=50)

FIT_CHOICES = [("yes", _("Apte à la détention")), ("no", _("Inapte à la détention"))]


class MedicalForm(forms.Form):
    fit = _opt(forms.ChoiceField, _("Aptitude"), choices=FIT_CHOICES, widget=forms.RadioSelect)
    visible_injuries = _opt(forms.BooleanField, _("Blessures visibles"))
    injuries_description = _opt(forms.CharField, _("Blessures (où, quoi)"),
                                widget=forms.Textarea(attrs={"rows": 2}))
    ill_treatment_alleged = _opt(forms.BooleanField, _("Allégation de mauvais traitements avant l'arrivée"))
    allegation_by_whom = _opt(forms.CharField, _("Par qui"), max_length=160)
    allegation_where = _opt(forms.CharField, _("Où"), max_length=160)
    allegation_when = _opt(forms.CharField, _("Quand"), max_length=80)
    allegation_account = _opt(forms.CharField, _("Récit de la personne"),
                              widget=forms.Textarea(attrs={"rows": 2}))
    contagious_screening = _opt(forms.CharField, _("Dépistage des maladies contagieuses"),
                                widget=forms.Textarea(attrs={"rows": 2}))
    treatment = _opt(forms.CharField, _("Traitement"), widget=forms.Textarea(attrs={"rows": 2}))
    report_authority = _opt(forms.CharField, _("Signalé à (autorité) — Règles 30 et 34"), max_length=160)
    report_date = _opt(forms.DateField, _("Signalé le"), widget=DATE)

    def service_data(self):
        data = dict(self.cleaned_data)
        fit = data.pop("fit", "")
        data["fit_for_detention"] = {"yes": True, "no": False}.get(fit)
        return data


class InterviewForm(forms.Form):
    background = _opt(forms.CharField, _("Parcours"), widget=forms.Textarea(attrs={"rows": 3}))
    family_situation = _opt(forms.CharField, _("Situation familiale"), widget=forms.Textarea(attrs={"rows": 2}))
    languages = _opt(forms.CharField, _("Langues parlées"), max_length=200)
    own_account = _opt(forms.CharField, _("Récit de la personne sur les faits reprochés"),
                       widget=forms.Textarea(attrs={"rows": 3}))
    motivations = _opt(forms.CharField, _("Motivations exprimées"), widget=forms.Textarea(attrs={"rows": 2}))
    needs = _opt(forms.MultipleChoiceField, _("Besoins"), choices=Need.choices,
                 widget=forms.CheckboxSelectMultiple)
    needs_notes = _opt(forms.CharField, _("Précisions sur les besoins"), widget=forms.Textarea(attrs={"rows": 2}))
    conclusions = _opt(forms.CharField, _("Conclusions de l'enquête sociale"),
                       widget=forms.Textarea(attrs={"rows": 3}))
    ethnic_group = _opt(forms.ChoiceField, _("Groupe ethnique"), choices=_blank(EthnicGroup.choices))
    ethnic_group_other = _opt(forms.CharField, _("Groupe ethnique, si « Autre »"), max_length=120)
    religion = _opt(forms.ChoiceField, _("Religion"), choices=_blank(Religion.choices))
    religion_other = _opt(forms.CharField, _("Religion, si « Autre »"), max_length=120)
    education = _opt(forms.ChoiceField, _("Niveau d'instruction"), choices=_blank(Education.choices))
    occupation = _opt(forms.ChoiceField, _("Profession / activité"), choices=_blank(Occupation.choices))
    occupation_other = _opt(forms.CharField, _("Profession / activité, si « Autre »"), max_length=120)
    marital_status = _opt(forms.ChoiceField, _("Situation matrimoniale"), choices=_blank(MaritalStatus.choices))
    children_count = _opt(forms.IntegerField, _("Nombre d'enfants"), min_value=0)
    affiliations = _opt(forms.MultipleChoiceField, _("Affiliation(s)"), choices=Affiliation.choices,
                        widget=forms.CheckboxSelectMultiple)
    involvement = _opt(forms.ChoiceField, _("Type d'implication"), choices=_blank(Involvement.choices))
    organisational_role = _opt(forms.ChoiceField, _("Rôle dans l'organisation"),
                               choices=_blank(OrganisationalRole.choices))
    organisational_role_other = _opt(forms.CharField, _("Rôle dans l'organisation, si « Autre »"), max_length=120)
    engagement_reasons = _opt(forms.MultipleChoiceField, _("Raisons de l'engagement (plusieurs possibles)"),
                              choices=EngagementReason.choices, widget=forms.CheckboxSelectMultiple)

    TERRORISM_FIELDS = ("affiliations", "involvement", "organisational_role", "organisational_role_other",
                        "engagement_reasons")

    def __init__(self, *args, terrorism_related, **kwargs):
        super().__init__(*args, **kwargs)
        if not terrorism_related:
            for name in self.TERRORISM_FIELDS:
                del self.fields[name]

    def general_fields(self):
        return [self[n] for n in self.fields if n not in self.TERRORISM_FIELDS]

    def profile_fields(self):
        return [self[n] for n in self.TERRORISM_FIELDS if n in self.fields]
