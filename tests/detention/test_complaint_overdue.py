"""Complaints answered promptly (Rule 57): an open complaint past its answer date is found on the
register (page) and the API, and counted in the director's work queue."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from detention import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaints(inmate, clerk):
    custody = inmate.custodies.get()
    late = services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="Eau potable",
                                       details="Pas d'eau depuis trois jours", actor=clerk,
                                       received_at=timezone.now() - datetime.timedelta(days=10))
    fresh = services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="Couverture",
                                        details="Demande une couverture", actor=clerk)
    return late, fresh


def test_the_register_and_the_api_find_the_complaints_past_their_answer_date(client, clerk, bamako, complaints):
    late, fresh = complaints
    client.force_login(clerk)
    html = client.get(f"/vie-carcerale/etablissements/{bamako.pk}/plaintes/", {"etat": "overdue"}).content.decode()
    assert "Eau potable" in html and "Couverture" not in html
    assert "échéance (1)" in html
    api = APIClient()
    api.force_authenticate(clerk)
    ids = [c["id"] for c in api.get("/api/v1/complaints/", {"overdue": "true"}).data["results"]]
    assert ids == [late.pk]
    services.answer_complaint(late, actor=factories.staff(Role.DIRECTOR, bamako), answer="Citerne livrée")
    assert api.get("/api/v1/complaints/", {"overdue": "true"}).data["results"] == []


def test_the_directors_queue_counts_them(bamako, complaints):
    from oversight.queues import queues_for

    director = factories.staff(Role.DIRECTOR, bamako)
    queue = {q.key: q for q in queues_for(director)}["complaints_overdue"]
    assert queue.count == 1 and "etat=overdue" in queue.url and queue.urgent
