"""Case forms on the prisoner file. Each validates, calls one service, and returns to the file.

Cases, charges and custodies are looked up through `.visible_to(user)`: another prison's
record is a 404. The pages themselves are shown inside the prisoner file (inmates).
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework import reads, services
from casework.forms import (
    CaseEditForm,
    CaseForm,
    ChargeForm,
    ChargeStatusForm,
    DetentionOrderForm,
    HearingForm,
    JudgmentForm,
)
from casework.models import Case, Charge, DetentionOrder, Hearing, Judgment, OrderKind
from core.pages import add_service_errors, form_page
from inmates.models import Custody


def _case(request, pk):
    cases = Case.objects.visible_to(request.user).select_related("custody__inmate", "custody__facility", "court")
    return get_object_or_404(cases, pk=pk)


def _back(case):
    return redirect(reverse("inmates:inmate_detail", args=[case.custody.inmate_id]) + f"#affaire-{case.pk}")


def _page(request, case, title, forms, **kwargs):
    intro = kwargs.pop("intro", "") or _("Affaire %(case)s") % {"case": case}
    return form_page(request, title=title, forms=forms, inmate=case.custody.inmate, custody=case.custody,
                     intro=intro, **kwargs)


@require_http_methods(["GET", "POST"])
@permission_required("casework.add_case", raise_exception=True)
def case_open(request, custody_pk):
    """Open a case with its first charge."""
    custody = get_object_or_404(
        Custody.objects.visible_to(request.user).select_related("inmate", "facility"), pk=custody_pk
    )
    data = request.POST or None
    case_form = CaseForm(data, instance=Case(custody=custody))
    charge_form = ChargeForm(data, prefix="charge", instance=Charge())
    if request.method == "POST" and case_form.is_valid() & charge_form.is_valid():
        fields = dict(case_form.cleaned_data)
        try:
            case = services.open_case(custody, actor=request.user, court=fields.pop("court"),
                                      case_number=fields.pop("case_number"),
                                      charges=[charge_form.cleaned_data], **fields)
        except ValidationError as error:
            add_service_errors(case_form, error)
        else:
            messages.success(request, _("L'affaire a été ouverte."))
            return _back(case)
    charge_form.legend = _("Premier chef d'inculpation")
    return form_page(request, title=_("Ouvrir une affaire"), forms=[case_form, charge_form],
                     inmate=custody.inmate, custody=custody)


@require_http_methods(["GET", "POST"])
@permission_required("casework.change_case", raise_exception=True)
def case_edit(request, pk):
    case = _case(request, pk)
    if request.method == "GET":
        reads.open_case(case.pk, actor=request.user)  # the case shown in full: an audited read
    draft = Case.objects.get(pk=case.pk)
    form = CaseEditForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(case, actor=request.user, reason=form.cleaned_data["reason"], **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("L'affaire a été modifiée."))
            return _back(case)
    return _page(request, case, _("Modifier l'affaire"), [form])


@require_http_methods(["GET", "POST"])
@permission_required("casework.add_charge", raise_exception=True)
def charge_add(request, pk):
    case = _case(request, pk)
    form = ChargeForm(request.POST or None, instance=Charge(case=case))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_charge(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le chef d'inculpation a été ajouté."))
            return _back(case)
    return _page(request, case, _("Ajouter un chef d'inculpation"), [form],
                 intro=_("Une requalification : ajoutez le nouveau chef, puis marquez l'ancien « requalifié »."))


@require_http_methods(["GET", "POST"])
@permission_required("casework.change_charge", raise_exception=True)
def charge_status(request, pk):
    """Mark a charge dropped or reclassified (never deleted), with the reason."""
    charge = get_object_or_404(
        Charge.objects.filter(case__in=Case.objects.visible_to(request.user))
        .select_related("case__custody__inmate", "case__court"), pk=pk,
    )
    if request.method == "GET":
        reads.open_charge(charge.pk, actor=request.user)  # the charge shown: an audited read
    form = ChargeStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_charge_status(charge, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("L'état du chef d'inculpation a été modifié."))
            return _back(charge.case)
    return _page(request, charge.case, _("Abandon ou requalification d'un chef"), [form],
                 intro=_("Chef : %(charge)s") % {"charge": charge})


@require_http_methods(["GET", "POST"])
@permission_required("casework.add_detentionorder", raise_exception=True)
def order_add(request, pk):
    """Record a detention order, or a renewal (?renews=<order id> preselects it)."""
    case = _case(request, pk)
    initial = {}
    renews = request.GET.get("renews", "")
    if renews.isdigit() and case.detention_orders.filter(pk=renews).exists():
        initial = {"kind": OrderKind.RENEWAL, "renews": int(renews)}
    elif request.GET.get("kind") == OrderKind.CUSTODY_EXTENSION:
        # The written authorisation extending police custody (art. 76), dated before the arrival.
        initial = {"kind": OrderKind.CUSTODY_EXTENSION}
    form = DetentionOrderForm(request.POST or None, instance=DetentionOrder(case=case), case=case,
                              initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_detention_order(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le titre de détention a été enregistré."))
            return _back(case)
    return _page(request, case, _("Enregistrer un titre de détention ou une prolongation"), [form])


@require_http_methods(["GET", "POST"])
@permission_required("casework.add_hearing", raise_exception=True)
def hearing_add(request, pk):
    case = _case(request, pk)
    form = HearingForm(request.POST or None, instance=Hearing(case=case))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_hearing(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("L'audience a été enregistrée."))
            return _back(case)
    return _page(request, case, _("Enregistrer une audience"), [form])


@require_http_methods(["GET", "POST"])
@permission_required("casework.add_judgment", raise_exception=True)
def judgment_add(request, pk):
    case = _case(request, pk)
    form = JudgmentForm(request.POST or None, instance=Judgment(case=case))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_judgment(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le jugement a été enregistré. Le statut juridique est mis à jour."))
            return _back(case)
    return _page(request, case, _("Enregistrer un jugement"), [form])
