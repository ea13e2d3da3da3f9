"""The audit trail shows changes as rows, and restricted values (social profile, medical, social
report) only to readers whose roles may read those fields (issue 10 item 6, issue 16 §1)."""

import csv
import io

import pytest

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from accounts.services import record_audit
from intake import services as intake_services
from intake.models import Step
from tests import factories
from tests.intake.conftest import (
    administration_data,
    interview_data,
    medical_data,
    registry_data,
    security_data,
    warrant_data,
)

pytestmark = pytest.mark.django_db
RELIGION, ETHNIC, ROLE_IN_GROUP = "christianity", "bozo", "Logisticien du groupe"


@pytest.fixture
def admitted(bamako, clerk, cell):
    """A terrorism-related arrival through the five steps, profile filled at the interview."""
    staff = {Step.SECURITY: factories.staff(Role.SECURITY, bamako), Step.ADMINISTRATION: clerk,
             Step.REGISTRY: clerk, Step.MEDICAL: factories.staff(Role.MEDICAL, bamako),
             Step.INTERVIEW: factories.staff(Role.SOCIAL, bamako)}
    charges = [{"offence": "Association de malfaiteurs en relation avec une entreprise terroriste",
                "legal_class": "crime", "terrorism_related": True, "max_penalty_months": 240}]
    intake = intake_services.register_arrival(warrant_data(charges=charges), facility=bamako, actor=clerk)
    data = {
        Step.SECURITY: security_data(cell), Step.ADMINISTRATION: administration_data(),
        Step.REGISTRY: registry_data(), Step.MEDICAL: medical_data(),
        Step.INTERVIEW: interview_data(religion=RELIGION, ethnic_group=ETHNIC, affiliations=["jnim"],
                                       involvement="forced", organisational_role="other",
                                       organisational_role_other=ROLE_IN_GROUP,
                                       engagement_reasons=["survival"]),
    }
    for step in Step:
        intake = intake_services.complete_step(intake, step, data=data[step], actor=staff[step])
    return intake


def _readers(bamako):
    return {
        "director": factories.staff(Role.DIRECTOR, bamako, username="directeur.lecteur"),
        "admin": factories.staff(Role.ADMIN, username="admin.lecteur", is_staff=True),
        "superuser": factories.staff(Role.ADMIN, username="super.lecteur", is_staff=True, is_superuser=True),
    }


def test_restricted_values_are_kept_out_of_the_raw_changes(admitted):
    profile_entries = AuditEntry.objects.filter(target_type__model="socialprofile")
    assert profile_entries.exists()
    for entry in AuditEntry.objects.all():
        raw = str(entry.changes)
        for value in (RELIGION, ETHNIC, ROLE_IN_GROUP, "jnim"):
            assert value not in raw, (entry.pk, value)
    restricted = profile_entries.get().restricted_changes
    assert restricted["religion"] == {"permission": "inmates.view_socialprofile", "values": [None, RELIGION]}


def test_the_file_and_the_journal_open_for_every_reader_of_an_intake_made_file(client, admitted, bamako):
    """The registry step records {"items": …}: a template walking the raw dict got `.items` as
    the key and answered 500 to directors and administrators (issue 16 §1)."""
    for name, reader in _readers(bamako).items():
        client.force_login(reader)
        for url in (f"/detenus/{admitted.inmate_id}/", "/comptes/journal/",
                    f"/comptes/journal/?inmate={admitted.inmate_id}", "/comptes/journal/export.csv"):
            response = client.get(url)
            assert response.status_code == 200, (name, url)


def test_the_director_sees_the_profile_values_the_administrator_only_that_they_changed(client, admitted, bamako):
    readers = _readers(bamako)
    for name, reader in readers.items():
        client.force_login(reader)
        page = client.get(f"/comptes/journal/?inmate={admitted.inmate_id}").content.decode()
        detail = client.get(f"/detenus/{admitted.inmate_id}/").content.decode()
        export = client.get("/comptes/journal/export.csv").content.decode("utf-8-sig")
        for text in (page, detail, export):
            if name == "director":
                assert RELIGION in text and ROLE_IN_GROUP in text, name
            else:
                # The superuser flag grants nothing here: the administrator role has no access to
                # the social profile.
                assert RELIGION not in text and ETHNIC not in text and ROLE_IN_GROUP not in text, name
                assert "modifié" in text, name
        rows = list(csv.reader(io.StringIO(export), delimiter=";"))
        assert rows[0][9] == "modifications"


def test_the_admin_site_shows_rows_not_raw_values(client, admitted, bamako):
    superuser = _readers(bamako)["superuser"]
    client.force_login(superuser)
    entry = AuditEntry.objects.get(target_type__model="socialprofile")
    html = client.get(f"/admin/accounts/auditentry/{entry.pk}/change/").content.decode()
    assert "religion" in html and "modifié" in html
    assert RELIGION not in html and ROLE_IN_GROUP not in html


def test_change_rows_label_old_new_and_hidden_by_role_not_superuser(admitted, bamako):
    entry = AuditEntry.objects.get(target_type__model="socialprofile")
    readers = _readers(bamako)
    social = factories.staff(Role.SOCIAL, bamako)
    by_field = {row.field: row for row in entry.change_rows(social)}
    assert by_field["religion"].label == "religion" and by_field["religion"].new == RELIGION
    assert "jnim" in by_field["affiliations"].new and not by_field["religion"].hidden
    hidden = {row.field: row for row in entry.change_rows(readers["superuser"])}
    assert hidden["religion"].hidden and hidden["religion"].new is None
    assert "modifié" in hidden["religion"].shown
    registry = AuditEntry.objects.filter(target_type__model="steprecord", changes__has_key="items").get()
    rows = {row.field: row for row in registry.change_rows(readers["admin"])}
    assert rows["items"].new == "2" and not rows["items"].hidden


def test_medical_and_social_report_values_need_their_own_permission(bamako):
    doctor, director = factories.staff(Role.MEDICAL, bamako), factories.staff(Role.DIRECTOR, bamako)
    entry = record_audit(AuditAction.UPDATE, actor=doctor, changes={
        "treatment": ["—", "Isoniazide"], "step": [None, "Visite médicale"]},
        restricted={"treatment": "intake.view_medicalexamination"})
    assert "Isoniazide" not in str(entry.changes)
    assert {r.field: r.new for r in entry.change_rows(doctor)}["treatment"] == "Isoniazide"
    rows = {r.field: r for r in entry.change_rows(director)}
    assert rows["treatment"].hidden and rows["step"].new == "Visite médicale"


def test_entries_written_before_the_rule_are_filtered_on_read(bamako, inmate, clerk):
    """An old entry with the religion in `changes` (as the product wrote them until now)."""
    from inmates.models import SocialProfile

    profile = SocialProfile.objects.create(inmate=inmate)
    entry = AuditEntry.objects.create(action=AuditAction.UPDATE, target_type=__import__(
        "django.contrib.contenttypes.models", fromlist=["ContentType"]).ContentType.objects.get_for_model(profile),
        target_id=str(profile.pk), changes={"religion": [None, RELIGION]})
    admin = factories.staff(Role.ADMIN)
    assert entry.change_rows(admin)[0].hidden
    assert entry.change_rows(factories.staff(Role.SOCIAL, bamako))[0].new == RELIGION
