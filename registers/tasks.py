"""Celery tasks of the register back-fill: the check of an uploaded file (the dry run), and the import of a
confirmed job (idempotent, resumable)."""

from celery import shared_task


@shared_task(name="registers.tasks.import_register_job", acks_late=True)
def import_register_job(job_id: int) -> int:
    """Import the confirmed job's rows; a re-run after a killed worker completes it."""
    from .services import import_register_file

    return import_register_file(job_id).imported_rows


@shared_task(name="registers.tasks.check_register_job", acks_late=True)
def check_register_job(job_id: int, actor_id: int) -> str:
    """Check the uploaded file (nothing written); a re-run checks it again."""
    from django.core.exceptions import ValidationError

    from accounts.models import User

    from .models import ImportJob, JobStatus
    from .services import check_register_file

    try:
        return check_register_file(ImportJob.objects.get(pk=job_id), actor=User.objects.get(pk=actor_id)).status
    except ValidationError as error:  # a file that changed in storage, a job no longer to be checked
        ImportJob.objects.filter(pk=job_id, status=JobStatus.CHECKING).update(
            status=JobStatus.WITH_ERRORS, failure=" ".join(error.messages)[:2000])
        return JobStatus.WITH_ERRORS
