"""The audit trail's chain: keyed digests, the sealer and the checkpoints of the chain head.

Writers (`services.record_audit`) take no lock: each entry is an immutable row carrying an
HMAC of its own content. One sealer step (`seal_audit_chain`, a Celery beat task every minute
and a management command) then links every committed, unsealed entry, in id order, into an
append-only chain of seals; only the sealer takes a lock. Checkpoints of the chain head are
written to an append-only table and to a file outside the database, so that deleting the
newest entries (or all of them) is detected against the last checkpoint (`verification`).

The key (AUDIT_CHAIN_KEY) is never stored in the database: whoever can write the tables
still cannot compute a digest that verifies.
"""

import hashlib
import hmac
import json
import logging
import os
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from .models import AuditCheckpoint, AuditEntry, AuditSeal, DigestScheme

logger = logging.getLogger("accounts.audit.checkpoint")

# PostgreSQL advisory lock key held by the sealer only (never by writers of entries).
SEALER_LOCK = 0x5345414C  # "SEAL"


def chain_key() -> bytes:
    return settings.AUDIT_CHAIN_KEY.encode()


def key_id(key: bytes | None = None) -> str:
    """A short fingerprint of the key (not the key): tells a wrong key from tampering."""
    return hmac.new(key or chain_key(), b"dnapes-audit-key-id", hashlib.sha256).hexdigest()[:16]


def _mac(payload) -> str:
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(chain_key(), text.encode(), hashlib.sha256).hexdigest()


def _content(entry: AuditEntry) -> list:
    return [
        entry.at.isoformat(), entry.actor_id, entry.actor_name, entry.action, entry.target_type_id,
        entry.target_id, entry.target_repr, entry.inmate_id, entry.facility_id, entry.changes,
        entry.restricted_changes, entry.reason, entry.ip_address,
    ]


def entry_digest(entry: AuditEntry) -> str:
    """The keyed digest of an entry's content (what its seal binds)."""
    return _mac(["entry", *_content(entry)])


def seal_digest(*, position: int, prev_hash: str, entry_id: int, entry_hash: str) -> str:
    return _mac(["seal", position, prev_hash, entry_id, entry_hash])


def checkpoint_signature(*, at, seal_count: int, last_seal_id: int, head_hash: str, key: str) -> str:
    return _mac(["checkpoint", at.isoformat(), seal_count, last_seal_id, head_hash, key])


def _take_sealer_lock():
    """Serialise sealers (two runs at once: the second waits, then seals what is left).
    SQLite serialises writers itself; the unique position and entry guard both anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK])


def unsealed_entries(*, full: bool = False):
    """Committed entries without a seal, in id order.

    Normally those after the last sealed id, plus any written within the look-back window
    (a transaction that committed after later ids were sealed); `full` scans every entry."""
    candidates = AuditEntry.objects.filter(seal__isnull=True)
    if not full:
        last_sealed = AuditSeal.objects.aggregate(last=Max("entry_id"))["last"]
        if last_sealed is not None:
            since = timezone.now() - timedelta(hours=settings.AUDIT_SEAL_LOOKBACK_HOURS)
            candidates = candidates.filter(Q(id__gt=last_sealed) | Q(at__gte=since))
    return candidates.order_by("id")


@transaction.atomic
def _seal_batch(batch_size: int, full: bool) -> int:
    _take_sealer_lock()
    head = AuditSeal.objects.order_by("-position").first()
    entries = list(unsealed_entries(full=full)[:batch_size])
    position, prev_hash = (head.position, head.chain_hash) if head else (0, "")
    now = timezone.now()
    seals = []
    for entry in entries:
        position += 1
        # A keyed entry is sealed with the digest its writer computed (so a change made before
        # sealing is still detected); a legacy entry with its keyed digest, computed now.
        entry_hash = entry.hash if entry.digest_scheme == DigestScheme.KEYED else entry_digest(entry)
        chain_hash = seal_digest(position=position, prev_hash=prev_hash, entry_id=entry.pk,
                                 entry_hash=entry_hash)
        seals.append(AuditSeal(position=position, entry_id=entry.pk, entry_hash=entry_hash,
                               prev_hash=prev_hash, chain_hash=chain_hash, sealed_at=now))
        prev_hash = chain_hash
    AuditSeal.objects.bulk_create(seals)
    return len(seals)


def seal_audit_chain(*, batch_size: int = 2000, full: bool = False) -> int:
    """Seal every committed entry not yet sealed, in id order; returns how many.

    Idempotent; safe when two run at once (the sealer lock); writers never wait for it."""
    total = 0
    while True:
        sealed = _seal_batch(batch_size, full)
        total += sealed
        if sealed < batch_size:
            return total


def _append_checkpoint_line(checkpoint: AuditCheckpoint) -> None:
    line = json.dumps(checkpoint_record(checkpoint), sort_keys=True)
    path = settings.AUDIT_CHECKPOINT_FILE
    if path:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    # Also to the log, which production can ship to another machine (syslog, journald).
    logger.info("audit checkpoint %s", line)


def checkpoint_record(checkpoint: AuditCheckpoint) -> dict:
    return {"at": checkpoint.at.isoformat(), "seal_count": checkpoint.seal_count,
            "last_seal_id": checkpoint.last_seal_id, "head_hash": checkpoint.head_hash,
            "key_id": checkpoint.key_id, "signature": checkpoint.signature}


def checkpoint_audit_chain(*, force: bool = False) -> AuditCheckpoint | None:
    """Record the chain head (seal count, last seal, head hash, time), signed with the key, in
    the append-only checkpoint table and as a line in AUDIT_CHECKPOINT_FILE.

    Nothing is written when the head has not moved since the last checkpoint, or (unless
    `force`) when that checkpoint is younger than AUDIT_CHECKPOINT_MINUTES."""
    with transaction.atomic():
        _take_sealer_lock()
        head = AuditSeal.objects.order_by("-position").first()
        if head is None:
            return None
        last = AuditCheckpoint.objects.order_by("-id").first()
        now = timezone.now()
        if last is not None and last.seal_count == head.position:
            return None
        if (last is not None and not force
                and now - last.at < timedelta(minutes=settings.AUDIT_CHECKPOINT_MINUTES)):
            return None
        current_key = key_id()
        checkpoint = AuditCheckpoint.objects.create(
            at=now, seal_count=head.position, last_seal_id=head.pk, head_hash=head.chain_hash,
            key_id=current_key,
            signature=checkpoint_signature(at=now, seal_count=head.position, last_seal_id=head.pk,
                                           head_hash=head.chain_hash, key=current_key),
        )
    _append_checkpoint_line(checkpoint)
    return checkpoint


def seal_and_checkpoint(*, force_checkpoint: bool = False) -> tuple[int, AuditCheckpoint | None]:
    """The periodic step: seal, then checkpoint the head when it is due."""
    sealed = seal_audit_chain()
    return sealed, checkpoint_audit_chain(force=force_checkpoint)
