"""Writes of the paper-register back-fill: upload, check (django-import-export's dry run, nothing
written), import on confirmation, decisions on held duplicates, four-eyes verification.

The file is read by tablib and checked and imported by registers.resources.RegisterResource, in chunks
of CHUNK rows: the dry run gives each row's result (new / updated / unchanged / invalid with its French
errors per column / held as a likely duplicate) and the failed rows for the error workbook; the real
run writes each chunk in one transaction through the product's services (registers.writes), rolled
back whole on any error. Rows are keyed by their register line (prison, volume, page, line), so a
re-run after a killed worker skips the chunks already written, and the same file again writes nothing."""

import hashlib
import time

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from casework import services as casework_services
from casework.models import Court
from inmates.models import PrisonerNumberCounter
from prisons.models import Region, Unit

from . import resources, workbook
from .models import ImportedRecord, ImportJob, JobStatus, RecordStatus, Reliability, Source

CHUNK = 500
MAX_ROWS = 20000
MAX_BYTES = 20 * 1024 * 1024

NEW, UPDATED, UNCHANGED, INVALID, HELD = (resources.NEW, resources.UPDATED, resources.UNCHANGED, resources.INVALID,
                                         resources.HELD)


def _audit(action, obj, *, actor, facility_id=None, changes=None, reason=""):
    return record_audit(action, actor=actor, target=obj, facility_id=facility_id, changes=changes, reason=reason)


# --- upload ---------------------------------------------------------------------------------------


@transaction.atomic
def upload_register_file(*, facility, content: bytes, name: str, actor) -> ImportJob:
    """Keep the uploaded file in private storage with its SHA-256 (nothing else written): the check
    and the import may run in other workers."""
    visible = actor.visible_facility_ids()
    if visible is not None and facility.pk not in visible:
        raise PermissionDenied(_("Cet établissement n'est pas le vôtre."))
    if not content:
        raise ValidationError({"file": _("Le fichier est vide.")})
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": _("Le fichier dépasse 20 Mo.")})
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": _("Déposez un classeur XLSX (le modèle) ou un fichier CSV.")})
    digest = hashlib.sha256(content).hexdigest()
    job = ImportJob(facility=facility, uploaded_by=actor, sha256=digest, file_name=name[:200])
    job.file.save(f"{digest[:16]}{'.csv' if name.lower().endswith('.csv') else '.xlsx'}",
                  ContentFile(content), save=False)
    job.save()
    _audit(AuditAction.CREATE, job, actor=actor, facility_id=facility.pk,
           changes={"fichier": job.file_name, "sha256": digest})
    from .tasks import check_register_job

    # Checked by a worker (in-process on the embedded default), which shows its progress on the job.
    transaction.on_commit(lambda: check_register_job.delay(job.pk, actor.pk))
    return job


# --- check (dry run) -------------------------------------------------------------------------------


def choice_lists(facility) -> dict:
    """The (code, label) pairs of every coded column, for the template's drop-downs."""
    lists = {key: list(values.items()) for key, values in resources.CHOICES.items()}
    lists["region"] = list(Region.objects.order_by("code").values_list("code", "name"))
    lists["court"] = list(Court.objects.order_by("code").values_list("code", "name"))
    lists["unit"] = list(Unit.objects.filter(facility=facility, is_active=True).order_by("code")
                         .values_list("code", "name"))
    return lists


def _progress(job, done, total):
    ImportJob.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)


def _chunks(dataset, numbers):
    for start in range(0, len(dataset), CHUNK):
        part = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset[start:start + CHUNK]:
            part.append(row)
        yield start, part, numbers[start:start + CHUNK]


def _run(job, dataset, numbers, *, dry_run, actor, decisions=None):
    """The resource over the file, chunk by chunk: (row results, failed dataset, counters)."""
    resource = resources.RegisterResource(job, actor=actor, decisions=decisions)
    results, failed = [], None
    for start, part, lines in _chunks(dataset, numbers):
        # The chunk's cases are re-evaluated (deadlines, alerts) in one batch after its commit.
        with translation.override("fr"), casework_services.deferred_reevaluation():
            outcome = resource.import_data(part, dry_run=dry_run, collect_failed_rows=True, sheet_rows=lines,
                                           rollback_on_validation_errors=True)
        if outcome.base_errors:
            error = outcome.base_errors[0].error
            raise ValidationError(error.messages if isinstance(error, ValidationError) else str(error))
        rows = [resources.row_result_of(resource, i, r) for i, r in enumerate(outcome.rows, 1)]
        results.extend(rows)
        if failed is None:
            failed = tablib.Dataset(headers=[*dataset.headers, workbook.ERROR_HEADER], title=workbook.DATA_SHEET)
        by_line = {r["row"]: r for r in rows}
        for line, values in zip(lines, part, strict=True):
            if by_line[line]["status"] == INVALID:
                failed.append([*values, " ; ".join(f"{column} : {' '.join(texts)}"
                                                    for column, texts in by_line[line]["errors"].items())])
        if not dry_run and any(r["status"] == INVALID for r in rows):
            return results, failed  # this chunk rolled back whole; the chunks before it stay, a re-run completes
        _progress(job, start + len(part), len(dataset))
    return results, failed


def _count(job, results):
    job.total_rows = len(results)
    job.new_rows = sum(r["status"] == NEW for r in results)
    job.updated_rows = sum(r["status"] == UPDATED for r in results)
    job.unchanged_rows = sum(r["status"] == UNCHANGED for r in results)
    job.invalid_rows = sum(r["status"] == INVALID for r in results)
    job.held_rows = sum(r["status"] == HELD for r in results)


def _dataset(job):
    with job.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != job.sha256:
        raise ValidationError(_("Le fichier conservé ne correspond plus à son empreinte SHA-256."))
    dataset, numbers = resources.read_dataset(content, job.file_name)
    if len(dataset) > MAX_ROWS:
        raise workbook.UnreadableFile(_("Au plus %(n)s lignes par fichier.") % {"n": MAX_ROWS})
    return dataset, numbers


def check_register_file(job: ImportJob, *, actor) -> ImportJob:
    """Dry run: each row's result (new, updated, unchanged, invalid with its errors in French column by
    column, or held as a likely duplicate), saved on the job with the error workbook; nothing else is
    written. Runs in a worker (registers.tasks) and shows its progress on the job."""
    started = time.monotonic()
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (JobStatus.UPLOADED, JobStatus.CHECKING, JobStatus.CHECKED, JobStatus.WITH_ERRORS):
            raise ValidationError(_("Cet import ne peut plus être contrôlé (état : %(s)s).")
                                  % {"s": job.get_status_display()})
        job.status, job.progress_done, job.progress_total = JobStatus.CHECKING, 0, 0
        job.save(update_fields=["status", "progress_done", "progress_total"])
    try:
        dataset, numbers = _dataset(job)
    except workbook.UnreadableFile as exc:
        with transaction.atomic():
            job.status, job.failure = JobStatus.WITH_ERRORS, str(exc)
            job.row_results, job.total_rows, job.invalid_rows = [], 0, 0
            job.save()
            _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id,
                   changes={"état": job.status}, reason=job.failure)
        return job
    _progress(job, 0, len(dataset))
    results, failed = _run(job, dataset, numbers, dry_run=True, actor=actor)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        job.row_results = results
        _count(job, results)
        job.failure = ""
        if job.invalid_rows:
            job.error_file.save(f"erreurs-{job.pk}.xlsx", ContentFile(failed.export("xlsx")), save=False)
        job.status = JobStatus.WITH_ERRORS if job.invalid_rows else JobStatus.CHECKED
        job.checked_at = timezone.now()
        job.check_seconds = round(time.monotonic() - started, 3)
        job.save()
        _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id,
               changes={"état": job.status, "lignes": job.total_rows, "nouvelles": job.new_rows,
                        "corrigées": job.updated_rows, "inchangées": job.unchanged_rows,
                        "invalides": job.invalid_rows, "doublons": job.held_rows},
               reason=_("Contrôle du registre, avec la recherche de correspondances de l'écrou"))
    return job


def error_workbook(job: ImportJob) -> bytes:
    """The invalid rows as uploaded, with an "Erreurs" column, to fix and upload again (kept at the check)."""
    if not job.error_file:  # no failed row: the headers only
        headers = [*(c.header for c in workbook.COLUMNS), workbook.ERROR_HEADER]
        return tablib.Dataset(headers=headers, title=workbook.DATA_SHEET).export("xlsx")
    with job.error_file.open("rb") as handle:
        return handle.read()


@transaction.atomic
def decide_duplicate(job: ImportJob, *, row: int, decision: str, actor) -> ImportJob:
    """Settle a held row: "create" (another person, import it) or "skip" (already known: leave it)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in (JobStatus.CHECKED,):
        raise ValidationError(_("Les doublons se tranchent sur un import contrôlé, avant confirmation."))
    if decision not in ("create", "skip"):
        raise ValidationError({"decision": _("Décision inconnue.")})
    if not any(r["row"] == row and r["status"] == HELD for r in job.row_results):
        raise ValidationError({"row": _("Cette ligne n'est pas un doublon en attente.")})
    job.decisions = {**job.decisions, str(row): decision}
    job.save(update_fields=["decisions"])
    _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id,
           changes={"ligne": row, "décision": decision})
    return job


@transaction.atomic
def confirm_import(job: ImportJob, *, actor) -> ImportJob:
    """The clerk confirms a checked file: the import is enqueued (after commit)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.CHECKED:
        raise ValidationError(_("Seul un fichier contrôlé sans erreur peut être importé."))
    job.status, job.confirmed_by, job.confirmed_at = JobStatus.IMPORTING, actor, timezone.now()
    job.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id, changes={"état": job.status})
    from .tasks import import_register_job

    transaction.on_commit(lambda: import_register_job.delay(job.pk))
    return job


@transaction.atomic
def cancel_import(job: ImportJob, *, actor) -> ImportJob:
    """Abandon a job that has not been imported (nothing had been written)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status in (JobStatus.IMPORTING, JobStatus.IMPORTED):
        raise ValidationError(_("Un import lancé ne s'annule pas."))
    job.status = JobStatus.CANCELLED
    job.save(update_fields=["status"])
    _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id, changes={"état": job.status})
    return job


# --- import ---------------------------------------------------------------------------------------


def _raise_counters(facility, dataset):
    """New numbers continue after the highest number kept from the register, per prison and year."""
    headers = {c.key: c.header for c in workbook.COLUMNS}
    highest = {}
    for row in dataset.dict:
        try:
            number = resources.Number().clean(row.get(headers["register_number"]))
            day = resources.Day(future=True).clean(row.get(headers["admitted_on"]))
        except ValueError:
            continue
        if number and day:
            highest[day.year] = max(highest.get(day.year, 0), number)
    for year, value in highest.items():
        with transaction.atomic():
            try:
                with transaction.atomic():
                    PrisonerNumberCounter.objects.get_or_create(facility=facility, year=year)
            except IntegrityError:
                pass
            counter = PrisonerNumberCounter.objects.select_for_update().get(facility=facility, year=year)
            if counter.last_value < value:
                counter.last_value = value
                counter.save(update_fields=["last_value"])


def import_register_file(job_id: int, *, actor=None) -> ImportJob:
    """Write every new row (and every held row the clerk decided to create) of a confirmed job, and
    correct every changed one, chunk by chunk, each chunk one transaction through the services; rows
    already written (this job's earlier run, or the same lines from an earlier file) are unchanged and
    skipped, so a re-run completes the job and never duplicates. A chunk with a row that no longer checks
    clean (the database changed since the preview) is rolled back and the job fails, to be re-checked."""
    started = time.monotonic()
    job = ImportJob.objects.select_related("facility", "confirmed_by", "uploaded_by").get(pk=job_id)
    actor = actor or job.confirmed_by or job.uploaded_by
    if job.status == JobStatus.IMPORTED:
        return job
    if job.status not in (JobStatus.IMPORTING, JobStatus.FAILED) or not job.confirmed_at:
        raise ValidationError(_("Cet import n'a pas été confirmé."))
    dataset, numbers = _dataset(job)
    _raise_counters(job.facility, dataset)
    _progress(job, 0, len(dataset))
    try:
        results, _failed = _run(job, dataset, numbers, dry_run=False, actor=actor, decisions=job.decisions)
    except Exception as exc:
        # The chunk under way rolled back; chunks already written stay, and a re-run completes.
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, failure=str(exc)[:2000])
        raise
    invalid = [r for r in results if r["status"] == INVALID]
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        job.imported_rows = ImportedRecord.objects.filter(Q(job=job) | Q(corrected_by_job=job)).count()
        if invalid:
            job.status, job.failure = JobStatus.FAILED, _(
                "%(n)s ligne(s) ne sont plus valides depuis le contrôle (%(first)s) : recontrôlez le fichier.") % {
                "n": len(invalid), "first": "; ".join(f"{k} : {' '.join(v)}" for k, v in invalid[0]["errors"].items())}
            job.save()
            _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id,
                   changes={"état": job.status}, reason=job.failure)
            return job
        job.status, job.imported_at, job.failure = JobStatus.IMPORTED, timezone.now(), ""
        job.import_seconds = round(time.monotonic() - started, 3)
        job.save()
        _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id,
               changes={"état": job.status, "importées": job.imported_rows})
    return job


# --- four eyes ------------------------------------------------------------------------------------


def _require_other_clerk(record, actor):
    if actor.pk in (record.imported_by_id, record.job.uploaded_by_id):
        raise PermissionDenied(_("Le greffier qui a déposé ou importé un enregistrement ne peut pas le vérifier : "
                                 "un second greffier doit le faire."))


@transaction.atomic
def verify_record(record: ImportedRecord, *, actor, note: str = "") -> ImportedRecord:
    """A second clerk (never the one who uploaded or imported it) confirms the record against its page."""
    record = ImportedRecord.objects.select_for_update(of=("self",)).select_related("job").get(pk=record.pk)
    _require_other_clerk(record, actor)
    if record.status == RecordStatus.VERIFIED:
        raise ValidationError(_("Cet enregistrement est déjà vérifié."))
    record.status, record.verified_by, record.verified_at = RecordStatus.VERIFIED, actor, timezone.now()
    record.verification_note = note.strip()
    if record.origin == Source.REGISTER:  # a declaration stays a declaration, checked or not
        record.reliability = Reliability.VERIFIED
    record.save(update_fields=["status", "verified_by", "verified_at", "verification_note", "reliability"])
    record_audit(AuditAction.UPDATE, actor=actor, target=record, inmate_id=record.inmate_id,
                 facility_id=record.facility_id, changes={"état": [RecordStatus.TO_VERIFY, record.status]},
                 reason=note.strip() or _("Vérifié sur le registre papier"))
    return record


@transaction.atomic
def send_back_record(record: ImportedRecord, *, actor, reason: str) -> ImportedRecord:
    """A second clerk finds the record does not match its page: sent back, with the reason (audited)."""
    record = ImportedRecord.objects.select_for_update(of=("self",)).select_related("job").get(pk=record.pk)
    _require_other_clerk(record, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez ce qui ne correspond pas au registre.")})
    old = record.status
    record.status, record.verified_by, record.verified_at = RecordStatus.SENT_BACK, actor, timezone.now()
    record.verification_note = reason.strip()
    record.save(update_fields=["status", "verified_by", "verified_at", "verification_note"])
    record_audit(AuditAction.UPDATE, actor=actor, target=record, inmate_id=record.inmate_id,
                 facility_id=record.facility_id, changes={"état": [old, record.status]}, reason=reason.strip())
    return record
