"""Pages for a death in custody: the declaration and the notifications (Rules 69 and 71)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.reads import record_rows
from core.pages import add_service_errors, form_page

from . import deaths
from .forms import DATETIME_INPUT_FORMATS, DateInput, DateTimeInput
from .models import Custody, DeathInCustody
from .views import PAGE_SIZE, facility_or_404


class NotificationsForm(forms.Form):
    """Plain form over the model's fields: the service sets who told whom and validates the row."""

    field_names = deaths.NOTIFICATION_FIELDS
    help_texts = {"kin_told_at": gettext_lazy("Le plus proche parent est prévenu sans délai (Règle 69)."),
                  "authority_informed_at": gettext_lazy(
                      "Une autorité judiciaire indépendante de l'établissement est informée sans délai (Règle 71).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(DeathInCustody, fields=self.field_names, help_texts=self.help_texts))
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.widget, field.input_formats = DateTimeInput(), DATETIME_INPUT_FORMATS
        for name in deaths.NOTIFICATION_FIELDS:
            self.fields[name].required = False


class DeathForm(NotificationsForm):
    field_names = ("died_at", "place", "circumstances", *deaths.NOTIFICATION_FIELDS)


def _back(custody):
    return redirect(reverse("inmates:inmate_detail", args=[custody.inmate_id]) + f"#sejour-{custody.pk}")


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_deathincustody", raise_exception=True)
def death_add(request, pk):
    custody = get_object_or_404(Custody.objects.visible_to(request.user).select_related("inmate", "facility"), pk=pk)
    form = DeathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            deaths.record_death(custody, actor=request.user, died_at=data.pop("died_at"), place=data.pop("place"),
                                circumstances=data.pop("circumstances"), **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le décès est enregistré ; le séjour est clos."))
            return _back(custody)
    return form_page(request, title=_("Déclarer un décès en détention"), forms=[form], inmate=custody.inmate,
                     custody=custody, intro=_("Règles Nelson Mandela 69 à 72 : la famille est prévenue et une "
                                              "autorité judiciaire informée sans délai."))


@require_http_methods(["GET", "POST"])
@permission_required("inmates.change_deathincustody", raise_exception=True)
def death_notifications(request, pk):
    death = deaths.open_death(pk, actor=request.user)
    form = NotificationsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deaths.record_death_notifications(death, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les informations sont enregistrées."))
            return _back(death.custody)
    return form_page(request, title=_("Information de la famille et de l'autorité judiciaire"), forms=[form],
                     inmate=death.custody.inmate, custody=death.custody,
                     intro=", ".join(str(m) for m in death.missing_notifications))


class FollowUpForm(forms.Form):
    """The inquiry (Rule 71) and the body (Rule 72): the service validates the row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(DeathInCustody, fields=deaths.FOLLOW_UP_FIELDS))
        for field in self.fields.values():
            field.required = False
            if isinstance(field, forms.DateTimeField):
                field.widget, field.input_formats = DateTimeInput(), DATETIME_INPUT_FORMATS
            elif isinstance(field, forms.DateField):
                field.widget = DateInput()
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3


@require_http_methods(["GET", "POST"])
@permission_required("inmates.change_deathincustody", raise_exception=True)
def death_follow_up(request, pk):
    death = deaths.open_death(pk, actor=request.user)
    form = FollowUpForm(request.POST or None, initial={n: getattr(death, n) for n in deaths.FOLLOW_UP_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            deaths.record_death_follow_up(death, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("L'enquête et la remise de la dépouille sont enregistrées."))
            return redirect("life:death_list", death.custody.facility_id)
    return form_page(request, title=_("Enquête et remise de la dépouille (Règles 71 et 72)"), forms=[form],
                     inmate=death.custody.inmate, custody=death.custody,
                     intro=", ".join(str(m) for m in death.missing_follow_up))


@require_GET
@permission_required("inmates.view_deathincustody", raise_exception=True)
def death_list(request, pk):
    """The register of deaths in custody of one prison: circumstances, who was told and when,
    the inquiry and the body; what is still missing in red."""
    facility = facility_or_404(request, pk)
    raw = request.GET.get("annee", "")
    year = int(raw) if raw.isdigit() and 1990 <= int(raw) <= timezone.localdate().year else None
    rows = deaths.deaths_register(request.user, facility=facility, year=year)
    record_rows(request.user, kind=_("registre des décès"), query=request.GET, queryset=rows, target=facility,
                facility_id=facility.pk)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inmates/death_list.html", {
        "facility": facility, "page": page, "year": year, "bad_year": bool(raw) and year is None,
        "can_change": request.user.has_perm("inmates.change_deathincustody"),
    })
