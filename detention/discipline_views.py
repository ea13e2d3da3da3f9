"""Pages of the discipline and isolation registers (per prison), scoped and audited."""

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
from detention import discipline_reads
from detention.discipline_forms import (
    AppealForm,
    AppealOutcomeForm,
    DecisionForm,
    HearingForm,
    IncidentReportForm,
    IsolationEndForm,
    IsolationForm,
    IsolationVisitForm,
    NotifyForm,
)
from detention.models import DisciplinaryCharge, DisciplineLimit, IsolationPlacement, Sanction
from detention.services import discipline, isolation
from inmates.views import custody_or_404, facility_or_404, life_url


@require_GET
@permission_required("detention.view_disciplinarycharge", raise_exception=True)
def discipline_list(request, pk):
    facility = facility_or_404(request, pk)
    charges = (DisciplinaryCharge.objects.visible_to(request.user).filter(incident__facility=facility)
               .select_related("custody__inmate", "custody__facility", "incident", "sanction", "decided_by"))
    record_rows(request.user, kind=_("registre disciplinaire"), query=request.GET, queryset=charges,
                target=facility, facility_id=facility.pk)
    charges = list(charges[:200])
    for charge in charges:
        charge.next_url = step_url(charge, request.user)
    return render(request, "detention/discipline_list.html", {
        "facility": facility, "charges": charges,
        "sanctions": Sanction.objects.filter(facility=facility), "limits": DisciplineLimit.objects.all(),
    })


@require_GET
@permission_required("detention.view_disciplinarycharge", raise_exception=True)
def discipline_detail(request, pk):
    charge = discipline_reads.open_disciplinary_charge(pk, actor=request.user)
    return render(request, "detention/discipline_detail.html", {"charge": charge, "custody": charge.custody})


@require_GET
@permission_required("detention.view_isolationplacement", raise_exception=True)
def isolation_list(request, pk):
    facility = facility_or_404(request, pk)
    rows = discipline_reads.isolation_rows(facility)
    record_rows(request.user, kind=_("registre de l'isolement"), query=request.GET,
                queryset=IsolationPlacement.objects.open().filter(facility=facility), target=facility,
                facility_id=facility.pk)
    return render(request, "detention/isolation_list.html", {
        "facility": facility, "rows": rows, "today": timezone.localdate(),
        "reconciliation": discipline_reads.isolation_reconciliation(facility),
        "limits": DisciplineLimit.objects.all(),
    })


# --- Writes: the incident report, each step of a charge, isolation (issue 14, item 1-2) --------


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_disciplinaryincident", raise_exception=True)
def incident_report(request, pk):
    facility = facility_or_404(request, pk)
    form = IncidentReportForm(request.POST or None, facility=facility)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        custodies = data.pop("people")
        incident = call_service(form, lambda: discipline.report_incident(
            facility, custodies=custodies, actor=request.user, **data))
        if incident:
            messages.success(request, _("Rapport d'incident enregistré : une poursuite par personne, à notifier."))
            charges = list(incident.charges.all())
            if len(charges) == 1:
                return redirect("life:discipline_detail", charges[0].pk)
            return redirect("life:discipline_list", facility.pk)
    return record_form_page(request, title=_("Rapport d'incident disciplinaire"), form=form, facility=facility,
                            cancel_url=reverse("life:discipline_list", args=[facility.pk]),
                            intro=_("Qui, quand, où, quoi, les témoins. La personne sera informée du manquement "
                                    "reproché dans une langue qu'elle comprend, puis entendue avant toute "
                                    "décision de la direction (Règles 39–41)."))


def next_step(charge):
    """The route name of the charge's next step (None once the appeal is decided)."""
    if not charge.notified_at:
        return "life:charge_notify"
    if not charge.heard_at:
        return "life:charge_hear"
    if not charge.decided_at:
        return "life:charge_decide"
    if not charge.appeal_lodged_at:
        return "life:charge_appeal"
    if not charge.appeal_decided_at:
        return "life:charge_appeal_outcome"
    return None


STEP_LABELS = {
    "life:charge_notify": gettext_lazy("notifier"), "life:charge_hear": gettext_lazy("audience"),
    "life:charge_decide": gettext_lazy("décider"), "life:charge_appeal": gettext_lazy("recours"),
    "life:charge_appeal_outcome": gettext_lazy("issue du recours"),
}


def step_url(charge, user):
    """(url, label) of the charge's next step when `user` may take it, else None."""
    route = next_step(charge)
    if route is None:
        return None
    perm = "detention.decide_disciplinarycharge" if route == "life:charge_decide" else \
        "detention.change_disciplinarycharge"
    if not user.has_perm(perm):
        return None
    return reverse(route, args=[charge.pk]), STEP_LABELS[route]


def _charge_step(request, pk, *, form_class, title, call, done, intro="", facility_form=False):
    charge = discipline_reads.open_disciplinary_charge(pk, actor=request.user)
    here = request.resolver_match.view_name
    if request.method == "GET" and next_step(charge) != here:
        # A step already done (or not yet due): the charge shows where it stands.
        messages.info(request, _("Cette étape n'est pas la prochaine de la poursuite (étape actuelle : %(s)s).")
                      % {"s": charge.stage})
        return redirect("life:discipline_detail", charge.pk)
    kwargs = {"facility": charge.incident.facility} if facility_form else {}
    form = form_class(request.POST if request.method == "POST" else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(charge, **form.cleaned_data)):
            messages.success(request, done)
            return redirect("life:discipline_detail", charge.pk)
    return record_form_page(request, title=f"{title} — n° {charge.pk}", form=form, custody=charge.custody,
                            cancel_url=reverse("life:discipline_detail", args=[charge.pk]), intro=intro)


@require_http_methods(["GET", "POST"])
@permission_required("detention.change_disciplinarycharge", raise_exception=True)
def charge_notify(request, pk):
    return _charge_step(request, pk, form_class=NotifyForm, title=_("Notifier la poursuite"),
                        call=lambda c, **d: discipline.notify_charge(c, actor=request.user, **d),
                        done=_("Notification enregistrée."),
                        intro=_("La personne est informée du manquement reproché dans une langue qu'elle "
                                "comprend et dispose du temps de préparer sa défense (Règle 41)."))


@require_http_methods(["GET", "POST"])
@permission_required("detention.change_disciplinarycharge", raise_exception=True)
def charge_hear(request, pk):
    return _charge_step(request, pk, form_class=HearingForm, title=_("Audience de la personne"),
                        call=lambda c, **d: discipline.hear_charge(c, actor=request.user, **d),
                        done=_("Audience enregistrée."),
                        intro=_("La personne se défend elle-même ou avec une assistance ; un interprète "
                                "gratuit si elle ne comprend pas la langue (Règle 41)."))


@require_http_methods(["GET", "POST"])
@permission_required("detention.decide_disciplinarycharge", raise_exception=True)
def charge_decide(request, pk):
    return _charge_step(request, pk, form_class=DecisionForm, title=_("Décision de la direction"),
                        call=lambda c, **d: discipline.decide_charge(c, actor=request.user, **d),
                        done=_("Décision enregistrée."), facility_form=True,
                        intro=_("Une sanction de la liste de l'établissement, ou aucune ; motivée. Interdits : "
                                "sanctions collectives, réduction de nourriture ou d'eau, isolement au-delà "
                                "de la limite (Règles 43–44)."))


@require_http_methods(["GET", "POST"])
@permission_required("detention.change_disciplinarycharge", raise_exception=True)
def charge_appeal(request, pk):
    return _charge_step(request, pk, form_class=AppealForm, title=_("Recours contre la décision"),
                        call=lambda c, **d: discipline.lodge_appeal(c, actor=request.user, **d),
                        done=_("Recours enregistré."))


@require_http_methods(["GET", "POST"])
@permission_required("detention.change_disciplinarycharge", raise_exception=True)
def charge_appeal_outcome(request, pk):
    return _charge_step(request, pk, form_class=AppealOutcomeForm, title=_("Issue du recours"),
                        call=lambda c, **d: discipline.decide_appeal(c, actor=request.user, **d),
                        done=_("Issue du recours enregistrée."))


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_isolationplacement", raise_exception=True)
def isolation_place(request, pk):
    custody = custody_or_404(request, pk)
    form = IsolationForm(request.POST or None, custody=custody)
    if request.method == "POST" and form.is_valid():
        placement = call_service(form, lambda: isolation.place_in_isolation(
            custody, actor=request.user, **form.cleaned_data))
        if placement:
            messages.success(request, _("Placement à l'isolement inscrit au registre."))
            return redirect("life:isolation_detail", placement.pk)
    return record_form_page(request, title=_("Placer à l'isolement"), form=form, custody=custody,
                            cancel_url=life_url(custody),
                            intro=_("Jamais pour une personne mineure, une femme enceinte ou avec un nourrisson, "
                                    "ni si l'isolement aggraverait son état, sauf avis médical contraire "
                                    "enregistré (Règle 45) ; au plus 15 jours consécutifs (Règle 44) ; visite "
                                    "médicale chaque jour (Règle 46)."))


@require_GET
@permission_required("detention.view_isolationplacement", raise_exception=True)
def isolation_detail(request, pk):
    placement = discipline_reads.open_isolation(pk, actor=request.user)
    on = timezone.localdate()
    return render(request, "detention/isolation_detail.html", {
        "placement": placement, "custody": placement.custody,
        "visits": placement.visits.select_related("visited_by").order_by("-visited_at"),
        "days": discipline_reads.isolation_days(placement, on),
        "missing_visits": discipline_reads.missing_visit_days(placement, on),
    })


def _isolation_step(request, pk, *, form_class, title, call, done):
    placement = discipline_reads.open_isolation(pk, actor=request.user)
    if request.method == "GET" and placement.ended_at:
        messages.info(request, _("Ce placement à l'isolement est déjà levé."))
        return redirect("life:isolation_detail", placement.pk)
    kwargs = {"facility": placement.facility} if form_class is IsolationEndForm else {}
    form = form_class(request.POST if request.method == "POST" else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(placement, **form.cleaned_data)):
            messages.success(request, done)
            return redirect("life:isolation_detail", placement.pk)
    return record_form_page(request, title=title, form=form, custody=placement.custody,
                            cancel_url=reverse("life:isolation_detail", args=[placement.pk]))


@require_http_methods(["GET", "POST"])
@permission_required("detention.change_isolationplacement", raise_exception=True)
def isolation_end(request, pk):
    return _isolation_step(request, pk, form_class=IsolationEndForm, title=_("Lever l'isolement"),
                           call=lambda p, **d: isolation.end_isolation(p, actor=request.user, **d),
                           done=_("Fin de l'isolement enregistrée."))


@require_http_methods(["GET", "POST"])
@permission_required("detention.record_isolation_visit", raise_exception=True)
def isolation_visit(request, pk):
    return _isolation_step(request, pk, form_class=IsolationVisitForm,
                           title=_("Visite médicale quotidienne à l'isolement"),
                           call=lambda p, **d: isolation.record_isolation_visit(p, actor=request.user, **d),
                           done=_("Visite médicale enregistrée."))
