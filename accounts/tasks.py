from celery import shared_task


@shared_task(name="accounts.tasks.seal_audit_chain")
def seal_audit_chain():
    """Every minute (beat): seal the new audit entries, checkpoint the head when due."""
    from .chain import seal_and_checkpoint

    sealed, checkpoint = seal_and_checkpoint()
    return {"sealed": sealed, "checkpoint": checkpoint.seal_count if checkpoint else None}
