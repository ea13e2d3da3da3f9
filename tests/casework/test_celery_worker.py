"""End to end with a real Celery worker and Redis: the sweep task runs in a worker process
against the test database. Needs PostgreSQL and Redis (CI sets DATABASE_URL and REDIS_URL)."""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from casework.models import AlertKind, DeadlineAlert
from tests import factories
from tests.celery_utils import celery_broker

# transaction=True: the data must be committed for the worker to see it; serialized_rollback
# puts the reference data (facilities, roles) back after the flush, for the tests that follow.
# Skipped at collection (before any database set-up or flush) where either is missing.
pytestmark = [pytest.mark.postgres, pytest.mark.redis,
              pytest.mark.skipif(not os.environ.get("REDIS_URL")
                                 or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                 reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)"),
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROOT = Path(__file__).resolve().parents[2]


def _redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 (any failure means: no usable Redis here)
        return None
    return url


def _database_url():
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker():
    """A Celery worker process on its own queue, pointed at the test database; stopped after."""
    redis_url = _redis_url()
    if connection.vendor != "postgresql" or not redis_url:
        pytest.skip("needs PostgreSQL (DATABASE_URL) and a running Redis (REDIS_URL)")
    queue = f"test-sweep-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": redis_url,
           "CELERY_RESULT_BACKEND": redis_url, "DJANGO_DEBUG": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        with celery_broker(redis_url, result_backend=redis_url) as app:
            yield app, queue, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_sweep_task_runs_in_a_real_worker(worker, bamako):
    app, queue, process = worker
    clerk = factories.staff("clerk", bamako)
    inmate = factories.detainee(bamako, actor=clerk, admitted_at=timezone.now() - dt.timedelta(days=200))
    from casework.tasks import sweep_deadlines

    deadline = time.monotonic() + 90
    result = sweep_deadlines.apply_async(queue=queue)
    while not result.ready():
        if process.poll() is not None:
            pytest.fail("the worker stopped: " + process.stdout.read().decode(errors="replace")[-2000:])
        if time.monotonic() > deadline:
            pytest.fail("the worker did not run the task in time")
        time.sleep(0.5)
    summary = result.get(timeout=5)
    assert summary["opened"] >= 1
    # Written by the worker, in its own connection, to the same database.
    assert DeadlineAlert.objects.filter(case__custody__inmate=inmate, kind=AlertKind.OVERDUE,
                                        closed_at__isnull=True).count() == 1
