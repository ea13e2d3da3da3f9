"""Attack script (issue 10, high, item 2): need-to-know binds every account, superusers included.

A superuser with no role, a superuser who is also system administrator, and the system
administrator try every door — the intake pages and sheet, the step pages, the API (token),
the admin site, the exports, the audit journal — for the medical examination, the social
report and profile, and a confidential complaint, all made through the real workflow with
secret words. None of the words may come back; the readers entitled to them (medical staff,
the social service, the direction, the addressee) get them, so the search is not blind.
"""

import io

import pytest
from rest_framework.test import APIClient

from accounts import need_to_know
from accounts.models import AuditEntry
from accounts.roles import Role
from detention import services as detention_services
from intake import services as intake_services
from intake.models import Step
from tests import factories
from tests.factories import PASSWORD
from tests.intake.conftest import (
    administration_data,
    interview_data,
    medical_data,
    registry_data,
    security_data,
    warrant_data,
)

pytestmark = pytest.mark.django_db

MEDICAL = ("Traitement-medical-secret", "Tuberculose-secrete suspectee")
SOCIAL = ("Parcours-social-secret", "Recit-des-faits-secret", "Conclusions-sociales-secretes")
PROFILE = ("Religion-secrete", "Role-organisationnel-secret")
COMPLAINT = ("Objet-confidentiel-secret", "Expose-confidentiel-secret")
SECRETS = {"medical": MEDICAL, "social": SOCIAL, "profile": PROFILE, "complaint": COMPLAINT}


@pytest.fixture
def case(bamako, clerk, cell):
    """A terrorism-related arrival through the five steps (secrets at steps 4 and 5), a
    confidential complaint addressed to the director, and an intake whose medical step is next."""
    staff = {Step.SECURITY: factories.staff(Role.SECURITY, bamako, username="securite.bko"),
             Step.ADMINISTRATION: clerk, Step.REGISTRY: clerk,
             Step.MEDICAL: factories.staff(Role.MEDICAL, bamako, username="medecin.bko"),
             Step.INTERVIEW: factories.staff(Role.SOCIAL, bamako, username="social.bko")}
    director = factories.staff(Role.DIRECTOR, bamako, username="directeur.bko")
    charges = [{"offence": "Association de malfaiteurs en relation avec une entreprise terroriste",
                "legal_class": "crime", "terrorism_related": True, "max_penalty_months": 240}]
    intake = intake_services.register_arrival(warrant_data(charges=charges), facility=bamako, actor=clerk)
    data = {
        Step.SECURITY: security_data(cell), Step.ADMINISTRATION: administration_data(),
        Step.REGISTRY: registry_data(),
        Step.MEDICAL: medical_data(treatment=MEDICAL[0], contagious_screening=MEDICAL[1]),
        Step.INTERVIEW: interview_data(background=SOCIAL[0], own_account=SOCIAL[1], conclusions=SOCIAL[2],
                                       religion="other", religion_other=PROFILE[0],
                                       organisational_role="other", organisational_role_other=PROFILE[1],
                                       affiliations=["jnim"], involvement="forced"),
    }
    for step in Step:
        intake = intake_services.complete_step(intake, step, data=data[step], actor=staff[step])
    complaint = detention_services.register_complaint(
        intake.custody, complainant_kind="detainee", channel="written", subject=COMPLAINT[0],
        details=COMPLAINT[1], is_confidential=True, addressed_to=director, actor=clerk)
    pending = intake_services.register_arrival(
        warrant_data(last_name="Traoré", warrant_number="MD-119/2026", case_number="RI-119/2026",
                     charges=charges),
        facility=bamako, actor=clerk)
    for step in (Step.SECURITY, Step.ADMINISTRATION, Step.REGISTRY):
        pending = intake_services.complete_step(pending, step, data=data[step] if step != Step.ADMINISTRATION
                                                else administration_data(), actor=staff[step])
    return {"intake": intake, "pending": pending, "complaint": complaint, "director": director,
            "bamako": bamako, "readers": {**{s.username: s for s in staff.values()}, director.username: director}}


ATTACKERS = {
    "superuser without a role": dict(role=None, is_superuser=True, is_staff=True),
    "superuser and system administrator": dict(role=Role.ADMIN, is_superuser=True, is_staff=True),
    "system administrator": dict(role=Role.ADMIN, is_staff=True),
}


@pytest.fixture(params=list(ATTACKERS))
def attacker(request, db):
    fields = dict(ATTACKERS[request.param])
    role = fields.pop("role")
    return factories.staff(role, username="intrus", **fields)


def _pages(case):
    intake, complaint = case["intake"], case["complaint"]
    inmate, custody, facility = intake.inmate_id, intake.custody_id, case["bamako"].pk
    return [
        f"/ecrou/{intake.pk}/", f"/ecrou/{intake.pk}/fiche/", f"/ecrou/{intake.pk}/rapport-social/",
        f"/ecrou/{intake.pk}/etape/medical/", f"/ecrou/{intake.pk}/etape/interview/",
        f"/detenus/{inmate}/", f"/vie-carcerale/sejours/{custody}/",
        f"/vie-carcerale/plaintes/{complaint.pk}/", f"/vie-carcerale/etablissements/{facility}/plaintes/",
        f"/vie-carcerale/etablissements/{facility}/plaintes/?confidentielles=1",
        "/comptes/journal/", f"/comptes/journal/?inmate={inmate}", "/comptes/journal/export.csv",
        "/rapports/profiles/", "/rapports/profiles/export.csv",
    ]


def _api_urls(case):
    intake, complaint = case["intake"], case["complaint"]
    return [
        "/api/v1/intakes/", f"/api/v1/intakes/{intake.pk}/", f"/api/v1/inmates/{intake.inmate_id}/",
        f"/api/v1/custodies/{intake.custody_id}/", "/api/v1/complaints/", f"/api/v1/complaints/{complaint.pk}/",
        "/api/v1/reports/profiles/",
    ]


def _admin_urls(case):
    intake, complaint = case["intake"], case["complaint"]
    entries = AuditEntry.objects.filter(inmate_id=intake.inmate_id).values_list("pk", flat=True)
    return [
        "/admin/detention/complaint/", f"/admin/detention/complaint/{complaint.pk}/change/",
        f"/admin/intake/intake/{intake.pk}/change/", "/admin/intake/medicalexamination/",
        "/admin/intake/interviewrecord/", "/admin/inmates/socialprofile/",
        "/admin/accounts/auditentry/", *(f"/admin/accounts/auditentry/{pk}/change/" for pk in entries),
    ]


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8-sig", errors="replace")


def _leaks(text, kinds=SECRETS):
    return [secret for kind in kinds for secret in SECRETS[kind] if secret.lower() in text.lower()]


def _token(username):
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD},
                                format="json")
    assert response.status_code == 200, response.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return api


def test_the_rule_is_role_membership_in_one_place(case, attacker):
    assert not need_to_know.can_read_medical(attacker)
    assert not need_to_know.can_read_social_report(attacker)
    assert not need_to_know.can_read_sensitive_profile(attacker)
    assert not need_to_know.can_read_confidential_complaint(attacker, case["complaint"])
    # Django's own check answers the same, so every door that asks it (templates, DRF, admin).
    for perm in ("intake.view_medicalexamination", "intake.change_medicalexamination",
                 "intake.view_interviewrecord", "inmates.view_socialprofile", "intake.complete_medical",
                 "intake.complete_interview", "detention.view_confidential_complaint"):
        assert not attacker.has_perm(perm), perm
    assert not attacker.has_perms(["intake.view_intake", "intake.view_medicalexamination"])


def test_a_permission_given_to_the_account_directly_grants_nothing_either(case, attacker):
    from django.contrib.auth.models import Permission

    attacker.user_permissions.add(Permission.objects.get(codename="view_medicalexamination"),
                                  Permission.objects.get(codename="view_confidential_complaint"))
    attacker = type(attacker).objects.get(pk=attacker.pk)
    assert not attacker.has_perm("intake.view_medicalexamination")
    assert not need_to_know.can_read_confidential_complaint(attacker, case["complaint"])


def test_no_page_or_export_gives_the_attacker_any_secret(client, case, attacker):
    client.force_login(attacker)
    found = []
    for url in _pages(case):
        response = client.get(url)
        assert response.status_code < 500, url
        found += [(url, secret) for secret in _leaks(_text(response))]
    assert found == []


def test_no_api_answer_gives_the_attacker_any_secret(case, attacker):
    api = _token(attacker.username)
    found = []
    for url in _api_urls(case):
        response = api.get(url)
        assert response.status_code < 500, url
        found += [(url, secret) for secret in _leaks(_text(response))]
    assert found == []
    assert api.get(f"/api/v1/complaints/{case['complaint'].pk}/").status_code == 404


def test_no_admin_page_gives_the_attacker_any_secret(client, case, attacker):
    client.force_login(attacker)
    found = []
    for url in _admin_urls(case):
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        found += [(url, secret) for secret in _leaks(_text(response))]
    assert found == []


def test_the_attacker_cannot_do_the_medical_or_interview_step_by_either_door(client, case, attacker):
    """Doing the step is reading what one writes: the medical step for medical staff only."""
    pending = case["pending"]
    client.force_login(attacker)
    assert client.get(f"/ecrou/{pending.pk}/etape/medical/").status_code in (403, 404)
    assert client.post(f"/ecrou/{pending.pk}/etape/medical/", medical_data()).status_code in (403, 404)
    api = _token(attacker.username)
    assert api.post(f"/api/v1/intakes/{pending.pk}/medical/", medical_data(), format="json").status_code in (403, 404)
    pending.refresh_from_db()
    assert pending.last_step == Step.REGISTRY


def test_the_entitled_readers_do_get_the_secrets(client, case):
    """The positive control: the same doors answer the words to the roles entitled to them."""
    intake, complaint, readers = case["intake"], case["complaint"], case["readers"]
    expected = {
        "medecin.bko": (f"/ecrou/{intake.pk}/fiche/", "medical"),
        "social.bko": (f"/ecrou/{intake.pk}/rapport-social/", "social"),
        "directeur.bko": (f"/vie-carcerale/plaintes/{complaint.pk}/", "complaint"),
    }
    for username, (url, kind) in expected.items():
        client.force_login(readers[username])
        assert _leaks(_text(client.get(url)), [kind]) == list(SECRETS[kind]), username
    client.force_login(case["director"])  # the profile's values, in the file's journal
    assert _leaks(_text(client.get(f"/detenus/{intake.inmate_id}/")), ["profile"]) == list(PROFILE)
    director_api = _token("directeur.bko")
    assert _leaks(_text(director_api.get(f"/api/v1/complaints/{complaint.pk}/")), ["complaint"]) == list(COMPLAINT)
