"""Sessions end after inactivity (shared terminals in registry offices) without a session write
on every page view: the expiry slides at most once per SESSION_REFRESH_SECONDS (issue 17 §4)."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db



def _session_writes(client, path="/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]


@pytest.fixture
def signed_in(client, clerk):
    clerk.set_password(PASSWORD)
    clerk.save()
    assert client.post("/comptes/connexion/", {"username": clerk.username, "password": PASSWORD}).status_code == 302
    return client


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_page_views_within_the_refresh_window_write_no_session(signed_in, settings):
    signed_in.get("/")  # the first view after sign-in may refresh once
    assert _session_writes(signed_in) == []
    assert _session_writes(signed_in, "/detenus/") == []


def test_activity_after_the_window_pushes_the_expiry_forward(signed_in, settings):
    signed_in.get("/")
    before = _expiry(signed_in)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 5)):
        assert _session_writes(signed_in) != []
        after = _expiry(signed_in)
    assert after - before >= datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS)


def test_a_session_idle_longer_than_its_age_is_signed_out(signed_in, settings):
    signed_in.get("/")
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = signed_in.get("/")
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


def test_a_session_kept_busy_outlives_its_age(signed_in, settings):
    start = timezone.now()
    step = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE // 3)
    for n in range(1, 6):  # five views over 5/3 of the session's age
        with time_machine.travel(start + n * step):
            assert signed_in.get("/").status_code == 200
