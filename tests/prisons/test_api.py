import pytest
from django.contrib.auth.models import Permission

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from prisons.models import Facility, Unit
from tests import factories
from tests.api_clients import client_for, queries_for

pytestmark = pytest.mark.django_db

FACILITIES = "/api/v1/facilities/"
UNITS = "/api/v1/units/"


@pytest.fixture
def admin(db):
    return factories.staff(Role.ADMIN, username="admin.systeme")


def new_facility_payload(**overrides):
    return {
        "code": "TST", "name": "Maison d'arrêt de test (API)", "kind": "prison",
        "region": "KLK", "town": "Ségou", "official_capacity": 120, **overrides,
    }


def test_a_clerk_sees_only_their_own_facility_with_its_occupancy(clerk, inmate, bamako):
    response = client_for(clerk).get(FACILITIES)
    assert response.status_code == 200
    assert [row["code"] for row in response.data["results"]] == ["BKO"]
    row = response.data["results"][0]
    assert (row["held"], row["untried"], row["official_capacity"]) == (1, 1, 400)
    assert row["congestion_rate"] == Facility.congestion(1, 400)


def test_a_national_manager_sees_every_facility(manager):
    response = client_for(manager).get(FACILITIES)
    assert response.data["count"] == Facility.objects.count()


def test_facilities_filter_by_status_kind_and_region(manager):
    client = client_for(manager)
    destroyed = client.get(FACILITIES, {"status": "destroyed"}).data
    assert destroyed["count"] == Facility.objects.filter(status="destroyed").count() > 0
    assert {row["status"] for row in destroyed["results"]} == {"destroyed"}
    women = client.get(FACILITIES, {"kind": "women"}).data["results"]
    assert women and {row["kind"] for row in women} == {"women"}
    region = factories.region("KLK")
    in_region = client.get(FACILITIES, {"region": "KLK"}).data
    assert in_region["count"] == Facility.objects.filter(region=region).count() > 0
    assert {row["region"] for row in in_region["results"]} == {"KLK"}


def test_another_prisons_clerk_gets_404_for_bamako(other_clerk, bamako):
    assert client_for(other_clerk).get(f"{FACILITIES}{bamako.pk}/").status_code == 404


def test_a_clerk_cannot_create_or_change_a_facility(clerk, bamako):
    client = client_for(clerk)
    assert client.post(FACILITIES, new_facility_payload(), format="json").status_code == 403
    assert client.patch(f"{FACILITIES}{bamako.pk}/", {"official_capacity": 1}, format="json").status_code == 403
    assert Facility.objects.get(pk=bamako.pk).official_capacity == 400


def test_an_administrator_creates_a_facility_and_the_creation_is_audited(admin):
    response = client_for(admin).post(FACILITIES, new_facility_payload(), format="json")
    assert response.status_code == 201, response.data
    assert (response.data["code"], response.data["held"], response.data["congestion_rate"]) == ("TST", 0, 0.0)
    facility = Facility.objects.get(code="TST")
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_type__model="facility",
                                   target_id=str(facility.pk))
    assert entry.actor == admin and entry.changes["official_capacity"] == [None, "120"]


def test_a_duplicate_facility_code_is_refused_in_french_and_nothing_is_written(admin):
    before = Facility.objects.count()
    response = client_for(admin).post(FACILITIES, new_facility_payload(code="BKO"), format="json")
    assert response.status_code == 400
    assert "existe déjà" in response.data["code"][0]
    assert Facility.objects.count() == before


def test_a_facility_without_its_required_fields_is_refused_in_french(admin):
    response = client_for(admin).post(FACILITIES, {"code": "XYZ"}, format="json")
    assert response.status_code == 400
    assert response.data["name"] == ["Ce champ est obligatoire."]
    assert response.data["official_capacity"] == ["Ce champ est obligatoire."]


def test_a_facility_that_holds_neither_sex_is_refused(admin, koulikoro):
    response = client_for(admin).patch(f"{FACILITIES}{koulikoro.pk}/", {"holds_men": False}, format="json")
    assert response.status_code == 400
    assert "facility_holds_some_sex" in response.data["non_field_errors"][0]
    assert Facility.objects.get(pk=koulikoro.pk).holds_men is True


def test_an_administrator_changes_a_capacity_and_the_old_value_is_kept(admin, koulikoro):
    response = client_for(admin).patch(
        f"{FACILITIES}{koulikoro.pk}/", {"official_capacity": 250, "reason": "Nouveau bâtiment"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["official_capacity"] == 250
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_type__model="facility")
    assert entry.changes == {"official_capacity": ["200", "250"]}
    assert entry.reason == "Nouveau bâtiment"


def test_a_facility_code_cannot_be_changed_through_the_api(admin, koulikoro):
    client_for(admin).patch(f"{FACILITIES}{koulikoro.pk}/", {"code": "ZZZ"}, format="json")
    assert Facility.objects.get(pk=koulikoro.pk).code == "KLK"


def test_the_facility_list_costs_the_same_queries_at_any_size(manager):
    client = client_for(manager)
    client.get(FACILITIES)
    small = queries_for(client, FACILITIES)
    for _ in range(3):
        factories.FacilityFactory()
    assert queries_for(client, FACILITIES) == small


def test_a_clerk_sees_only_their_facilitys_units_with_occupants(clerk, inmate, cell, koulikoro):
    factories.UnitFactory(facility=koulikoro, code="K1")
    response = client_for(clerk).get(UNITS)
    assert response.status_code == 200
    assert [(row["code"], row["occupants"]) for row in response.data["results"]] == [("A1", 1)]


def test_units_filter_by_facility_kind_regime_and_parent(manager, bamako):
    block = factories.UnitFactory(facility=bamako, code="BLK", kind="block", regime="veo", capacity=100)
    factories.UnitFactory(facility=bamako, code="V1", parent=block, regime="veo")
    factories.UnitFactory(facility=bamako, code="S1")
    client = client_for(manager)
    assert {r["code"] for r in client.get(UNITS, {"parent": block.pk}).data["results"]} == {"V1"}
    assert {r["code"] for r in client.get(UNITS, {"regime": "veo"}).data["results"]} == {"BLK", "V1"}
    assert {r["code"] for r in client.get(UNITS, {"kind": "block"}).data["results"]} == {"BLK"}
    assert client.get(UNITS, {"facility": bamako.pk}).data["count"] == 3


def test_another_prisons_clerk_gets_404_for_a_bamako_unit(other_clerk, cell):
    assert client_for(other_clerk).get(f"{UNITS}{cell.pk}/").status_code == 404


def test_a_clerk_cannot_create_a_unit(clerk, bamako):
    response = client_for(clerk).post(UNITS, {"facility": bamako.pk, "code": "Z9", "name": "Z", "capacity": 5},
                                      format="json")
    assert response.status_code == 403
    assert not Unit.objects.filter(code="Z9").exists()


def test_an_administrator_creates_a_unit_and_the_creation_is_audited(admin, bamako):
    response = client_for(admin).post(
        UNITS, {"facility": bamako.pk, "code": "J1", "name": "Quartier J", "kind": "block", "capacity": 40,
                "regime": "veo"}, format="json",
    )
    assert response.status_code == 201, response.data
    assert (response.data["facility_code"], response.data["occupants"]) == ("BKO", 0)
    unit = Unit.objects.get(facility=bamako, code="J1")
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_type__model="unit", target_id=str(unit.pk))
    assert entry.facility_id == bamako.pk


def test_a_unit_whose_building_is_in_another_facility_is_refused(admin, bamako, koulikoro):
    block = factories.UnitFactory(facility=koulikoro, code="KB", kind="block")
    response = client_for(admin).post(
        UNITS, {"facility": bamako.pk, "parent": block.pk, "code": "X1", "name": "X", "capacity": 5}, format="json"
    )
    assert response.status_code == 400
    assert response.data["parent"] == ["Le bâtiment doit appartenir au même établissement."]
    assert not Unit.objects.filter(code="X1").exists()


def test_a_duplicate_unit_code_in_one_facility_is_refused(admin, cell, bamako):
    response = client_for(admin).post(UNITS, {"facility": bamako.pk, "code": "A1", "name": "Bis", "capacity": 5},
                                      format="json")
    assert response.status_code == 400
    assert "existe déjà" in response.data["non_field_errors"][0]


def test_a_unit_cannot_be_created_in_a_facility_the_user_cannot_see(bamako, koulikoro):
    user = factories.staff(Role.CLERK, koulikoro)
    user.user_permissions.add(Permission.objects.get(codename="add_unit"))
    response = client_for(user).post(UNITS, {"facility": bamako.pk, "code": "Q1", "name": "Q", "capacity": 5},
                                     format="json")
    assert response.status_code == 400
    assert "facility" in response.data
    assert not Unit.objects.filter(code="Q1").exists()


def test_an_administrator_changes_a_unit_within_its_facility(admin, cell, koulikoro):
    response = client_for(admin).patch(
        f"{UNITS}{cell.pk}/", {"capacity": 12, "facility": koulikoro.pk, "reason": "Agrandissement"}, format="json"
    )
    assert response.status_code == 200, response.data
    cell.refresh_from_db()
    assert (cell.capacity, cell.facility.code) == (12, "BKO")
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_type__model="unit")
    assert entry.changes == {"capacity": ["7", "12"]} and entry.reason == "Agrandissement"


def test_the_unit_list_costs_the_same_queries_at_any_size(manager, bamako):
    client = client_for(manager)
    factories.UnitFactory(facility=bamako)
    client.get(UNITS)
    small = queries_for(client, UNITS)
    for _ in range(4):
        factories.UnitFactory(facility=bamako)
    assert queries_for(client, UNITS) == small
