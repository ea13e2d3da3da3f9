"""Verification of the audit trail's hash chain."""

from .models import AuditEntry
from .services import entry_digest


def first_broken_entry(batch_size: int = 5000):
    """Return (entry, why) for the first entry whose hash or link is wrong, or None."""
    prev_hash = ""
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return None
        for entry in batch:
            if entry.prev_hash != prev_hash:
                return entry, "prev_hash"
            if entry_digest(entry) != entry.hash:
                return entry, "hash"
            prev_hash = entry.hash
        last_id = batch[-1].id
