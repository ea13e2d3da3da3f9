"""Pages for pre-trial deadlines: alerts, the art. 129 notice, the limits table, the backlog report.

Every list is scoped with `.visible_to(user)`; a record of another prison is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.reads import record_rows
from casework.deadlines import alerts as alert_services
from casework.deadlines.backlog import backlog, trend
from casework.deadlines.backlog_export import backlog_file
from casework.deadlines.forms import AlertFilterForm, BacklogScopeForm, DetentionLimitForm
from casework.deadlines.recompute import current_recompute
from casework.models import AlertKind, DetentionLimit
from detention.models import Classification
from inmates.models import Custody
from prisons.models import Facility
from prisons.printing import print_stylesheets

PAGE_SIZE = 50


def inmate_file_url(inmate_id):
    """The detainee's file, when the inmates pages provide one."""
    try:
        return reverse("inmates:inmate_detail", args=[inmate_id])
    except NoReverseMatch:
        return None


def render_pdf(request, template, context, filename, *, stylesheet):
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=print_stylesheets(stylesheet))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- alerts -----------------------------------------------------------------------------------

@require_GET
@permission_required("casework.view_deadlinealert", raise_exception=True)
def alert_list(request):
    """Open alerts of the user's prisons (all prisons for DNAPES), filtered and sorted."""
    form = AlertFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = alert_services.open_alerts_for(
        request.user, facility=filters.get("facility"), court=filters.get("court"),
        judge=filters.get("judge") or "", kind=filters.get("kind") or "", sort=filters.get("sort") or "severity",
    )
    record_rows(request.user, kind=_("alertes de détention provisoire"), query=request.GET, queryset=qs,
                person_field="custody__inmate_id")
    # One row per person with all their alerts, people in the order of their most serious alert;
    # the pages count people.
    page = Paginator(alert_services.people_in_order(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = alert_services.alerts_by_person(qs, list(page), today)
    # A stay back-filled from the paper register and not yet verified by a second clerk: its alerts are
    # "to be verified", neither silent nor certain (issue 13; the reverse relation, no upward import).
    unverified = set(Custody.objects.filter(pk__in=list(page), register_records__status="to_verify")
                     .values_list("pk", flat=True))
    for row in rows:
        row["file_url"] = inmate_file_url(row["custody"].inmate_id)
        row["unverified"] = row["custody"].pk in unverified
    query = request.GET.copy()
    query.pop("page", None)
    counts = alert_services.facility_alert_counts(request.user)
    # Overdue classification reviews (custody life) stand beside the deadline alerts.
    reviews = list(
        Classification.objects.visible_to(request.user).review_overdue(on=today)
        .values("custody__facility_id", "custody__facility__name")
        .annotate(n=Count("id")).order_by("custody__facility__name")
    )
    return render(request, "casework/deadlines/alert_list.html", {
        "overdue_reviews": reviews,
        "form": form, "page": page, "rows": rows, "query": query.urlencode(), "today": today,
        "alert_count": qs.count(),
        "national": request.user.sees_all_facilities,
        "kind_counts": [(kind, label, counts.get(kind, 0)) for kind, label in AlertKind.choices],
    })


@require_GET
@permission_required("casework.view_deadlinealert", raise_exception=True)
def art129_notice(request, pk):
    """The art. 129 letter to the investigating judge, pre-filled from the file (PDF, A4)."""
    alert = alert_services.alert_for_notice(pk, user=request.user)
    alert_services.record_notice(alert, actor=request.user)
    case = alert.case
    return render_pdf(request, "casework/deadlines/art129_notice.html", {
        "alert": alert, "case": case, "custody": case.custody, "inmate": case.custody.inmate,
        "deadline": case.deadline, "facility": case.custody.facility, "today": timezone.localdate(),
        "days_overdue": alert_services.days_overdue(alert), "orders": list(case.detention_orders.all()),
        "charges": [c for c in case.charges.all() if c.is_current],
    }, f"avis-article-129-{case.pk}.pdf", stylesheet="art129-notice")


# --- the limits table -------------------------------------------------------------------------

@require_GET
@permission_required("casework.view_detentionlimit", raise_exception=True)
def limit_list(request):
    limits = list(DetentionLimit.objects.order_by("-valid_from", "code_version", "pk"))
    versions = {}
    for limit in limits:
        versions.setdefault((limit.code_version, limit.code_title, limit.valid_from, limit.valid_to), []).append(limit)
    return render(request, "casework/deadlines/limit_list.html", {
        "versions": [{"code_version": k[0], "code_title": k[1], "valid_from": k[2], "valid_to": k[3], "rows": v}
                     for k, v in versions.items()],
        "awaiting": sum(1 for lim in limits if lim.awaiting_confirmation),
        "can_edit": request.user.has_perm("casework.change_detentionlimit"),
        "recompute": current_recompute(),
    })


@require_http_methods(["GET", "POST"])
@permission_required("casework.change_detentionlimit", raise_exception=True)
def limit_edit(request, pk):
    limit = get_object_or_404(DetentionLimit, pk=pk)
    form = DetentionLimitForm(request.POST or None, instance=DetentionLimit.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            alert_services.update_limit(limit, actor=request.user, reason=form.cleaned_data["reason"], **changes)
        except ValidationError as error:
            for field, msgs in getattr(error, "message_dict", {None: error.messages}).items():
                for msg in msgs:
                    form.add_error(field if field in form.fields else None, msg)
        else:
            messages.success(request, _("Délai enregistré. Les échéances concernées sont recalculées en arrière-plan."))
            return redirect("deadlines:limit_list")
    return render(request, "casework/deadlines/limit_form.html", {"form": form, "limit": limit})


# --- the backlog report -----------------------------------------------------------------------

def _backlog_scope(request):
    """(facility or None, facility ids): one prison, or every prison the user may see."""
    facility = None
    if request.GET.get("facility"):
        try:
            facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=int(request.GET["facility"]))
        except ValueError:
            raise Http404 from None
    ids = [facility.pk] if facility else request.user.visible_facility_ids()
    return facility, (None if ids is None else sorted(ids))


@require_GET
@permission_required("casework.view_backlogsnapshot", raise_exception=True)
def backlog_report(request):
    facility, ids = _backlog_scope(request)
    report = backlog(facility_ids=ids)
    chart_data = {
        "buckets": {"labels": [b["label"] for b in report["buckets"]], "values": [b["count"] for b in report["buckets"]]},
        "alerts": {"labels": [a["label"] for a in report["alerts"]], "values": [a["count"] for a in report["alerts"]]},
        "trend": trend(facility_id=facility.pk if facility else None),
        "labels": {"held": _("Détenus"), "untried": _("Non jugés"), "overdue": _("Délai dépassé"),
                   "count": _("Personnes")},
    }
    if ids is not None and facility is None and len(ids) == 1:
        chart_data["trend"] = trend(facility_id=ids[0])
    query = f"?facility={facility.pk}" if facility else ""
    return render(request, "casework/deadlines/backlog.html", {
        "report": report, "facility": facility, "chart_data": chart_data, "national": ids is None,
        "form": BacklogScopeForm(request.GET or None, user=request.user), "query": query,
        "export_forms": [("xlsx", "export-xlsx"), ("pdf", "export-pdf-form")],
    })


@require_GET
@permission_required("casework.view_backlogsnapshot", raise_exception=True)
def backlog_export(request, fmt):
    """The file at once (the page offers the background export, with its progress, for the slow ones)."""
    facility, ids = _backlog_scope(request)
    content, content_type, filename = backlog_file(actor=request.user, facility=facility, facility_ids=ids, fmt=fmt,
                                                   base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
