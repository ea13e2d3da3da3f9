"""Celery task of the register back-fill: the import of a confirmed job (idempotent, resumable)."""

from celery import shared_task


@shared_task(name="registers.tasks.import_register_job", acks_late=True)
def import_register_job(job_id: int) -> int:
    """Import the confirmed job's rows; a re-run after a killed worker completes it."""
    from .services import import_register_file

    return import_register_file(job_id).imported_rows
