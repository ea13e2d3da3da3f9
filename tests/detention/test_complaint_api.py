"""A clerk registers a confidential complaint through the API (issue 10, item 10): a 201 with
what the author may see (not the content), and a retry with the same request key returns the
first complaint instead of making a second one."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEntry
from detention.models import Complaint
from tests.api_clients import client_for
from tests.custody_fixtures import custody  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"


def _confidential(custody, **extra):
    return {"custody": custody.pk, "complainant_kind": "detainee", "channel": "box",
            "subject": "Racket au quartier B", "details": "Le chef de cellule exige de l'argent.",
            "is_confidential": True, **extra}


def test_a_clerks_confidential_complaint_is_a_201_receipt_without_its_content(custody, clerk, director):
    response = client_for(clerk).post(URL, _confidential(custody), format="json")
    assert response.status_code == 201, response.data
    complaint = Complaint.objects.get()
    assert response.data["id"] == complaint.pk and response.data["is_confidential"] is True
    assert response.data["status"] == "open" and response.data["due_on"]
    assert "subject" not in response.data and "details" not in response.data
    assert "Racket" not in response.content.decode()
    # The clerk still cannot read it; the director can.
    assert client_for(clerk).get(f"{URL}{complaint.pk}/").status_code == 404
    assert client_for(director).get(f"{URL}{complaint.pk}/").data["subject"] == "Racket au quartier B"


def test_a_retry_with_the_same_idempotency_key_returns_the_first_complaint(custody, clerk):
    api = client_for(clerk)
    first = api.post(URL, _confidential(custody), format="json", HTTP_IDEMPOTENCY_KEY="tablette-7-0001")
    again = api.post(URL, _confidential(custody), format="json", HTTP_IDEMPOTENCY_KEY="tablette-7-0001")
    assert first.status_code == 201 and again.status_code == 200
    assert again.data["id"] == first.data["id"]
    assert Complaint.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_type__model="complaint").count() == 1
    other = api.post(URL, _confidential(custody), format="json", HTTP_IDEMPOTENCY_KEY="tablette-7-0002")
    assert other.status_code == 201 and Complaint.objects.count() == 2


def test_the_request_key_can_also_be_a_field_and_is_per_author(custody, clerk, director):
    first = client_for(clerk).post(URL, _confidential(custody, request_key="k-1"), format="json")
    again = client_for(clerk).post(URL, _confidential(custody, request_key="k-1"), format="json")
    assert (first.status_code, again.status_code) == (201, 200) and first.data["id"] == again.data["id"]
    # Another author's key is another request: a key cannot be used to fetch someone else's complaint.
    theirs = client_for(director).post(URL, _confidential(custody, request_key="k-1"), format="json")
    assert theirs.status_code == 201 and theirs.data["id"] != first.data["id"]
    assert Complaint.objects.count() == 2


def test_a_key_reused_for_another_detainee_is_refused(custody, clerk, bamako):
    from tests import factories

    other = factories.detainee(bamako, actor=clerk, last_name="KONÉ").custodies.get()
    api = client_for(clerk)
    assert api.post(URL, _confidential(custody), format="json", HTTP_IDEMPOTENCY_KEY="k-9").status_code == 201
    response = api.post(URL, _confidential(other), format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    assert response.status_code == 400 and "request_key" in response.data
    assert Complaint.objects.count() == 1


def test_an_overlong_key_is_a_400(custody, clerk):
    response = client_for(clerk).post(URL, _confidential(custody), format="json", HTTP_IDEMPOTENCY_KEY="x" * 65)
    assert response.status_code == 400 and "request_key" in response.data
    assert not Complaint.objects.exists()


def test_the_complaint_form_carries_a_key_so_a_double_submission_saves_once(client, custody, clerk):
    client.force_login(clerk)
    url = reverse("life:complaint_add", args=[custody.pk])
    form = client.get(url).context["form"]
    key = form.initial["request_key"]
    data = {"complainant_kind": "detainee", "channel": "box", "subject": "Racket", "details": "…",
            "is_confidential": "on", "request_key": key}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Complaint.objects.count() == 1
