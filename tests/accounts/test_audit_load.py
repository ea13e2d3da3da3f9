"""Load test (issue 17 item 5): 50 concurrent audited writes do not queue on a lock; the sealer
then seals them all and the chain verifies. Each write holds its transaction open a little
(SELECT pg_sleep), as a file view does while it reads the rest of the file: under the former
global advisory lock those transactions ran one after another."""

import os
import threading
import time

import pytest
from django.db import connection, transaction

from accounts import chain
from accounts.models import AuditAction, AuditSeal
from accounts.services import record_audit
from accounts.verification import verify_audit_trail

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WRITES, HOLD = 50, 0.05
FORMER_GLOBAL_LOCK = 0x4D414C49  # the advisory lock record_audit used to take


def _audited_write(i, *, global_lock=False):
    with transaction.atomic():
        if global_lock:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FORMER_GLOBAL_LOCK])
        record_audit(AuditAction.VIEW, reason=f"consultation {i}", inmate_id=i)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(%s)", [HOLD])


def _concurrently(**kwargs) -> float:
    """Wall time of WRITES writes from as many threads, released together once every thread
    holds its own connection (the main thread is the barrier's last party)."""
    barrier, errors = threading.Barrier(WRITES + 1, timeout=60), []

    def worker(i):
        try:
            connection.ensure_connection()
            barrier.wait()
            _audited_write(i, **kwargs)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WRITES)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    assert not errors, errors
    return time.perf_counter() - start


def test_fifty_concurrent_audited_writes_do_not_serialise_then_all_are_sealed(capsys):
    start = time.perf_counter()
    for i in range(WRITES):
        _audited_write(i)
    one_at_a_time = time.perf_counter() - start
    concurrent = _concurrently()
    former_design = _concurrently(global_lock=True)
    with capsys.disabled():
        print(f"\naudit load: {WRITES} writes holding {HOLD * 1000:.0f} ms each — one at a time "
              f"{one_at_a_time:.2f} s, concurrent {concurrent:.2f} s, concurrent under the former "
              f"global lock {former_design:.2f} s")
    assert former_design > WRITES * HOLD * 0.9  # the harness does see a lock when there is one
    assert concurrent < one_at_a_time / 3
    assert concurrent < former_design / 3
    start = time.perf_counter()
    assert chain.seal_audit_chain() == 3 * WRITES
    sealing = time.perf_counter() - start
    chain.checkpoint_audit_chain(force=True)
    with capsys.disabled():
        print(f"audit load: sealed {3 * WRITES} entries in {sealing:.2f} s")
    assert AuditSeal.objects.count() == 3 * WRITES
    assert verify_audit_trail().ok
