"""Celery task of the arrival desk: the e-mail for a person held without a valid title."""

from celery import shared_task


@shared_task(name="intake.tasks.notify_held_without_title", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def notify_held_without_title(presentation_id: int) -> int:
    """Tell the prison's direction and DNAPES (no names in the message)."""
    from .presentations import notify

    return notify(presentation_id)
