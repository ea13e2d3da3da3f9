"""Release on time and deaths in custody through both doors (pages and API): the clerk's forms,
the director's register (per prison) and DNAPES's (national), role refusals, another prison's
record a 404, reads audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.roles import Role
from casework import services as case_services
from casework.models import AlertKind, DeadlineAlert, ReleaseOrder
from casework.releases import services as releases
from inmates.models import Custody, CustodyStatus, DeathInCustody
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(inmate):
    return Custody.objects.get(inmate=inmate).cases.get()


@pytest.fixture
def other_case(koulikoro, other_clerk):
    inmate = factories.detainee(koulikoro, actor=other_clerk, last_name="KOULIBALY")
    return Custody.objects.get(inmate=inmate).cases.get()


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def late_order(case, actor, hours=30):
    return releases.record_release_order(
        case, actor=actor, kind="provisional", received_at=timezone.now() - dt.timedelta(hours=hours),
        brought_by="Planton du tribunal", authority="Chambre d'accusation", reference=f"LP-{case.pk}")


ORDER_POST = {"kind": "court_order", "brought_by": "Gendarme Keïta", "authority": "Juge d'instruction",
              "reference": "OML 2026/7"}


def test_the_clerk_records_an_order_on_the_page_and_executes_it(client, clerk, case):
    client.force_login(clerk)
    url = reverse("casework:release_order_add", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**ORDER_POST, "received_at": local(timezone.now() - dt.timedelta(hours=2))})
    assert response.status_code == 302
    order = ReleaseOrder.objects.get(case=case)
    assert DeadlineAlert.objects.filter(case=case, kind=AlertKind.RELEASE_DUE, closed_at__isnull=True).exists()
    body = client.get(reverse("inmates:inmate_detail", args=[case.custody.inmate_id])).content.decode()
    assert "sortie à exécuter sans délai" in body and reverse("casework:release_order_execute", args=[order.pk]) in body
    response = client.post(reverse("casework:release_order_execute", args=[order.pk]), {"file_extract_given": "on"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.executed_at and response["Location"] == reverse("life:release_receipt", args=[order.release_id])
    assert Custody.objects.get(pk=case.custody_id).status == CustodyStatus.RELEASED


def test_a_bad_order_is_a_form_error_not_a_500(client, clerk, case):
    client.force_login(clerk)
    response = client.post(reverse("casework:release_order_add", args=[case.pk]),
                           {**ORDER_POST, "brought_by": "", "received_at": local(timezone.now() + dt.timedelta(days=1))})
    assert response.status_code == 200 and "futur" in response.content.decode()
    assert not ReleaseOrder.objects.exists()


def test_roles_and_other_prisons_are_refused_on_the_pages(client, case, other_clerk, bamako):
    security = factories.staff(Role.SECURITY, bamako)
    client.force_login(security)
    assert client.get(reverse("casework:release_order_add", args=[case.pk])).status_code == 403
    assert client.get(reverse("deadlines:late_releases")).status_code == 403
    order = late_order(case, factories.staff(Role.CLERK, bamako))
    client.force_login(other_clerk)
    assert client.get(reverse("casework:release_order_add", args=[case.pk])).status_code == 404
    assert client.post(reverse("casework:release_order_execute", args=[order.pk])).status_code == 404
    assert ReleaseOrder.objects.get(pk=order.pk).executed_at is None


def test_the_register_per_prison_and_nationally_with_the_delay_in_hours(client, clerk, director, manager, case,
                                                                         other_case, other_clerk, bamako):
    late_order(case, clerk, hours=30)
    late_order(other_case, other_clerk, hours=50)
    on_time = factories.detainee(bamako, actor=clerk, last_name="DIALLO")
    releases.record_release_order(Custody.objects.get(inmate=on_time).cases.get(), actor=clerk, kind="pardon",
                                  received_at=timezone.now() - dt.timedelta(hours=1), brought_by="Courrier",
                                  authority="Présidence", reference="Décret 2026-1")
    client.force_login(director)
    body = client.get(reverse("deadlines:late_releases")).content.decode()
    assert "TRAORÉ" in body and "KOULIBALY" not in body and "DIALLO" not in body
    assert "30,0" in body and "toujours détenu" in body and "Inculpé, en attente de jugement" in body
    # One LIST entry, as every list of people's records (accounts.reads): the register and its count.
    entry = AuditEntry.objects.filter(actor=director, action="list").latest("id")
    assert (entry.changes["liste"], entry.changes["résultats"]) == ("Registre des sorties en retard", 1)
    client.force_login(manager)
    body = client.get(reverse("deadlines:late_releases")).content.decode()
    assert "TRAORÉ" in body and "KOULIBALY" in body
    csv_body = client.get(reverse("deadlines:late_release_csv"), {"facility": other_case.custody.facility_id})
    text = csv_body.content.decode()
    assert "KOULIBALY" in text and "TRAORÉ" not in text and "50,0" in text  # decimal comma in French


def test_the_api_records_lists_and_executes_an_order(client, clerk, case):
    client.force_login(clerk)
    response = client.post("/api/v1/release-orders/", {**ORDER_POST, "case": case.pk,
                           "received_at": (timezone.now() - dt.timedelta(hours=26)).isoformat()},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["late"] is True and data["legal_status"] == "charged"
    assert DeadlineAlert.objects.filter(case=case, kind=AlertKind.LATE_RELEASE, closed_at__isnull=True).exists()
    assert client.get(f"/api/v1/release-orders/{data['id']}/").status_code == 200
    assert AuditEntry.objects.filter(target_type__model="releaseorder", target_id=str(data["id"]),
                                     action="view").exists()
    register = client.get("/api/v1/reports/late-releases/").json()
    assert register["count"] == 1 and register["results"][0]["hours_waited"] >= 26
    response = client.post(f"/api/v1/release-orders/{data['id']}/execute/", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["delay_hours"] is not None
    response = client.post(f"/api/v1/release-orders/{data['id']}/execute/", {}, content_type="application/json")
    assert response.status_code == 400 and "exécutée" in str(response.json())


def test_the_api_refuses_other_prisons_and_other_roles(client, clerk, case, other_clerk, bamako, koulikoro):
    order = late_order(case, clerk)
    client.force_login(other_clerk)
    assert client.get(f"/api/v1/release-orders/{order.pk}/").status_code == 404
    assert client.post(f"/api/v1/release-orders/{order.pk}/execute/", {}, content_type="application/json"
                       ).status_code == 404
    assert client.get("/api/v1/reports/late-releases/", {"facility": bamako.pk}).status_code == 404
    assert client.get("/api/v1/release-orders/").json()["count"] == 0
    response = client.post("/api/v1/release-orders/", {**ORDER_POST, "case": case.pk,
                           "received_at": timezone.now().isoformat()}, content_type="application/json")
    assert response.status_code == 400 and "case" in response.json()
    client.force_login(factories.staff(Role.SECURITY, bamako))
    assert client.get("/api/v1/release-orders/").status_code == 403
    assert client.get("/api/v1/reports/late-releases/").status_code == 403
    client.force_login(factories.staff(Role.DNAPES))
    assert client.post("/api/v1/release-orders/", {**ORDER_POST, "case": case.pk,
                       "received_at": timezone.now().isoformat()}, content_type="application/json").status_code == 403


def test_the_sentence_end_is_shown_on_the_file(client, clerk, case):
    case_services.record_judgment(case, actor=clerk, decided_on=timezone.localdate(), verdict="convicted",
                                  sentence_months=6)
    case.refresh_from_db()
    client.force_login(clerk)
    body = client.get(reverse("inmates:inmate_detail", args=[case.custody.inmate_id])).content.decode()
    assert "Fin de peine (date de libération)" in body and case.sentence_ends_on.strftime("%d/%m/%Y") in body


# --- deaths in custody ------------------------------------------------------------------------

DEATH_POST = {"place": "Infirmerie de la maison centrale", "circumstances": "Malaise cardiaque en cellule, "
              "constaté par le surveillant de nuit ; médecin appelé à 02 h 10."}


def test_a_death_declared_on_the_page_ends_the_stay_and_missing_notices_are_critical(client, clerk, inmate):
    custody = Custody.objects.get(inmate=inmate)
    client.force_login(clerk)
    url = reverse("life:death_add", args=[custody.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**DEATH_POST, "died_at": local(timezone.now() - dt.timedelta(hours=3))})
    assert response.status_code == 302, response.content.decode()[:3000]
    custody.refresh_from_db()
    assert custody.status == CustodyStatus.RELEASED and custody.release_reason == "death"
    body = client.get(reverse("inmates:inmate_detail", args=[inmate.pk])).content.decode()
    assert "Famille non prévenue (Règle 69)" in body and "Autorité judiciaire non informée (Règle 71)" in body
    death = DeathInCustody.objects.get(custody=custody)
    response = client.post(reverse("life:death_notifications", args=[death.pk]), {
        "kin_told_at": local(timezone.now() - dt.timedelta(hours=2)), "kin_name": "Fatoumata TRAORÉ (épouse)",
        "kin_method": "phone"})
    assert response.status_code == 302
    death.refresh_from_db()
    assert death.kin_told_by == clerk and death.missing_notifications == ["Autorité judiciaire non informée (Règle 71)"]


def test_a_death_needs_its_circumstances_and_who_was_told_how(client, clerk, inmate):
    custody = Custody.objects.get(inmate=inmate)
    client.force_login(clerk)
    response = client.post(reverse("life:death_add", args=[custody.pk]), {
        "place": "Cellule A1", "circumstances": " ", "died_at": local(timezone.now()),
        "authority_informed_at": local(timezone.now())})
    assert response.status_code == 200
    body = response.content.decode()
    assert "circonstances" in body.lower()
    assert not DeathInCustody.objects.exists()
    assert Custody.objects.get(pk=custody.pk).status == CustodyStatus.HELD


def test_deaths_through_the_api_with_refusals(client, clerk, inmate, other_clerk, bamako):
    custody = Custody.objects.get(inmate=inmate)
    client.force_login(factories.staff(Role.SECURITY, bamako))
    payload = {**DEATH_POST, "custody": custody.pk, "died_at": (timezone.now() - dt.timedelta(hours=1)).isoformat()}
    assert client.post("/api/v1/deaths/", payload, content_type="application/json").status_code == 403
    client.force_login(other_clerk)
    assert client.post("/api/v1/deaths/", payload, content_type="application/json").status_code == 400
    client.force_login(clerk)
    response = client.post("/api/v1/deaths/", {**payload, "authority": "Procureur de la République, Commune III",
                                               "authority_method": "letter",
                                               "authority_informed_at": timezone.now().isoformat()},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["missing_notifications"] == ["Famille non prévenue (Règle 69)"] and data["legal_status"]
    client.force_login(other_clerk)
    assert client.get(f"/api/v1/deaths/{data['id']}/").status_code == 404
    assert client.post(f"/api/v1/deaths/{data['id']}/notifications/", {}, content_type="application/json"
                       ).status_code == 404
    client.force_login(clerk)
    response = client.post(f"/api/v1/deaths/{data['id']}/notifications/", {
        "kin_told_at": timezone.now().isoformat(), "kin_method": "in_person"}, content_type="application/json")
    assert response.status_code == 400 and "kin_name" in response.json()
    response = client.post(f"/api/v1/deaths/{data['id']}/notifications/", {
        "kin_told_at": timezone.now().isoformat(), "kin_method": "in_person", "kin_name": "Moussa TRAORÉ (frère)"},
        content_type="application/json")
    assert response.status_code == 200 and response.json()["missing_notifications"] == []
    assert client.get(f"/api/v1/deaths/{data['id']}/").status_code == 200
