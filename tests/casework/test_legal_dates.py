"""Absurd dates are refused in legal records, through the pages and the API, in French, with
nothing written (issue 10, items 9 and 14); the range rule itself is tested in
tests/prisons/test_dates.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import Case, DetentionOrder, Judgment
from inmates.models import Custody, Inmate, Release
from intake.models import Intake
from tests.api_clients import client_for
from tests.intake.test_api import arrival_payload

pytestmark = pytest.mark.django_db

TOO_EARLY = "postérieure au 1er janvier 1900"


def case_of(inmate):
    return Case.objects.get(custody__inmate=inmate)


def test_a_detention_order_issued_in_year_1_or_valid_to_9999_is_a_400(clerk, inmate):
    url = f"/api/v1/cases/{case_of(inmate).pk}/detention-orders/"
    payload = {"kind": "detention", "issued_on": "0001-01-01", "issued_by": "M. Diarra"}
    response = client_for(clerk).post(url, payload, format="json")
    assert response.status_code == 400 and TOO_EARLY in response.data["issued_on"][0]
    response = client_for(clerk).post(url, {**payload, "issued_on": str(timezone.localdate()),
                                            "valid_until": "9999-12-31"}, format="json")
    assert response.status_code == 400 and "plus de 5 ans" in response.data["valid_until"][0]
    assert DetentionOrder.objects.count() == 1  # the committal order of the file only


def test_the_order_form_refuses_an_order_valid_to_9999_and_keeps_the_input(client, clerk, inmate):
    client.force_login(clerk)
    response = client.post(reverse("casework:order_add", args=[case_of(inmate).pk]), {
        "kind": "detention", "reference": "OPD-99", "issued_on": timezone.localdate().isoformat(),
        "issued_by": "M. Diarra", "valid_until": "9999-12-31"})
    html = response.content.decode()
    assert response.status_code == 200 and "plus de 5 ans" in html and 'value="OPD-99"' in html
    assert DetentionOrder.objects.count() == 1


def test_a_hearing_in_1899_is_refused_in_french(clerk, inmate):
    response = client_for(clerk).post(f"/api/v1/cases/{case_of(inmate).pk}/hearings/", {
        "date": "1899-12-31", "kind": "examination"}, format="json")
    assert response.status_code == 400 and TOO_EARLY in response.data["date"][0]


def test_a_judgment_dated_before_its_case_opened_is_a_400_not_a_500(clerk, inmate):
    case = services.update_case(case_of(inmate), actor=clerk, opened_on=timezone.localdate() - datetime.timedelta(days=20),
                                reason="Date d'ouverture portée au dossier")
    before = (case.opened_on - datetime.timedelta(days=3)).isoformat()
    client = client_for(clerk)
    response = client.post(f"/api/v1/cases/{case.pk}/judgments/", {"decided_on": before, "verdict": "acquitted"},
                           format="json")
    assert response.status_code == 400
    assert response.data["decided_on"] == [
        f"Le jugement ne peut pas être antérieur à l'ouverture de l'affaire (le {case.opened_on:%d/%m/%Y})."]
    assert not Judgment.objects.exists() and Case.objects.get(pk=case.pk).closed_on is None
    response = client.post(f"/api/v1/cases/{case.pk}/judgments/", {
        "decided_on": case.opened_on.isoformat(), "verdict": "acquitted"}, format="json")
    assert response.status_code == 201, response.data


def test_the_judgment_form_refuses_a_judgment_before_the_case_opened(client, clerk, inmate):
    case = services.update_case(case_of(inmate), actor=clerk, opened_on=timezone.localdate() - datetime.timedelta(days=20),
                                reason="Date d'ouverture portée au dossier")
    client.force_login(clerk)
    response = client.post(reverse("casework:judgment_add", args=[case.pk]), {
        "level": "first", "decided_on": (case.opened_on - datetime.timedelta(days=1)).isoformat(),
        "verdict": "acquitted"})
    assert response.status_code == 200
    assert "antérieur à l&#x27;ouverture de l&#x27;affaire" in response.content.decode()
    assert not Judgment.objects.exists()


def test_a_release_order_received_in_1899_is_refused_through_both_doors(client, clerk, inmate):
    custody = inmate.custodies.get()
    response = client_for(clerk).post("/api/v1/releases/", {
        "custody": custody.pk, "reason": "release_order", "authority": "Juge d'instruction",
        "order_reference": "OML-7", "order_received_at": "1899-06-01T09:00:00Z", "property_returned": True,
        "receipt": "thumbprint", "file_extract_given": True}, format="json")
    assert response.status_code == 400 and TOO_EARLY in str(response.data)
    client.force_login(clerk)
    response = client.post(reverse("life:release_form", args=[custody.pk]), {
        "reason": "release_order", "authority": "Juge d'instruction", "order_reference": "OML-7",
        "order_received_at": "1899-06-01T09:00", "receipt": "thumbprint"})
    assert response.status_code == 200 and TOO_EARLY in response.content.decode()
    assert not Release.objects.exists() and Custody.objects.get(pk=custody.pk).status == "held"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("arrested_at", "0001-01-01T08:00:00Z", TOO_EARLY),
    ("issued_on", "1899-12-31", TOO_EARLY),
    ("valid_until", "9999-12-31", "plus de 5 ans"),
    ("date_of_birth", "2099-01-01", "La date de naissance est dans le futur."),
])
def test_an_arrival_with_an_absurd_date_is_a_400_and_nothing_is_created(clerk, field, value, message):
    before = Inmate.objects.count()
    response = client_for(clerk).post("/api/v1/arrivals/", arrival_payload(**{field: value}), format="json")
    assert response.status_code == 400, response.data
    assert message in str(response.json())
    assert Inmate.objects.count() == before and not Intake.objects.exists()
