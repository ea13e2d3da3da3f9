"""A person held past a release order or past the sentence is the most serious irregularity
(LAW.md "Release"): red and first on the alerts page and in the API, named first in the digest,
and the direction and DNAPES are e-mailed at once — once."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from casework.deadlines.alerts import send_digests
from casework.deadlines.sweep import sweep
from casework.models import AlertKind, DeadlineAlert
from casework.releases import services as releases
from inmates.models import Custody
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(bamako, clerk, cell, settings):
    settings.RELEASE_LATE_AFTER_HOURS = 24
    clerk.email = "greffe.bko@example.ml"
    clerk.save()
    factories.staff(Role.DIRECTOR, bamako, username="dir.bko", email="direction.bko@example.ml")
    factories.staff(Role.DNAPES, username="dnapes.nat", email="dnapes@example.ml")
    overdue = factories.detainee(bamako, actor=clerk, unit=cell, last_name="KONATÉ",
                                 admitted_at=timezone.now() - dt.timedelta(days=200))
    sweep()
    late = factories.detainee(bamako, actor=clerk, unit=cell, last_name="SANGARÉ", first_name="Bakary")
    return {"overdue": Custody.objects.get(inmate=overdue), "late": Custody.objects.get(inmate=late)}


def _late_order(custody, clerk):
    return releases.record_release_order(
        custody.cases.get(), actor=clerk, kind="court_order", brought_by="Gendarme Keïta",
        authority="Juge d'instruction, 3e cabinet", reference="OML 2026/114",
        received_at=timezone.now() - dt.timedelta(hours=30))


def test_a_late_release_mails_the_direction_and_dnapes_at_once_and_only_once(
        people, clerk, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _late_order(people["late"], clerk)
    urgent = [m for m in mailoutbox if m.subject.startswith("URGENT")]
    assert len(urgent) == 1
    assert set(urgent[0].to) == {"direction.bko@example.ml", "dnapes@example.ml"}
    assert "SANGARÉ" in urgent[0].body and "Sortie en retard" in urgent[0].body
    with django_capture_on_commit_callbacks(execute=True):
        releases.sweep_releases()
        sweep()
    assert len([m for m in mailoutbox if m.subject.startswith("URGENT")]) == 1


def test_the_alerts_page_shows_the_late_release_first_and_in_red(people, clerk, client):
    _late_order(people["late"], clerk)
    assert DeadlineAlert.objects.filter(kind=AlertKind.OVERDUE, closed_at__isnull=True).exists()
    client.force_login(clerk)
    html = client.get(reverse("deadlines:alert_list")).content.decode()
    assert html.index("SANGARÉ") < html.index("KONATÉ")
    row = html[html.index("SANGARÉ"):]
    assert row.index('badge badge-danger">Sortie en retard') < row.index("</tr>")


def test_the_api_orders_by_severity_and_says_critical(people, clerk):
    _late_order(people["late"], clerk)
    api = APIClient()
    api.force_authenticate(clerk)
    rows = api.get("/api/v1/alerts/?open=true").data["results"]
    kinds = [r["kind"] for r in rows]
    assert kinds.index("late_release") < kinds.index("overdue")
    assert {r["kind"]: r["critical"] for r in rows}["late_release"] is True
    assert {r["kind"]: r["critical"] for r in rows}["overdue"] is True
    assert all(r["critical"] is False for r in rows if r["kind"] in ("approaching", "no_hearing", "release_due"))


def test_the_digest_names_people_held_without_right_first(people, clerk, mailoutbox):
    _late_order(people["late"], clerk)
    mailoutbox.clear()
    send_digests()
    digest = next(m for m in mailoutbox if "greffe.bko@example.ml" in m.to)
    assert "LE PLUS GRAVE" in digest.body
    assert digest.body.index("SANGARÉ") < digest.body.index("KONATÉ")
