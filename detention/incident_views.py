"""Pages of the register of serious incidents and injuries (Rules 69–72): the prison's register
(period filter, overdue notices in red), an incident (its medical details for medical staff
only), and the forms, each calling one service of `detention.services.incidents`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.reads import record_rows
from core.pages import call_service, record_form_page
from detention import incident_reads
from detention.models.incidents import IncidentKind, InvolvementPart
from detention.services import incidents
from inmates.forms import DATETIME_INPUT_FORMATS, DateInput, DateTimeInput
from inmates.models import Custody, NotificationMethod
from inmates.views import custody_or_404, facility_or_404


def _when(**kwargs):
    return forms.DateTimeField(widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS, **kwargs)


class PeriodForm(forms.Form):
    debut = forms.DateField(label=gettext_lazy("Du"), required=False, widget=DateInput())
    fin = forms.DateField(label=gettext_lazy("Au"), required=False, widget=DateInput())


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Nature"), choices=IncidentKind.choices)
    custody = forms.ModelChoiceField(label=gettext_lazy("Personne concernée"), queryset=Custody.objects.none(),
                                     required=False,
                                     help_text=gettext_lazy("Laissez vide pour un incident collectif."))
    occurred_at = _when(label=gettext_lazy("Survenu le"))
    place = forms.CharField(label=gettext_lazy("Lieu"), max_length=160)
    circumstances = forms.CharField(label=gettext_lazy("Circonstances"), widget=forms.Textarea(attrs={"rows": 4}))
    involved = forms.ModelMultipleChoiceField(label=gettext_lazy("Autres personnes impliquées"),
                                              queryset=Custody.objects.none(), required=False)

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        people = Custody.objects.filter(facility=facility).current().select_related("inmate").order_by(
            "inmate__last_name", "inmate__first_name")
        self.fields["custody"].queryset = people
        self.fields["involved"].queryset = people


class InjuryDetailForm(forms.Form):
    nature_of_injuries = forms.CharField(label=gettext_lazy("Nature des blessures"),
                                         widget=forms.Textarea(attrs={"rows": 3}))
    treatment = forms.CharField(label=gettext_lazy("Soins donnés"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    examining_doctor = forms.CharField(label=gettext_lazy("Médecin examinateur"), max_length=160)
    examined_at = _when(label=gettext_lazy("Examiné le"), required=False,
                        help_text=gettext_lazy("Vide : maintenant."))


class InjuryForm(InjuryDetailForm):
    occurred_at = _when(label=gettext_lazy("Blessure survenue le"))
    place = forms.CharField(label=gettext_lazy("Lieu"), max_length=160)
    circumstances = forms.CharField(
        label=gettext_lazy("Circonstances"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sans détail médical : les circonstances sont lues par la direction, la sécurité "
                               "et les contrôleurs ; les constats médicaux ci-dessous par le seul personnel de santé."))
    field_order = ["occurred_at", "place", "circumstances", "nature_of_injuries", "treatment", "examining_doctor",
                   "examined_at"]


class AuthorityForm(forms.Form):
    authority = forms.CharField(label=gettext_lazy("Autorité judiciaire informée"), max_length=160)
    reference = forms.CharField(label=gettext_lazy("Référence (soit-transmis, procès-verbal…)"), max_length=80,
                                required=False)
    at = _when(label=gettext_lazy("Informée le"), required=False, help_text=gettext_lazy("Vide : maintenant."))


class KinForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Parent prévenu"), max_length=160, required=False)
    method = forms.ChoiceField(label=gettext_lazy("Moyen"), choices=[("", "—"), *NotificationMethod.choices],
                               required=False)
    at = _when(label=gettext_lazy("Prévenu le"), required=False, help_text=gettext_lazy("Vide : maintenant."))


class InquiryForm(forms.Form):
    authority = forms.CharField(label=gettext_lazy("Autorité chargée de l'enquête"), max_length=160)
    reference = forms.CharField(label=gettext_lazy("Référence de l'enquête"), max_length=80)
    outcome = forms.CharField(label=gettext_lazy("Conclusions de l'enquête"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(label=gettext_lazy("Enquête close le"), required=False, widget=DateInput())


@require_GET
@permission_required("detention.view_seriousincident", raise_exception=True)
def incident_list(request, pk):
    """The prison's register over a period (by default every incident), overdue notices flagged."""
    facility = facility_or_404(request, pk)
    period = PeriodForm(request.GET or None)
    start = end = None
    if period.is_valid():
        start, end = period.cleaned_data["debut"], period.cleaned_data["fin"]
    found = incident_reads.incidents_of(request.user, facility=facility, start=start, end=end)
    record_rows(request.user, kind=_("registre des incidents graves"), query=request.GET, queryset=found,
                target=facility, facility_id=facility.pk)
    return render(request, "detention/incident_list.html", {
        "facility": facility, "period": period, "rows": incident_reads.register_rows(found[:300]),
        "can_add": request.user.has_perm("detention.add_seriousincident"),
    })


@require_GET
@permission_required("detention.view_seriousincident", raise_exception=True)
def incident_detail(request, pk):
    incident = incident_reads.open_incident(pk, actor=request.user)
    medical = incident_reads.may_read_medical(request.user)
    return render(request, "detention/incident_detail.html", {
        "incident": incident, "missing": incident.missing(timezone.now()),
        "authority_late": incident.authority_late(timezone.now()),
        "involvements": incident.involvements.select_related("custody__inmate", "custody__facility"),
        "may_read_medical": medical,
        "medical_detail": incident_reads.open_injury_medical_detail(incident, actor=request.user) if medical else None,
        "can_change": request.user.has_perm("detention.change_seriousincident"),
        "can_add_medical": request.user.has_perm("detention.add_injurymedicaldetail"),
    })


def _detail_url(incident):
    return reverse("life:incident_detail", args=[incident.pk])


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_seriousincident", raise_exception=True)
def incident_add(request, pk):
    facility = facility_or_404(request, pk)
    form = IncidentForm(request.POST or None, facility=facility)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["involved"] = [(c, InvolvementPart.INVOLVED) for c in data.pop("involved")]
        incident = call_service(form, lambda: incidents.record_incident(facility, actor=request.user, **data))
        if incident:
            messages.success(request, _("L'incident est inscrit au registre."))
            return redirect(_detail_url(incident))
    return record_form_page(request, title=_("Inscrire un incident grave"), form=form, facility=facility,
                            cancel_url=reverse("life:incident_list", args=[facility.pk]),
                            intro=_("Règles Nelson Mandela 69 à 72 : une blessure grave, une tentative de suicide "
                                    "ou une évasion est portée sans délai à la connaissance de l'autorité "
                                    "judiciaire ; la famille d'une personne gravement blessée est prévenue."))


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_injurymedicaldetail", raise_exception=True)
def injury_add(request, pk):
    custody = custody_or_404(request, pk)
    form = InjuryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        incident = call_service(form, lambda: incidents.record_injury(custody, actor=request.user,
                                                                      **form.cleaned_data))
        if incident:
            messages.success(request, _("La blessure est inscrite au registre des incidents graves."))
            return redirect(_detail_url(incident))
    return record_form_page(request, title=_("Constater une blessure"), form=form, custody=custody,
                            cancel_url=reverse("life:custody_life", args=[custody.pk]),
                            intro=_("Une blessure constatée après l'écrou entre au registre des incidents graves ; "
                                    "les constats médicaux ne sont lus que par le personnel de santé."))


def _incident_form(request, pk, *, form_class, title, call, done, initial=None):
    incident = incident_reads.open_incident(pk, actor=request.user)
    form = form_class(request.POST or None, initial=initial(incident) if initial else None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(incident, actor=request.user, **form.cleaned_data)):
            messages.success(request, done)
            return redirect(_detail_url(incident))
    return record_form_page(request, title=title, form=form, custody=incident.custody, facility=incident.facility,
                            cancel_url=_detail_url(incident),
                            intro=" ; ".join(str(m) for m in incident.missing(timezone.now())))


@require_http_methods(["GET", "POST"])
@permission_required("detention.change_seriousincident", raise_exception=True)
def incident_authority(request, pk):
    return _incident_form(request, pk, form_class=AuthorityForm, call=incidents.record_authority_notice,
                          title=_("Information de l'autorité judiciaire (Règle 71)"),
                          done=_("L'information de l'autorité judiciaire est enregistrée."))


@require_http_methods(["GET", "POST"])
@permission_required("detention.change_seriousincident", raise_exception=True)
def incident_kin(request, pk):
    return _incident_form(request, pk, form_class=KinForm, call=incidents.record_kin_notice,
                          title=_("Information de la famille (Règles 69–70)"),
                          done=_("L'information de la famille est enregistrée."))


@require_http_methods(["GET", "POST"])
@permission_required("detention.change_seriousincident", raise_exception=True)
def incident_inquiry(request, pk):
    return _incident_form(request, pk, form_class=InquiryForm, call=incidents.record_inquiry,
                          title=_("Enquête indépendante (Règle 71)"), done=_("L'enquête est enregistrée."),
                          initial=lambda i: {"authority": i.inquiry_authority, "reference": i.inquiry_reference,
                                             "outcome": i.inquiry_outcome})


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_injurymedicaldetail", raise_exception=True)
def incident_medical(request, pk):
    return _incident_form(request, pk, form_class=InjuryDetailForm, call=incidents.record_injury_detail,
                          title=_("Constat médical de la blessure"), done=_("Le constat médical est enregistré."))
