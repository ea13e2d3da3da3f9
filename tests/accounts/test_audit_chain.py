"""The sealed audit chain: entries written without a lock, sealed in order, checkpointed in the
database and in a file; `verify_audit_chain` reports every kind of tampering."""

import datetime
import json
import os
import threading
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts import chain
from accounts.models import (
    AuditAction,
    AuditCheckpoint,
    AuditEntry,
    AuditSeal,
    DigestScheme,
)
from accounts.services import record_audit
from accounts.verification import verify_audit_trail

pytestmark = pytest.mark.django_db
ON_POSTGRESQL = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                   reason="needs PostgreSQL")


def _bypass_triggers(cursor, on):
    """What a database superuser could do: switch triggers off for this session."""
    if connection.vendor == "postgresql":
        cursor.execute(f"SET session_replication_role = {'replica' if on else 'origin'}")


def _as_superuser(sql, params=()):
    """Run SQL the way someone with direct database access would (triggers bypassed)."""
    with connection.cursor() as cursor:
        _bypass_triggers(cursor, True)
        try:
            cursor.execute(sql, params)
        finally:
            _bypass_triggers(cursor, False)


def _tamper(entry_id, **values):
    with connection.cursor() as cursor:
        _bypass_triggers(cursor, True)
        AuditEntry.objects.filter(pk=entry_id).update(**values)
        _bypass_triggers(cursor, False)


def _delete(model, **filters):
    with connection.cursor() as cursor:
        _bypass_triggers(cursor, True)
        try:
            model.objects.filter(**filters).delete()
        finally:
            _bypass_triggers(cursor, False)


def _entries(n, start=0):
    return [record_audit(AuditAction.OTHER, reason=f"entrée {i}") for i in range(start, start + n)]


def _verify_fails() -> str:
    with pytest.raises(CommandError) as err:
        call_command("verify_audit_chain")
    return str(err.value)


def _kinds():
    return {p.kind for p in verify_audit_trail().problems}


def test_an_intact_sealed_and_checkpointed_chain_verifies(capsys, settings):
    _entries(5)
    assert chain.seal_audit_chain() == 5
    checkpoint = chain.checkpoint_audit_chain(force=True)
    assert checkpoint.seal_count == 5
    call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert "intègre" in out and "5 entrées, 5 sceaux, 1 points de contrôle en base, 1 dans le fichier" in out
    line = json.loads(Path(settings.AUDIT_CHECKPOINT_FILE).read_text().splitlines()[-1])
    assert line["seal_count"] == 5 and line["head_hash"] == AuditSeal.objects.get(position=5).chain_hash


def test_entries_not_yet_sealed_verify_on_their_own_keyed_digest(capsys):
    _entries(3)
    call_command("verify_audit_chain")
    assert "intègre" in capsys.readouterr().out


def test_the_sealer_is_idempotent_and_chains_in_id_order():
    entries = _entries(4)
    assert chain.seal_audit_chain() == 4
    assert chain.seal_audit_chain() == 0
    seals = list(AuditSeal.objects.order_by("position"))
    assert [s.entry_id for s in seals] == [e.pk for e in entries]
    assert [s.position for s in seals] == [1, 2, 3, 4]
    assert all(later.prev_hash == earlier.chain_hash for earlier, later in zip(seals, seals[1:]))
    _entries(2, start=4)
    assert chain.seal_audit_chain() == 2
    assert AuditSeal.objects.order_by("-position").first().position == 6


def test_the_sealer_seals_in_batches(settings):
    _entries(7)
    assert chain.seal_audit_chain(batch_size=3) == 7
    assert list(AuditSeal.objects.order_by("position").values_list("position", flat=True)) == list(range(1, 8))


def test_an_entry_below_the_last_sealed_id_is_still_sealed():
    """An entry whose transaction committed after later ids were sealed (out of id order)."""
    early, late = _entries(2)
    # Simulate: `late` committed and was sealed while `early`'s transaction was still open.
    AuditSeal.objects.create(position=1, entry=late, entry_hash=late.hash, prev_hash="",
                             chain_hash=chain.seal_digest(position=1, prev_hash="", entry_id=late.pk,
                                                          entry_hash=late.hash))
    assert chain.seal_audit_chain() == 1
    assert AuditSeal.objects.get(entry=early).position == 2
    assert verify_audit_trail().ok


def test_a_checkpoint_is_written_only_when_the_head_moved_and_is_due(settings):
    _entries(2)
    chain.seal_audit_chain()
    first = chain.checkpoint_audit_chain()
    assert first is not None
    assert chain.checkpoint_audit_chain(force=True) is None  # head unchanged
    _entries(1)
    chain.seal_audit_chain()
    assert chain.checkpoint_audit_chain() is None  # younger than AUDIT_CHECKPOINT_MINUTES
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=settings.AUDIT_CHECKPOINT_MINUTES + 1)):
        assert chain.checkpoint_audit_chain().seal_count == 3
    assert len(Path(settings.AUDIT_CHECKPOINT_FILE).read_text().splitlines()) == 2


def test_the_seal_command_and_the_beat_task_seal_and_checkpoint(capsys, settings):
    from accounts.tasks import seal_audit_chain

    _entries(2)
    call_command("seal_audit_chain")
    assert "2 entrée(s) scellée(s)" in capsys.readouterr().out
    _entries(1)
    assert seal_audit_chain.delay().get() == {"sealed": 1, "checkpoint": None}
    assert settings.CELERY_BEAT_SCHEDULE["seal-audit-chain"]["schedule"] == 60.0


def test_a_modified_sealed_row_is_detected_and_named():
    entries = _entries(5)
    chain.seal_audit_chain()
    _tamper(entries[2].pk, reason="falsifié")
    message = _verify_fails()
    assert f"n° {entries[2].pk}" in message and "contenu modifié" in message


def test_a_row_modified_before_it_was_sealed_is_detected():
    entries = _entries(3)
    _tamper(entries[1].pk, changes={"x": [None, "ajouté"]})
    assert f"n° {entries[1].pk}" in _verify_fails()
    # Sealing afterwards does not launder it: the seal binds the digest its writer computed.
    chain.seal_audit_chain()
    assert f"n° {entries[1].pk}" in _verify_fails()


def test_a_row_rewritten_with_a_recomputed_unkeyed_hash_is_detected():
    """Whoever can write the table cannot compute the keyed digest (the key is not there)."""
    import hashlib

    entry = _entries(1)[0]
    chain.seal_audit_chain()
    _tamper(entry.pk, reason="réécrit", hash=hashlib.sha256(b"reecrit").hexdigest())
    assert "contenu modifié" in _verify_fails()


def test_a_deleted_row_is_detected_and_named():
    entries = _entries(4)
    chain.seal_audit_chain()
    _as_superuser("DELETE FROM accounts_auditentry WHERE id = %s", [entries[1].pk])
    message = _verify_fails()
    assert f"Entrée n° {entries[1].pk} supprimée" in message
    _delete(AuditSeal, entry_id=entries[1].pk)  # SQLite checks foreign keys when the test ends


def test_a_deleted_seal_is_detected():
    _entries(4)
    chain.seal_audit_chain()
    _as_superuser("DELETE FROM accounts_auditseal WHERE position = 2")
    assert "seal_missing" in _kinds()


def test_a_truncated_trail_is_detected_against_the_last_checkpoint():
    _entries(6)
    chain.seal_and_checkpoint(force_checkpoint=True)
    _delete(AuditSeal)
    _delete(AuditEntry)
    message = _verify_fails()
    assert "Journal vidé : 0 sceau(x)" in message and "en attestait 6" in message


def test_a_shortened_tail_is_detected_even_when_it_verifies_as_a_chain():
    entries = _entries(5)
    chain.seal_and_checkpoint(force_checkpoint=True)
    newest = [e.pk for e in entries[3:]]
    _delete(AuditSeal, entry_id__in=newest)
    _delete(AuditEntry, id__in=newest)
    message = _verify_fails()
    assert "Journal raccourci : 3 sceau(x)" in message and "en attestait 5" in message


def test_a_shortened_tail_with_the_checkpoint_table_emptied_too_is_caught_by_the_file():
    entries = _entries(4)
    chain.seal_and_checkpoint(force_checkpoint=True)
    _delete(AuditCheckpoint)
    _delete(AuditSeal, entry_id=entries[-1].pk)
    _delete(AuditEntry, id=entries[-1].pk)
    kinds = _kinds()
    assert "shortened" in kinds and "checkpoint_deleted" in kinds


def test_a_rewritten_checkpoint_file_is_detected(settings):
    _entries(2)
    chain.seal_and_checkpoint(force_checkpoint=True)
    Path(settings.AUDIT_CHECKPOINT_FILE).write_text("")
    assert "checkpoint_file_missing" in _kinds()


def test_a_forged_checkpoint_is_detected():
    _entries(3)
    chain.seal_and_checkpoint(force_checkpoint=True)
    real = AuditCheckpoint.objects.get()
    # Someone with INSERT on the table writes a checkpoint claiming a shorter chain.
    AuditCheckpoint.objects.create(seal_count=1, last_seal_id=AuditSeal.objects.get(position=1).pk,
                                   head_hash=AuditSeal.objects.get(position=1).chain_hash,
                                   key_id=real.key_id, signature="0" * 64)
    assert "checkpoint_forged" in _kinds()


def test_an_entry_never_sealed_after_the_delay_is_reported(settings):
    entry = _entries(1)[0]
    later = timezone.now() + datetime.timedelta(minutes=settings.AUDIT_SEAL_MAX_DELAY_MINUTES + 1)
    with time_machine.travel(later):
        message = _verify_fails()
    assert f"n° {entry.pk}" in message and "jamais scellée" in message


def test_a_wrong_key_is_reported_as_such(settings):
    _entries(3)
    chain.seal_and_checkpoint(force_checkpoint=True)
    settings.AUDIT_CHAIN_KEY = "une-autre-cle-de-32-caracteres-au-moins-0123"
    message = _verify_fails()
    assert "Clé incorrecte" in message


def test_a_wrong_key_without_any_checkpoint_still_breaks_the_chain(settings):
    _entries(2)
    chain.seal_audit_chain()
    settings.AUDIT_CHAIN_KEY = "une-autre-cle-de-32-caracteres-au-moins-0123"
    assert "clé incorrecte" in _verify_fails()


def test_entries_written_before_the_sealed_chain_are_sealed_and_verified():
    legacy = record_audit(AuditAction.OTHER, reason="ancienne entrée")
    _as_superuser("UPDATE accounts_auditentry SET digest_scheme = %s, hash = %s, prev_hash = '' WHERE id = %s",
                  [DigestScheme.LEGACY_CHAIN, "a" * 64, legacy.pk])
    chain.seal_audit_chain()
    assert verify_audit_trail().ok
    _tamper(legacy.pk, reason="modifiée")
    assert "entry_modified" in _kinds()


def test_the_key_is_never_in_the_database(settings):
    _entries(2)
    chain.seal_and_checkpoint(force_checkpoint=True)
    key = settings.AUDIT_CHAIN_KEY
    for model in (AuditEntry, AuditSeal, AuditCheckpoint):
        for row in model.objects.values():
            assert key not in json.dumps(row, default=str)


# --- PostgreSQL: the database itself refuses, and writers take no lock ----------------------

@ON_POSTGRESQL
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgresql_refuses_updates_deletes_and_truncate_of_the_three_tables():
    entry = record_audit(AuditAction.OTHER, reason="x")
    chain.seal_and_checkpoint(force_checkpoint=True)
    with connection.cursor() as cursor:
        cursor.execute("SET dnapes.audit_maintenance = 'off'")  # an ordinary session
    try:
        for model in (AuditEntry, AuditSeal, AuditCheckpoint):
            table = model._meta.db_table
            with pytest.raises(DatabaseError), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"UPDATE {table} SET id = id")
            with pytest.raises(DatabaseError), transaction.atomic():
                model.objects.all().delete()
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"TRUNCATE {table} CASCADE")
        assert AuditEntry.objects.filter(pk=entry.pk).exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET dnapes.audit_maintenance = 'on'")


@ON_POSTGRESQL
@pytest.mark.postgres
def test_writing_an_entry_takes_no_lock():
    with transaction.atomic():
        record_audit(AuditAction.VIEW, reason="lecture")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'")
            assert cursor.fetchone()[0] == 0


@ON_POSTGRESQL
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_entries_committed_out_of_id_order_all_get_sealed():
    opened, release = threading.Event(), threading.Event()
    slow_id = []

    def slow_writer():
        try:
            with transaction.atomic():
                slow_id.append(record_audit(AuditAction.VIEW, reason="transaction lente").pk)
                opened.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    opened.wait(10)
    fast = record_audit(AuditAction.VIEW, reason="transaction rapide")
    assert fast.pk > slow_id[0]
    assert chain.seal_audit_chain() == 1  # the slow one is not committed yet
    release.set()
    thread.join()
    assert chain.seal_audit_chain() == 1
    assert list(AuditSeal.objects.order_by("position").values_list("entry_id", flat=True)) == [fast.pk, slow_id[0]]
    assert verify_audit_trail().ok


@ON_POSTGRESQL
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sealers_at_once_seal_each_entry_once():
    _entries(40)
    barrier, counts = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            counts.append(chain.seal_audit_chain(batch_size=7))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 40
    assert list(AuditSeal.objects.order_by("position").values_list("position", flat=True)) == list(range(1, 41))
    assert verify_audit_trail().ok
