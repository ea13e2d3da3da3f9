"""A person's follow-up: assessments, the individual plan and its interventions."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import need_to_know
from accounts.reads import record_rows
from core.pages import call_service, record_form_page
from inmates.models import Custody
from inmates.views import custody_or_404
from prisons.models import Facility

from .. import reads, services
from ..forms import (
    AssessmentForm,
    EnrolFromPlanForm,
    InterventionForm,
    NoteForm,
    PlanForm,
    ReviewForm,
    SessionForm,
)
from ..models import Assessment, IndividualPlan, Instrument, Intervention, PlanStatus


def person_url(custody):
    return reverse("followup:person", args=[custody.pk])


def plan_url(plan):
    return reverse("followup:plan_detail", args=[plan.pk])


@require_GET
def index(request):
    """The prisons the reader serves (their committee, preparing release) and, for those who read
    them, the people held with their latest assessment and plan (one LIST entry)."""
    if not reads.may_open_person(request.user):
        raise PermissionDenied
    facilities = Facility.objects.visible_to(request.user).operational().order_by("name")
    people = None
    if need_to_know.can_read_assessments(request.user) or need_to_know.can_read_plans(request.user):
        held = (Custody.objects.visible_to(request.user).held().select_related("inmate", "facility")
                .annotate(assessed_on=Max("needs_assessments__assessed_on"),
                          review_on=Max("needs_assessments__next_review_on"),
                          plans=Count("individual_plans", filter=~Q(individual_plans__status=PlanStatus.CLOSED)))
                .order_by("facility__name", "inmate__last_name", "pk"))
        record_rows(request.user, kind=_("suivi individuel des personnes détenues"), query=request.GET,
                    queryset=held, person_field="inmate_id")
        people = Paginator(held, 50).get_page(request.GET.get("page"))
    return render(request, "followup/index.html", {"facilities": facilities, "page": people,
                                                   "today": timezone.localdate()})


@require_GET
def person(request, pk):
    """The person's follow-up: what this reader may see of it (assessments, plan, decisions, release)."""
    custody, parts = reads.open_person(pk, actor=request.user)
    instrument = Instrument.objects.filter(code="besoins").first()
    version = instrument.published() if instrument else None
    plan = next((p for p in parts["plans"] if p.status != PlanStatus.CLOSED), None)
    release_on, basis = services.foreseeable_release(custody)
    return render(request, "followup/person.html", {
        "custody": custody, "inmate": custody.inmate, **parts, "plan_in_force": plan, "version": version,
        "may_assess": bool(version and version.may_assess(request.user)) and custody.is_current,
        "release_on": release_on, "release_basis": basis,
    })


@require_http_methods(["GET", "POST"])
@permission_required("followup.add_assessment", raise_exception=True)
def assessment_add(request, pk):
    custody = custody_or_404(request, pk)
    version = get_object_or_404(Instrument, code=request.GET.get("instrument", "besoins")).published()
    if version is None:
        raise PermissionDenied(_("Aucune version publiée de cet instrument."))
    previous = Assessment.objects.filter(custody=custody).first()
    form = AssessmentForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        done = call_service(form, lambda: services.record_assessment(
            custody, version=version, actor=request.user, reviews=previous, **form.service_kwargs()))
        if done:
            messages.success(request, _("L'évaluation est enregistrée."))
            return redirect(reverse("followup:assessment_detail", args=[done.pk]))
    intro = version.guidance
    if previous:
        intro = _("Révision de l'évaluation du %(d)s (l'historique est conservé). ") % {
            "d": previous.assessed_on.strftime("%d/%m/%Y")} + intro
    return record_form_page(request, title=str(version), form=form,
                            custody=custody, cancel_url=person_url(custody), intro=intro)


@require_GET
def assessment_detail(request, pk):
    assessment = reads.open_assessment(pk, actor=request.user)
    return render(request, "followup/assessment_detail.html", {
        "assessment": assessment, "custody": assessment.custody, "inmate": assessment.custody.inmate,
        "answers": assessment.answers.select_related("item__domain", "item__scale"),
        "history": Assessment.objects.filter(custody=assessment.custody).select_related("assessed_by"),
    })


@require_http_methods(["GET", "POST"])
@permission_required("followup.add_individualplan", raise_exception=True)
def plan_add(request, pk):
    custody = custody_or_404(request, pk)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessment = Assessment.objects.filter(custody=custody).first()
        plan = call_service(form, lambda: services.draft_plan(custody, actor=request.user, assessment=assessment,
                                                              **form.service_kwargs()))
        if plan:
            messages.success(request, _("Le projet de plan est enregistré ; il sera soumis au comité."))
            return redirect(plan_url(plan))
    return record_form_page(request, title=_("Projet de plan individuel"), form=form, custody=custody,
                            cancel_url=person_url(custody),
                            intro=_("Le plan est approuvé par le comité pluridisciplinaire."))


@require_GET
def plan_detail(request, pk):
    plan = reads.open_plan(pk, actor=request.user)
    interventions = (plan.interventions.select_related("kind", "goal", "activity", "enrolment__activity")
                     .prefetch_related("refusals")
                     .annotate(held=Count("sessions"), attended=Count("sessions", filter=Q(sessions__attended=True))))
    return render(request, "followup/plan_detail.html", {
        "plan": plan, "custody": plan.custody, "inmate": plan.custody.inmate, "interventions": interventions,
        "notes": plan.notes.select_related("author", "intervention__kind"),
        "reviews": plan.reviews.select_related("reviewed_by"), "decisions": plan.decisions.select_related("session"),
    })


def _plan_for_change(request, pk):
    plan = reads.open_plan(pk, actor=request.user)
    if not request.user.has_perm("followup.change_individualplan"):
        raise PermissionDenied
    return plan


def _plan_form(request, pk, form_class, *, title, call, done_message):
    plan = _plan_for_change(request, pk)
    form = form_class(request.POST or None, **({"plan": plan} if form_class is InterventionForm else {}))
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: call(plan, form.cleaned_data)):
            messages.success(request, done_message)
            return redirect(plan_url(plan))
    return record_form_page(request, title=title, form=form, custody=plan.custody, cancel_url=plan_url(plan))


@require_http_methods(["GET", "POST"])
def intervention_add(request, pk):
    return _plan_form(request, pk, InterventionForm, title=_("Ajouter une intervention au plan"),
                      call=lambda plan, data: services.add_intervention(plan, actor=request.user, **data),
                      done_message=_("L'intervention est ajoutée."))


@require_http_methods(["GET", "POST"])
def note_add(request, pk):
    return _plan_form(request, pk, NoteForm, title=_("Note de suivi"),
                      call=lambda plan, data: services.add_progress_note(plan, actor=request.user, **data),
                      done_message=_("La note est enregistrée."))


@require_http_methods(["GET", "POST"])
def review_add(request, pk):
    return _plan_form(request, pk, ReviewForm, title=_("Révision du plan"),
                      call=lambda plan, data: services.review_plan(plan, actor=request.user, **data),
                      done_message=_("La révision est enregistrée."))


def _intervention(request, pk):
    intervention = get_object_or_404(Intervention.objects.filter(plan__in=IndividualPlan.objects.visible_to(
        request.user)).select_related("plan__custody__inmate", "kind"), pk=pk)
    reads.open_plan(intervention.plan_id, actor=request.user)
    if not request.user.has_perm("followup.change_individualplan"):
        raise PermissionDenied
    return intervention


@require_http_methods(["GET", "POST"])
def session_add(request, pk):
    intervention = _intervention(request, pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.record_session(intervention, actor=request.user, **form.cleaned_data)):
            messages.success(request, _("La séance est enregistrée."))
            return redirect(plan_url(intervention.plan))
    return record_form_page(request, title=_("Séance — %(i)s") % {"i": intervention.kind.name}, form=form,
                            custody=intervention.plan.custody, cancel_url=plan_url(intervention.plan))


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_enrolment", raise_exception=True)
def enrol(request, pk):
    """Enrol in an activity from the plan: detention's access rules apply; a refusal is recorded."""
    intervention = _intervention(request, pk)
    form = EnrolFromPlanForm(request.POST or None, intervention=intervention)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrol_from_plan(intervention, actor=request.user, activity=form.cleaned_data["activity"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(plan_url(intervention.plan))
        messages.success(request, _("La personne est inscrite à l'activité."))
        return redirect(plan_url(intervention.plan))
    return record_form_page(request, title=_("Inscrire à une activité — %(i)s") % {"i": intervention.kind.name},
                            form=form, custody=intervention.plan.custody, cancel_url=plan_url(intervention.plan),
                            intro=_("Les règles d'accès de l'activité s'appliquent (régime, catégorie) ; un refus "
                                    "est enregistré et compté."))
