"""A prison's side of the exchange: push the outbox in chunks, then pull the national change log.

The prison pushes before it pulls. An action leaves the outbox only when the national server has
acknowledged it; a refused action stays, marked with the reason, until someone fixes it. When the
link is down, the next attempt waits longer each time (1, 2, 4… minutes, at most an hour)."""

import gzip
import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import capture, payload, registry
from .models import ExchangeState, OutboxAction, SiteIdentity

logger = logging.getLogger("sync")


class LinkDown(Exception):
    """The national server could not be reached, or answered with an error."""


def site_id() -> str:
    identity = SiteIdentity.objects.order_by("pk").first() or SiteIdentity.objects.create()
    return str(identity.site_id)


def state() -> ExchangeState:
    return ExchangeState.objects.order_by("pk").first() or ExchangeState.objects.create()


def encode(body: dict) -> bytes:
    return gzip.compress(json.dumps(body, separators=(",", ":")).encode())


def push(transport, *, chunk: int | None = None) -> dict:
    """Send the waiting actions, oldest first, chunk by chunk; returns counts and bytes sent."""
    chunk = chunk or settings.SYNC_CHUNK_SIZE
    totals = {"acknowledged": 0, "deferred": 0, "rejected": 0, "bytes": 0, "chunks": 0}
    after = 0
    while True:
        actions = list(OutboxAction.objects.filter(state=OutboxAction.State.WAITING, seq__gt=after)
                       .order_by("seq")[:chunk])
        if not actions and (totals["chunks"] or not audit_seals()["seals"]):
            break
        body = {
            "schema_version": payload.SCHEMA_VERSION, "site_id": site_id(), "facility": settings.SITE_FACILITY,
            "actions": [{"id": str(a.action_id), "seq": a.seq, "model": a.model, "uid": str(a.uid), "op": a.op,
                         "data": a.data, "owner": settings.SITE_FACILITY} for a in actions],
        }
        body["audit"] = audit_seals()
        data = encode(body)
        answer = transport.push(data)
        if "audit_position" in answer:
            ExchangeState.objects.filter(pk=state().pk).update(audit_position=answer["audit_position"])
        totals["bytes"] += len(data)
        totals["chunks"] += 1
        acked = set(answer.get("acknowledged", []))
        rejected = {r["id"]: r["reason"] for r in answer.get("rejected", [])}
        with transaction.atomic():
            OutboxAction.objects.filter(action_id__in=acked).delete()
            for action_id, reason in rejected.items():
                OutboxAction.objects.filter(action_id=action_id).update(state=OutboxAction.State.REJECTED,
                                                                        rejection=reason)
            OutboxAction.objects.filter(seq__in=[a.seq for a in actions]).exclude(action_id__in=acked).update(
                attempts=F("attempts") + 1)
            ExchangeState.objects.filter(pk=state().pk).update(
                pushed_total=F("pushed_total") + len(acked), bytes_sent=F("bytes_sent") + len(data))
        totals["acknowledged"] += len(acked)
        totals["rejected"] += len(rejected)
        totals["deferred"] += len(answer.get("deferred", []))
        if not actions:
            break
        after = actions[-1].seq
        if answer.get("deferred"):
            break  # the rest waits for what the national server is missing
    return totals


def audit_seals(limit: int = 5000) -> dict:
    """This prison's audit chain after what the national server has verified: each seal's rank, the
    previous head and its own head, so that a truncated or rewritten chain shows there as a break."""
    from accounts.models import AuditSeal

    position = state().audit_position
    seals = (AuditSeal.objects.filter(position__gt=position).order_by("position")
             .values_list("position", "prev_hash", "chain_hash")[:limit])
    return {"after": position, "seals": [list(seal) for seal in seals]}


def pull(transport, *, limit: int | None = None) -> dict:
    """Apply the national change log after this prison's cursor: reference data, people coming here,
    changes to the files of people who were here."""
    limit = limit or settings.SYNC_CHUNK_SIZE
    totals = {"applied": 0, "bytes": 0}
    while True:
        current = state()
        answer, size = transport.pull(after=current.cursor, limit=limit)
        totals["bytes"] += size
        if answer.get("schema_version") not in payload.ACCEPTED_VERSIONS:
            raise LinkDown(f"national schema version {answer.get('schema_version')} not accepted")
        applied_to = current.cursor
        with transaction.atomic():  # a page of changes and the cursor past it commit together
            for change in answer["changes"]:
                try:
                    with transaction.atomic(), capture.applying():
                        apply_change(change)
                except payload.MissingDependency:
                    payload.forget_all()  # what the rolled-back change looked up may be gone
                    logger.warning("sync pull: change %s waits for a related record", change["seq"])
                    break
                applied_to = change["seq"]
                totals["applied"] += 1
            ExchangeState.objects.filter(pk=current.pk).update(
                cursor=applied_to, bytes_received=F("bytes_received") + size)
        if not answer.get("more") or applied_to != answer.get("next"):
            break
    return totals


def apply_change(change: dict):
    model = payload.model_of(change["model"])
    if registry.is_reference(model):
        if change["op"] == "delete":
            try:
                payload.resolve_reference(model, change["key"]).delete()
            except payload.MissingDependency:
                pass
            return
        payload.load_reference(model, change["key"], change["data"])
        return
    if change["op"] == "delete":
        model._default_manager.filter(uid=change["key"]).delete()
        return
    payload.load(model, change["key"], change["data"])


def exchange(transport) -> dict:
    """One exchange: push, then pull. Records the outcome; on failure, backs off."""
    now = timezone.now()
    current = state()
    started = time.monotonic()
    try:
        pushed = push(transport)
        pushed["seconds"] = round(time.monotonic() - started, 3)
        ExchangeState.objects.filter(pk=current.pk).update(last_push_at=timezone.now())
        pulled = pull(transport)
        pulled["seconds"] = round(time.monotonic() - started - pushed["seconds"], 3)
    except LinkDown as exc:
        failures = current.failures + 1
        wait = min(60 * 2 ** (failures - 1), 3600)
        ExchangeState.objects.filter(pk=current.pk).update(
            last_attempt_at=now, last_error=str(exc)[:500], failures=failures,
            next_attempt_at=now + timedelta(seconds=wait))
        raise
    ExchangeState.objects.filter(pk=current.pk).update(
        last_pull_at=timezone.now(), last_attempt_at=now, last_error="", failures=0, next_attempt_at=None)
    return {"push": pushed, "pull": pulled, "seconds": round(time.monotonic() - started, 3)}


def due() -> bool:
    current = state()
    return current.next_attempt_at is None or current.next_attempt_at <= timezone.now()
