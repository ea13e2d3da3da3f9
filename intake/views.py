"""Pages of the arrival workflow. Each view checks access, calls one service, and turns
its errors into form messages (ValidationError), an explanation page (StepOrderError, 409)
or a 403 (PermissionDenied). Pages redirect to the next step."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import need_to_know
from accounts.reads import record_rows
from core.pages import add_service_errors
from prisons.models import Facility
from prisons.printing import print_stylesheets

from . import kept_uploads, services
from .forms import (
    AdministrationForm,
    ArrivalForm,
    ChargeFormSet,
    InterviewForm,
    MedicalForm,
    PriorCustodyFormSet,
    PropertyItemFormSet,
    RegistryForm,
    RelativeFormSet,
    SecurityForm,
)
from .models import (
    SLUG_STEPS,
    STEP_PERMISSIONS,
    STEP_SLUGS,
    Fingerprint,
    Intake,
    PropertyItem,
    Step,
    StepRecord,
)
from .services import StepOrderError


@require_GET
@permission_required("intake.view_intake", raise_exception=True)
def intake_list(request):
    """Intakes in progress in the user's prisons; stalled ones first and highlighted."""
    facilities = Facility.objects.visible_to(request.user).order_by("name")
    intakes = (Intake.objects.visible_to(request.user).in_progress()
               .select_related("facility", "inmate", "custody", "opened_by")
               .order_by("last_activity_at"))
    code = request.GET.get("facility")
    if code:
        intakes = intakes.filter(facility__code=code)
    # "My step": the intakes waiting at one step (?etape=<slug>), as the home page's queues link.
    step = SLUG_STEPS.get(request.GET.get("etape") or "")
    if step is not None:
        intakes = intakes.filter(last_step=step - 1)
    stalled_only = request.GET.get("bloques") == "1"
    if stalled_only:
        intakes = intakes.stalled()
    record_rows(request.user, kind=_("écrous en cours"), query=request.GET, queryset=intakes,
                person_field="inmate_id")
    now = timezone.now()
    rows = [(intake, intake.is_stalled(now)) for intake in intakes]
    return render(request, "intake/intake_list.html", {
        "rows": rows, "facilities": facilities, "facility_code": code,
        "stalled_count": sum(1 for _, stalled in rows if stalled),
        "stall_hours": settings.INTAKE_STALL_HOURS,
        "steps": [(STEP_SLUGS[s], s.label) for s in Step], "step_slug": STEP_SLUGS.get(step, ""),
        "my_steps": [STEP_SLUGS[s] for s in Step if request.user.has_perm(STEP_PERMISSIONS[s])],
        "stalled_only": stalled_only,
    })


def _warrant_from(form, charges, priors, identity_choice, candidates):
    data = dict(form.cleaned_data)
    data.pop("facility", None)
    data["charges"] = [c for c in (f.cleaned_data for f in charges.forms) if c and any(c.values())]
    data["prior_custodies"] = [p for p in (f.cleaned_data for f in priors.forms) if p and any(p.values())]
    data["candidates_shown"] = [{"id": c["id"], "score": c["score"]} for c in candidates]
    if identity_choice == "new":
        data["identity_decision"] = "new"
    elif identity_choice and identity_choice.isdigit() and int(identity_choice) in {c["id"] for c in candidates}:
        data["identity_decision"], data["inmate"] = "readmission", int(identity_choice)
    else:
        data["identity_decision"] = ""
    return data


@require_http_methods(["GET", "POST"])
@permission_required("intake.add_intake", raise_exception=True)
def arrival_new(request):
    """Register an arrival from its warrant; likely matches are shown before the decision."""
    candidates, searched, matches_hint = [], False, False
    if request.method == "POST":
        form = ArrivalForm(request.POST, user=request.user)
        charges = ChargeFormSet(request.POST, prefix="charges")
        priors = PriorCustodyFormSet(request.POST, prefix="priors")
        valid = form.is_valid() & charges.is_valid() & priors.is_valid()
        # "Search matches" with no name typed: say what to type.
        matches_hint = request.POST.get("action") == "matches" and not request.POST.get("last_name", "").strip()
        if valid:
            data = form.cleaned_data
            if data.get("last_name"):
                candidates = services.duplicate_candidates(
                    last_name=data["last_name"], first_name=data.get("first_name") or "",
                    birth_year=data.get("birth_year") or (data["date_of_birth"].year if data.get("date_of_birth") else None),
                    region=data.get("region_of_origin"), actor=request.user)
                searched = True
            choice = request.POST.get("identity_choice", "")
            if request.POST.get("action") == "register":
                warrant = _warrant_from(form, charges, priors, choice, candidates)
                if not searched:
                    warrant["identity_decision"] = ""
                try:
                    intake = services.register_arrival(warrant, facility=data["facility"], actor=request.user)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("Arrivée enregistrée : %(who)s. Étape suivante : sécurité.")
                                     % {"who": intake.inmate.full_name})
                    return redirect("intake:intake_detail", pk=intake.pk)
    else:
        form = ArrivalForm(user=request.user)
        charges = ChargeFormSet(prefix="charges")
        priors = PriorCustodyFormSet(prefix="priors")
    return render(request, "intake/arrival_form.html", {
        "form": form, "charges": charges, "priors": priors, "candidates": candidates,
        "searched": searched, "identity_choice": request.POST.get("identity_choice", ""),
        "matches_hint": matches_hint, "formsets": [charges, priors],
    })


def _step_states(intake):
    done = {r.step: r for r in intake.step_records.all()}
    return [{"step": step, "slug": STEP_SLUGS[step], "record": done.get(step),
             "is_next": intake.next_step == step} for step in Step]


def _load(request, pk, *, audit=True):
    intake = services.open_intake(pk, actor=request.user, audit=audit)
    return (Intake.objects.select_related("facility", "inmate", "custody", "case__court", "warrant",
                                          "opened_by")
            .prefetch_related(Prefetch("step_records",
                                       queryset=StepRecord.objects.select_related("completed_by")))
            .get(pk=intake.pk))


def _extras(request, intake):
    """What the detail and the sheet show beyond the steps: files, medical (for medical
    staff only), the unit."""
    context = {"medical": None, "fingerprints": [], "items": [], "placement": None, "roll_url": None}
    if need_to_know.can_read_medical(request.user) and intake.last_step >= Step.MEDICAL:
        context["medical"] = services.read_medical_examination(intake, actor=request.user)
    if intake.last_step >= Step.ADMINISTRATION:
        context["fingerprints"] = list(Fingerprint.objects.filter(intake=intake))
    if intake.last_step >= Step.REGISTRY:
        context["items"] = list(PropertyItem.objects.filter(registry__intake=intake))
    if intake.last_step >= Step.SECURITY:
        context["placement"] = intake.security.placement
        context["roll_url"] = unit_roll_url(context["placement"].unit)
    return context


@require_GET
def intake_detail(request, pk):
    """The five steps with their state; the next step's link for whoever may do it."""
    intake = _load(request, pk)
    steps = _step_states(intake)
    for state in steps:
        state["can_do"] = state["is_next"] and request.user.has_perm(STEP_PERMISSIONS[state["step"]])
    return render(request, "intake/intake_detail.html", {
        "intake": intake, "steps": steps, "custody": intake.custody,
        "stall_hours": settings.INTAKE_STALL_HOURS,
        **_extras(request, intake),
    })


def _step_forms(step, intake, data=None, files=None):
    """(main form, formset or None) of a step."""
    if step == Step.SECURITY:
        return SecurityForm(data, intake=intake), None
    if step == Step.ADMINISTRATION:
        # Typed once: what the arrival recorded (parents, place of birth…) is offered, not asked again.
        initial = {name: getattr(intake.inmate, name) for name in services.DEMOGRAPHIC_FIELDS
                   if getattr(intake.inmate, name, None) not in (None, "")}
        return AdministrationForm(data, files, initial=initial), RelativeFormSet(data, prefix="relatives")
    if step == Step.REGISTRY:
        # What the security search found is carried into the inventory (typed once, issue 11).
        found = (getattr(getattr(intake, "security", None), "items_found", "") or "").strip()
        initial = [{"category": "other", "description": found[:200]}] if found and data is None else None
        return RegistryForm(data), PropertyItemFormSet(data, prefix="items", initial=initial)
    if step == Step.MEDICAL:
        return MedicalForm(data), None
    # The languages recorded at administration are offered to the social interview.
    return InterviewForm(data, terrorism_related=intake.custody.terrorism_related,
                         initial={"languages": intake.inmate.languages} if intake.inmate.languages else None), None


def _service_data(step, form, formset):
    data = form.service_data() if hasattr(form, "service_data") else dict(form.cleaned_data)
    if formset is not None:
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and any(
            v not in (None, "", False) for k, v in f.cleaned_data.items() if k != "currency")]
        data["relatives" if step == Step.ADMINISTRATION else "items"] = rows
    return data


def _step_conflict(request, intake, step, error):
    """The step was completed (or the intake moved on) while this form was being filled in: the
    form comes back as it was posted, with the reason on top (409); nothing was recorded, and the
    draft kept in the browser stays until a step is accepted."""
    form, formset = _step_forms(step, intake, request.POST, request.FILES)
    form.is_valid()
    if formset is not None:
        formset.is_valid()
    form.add_error(None, _("%(reason)s Rien n'a été enregistré : ce que vous avez saisi est conservé ci-dessous.")
                   % {"reason": error})
    return render(request, f"intake/step_{STEP_SLUGS[step]}.html", {
        "intake": intake, "step": step, "form": form, "formset": formset, "custody": intake.custody,
        "conflict": True,
    }, status=409)


@require_http_methods(["GET", "POST"])
def step_form(request, pk, slug):
    """One step's form. Out of order or already done: an explanation page (409)."""
    step = SLUG_STEPS.get(slug)
    if step is None:
        raise Http404
    intake = _load(request, pk, audit=request.method == "GET")
    try:
        services.check_can_complete(intake, step, actor=request.user)
    except StepOrderError as error:
        if request.method == "POST":  # done meanwhile by someone else: keep what was typed
            return _step_conflict(request, intake, step, error)
        return render(request, "intake/step_refused.html",
                      {"intake": intake, "step": step, "message": str(error)}, status=409)
    files = request.FILES
    if request.method == "POST" and step == Step.ADMINISTRATION:
        # Files the step accepts are kept until it completes: never chosen twice.
        kept_uploads.keep_uploads(intake, request.FILES, actor=request.user)
        files = kept_uploads.with_kept(intake, request.FILES)
    if request.method == "POST":
        form, formset = _step_forms(step, intake, request.POST, files)
        if form.is_valid() & (formset is None or formset.is_valid()):
            try:
                intake = services.complete_step(intake, step, data=_service_data(step, form, formset),
                                                actor=request.user)
            except StepOrderError as error:
                return _step_conflict(request, intake, step, error)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if intake.is_completed:
                    messages.success(request, _("Écrou terminé : %(who)s est inscrit(e) à l'effectif.")
                                     % {"who": intake.inmate.full_name})
                    return redirect("intake:intake_detail", pk=intake.pk)
                messages.success(request, _("Étape « %(step)s » enregistrée.") % {"step": step.label})
                following = intake.next_step
                if request.user.has_perm(STEP_PERMISSIONS[following]):
                    return redirect("intake:step_form", pk=intake.pk, slug=STEP_SLUGS[following])
                return redirect("intake:intake_detail", pk=intake.pk)
    else:
        form, formset = _step_forms(step, intake)
    kept = kept_uploads.kept_for(intake) if step == Step.ADMINISTRATION else {}
    return render(request, f"intake/step_{slug}.html", {
        "intake": intake, "step": step, "form": form, "formset": formset,
        "custody": intake.custody,
        "kept": [(form[field].label, k.original_name) for field, k in kept.items() if field in form.fields],
    })


@require_GET
def intake_sheet(request, pk):
    """The printable intake sheet: the whole record (medical details for medical staff only)."""
    intake = _load(request, pk)
    return render(request, "intake/intake_sheet.html", {
        "intake": intake, "steps": _step_states(intake), "custody": intake.custody,
        "relatives": intake.inmate.relatives.all(),
        "priors": intake.custody.prior_custodies.all(),
        "charges": intake.case.charges.all(), **_extras(request, intake),
    })


@require_GET
def registry_receipt(request, pk):
    """The property receipt (Rule 67) as an A4 PDF."""
    from weasyprint import HTML

    intake = _load(request, pk)
    if intake.last_step < Step.REGISTRY:
        raise Http404(_("L'inventaire n'est pas encore fait."))
    html = render_to_string("intake/registry_receipt.html", {
        "intake": intake, "registry": intake.registry,
        "items": PropertyItem.objects.filter(registry__intake=intake),
        "printed_at": timezone.now(), "printed_by": request.user,
    }, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=print_stylesheets("registry-receipt"))
    response = HttpResponse(pdf, content_type="application/pdf")
    number = intake.inmate.prisoner_number or intake.pk
    response["Content-Disposition"] = f'inline; filename="recu-effets-{number}.pdf"'
    return response


@require_GET
def social_report(request, pk):
    """The social investigation report, printable (social service and direction)."""
    intake = _load(request, pk, audit=False)
    interview = services.read_interview(intake, actor=request.user)
    if interview is None:
        raise Http404(_("L'entretien social n'est pas encore fait."))
    profile = getattr(intake.inmate, "social_profile", None)
    return render(request, "intake/social_report.html", {
        "intake": intake, "interview": interview, "profile": profile, "custody": intake.custody,
        "relatives": intake.inmate.relatives.all(),
    })


FILE_SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


@require_GET
def intake_file(request, pk, kind, item=0):
    """A stored upload, after the access check, with an audit entry. Never a public URL."""
    intake = _load(request, pk, audit=False)
    field = services.open_intake_file(intake, kind, actor=request.user, item_id=item)
    handle = field.open("rb")
    head = handle.read(8)
    handle.seek(0)
    # The type comes from the content (validated at upload), never from the uploaded name.
    content_type = next((t for magic, t in FILE_SIGNATURES if head.startswith(magic)),
                        "application/octet-stream")
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline" if content_type != "application/octet-stream" else "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


def unit_roll_url(unit):
    """The unit's roll page (the foundation's), when it is installed."""
    try:
        return reverse("inmates:unit_occupants", args=[unit.pk])
    except NoReverseMatch:
        return None
