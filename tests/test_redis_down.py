"""With Redis stopped (cache and broker unreachable), pages still serve, changes are saved,
and the follow-up work is picked up later by the nightly sweep."""

import time

import pytest
from django.core.management import call_command

from casework.deadlines.sweep import sweep
from casework.models import Case, CaseDeadline, Hearing
from tests.celery_utils import celery_broker

pytestmark = pytest.mark.django_db
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}
    with celery_broker(DEAD_REDIS):
        yield


def test_pages_serve_and_a_hearing_is_saved_with_redis_down(client, clerk, inmate, redis_down,
                                                              django_capture_on_commit_callbacks):
    client.force_login(clerk)
    assert client.get("/").status_code == 200
    assert client.get(f"/detenus/{inmate.pk}/").status_code == 200
    case = Case.objects.get(custody__inmate=inmate)
    sweep()
    assert CaseDeadline.objects.get(case=case).stale is False
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/affaires/{case.pk}/audiences/ajouter/", {
            "date": "2026-11-20", "kind": "examination", "outcome": "held", "notes": "",
        })
    assert response.status_code == 302
    assert time.monotonic() - started < 15  # publishing gives up quickly
    assert Hearing.objects.filter(case=case).exists()
    # The re-evaluation could not be queued: the case waits, marked stale, for the sweep.
    assert CaseDeadline.objects.get(case=case).stale is True


def test_the_nightly_command_catches_up_without_redis(inmate, redis_down):
    case = Case.objects.get(custody__inmate=inmate)
    call_command("flag_overdue_detentions", stdout=open("/dev/null", "w"))
    assert CaseDeadline.objects.get(case=case).stale is False
