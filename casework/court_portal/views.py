"""Pages of the court portal: the magistrate's cases and notices; the orders they send, which the
prison's clerk confirms or rejects (casework.court_portal.services)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.reads import record_list, record_read
from casework.court_portal import services as portal
from casework.court_portal.forms import AcknowledgeForm, RejectForm, SubmissionForm
from casework.deadlines import alerts as alert_services
from casework.models import SubmissionStatus
from core.pages import call_service


@require_GET
@permission_required("casework.use_court_portal", raise_exception=True)
def home(request):
    """The magistrate's cases (detainee, prison, deadline) and the art. 129 notices sent to them."""
    portal.require_magistrate(request.user)  # a role, not a superuser flag: the profile says which cases
    cases = portal.cases_for(request.user)
    record_list(request.user, kind=_("affaires du cabinet (portail des juridictions)"), query=request.GET,
                count=cases.count())
    return render(request, "casework/court/home.html", {
        "profile": request.user.magistrate_profile, "cases": cases,
        "notices": portal.notice_alerts_for(request.user), "queues": []})


def _case_page(request, case, *, form=None, ack_form=None, status=200):
    alerts = portal.case_alerts(case)
    return render(request, "casework/court/case_detail.html", {
        "case": case, "custody": case.custody, "inmate": case.custody.inmate,
        "deadline": getattr(case, "deadline", None), "orders": list(case.detention_orders.all()),
        "alerts": [{"alert": a, "notice": alert_services.needs_art129_notice(a),
                    "ack": getattr(a, "notice_acknowledgement", None)} for a in alerts],
        "submissions": list(case.court_submissions.select_related("decided_by").all()),
        "form": form or SubmissionForm(orders=portal.renewable_orders(case)),
        "ack_form": ack_form or AcknowledgeForm(),
    }, status=status)


@require_GET
@permission_required("casework.use_court_portal", raise_exception=True)
def case_detail(request, pk):
    return _case_page(request, portal.open_court_case(pk, actor=request.user))


@require_POST
@permission_required("casework.use_court_portal", raise_exception=True)
def acknowledge(request, pk):
    alert = portal.alert_of_magistrate(pk, actor=request.user)
    form = AcknowledgeForm(request.POST)
    if form.is_valid() and call_service(form, lambda: portal.acknowledge_notice(
            alert, actor=request.user, note=form.cleaned_data["note"])):
        messages.success(request, _("Réception de l'avis accusée."))
        return redirect("court:case_detail", alert.case_id)
    return _case_page(request, portal.open_court_case(alert.case_id, actor=request.user), ack_form=form, status=400)


@require_POST
@permission_required("casework.add_courtsubmission", raise_exception=True)
def submit(request, pk):
    case = portal.open_court_case(pk, actor=request.user)
    form = SubmissionForm(request.POST, request.FILES, orders=portal.renewable_orders(case))
    if form.is_valid():
        data = form.cleaned_data
        created = call_service(form, lambda: portal.submit_court_order(case, actor=request.user, **data))
        if created is not None:
            messages.success(request, _("Ordonnance transmise : le greffe de l'établissement la confirmera sur "
                                        "l'original."))
            return redirect("court:case_detail", case.pk)
    return _case_page(request, case, form=form, status=400)


@require_GET
@permission_required("casework.view_courtsubmission", raise_exception=True)
def submission_list(request):
    """The prison: the orders sent by the courts, pending first; a magistrate: their own."""
    qs = portal.submissions_for(request.user)
    pending = request.GET.get("state", "pending") == "pending"
    if pending:
        qs = qs.filter(status=SubmissionStatus.PENDING)
    record_list(request.user, kind=_("ordonnances transmises par les juridictions"), query=request.GET,
                count=qs.count())
    return render(request, "casework/court/submission_list.html", {"submissions": qs[:200], "pending": pending})


def _submission_page(request, submission, *, reject_form=None, status=200):
    can_decide = (submission.status == SubmissionStatus.PENDING and not request.user.is_outside_service
                  and request.user.has_perm("casework.confirm_courtsubmission")
                  and submission.submitted_by_id != request.user.pk)
    return render(request, "casework/court/submission_detail.html", {
        "submission": submission, "can_decide": can_decide, "reject_form": reject_form or RejectForm()},
        status=status)


@require_GET
@permission_required("casework.view_courtsubmission", raise_exception=True)
def submission_detail(request, pk):
    return _submission_page(request, portal.open_court_submission(pk, actor=request.user))


@require_GET
@permission_required("casework.view_courtsubmission", raise_exception=True)
def submission_document(request, pk):
    """The order's PDF, after the access check, with an audit entry. Never a public URL."""
    submission = portal.open_court_submission(pk, actor=request.user)
    record_read(request.user, target=submission, inmate_id=submission.case.custody.inmate_id,
                facility_id=submission.case.custody.facility_id, reason=_("ordonnance (PDF)"))
    response = FileResponse(submission.document.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@permission_required("casework.confirm_courtsubmission", raise_exception=True)
def submission_confirm(request, pk):
    submission = portal.open_court_submission(pk, actor=request.user)
    form = RejectForm()
    if call_service(form, lambda: portal.confirm_court_submission(submission, actor=request.user)):
        messages.success(request, _("Ordonnance confirmée et enregistrée au dossier."))
        return redirect("court:submission_detail", submission.pk)
    for error in form.non_field_errors():
        messages.error(request, error)
    return _submission_page(request, submission, status=400)


@require_POST
@permission_required("casework.confirm_courtsubmission", raise_exception=True)
def submission_reject(request, pk):
    submission = portal.open_court_submission(pk, actor=request.user)
    form = RejectForm(request.POST)
    if form.is_valid() and call_service(form, lambda: portal.reject_court_submission(
            submission, actor=request.user, reason=form.cleaned_data["reason"])):
        messages.success(request, _("Ordonnance rejetée."))
        return redirect("court:submission_detail", submission.pk)
    return _submission_page(request, submission, reject_form=form, status=400)
