"""Monitors (issue 14, item 7): an authorisation granted by DNAPES or an administrator opens a
CNDH / ICRC / visiting magistrate account, for its prisons and its period only; never medical
details (the ICRC's own doctor excepted, when the authorisation records it); outside the period
the account is closed (sign-in, pages, API tokens)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts import monitors, need_to_know
from accounts.models import AuditAction, AuditEntry, MonitorAuthorisation
from accounts.roles import Role
from tests import factories
from tests.outside_fixtures import (  # noqa: F401 — fixtures
    MEDICAL_SECRET,
    PASSWORD,
    authorised_monitor,
    grant,
    medical_intake,
    monitor,
    token_client,
)

pytestmark = pytest.mark.django_db


# --- the service ---------------------------------------------------------------------------

def test_dnapes_grants_an_authorisation_and_it_is_audited(monitor, manager, bamako):
    authorisation = grant(monitor, [bamako], actor=manager)
    assert authorisation.is_current and list(authorisation.facilities.all()) == [bamako]
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_id=str(authorisation.pk),
                                   target_type__model="monitorauthorisation")
    assert entry.actor == manager and entry.changes["facilities"] == [None, ["BKO"]]
    assert monitor.visible_facility_ids() == frozenset({bamako.pk})


@pytest.mark.parametrize("role", [Role.CLERK, Role.DIRECTOR, Role.MONITOR, Role.MAGISTRATE, None])
def test_only_dnapes_or_an_administrator_may_grant(monitor, bamako, role):
    extra = {"is_superuser": True} if role is None else {}
    actor = factories.staff(role, bamako, username="intrus", **extra)
    with pytest.raises(PermissionDenied):
        grant(monitor, [bamako], actor=actor)
    assert not MonitorAuthorisation.objects.exists()
    assert not AuditEntry.objects.filter(target_type__model="monitorauthorisation").exists()


def test_an_administrator_may_grant(monitor, bamako):
    admin = factories.staff(Role.ADMIN, username="admin.sys")
    assert grant(monitor, [bamako], actor=admin).granted_by == admin


@pytest.mark.parametrize(("changes", "field"), [
    ({"facilities": []}, "facilities"),
    ({"days_before": -5, "days_after": -10}, "ends_on"),
    ({"days_before": 10, "days_after": -2}, "ends_on"),
    ({"reference": " "}, "reference"),
    ({"medical_access": True}, "medical_access"),  # CNDH: never
    ({"body": "icrc", "medical_access": True}, "medical_access_authorised_by"),
    ({"body": "other"}, "body_detail"),
])
def test_the_service_refuses_an_incomplete_or_impossible_authorisation(monitor, manager, bamako, changes, field):
    facilities = changes.pop("facilities", [bamako])
    with pytest.raises(ValidationError) as error:
        grant(monitor, facilities, actor=manager, **changes)
    assert field in error.value.message_dict
    assert not MonitorAuthorisation.objects.exists()


def test_the_account_granted_must_be_a_monitor(clerk, manager, bamako):
    with pytest.raises(ValidationError):
        grant(clerk, [bamako], actor=manager)


def test_revoking_closes_the_account_at_once(authorised_monitor, manager):
    authorisation = authorised_monitor.monitor_authorisations.get()
    with pytest.raises(ValidationError):
        monitors.revoke_monitor_authorisation(authorisation, actor=manager, reason="")
    with pytest.raises(PermissionDenied):
        monitors.revoke_monitor_authorisation(authorisation, actor=authorised_monitor, reason="moi")
    monitors.revoke_monitor_authorisation(authorisation, actor=manager, reason="Visite terminée plus tôt")
    fresh = type(authorised_monitor).objects.get(pk=authorised_monitor.pk)
    assert fresh.outside_authorisation and fresh.visible_facility_ids() == frozenset()


# --- what the monitor reads -------------------------------------------------------------------

def test_the_monitor_reads_bamako_but_not_another_prison(client, authorised_monitor, bamako, koulikoro, clerk,
                                                         other_clerk):
    mine = factories.detainee(bamako, actor=clerk, last_name="BAMAKOIS")
    other = factories.detainee(koulikoro, actor=other_clerk, last_name="KOULIKOROIS")
    client.force_login(authorised_monitor)
    assert client.get(reverse("inmates:inmate_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("inmates:inmate_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("oversight:report", args=["roll"]), {"etablissement": bamako.pk}).status_code == 200
    assert client.get(reverse("oversight:report", args=["roll"]), {"etablissement": koulikoro.pk}).status_code == 404
    assert client.get(reverse("oversight:report", args=["occupancy"])).status_code == 200
    assert client.get(reverse("life:complaint_list", args=[koulikoro.pk])).status_code == 404
    # every read audited
    assert AuditEntry.objects.filter(actor=authorised_monitor, action=AuditAction.VIEW, inmate_id=mine.pk).exists()
    api = token_client("cndh.obs")
    assert api.get(f"/api/v1/inmates/{mine.pk}/").status_code == 200
    assert api.get(f"/api/v1/inmates/{other.pk}/").status_code == 404


def test_the_monitor_home_lists_their_prisons_and_period(client, authorised_monitor, bamako):
    client.force_login(authorised_monitor)
    assert "Espace observateur" in client.get("/").content.decode()
    body = client.get(reverse("accounts:monitor_home")).content.decode()
    end = timezone.localdate() + datetime.timedelta(days=10)
    assert escape(bamako.name) in body and f"{end:%d/%m/%Y}" in body and "CNDH/2026/014" in body


def test_the_monitor_never_reads_medical_details(client, authorised_monitor, medical_intake):
    assert not need_to_know.can_read_medical(authorised_monitor)
    client.force_login(authorised_monitor)
    for url in (f"/ecrou/{medical_intake.pk}/etape/medical/", f"/ecrou/{medical_intake.pk}/",
                f"/ecrou/{medical_intake.pk}/fiche/", f"/detenus/{medical_intake.inmate_id}/"):
        response = client.get(url)
        assert response.status_code in (200, 403, 404), url
        assert MEDICAL_SECRET not in response.content.decode(errors="replace"), url
    assert client.get(f"/ecrou/{medical_intake.pk}/etape/medical/").status_code in (403, 404)
    api = token_client("cndh.obs")
    for url in (f"/api/v1/intakes/{medical_intake.pk}/", f"/api/v1/intakes/{medical_intake.pk}/medical/"):
        response = api.get(url)
        assert response.status_code in (403, 404, 405), url
        assert MEDICAL_SECRET not in response.content.decode(errors="replace")


def test_the_icrc_doctor_reads_medical_details_only_when_the_authorisation_records_it(monitor, manager, bamako):
    grant(monitor, [bamako], actor=manager, body="icrc")
    monitor = type(monitor).objects.get(pk=monitor.pk)
    assert not need_to_know.can_read_medical(monitor)
    doctor = factories.staff(Role.MONITOR, username="cicr.medecin")
    grant(doctor, [bamako], actor=manager, body="icrc", medical_access=True,
          medical_access_authorised_by="DNAPES, décision n° 14/2026")
    doctor = type(doctor).objects.get(pk=doctor.pk)
    assert need_to_know.can_read_medical(doctor)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        doctor = type(doctor).objects.get(pk=doctor.pk)
        assert not need_to_know.can_read_medical(doctor)


def test_complaints_addressed_to_the_monitor_and_only_those(client, authorised_monitor, bamako, clerk):
    from detention import services as detention_services
    from inmates.models import Custody

    inmate = factories.detainee(bamako, actor=clerk)
    custody = Custody.objects.get(inmate=inmate)
    to_them = detention_services.register_complaint(
        custody, complainant_kind="detainee", channel="written", subject="Pour la CNDH", details="Conditions",
        addressed_to=authorised_monitor, is_confidential=True, actor=clerk)
    detention_services.register_complaint(custody, complainant_kind="detainee", channel="written",
                                          subject="Pour la direction", details="Nourriture", actor=clerk)
    client.force_login(authorised_monitor)
    body = client.get(reverse("life:complaint_list", args=[bamako.pk])).content.decode()
    assert "Pour la CNDH" in body and "Pour la direction" not in body
    assert client.get(reverse("life:complaint_detail", args=[to_them.pk])).status_code == 200


# --- the account stops by itself --------------------------------------------------------------

def test_outside_the_period_sign_in_is_refused_with_a_french_message(client, monitor, manager, bamako):
    grant(monitor, [bamako], actor=manager, days_before=-3, days_after=10)  # starts in 3 days
    response = client.post(reverse("accounts:login"), {"username": "cndh.obs", "password": PASSWORD})
    assert response.status_code == 200
    assert "pas en cours de validité" in response.content.decode()
    assert "_auth_user_id" not in client.session
    refused = token_client.__globals__["APIClient"]().post(
        "/api/v1/auth/token/", {"username": "cndh.obs", "password": PASSWORD}, format="json")
    assert refused.status_code == 400 and "autorisation" in str(refused.json())


def test_a_monitor_without_any_authorisation_reads_nothing(client, monitor, bamako, clerk):
    inmate = factories.detainee(bamako, actor=clerk)
    assert monitor.visible_facility_ids() == frozenset() and monitor.outside_authorisation
    client.force_login(monitor)  # a session opened before the end (force_login skips the form)
    response = client.get(reverse("inmates:inmate_detail", args=[inmate.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert "_auth_user_id" not in client.session


def test_after_the_end_date_pages_and_token_stop(client, authorised_monitor, bamako, clerk):
    inmate = factories.detainee(bamako, actor=clerk)
    api = token_client("cndh.obs")
    client.force_login(authorised_monitor)
    assert api.get(f"/api/v1/inmates/{inmate.pk}/").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=11)):
        assert api.get(f"/api/v1/inmates/{inmate.pk}/").status_code == 401
        assert api.get("/api/v1/inmates/").status_code == 401
        response = client.get(reverse("inmates:inmate_detail", args=[inmate.pk]))
        assert response.status_code == 302
        assert client.get(f"/api/v1/inmates/{inmate.pk}/").status_code in (401, 403)


# --- pages and API of the authorisations --------------------------------------------------------

def test_dnapes_grants_lists_and_revokes_through_the_pages(client, monitor, manager, bamako):
    client.force_login(manager)
    today = timezone.localdate()
    response = client.post(reverse("accounts:authorisation_list"), {
        "monitor": monitor.pk, "body": "cndh", "facilities": [bamako.pk], "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=5)).isoformat(), "reference": "CNDH/7",
        "reason": "Visite inopinée"})
    assert response.status_code == 302, response.content.decode()[:2000]
    authorisation = MonitorAuthorisation.objects.get()
    assert "CNDH/7" in client.get(reverse("accounts:authorisation_list")).content.decode()
    response = client.post(reverse("accounts:authorisation_revoke", args=[authorisation.pk]), {"reason": "Fin"})
    assert response.status_code == 302
    assert MonitorAuthorisation.objects.get().revoked_at is not None


def test_a_clerk_cannot_reach_the_authorisation_pages(client, clerk, monitor):
    client.force_login(clerk)
    assert client.get(reverse("accounts:authorisation_list")).status_code == 403


def test_the_api_grants_lists_and_revokes(monitor, manager, bamako):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(manager)
    today = timezone.localdate()
    response = api.post("/api/v1/monitor-authorisations/", {
        "monitor": monitor.pk, "body": "icrc", "facilities": [bamako.pk], "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=5)).isoformat(), "reference": "CICR/1",
        "reason": "Visite", "medical_access": True, "medical_access_authorised_by": ""}, format="json")
    assert response.status_code == 400 and "medical_access_authorised_by" in response.json()
    response = api.post("/api/v1/monitor-authorisations/", {
        "monitor": monitor.pk, "body": "icrc", "facilities": [bamako.pk], "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=5)).isoformat(), "reference": "CICR/1",
        "reason": "Visite"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api.get("/api/v1/monitor-authorisations/").json()["count"] == 1
    assert api.get(f"/api/v1/monitor-authorisations/{pk}/").status_code == 200
    assert api.post(f"/api/v1/monitor-authorisations/{pk}/revoke/", {"reason": "Fin"}, format="json").status_code == 200


def test_a_monitor_reads_only_their_own_authorisation_on_the_api(authorised_monitor, manager, bamako):
    other = factories.staff(Role.MONITOR, username="cicr.obs")
    theirs = grant(other, [bamako], actor=manager, body="icrc")
    api = token_client("cndh.obs")
    assert api.get("/api/v1/monitor-authorisations/").json()["count"] == 1
    assert api.get(f"/api/v1/monitor-authorisations/{theirs.pk}/").status_code == 404
    response = api.post("/api/v1/monitor-authorisations/", {}, format="json")
    assert response.status_code == 403
