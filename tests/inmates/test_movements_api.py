"""The API of transfers and releases (inmates/api.py): both prisons, each on its own side."""

import datetime

import pytest
from django.utils import timezone

from inmates import movements
from inmates.models import Custody, Transfer, TransferStatus
from tests.api_clients import client_for
from tests.custody_fixtures import custody, kenieroba, knb_cell, knb_clerk, last_weekday  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_transfer_runs_end_to_end_through_the_api_with_both_prisons(custody, clerk, director, kenieroba,
                                                                       knb_clerk, knb_cell):
    created = client_for(clerk).post("/api/v1/transfers/", {
        "custody": custody.pk, "to_facility": kenieroba.pk, "reason": "Désengorgement de la MCA",
        "escort": "Garde nationale"}, format="json")
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    person = created.data["person"]
    assert (person["legal_status"], person["terrorism_related"]) == ("charged", False)
    assert client_for(director).post(f"/api/v1/transfers/{pk}/approve/", {}, format="json").status_code == 200
    departed = client_for(clerk).post(f"/api/v1/transfers/{pk}/depart/", {"property_seal_number": "S-1"},
                                      format="json")
    assert departed.status_code == 200 and departed.data["status"] == "departed"
    # The receiving prison sees the arrival coming.
    incoming = client_for(knb_clerk).get(f"/api/v1/transfers/?facility={kenieroba.pk}&direction=incoming")
    assert [row["id"] for row in incoming.data["results"]] == [pk]
    arrived = client_for(knb_clerk).post(f"/api/v1/transfers/{pk}/arrive/", {"unit": knb_cell.pk}, format="json")
    assert arrived.status_code == 200, arrived.data
    assert arrived.data["status"] == "arrived" and arrived.data["arrived_by_name"]
    assert Custody.objects.get(pk=custody.pk).facility == kenieroba


def test_an_unrelated_prison_gets_404_on_a_transfer_and_on_its_steps(custody, clerk, other_clerk, kenieroba):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    api = client_for(other_clerk)
    assert api.get(f"/api/v1/transfers/{transfer.pk}/").status_code == 404
    assert api.post(f"/api/v1/transfers/{transfer.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    assert api.get("/api/v1/transfers/").data["results"] == []


def test_a_clerk_cannot_approve_a_transfer(custody, clerk, kenieroba):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    assert client_for(clerk).post(f"/api/v1/transfers/{transfer.pk}/approve/", {}, format="json").status_code == 403
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.REQUESTED


def test_the_sending_prison_cannot_record_the_arrival(custody, clerk, director, kenieroba, knb_cell):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk, escort="G")
    movements.approve_transfer(transfer, actor=director)
    movements.depart_transfer(transfer, actor=clerk)
    response = client_for(clerk).post(f"/api/v1/transfers/{transfer.pk}/arrive/", {"unit": knb_cell.pk},
                                      format="json")
    assert response.status_code in (400, 403)  # the unit is not even visible to Bamako's clerk
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.DEPARTED


def test_a_second_transfer_request_is_a_400_in_french(custody, clerk, kenieroba, koulikoro):
    movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    response = client_for(clerk).post("/api/v1/transfers/", {"custody": custody.pk, "to_facility": koulikoro.pk,
                                                             "reason": "y"}, format="json")
    assert response.status_code == 400
    assert "Un transfert est déjà en cours pour cette personne." in response.data["non_field_errors"]


def test_a_transfer_of_another_prisons_detainee_is_refused(custody, other_clerk, kenieroba):
    response = client_for(other_clerk).post("/api/v1/transfers/", {
        "custody": custody.pk, "to_facility": kenieroba.pk, "reason": "x"}, format="json")
    assert response.status_code == 400 and "custody" in response.data
    assert not Transfer.objects.exists()


def test_a_release_through_the_api_returns_the_delay_and_closes_the_custody(custody, clerk):
    received = (timezone.now() - datetime.timedelta(hours=5)).isoformat()
    response = client_for(clerk).post("/api/v1/releases/", {
        "custody": custody.pk, "reason": "release_order", "authority": "Juge d'instruction",
        "order_reference": "OML-7", "order_received_at": received, "property_returned": True,
        "receipt": "thumbprint", "file_extract_given": True}, format="json")
    assert response.status_code == 201, response.data
    assert float(response.data["delay_hours"]) == pytest.approx(5.0, abs=0.1)
    assert Custody.objects.get(pk=custody.pk).status == "released"


def test_a_release_without_its_order_reference_is_a_400_with_french_messages(custody, clerk):
    response = client_for(clerk).post("/api/v1/releases/", {
        "custody": custody.pk, "reason": "acquittal", "order_received_at": timezone.now().isoformat()},
        format="json")
    assert response.status_code == 400
    assert response.data["order_reference"] == ["Indiquez la référence de la décision."]
    assert Custody.objects.get(pk=custody.pk).status == "held"
