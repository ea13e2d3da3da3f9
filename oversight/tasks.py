"""Celery task for the daily occupancy snapshot: calls one function and does nothing else."""

from celery import shared_task


@shared_task(name="oversight.tasks.snapshot_occupancy")
def snapshot_occupancy():
    """Record today's occupancy, nationally and per facility (idempotent: rewritten in place)."""
    from .reports import write_occupancy_snapshots

    return write_occupancy_snapshots()
