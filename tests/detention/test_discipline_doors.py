"""The doors of the discipline and isolation registers: pages and API, scoping (404), roles (403)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from detention.models import IsolationPlacement
from detention.services import isolation
from tests.api_clients import client_for
from tests.custody_fixtures import custody  # noqa: F401
from tests.detention.discipline_fixtures import heard_charge  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def charge(custody, security, director):
    return heard_charge(custody, reporter=security, hearer=director)


@pytest.fixture
def placement(custody, director):
    return isolation.place_in_isolation(custody, reason_kind="security", reason="Menaces",
                                        planned_end_on=timezone.localdate() + datetime.timedelta(days=3),
                                        actor=director)


def test_pages_for_the_prison(client, charge, placement, director, custody):
    client.force_login(director)
    for url in (reverse("life:discipline_list", args=[custody.facility_id]),
                reverse("life:discipline_detail", args=[charge.pk]),
                reverse("life:isolation_list", args=[custody.facility_id]),
                reverse("life:custody_life", args=[custody.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Violences" in response.content.decode()  # the record on the custody-life page
    assert AuditEntry.objects.filter(target_id=str(charge.pk), action="view").exists()


def test_another_prison_gets_404(client, charge, placement, other_clerk, custody):
    client.force_login(other_clerk)
    assert client.get(reverse("life:discipline_detail", args=[charge.pk])).status_code == 404
    assert client.get(reverse("life:discipline_list", args=[custody.facility_id])).status_code == 404
    assert client.get(reverse("life:isolation_list", args=[custody.facility_id])).status_code == 404
    assert client_for(other_clerk).get(f"/api/v1/disciplinary-charges/{charge.pk}/").status_code == 404
    assert client_for(other_clerk).get(f"/api/v1/isolations/{placement.pk}/").status_code == 404
    assert client_for(other_clerk).get("/api/v1/isolations/").json()["count"] == 0


def test_wrong_role_gets_403(client, charge, social, medical, custody):
    client.force_login(social)
    assert client.get(reverse("life:discipline_detail", args=[charge.pk])).status_code == 403
    assert client.get(reverse("life:isolation_list", args=[custody.facility_id])).status_code == 403
    assert client_for(social).get("/api/v1/disciplinary-charges/").status_code == 403
    assert client_for(medical).get("/api/v1/disciplinary-charges/").status_code == 403


def test_dnapes_reads_nationally(charge, manager):
    assert client_for(manager).get(f"/api/v1/disciplinary-charges/{charge.pk}/").status_code == 200


def test_api_isolation_create_and_refusal(custody, director, security):
    body = {"custody": custody.pk, "reason_kind": "security", "reason": "Menaces",
            "planned_end_on": str(timezone.localdate() + datetime.timedelta(days=20))}
    response = client_for(director).post("/api/v1/isolations/", body, format="json")
    assert response.status_code == 400 and "15 jours" in response.content.decode()
    assert not IsolationPlacement.objects.exists()
    assert client_for(security).post("/api/v1/isolations/", body, format="json").status_code == 403
    body["planned_end_on"] = str(timezone.localdate() + datetime.timedelta(days=2))
    response = client_for(director).post("/api/v1/isolations/", body, format="json")
    assert response.status_code == 201, response.content
    assert client_for(director).get(f"/api/v1/isolations/{response.json()['id']}/").status_code == 200
