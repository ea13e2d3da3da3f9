"""Celery task for the daily retention rule: calls one function and does nothing else."""

from celery import shared_task


@shared_task(name="inmates.tasks.apply_retention")
def apply_retention():
    """Archive the files whose retention period has ended (idempotent)."""
    from .retention import apply_retention as apply

    return apply()
