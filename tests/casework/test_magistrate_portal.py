"""The court portal (issue 14, item 8): a judge sees the detainees of their own cabinet's cases
only, their deadlines, alerts and art. 129 notices; acknowledges a notice (recorded, shown to the
prison); sends a renewal or a release order that the prison's clerk confirms against the paper
original (four eyes) or rejects with a reason. Both doors."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEntry
from casework import services as case_services
from casework.court_portal import services as portal
from casework.deadlines.sweep import sweep
from casework.models import (
    AlertKind,
    CourtSubmission,
    DeadlineAlert,
    NoticeAcknowledgement,
    OrderKind,
    ReleaseOrder,
    SubmissionStatus,
)
from inmates.models import Custody
from tests import factories
from tests.outside_fixtures import magistrate, token_client
from tests.walks.workflow.common import pdf

pytestmark = pytest.mark.django_db


def held_case(facility, clerk, *, days, chamber, last_name):
    inmate = factories.detainee(facility, actor=clerk, admitted_at=timezone.now() - dt.timedelta(days=days),
                                last_name=last_name)
    case = Custody.objects.get(inmate=inmate).cases.get()
    return case_services.update_case(case, actor=clerk, chamber=chamber, reason="Cabinet saisi")


@pytest.fixture
def cases(bamako, koulikoro, clerk, other_clerk):
    mine = held_case(bamako, clerk, days=200, chamber="3e cabinet", last_name="MIENNE")
    theirs = held_case(bamako, clerk, days=200, chamber="5e cabinet", last_name="AUTRECABINET")
    far = held_case(koulikoro, other_clerk, days=20, chamber="3e cabinet", last_name="KOULIKOROIS")
    sweep()
    return {"mine": mine, "theirs": theirs, "far": far}


@pytest.fixture
def judge(db):
    return magistrate("juge.bko")


def notice_alert(case):
    return DeadlineAlert.objects.get(case=case, kind=AlertKind.OVERDUE, closed_at__isnull=True)


# --- what the judge sees ------------------------------------------------------------------------

def test_the_judge_sees_only_their_cabinets_cases(client, judge, cases):
    client.force_login(judge)
    assert "Portail des juridictions" in client.get("/").content.decode()
    body = client.get(reverse("court:home")).content.decode()
    assert "MIENNE" in body and "KOULIKOROIS" in body  # same court and cabinet, another prison
    assert "AUTRECABINET" not in body
    assert client.get(reverse("court:case_detail", args=[cases["mine"].pk])).status_code == 200
    assert client.get(reverse("court:case_detail", args=[cases["theirs"].pk])).status_code == 404
    api = token_client("juge.bko")
    listed = {row["id"] for row in api.get("/api/v1/court/cases/").json()["results"]}
    assert listed == {cases["mine"].pk, cases["far"].pk}
    assert api.get(f"/api/v1/court/cases/{cases['mine'].pk}/").status_code == 200
    assert api.get(f"/api/v1/court/cases/{cases['theirs'].pk}/").status_code == 404
    assert AuditEntry.objects.filter(actor=judge, action=AuditAction.VIEW,
                                     inmate_id=cases["mine"].custody.inmate_id).exists()


def test_the_judge_reaches_nothing_else_of_the_file(client, judge, cases):
    client.force_login(judge)
    inmate, custody = cases["mine"].custody.inmate_id, cases["mine"].custody_id
    for url in (f"/detenus/{inmate}/", f"/affaires/{cases['mine'].pk}/", f"/vie-carcerale/sejours/{custody}/",
                reverse("deadlines:alert_list"), "/ecrou/", "/rapports/roll/"):
        assert client.get(url).status_code in (302, 403, 404), url
    api = token_client("juge.bko")
    for url in (f"/api/v1/inmates/{inmate}/", f"/api/v1/cases/{cases['mine'].pk}/", "/api/v1/alerts/"):
        assert api.get(url).status_code in (403, 404), url


def test_a_prosecutor_sees_the_cases_of_their_court(cases):
    prosecutor = magistrate("parquet.bko", function="prosecutor", cabinet="")
    assert set(portal.cases_for(prosecutor)) == {cases["mine"], cases["theirs"], cases["far"]}


def test_a_clerk_has_no_court_portal(client, clerk, cases):
    client.force_login(clerk)
    assert client.get(reverse("court:home")).status_code == 403
    assert list(portal.cases_for(clerk)) == []


# --- the art. 129 notice -------------------------------------------------------------------------

def test_acknowledging_a_notice_is_recorded_and_shown_to_the_prison(client, judge, clerk, cases):
    alert = notice_alert(cases["mine"])
    client.force_login(judge)
    body = client.get(reverse("court:case_detail", args=[cases["mine"].pk])).content.decode()
    assert "Accuser réception" in body
    response = client.post(reverse("court:acknowledge", args=[alert.pk]), {"note": "Reçu, audience fixée"})
    assert response.status_code == 302
    ack = NoticeAcknowledgement.objects.get(alert=alert)
    assert ack.acknowledged_by == judge and ack.acknowledged_at
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_type__model="noticeacknowledgement",
                                     actor=judge).exists()
    # twice: refused
    with pytest.raises(ValidationError):
        portal.acknowledge_notice(alert, actor=judge)
    client.force_login(clerk)
    body = client.get(reverse("deadlines:alert_list")).content.decode()
    assert "Réception accusée par" in body
    api = APIClient()
    api.force_authenticate(clerk)
    rows = api.get("/api/v1/alerts/").json()["results"]
    assert any(r["id"] == alert.pk and r["notice_acknowledged_at"] for r in rows)


def test_another_cabinets_notice_is_refused(judge, cases):
    alert = notice_alert(cases["theirs"])
    with pytest.raises(PermissionDenied):
        portal.acknowledge_notice(alert, actor=judge)
    api = token_client("juge.bko")
    response = api.post(f"/api/v1/court/cases/{cases['mine'].pk}/acknowledge-notice/", {"alert": alert.pk},
                        format="json")
    assert response.status_code == 404
    assert not NoticeAcknowledgement.objects.exists()


def test_the_api_acknowledges_a_notice(judge, cases):
    alert = notice_alert(cases["mine"])
    api = token_client("juge.bko")
    response = api.post(f"/api/v1/court/cases/{cases['mine'].pk}/acknowledge-notice/",
                        {"alert": alert.pk, "note": ""}, format="json")
    assert response.status_code == 201, response.content
    assert NoticeAcknowledgement.objects.filter(alert=alert, acknowledged_by=judge).exists()


# --- orders sent by the court, confirmed by the clerk (four eyes) ---------------------------------

def _renewal(case, judge, **extra):
    order = case.detention_orders.get(kind=OrderKind.COMMITTAL)
    fields = {"kind": "renewal", "document": pdf("ordonnance.pdf"), "reference": "OP-31/2026",
              "issued_on": timezone.localdate(), "issued_by": "M. Diarra, juge d'instruction, 3e cabinet",
              "renews": order, "valid_until": timezone.localdate() + dt.timedelta(days=120), **extra}
    return portal.submit_court_order(case, actor=judge, **fields)


def test_a_renewal_waits_for_the_clerk_then_becomes_a_detention_order(judge, clerk, cases):
    case = cases["mine"]
    before = case.detention_orders.count()
    submission = _renewal(case, judge)
    assert submission.status == SubmissionStatus.PENDING and case.detention_orders.count() == before
    with pytest.raises(PermissionDenied):
        portal.confirm_court_submission(submission, actor=judge)  # the magistrate cannot confirm
    confirmed = portal.confirm_court_submission(submission, actor=clerk)
    assert confirmed.status == SubmissionStatus.CONFIRMED and confirmed.decided_by == clerk
    assert confirmed.detention_order.kind == OrderKind.RENEWAL
    assert confirmed.detention_order.reference == "OP-31/2026"
    assert case.detention_orders.count() == before + 1
    with pytest.raises(ValidationError):
        portal.confirm_court_submission(submission, actor=clerk)  # once only


def test_a_release_order_confirmed_becomes_a_release_order(judge, clerk, cases):
    case = cases["mine"]
    submission = portal.submit_court_order(
        case, actor=judge, kind="release", document=pdf("mainlevee.pdf"), reference="OML-4/2026",
        issued_on=timezone.localdate(), issued_by="M. Diarra", release_kind="provisional")
    portal.confirm_court_submission(submission, actor=clerk)
    order = ReleaseOrder.objects.get(case=case)
    assert order.reference == "OML-4/2026" and order.kind == "provisional"
    assert CourtSubmission.objects.get().release_order == order


def test_the_clerk_rejects_with_a_reason_and_nothing_is_recorded(judge, clerk, cases):
    case = cases["mine"]
    before = case.detention_orders.count()
    submission = _renewal(case, judge)
    with pytest.raises(ValidationError):
        portal.reject_court_submission(submission, actor=clerk, reason=" ")
    rejected = portal.reject_court_submission(submission, actor=clerk, reason="Non conforme à l'original")
    assert rejected.status == SubmissionStatus.REJECTED and case.detention_orders.count() == before


def test_another_prisons_clerk_cannot_confirm(judge, other_clerk, cases):
    submission = _renewal(cases["mine"], judge)
    with pytest.raises(PermissionDenied):
        portal.confirm_court_submission(submission, actor=other_clerk)
    assert CourtSubmission.objects.get().status == SubmissionStatus.PENDING


@pytest.mark.parametrize(("changes", "field"), [
    ({"document": None}, "document"),
    ({"valid_until": None}, "valid_until"),
    ({"renews": None}, "renews"),
    ({"reference": ""}, "reference"),
])
def test_an_incomplete_order_is_refused_and_nothing_is_written(judge, cases, changes, field):
    with pytest.raises(ValidationError) as error:
        _renewal(cases["mine"], judge, **changes)
    assert field in error.value.message_dict
    assert not CourtSubmission.objects.exists()


def test_a_file_that_is_not_a_pdf_is_refused(judge, cases):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        _renewal(cases["mine"], judge, document=SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf"))


def test_another_cabinets_case_refuses_an_order(judge, cases):
    with pytest.raises(PermissionDenied):
        _renewal(cases["theirs"], judge)
    assert not CourtSubmission.objects.exists()


def test_both_doors_submit_and_confirm(client, judge, clerk, cases):
    case = cases["mine"]
    order = case.detention_orders.get(kind=OrderKind.COMMITTAL)
    client.force_login(judge)
    response = client.post(reverse("court:submit", args=[case.pk]), {
        "kind": "renewal", "document": pdf("ordonnance.pdf"), "reference": "OP-32/2026",
        "issued_on": timezone.localdate().isoformat(), "issued_by": "M. Diarra", "renews": order.pk,
        "valid_until": (timezone.localdate() + dt.timedelta(days=90)).isoformat(), "release_kind": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    submission = CourtSubmission.objects.get()
    # the judge sees it but has no confirm button, and the confirm door refuses them
    assert client.post(reverse("court:submission_confirm", args=[submission.pk])).status_code == 403
    client.force_login(clerk)
    assert "OP-32/2026" in client.get(reverse("court:submission_list")).content.decode()
    detail = client.get(reverse("court:submission_detail", args=[submission.pk])).content.decode()
    assert "Confirmer" in detail
    document = client.get(reverse("court:submission_document", args=[submission.pk]))
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    assert client.post(reverse("court:submission_confirm", args=[submission.pk])).status_code == 302
    assert CourtSubmission.objects.get().status == SubmissionStatus.CONFIRMED
    # the API: the judge submits, the clerk rejects
    api = token_client("juge.bko")
    response = api.post("/api/v1/court/submissions/", {
        "case": case.pk, "kind": "release", "document": pdf("mainlevee.pdf"), "reference": "OML-5/2026",
        "issued_on": timezone.localdate().isoformat(), "issued_by": "M. Diarra", "release_kind": "provisional"},
        format="multipart")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api.post(f"/api/v1/court/submissions/{pk}/confirm/", format="json").status_code == 403
    clerk_api = APIClient()
    clerk_api.force_authenticate(clerk)
    response = clerk_api.post(f"/api/v1/court/submissions/{pk}/reject/", {"reason": "Signature absente"},
                              format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"


def test_another_prisons_clerk_gets_404_on_the_submission(client, judge, other_clerk, cases):
    submission = _renewal(cases["mine"], judge)
    client.force_login(other_clerk)
    assert client.get(reverse("court:submission_detail", args=[submission.pk])).status_code == 404
    assert client.get(reverse("court:submission_document", args=[submission.pk])).status_code == 404
