"""Celery task for the daily occupancy snapshot: calls one function and does nothing else."""

from celery import shared_task


@shared_task(name="oversight.tasks.snapshot_occupancy")
def snapshot_occupancy():
    """Record today's occupancy, nationally and per facility (idempotent: rewritten in place)."""
    from .reports import write_occupancy_snapshots

    return write_occupancy_snapshots()


@shared_task(name="oversight.tasks.prepare_export", acks_late=True)
def prepare_export(job_id: int) -> str:
    """Prepare one background export's file (idempotent: a prepared job is left as it is)."""
    from .export_jobs import run_export

    return run_export(job_id).status


@shared_task(name="oversight.tasks.snapshot_followup")
def snapshot_followup():
    """Record tonight's follow-up counts, per prison and category (idempotent: rewritten in place)."""
    from .followup_trend import write_snapshots

    return write_snapshots()
