"""Exports prepared in the background, with their progress (issue 11: an export longer than a
second shows that it is working; one of several seconds runs in the background).

`start_export` records the request and enqueues the Celery task after commit (run in the
request itself, eagerly, when no broker is configured); `run_export` is the task's body: it
reads the report as the member of staff who asked (scoped and audited by the same doors as
the direct download: `casework.deadlines.backlog_export.backlog_file`, `access.read_report`), writes
its progress on the job for the page that waits, and keeps the file in private storage
(MEDIA_ROOT, never served publicly). Only the member of staff who asked, still serving the
prison, sees the job and downloads its file (`open_export`, `download_export`, audited).
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from casework.deadlines.backlog_export import backlog_file
from core.access import require_serves

from . import exports
from .access import DATED, ONE_PRISON, REPORTS, Scope, may_read, read_report, roll_facility
from .models import ExportFormat, ExportJob, ExportKind, ExportStatus

log = logging.getLogger(__name__)

BACKLOG_PERMISSION = "casework.view_backlogsnapshot"


def may_export_any(user) -> bool:
    """A member of staff who may export the backlog or some report (the others have no exports)."""
    return user.is_authenticated and (user.has_perm(BACKLOG_PERMISSION) or any(may_read(user, k) for k in REPORTS))


def _may_export(actor, kind, report) -> bool:
    if kind == ExportKind.BACKLOG:
        return actor.has_perm(BACKLOG_PERMISSION)
    return may_read(actor, report)


@transaction.atomic
def start_export(*, actor, kind: str, fmt: str, report: str = "", facility=None, day=None) -> ExportJob:
    """Record `actor`'s request for an export and enqueue its preparation (after commit).

    `facility`: one prison (already found among those the actor may see), or None for all of
    theirs. A role that may not read the report: 403; a prison the actor does not serve: 403."""
    if kind not in ExportKind.values:
        raise ValidationError({"kind": [_("Export inconnu.")]})
    if fmt not in ExportFormat.values:
        raise ValidationError({"fmt": [_("Format inconnu : CSV, XLSX ou PDF.")]})
    if kind == ExportKind.REPORT and report not in REPORTS:
        raise ValidationError({"report": [_("Rapport inconnu.")]})
    if not (actor.is_authenticated and _may_export(actor, kind, report)):
        raise PermissionDenied(_("Vous n'avez pas accès à cet export."))
    if facility is not None:
        require_serves(actor, facility.pk)
    if kind == ExportKind.BACKLOG:
        report, day = "", None
        title = _("Bilan de la détention provisoire")
    else:
        if day is not None and day > timezone.localdate():
            raise ValidationError({"day": [_("La date ne peut pas être dans le futur.")]})
        day = day if report in DATED else None
        if report in ONE_PRISON and facility is None:
            facility = roll_facility(Scope(actor))  # the reader's only prison, or "choose one"
        title = str(REPORTS[report])
    if facility is not None:
        title = f"{title} — {facility.name}"
    job = ExportJob(requested_by=actor, facility=facility, kind=kind, report=report, fmt=fmt, day=day,
                    title=title[:200])
    job.full_clean()
    job.save()
    record_audit(AuditAction.CREATE, actor=actor, target=job, facility_id=facility.pk if facility else None,
                 reason=_("Export demandé : %(t)s (%(f)s)") % {"t": title, "f": fmt.upper()},
                 changes={"export": kind, "rapport": report, "format": fmt,
                          "date": day.isoformat() if day else ""})
    from .tasks import prepare_export

    transaction.on_commit(lambda: prepare_export.delay(job.pk))
    return job


def _tell(job, percent, step, **fields):
    """Write the progress at once (outside any transaction), for the page that polls it."""
    fields.update(progress=min(100, max(job.progress, int(percent))), step=str(step)[:120])
    ExportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def _build(job):
    actor, facility = job.requested_by, job.facility

    def tell(percent, step):
        _tell(job, percent, step)

    if not (actor.is_active and _may_export(actor, job.kind, job.report)):
        raise PermissionDenied(_("Cette personne n'a plus accès à cet export."))
    if facility is not None:
        require_serves(actor, facility.pk)
    if job.kind == ExportKind.BACKLOG:
        ids = [facility.pk] if facility else actor.visible_facility_ids()
        return backlog_file(actor=actor, facility=facility, facility_ids=None if ids is None else sorted(ids),
                            fmt=job.fmt, progress=tell)
    scope = Scope(actor, facility=facility, day=job.day)
    tell(10, _("Lecture des données"))
    data = read_report(job.report, scope, export_format=job.fmt)
    tell(50, _("Mise en page du fichier"))
    return exports.build_file(job.report, str(REPORTS[job.report]), data, scope, job.fmt)


def run_export(job_id: int) -> ExportJob:
    """Prepare the job's file (the Celery task's body; a job already prepared is left as it is)."""
    job = ExportJob.objects.select_related("requested_by", "facility").get(pk=job_id)
    if job.status == ExportStatus.DONE:
        return job
    _tell(job, 5, _("Démarrage"), status=ExportStatus.RUNNING, started_at=timezone.now(), failure="")
    try:
        content, content_type, filename = _build(job)
        _tell(job, 90, _("Enregistrement du fichier"))
        with transaction.atomic():
            job.file.save(filename, ContentFile(content), save=False)
            job.filename, job.content_type = filename, content_type
            job.status, job.progress, job.step, job.finished_at = ExportStatus.DONE, 100, _("Terminé"), timezone.now()
            job.full_clean()
            job.save()
    except (PermissionDenied, ValidationError) as error:
        messages = getattr(error, "messages", None) or [str(error) or _("Accès refusé.")]
        _tell(job, job.progress, _("Échec"), status=ExportStatus.FAILED, finished_at=timezone.now(),
              failure=" ".join(str(m) for m in messages))
    except Exception:  # noqa: BLE001 — any failure is shown on the job's page, and logged in full
        log.exception("export job %s failed", job.pk)
        _tell(job, job.progress, _("Échec"), status=ExportStatus.FAILED, finished_at=timezone.now(),
              failure=_("La préparation du fichier a échoué. Réessayez ; si l'échec se répète, "
                        "signalez-le à l'administrateur."))
    return job


def exports_of(user):
    """The exports this member of staff asked for (only theirs), the latest first."""
    return ExportJob.objects.visible_to(user).select_related("facility")


def open_export(pk, *, actor) -> ExportJob:
    """One of the actor's own exports: any other (another member of staff's, another prison's) is a 404."""
    try:
        return exports_of(actor).get(pk=pk)
    except (ExportJob.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Aucun export ne correspond.")) from None


def download_export(pk, *, actor) -> ExportJob:
    """The actor's own prepared export, its download recorded in the audit trail."""
    job = open_export(pk, actor=actor)
    if job.status != ExportStatus.DONE or not job.file:
        raise ValidationError(_("Le fichier n'est pas encore prêt."))
    record_audit(AuditAction.EXPORT, actor=actor, target=job, facility_id=job.facility_id,
                 reason=_("Téléchargement de l'export : %(t)s (%(f)s)") % {"t": job.title, "f": job.fmt.upper()},
                 changes={"fichier": job.filename})
    return job
