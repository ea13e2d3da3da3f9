"""The audit trail's write side. Every other app records through `record_audit`."""

import hashlib
import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model

from .request_context import current_ip
from .models import AuditEntry

# Any constant: PostgreSQL advisory lock key that serialises writers of the hash chain.
_AUDIT_CHAIN_LOCK = 0x4D414C49  # "MALI"


def _digest(entry: AuditEntry) -> str:
    payload = json.dumps(
        [
            entry.prev_hash,
            entry.at.isoformat(),
            entry.actor_id,
            entry.actor_name,
            entry.action,
            entry.target_type_id,
            entry.target_id,
            entry.target_repr,
            entry.inmate_id,
            entry.facility_id,
            entry.changes,
            entry.reason,
            entry.ip_address,
        ],
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def entry_digest(entry: AuditEntry) -> str:
    """The hash an entry must carry, given its content and its predecessor's hash."""
    return _digest(entry)


@transaction.atomic
def record_audit(
    action: str,
    *,
    actor=None,
    target: Model | None = None,
    changes: dict | None = None,
    reason: str = "",
    inmate_id: int | None = None,
    facility_id: int | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """Append one entry to the audit trail, chained to the previous one by hash."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_CHAIN_LOCK])
    prev = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or ""
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    entry = AuditEntry(
        actor=actor_obj,
        actor_name=actor_name or (actor_obj.get_username() if actor_obj else ""),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        inmate_id=inmate_id,
        facility_id=facility_id,
        changes=changes or {},
        reason=reason,
        ip_address=current_ip(),
        prev_hash=prev,
    )
    entry.hash = _digest(entry)
    entry.save(force_insert=True)
    return entry


def diff_fields(instance: Model, new_values: dict) -> dict:
    """{field: [old, new]} for the fields whose value would change. Values as strings."""
    changes = {}
    for name, new in new_values.items():
        old = getattr(instance, name)
        old_cmp = getattr(old, "pk", old)
        new_cmp = getattr(new, "pk", new)
        if old_cmp != new_cmp:
            changes[name] = [None if old is None else str(old), None if new is None else str(new)]
    return changes
