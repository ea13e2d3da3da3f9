"""Pages of the background exports: start one (POST from a report's or the backlog's buttons),
follow its progress (the page polls the API), download its file; the list of one's own."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import export_jobs
from .export_forms import ExportStartForm


@require_GET
@login_required
def export_list(request):
    if not export_jobs.may_export_any(request.user):
        raise PermissionDenied
    page = Paginator(export_jobs.exports_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "oversight/export_list.html", {"page": page})


@require_POST
@login_required
def export_start(request):
    form = ExportStartForm(request.POST, user=request.user)
    errors = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            job = export_jobs.start_export(actor=request.user, kind=data["kind"], fmt=data["fmt"],
                                           report=data["report"], facility=data["facility"], day=data["date"])
        except ValidationError as error:
            errors = [str(m) for m in error.messages]
        else:
            return redirect("oversight:export_detail", pk=job.pk)
    else:
        errors = [str(m) for messages in form.errors.values() for m in messages]
    return render(request, "oversight/export_refused.html", {"errors": errors}, status=400)


@require_GET
@login_required
def export_detail(request, pk):
    job = export_jobs.open_export(pk, actor=request.user)
    return render(request, "oversight/export_detail.html", {"job": job})


@require_GET
@login_required
def export_download(request, pk):
    try:
        job = export_jobs.download_export(pk, actor=request.user)
    except ValidationError:
        return redirect("oversight:export_detail", pk=pk)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                        content_type=job.content_type)
