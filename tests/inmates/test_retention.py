"""The retention rule (issue 10, item 12): files archived N years after the last release,
read-only, hidden from facility roles, readable nationally; the audit trail is kept."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEntry
from casework import services as case_services
from inmates import movements, services
from inmates.models import Inmate
from inmates.retention import apply_retention
from inmates.tasks import apply_retention as apply_retention_task
from tests import factories
from tests.api_clients import client_for

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)


def released_person(facility, clerk, *, released_at, last_name="COULIBALY"):
    """A person admitted a month before `released_at` and released then, through the services."""
    with time_machine.travel(released_at - datetime.timedelta(days=30), tick=False):
        inmate = factories.detainee(facility, actor=clerk, last_name=last_name)
    with time_machine.travel(released_at, tick=False):
        movements.release(inmate.custodies.get(), reason="release_order", authority="Juge d'instruction",
                         order_reference="OML-1", order_received_at=released_at - datetime.timedelta(hours=2),
                         left_at=released_at, actor=clerk)
    return inmate


def years_ago(years, days=0):
    return NOW.replace(year=NOW.year - years) - datetime.timedelta(days=days)


@pytest.fixture
def old(bamako, clerk):
    return released_person(bamako, clerk, released_at=years_ago(10, days=1), last_name="ANCIEN")


@pytest.fixture
def recent(bamako, clerk):
    return released_person(bamako, clerk, released_at=years_ago(10, days=-1), last_name="RECENT")


@pytest.fixture
def archived(old):
    with time_machine.travel(NOW, tick=False):
        assert apply_retention() == 1
    old.refresh_from_db()
    return old


def test_only_people_released_more_than_ten_years_ago_are_archived(old, recent, bamako, clerk):
    with time_machine.travel(NOW, tick=False):
        held = factories.detainee(bamako, actor=clerk, last_name="PRESENT")
        audit_before = AuditEntry.objects.count()
        assert apply_retention() == 1
        assert apply_retention() == 0  # idempotent
    assert list(Inmate.objects.filter(archived_at__isnull=False)) == [old]
    assert Inmate.objects.get(pk=old.pk).archived_at == NOW
    assert not Inmate.objects.get(pk=recent.pk).archived_at and not Inmate.objects.get(pk=held.pk).archived_at
    entry = AuditEntry.objects.get(inmate_id=old.pk, changes__has_key="archived_at")
    assert entry.actor_name == "retention" and "10 ans" in entry.reason
    assert AuditEntry.objects.count() == audit_before + 1  # nothing of the trail deleted


def test_the_period_is_a_setting(settings, old, recent):
    settings.RECORD_RETENTION_YEARS_AFTER_RELEASE = 12
    with time_machine.travel(NOW, tick=False):
        assert apply_retention() == 0
    settings.RECORD_RETENTION_YEARS_AFTER_RELEASE = 5
    with time_machine.travel(NOW, tick=False):
        assert apply_retention() == 2


def test_the_last_release_counts_when_a_person_came_back(bamako, clerk, old):
    with time_machine.travel(years_ago(3), tick=False):
        services.admit_to_custody(old, facility=bamako, admitted_at=timezone.now(), actor=clerk)
        custody = old.custodies.order_by("-admitted_at").first()
        case = case_services.open_case(custody, actor=clerk, court=factories.court(), case_number="RI-2/2023",
                                       charges=[{"offence": "Vol", "legal_class": "delit",
                                                 "max_penalty_months": 36}])
        case_services.record_detention_order(case, actor=clerk, kind="committal", issued_on=timezone.localdate(),
                                             issued_by="M. Diarra, juge d'instruction")
        services.complete_admission(custody, actor=clerk)
        movements.release(custody, reason="release_order", authority="Juge", order_reference="OML-2",
                         order_received_at=timezone.now(), actor=clerk)
    with time_machine.travel(NOW, tick=False):
        assert apply_retention() == 0


def test_the_command_and_the_daily_task_apply_the_rule(old, recent, capsys):
    with time_machine.travel(NOW, tick=False):
        call_command("apply_retention")
        assert "1 dossier(s) archivé(s)" in capsys.readouterr().out
        assert apply_retention_task.delay().get() == 0


def test_services_refuse_changes_to_an_archived_file(archived, clerk):
    message = "dossier est archivé"
    with pytest.raises(ValidationError, match=message):
        services.update_inmate(archived, actor=clerk, reason="Correction", first_name="Autre")
    with pytest.raises(ValidationError, match=message):
        services.add_alias(archived, name="Autre nom", actor=clerk)
    with pytest.raises(ValidationError, match=message):
        services.record_social_profile(archived, actor=clerk, religion="x")
    custody = archived.custodies.get()
    with pytest.raises(ValidationError, match=message):
        services.update_custody(custody, actor=clerk, reason="Correction", arrest_place="Kati")
    case = custody.cases.get()
    with pytest.raises(ValidationError, match=message):
        case_services.record_hearing(case, actor=clerk, kind="trial", date=timezone.localdate())
    archived.refresh_from_db()
    assert archived.first_name == "Mamadou" and not archived.aliases.exists()


def test_facility_roles_no_longer_see_an_archived_file(client, archived, recent, clerk):
    client.force_login(clerk)
    assert client.get(f"/detenus/{archived.pk}/").status_code == 404
    listing = client.get("/detenus/?situation=released").content.decode()
    assert "RECENT" in listing and "ANCIEN" not in listing
    api = client_for(clerk)
    assert api.get(f"/api/v1/inmates/{archived.pk}/").status_code == 404
    assert api.patch(f"/api/v1/inmates/{archived.pk}/", {"first_name": "X", "reason": "r"},
                     format="json").status_code == 404
    assert archived.pk not in [r["id"] for r in api.get("/api/v1/inmates/?page_size=500").json()["results"]]
    assert api.get(f"/api/v1/inmates/{archived.pk}/subject-access/").status_code == 404


def test_national_roles_read_an_archived_file_with_its_badge(client, archived, manager):
    client.force_login(manager)
    listing = client.get("/detenus/?situation=released").content.decode()
    assert "ANCIEN" in listing and "archivé" in listing
    response = client.get(f"/detenus/{archived.pk}/")
    assert response.status_code == 200 and "archivé" in response.content.decode()
    body = client_for(manager).get(f"/api/v1/inmates/{archived.pk}/").json()
    assert body["archived_at"] is not None
    export = client_for(manager).get(f"/api/v1/inmates/{archived.pk}/subject-access/").json()
    assert export["inmate"]["archived"] is True


def test_a_new_admission_brings_the_file_back_into_use(archived, bamako, clerk):
    services.admit_to_custody(archived, facility=bamako, admitted_at=timezone.now(), actor=clerk)
    archived.refresh_from_db()
    assert archived.archived_at is None
    assert AuditEntry.objects.filter(inmate_id=archived.pk, reason__startswith="Nouvelle incarcération").exists()
