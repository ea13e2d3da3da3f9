import datetime

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from inmates import services
from inmates.models import Alias, Custody, CustodyStatus, Inmate, Placement, PriorCustody, Relative
from tests import factories
from tests.api_clients import client_for, queries_for

pytestmark = pytest.mark.django_db

INMATES = "/api/v1/inmates/"
CUSTODIES = "/api/v1/custodies/"


def iso(moment):
    return moment.isoformat()


@pytest.fixture
def klk_inmate(koulikoro, other_clerk):
    return factories.detainee(koulikoro, actor=other_clerk, last_name="COULIBALY", first_name="Adama")


# --- inmates: reading -------------------------------------------------------------------


def test_a_clerk_lists_only_the_people_of_their_prison(clerk, inmate, klk_inmate):
    response = client_for(clerk).get(INMATES)
    assert response.status_code == 200
    assert [row["id"] for row in response.data["results"]] == [inmate.pk]


def test_each_row_shows_facility_unit_and_legal_status_beside_the_terrorism_flag(clerk, bamako, cell):
    factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True)
    row = client_for(clerk).get(INMATES).data["results"][0]
    custody = row["current_custody"]
    assert (custody["facility_code"], custody["unit"], custody["unit_name"]) == ("BKO", cell.pk, "Cellule A1")
    assert custody["terrorism_related"] is True
    assert (custody["legal_status"], custody["legal_status_display"]) == ("charged", "Inculpé, en attente de jugement")
    assert custody["status"] == "held"


def test_the_list_searches_names_aliases_and_prisoner_numbers(clerk, bamako, inmate):
    other = factories.detainee(bamako, actor=clerk, last_name="DEMBÉLÉ", first_name="Oumar")
    services.add_alias(other, name="Abou Tourab", kind="alias", actor=clerk)
    Inmate.objects.filter(pk=inmate.pk).update(prisoner_number="BKO-2026-00042")
    client = client_for(clerk)
    assert [r["id"] for r in client.get(INMATES, {"q": "dembele"}).data["results"]] == [other.pk]
    assert [r["id"] for r in client.get(INMATES, {"q": "tourab"}).data["results"]] == [other.pk]
    assert [r["id"] for r in client.get(INMATES, {"q": "BKO-2026-00042"}).data["results"]] == [inmate.pk]


def test_the_list_filters_by_the_current_custody(manager, bamako, koulikoro, clerk, other_clerk, cell):
    veo = factories.detainee(bamako, actor=clerk, terrorism=True, unit=cell, last_name="AG")
    convicted = factories.detainee(bamako, actor=clerk, convicted=True, last_name="BA")
    factories.UnitFactory(facility=koulikoro, code="F1", category="women")
    woman = factories.detainee(koulikoro, actor=other_clerk, sex="F", first_name="Fanta", last_name="CISSÉ")
    arriving = factories.detainee(bamako, actor=clerk, held=False, last_name="DIALLO")
    client = client_for(manager)

    def ids(**params):
        return {r["id"] for r in client.get(INMATES, params).data["results"]}

    assert ids(facility=koulikoro.pk) == {woman.pk}
    assert ids(unit=cell.pk) == {veo.pk}
    assert ids(terrorism_related="true") == {veo.pk}
    assert ids(legal_status="convicted") == {convicted.pk}
    assert ids(sex="F") == {woman.pk}
    assert ids(status="intake") == {arriving.pk}
    assert ids(facility=bamako.pk, status="held") == {veo.pk, convicted.pk}


def test_opening_a_file_shows_everything_and_leaves_an_audit_entry(clerk, inmate, cell):
    custody = inmate.custodies.get()
    services.record_prior_custody(custody, actor=clerk, kind="gendarmerie", place="Camp I",
                                  started_at=custody.admitted_at - datetime.timedelta(days=5),
                                  ended_at=custody.admitted_at - datetime.timedelta(days=1))
    services.add_alias(inmate, name="Mamadou Traore", kind="spelling", actor=clerk)
    services.add_relative(inmate, actor=clerk, name="Fatoumata Traoré", relation="mother")
    response = client_for(clerk).get(f"{INMATES}{inmate.pk}/")
    assert response.status_code == 200
    data = response.data
    assert [a["name"] for a in data["aliases"]] == ["Mamadou Traore"]
    assert [r["relation"] for r in data["relatives"]] == ["mother"]
    stay = data["custodies"][0]
    assert [p["place"] for p in stay["prior_custodies"]] == ["Camp I"]
    assert [p["unit"] for p in stay["placements"]] == [cell.pk]
    assert stay["legal_status"] == "charged" and stay["terrorism_related"] is False
    assert data["current_custody"]["unit"] == cell.pk
    entry = AuditEntry.objects.get(action=AuditAction.VIEW, target_id=str(inmate.pk))
    assert (entry.actor, entry.inmate_id) == (clerk, inmate.pk)


def test_another_prisons_clerk_cannot_open_the_file_and_nothing_is_recorded(other_clerk, inmate):
    response = client_for(other_clerk).get(f"{INMATES}{inmate.pk}/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()


def test_an_anonymous_caller_is_refused(inmate):
    assert APIClient().get(INMATES).status_code in (401, 403)


def test_the_inmate_list_costs_the_same_queries_at_any_size(clerk, bamako, cell):
    client = client_for(clerk)
    for n in range(2):
        factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"A{n}")
    filtered = INMATES + f"?facility={bamako.pk}&status=held&q=mamadou"
    client.get(INMATES)
    small, small_filtered = queries_for(client, INMATES), queries_for(client, filtered)
    for n in range(4):
        factories.detainee(bamako, actor=clerk, unit=cell if n % 2 else None, last_name=f"B{n}")
    assert queries_for(client, INMATES) == small
    assert queries_for(client, filtered) == small_filtered


# --- inmates: writing -------------------------------------------------------------------


def test_a_person_cannot_be_registered_without_a_stay_through_the_api(clerk):
    """An orphan (a person with no stay) is in no prison's scope: its author could not see it
    again. The only way in is the arrival workflow, which the refusal names."""
    before = (Inmate.objects.count(), AuditEntry.objects.count())
    response = client_for(clerk).post(INMATES, {
        "last_name": "Maïga", "first_name": "Aïssata", "sex": "F", "birth_year": 1995,
        "aliases": ["Aissata Maiga"],
    }, format="json")
    assert response.status_code == 405
    assert "/api/v1/arrivals/" in response.data["detail"] and "séjour" in response.data["detail"]
    assert (Inmate.objects.count(), AuditEntry.objects.count()) == before
    assert "POST" not in response["Allow"]


def test_the_schema_offers_no_way_to_register_a_person_alone(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert "post" not in paths["/api/v1/inmates/"] and "post" in paths["/api/v1/arrivals/"]


def test_the_admin_cannot_add_a_person_either_even_as_superuser(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root.test", password="x-long-enough-2026"))
    assert client.get("/admin/inmates/inmate/").status_code == 200
    assert client.get("/admin/inmates/inmate/add/").status_code == 403
    assert client.post("/admin/inmates/inmate/add/", {"last_name": "X", "first_name": "Y", "sex": "M"}).status_code == 403


def test_a_medical_officer_cannot_register_or_correct_a_person(bamako, inmate):
    doctor = factories.staff(Role.MEDICAL, bamako)
    client = client_for(doctor)
    assert client.post(INMATES, {"last_name": "X", "first_name": "Y", "sex": "M"}, format="json").status_code == 403
    assert client.patch(f"{INMATES}{inmate.pk}/", {"first_name": "Z", "reason": "r"},
                        format="json").status_code == 403


def test_a_correction_with_its_reason_keeps_the_old_value(clerk, inmate):
    response = client_for(clerk).patch(f"{INMATES}{inmate.pk}/", {
        "first_name": "Mahamadou", "reason": "Erreur de saisie sur le mandat", "version": 1,
    }, format="json")
    assert response.status_code == 200, response.data
    assert (response.data["first_name"], response.data["version"]) == ("Mahamadou", 2)
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_type__model="inmate")
    assert entry.changes == {"first_name": ["Mamadou", "Mahamadou"]}


def test_a_correction_without_a_reason_is_refused(clerk, inmate):
    response = client_for(clerk).patch(f"{INMATES}{inmate.pk}/", {"first_name": "Moussa", "version": 1},
                                       format="json")
    assert response.status_code == 400
    assert response.data == {"reason": ["Indiquez le motif de la correction."]}
    assert Inmate.objects.get(pk=inmate.pk).first_name == "Mamadou"


def test_a_stale_correction_is_a_409_conflict(clerk, inmate):
    client = client_for(clerk)
    client.patch(f"{INMATES}{inmate.pk}/", {"first_name": "Moussa", "reason": "r", "version": 1}, format="json")
    response = client.patch(f"{INMATES}{inmate.pk}/", {"last_name": "KEITA", "reason": "r", "version": 1},
                            format="json")
    assert response.status_code == 409
    assert "modifié par une autre personne" in response.data["detail"]
    assert Inmate.objects.get(pk=inmate.pk).last_name == "TRAORÉ"


@pytest.mark.parametrize("body", [{"first_name": "Moussa", "reason": "r"},
                                  {"first_name": "Moussa", "reason": "r", "version": ""},
                                  {"first_name": "Moussa", "reason": "r", "version": None}])
def test_a_correction_without_the_version_read_is_a_428_and_nothing_is_written(clerk, inmate, body):
    """Without `version` a stale client would silently overwrite a colleague's correction."""
    before = AuditEntry.objects.count()
    response = client_for(clerk).patch(f"{INMATES}{inmate.pk}/", body, format="json")
    assert response.status_code == 428
    assert "Indiquez la version du dossier" in response.data["detail"]
    inmate.refresh_from_db()
    assert (inmate.first_name, inmate.version) == ("Mamadou", 1)
    assert AuditEntry.objects.count() == before


def test_a_correction_without_version_in_a_form_body_is_also_a_428(clerk, inmate):
    response = client_for(clerk).patch(f"{INMATES}{inmate.pk}/", {"first_name": "Moussa", "reason": "r"})
    assert response.status_code == 428


def test_the_schema_says_the_version_is_required_and_documents_the_428(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    patch = schema["paths"]["/api/v1/inmates/{id}/"]["patch"]
    assert "428" in patch["responses"] and "409" in patch["responses"]
    assert "428" in patch["description"]
    body = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "Obligatoire" in schema["components"]["schemas"][body]["properties"]["version"]["description"]
    assert "version" in schema["components"]["schemas"][body]["required"]
    assert patch["requestBody"]["required"] is True


def test_another_prisons_clerk_cannot_correct_the_file(other_clerk, inmate):
    response = client_for(other_clerk).patch(f"{INMATES}{inmate.pk}/", {"first_name": "X", "reason": "r"},
                                             format="json")
    assert response.status_code == 404


def test_adding_an_alias_makes_the_person_findable_by_it(clerk, inmate):
    client = client_for(clerk)
    response = client.post(f"{INMATES}{inmate.pk}/aliases/", {"name": "Abou Dujana", "kind": "alias"},
                           format="json")
    assert response.status_code == 201, response.data
    assert [r["id"] for r in client.get(INMATES, {"q": "dujana"}).data["results"]] == [inmate.pk]
    again = client.post(f"{INMATES}{inmate.pk}/aliases/", {"name": "Abou Dujana", "kind": "alias"}, format="json")
    assert again.status_code == 400
    assert "existe déjà" in again.data["non_field_errors"][0]
    assert Alias.objects.filter(inmate=inmate).count() == 1


def test_a_security_officer_cannot_add_an_alias_but_a_social_worker_adds_a_relative(bamako, inmate):
    security = factories.staff(Role.SECURITY, bamako)
    assert client_for(security).post(f"{INMATES}{inmate.pk}/aliases/", {"name": "X"},
                                     format="json").status_code == 403
    social = factories.staff(Role.SOCIAL, bamako)
    client = client_for(social)
    assert client.post(f"{INMATES}{inmate.pk}/aliases/", {"name": "X"}, format="json").status_code == 403
    response = client.post(f"{INMATES}{inmate.pk}/relatives/",
                           {"name": "Awa Traoré", "relation": "spouse", "is_next_of_kin": True}, format="json")
    assert response.status_code == 201, response.data
    assert Relative.objects.get(inmate=inmate).is_next_of_kin


def test_a_child_without_an_age_is_refused(clerk, inmate):
    response = client_for(clerk).post(f"{INMATES}{inmate.pk}/relatives/", {"name": "Bakary", "relation": "child"},
                                      format="json")
    assert response.status_code == 400
    assert response.data == {"age_years": ["Indiquez l'âge ou la date de naissance de l'enfant."]}


def test_another_prisons_clerk_cannot_add_a_relative(other_clerk, inmate):
    response = client_for(other_clerk).post(f"{INMATES}{inmate.pk}/relatives/",
                                            {"name": "X", "relation": "spouse"}, format="json")
    assert response.status_code == 404
    assert not Relative.objects.exists()


# --- custodies ----------------------------------------------------------------------------


def test_a_clerk_lists_only_their_prisons_custodies_and_can_filter_them(clerk, bamako, inmate, klk_inmate):
    veo = factories.detainee(bamako, actor=clerk, terrorism=True, last_name="AG")
    client = client_for(clerk)
    rows = client.get(CUSTODIES).data["results"]
    assert {r["inmate"] for r in rows} == {inmate.pk, veo.pk}
    rows = client.get(CUSTODIES, {"terrorism_related": "true"}).data["results"]
    assert [(r["inmate"], r["legal_status"], r["terrorism_related"]) for r in rows] == [(veo.pk, "charged", True)]
    assert client.get(CUSTODIES, {"status": "intake"}).data["count"] == 0
    assert client.get(CUSTODIES, {"legal_status": "charged", "facility": bamako.pk}).data["count"] == 2


def test_another_prisons_clerk_gets_404_for_a_custody(other_clerk, inmate):
    custody = inmate.custodies.get()
    assert client_for(other_clerk).get(f"{CUSTODIES}{custody.pk}/").status_code == 404


def test_a_clerk_admits_a_registered_person_with_the_arrest_chain(clerk, bamako):
    person = services.create_inmate(actor=clerk, last_name="KONATÉ", first_name="Issa", sex="M")
    admitted = timezone.now() - datetime.timedelta(hours=2)
    response = client_for(clerk).post(CUSTODIES, {
        "inmate": person.pk, "facility": bamako.pk, "admitted_at": iso(admitted),
        "arresting_force": "army", "arrest_place": "Tessalit",
        "arrested_at": iso(admitted - datetime.timedelta(days=20)),
        "prior_custodies": [
            {"kind": "gendarmerie", "place": "Camp I", "started_at": iso(admitted - datetime.timedelta(days=15)),
             "ended_at": iso(admitted - datetime.timedelta(days=10))},
            {"kind": "state_security", "place": "Sécurité d'État",
             "started_at": iso(admitted - datetime.timedelta(days=10)), "ended_at": iso(admitted)},
        ],
    }, format="json")
    assert response.status_code == 201, response.data
    assert response.data["status"] == "intake"
    assert [p["place"] for p in response.data["prior_custodies"]] == ["Camp I", "Sécurité d'État"]
    custody = Custody.objects.get(inmate=person)
    assert PriorCustody.objects.filter(custody=custody).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_type__model="custody",
                                     target_id=str(custody.pk)).exists()


def test_an_admission_to_a_prison_the_clerk_does_not_serve_is_refused(clerk, koulikoro):
    person = services.create_inmate(actor=clerk, last_name="KONATÉ", first_name="Issa", sex="M")
    response = client_for(clerk).post(CUSTODIES, {"inmate": person.pk, "facility": koulikoro.pk,
                                                  "admitted_at": iso(timezone.now())}, format="json")
    assert response.status_code == 400
    assert "facility" in response.data
    assert not Custody.objects.filter(inmate=person).exists()


def test_a_person_held_elsewhere_cannot_be_admitted_by_another_prison(other_clerk, koulikoro, inmate):
    response = client_for(other_clerk).post(CUSTODIES, {"inmate": inmate.pk, "facility": koulikoro.pk,
                                                        "admitted_at": iso(timezone.now())}, format="json")
    assert response.status_code == 400
    assert "inmate" in response.data
    assert Custody.objects.filter(inmate=inmate).count() == 1


def test_a_second_open_custody_is_refused_in_french(clerk, bamako, inmate):
    response = client_for(clerk).post(CUSTODIES, {"inmate": inmate.pk, "facility": bamako.pk,
                                                  "admitted_at": iso(timezone.now())}, format="json")
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Cette personne est déjà écrouée : un séjour est en cours."]}


def test_a_prior_custody_after_admission_is_refused_and_nothing_is_written(clerk, bamako):
    person = services.create_inmate(actor=clerk, last_name="KONATÉ", first_name="Issa", sex="M")
    admitted = timezone.now() - datetime.timedelta(days=1)
    response = client_for(clerk).post(CUSTODIES, {
        "inmate": person.pk, "facility": bamako.pk, "admitted_at": iso(admitted),
        "prior_custodies": [{"kind": "police", "place": "Commissariat", "started_at": iso(timezone.now())}],
    }, format="json")
    assert response.status_code == 400
    assert "commence après l'écrou" in response.data["started_at"][0]
    assert not Custody.objects.filter(inmate=person).exists()


def test_a_security_officer_cannot_admit_a_person(bamako):
    security = factories.staff(Role.SECURITY, bamako)
    person = services.create_inmate(actor=security, last_name="KONATÉ", first_name="Issa", sex="M")
    response = client_for(security).post(CUSTODIES, {"inmate": person.pk, "facility": bamako.pk,
                                                     "admitted_at": iso(timezone.now())}, format="json")
    assert response.status_code == 403


def test_correcting_the_arrest_needs_a_reason(clerk, inmate):
    custody = inmate.custodies.get()
    client = client_for(clerk)
    response = client.patch(f"{CUSTODIES}{custody.pk}/", {"arrest_place": "Gao"}, format="json")
    assert response.status_code == 400
    assert response.data == {"reason": ["Indiquez le motif de la correction."]}
    response = client.patch(f"{CUSTODIES}{custody.pk}/", {"arrest_place": "Gao", "reason": "Procès-verbal"},
                            format="json")
    assert response.status_code == 200, response.data
    assert response.data["arrest_place"] == "Gao"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_type__model="custody", reason="Procès-verbal")
    assert entry.changes == {"arrest_place": ["Bamako", "Gao"]}


def test_a_prior_custody_is_added_to_the_chain(clerk, inmate):
    custody = inmate.custodies.get()
    response = client_for(clerk).post(f"{CUSTODIES}{custody.pk}/prior-custodies/", {
        "kind": "military", "place": "Camp de Gao", "started_at": iso(custody.admitted_at - datetime.timedelta(days=9)),
    }, format="json")
    assert response.status_code == 201, response.data
    assert custody.prior_custodies.get().place == "Camp de Gao"


def test_a_placement_that_mixes_categories_needs_a_reason(clerk, bamako, cell, inmate):
    convict = factories.detainee(bamako, actor=clerk, convicted=True, first_name="Adama", last_name="SANGARÉ")
    custody = convict.custodies.get()
    client = client_for(clerk)
    response = client.post(f"{CUSTODIES}{custody.pk}/placements/", {"unit": cell.pk}, format="json")
    assert response.status_code == 400
    assert response.data["override_required"] is True
    assert "L'unité mélange prévenus et condamnés (Règle 11)." in response.data["override_reason"]
    assert "Indiquez le motif pour confirmer ce placement." in response.data["override_reason"]
    assert not Placement.objects.filter(custody=custody).exists()
    response = client.post(f"{CUSTODIES}{custody.pk}/placements/",
                           {"unit": cell.pk, "override_reason": "Seule cellule disponible, 1 nuit"}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["warning_override"] == "Seule cellule disponible, 1 nuit"


def test_placing_a_woman_with_men_is_refused_whatever_the_reason(clerk, bamako, cell, inmate):
    factories.UnitFactory(facility=bamako, code="F1", category="women")
    woman = factories.detainee(bamako, actor=clerk, sex="F", first_name="Aminata", last_name="SANGARÉ")
    custody = woman.custodies.get()
    client = client_for(clerk)
    for payload in ({"unit": cell.pk}, {"unit": cell.pk, "override_reason": "Seule cellule disponible"}):
        response = client.post(f"{CUSTODIES}{custody.pk}/placements/", payload, format="json")
        assert response.status_code == 400
        assert "override_required" not in response.data
        assert "hommes et femmes sont toujours séparés" in response.data["unit"][0]
    assert not Placement.objects.filter(custody=custody).exists()


def test_a_unit_of_another_prison_cannot_be_chosen(clerk, inmate, koulikoro):
    elsewhere = factories.UnitFactory(facility=koulikoro, code="K1")
    custody = inmate.custodies.get()
    response = client_for(clerk).post(f"{CUSTODIES}{custody.pk}/placements/", {"unit": elsewhere.pk},
                                      format="json")
    assert response.status_code == 400
    assert "unit" in response.data


def test_a_security_officer_places_but_cannot_complete_an_admission(bamako, clerk):
    security = factories.staff(Role.SECURITY, bamako)
    arriving = factories.detainee(bamako, actor=clerk, held=False)
    custody = arriving.custodies.get()
    unit = factories.UnitFactory(facility=bamako, code="Q1")
    client = client_for(security)
    assert client.post(f"{CUSTODIES}{custody.pk}/placements/", {"unit": unit.pk}, format="json").status_code == 201
    assert client.post(f"{CUSTODIES}{custody.pk}/complete-admission/").status_code == 403
    assert Custody.objects.get(pk=custody.pk).status == CustodyStatus.INTAKE


def test_completing_an_admission_twice_is_refused(bamako, clerk):
    arriving = factories.detainee(bamako, actor=clerk, held=False)
    custody = arriving.custodies.get()
    client = client_for(clerk)
    response = client.post(f"{CUSTODIES}{custody.pk}/complete-admission/")
    assert response.status_code == 200
    assert response.data["status"] == "held"
    again = client.post(f"{CUSTODIES}{custody.pk}/complete-admission/")
    assert again.status_code == 400
    assert again.data == {"non_field_errors": ["Ce séjour n'est pas en cours d'écrou."]}


def test_another_prisons_clerk_cannot_complete_or_place(other_clerk, bamako, clerk, cell):
    arriving = factories.detainee(bamako, actor=clerk, held=False)
    custody = arriving.custodies.get()
    client = client_for(other_clerk)
    assert client.post(f"{CUSTODIES}{custody.pk}/complete-admission/").status_code == 404
    assert client.post(f"{CUSTODIES}{custody.pk}/placements/", {"unit": cell.pk}, format="json").status_code == 404


def test_the_custody_list_costs_the_same_queries_at_any_size(clerk, bamako, cell):
    client = client_for(clerk)
    for n in range(2):
        factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"A{n}")
    client.get(CUSTODIES)
    small = queries_for(client, CUSTODIES)
    for n in range(4):
        person = factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"B{n}")
        custody = person.custodies.get()
        services.record_prior_custody(custody, actor=clerk, kind="police", place="Commissariat",
                                      started_at=custody.admitted_at - datetime.timedelta(days=3))
    assert queries_for(client, CUSTODIES) == small


def test_reading_a_custody_is_recorded_as_opening_the_file(clerk, inmate):
    custody = inmate.custodies.get()
    response = client_for(clerk).get(f"{CUSTODIES}{custody.pk}/")
    assert response.status_code == 200
    assert (response.data["legal_status"], response.data["terrorism_related"]) == ("charged", False)
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert (entry.actor, entry.inmate_id) == (clerk, inmate.pk)


def test_the_custodies_api_cannot_make_someone_held_without_a_title(clerk, bamako):
    """POST /custodies/ + complete-admission obey the arrival workflow's rule (Mandela Rule 7)."""
    person = services.create_inmate(actor=clerk, last_name="KONATÉ", first_name="Issa", sex="M", birth_year=1990)
    client = client_for(clerk)
    admitted = timezone.now() - datetime.timedelta(hours=1)
    response = client.post(CUSTODIES, {"inmate": person.pk, "facility": bamako.pk, "admitted_at": iso(admitted)},
                           format="json")
    assert response.status_code == 201
    custody = Custody.objects.get(inmate=person)
    complete = f"{CUSTODIES}{custody.pk}/complete-admission/"
    response = client.post(complete)
    assert response.status_code == 400
    assert "Aucune affaire au dossier" in response.data["non_field_errors"][0]
    # a case with a charge but no detention order: still refused
    case = client.post("/api/v1/cases/", {
        "custody": custody.pk, "court": factories.court().pk, "case_number": "RI-77/2026",
        "charges": [{"offence": "Vol", "legal_class": "delit", "max_penalty_months": 36}]}, format="json")
    assert case.status_code == 201, case.data
    response = client.post(complete)
    assert response.status_code == 400
    assert "Aucun titre de détention au dossier" in response.data["non_field_errors"][0]
    assert Custody.objects.get(pk=custody.pk).status == CustodyStatus.INTAKE
    order = client.post(f"/api/v1/cases/{case.data['id']}/detention-orders/", {
        "kind": "committal", "issued_on": timezone.localdate().isoformat(), "issued_by": "M. Diarra"},
        format="json")
    assert order.status_code == 201, order.data
    response = client.post(complete)
    assert response.status_code == 200, response.data
    assert Custody.objects.get(pk=custody.pk).status == CustodyStatus.HELD


def test_the_custodies_api_refuses_a_woman_at_a_prison_without_a_womens_quarter(clerk, bamako):
    person = services.create_inmate(actor=clerk, last_name="CISSÉ", first_name="Awa", sex="F", birth_year=1990)
    client = client_for(clerk)
    payload = {"inmate": person.pk, "facility": bamako.pk, "admitted_at": iso(timezone.now())}
    response = client.post(CUSTODIES, payload, format="json")
    assert response.status_code == 400
    assert "n'accueille pas de femmes et n'a pas de quartier des femmes" in response.data["facility"][0]
    assert not Custody.objects.filter(inmate=person).exists()
    factories.UnitFactory(facility=bamako, code="F1", category="women")
    assert client.post(CUSTODIES, payload, format="json").status_code == 201


def test_the_self_declared_gender_is_recorded_corrected_and_shown_on_both_doors(clerk, inmate, client):
    """Mandela Rule 7: identity respecting the person's self-perceived gender."""
    response = client_for(clerk).patch(f"{INMATES}{inmate.pk}/", {
        "gender_identity": "femme", "reason": "Déclaration de la personne à l'entretien", "version": 1,
    }, format="json")
    assert response.status_code == 200, response.data
    assert response.data["gender_identity"] == "femme"
    assert client_for(clerk).get(f"{INMATES}{inmate.pk}/").data["gender_identity"] == "femme"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_type__model="inmate")
    assert entry.changes == {"gender_identity": ["", "femme"]}
    client.force_login(clerk)
    page = client.get(f"/detenus/{inmate.pk}/").content.decode()
    assert "genre déclaré : femme" in page
