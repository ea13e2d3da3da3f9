"""The doors of the searches and use-of-force registers: pages and API, scoping (404), roles (403),
audited reads, the monitor's reading, the inspection view's sections."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import AuditEntry
from detention.models import Search, UseOfForce
from detention.services import force as force_services
from oversight.inspection import read_inspection
from tests.api_clients import client_for
from tests.custody_fixtures import custody  # noqa: F401
from tests.detention.search_fixtures import ago, pat_down, use_of_force
from tests.outside_fixtures import authorised_monitor, monitor  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def search(custody, security):
    return pat_down(custody, actor=security, kind="intrusive", authorised_by="M. Diarra, directeur",
                    authorisation_reference="Décision 4/2026",
                    items=[{"description": "Sachet de cannabis", "outcome": "police", "reference": "PV 9/2026"}])


@pytest.fixture
def force(custody, security):
    return use_of_force(custody, actor=security, at=ago(days=2), duration_minutes=None)


def _number(custody):
    type(custody.inmate).objects.filter(pk=custody.inmate_id).update(prisoner_number="BKO-2026-0777")
    return "BKO-2026-0777"


def _read_entries(model, pk):
    return AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(model), target_id=str(pk),
                                     action="view")


def test_pages_for_the_prison(client, search, force, director, custody):
    client.force_login(director)
    for url in (reverse("life:search_list", args=[custody.facility_id]),
                reverse("life:search_list", args=[custody.facility_id]) + "?nature=intrusive&du=2020-01-01",
                reverse("life:search_detail", args=[search.pk]),
                reverse("life:search_add", args=[custody.facility_id]),
                reverse("life:force_list", args=[custody.facility_id]),
                reverse("life:force_detail", args=[force.pk]),
                reverse("life:force_add", args=[custody.facility_id]),
                reverse("life:force_report", args=[force.pk]),
                reverse("life:force_review", args=[force.pk]),
                reverse("life:custody_life", args=[custody.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
    page = response.content.decode()
    assert "Fouille intime" in page and "Menottes" in page  # the person's searches and force on the page
    assert _read_entries(Search, search.pk).exists() and _read_entries(UseOfForce, force.pk).exists()


def test_the_list_filters_by_kind(client, search, custody, security, director):
    pat_down(custody, actor=security, reason="Retour du parloir")
    client.force_login(director)
    url = reverse("life:search_list", args=[custody.facility_id])
    assert "Retour du parloir" not in client.get(url + "?nature=intrusive").content.decode()
    assert "Retour du parloir" in client.get(url + "?nature=pat_down").content.decode()


def test_the_record_form_shows_the_refusal(client, custody, security):
    client.force_login(security)
    url = reverse("life:search_add", args=[custody.facility_id])
    body = {"kind": "pat_down", "prisoner_number": _number(custody), "reason": "Contrôle",
            "searcher_sex": "F", "searched_at": ""}
    response = client.post(url, body)
    assert response.status_code == 200 and "même sexe" in response.content.decode()
    assert not Search.objects.exists()
    body["searcher_sex"] = "M"
    body.update({"item_1": "Briquet", "item_1_outcome": "kept"})
    response = client.post(url, body)
    assert response.status_code == 302
    assert Search.objects.get().items.get().description == "Briquet"


def test_the_force_forms(client, custody, security, medical, director):
    client.force_login(security)
    response = client.post(reverse("life:force_add", args=[custody.facility_id]), {
        "prisoner_number": _number(custody), "place": "Cour", "other_staff": "Sgt Keïta",
        "reason_kind": "self_defence", "reason": "A frappé un surveillant", "means": "physical",
        "duration_minutes": "5", "occurred_at": ""})
    assert response.status_code == 302, response.content.decode()
    entry = UseOfForce.objects.get()
    assert client.get(reverse("life:force_examination", args=[entry.pk])).status_code == 403
    client.force_login(medical)
    assert client.post(reverse("life:force_examination", args=[entry.pk]), {"examined_at": ""}).status_code == 302
    client.force_login(director)
    assert client.post(reverse("life:force_report", args=[entry.pk]), {"reported_at": ""}).status_code == 302
    entry.refresh_from_db()
    assert entry.examined_by == medical and entry.report_recorded_by == director


def test_another_prison_gets_404(client, search, force, other_clerk, custody, koulikoro):
    from accounts.roles import Role
    from tests import factories

    officer = factories.staff(Role.DIRECTOR, koulikoro, username="directeur.klk")
    client.force_login(officer)
    assert client.get(reverse("life:search_detail", args=[search.pk])).status_code == 404
    assert client.get(reverse("life:search_list", args=[custody.facility_id])).status_code == 404
    assert client.get(reverse("life:force_detail", args=[force.pk])).status_code == 404
    assert client.get(reverse("life:force_list", args=[custody.facility_id])).status_code == 404
    assert client.get(reverse("life:force_review", args=[force.pk])).status_code == 404
    assert client_for(officer).get(f"/api/v1/searches/{search.pk}/").status_code == 404
    assert client_for(officer).get(f"/api/v1/uses-of-force/{force.pk}/").status_code == 404
    assert client_for(officer).get("/api/v1/searches/").json()["count"] == 0
    assert client_for(officer).post(f"/api/v1/uses-of-force/{force.pk}/review/", {"outcome": "x"},
                             format="json").status_code == 404


def test_wrong_role_gets_403(client, search, force, social, medical, other_clerk, custody):
    client.force_login(social)
    assert client.get(reverse("life:search_detail", args=[search.pk])).status_code == 403
    assert client.get(reverse("life:force_list", args=[custody.facility_id])).status_code == 403
    assert client_for(social).get("/api/v1/searches/").status_code == 403
    assert client_for(social).get("/api/v1/uses-of-force/").status_code == 403
    assert client_for(medical).get("/api/v1/searches/").status_code == 403  # health staff read the force register only
    assert client_for(medical).get(f"/api/v1/uses-of-force/{force.pk}/").status_code == 200


def test_dnapes_and_the_monitor_read(search, force, manager, authorised_monitor, client, custody):
    assert client_for(manager).get(f"/api/v1/searches/{search.pk}/").status_code == 200
    assert client_for(authorised_monitor).get(f"/api/v1/uses-of-force/{force.pk}/").status_code == 200
    assert client_for(authorised_monitor).post("/api/v1/searches/", {}, format="json").status_code == 403
    client.force_login(authorised_monitor)
    assert client.get(reverse("life:search_detail", args=[search.pk])).status_code == 200
    assert client.get(reverse("life:search_add", args=[custody.facility_id])).status_code == 403
    assert _read_entries(UseOfForce, force.pk).filter(actor=authorised_monitor).exists()


def test_api_search_create_and_refusals(custody, security, cell):
    body = {"facility": custody.facility_id, "kind": "strip", "custody": custody.pk, "reason": "Suspicion",
            "searcher_sex": "F"}
    response = client_for(security).post("/api/v1/searches/", body, format="json")
    assert response.status_code == 400 and "même sexe" in response.content.decode()
    response = client_for(security).post("/api/v1/searches/", {"facility": custody.facility_id, "kind": "cell",
                                                         "reason": "Fouille générale"}, format="json")
    assert response.status_code == 400 and "cellule" in response.content.decode()
    body.update(searcher_sex="M", items=[{"description": "Clé", "outcome": "destroyed"}])
    response = client_for(security).post("/api/v1/searches/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["items"] == [{"description": "Clé", "outcome": "destroyed", "reference": ""}]
    assert client_for(security).get(f"/api/v1/searches/{response.json()['id']}/").status_code == 200


def test_api_force_create_and_actions(custody, security, medical, director):
    body = {"custody": custody.pk, "place": "Cour", "staff": [security.pk], "reason_kind": "escape",
            "reason": "Tentative d'évasion", "means": "chains"}
    response = client_for(security).post("/api/v1/uses-of-force/", body, format="json")
    assert response.status_code == 400 and "Règle 47" in response.content.decode()
    body.update(means="handcuffs", duration_minutes=200)
    response = client_for(security).post("/api/v1/uses-of-force/", body, format="json")
    assert response.status_code == 400 and "contrôlée" in response.content.decode()
    body.pop("duration_minutes")
    response = client_for(security).post("/api/v1/uses-of-force/", body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client_for(security).post(f"/api/v1/uses-of-force/{pk}/examination/", {}, format="json").status_code == 403
    assert client_for(medical).post(f"/api/v1/uses-of-force/{pk}/examination/", {}, format="json").status_code == 200
    assert client_for(security).post(f"/api/v1/uses-of-force/{pk}/report/", {}, format="json").status_code == 200
    assert client_for(security).post(f"/api/v1/uses-of-force/{pk}/review/", {"outcome": "x"},
                              format="json").status_code == 403
    assert client_for(director).post(f"/api/v1/uses-of-force/{pk}/review/", {"outcome": "Levée ordonnée"},
                              format="json").status_code == 200
    response = client_for(security).post(f"/api/v1/uses-of-force/{pk}/duration/", {"duration_minutes": 200}, format="json")
    assert response.status_code == 200 and response.json()["duration_minutes"] == 200


def test_the_inspection_view_shows_both_registers(search, force, custody, director, security):
    late = use_of_force(custody, actor=security, at=ago(days=3), duration_minutes=10)
    force_services.record_force_report(late, actor=director)
    view = read_inspection(custody.facility_id, actor=director)
    sections = {s["key"]: s for s in view["sections"]}
    assert list(sections)[-3:] == ["searches", "incidents", "force"]
    assert sections["searches"]["count"] == 1 and len(sections["searches"]["rows"]) == 1
    labels = [o["label"] for o in sections["force"]["overdue"]]
    assert sections["force"]["count"] == 2
    assert sum("examen médical" in label for label in labels) == 2
    assert sum("jour même" in label for label in labels) == 2
    assert sum("sans contrôle" in label for label in labels) == 1  # the one still lasting, two days on
