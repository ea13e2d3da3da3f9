"""The multidisciplinary committee of a prison: its sessions, the minutes (printable), decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import need_to_know
from accounts.reads import record_rows
from core.pages import call_service, record_form_page
from inmates.views import facility_or_404

from .. import reads, services
from ..forms import DecisionForm, ReviewedPersonForm, SessionOpenForm
from ..models import CommitteeSession


def session_url(session):
    return reverse("followup:session_detail", args=[session.pk])


@require_GET
@permission_required("followup.view_committeesession", raise_exception=True)
def session_list(request, pk):
    facility = facility_or_404(request, pk)
    sessions = CommitteeSession.objects.filter(facility=facility).prefetch_related("reviewed", "decisions")
    return render(request, "followup/session_list.html", {"facility": facility, "sessions": sessions})


@require_http_methods(["GET", "POST"])
@permission_required("followup.add_committeesession", raise_exception=True)
def session_add(request, pk):
    facility = facility_or_404(request, pk)
    form = SessionOpenForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        session = call_service(form, lambda: services.open_session(facility, actor=request.user,
                                                                   **form.service_kwargs()))
        if session:
            messages.success(request, _("La séance du comité est ouverte."))
            return redirect(session_url(session))
    return record_form_page(request, title=_("Séance du comité pluridisciplinaire"), form=form, facility=facility,
                            cancel_url=reverse("followup:session_list", args=[facility.pk]),
                            intro=_("La direction et au moins un autre service : sécurité, social, médical, "
                                    "enseignement."))


@require_GET
def session_detail(request, pk):
    """The minutes: members, people reviewed, decisions with their reasons (printable)."""
    session = reads.open_session(pk, actor=request.user)
    reviewed = session.reviewed.select_related("custody__inmate", "custody__facility")
    decisions = session.decisions.select_related("custody__inmate", "plan", "activity", "classification",
                                                 "decided_by")
    record_rows(request.user, kind=_("procès-verbal du comité"), query={"séance": session.pk}, queryset=reviewed,
                target=session, facility_id=session.facility_id)
    can_change = request.user.has_perm("followup.change_committeesession") and not session.is_closed
    can_decide = request.user.has_perm("followup.decide_committeesession") and not session.is_closed
    return render(request, "followup/session_detail.html", {
        "session": session, "facility": session.facility, "members": session.members.all(), "reviewed": reviewed,
        "decisions": decisions, "can_change": can_change, "can_decide": can_decide,
        "person_form": ReviewedPersonForm(session=session) if can_change else None,
        "reads_plans": need_to_know.can_read_plans(request.user),
    })


def _open_for_change(request, pk, perm):
    session = reads.open_session(pk, actor=request.user)
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return session


@require_POST
def reviewed_add(request, pk):
    session = _open_for_change(request, pk, "followup.change_committeesession")
    form = ReviewedPersonForm(request.POST, session=session)
    if form.is_valid() and call_service(form, lambda: services.add_reviewed_person(
            session, custody=form.cleaned_data["custody"], actor=request.user)):
        messages.success(request, _("La personne est inscrite à l'ordre du jour."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(session_url(session))


@require_http_methods(["GET", "POST"])
def decision_add(request, pk):
    session = _open_for_change(request, pk, "followup.decide_committeesession")
    initial = {"custody": request.GET.get("personne")} if request.GET.get("personne") else None
    form = DecisionForm(request.POST or None, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["risk"] = data.get("risk") or ""
        if call_service(form, lambda: services.record_decision(session, actor=request.user, **data)):
            messages.success(request, _("La décision est enregistrée au procès-verbal."))
            return redirect(session_url(session))
    return record_form_page(request, title=_("Décision du comité"), form=form, facility=session.facility,
                            cancel_url=session_url(session),
                            intro=_("Un changement de régime met à jour le classement, avec cette séance pour "
                                    "motif."))


@require_POST
def session_close(request, pk):
    session = _open_for_change(request, pk, "followup.decide_committeesession")
    try:
        services.close_session(session, actor=request.user)
        messages.success(request, _("Le procès-verbal est arrêté."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(session_url(session))
