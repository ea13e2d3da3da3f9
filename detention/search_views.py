"""Pages of the searches register and of the use-of-force register (per prison), scoped and audited.

Lists and details read through `detention.search_reads` (another prison's record: 404; a role
without the permission: 403); each form validates, calls one service and shows its refusal."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.reads import record_rows
from core.pages import call_service, record_form_page
from detention import search_reads
from detention.models.searches import SearchKind
from detention.search_forms import (
    DurationForm,
    ExaminationForm,
    ReportForm,
    ReviewForm,
    SearchForm,
    UseOfForceForm,
)
from detention.services import force as force_services
from detention.services import searches as search_services
from inmates.views import facility_or_404

LIST_SIZE = 200


@require_GET
@permission_required("detention.view_search", raise_exception=True)
def search_list(request, pk):
    facility = facility_or_404(request, pk)
    filters = search_reads.search_filters(request.GET)
    searches = search_reads.search_rows(facility, actor=request.user, **filters)
    record_rows(request.user, kind=_("registre des fouilles"), query=request.GET, queryset=searches,
                target=facility, facility_id=facility.pk)
    return render(request, "detention/search_list.html", {
        "facility": facility, "searches": searches[:LIST_SIZE], "filters": filters, "kinds": SearchKind.choices})


@require_GET
@permission_required("detention.view_search", raise_exception=True)
def search_detail(request, pk):
    search = search_reads.open_search(pk, actor=request.user)
    return render(request, "detention/search_detail.html", {"search": search, "custody": search.custody})


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_search", raise_exception=True)
def search_add(request, pk):
    facility = facility_or_404(request, pk)
    form = SearchForm(request.POST or None, facility=facility)
    if request.method == "POST" and form.is_valid():
        search = call_service(form, lambda: search_services.record_search(facility, actor=request.user,
                                                                          **form.service_data()))
        if search:
            messages.success(request, _("La fouille est inscrite au registre."))
            return redirect("life:search_detail", search.pk)
    return record_form_page(request, title=_("Inscrire une fouille"), form=form, facility=facility,
                            cancel_url=reverse("life:search_list", args=[facility.pk]),
                            intro=_("Une fouille corporelle est faite par un agent du même sexe ; une fouille intime "
                                    "par le personnel de santé ou sur autorisation enregistrée (Règles 50–52)."))


@require_GET
@permission_required("detention.view_useofforce", raise_exception=True)
def force_list(request, pk):
    facility = facility_or_404(request, pk)
    filters = search_reads.search_filters(request.GET)
    forces = search_reads.force_rows(facility, actor=request.user, start=filters["start"], end=filters["end"])
    record_rows(request.user, kind=_("registre de l'usage de la force"), query=request.GET, queryset=forces,
                target=facility, facility_id=facility.pk)
    now, limit = timezone.now(), force_services.restraint_limit()
    rows = [{"force": f, **search_reads.force_flags(f, now=now, limit=limit)} for f in forces[:LIST_SIZE]]
    return render(request, "detention/force_list.html", {
        "facility": facility, "rows": rows, "filters": filters, "limit": limit})


@require_GET
@permission_required("detention.view_useofforce", raise_exception=True)
def force_detail(request, pk):
    force = search_reads.open_use_of_force(pk, actor=request.user)
    return render(request, "detention/force_detail.html", {
        "force": force, "custody": force.custody, "limit": force_services.restraint_limit(),
        **search_reads.force_flags(force)})


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_useofforce", raise_exception=True)
def force_add(request, pk):
    facility = facility_or_404(request, pk)
    form = UseOfForceForm(request.POST or None, facility=facility)
    if request.method == "POST" and form.is_valid():
        force = call_service(form, lambda: force_services.record_use_of_force(
            form.custody, actor=request.user, **form.service_data()))
        if force:
            messages.success(request, _("L'usage de la force est inscrit au registre."))
            return redirect("life:force_detail", force.pk)
    return record_form_page(request, title=_("Inscrire un usage de la force ou de moyens de contrainte"), form=form,
                            facility=facility, cancel_url=reverse("life:force_list", args=[facility.pk]),
                            intro=_("La force n'est employée qu'en cas de légitime défense, de tentative d'évasion ou "
                                    "de résistance à un ordre légal, et rapportée au directeur le jour même (Règle "
                                    "82). Chaînes et fers sont interdits (Règle 47). Au-delà de %(n)s minutes, une "
                                    "contrainte doit être contrôlée par la direction.")
                            % {"n": force_services.restraint_limit()})


def _force_step(request, pk, *, form_class, title, call, done):
    force = search_reads.open_use_of_force(pk, actor=request.user)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(force, form.cleaned_data)):
            messages.success(request, done)
            return redirect("life:force_detail", force.pk)
    return record_form_page(request, title=title, form=form, custody=force.custody,
                            cancel_url=reverse("life:force_detail", args=[force.pk]))


@require_http_methods(["GET", "POST"])
@permission_required("detention.examine_useofforce", raise_exception=True)
def force_examination(request, pk):
    return _force_step(request, pk, form_class=ExaminationForm, title=_("Examen médical après l'usage de la force"),
                       done=_("L'examen médical est enregistré."),
                       call=lambda force, data: force_services.record_force_examination(
                           force, actor=request.user, at=data["examined_at"]))


@require_http_methods(["GET", "POST"])
@permission_required("detention.change_useofforce", raise_exception=True)
def force_report(request, pk):
    return _force_step(request, pk, form_class=ReportForm, title=_("Rapport au directeur"),
                       done=_("Le rapport au directeur est enregistré."),
                       call=lambda force, data: force_services.record_force_report(
                           force, actor=request.user, at=data["reported_at"]))


@require_http_methods(["GET", "POST"])
@permission_required("detention.review_useofforce", raise_exception=True)
def force_review(request, pk):
    return _force_step(request, pk, form_class=ReviewForm, title=_("Contrôle d'une contrainte prolongée"),
                       done=_("Le contrôle est enregistré."),
                       call=lambda force, data: force_services.record_restraint_review(
                           force, outcome=data["review_outcome"], actor=request.user, at=data["reviewed_at"]))


@require_http_methods(["GET", "POST"])
@permission_required("detention.change_useofforce", raise_exception=True)
def force_duration(request, pk):
    return _force_step(request, pk, form_class=DurationForm, title=_("Fin de la contrainte"),
                       done=_("La durée est inscrite."),
                       call=lambda force, data: force_services.end_restraint(
                           force, duration_minutes=data["duration_minutes"], actor=request.user))
