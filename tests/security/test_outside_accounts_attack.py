"""Attack script (issue 14, items 7 and 8): accounts from outside the prison service try the doors
they must not open — a CNDH monitor tries the admin site, the medical examination by its direct
URL (page and API), another prison's people, the audit journal, granting themself a longer
authorisation, a token kept after the end date; a judge tries another cabinet's case, the
person's file, the intake sheet, confirming their own order; a clerk tries granting access."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEntry, MonitorAuthorisation
from accounts.roles import Role
from casework import services as case_services
from casework.court_portal import services as portal
from casework.models import CourtSubmission, OrderKind, SubmissionStatus
from inmates.models import Custody
from tests import factories
from tests.outside_fixtures import (  # noqa: F401 — fixtures
    MEDICAL_SECRET,
    authorised_monitor,
    grant,
    magistrate,
    medical_intake,
    monitor,
    token_client,
)
from tests.walks.workflow.common import pdf

pytestmark = pytest.mark.django_db


def test_a_monitor_cannot_open_the_admin_site(client, authorised_monitor, medical_intake):
    client.force_login(authorised_monitor)
    for url in ("/admin/", "/admin/intake/medicalexamination/", f"/admin/intake/intake/{medical_intake.pk}/change/",
                "/admin/accounts/monitorauthorisation/", "/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert MEDICAL_SECRET not in response.content.decode(errors="replace")


def test_a_monitor_cannot_reach_a_medical_examination_by_its_direct_url(client, authorised_monitor, medical_intake):
    client.force_login(authorised_monitor)
    pages = [f"/ecrou/{medical_intake.pk}/etape/medical/", f"/ecrou/{medical_intake.pk}/fiche/",
             f"/ecrou/{medical_intake.pk}/rapport-social/", f"/detenus/{medical_intake.inmate_id}/export.pdf"]
    for url in pages:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert MEDICAL_SECRET.encode() not in body, url
    assert client.get(pages[0]).status_code in (403, 404)
    api = token_client("cndh.obs")
    for url in (f"/api/v1/intakes/{medical_intake.pk}/", f"/api/v1/intakes/{medical_intake.pk}/medical/",
                f"/api/v1/inmates/{medical_intake.inmate_id}/subject-access/"):
        response = api.get(url)
        assert MEDICAL_SECRET not in response.content.decode(errors="replace"), url


def test_a_monitor_cannot_read_another_prison(client, authorised_monitor, koulikoro, other_clerk):
    inmate = factories.detainee(koulikoro, actor=other_clerk, last_name="KOULIKOROIS")
    custody = Custody.objects.get(inmate=inmate)
    client.force_login(authorised_monitor)
    assert client.get(f"/detenus/{inmate.pk}/").status_code == 404
    assert client.get(f"/vie-carcerale/etablissements/{koulikoro.pk}/plaintes/").status_code == 404
    assert "KOULIKOROIS" not in client.get("/detenus/?situation=all&q=koulikorois").content.decode()
    assert client.get(f"/rapports/roll/?etablissement={koulikoro.pk}").status_code == 404
    api = token_client("cndh.obs")
    assert api.get(f"/api/v1/inmates/{inmate.pk}/").status_code == 404
    assert api.get(f"/api/v1/custodies/{custody.pk}/").status_code in (403, 404)
    assert "KOULIKOROIS" not in api.get("/api/v1/inmates/?situation=all").content.decode()


def test_a_monitor_cannot_grant_themself_more(client, authorised_monitor, koulikoro):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        grant(authorised_monitor, [koulikoro], actor=authorised_monitor)
    client.force_login(authorised_monitor)
    response = client.post("/comptes/autorisations/", {
        "monitor": authorised_monitor.pk, "body": "cndh", "facilities": [koulikoro.pk],
        "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=300)).isoformat(),
        "reference": "X", "reason": "X"})
    assert response.status_code == 403
    api = token_client("cndh.obs")
    assert api.post("/api/v1/monitor-authorisations/", {"monitor": authorised_monitor.pk}, format="json"
                    ).status_code == 403
    authorisation = authorised_monitor.monitor_authorisations.get()
    assert api.post(f"/api/v1/monitor-authorisations/{authorisation.pk}/revoke/", {"reason": "x"},
                    format="json").status_code == 403
    assert MonitorAuthorisation.objects.count() == 1
    assert client.get("/comptes/journal/").status_code == 403


def test_a_clerk_or_director_cannot_grant_access(client, bamako, monitor):
    director = factories.staff(Role.DIRECTOR, bamako, username="directeur.bko")
    client.force_login(director)
    assert client.get("/comptes/autorisations/").status_code == 403
    api = APIClient()
    api.force_authenticate(director)
    assert api.post("/api/v1/monitor-authorisations/", {}, format="json").status_code == 403
    assert not MonitorAuthorisation.objects.exists()


def test_a_token_kept_after_the_end_date_opens_nothing(authorised_monitor, bamako, clerk):
    inmate = factories.detainee(bamako, actor=clerk)
    api = token_client("cndh.obs")
    assert api.get(f"/api/v1/inmates/{inmate.pk}/").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=11)):
        for url in (f"/api/v1/inmates/{inmate.pk}/", "/api/v1/inmates/", "/api/v1/alerts/",
                    "/api/v1/monitor-authorisations/", "/api/v1/complaints/"):
            assert api.get(url).status_code == 401, url
        refused = APIClient().post("/api/v1/auth/token/", {"username": "cndh.obs",
                                                            "password": "motdepasse-solide-2026"}, format="json")
        assert refused.status_code == 400
    assert AuditEntry.objects.filter(actor=authorised_monitor, action=AuditAction.LOGIN_FAILED).exists()


def test_a_revoked_authorisation_stops_the_token_at_once(authorised_monitor, manager, bamako, clerk):
    from accounts import monitors

    inmate = factories.detainee(bamako, actor=clerk)
    api = token_client("cndh.obs")
    monitors.revoke_monitor_authorisation(authorised_monitor.monitor_authorisations.get(), actor=manager,
                                          reason="Fin de mission")
    assert api.get(f"/api/v1/inmates/{inmate.pk}/").status_code == 401


# --- the judge ----------------------------------------------------------------------------------

@pytest.fixture
def judge_cases(bamako, clerk):
    cases = {}
    for name, chamber in (("MIENNE", "3e cabinet"), ("AUTRE", "5e cabinet")):
        inmate = factories.detainee(bamako, actor=clerk, last_name=name)
        case = Custody.objects.get(inmate=inmate).cases.get()
        cases[name] = case_services.update_case(case, actor=clerk, chamber=chamber, reason="Cabinet")
    return cases


def test_a_judge_cannot_open_another_cabinets_case_or_the_file(client, judge_cases, medical_intake):
    judge = magistrate("juge.bko")
    client.force_login(judge)
    other = judge_cases["AUTRE"]
    assert client.get(f"/tribunal/affaires/{other.pk}/").status_code == 404
    assert client.post(f"/tribunal/affaires/{other.pk}/ordonnance/", {}).status_code == 404
    mine = judge_cases["MIENNE"]
    for url in (f"/detenus/{mine.custody.inmate_id}/", f"/affaires/{mine.pk}/", f"/ecrou/{medical_intake.pk}/fiche/",
                f"/ecrou/{medical_intake.pk}/etape/medical/", f"/vie-carcerale/sejours/{mine.custody_id}/",
                f"/detenus/{mine.custody.inmate_id}/export.pdf", "/admin/", "/comptes/autorisations/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert MEDICAL_SECRET not in response.content.decode(errors="replace")
    api = token_client("juge.bko")
    assert api.get(f"/api/v1/court/cases/{other.pk}/").status_code == 404
    for url in (f"/api/v1/inmates/{mine.custody.inmate_id}/", f"/api/v1/cases/{mine.pk}/",
                f"/api/v1/custodies/{mine.custody_id}/", f"/api/v1/intakes/{medical_intake.pk}/"):
        assert api.get(url).status_code in (403, 404), url


def test_a_judge_cannot_confirm_their_own_order_even_with_a_clerks_permission(judge_cases, bamako):
    judge = magistrate("juge.bko")
    case = judge_cases["MIENNE"]
    submission = portal.submit_court_order(
        case, actor=judge, kind="renewal", document=pdf(), reference="OP-1", issued_on=timezone.localdate(),
        issued_by="M. Diarra", renews=case.detention_orders.get(kind=OrderKind.COMMITTAL),
        valid_until=timezone.localdate() + datetime.timedelta(days=60))
    with pytest.raises(PermissionDenied):
        portal.confirm_court_submission(submission, actor=judge)
    # a clerk account that also sent it (the same person) cannot confirm it either: four eyes
    clerk_judge = factories.staff(Role.CLERK, bamako, username="greffier.juge")
    CourtSubmission.objects.filter(pk=submission.pk).update(submitted_by=clerk_judge)
    with pytest.raises(PermissionDenied):
        portal.confirm_court_submission(CourtSubmission.objects.get(pk=submission.pk), actor=clerk_judge)
    api = token_client("juge.bko")
    assert api.post(f"/api/v1/court/submissions/{submission.pk}/confirm/", format="json").status_code == 403
    assert CourtSubmission.objects.get().status == SubmissionStatus.PENDING
    assert case.detention_orders.count() == 1


def test_a_superuser_without_the_role_has_no_court_portal(client, judge_cases):
    root = factories.staff(None, username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get("/tribunal/").status_code == 403
    assert client.get(f"/tribunal/affaires/{judge_cases['MIENNE'].pk}/").status_code == 403
