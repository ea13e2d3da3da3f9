"""The subject-access export as a printable page and as a PDF (same read service, audited)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from prisons.printing import print_stylesheets

from .subject_access import export_subject_access


def _context(request, pk):
    export = export_subject_access(pk, actor=request.user)
    return {"export": export, "generated_at": timezone.localtime()}


@require_GET
def subject_access_page(request, pk):
    return render(request, "oversight/subject_access.html", _context(request, pk))


@require_GET
def subject_access_pdf(request, pk):
    from weasyprint import HTML

    html = render_to_string("oversight/subject_access_pdf.html", _context(request, pk), request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=print_stylesheets("subject-access"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="acces-personne-{pk}.pdf"'
    return response
