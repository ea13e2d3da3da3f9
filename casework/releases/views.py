"""Pages for release on time: record a release order, execute it, the register of late releases.

Cases and orders are looked up through `.visible_to(user)`: another prison's record is a 404.
"""


from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.exports import csv_response
from casework.models import Case, ReleaseOrder
from casework.releases import services as releases
from casework.releases.forms import ExecuteReleaseForm, RegisterScopeForm, ReleaseOrderForm
from core.pages import add_service_errors, form_page


def _back(custody):
    return redirect(reverse("inmates:inmate_detail", args=[custody.inmate_id]) + f"#sejour-{custody.pk}")


@require_http_methods(["GET", "POST"])
@permission_required("casework.add_releaseorder", raise_exception=True)
def release_order_add(request, pk):
    """Record a release order as it reaches the prison (the clock of Rule 7(e) starts)."""
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related("custody__inmate", "court"), pk=pk)
    form = ReleaseOrderForm(request.POST or None, instance=ReleaseOrder(case=case, recorded_by=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            releases.record_release_order(case, actor=request.user, **{
                name: form.cleaned_data[name] for name in ReleaseOrderForm.Meta.fields})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La décision de libération est enregistrée : la sortie est à exécuter "
                                        "sans délai."))
            return _back(case.custody)
    return form_page(request, title=_("Enregistrer une décision de libération"), forms=[form],
                     inmate=case.custody.inmate, custody=case.custody,
                     intro=_("Affaire %(case)s") % {"case": case})


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_release", raise_exception=True)
def release_order_execute(request, pk):
    """Release the person on this order; the delay since receipt is recorded."""
    order = releases.open_release_order(pk, actor=request.user)
    custody = order.case.custody
    form = ExecuteReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = releases.execute_release_order(order, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La sortie est enregistrée (délai : %(h)s h).") % {"h": done.delay_hours})
            return redirect("life:release_receipt", done.release_id)
    intro = _("%(kind)s — %(ref)s, %(authority)s ; reçue le %(at)s.") % {
        "kind": order.get_kind_display(), "ref": order.reference, "authority": order.authority,
        "at": timezone.localtime(order.received_at).strftime("%d/%m/%Y %H:%M")}
    return form_page(request, title=_("Exécuter la décision de libération"), forms=[form],
                     inmate=custody.inmate, custody=custody, intro=intro, submit=_("Libérer"))


def _register(request):
    form = RegisterScopeForm(request.GET or None, user=request.user)
    facility = form.cleaned_data.get("facility") if form.is_valid() else None
    now = timezone.now()
    rows = releases.register_rows(releases.late_releases_for(request.user, facility=facility, now=now), now)
    return form, facility, rows


@require_GET
@permission_required("casework.view_releaseorder", raise_exception=True)
def late_release_register(request):
    """Late releases of the user's prisons (every prison for DNAPES), with the delay in hours."""
    form, facility, rows = _register(request)
    releases.record_register_read(request.user, facility=facility, count=len(rows))
    return render(request, "casework/releases/late_register.html", {
        "form": form, "facility": facility, "rows": rows, "late_after": releases.late_after_hours(),
        "pending": [r for r in rows if r["pending"]],
    })


@require_GET
@permission_required("casework.view_releaseorder", raise_exception=True)
def late_release_csv(request):
    form, facility, rows = _register(request)
    releases.record_register_read(request.user, facility=facility, count=len(rows), export=True)
    return csv_response("sorties-en-retard.csv", [_("Établissement"), _("Numéro d'écrou"), _("Nom"), _("Statut juridique"), _("Affaire"),
                     _("Décision"), _("Référence"), _("Autorité"), _("Reçue le"), _("Sortie le"),
                     _("Délai (heures)"), _("En attente")], (_late_csv_row(row) for row in rows))


def _late_csv_row(row):
    order, custody = row["order"], row["custody"]
    return [
            custody.facility.name, custody.inmate.prisoner_number or "", str(custody.inmate),
            custody.get_legal_status_display(), order.case.case_number, order.get_kind_display(), order.reference,
            order.authority, timezone.localtime(order.received_at).strftime("%d/%m/%Y %H:%M"),
            timezone.localtime(order.executed_at).strftime("%d/%m/%Y %H:%M") if order.executed_at else "",
            row["hours"], _("oui") if row["pending"] else _("non"),
    ]
