"""Requests to see one's own file (issue 14, item 9; Rule 9): recorded, answered with an extract
that holds no other person's data and no security intelligence; both doors, scoping, audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from detention import services as detention_services
from inmates import services as inmate_services
from oversight import own_file
from oversight.models import OwnFileRequest
from tests import factories

pytestmark = pytest.mark.django_db

RISK_REASON = "SECRET-RISQUE-RENSEIGNEMENT-7K"
LEADER_NOTE = "SECRET-CHEF-CELLULE-3P"
RELATIVE_ADDRESS = "SECRET-ADRESSE-QUARTIER-9"
VISITOR_ID = "SECRET-NINA-4411"
OTHER_NAME = "DIALLOPERSONNEAUTRE"
CASE_NOTE = "SECRET-NOTE-GREFFE-2"


@pytest.fixture
def custody(inmate):
    return inmate.custodies.get()


@pytest.fixture
def file_with_secrets(custody, clerk, director, cell, bamako):  # noqa: F811
    inmate_services.add_relative(custody.inmate, actor=clerk, name="Awa Traoré", relation="spouse",
                                 is_next_of_kin=True, address=RELATIVE_ADDRESS)
    detention_services.classify(custody, risk="high", reasons=RISK_REASON, actor=director,
                                next_review_on=timezone.localdate() + datetime.timedelta(days=90))
    detention_services.appoint_cell_leader(cell, custody=custody, actor=director, agreement_noted=True,
                                           agreement_notes=LEADER_NOTE)
    detention_services.record_visit(custody, kind="lawyer", actor=clerk, visitor={
        "last_name": "Koné", "first_name": "Me", "id_document_kind": "professional", "id_document_number": VISITOR_ID})
    detention_services.register_complaint(custody, complainant_kind="detainee", channel="oral",
                                          subject="Ma propre plainte", details="x", actor=clerk)
    detention_services.register_complaint(custody, complainant_kind="relative", complainant_name="Un proche",
                                          channel="oral", subject="Plainte d'un proche", details="y", actor=clerk)
    case = custody.cases.get()
    case.notes = CASE_NOTE
    case.save()
    factories.detainee(bamako, actor=clerk, unit=cell, last_name=OTHER_NAME, first_name="Autre")
    return custody


def test_a_request_is_recorded_and_audited(custody, clerk):
    made = own_file.record_own_file_request(custody, channel="oral", actor=clerk)
    assert made.received_by == clerk and made.facility_id == custody.facility_id and made.is_pending
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_id=made.pk, actor=clerk).exists()


def test_a_request_by_another_needs_their_name(custody, clerk):
    with pytest.raises(ValidationError):
        own_file.record_own_file_request(custody, channel="written", requester="lawyer", actor=clerk)
    assert not OwnFileRequest.objects.exists()


def test_another_prison_cannot_record_or_answer(custody, other_clerk, clerk):
    with pytest.raises(PermissionDenied):
        own_file.record_own_file_request(custody, channel="oral", actor=other_clerk)
    made = own_file.record_own_file_request(custody, channel="oral", actor=clerk)
    with pytest.raises(PermissionDenied):
        own_file.answer_own_file_request(made, actor=other_clerk, extract_handed_over=True)
    made.refresh_from_db()
    assert made.answered_at is None


def test_security_records_but_does_not_answer(custody, security):  # noqa: F811
    made = own_file.record_own_file_request(custody, channel="oral", actor=security)
    with pytest.raises(PermissionDenied):
        own_file.answer_own_file_request(made, actor=security, extract_handed_over=True)
    with pytest.raises(PermissionDenied):
        own_file.own_file_extract(made.pk, actor=security)


def test_the_answer_is_recorded_once(custody, clerk):
    made = own_file.record_own_file_request(custody, channel="oral", actor=clerk)
    with pytest.raises(ValidationError):
        own_file.answer_own_file_request(made, actor=clerk, extract_handed_over=False)  # no reason given
    done = own_file.answer_own_file_request(made, actor=clerk, extract_handed_over=True)
    assert done.answered_by == clerk and done.extract_handed_over
    with pytest.raises(ValidationError):
        own_file.answer_own_file_request(done, actor=clerk, extract_handed_over=True)


def test_the_extract_holds_the_own_file_without_intelligence_or_others_data(file_with_secrets, clerk):
    made = own_file.record_own_file_request(file_with_secrets, channel="oral", actor=clerk)
    extract = own_file.own_file_extract(made.pk, actor=clerk)
    text = str(extract)
    assert "Awa Traoré" in text  # their own relatives' names
    assert "Ma propre plainte" in text and "Vol qualifié" in text and "M. Diarra" in text
    for secret in (RISK_REASON, LEADER_NOTE, RELATIVE_ADDRESS, VISITOR_ID, OTHER_NAME, CASE_NOTE,
                   "Plainte d'un proche", "Un proche"):
        assert secret not in text, secret
    assert {s["key"] for s in extract["sections"]} == {"identity", "stays", "cases", "visits", "activities",
                                                        "complaints"}
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=clerk, reason=own_file.EXTRACT_REASON,
                                     inmate_id=file_with_secrets.inmate_id).exists()


def test_pending_requests_past_the_delay_are_flagged(custody, clerk, bamako, client):
    old = own_file.record_own_file_request(custody, channel="oral", actor=clerk)
    OwnFileRequest.objects.filter(pk=old.pk).update(requested_at=timezone.now() - datetime.timedelta(days=40))
    recent = own_file.record_own_file_request(custody, channel="written", actor=clerk)
    rows = {r.pk: r.is_late for r in own_file.own_file_register(bamako, actor=clerk)}
    assert rows == {old.pk: True, recent.pk: False}
    client.force_login(clerk)
    page = client.get(f"/vie-carcerale/etablissements/{bamako.pk}/demandes-dossier/")
    assert page.status_code == 200 and "en retard" in page.content.decode()


def test_pages(file_with_secrets, clerk, client, other_clerk):
    client.force_login(clerk)
    custody = file_with_secrets
    assert "acces-dossier" in client.get(f"/vie-carcerale/sejours/{custody.pk}/").content.decode()
    assert client.get(f"/vie-carcerale/sejours/{custody.pk}/acces-dossier/").status_code == 200
    answer = client.post(f"/vie-carcerale/sejours/{custody.pk}/acces-dossier/",
                         {"requester": "detainee", "channel": "oral", "requester_name": "", "requested_at": ""})
    made = OwnFileRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/demandes-dossier/{made.pk}/")
    assert client.get(f"/vie-carcerale/demandes-dossier/{made.pk}/").status_code == 200
    extract = client.get(f"/vie-carcerale/demandes-dossier/{made.pk}/extrait/")
    assert extract.status_code == 200 and RISK_REASON not in extract.content.decode()
    pdf = client.get(f"/vie-carcerale/demandes-dossier/{made.pk}/extrait.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    client.post(f"/vie-carcerale/demandes-dossier/{made.pk}/reponse/", {"extract_handed_over": "on", "note": ""})
    made.refresh_from_db()
    assert made.extract_handed_over and made.answered_by == clerk
    client.force_login(other_clerk)
    for url in (f"/vie-carcerale/demandes-dossier/{made.pk}/", f"/vie-carcerale/demandes-dossier/{made.pk}/extrait/",
                f"/vie-carcerale/sejours/{custody.pk}/acces-dossier/"):
        assert client.get(url).status_code == 404, url


def test_api_door(custody, clerk, other_clerk, bamako):
    api = APIClient()
    api.force_authenticate(clerk)
    made = api.post("/api/v1/own-file-requests/", {"custody": custody.pk, "channel": "written"}, format="json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert api.get("/api/v1/own-file-requests/").json()["results"][0]["id"] == pk
    extract = api.get(f"/api/v1/own-file-requests/{pk}/extract/")
    assert extract.status_code == 200 and extract.json()["inmate"]["id"] == custody.inmate_id
    done = api.post(f"/api/v1/own-file-requests/{pk}/answer/", {"extract_handed_over": True}, format="json")
    assert done.status_code == 200 and done.json()["extract_handed_over"] is True
    api.force_authenticate(other_clerk)
    assert api.get(f"/api/v1/own-file-requests/{pk}/").status_code == 404
    assert api.get(f"/api/v1/own-file-requests/{pk}/extract/").status_code == 404
    assert api.post("/api/v1/own-file-requests/", {"custody": custody.pk, "channel": "oral"},
                    format="json").status_code == 400
    api.force_authenticate(factories.staff(Role.MEDICAL, bamako, username="med.own"))
    assert api.get("/api/v1/own-file-requests/").status_code == 403
    assert OwnFileRequest.objects.count() == 1
