"""The API of life inside (detention/api.py), and the registers' common base (filters, audit, query counts)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from accounts.roles import Role
from detention import services as detention_services
from detention.models import Complaint, Visit
from inmates import movements
from inmates.models import Placement
from tests import factories
from tests.api_clients import client_for
from tests.custody_fixtures import custody, kenieroba, knb_cell, knb_clerk, last_weekday  # noqa: F401

pytestmark = pytest.mark.django_db


TUESDAY = 1


def test_a_role_without_the_permission_gets_403(custody, social):
    assert client_for(social).post("/api/v1/transfers/", {}, format="json").status_code == 403
    assert client_for(social).post("/api/v1/releases/", {}, format="json").status_code == 403
    assert client_for(social).post("/api/v1/classifications/", {}, format="json").status_code == 403
    medical = factories.staff(Role.MEDICAL, custody.facility)
    assert client_for(medical).get("/api/v1/transfers/").status_code == 403


def test_anonymous_callers_are_refused(custody):
    assert APIClient().get("/api/v1/visits/").status_code in (401, 403)


def test_visits_outside_the_visiting_day_are_refused_for_family_but_not_for_lawyers(custody, clerk):
    visitor = {"last_name": "Diallo", "first_name": "Awa", "id_document_kind": "nina", "id_document_number": "N-1"}
    refused = client_for(clerk).post("/api/v1/visits/", {
        "custody": custody.pk, "visitor": visitor, "kind": "family", "arrived_at": last_weekday(TUESDAY).isoformat()},
        format="json")
    assert refused.status_code == 400
    assert "vendredi" in refused.data["arrived_at"][0]
    lawyer = {**visitor, "id_document_kind": "professional", "id_document_number": "BAR-1"}
    accepted = client_for(clerk).post("/api/v1/visits/", {
        "custody": custody.pk, "visitor": lawyer, "kind": "lawyer", "arrived_at": last_weekday(TUESDAY).isoformat()},
        format="json")
    assert accepted.status_code == 201, accepted.data
    left = client_for(clerk).post(f"/api/v1/visits/{accepted.data['id']}/leave/", {}, format="json")
    assert left.status_code == 200 and left.data["left_at"]
    assert Visit.objects.count() == 1


def test_the_complaint_register_hides_confidential_complaints_from_a_clerk(custody, clerk, director):
    detention_services.register_complaint(custody, complainant_kind="detainee", channel="box", subject="Secret",
                                details="x", is_confidential=True, actor=clerk)
    detention_services.register_complaint(custody, complainant_kind="detainee", channel="box", subject="Public",
                                details="y", actor=clerk)
    clerk_view = client_for(clerk).get("/api/v1/complaints/").data["results"]
    director_view = client_for(director).get("/api/v1/complaints/").data["results"]
    assert [row["subject"] for row in clerk_view] == ["Public"]
    assert sorted(row["subject"] for row in director_view) == ["Public", "Secret"]
    secret = Complaint.objects.get(subject="Secret")
    assert client_for(clerk).get(f"/api/v1/complaints/{secret.pk}/").status_code == 404


def test_an_allegation_is_answered_referred_and_only_then_closed_through_the_api(custody, clerk, director):
    created = client_for(clerk).post("/api/v1/complaints/", {
        "custody": custody.pk, "complainant_kind": "lawyer", "complainant_name": "Me Koné", "channel": "written",
        "subject": "Sévices à la Sécurité d'État", "details": "…", "is_allegation": True}, format="json")
    assert created.status_code == 201 and created.data["escalated_at"]
    pk = created.data["id"]
    api = client_for(director)
    assert api.post(f"/api/v1/complaints/{pk}/answer/", {"answer": "Saisine du parquet"},
                    format="json").status_code == 200
    refused = api.post(f"/api/v1/complaints/{pk}/close/", {}, format="json")
    assert refused.status_code == 400 and "transmission" in refused.data["non_field_errors"][0]
    assert api.post(f"/api/v1/complaints/{pk}/refer/", {"authority": "Procureur"}, format="json").status_code == 200
    assert api.post(f"/api/v1/complaints/{pk}/close/", {}, format="json").data["status"] == "closed"


def test_a_clerk_cannot_answer_a_complaint_addressed_to_the_director(custody, clerk):
    complaint = detention_services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="x",
                                            details="x", actor=clerk)
    response = client_for(clerk).post(f"/api/v1/complaints/{complaint.pk}/answer/", {"answer": "x"}, format="json")
    assert response.status_code == 403


def test_classification_and_overdue_review_filter(custody, security):
    today = timezone.localdate()
    api = client_for(security)
    response = api.post("/api/v1/classifications/", {
        "custody": custody.pk, "risk": "high", "reasons": "Incidents répétés", "assessed_on": str(today - datetime.timedelta(days=60)),
        "next_review_on": str(today - datetime.timedelta(days=1))}, format="json")
    assert response.status_code == 201, response.data
    overdue = api.get("/api/v1/classifications/?review_overdue=1").data["results"]
    assert [row["id"] for row in overdue] == [response.data["id"]]


def test_cell_leaders_and_cell_moves_through_the_api(custody, security, cell, bamako):
    api = client_for(security)
    leader = api.post("/api/v1/cell-leaders/", {"unit": cell.pk, "custody": custody.pk, "agreement_noted": True},
                      format="json")
    assert leader.status_code == 201, leader.data
    other = factories.UnitFactory(facility=bamako, code="A2", capacity=5)
    no_reason = api.post("/api/v1/placements/", {"custody": custody.pk, "unit": other.pk, "reason": ""}, format="json")
    assert no_reason.status_code == 400
    moved = api.post("/api/v1/placements/", {"custody": custody.pk, "unit": other.pk, "reason": "Conflit"},
                     format="json")
    assert moved.status_code == 201 and moved.data["unit"] == other.pk
    assert api.get("/api/v1/cell-leaders/?current=1").data["results"] == []
    history = api.get(f"/api/v1/placements/?custody={custody.pk}").data["results"]
    assert len(history) == 2


def test_activities_and_enrolments_through_the_api(custody, director, social, bamako):
    created = client_for(director).post("/api/v1/activities/", {
        "facility": bamako.pk, "name": "Alphabétisation", "kind": "schooling", "open_to_regimes": ["standard"],
        "open_to_terrorism_related": True}, format="json")
    assert created.status_code == 201, created.data
    enrolled = client_for(social).post("/api/v1/enrolments/", {"activity": created.data["id"], "custody": custody.pk},
                                       format="json")
    assert enrolled.status_code == 201, enrolled.data
    assert client_for(social).get(f"/api/v1/activities/{created.data['id']}/").data["enrolled"] == 1
    empty = client_for(director).post("/api/v1/activities/", {
        "facility": bamako.pk, "name": "X", "kind": "sport", "open_to_regimes": []}, format="json")
    assert empty.status_code == 400 and empty.data["open_to_regimes"] == ["Choisissez au moins un régime admis."]


def test_family_notifications_through_the_api(custody, clerk):
    created = client_for(clerk).post("/api/v1/family-notifications/", {
        "custody": custody.pk, "event": "admission", "choice": "wishes", "contact_name": "Oumou Traoré",
        "contact_phone": "+223 66 00 00 00"}, format="json")
    assert created.status_code == 201, created.data
    told = client_for(clerk).post(f"/api/v1/family-notifications/{created.data['id']}/told/", {"method": "phone"},
                                  format="json")
    assert told.status_code == 200 and told.data["told_by_name"]


def test_writes_leave_audit_entries_with_the_person_and_the_prison(custody, clerk):
    client_for(clerk).post("/api/v1/family-notifications/", {
        "custody": custody.pk, "event": "admission", "choice": "declines"}, format="json")
    entry = AuditEntry.objects.filter(target_type__model="familynotification").get()
    assert (entry.inmate_id, entry.facility_id, entry.actor) == (custody.inmate_id, custody.facility_id, clerk)


def test_list_endpoints_use_a_constant_number_of_queries(bamako, clerk, cell, kenieroba, director):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client_for(director).get(url).status_code == 200
        return len(ctx)

    first = factories.detainee(bamako, actor=clerk, unit=cell).custodies.get()
    movements.request_transfer(first, to_facility=kenieroba, reason="x", actor=clerk)
    urls = ("/api/v1/transfers/", "/api/v1/placements/", "/api/v1/complaints/", "/api/v1/visits/")
    for url in urls:
        count(url)  # warms the user's permission cache
    before = {url: count(url) for url in urls}
    for n in range(4):
        other = factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"N{n}").custodies.get()
        movements.request_transfer(other, to_facility=kenieroba, reason="x", actor=clerk)
    assert {url: count(url) for url in before} == before
    assert Placement.objects.count() >= 5


@pytest.mark.parametrize("query", ["facility=false", "facility=abc", "custody=x", "current=peut-être",
                                   "direction=sideways", "status=lost", "review_overdue=2"])
def test_a_malformed_list_filter_is_a_400_not_an_empty_page(director, query):
    endpoint = {"custody": "placements", "current": "cell-leaders", "direction": "transfers", "status": "transfers",
                "review_overdue": "classifications"}.get(query.split("=")[0], "visits")
    response = client_for(director).get(f"/api/v1/{endpoint}/?{query}")
    assert response.status_code == 400


def test_a_repeated_list_filter_is_a_400(director):
    response = client_for(director).get("/api/v1/transfers/?direction=sideways&direction=incoming")
    assert response.status_code == 400 and response.data["direction"] == ["Une seule valeur est permise."]


def test_the_activity_list_pages_in_a_stable_order(director, bamako):
    """An unordered list split into pages can repeat or skip rows between pages."""
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    for name in ("Couture", "Bibliothèque", "Alphabétisation"):
        detention_services.create_activity(bamako, name=name, kind="library", open_to_regimes=["standard"], actor=director)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = client_for(director).get("/api/v1/activities/?page_size=2")
    assert response.status_code == 200
    assert [a["name"] for a in response.data["results"]] == ["Alphabétisation", "Bibliothèque"]


def test_a_visit_outside_the_visiting_days_through_the_api_needs_the_direction_and_a_reason(custody, clerk):

    director = factories.staff(Role.DIRECTOR, custody.facility, username="dir.visites")
    visit = {"custody": custody.pk, "kind": "family", "arrived_at": last_weekday(TUESDAY).isoformat(),
             "visitor": {"last_name": "Diallo", "first_name": "Awa", "id_document_kind": "nina",
                         "id_document_number": "N-9"},
             "exception_reason": "Mère hospitalisée, le fils repart demain"}
    assert client_for(clerk).post("/api/v1/visits/", visit, format="json").status_code == 403
    refused = client_for(director).post("/api/v1/visits/", {**visit, "exception_reason": ""}, format="json")
    assert refused.status_code == 400 and "arrived_at" in refused.data
    accepted = client_for(director).post("/api/v1/visits/", visit, format="json")
    assert accepted.status_code == 201, accepted.data
    record = Visit.objects.get()
    assert record.exception_authorised_by == director and record.exception_reason.startswith("Mère")
    shown = client_for(director).get(f"/api/v1/visits/{record.pk}/").data
    assert shown["exception_reason"].startswith("Mère") and shown["exception_authorised_by_name"]
