"""Pages of the register of presentations without a valid title: the register per prison, the
form that records a presentation, its record with the decisions, and the letter to the prosecutor."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import AuditAction
from accounts.reads import record_rows
from core.pages import add_service_errors
from prisons.models import Facility
from prisons.printing import print_stylesheets

from .. import presentations as services
from ..models import Presentation, PresentationOutcome
from .forms import HoldForm, PresentationForm, RefuseForm, ReleaseForm, TitleForm

PAGE_SIZE = 50


def _detail(pk):
    return redirect(reverse("intake:presentation_detail", args=[pk]))


@require_GET
@permission_required("intake.view_presentation", raise_exception=True)
def presentation_list(request):
    """The register per prison: every presentation without a valid title, open ones first."""
    facilities = Facility.objects.visible_to(request.user).order_by("name")
    rows = Presentation.objects.visible_to(request.user).select_related("facility", "custody", "inmate")
    code, outcome = request.GET.get("facility") or "", request.GET.get("outcome") or ""
    if code:
        rows = rows.filter(facility__code=code)
    if outcome in PresentationOutcome.values:
        rows = rows.filter(outcome=outcome)
    rows = rows.order_by("-presented_at", "-id")
    record_rows(request.user, kind=_("présentations sans titre"), query=request.GET, queryset=rows,
                person_field="inmate_id")
    held = Presentation.objects.visible_to(request.user).filter(outcome=PresentationOutcome.HELD)
    if code:
        held = held.filter(facility__code=code)
    return render(request, "intake/presentations/list.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "facilities": facilities,
        "facility_code": code, "outcome": outcome, "outcomes": PresentationOutcome.choices,
        "held_count": held.count(),
    })


@require_http_methods(["GET", "POST"])
@permission_required("intake.add_presentation", raise_exception=True)
def presentation_new(request):
    form = PresentationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            presentation = services.record_presentation(facility=data.pop("facility"), actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La présentation est enregistrée. Décidez maintenant de la suite : "
                                        "remise à l'escorte, ou rétention décidée par la direction."))
            return _detail(presentation.pk)
    return render(request, "intake/presentations/form.html", {"form": form})


def _forms(request, presentation, posted=None):
    data = request.POST if posted else None
    return {
        "refuse": RefuseForm(data if posted == "refuse" else None, prefix="refuse"),
        "hold": HoldForm(data if posted == "hold" else None, prefix="hold", facility=presentation.facility),
        "title": TitleForm(data if posted == "title" else None, prefix="title"),
        "release": ReleaseForm(data if posted == "release" else None, prefix="release"),
    }


def _render_detail(request, presentation, forms, status=200):
    user = request.user
    from ..forms import ChargeFormSet

    return render(request, "intake/presentations/detail.html", {
        "p": presentation, "forms": {k: v for k, v in forms.items() if k != "charges"},
        "charges_formset": forms.get("charges") or ChargeFormSet(prefix="charges"),
        "can_refuse": presentation.outcome == PresentationOutcome.PENDING and user.has_perm("intake.add_presentation"),
        "can_hold": presentation.outcome == PresentationOutcome.PENDING
        and user.has_perm("intake.decide_presentation"),
        "can_regularise": presentation.outcome == PresentationOutcome.HELD and user.has_perm("intake.add_intake"),
        "can_release": presentation.outcome == PresentationOutcome.HELD
        and user.has_perm("intake.decide_presentation"),
        "can_letter": presentation.outcome != PresentationOutcome.PENDING,
        "alert": presentation.custody.deadline_alerts.filter(kind="no_title").order_by("-opened_at").first()
        if presentation.custody_id else None,
    }, status=status)


@require_GET
@permission_required("intake.view_presentation", raise_exception=True)
def presentation_detail(request, pk):
    presentation = services.open_presentation(pk, actor=request.user)
    return _render_detail(request, presentation, _forms(request, presentation))


def _charges(request):
    from ..forms import ChargeFormSet

    return ChargeFormSet(request.POST or None, prefix="charges")


@require_POST
@permission_required("intake.view_presentation", raise_exception=True)
def presentation_decide(request, pk, decision):
    """One decision on a presentation: refuse, hold, title (regularise) or release."""
    if decision not in ("refuse", "hold", "title", "release"):
        raise Http404(_("Décision inconnue."))
    presentation = services.open_presentation(pk, actor=request.user)
    forms = _forms(request, presentation, posted=decision)
    form = forms[decision]
    charges = _charges(request) if decision == "title" else None
    forms["charges"] = charges
    if form.is_valid() and (charges is None or charges.is_valid()):
        data = dict(form.cleaned_data)
        try:
            if decision == "refuse":
                services.refuse_presentation(presentation, actor=request.user, **data)
                done = _("La personne est remise à l'escorte ; le refus est enregistré.")
            elif decision == "hold":
                services.hold_pending_regularisation(presentation, actor=request.user, **data)
                done = _("La personne est retenue en attente de régularisation : alerte ouverte, direction et "
                         "DNAPES avisées. Imprimez la lettre au parquet.")
            elif decision == "title":
                data["charges"] = [c for c in (f.cleaned_data for f in charges.forms) if c and any(c.values())]
                presentation = services.regularise(presentation, actor=request.user, title=data)
                messages.success(request, _("Le titre est enregistré ; l'écrou suit ses cinq étapes."))
                return redirect(reverse("intake:intake_detail", args=[presentation.intake_id]))
            else:
                services.release_unregularised(presentation, actor=request.user, **data)
                done = _("La sortie est enregistrée.")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return _detail(presentation.pk)
    return _render_detail(request, presentation, forms, status=400)


@require_GET
@permission_required("intake.view_presentation", raise_exception=True)
def presentation_letter(request, pk):
    """The letter to the prosecutor (A4 PDF), pre-filled from the record; printing is audited."""
    from weasyprint import HTML

    presentation = services.open_presentation(pk, actor=request.user, action=AuditAction.EXPORT)
    try:
        presentation = services.print_letter(presentation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail(presentation.pk)
    html = render_to_string("intake/presentations/letter.html", {
        "p": presentation, "facility": presentation.facility, "today": timezone.localdate()}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=print_stylesheets("art129-notice"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="lettre-parquet-presentation-{presentation.pk}.pdf"'
    return response
