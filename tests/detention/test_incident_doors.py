"""The doors of the register of serious incidents and injuries: pages and API, scoping (404), roles
(403), audited reads, and the medical details for medical staff only (superusers and monitors
not exempt; the ICRC's own doctor when the authorisation records it)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.roles import Role
from detention.models import InjuryMedicalDetail, SeriousIncident
from detention.services import incidents
from tests import factories
from tests.api_clients import client_for
from tests.custody_fixtures import custody  # noqa: F401
from tests.detention.discipline_fixtures import ago  # noqa: F401
from tests.outside_fixtures import authorised_monitor, grant, monitor  # noqa: F401

pytestmark = pytest.mark.django_db

SECRET = "Fracture ouverte du tibia"


@pytest.fixture
def injury(custody, medical):
    return incidents.record_injury(custody, occurred_at=ago(hours=2), place="Cour A",
                                   circumstances="Chute lors de la promenade", nature_of_injuries=SECRET,
                                   treatment="Attelle", examining_doctor="Dr Keïta", actor=medical)


def _pages(injury, custody):
    return [reverse("life:incident_list", args=[custody.facility_id]),
            reverse("life:incident_detail", args=[injury.pk])]


def test_pages_for_the_prison_and_the_read_is_audited(client, injury, director, custody):
    client.force_login(director)
    for url in _pages(injury, custody):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Cour A" in body and SECRET not in body
    assert "Chute lors de la promenade" in body  # the detail: the circumstances
    assert "non prévenue" in body  # the family not yet told, flagged
    assert AuditEntry.objects.filter(target_id=str(injury.pk), target_type__model="seriousincident",
                                     action="view", actor=director).exists()
    assert not AuditEntry.objects.filter(target_type__model="injurymedicaldetail", action="view").exists()
    life = client.get(reverse("life:custody_life", args=[custody.pk])).content.decode()
    assert reverse("life:incident_detail", args=[injury.pk]) in life and SECRET not in life


def test_the_period_filter(client, injury, director, custody):
    client.force_login(director)
    url = reverse("life:incident_list", args=[custody.facility_id])
    past = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    response = client.get(url, {"debut": past, "fin": past})
    assert response.status_code == 200 and "Cour A" not in response.content.decode()
    day = timezone.localtime(injury.occurred_at).date().isoformat()
    assert "Cour A" in client.get(url, {"debut": day, "fin": day}).content.decode()


def test_medical_staff_read_the_medical_details_audited(client, injury, medical):
    client.force_login(medical)
    assert SECRET in client.get(reverse("life:incident_detail", args=[injury.pk])).content.decode()
    response = client_for(medical).get(f"/api/v1/serious-incidents/{injury.pk}/medical/")
    assert response.status_code == 200 and response.json()["nature_of_injuries"] == SECRET
    assert AuditEntry.objects.filter(target_type__model="injurymedicaldetail", action="view", actor=medical).exists()


@pytest.mark.parametrize("role", ["director", "security", "superuser", "dnapes"])
def test_no_one_else_reads_the_medical_details(client, injury, bamako, role, director, security, manager):
    actor = {"director": director, "security": security, "dnapes": manager,
             "superuser": factories.staff(Role.DIRECTOR, bamako, username="super.bko", is_superuser=True)}[role]
    client.force_login(actor)
    assert SECRET not in client.get(reverse("life:incident_detail", args=[injury.pk])).content.decode()
    assert client_for(actor).get(f"/api/v1/serious-incidents/{injury.pk}/medical/").status_code == 403
    answer = client_for(actor).get(f"/api/v1/serious-incidents/{injury.pk}/")
    assert answer.status_code == 200 and SECRET not in answer.content.decode()
    assert client_for(actor).post(f"/api/v1/serious-incidents/{injury.pk}/medical/", {
        "nature_of_injuries": "x", "examining_doctor": "y"}, format="json").status_code == 403


def test_a_monitor_reads_the_register_never_the_medical_details(client, injury, authorised_monitor):
    client.force_login(authorised_monitor)
    response = client.get(reverse("life:incident_detail", args=[injury.pk]))
    assert response.status_code == 200 and SECRET not in response.content.decode()
    assert client_for(authorised_monitor).get(f"/api/v1/serious-incidents/{injury.pk}/medical/").status_code == 403
    assert client_for(authorised_monitor).get("/api/v1/serious-incidents/").json()["count"] == 1


def test_the_icrc_doctor_reads_them_when_the_authorisation_records_it(injury, manager, bamako):
    doctor = factories.staff(Role.MONITOR, username="cicr.medecin")
    grant(doctor, [bamako], actor=manager, body="icrc", medical_access=True,
          medical_access_authorised_by="DNAPES, décision n° 14/2026")
    doctor = type(doctor).objects.get(pk=doctor.pk)
    response = client_for(doctor).get(f"/api/v1/serious-incidents/{injury.pk}/medical/")
    assert response.status_code == 200 and response.json()["nature_of_injuries"] == SECRET


def test_another_prison_gets_404(client, injury, other_clerk, custody, koulikoro):
    klk_director = factories.staff(Role.DIRECTOR, koulikoro, username="directeur.klk")
    klk_medical = factories.staff(Role.MEDICAL, koulikoro, username="medecin.klk")
    client.force_login(klk_director)
    for url in _pages(injury, custody):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("life:incident_authority", args=[injury.pk])).status_code == 404
    assert client_for(klk_director).get(f"/api/v1/serious-incidents/{injury.pk}/").status_code == 404
    assert client_for(klk_director).get("/api/v1/serious-incidents/").json()["count"] == 0
    assert client_for(klk_medical).get(f"/api/v1/serious-incidents/{injury.pk}/medical/").status_code == 404
    response = client_for(klk_director).post(f"/api/v1/serious-incidents/{injury.pk}/authority/",
                                      {"authority": "Procureur"}, format="json")
    assert response.status_code == 404


def test_wrong_role_gets_403(client, injury, social, clerk, custody):
    for user in (social, clerk):
        client.force_login(user)
        assert client.get(reverse("life:incident_detail", args=[injury.pk])).status_code == 403
        assert client.get(reverse("life:incident_list", args=[custody.facility_id])).status_code == 403
        assert client_for(user).get("/api/v1/serious-incidents/").status_code == 403
    client.force_login(social)
    assert client.get(reverse("life:injury_add", args=[custody.pk])).status_code == 403


def test_security_records_an_incident_and_the_notices_through_the_pages(client, security, custody):
    client.force_login(security)
    url = reverse("life:incident_add", args=[custody.facility_id])
    assert client.get(url).status_code == 200
    when = timezone.localtime(ago(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"kind": "attempted_suicide", "custody": custody.pk, "occurred_at": when,
                                 "place": "Cellule A1", "circumstances": "Découvert par le surveillant"})
    assert response.status_code == 302, response.content.decode()[:2000]
    made = SeriousIncident.objects.get()
    response = client.post(reverse("life:incident_kin", args=[made.pk]), {"name": "", "method": "", "at": ""})
    assert response.status_code == 200 and "Indiquez le nom du parent prévenu." in response.content.decode()
    assert client.post(reverse("life:incident_kin", args=[made.pk]),
                       {"name": "Awa Traoré", "method": "phone", "at": ""}).status_code == 302
    assert client.post(reverse("life:incident_authority", args=[made.pk]),
                       {"authority": "Procureur de la République", "reference": "ST-1", "at": ""}).status_code == 302
    assert client.post(reverse("life:incident_inquiry", args=[made.pk]),
                       {"authority": "Parquet", "reference": "PV-2", "outcome": "", "closed_on": ""}).status_code == 302
    made.refresh_from_db()
    assert made.kin_name == "Awa Traoré" and made.authority_reference == "ST-1" and made.inquiry_reference == "PV-2"
    assert not made.missing(timezone.now())


def test_medical_staff_record_an_injury_through_the_page(client, medical, custody):
    client.force_login(medical)
    url = reverse("life:injury_add", args=[custody.pk])
    assert client.get(url).status_code == 200
    when = timezone.localtime(ago(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"occurred_at": when, "place": "Atelier", "circumstances": "Coupure à l'atelier",
                                 "nature_of_injuries": SECRET, "treatment": "", "examining_doctor": "Dr Keïta",
                                 "examined_at": ""})
    assert response.status_code == 302
    assert InjuryMedicalDetail.objects.get().nature_of_injuries == SECRET


def test_api_create_actions_and_refusals(security, medical, custody):
    body = {"facility": custody.facility_id, "custody": custody.pk, "kind": "serious_injury",
            "occurred_at": (timezone.now() + datetime.timedelta(hours=3)).isoformat(), "place": "Cour",
            "circumstances": "Chute"}
    response = client_for(security).post("/api/v1/serious-incidents/", body, format="json")
    assert response.status_code == 400 and "futur" in response.content.decode()
    assert client_for(medical).post("/api/v1/serious-incidents/", body, format="json").status_code == 403
    body["occurred_at"] = ago(hours=1).isoformat()
    response = client_for(security).post("/api/v1/serious-incidents/", body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["kin_required"] and response.json()["authority_required"]
    assert client_for(security).post(f"/api/v1/serious-incidents/{pk}/kin/", {"name": "", "method": "phone"},
                              format="json").status_code == 400
    assert client_for(security).post(f"/api/v1/serious-incidents/{pk}/kin/", {"name": "Awa", "method": "phone"},
                              format="json").status_code == 200
    assert client_for(security).post(f"/api/v1/serious-incidents/{pk}/authority/", {"authority": "Procureur"},
                              format="json").json()["authority"] == "Procureur"
    assert client_for(security).post(f"/api/v1/serious-incidents/{pk}/inquiry/", {"authority": "Parquet",
                              "reference": "PV-3"}, format="json").status_code == 200
    response = client_for(medical).post(f"/api/v1/serious-incidents/{pk}/medical/", {
        "nature_of_injuries": SECRET, "examining_doctor": "Dr Keïta"}, format="json")
    assert response.status_code == 201, response.content
    response = client_for(medical).post("/api/v1/serious-incidents/injuries/", {
        "custody": custody.pk, "occurred_at": ago(minutes=30).isoformat(), "place": "Cour",
        "circumstances": "Chute", "nature_of_injuries": SECRET, "examining_doctor": "Dr Keïta"}, format="json")
    assert response.status_code == 201, response.content
    assert client_for(security).post("/api/v1/serious-incidents/injuries/", {
        "custody": custody.pk, "occurred_at": ago(minutes=30).isoformat(), "place": "Cour",
        "circumstances": "Chute", "nature_of_injuries": SECRET, "examining_doctor": "Dr Keïta"},
        format="json").status_code == 403
