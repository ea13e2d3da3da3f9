"""Pages of the requests to see one's own file (Rule 9): record one from the person's custody-life
page, the register of a prison (pending ones past the delay flagged), one request and its answer,
and the printable extract (page and PDF). Every read goes through oversight.own_file (audited)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pages import call_service, record_form_page
from inmates.views import custody_or_404, life_url
from prisons.models import Facility
from prisons.printing import print_stylesheets

from . import own_file
from .own_file_forms import OwnFileAnswerForm, OwnFileRequestForm


@require_http_methods(["GET", "POST"])
@permission_required(own_file.ADD, raise_exception=True)
def request_add(request, pk):
    custody = custody_or_404(request, pk)
    form = OwnFileRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = call_service(form, lambda: own_file.record_own_file_request(custody, actor=request.user,
                                                                           **form.cleaned_data))
        if made:
            messages.success(request, _("La demande d'accès au dossier est enregistrée."))
            return redirect("own_file:request_detail", made.pk)
    return record_form_page(request, title=_("Demande d'accès au dossier"), form=form, custody=custody,
                            cancel_url=life_url(custody),
                            intro=_("La personne détenue peut consulter son propre dossier (Règle 9 ; loi "
                                    "n° 2013-015). La demande est inscrite au registre ; la réponse est un "
                                    "extrait imprimé de son dossier."))


def _detail(request, item, form=None):
    return render(request, "oversight/own_file_request.html", {
        "item": item, "form": form or OwnFileAnswerForm(),
        "late": own_file.OwnFileRequest.objects.filter(pk=item.pk).late().exists(),
        "days": own_file.answer_days(),
    })


@require_GET
@permission_required(own_file.VIEW, raise_exception=True)
def request_detail(request, pk):
    return _detail(request, own_file.open_own_file_request(pk, actor=request.user))


@require_POST
@permission_required(own_file.ANSWER, raise_exception=True)
def request_answer(request, pk):
    item = own_file.open_own_file_request(pk, actor=request.user)
    form = OwnFileAnswerForm(request.POST)
    if form.is_valid() and call_service(form, lambda: own_file.answer_own_file_request(
            item, actor=request.user, extract_handed_over=form.cleaned_data["extract_handed_over"],
            note=form.cleaned_data["note"])):
        messages.success(request, _("La réponse est enregistrée."))
        return redirect("own_file:request_detail", item.pk)
    return _detail(request, item, form)


@require_GET
@permission_required(own_file.VIEW, raise_exception=True)
def request_list(request, pk):
    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)
    pending = request.GET.get("en_attente") == "1"
    rows = own_file.own_file_register(facility, actor=request.user, query=request.GET, pending_only=pending)
    return render(request, "oversight/own_file_list.html", {
        "facility": facility, "rows": rows, "pending": pending, "days": own_file.answer_days(),
        "late": sum(1 for r in rows if r.is_late)})


@require_GET
@permission_required(own_file.ANSWER, raise_exception=True)
def extract_page(request, pk):
    export = own_file.own_file_extract(pk, actor=request.user)
    return render(request, "oversight/own_file_extract.html", {"export": export})


@require_GET
@permission_required(own_file.ANSWER, raise_exception=True)
def extract_pdf(request, pk):
    from weasyprint import HTML

    export = own_file.own_file_extract(pk, actor=request.user)
    html = render_to_string("oversight/own_file_extract_pdf.html",
                            {"export": export, "printed_at": timezone.localtime()}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=print_stylesheets("subject-access"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="extrait-dossier-{pk}.pdf"'
    return response
