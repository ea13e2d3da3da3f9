"""The inspection view of one prison: the page (printable), its PDF, and the choice of prison.
Every figure comes from inspection.read_inspection, which checks the role and the prison and audits."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from prisons.models import Facility
from prisons.printing import print_stylesheets

from .inspection import inspection_facility, may_inspect, read_inspection
from .serializers import InspectionQuerySerializer


def _period(request):
    query = InspectionQuerySerializer.from_page_form(request.GET)
    if query.is_valid():
        return query.validated_data.get("debut"), query.validated_data.get("fin"), []
    return None, None, [str(m) for messages in query.errors.values() for m in messages]


@require_GET
def inspection_index(request):
    """The prisons the reader may inspect (their only one: straight to it)."""
    if not may_inspect(request.user):
        raise PermissionDenied
    facilities = list(Facility.objects.visible_to(request.user).order_by("name"))
    if len(facilities) == 1:
        return redirect("oversight:inspection", facilities[0].pk)
    return render(request, "oversight/inspection_index.html", {"facilities": facilities})


def _read(request, pk, export_format=""):
    facility = inspection_facility(pk, actor=request.user)
    start, end, errors = _period(request)
    data = None
    try:
        data = read_inspection(facility.pk, actor=request.user, start=start, end=end, export_format=export_format)
    except ValidationError as error:
        errors += [str(m) for m in error.messages]
    return facility, data, errors


@require_GET
def inspection_page(request, pk):
    facility, data, errors = _read(request, pk)
    return render(request, "oversight/inspection.html", {
        "facility": facility, "data": data, "errors": errors, "query": request.GET.urlencode(),
        "start": request.GET.get("debut", ""), "end": request.GET.get("fin", ""),
    }, status=400 if errors else 200)


@require_GET
def inspection_pdf(request, pk):
    from weasyprint import HTML

    facility, data, errors = _read(request, pk, export_format="pdf")
    if errors:
        return render(request, "oversight/inspection.html", {"facility": facility, "data": None, "errors": errors},
                      status=400)
    html = render_to_string("oversight/inspection_pdf.html", {"data": data, "printed_at": timezone.localtime()},
                            request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=print_stylesheets("report", "inspection"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="inspection-{facility.code}-'
                                       f'{data["start"].isoformat()}-{data["end"].isoformat()}.pdf"')
    return response
