"""Report pages and their exports (CSV, XLSX, PDF). Figures come from reports.py / profiles.py
through access.read_report, which scopes and audits; pages add filters and charts."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from prisons.models import Facility

from . import charts, exports
from .access import DATED, REPORTS, Scope, may_read, read_report, readable, resolve_scope
from .serializers import ReportQuerySerializer


def _require(request, key):
    """Unknown report: 404; a report this role may not read: 403 (before any query)."""
    if key not in REPORTS:
        raise Http404
    if not may_read(request.user, key):
        raise PermissionDenied


def _query(request):
    """Validated filters, or the defaults with the errors to show on the page."""
    query = ReportQuerySerializer.from_page_form(request.GET)
    if query.is_valid():
        return query.validated_data, []
    errors = [str(m) for messages in query.errors.values() for m in messages]
    facility = request.GET.get("etablissement", "")
    params = {"etablissement": int(facility)} if facility.isdigit() and "etablissement" not in query.errors else {}
    return params, errors


@require_GET
@login_required
def index(request):
    reports = readable(request.user)
    if not reports:
        raise PermissionDenied
    return render(request, "oversight/index.html", {"reports": reports})


@require_GET
@login_required
def report_page(request, key):
    _require(request, key)
    params, errors = _query(request)
    scope = resolve_scope(request.user, params)
    data = None
    try:
        data = read_report(key, scope)
    except ValidationError as error:
        errors += [str(m) for m in error.messages]
    context = {
        "key": key, "title": REPORTS[key], "data": data, "scope": scope, "errors": errors,
        "dated": key in DATED, "facilities": Facility.objects.visible_to(request.user).order_by("name"),
        "query": request.GET.urlencode(), "formats": exports.FORMATS, "slow_formats": ("xlsx", "pdf"),
    }
    if data is not None:
        context["charts"] = charts.page_charts(key, data)
    return render(request, f"oversight/{key}.html", context)


@require_GET
@login_required
def report_export(request, key, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    _require(request, key)
    query = ReportQuerySerializer.from_page_form(request.GET)
    if not query.is_valid():
        errors = [str(m) for messages in query.errors.values() for m in messages]
        return render(request, "oversight/export_error.html", {"errors": errors, "key": key,
                                                               "title": REPORTS[key]}, status=400)
    scope: Scope = resolve_scope(request.user, query.validated_data)
    try:
        data = read_report(key, scope, export_format=fmt)
    except ValidationError as error:
        return render(request, "oversight/export_error.html",
                      {"errors": [str(m) for m in error.messages], "key": key, "title": REPORTS[key]}, status=400)
    return exports.respond(key, str(REPORTS[key]), data, scope, fmt, request=request)

