import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from inmates.models import CustodyStatus, Inmate
from intake.models import Finger, Intake, StepRecord
from tests import factories
from tests.api_clients import client_for

from .conftest import pdf, png

pytestmark = pytest.mark.django_db


def arrival_payload(**overrides):
    now = timezone.now()
    data = {
        "facility": "BKO", "identity_decision": "new",
        "last_name": "Ag Ghaly", "first_name": "Alhousseini", "sex": "M", "birth_year": 1987,
        "region_of_origin": "KID", "warrant_number": "MD-7/2026", "warrant_kind": "committal",
        "issued_by": "Juge d'instruction, pôle spécialisé", "issued_on": str(timezone.localdate()),
        "court": "PJS-C6",
        "charges": [{"offence": "Association de malfaiteurs terroriste", "legal_class": "crime",
                     "terrorism_related": True}],
        "arresting_force": "army", "arrested_at": (now - datetime.timedelta(days=9)).isoformat(),
        "arrest_place": "Kidal",
        "prior_custodies": [{"kind": "state_security", "place": "Sécurité d'État, Bamako",
                             "started_at": (now - datetime.timedelta(days=7)).isoformat()}],
    }
    data.update(overrides)
    return data


def administration_multipart():
    data = {"identity_confirmed": "true", "photo": png(), "warrant_scan": pdf(),
            "relatives": json.dumps([{"name": "Fadimata Walet", "relation": "mother",
                                      "is_next_of_kin": True}])}
    for finger in Finger:
        data[f"fingerprint_{finger.value}"] = png(f"{finger.value}.png")
    return data


# The briefing of the security step (Rules 54–55, 111), as the API takes it.
BRIEFING = {"can_read": True, "acknowledgement": "signature", "charges_communicated": True,
            "charges_communicated_at": "2026-01-05T10:00:00Z", "charges_communicated_by": "Greffier Traoré"}

STEP_PAYLOADS = {
    "registry": lambda: {"items": [{"category": "id_papers", "description": "Carte NINA"}],
                         "seal_number": "S-77", "storage_place": "Casier 3", "acknowledgement": "signature"},
    "medical": lambda: {"fit_for_detention": True, "contagious_screening": "RAS",
                        "visible_injuries": True, "injuries_description": "Cicatrices aux poignets",
                        "report_authority": "Procureur du pôle spécialisé",
                        "report_date": str(timezone.localdate())},
    "interview": lambda: {"background": "Éleveur.", "family_situation": "Célibataire.",
                          "conclusions": "Demande un avocat.", "needs": ["lawyer"],
                          "affiliations": ["unknown"], "involvement": "denies"},
}


@pytest.fixture
def team(bamako, clerk):
    return {
        "clerk": clerk,
        "security": factories.staff(Role.SECURITY, bamako),
        "medical": factories.staff(Role.MEDICAL, bamako),
        "social": factories.staff(Role.SOCIAL, bamako),
    }


def test_whole_sequence_through_the_api(team, cell):
    created = client_for(team["clerk"]).post("/api/v1/arrivals/", arrival_payload(), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["next_step"]["slug"] == "security" and body["legal_status"] in ("suspect", "charged")
    assert body["terrorism_related"] is True
    url = f"/api/v1/intakes/{body['id']}/"
    counts = {}
    steps = [("security", "security", {"rules_explained": True, "rules_language": "tamasheq",
                                       "rules_mode": "oral", "search_done": True, "unit": cell.pk,
                                       **BRIEFING}),
             ("administration", "clerk", None), ("registry", "clerk", None),
             ("medical", "medical", None), ("interview", "social", None)]
    for slug, who, payload in steps:
        client = client_for(team[who])
        with CaptureQueriesContext(connection) as queries:
            if slug == "administration":
                response = client.post(url + slug + "/", administration_multipart(), format="multipart")
            else:
                response = client.post(url + slug + "/", payload or STEP_PAYLOADS[slug](), format="json")
        assert response.status_code == 200, (slug, response.json())
        counts[slug] = len(queries)
    print("\nQueries per step (API):", counts)
    state = client_for(team["clerk"]).get(url).json()
    assert state["status"] == "completed" and state["next_step"] is None
    assert state["medical_check"] == "apte"
    assert [s["done"] for s in state["steps"]] == [True] * 5
    assert "contagious_screening" not in json.dumps(state)
    intake = Intake.objects.get(pk=body["id"])
    assert intake.custody.status == CustodyStatus.HELD
    assert intake.inmate.prisoner_number.startswith("BKO-")
    assert all(n < 120 for n in counts.values()), counts


def test_missing_warrant_fields_are_a_400_in_french_and_nothing_is_created(clerk):
    before = Inmate.objects.count()
    response = client_for(clerk).post("/api/v1/arrivals/", arrival_payload(
        warrant_number="", issued_by="", charges=[]), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "Manque au titre de détention" in errors["warrant_number"][0]
    assert "charges" in errors and "issued_by" in errors
    assert Inmate.objects.count() == before and not Intake.objects.exists()


def test_security_officer_cannot_register_an_arrival(team):
    response = client_for(team["security"]).post("/api/v1/arrivals/", arrival_payload(), format="json")
    assert response.status_code == 403


@pytest.fixture
def intake_id(team):
    response = client_for(team["clerk"]).post("/api/v1/arrivals/", arrival_payload(), format="json")
    return response.json()["id"]


def test_out_of_order_step_is_a_409_and_nothing_written(team, intake_id):
    response = client_for(team["clerk"]).post(
        f"/api/v1/intakes/{intake_id}/registry/", STEP_PAYLOADS["registry"](), format="json")
    assert response.status_code == 409
    assert "Sécurité" in response.json()["detail"]
    assert not StepRecord.objects.exists()


def test_step_twice_is_a_409(team, intake_id, cell):
    payload = {"rules_explained": True, "rules_language": "bambara", "rules_mode": "oral",
               "search_done": True, "unit": cell.pk, **BRIEFING}
    client = client_for(team["security"])
    assert client.post(f"/api/v1/intakes/{intake_id}/security/", payload, format="json").status_code == 200
    again = client.post(f"/api/v1/intakes/{intake_id}/security/", payload, format="json")
    assert again.status_code == 409 and "déjà été effectuée" in again.json()["detail"]


def test_wrong_role_is_a_403(team, intake_id, cell):
    response = client_for(team["clerk"]).post(f"/api/v1/intakes/{intake_id}/security/", {
        "rules_explained": True, "rules_language": "bambara", "rules_mode": "oral",
        "search_done": True, "unit": cell.pk, **BRIEFING}, format="json")
    assert response.status_code == 403


def test_another_prisons_intake_is_a_404(intake_id, other_clerk, koulikoro):
    assert client_for(other_clerk).get(f"/api/v1/intakes/{intake_id}/").status_code == 404
    officer = factories.staff(Role.SECURITY, koulikoro)
    assert client_for(officer).post(f"/api/v1/intakes/{intake_id}/security/", {},
                                    format="json").status_code == 404


def test_bad_step_data_is_a_400_with_field_messages(team, intake_id, cell):
    response = client_for(team["security"]).post(f"/api/v1/intakes/{intake_id}/security/", {
        "rules_explained": False, "search_done": True, "unit": cell.pk}, format="json")
    assert response.status_code == 400
    assert "Règles 54–55" in response.json()["rules_explained"][0]
    assert not StepRecord.objects.exists()


def test_reading_an_intake_leaves_an_audit_entry(team, intake_id):
    client_for(team["social"]).get(f"/api/v1/intakes/{intake_id}/")
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, actor=team["social"],
                                     target_id=str(intake_id)).exists()


def test_list_shows_intakes_in_progress_and_the_stalled(team, intake_id, settings):
    client = client_for(team["clerk"])
    assert [i["id"] for i in client.get("/api/v1/intakes/").json()["results"]] == [intake_id]
    assert client.get("/api/v1/intakes/?stalled=true").json()["results"] == []
    Intake.objects.filter(pk=intake_id).update(last_activity_at=timezone.now() - datetime.timedelta(days=3))
    stalled = client.get("/api/v1/intakes/?stalled=true").json()["results"]
    assert [i["id"] for i in stalled] == [intake_id] and stalled[0]["is_stalled"]


def test_matches_endpoint_finds_other_spellings_and_swapped_names(bamako, clerk):
    factories.detainee(bamako, actor=clerk, last_name="TRAORÉ", first_name="Mahamadou", birth_year=1988)
    factories.detainee(bamako, actor=clerk, last_name="Diallo", first_name="Amadou", birth_year=2001)
    response = client_for(clerk).get("/api/v1/inmates/matches/",
                                     {"last_name": "Mohamed", "first_name": "Traore", "birth_year": 1988})
    assert response.status_code == 200
    found = response.json()
    assert [m["name"] for m in found] == ["Mahamadou TRAORÉ"]
    assert found[0]["in_custody"] is True and found[0]["score"] > 0.8


def test_matches_endpoint_requires_the_registration_permission(team):
    response = client_for(team["medical"]).get("/api/v1/inmates/matches/", {"last_name": "Traore"})
    assert response.status_code == 403
    assert client_for(team["clerk"]).get("/api/v1/inmates/matches/").status_code == 400


def test_readmission_through_the_api(bamako, clerk):
    known = factories.detainee(bamako, actor=clerk, last_name="Ag Ghaly", first_name="Alhousseyni")
    custody = known.custodies.get()
    custody.status, custody.released_at, custody.release_reason = "released", timezone.now(), "pardon"
    custody.save()
    response = client_for(clerk).post("/api/v1/arrivals/", arrival_payload(
        identity_decision="readmission", inmate=known.pk), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["inmate"]["id"] == known.pk
    assert Intake.objects.get().identity_decision == "readmission"


def test_schema_documents_the_intake_endpoints_and_their_errors(clerk):
    schema = client_for(clerk).get("/api/schema/?format=json").json()
    step = schema["paths"]["/api/v1/intakes/{id}/security/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409"} <= set(step)
    assert "/api/v1/inmates/matches/" in schema["paths"] and "/api/v1/arrivals/" in schema["paths"]
