"""The subject-access export (issue 10, item 12): both doors, roles, scope, need-to-know, audit."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from detention import services as detention_services
from inmates import services as inmate_services
from intake import services as intake_services
from intake.models import Step
from tests import factories
from tests.api_clients import client_for
from tests.intake.conftest import arrival, medical_data, run_steps, staff_by_step, step_data  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

MEDICAL_SECRET = "SECRET-MEDICAL-7Q2"
RELIGION_SECRET = "SECRET-RELIGION-4K"
INTERVIEW_SECRET = "SECRET-INTERVIEW-9Z"
COMPLAINT_SUBJECT = "Repas insuffisants en cellule A1"


@pytest.fixture
def person(arrival, staff_by_step, cell, clerk):
    """A person through the whole intake, with a treatment, a social profile and a complaint."""
    intake = arrival
    for step in Step:
        data = step_data(step, cell)
        if step == Step.MEDICAL:
            data = medical_data(treatment=MEDICAL_SECRET)
        if step == Step.INTERVIEW:
            data["own_account"] = INTERVIEW_SECRET
        intake = intake_services.complete_step(intake, step, data=data, actor=staff_by_step[step])
    inmate = intake.inmate
    inmate_services.record_social_profile(inmate, actor=clerk, religion="other", religion_other=RELIGION_SECRET)
    detention_services.register_complaint(intake.custody, complainant_kind="detainee", channel="written",
                                       subject=COMPLAINT_SUBJECT, details="Une ration par jour.", actor=clerk)
    return inmate


def page(pk):
    return f"/detenus/{pk}/acces-personne/"


def api(pk):
    return f"/api/v1/inmates/{pk}/subject-access/"


def exports_of(inmate):
    return AuditEntry.objects.filter(action=AuditAction.EXPORT, inmate_id=inmate.pk)


def test_the_director_prints_everything_held_but_the_medical_part(client, person, director):
    client.force_login(director)
    response = client.get(page(person.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert person.last_name.upper() in body and COMPLAINT_SUBJECT in body
    assert "Affaires, chefs" in body and "Séjours, placements" in body
    assert RELIGION_SECRET in body and INTERVIEW_SECRET in body  # the direction reads both
    assert MEDICAL_SECRET not in body
    entry = exports_of(person).get()
    assert entry.actor == director and "subject access export" in entry.reason


def test_the_clerk_api_gives_json_without_medical_profile_or_interview_text(person, clerk):
    response = client_for(clerk).get(api(person.pk))
    assert response.status_code == 200
    body = response.content.decode()
    for secret in (MEDICAL_SECRET, RELIGION_SECRET, INTERVIEW_SECRET):
        assert secret not in body
    sections = {s["key"]: s for s in response.json()["sections"]}
    assert sections["medical"]["restricted"] and sections["medical"]["records"] == []
    assert sections["profile"]["restricted"] and sections["interviews"]["restricted"]
    assert any(r["kind"] == "charge" for r in sections["cases"]["records"])
    assert any(r["kind"] == "placement" for r in sections["stays"]["records"])
    custody = next(r for r in sections["stays"]["records"] if r["kind"] == "custody")
    labels = {f["field"] for f in custody["fields"]}
    assert {"legal_status", "terrorism_related"} <= labels  # legal status beside the flag
    assert exports_of(person).count() == 1


def test_the_medical_part_goes_to_a_reader_in_the_medical_role_only(person, director):
    director.groups.add(Group.objects.get(name=Role.MEDICAL))
    response = client_for(factories.User.objects.get(pk=director.pk)).get(api(person.pk))
    assert MEDICAL_SECRET in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_MEDICAL, inmate_id=person.pk).exists()


def test_a_superuser_clerk_gets_no_medical_text(person, bamako):
    boss = factories.staff(Role.CLERK, bamako, username="root.bko", is_superuser=True)
    body = client_for(boss).get(api(person.pk)).content.decode()
    assert MEDICAL_SECRET not in body and RELIGION_SECRET not in body


def test_another_prisons_clerk_gets_404_at_both_doors(client, person, other_clerk):
    client.force_login(other_clerk)
    assert client.get(page(person.pk)).status_code == 404
    assert client.get(page(person.pk).rstrip("/") + ".pdf").status_code == 404
    assert client_for(other_clerk).get(api(person.pk)).status_code == 404
    assert not exports_of(person).exists()


@pytest.mark.parametrize("role", [Role.SECURITY, Role.MEDICAL, Role.SOCIAL, Role.ADMIN])
def test_other_roles_are_refused_at_both_doors(client, person, bamako, role):
    user = factories.staff(role, bamako, username=f"x.{role}")
    client.force_login(user)
    assert client.get(page(person.pk)).status_code == 403
    assert client_for(user).get(api(person.pk)).status_code == 403
    assert not exports_of(person).exists()


def test_without_credentials_the_api_refuses(person):
    response = APIClient().get(api(person.pk))
    assert response.status_code in (401, 403)
    assert COMPLAINT_SUBJECT not in response.content.decode()


def test_dnapes_exports_any_prisons_person_and_each_export_is_audited(person, manager):
    client = client_for(manager)
    assert client.get(api(person.pk)).status_code == 200
    assert client.get(api(person.pk)).status_code == 200
    assert exports_of(person).filter(actor=manager).count() == 2


def test_the_export_prints_as_pdf(client, person, director):
    client.force_login(director)
    response = client.get(f"/detenus/{person.pk}/acces-personne.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert exports_of(person).count() == 1


def test_the_file_links_to_the_export_for_the_roles_that_may_use_it(client, person, director, security_officer):
    client.force_login(director)
    assert page(person.pk) in client.get(f"/detenus/{person.pk}/").content.decode()
    client.force_login(security_officer)
    assert page(person.pk) not in client.get(f"/detenus/{person.pk}/").content.decode()
