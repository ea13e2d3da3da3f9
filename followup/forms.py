"""Forms of the follow-up pages: they check the shape of the input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from detention.models import Activity, Risk
from inmates.forms import DateInput

from .models import DecisionKind, InterventionType, MemberRole, ProviderKind


class AssessmentForm(forms.Form):
    """One choice per item of the published version, then the justification, conclusion and review."""

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.item_fields = []
        for domain in version.domains.prefetch_related("items__scale"):
            for item in domain.items.all():
                name = f"item_{item.code}"
                self.fields[name] = forms.ChoiceField(
                    label=f"{domain.name} — {item.text}", help_text=item.guidance or domain.guidance,
                    choices=[("", "—")] + [(o["value"], o["label"]) for o in item.scale.options])
                self.item_fields.append((name, item.code))
        self.fields["justification"] = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3}))
        self.fields["conclusion"] = forms.CharField(
            label=_("Conclusion de l'évaluateur"), widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Votre jugement, daté et signé de votre nom. Aucun classement n'en découle automatiquement."))
        self.fields["next_review_on"] = forms.DateField(label=_("Prochaine révision le"), widget=DateInput())

    def service_kwargs(self):
        data = self.cleaned_data
        return {"answers": {code: data[name] for name, code in self.item_fields},
                "justification": data["justification"], "conclusion": data["conclusion"],
                "next_review_on": data["next_review_on"]}


class PlanForm(forms.Form):
    summary = forms.CharField(label=_("Orientation générale"), widget=forms.Textarea(attrs={"rows": 3}))
    goals = forms.CharField(label=_("Objectifs (un par ligne)"), widget=forms.Textarea(attrs={"rows": 4}))
    next_review_on = forms.DateField(label=_("Prochaine révision le"), widget=DateInput())

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["goals"] = [line for line in data["goals"].splitlines() if line.strip()]
        return data


class InterventionForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Intervention"), queryset=InterventionType.objects.filter(is_active=True))
    provider_kind = forms.ChoiceField(label=_("Prestataire"), choices=ProviderKind.choices)
    provider_name = forms.CharField(label=_("Nom du prestataire"), required=False, max_length=160)
    goal = forms.ModelChoiceField(label=_("Objectif"), queryset=None, required=False)
    activity = forms.ModelChoiceField(label=_("Activité de l'établissement"), queryset=None, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.all()
        self.fields["activity"].queryset = Activity.objects.active().filter(facility_id=plan.custody.facility_id)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Tenue le"), widget=DateInput())
    attended = forms.BooleanField(label=_("La personne était présente"), required=False)
    note = forms.CharField(label=_("Observation"), required=False, max_length=300)


class EnrolFromPlanForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("Activité"), queryset=None)

    def __init__(self, *args, intervention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.active().filter(
            facility_id=intervention.plan.custody.facility_id)
        if intervention.activity_id:
            self.fields["activity"].initial = intervention.activity_id


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note de suivi"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    summary = forms.CharField(label=_("Bilan"), widget=forms.Textarea(attrs={"rows": 3}))
    next_review_on = forms.DateField(label=_("Prochaine révision le"), widget=DateInput())


class SessionOpenForm(forms.Form):
    """The members present: one name per service (the direction and at least one other)."""

    held_on = forms.DateField(label=_("Tenue le"), widget=DateInput())
    agenda = forms.CharField(label=_("Ordre du jour"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in MemberRole.choices:
            self.fields[f"member_{value}"] = forms.CharField(label=_("Membre présent — %(r)s") % {"r": label},
                                                             required=False, max_length=160)

    def service_kwargs(self):
        data = self.cleaned_data
        members = [{"role": value, "name": data[f"member_{value}"]} for value in MemberRole.values
                   if (data.get(f"member_{value}") or "").strip()]
        return {"held_on": data["held_on"], "agenda": data["agenda"], "members": members}


class ReviewedPersonForm(forms.Form):
    custody = forms.ModelChoiceField(label=_("Personne examinée"), queryset=None)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        from inmates.models import Custody

        self.fields["custody"].queryset = (Custody.objects.current().filter(facility_id=session.facility_id)
                                           .select_related("inmate").order_by("inmate__last_name"))


class DecisionForm(forms.Form):
    custody = forms.ModelChoiceField(label=_("Personne"), queryset=None)
    kind = forms.ChoiceField(label=_("Décision"), choices=DecisionKind.choices)
    reasons = forms.CharField(label=_("Motifs"), widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.ModelChoiceField(label=_("Plan approuvé"), queryset=None, required=False)
    risk = forms.ChoiceField(label=_("Nouveau niveau de risque"), choices=[("", "—"), *Risk.choices], required=False)
    activity = forms.ModelChoiceField(label=_("Activité"), queryset=None, required=False)
    activity_access = forms.NullBooleanField(label=_("Accès à l'activité accordé"), required=False,
                                             widget=forms.NullBooleanSelect())
    next_review_on = forms.DateField(label=_("Prochaine révision le"), widget=DateInput(), required=False)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        from inmates.models import Custody

        from .models import IndividualPlan, PlanStatus

        self.fields["custody"].queryset = (Custody.objects.current().filter(facility_id=session.facility_id)
                                           .select_related("inmate").order_by("inmate__last_name"))
        self.fields["plan"].queryset = IndividualPlan.objects.filter(
            custody__facility_id=session.facility_id, status=PlanStatus.DRAFT).select_related("custody__inmate")
        self.fields["activity"].queryset = Activity.objects.active().filter(facility_id=session.facility_id)


class ChecklistItemForm(forms.Form):
    note = forms.CharField(label=_("Ce qui est prévu"), max_length=2000)


class ItemForm(forms.Form):
    domain = forms.ModelChoiceField(label=_("Domaine"), queryset=None)
    code = forms.SlugField(label=_("Code"), max_length=40)
    text = forms.CharField(label=_("Question"), max_length=300)
    guidance = forms.CharField(label=_("Consignes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    scale = forms.ModelChoiceField(label=_("Échelle de réponse"), queryset=None)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = version.domains.all()
        self.fields["scale"].queryset = version.scales.all()
