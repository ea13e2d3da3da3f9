"""Pages of the paper-register back-fill: the jobs of the user's prisons, the template, the upload with
its preview (nothing written until confirmed), the error workbook, and the four-eyes verification queue."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.reads import record_rows
from prisons.models import Facility

from . import scans, services, workbook
from .forms import DecisionForm, ScansForm, SendBackForm, UploadForm, VerifyForm
from .models import ImportedRecord, ImportJob, JobStatus, RecordStatus
from .reads import open_import_job, open_imported_record

PAGE_SIZE = 50
PREVIEW_ROWS = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _messages_of(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def _xlsx(content, name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def progress(user):
    """Per prison and register volume: records imported, verified, to verify, sent back."""
    return (ImportedRecord.objects.visible_to(user).values("facility__code", "facility__name", "register_volume")
            .annotate(total=Count("pk"), verified=Count("pk", filter=Q(status=RecordStatus.VERIFIED)),
                      pending=Count("pk", filter=Q(status=RecordStatus.TO_VERIFY)),
                      sent_back=Count("pk", filter=Q(status=RecordStatus.SENT_BACK)))
            .order_by("facility__code", "register_volume"))


@require_GET
@permission_required("registers.view_importjob", raise_exception=True)
def job_list(request):
    """The imports of the user's prisons, newest first, and the verification progress per prison."""
    jobs = ImportJob.objects.visible_to(request.user).select_related("facility", "uploaded_by")
    return render(request, "registers/job_list.html", {
        "page": Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page")), "progress": progress(request.user)})


@require_GET
@permission_required("registers.view_importjob", raise_exception=True)
def template_download(request):
    """The French template: the register sheet with an example row and drop-downs, lists, explanations."""
    facility = Facility.objects.visible_to(request.user).filter(code=request.GET.get("facility") or "").first() \
        or Facility.objects.visible_to(request.user).order_by("name").first()
    lists = services.choice_lists(facility) if facility else {}
    return _xlsx(workbook.build_template(lists), "modele-registre-ecrou.xlsx")


@require_http_methods(["GET", "POST"])
@permission_required("registers.add_importjob", raise_exception=True)
def job_upload(request):
    """Upload a register file: it is kept, then checked by a worker; nothing else is written."""
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Checked by a worker on commit (in-process on the embedded default): the job's page shows
            # the progress, then the preview.
            job = services.upload_register_file(facility=form.cleaned_data["facility"], content=upload.read(),
                                                name=upload.name, actor=request.user)
        except ValidationError as error:
            form.add_error("file", _messages_of(error))
        else:
            return redirect(reverse("registers:job_detail", args=[job.pk]))
    return render(request, "registers/job_upload.html", {"form": form})


@require_GET
@permission_required("registers.view_importjob", raise_exception=True)
def job_detail(request, pk):
    """The preview: counts, the invalid rows with their errors, the held duplicates to decide."""
    job = open_import_job(pk, actor=request.user)
    shown = [r for r in job.row_results if r["status"] in ("invalid", "held")][:PREVIEW_ROWS]
    return render(request, "registers/job_detail.html", {
        "job": job, "rows": shown, "more": max(0, job.invalid_rows + job.held_rows - len(shown)),
        "can_decide": job.status == JobStatus.CHECKED and request.user.has_perm("registers.change_importjob"),
        "decision_choices": DecisionForm.base_fields["decision"].choices,
        "records": job.records.count(), "scans": job.scans.count(), "scans_form": ScansForm(),
        "refresh": job.status in (JobStatus.CHECKING, JobStatus.IMPORTING)})


@require_GET
@permission_required("registers.view_importjob", raise_exception=True)
def job_errors(request, pk):
    """The error workbook: the invalid rows as uploaded, with an "Erreurs" column."""
    job = open_import_job(pk, actor=request.user)
    return _xlsx(services.error_workbook(job), f"erreurs-import-{job.pk}.xlsx")


def _job_action(request, pk, action, done):
    job = open_import_job(pk, actor=request.user)
    try:
        action(job)
    except (ValidationError, PermissionDenied) as error:
        for text in _messages_of(error):
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect(reverse("registers:job_detail", args=[job.pk]))


@require_POST
@permission_required("registers.change_importjob", raise_exception=True)
def job_confirm(request, pk):
    return _job_action(request, pk, lambda job: services.confirm_import(job, actor=request.user),
                       _("Import confirmé : les lignes valides sont écrites, à vérifier par un second greffier."))


@require_POST
@permission_required("registers.change_importjob", raise_exception=True)
def job_cancel(request, pk):
    return _job_action(request, pk, lambda job: services.cancel_import(job, actor=request.user),
                       _("Import annulé : rien n'a été écrit."))


@require_POST
@permission_required("registers.change_importjob", raise_exception=True)
def job_decide(request, pk):
    form = DecisionForm(request.POST)

    def decide(job):
        if not form.is_valid():
            raise ValidationError(_("Décision invalide."))
        services.decide_duplicate(job, row=form.cleaned_data["row"], decision=form.cleaned_data["decision"],
                                  actor=request.user)

    # The job is opened first: another prison's job is a 404 whatever the form holds.
    return _job_action(request, pk, decide, _("Décision enregistrée."))


@require_POST
@permission_required("registers.change_importjob", raise_exception=True)
def job_scans(request, pk):
    """Upload scanned pages of the job's register (named by volume and page, or one mapped by hand)."""
    form = ScansForm(request.POST, request.FILES)

    def upload(job):
        if not form.is_valid():
            raise ValidationError([text for texts in form.errors.values() for text in texts])
        scans.upload_register_scans(
            job, files=[(f.name, f.read()) for f in form.cleaned_data["files"]], actor=request.user,
            volume=form.cleaned_data["volume"], page=form.cleaned_data["page"])

    return _job_action(request, pk, upload, _("Pages scannées déposées."))


@require_GET
@permission_required("registers.view_importedrecord", raise_exception=True)
def record_scan(request, pk):
    """The scanned register page of a record (staff of its prison only; the reading is audited)."""
    scan = scans.open_record_scan(open_imported_record(pk, actor=request.user), actor=request.user)
    response = FileResponse(scan.file.open("rb"), content_type=scan.content_type)
    response["Content-Disposition"] = f'inline; filename="registre-{scan.register_volume}-p{scan.register_page}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@permission_required("registers.view_importedrecord", raise_exception=True)
def record_list(request):
    """The verification queue: records of the user's prisons, to verify first."""
    rows = ImportedRecord.objects.visible_to(request.user).select_related("facility", "inmate", "imported_by")
    status = request.GET.get("status") or RecordStatus.TO_VERIFY
    if status in RecordStatus.values:
        rows = rows.filter(status=status)
    record_rows(request.user, kind=_("enregistrements repris des registres"), query=request.GET, queryset=rows,
                person_field="inmate_id")
    return render(request, "registers/record_list.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "status": status,
        "statuses": RecordStatus.choices, "progress": progress(request.user)})


@require_http_methods(["GET", "POST"])
@permission_required("registers.view_importedrecord", raise_exception=True)
def record_detail(request, pk):
    """A record beside its register page: a second clerk verifies it or sends it back."""
    record = open_imported_record(pk, actor=request.user)
    verify, send_back = VerifyForm(prefix="verify"), SendBackForm(prefix="back")
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("registers.verify_importedrecord"):
            raise PermissionDenied(_("Vous n'avez pas le droit de vérifier les enregistrements."))
        sending_back = "back-reason" in request.POST
        form = SendBackForm(request.POST, prefix="back") if sending_back else VerifyForm(request.POST, prefix="verify")
        if form.is_valid():
            try:
                if sending_back:
                    services.send_back_record(record, actor=request.user, reason=form.cleaned_data["reason"])
                else:
                    services.verify_record(record, actor=request.user, note=form.cleaned_data["note"])
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Renvoyé pour correction.") if sending_back else _("Vérifié."))
                return redirect(reverse("registers:record_list"))
        if sending_back:
            send_back = form
        else:
            verify = form
    scan = scans.scan_of(record)
    return render(request, "registers/record_detail.html", {
        "record": record, "verify": verify, "send_back": send_back,
        "scan": scan if scan and scans.RegisterScan.objects.served_to(request.user).filter(pk=scan.pk).exists()
        else None,
        "orders": record.case.detention_orders.all() if record.case_id else [],
        "charges": record.case.charges.all() if record.case_id else [],
        "placements": record.custody.placements.filter(ended_at__isnull=True).select_related("unit")}, status=status)
