import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from inmates import services
from inmates.models import Alias, Inmate, Placement, PriorCustody, Relative
from tests import factories
from tests.query_counts import page_queries

pytestmark = pytest.mark.django_db

# (url name, which id it takes)
FORMS = [
    ("inmates:inmate_edit", "inmate"),
    ("inmates:alias_add", "inmate"),
    ("inmates:relative_add", "inmate"),
    ("inmates:prior_custody_add", "custody"),
    ("inmates:placement_add", "custody"),
]


def _url(name, inmate):
    ids = {"inmate": inmate.pk, "custody": inmate.custodies.get().pk}
    return reverse(name, args=[ids[dict(FORMS)[name]]])


def _rows(response):
    """The table body of a list page (the filters above also name every legal status)."""
    html = response.content.decode()
    return html[html.index("<tbody>"):html.index("</tbody>")]


_queries = page_queries


# --- list -------------------------------------------------------------------------------


def test_the_list_finds_a_person_by_an_alias_without_accents(client, clerk, bamako, cell):
    women = factories.UnitFactory(facility=bamako, code="F1", category="women")
    person = factories.detainee(bamako, actor=clerk, unit=women, last_name="MAÏGA", first_name="Aïssata",
                                sex="F")
    services.add_alias(person, name="Tanti Aïcha", kind="alias", actor=clerk)
    factories.detainee(bamako, actor=clerk, last_name="KEITA", first_name="Seydou")
    client.force_login(clerk)
    response = client.get(reverse("inmates:inmate_list"), {"q": "aicha"})
    assert response.status_code == 200
    assert [c.inmate_id for c in response.context["page"]] == [person.pk]
    rows = _rows(response)
    assert "MAÏGA" in rows and "Suspect" not in rows and "Inculpé, en attente de jugement" in rows


def test_the_list_finds_a_person_by_prisoner_number(client, clerk, bamako):
    person = factories.detainee(bamako, actor=clerk, prisoner_number="BKO-2026-00042")
    factories.detainee(bamako, actor=clerk, last_name="KEITA")
    client.force_login(clerk)
    response = client.get(reverse("inmates:inmate_list"), {"q": "bko-2026-00042"})
    assert [c.inmate_id for c in response.context["page"]] == [person.pk]


def test_the_list_filters_by_unit_legal_status_and_terrorism(client, clerk, bamako, cell):
    veo = factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True)
    convicted = factories.detainee(bamako, actor=clerk, last_name="KEITA", convicted=True)
    client.force_login(clerk)
    url = reverse("inmates:inmate_list")
    ids = lambda params: [c.inmate_id for c in client.get(url, params).context["page"]]  # noqa: E731
    assert ids({"unit": cell.pk}) == [veo.pk]
    assert ids({"terrorism": "1"}) == [veo.pk]
    assert ids({"terrorism": "0"}) == [convicted.pk]
    assert ids({"legal_status": "convicted"}) == [convicted.pk]
    assert ids({"legal_status": "untried"}) == [veo.pk]


def test_the_terrorism_flag_is_always_shown_beside_the_legal_status(client, clerk, bamako):
    factories.detainee(bamako, actor=clerk, terrorism=True)
    client.force_login(clerk)
    html = _rows(client.get(reverse("inmates:inmate_list")))
    status = html.index("Inculpé, en attente de jugement")
    flag = html.index("affaire liée au terrorisme", status)
    assert 0 < flag - status < 200


def test_the_list_shows_no_one_from_another_prison(client, other_clerk, inmate):
    client.force_login(other_clerk)
    response = client.get(reverse("inmates:inmate_list"), {"q": "traore"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_the_list_is_paginated(client, clerk, bamako, monkeypatch):
    from inmates import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for _ in range(3):
        factories.detainee(bamako, actor=clerk)
    client.force_login(clerk)
    response = client.get(reverse("inmates:inmate_list"), {"page": 2})
    assert len(response.context["page"]) == 1
    assert "Page 2 sur 2" in response.content.decode()


def test_the_list_query_count_does_not_grow_with_rows(client, clerk, bamako, cell):
    client.force_login(clerk)
    for _ in range(2):
        factories.detainee(bamako, actor=clerk, unit=cell)
    small = _queries(client, reverse("inmates:inmate_list"))
    for _ in range(4):
        factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True)
    assert _queries(client, reverse("inmates:inmate_list")) == small


# --- the prisoner file ------------------------------------------------------------------


def test_the_file_shows_identity_family_arrest_chain_and_cases(client, clerk, bamako, cell):
    person = factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, prisoner_number="BKO-1")
    custody = person.custodies.get()
    services.add_alias(person, name="Abou Moussa", kind="alias", actor=clerk)
    services.add_relative(person, actor=clerk, name="Fatoumata Traoré", relation="spouse",
                          is_next_of_kin=True, is_emergency_contact=True, phone="+223 70 00 00 00")
    services.add_relative(person, actor=clerk, name="Oumar Traoré", relation="child", age_years=6,
                          whereabouts="Sévaré", caregiver="sa grand-mère")
    services.record_prior_custody(custody, actor=clerk, kind="state_security", place="Sécurité d'État",
                                  started_at=custody.admitted_at - datetime.timedelta(days=20),
                                  ended_at=custody.admitted_at - datetime.timedelta(days=3))
    client.force_login(clerk)
    response = client.get(reverse("inmates:inmate_detail", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Abou Moussa", "Fatoumata Traoré", "Oumar Traoré", "6 ans", "Sévaré", "sa grand-mère",
                 "Police nationale", "Sécurité d&#x27;État", "semaines", "Cellule A1",
                 "Association de malfaiteurs", "Mandat de dépôt", "Inculpé, en attente de jugement",
                 "affaire liée au terrorisme", "BKO-1"]:
        assert text in html, text


def test_opening_a_file_writes_an_audit_entry(client, clerk, inmate):
    client.force_login(clerk)
    client.get(reverse("inmates:inmate_detail", args=[inmate.pk]))
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW).get()
    assert (entry.actor, entry.inmate_id, entry.target_id) == (clerk, inmate.pk, str(inmate.pk))


def test_another_prisons_file_is_not_found_and_not_audited(client, other_clerk, inmate):
    client.force_login(other_clerk)
    assert client.get(reverse("inmates:inmate_detail", args=[inmate.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()


def test_a_national_manager_reads_any_file_without_edit_buttons(client, manager, inmate):
    client.force_login(manager)
    response = client.get(reverse("inmates:inmate_detail", args=[inmate.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Corriger l'identité" not in html and "Ouvrir une affaire" not in html


def test_a_clerk_sees_the_edit_buttons_and_security_only_placement(client, clerk, inmate, bamako):
    client.force_login(clerk)
    html = client.get(reverse("inmates:inmate_detail", args=[inmate.pk])).content.decode()
    assert "Corriger l'identité" in html and "Ouvrir une affaire" in html
    guard = factories.staff(Role.SECURITY, bamako)
    client.force_login(guard)
    html = client.get(reverse("inmates:inmate_detail", args=[inmate.pk])).content.decode()
    assert "Placer / déplacer" in html
    assert "Corriger l'identité" not in html and "Ouvrir une affaire" not in html


def test_the_file_query_count_does_not_grow_with_cases_and_relatives(client, clerk, inmate):
    from casework import services as case_services

    custody = inmate.custodies.get()
    client.force_login(clerk)
    small = _queries(client, reverse("inmates:inmate_detail", args=[inmate.pk]))
    for n in range(3):
        case = case_services.open_case(custody, actor=clerk, court=factories.court(), case_number=f"RP-{n}",
                                       charges=[{"offence": "Vol", "legal_class": "delit"}])
        case_services.record_hearing(case, actor=clerk, date=timezone.localdate(), kind="examination")
        services.add_relative(inmate, actor=clerk, name=f"Enfant {n}", relation="child", age_years=n)
        services.record_prior_custody(custody, actor=clerk, kind="police", place=f"Commissariat {n}",
                                      started_at=custody.admitted_at - datetime.timedelta(days=5 + n))
    assert _queries(client, reverse("inmates:inmate_detail", args=[inmate.pk])) == small


def test_the_unit_occupants_list_shows_name_number_and_status(client, clerk, bamako, cell):
    factories.detainee(bamako, actor=clerk, unit=cell, prisoner_number="BKO-77", terrorism=True)
    client.force_login(clerk)
    response = client.get(reverse("inmates:unit_occupants", args=[cell.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "BKO-77" in html and "TRAORÉ" in html and "affaire liée au terrorisme" in html
    full = client.get(reverse("inmates:unit_occupants", args=[cell.pk]))
    assert "<html" in full.content.decode()


def test_another_prisons_unit_occupants_are_not_found(client, other_clerk, cell):
    client.force_login(other_clerk)
    assert client.get(reverse("inmates:unit_occupants", args=[cell.pk])).status_code == 404


def test_the_unit_occupants_query_count_does_not_grow(client, clerk, bamako, cell):
    client.force_login(clerk)
    factories.detainee(bamako, actor=clerk, unit=cell)
    _queries(client, reverse("inmates:unit_occupants", args=[cell.pk]))  # warms the content-type cache
    small = _queries(client, reverse("inmates:unit_occupants", args=[cell.pk]))
    for _ in range(3):
        factories.detainee(bamako, actor=clerk, unit=cell)
    assert _queries(client, reverse("inmates:unit_occupants", args=[cell.pk])) == small


# --- forms: access ----------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n, _ in FORMS])
def test_each_form_opens_for_a_clerk_of_the_prison(client, clerk, inmate, name):
    client.force_login(clerk)
    response = client.get(_url(name, inmate))
    assert response.status_code == 200
    assert "Enregistrer" in response.content.decode()


@pytest.mark.parametrize("name", [n for n, _ in FORMS])
@pytest.mark.parametrize("method", ["get", "post"])
def test_each_form_is_not_found_for_another_prison(client, other_clerk, inmate, name, method):
    client.force_login(other_clerk)
    assert getattr(client, method)(_url(name, inmate)).status_code == 404


@pytest.mark.parametrize("name", [n for n, _ in FORMS])
@pytest.mark.parametrize("method", ["get", "post"])
def test_each_form_is_forbidden_to_a_role_without_the_permission(client, bamako, inmate, name, method):
    client.force_login(factories.staff(Role.MEDICAL, bamako))
    assert getattr(client, method)(_url(name, inmate)).status_code == 403


def test_a_security_officer_may_place_but_not_correct_identity(client, bamako, inmate):
    client.force_login(factories.staff(Role.SECURITY, bamako))
    assert client.get(_url("inmates:placement_add", inmate)).status_code == 200
    assert client.get(_url("inmates:inmate_edit", inmate)).status_code == 403


# --- forms: behaviour -------------------------------------------------------------------


def _identity(inmate, **overrides):
    data = {"last_name": inmate.last_name, "first_name": inmate.first_name, "sex": inmate.sex,
            "birth_year": inmate.birth_year or "", "nationality": inmate.nationality, "version": inmate.version,
            "reason": "Erreur de saisie sur le mandat"}
    data.update(overrides)
    return data


def test_correcting_identity_saves_with_the_reason_and_returns_to_the_file(client, clerk, inmate):
    client.force_login(clerk)
    response = client.post(_url("inmates:inmate_edit", inmate), _identity(inmate, first_name="Mahamadou"))
    assert response.status_code == 302
    assert response["Location"] == reverse("inmates:inmate_detail", args=[inmate.pk])
    assert Inmate.objects.get(pk=inmate.pk).first_name == "Mahamadou"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_type__model="inmate")
    assert entry.reason == "Erreur de saisie sur le mandat"
    page = client.get(response["Location"]).content.decode()
    assert "L&#x27;identité a été corrigée." in page


def test_a_correction_without_a_reason_is_refused_in_french_and_keeps_what_was_typed(client, clerk, inmate):
    client.force_login(clerk)
    response = client.post(_url("inmates:inmate_edit", inmate),
                           _identity(inmate, first_name="Mahamadou", reason=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html
    assert 'value="Mahamadou"' in html
    assert Inmate.objects.get(pk=inmate.pk).first_name == "Mamadou"


def test_a_correction_on_a_stale_version_shows_the_conflict_and_keeps_the_input(client, clerk, inmate):
    services.update_inmate(inmate, actor=clerk, reason="autre agent", last_name="TRAORE", expected_version=1)
    client.force_login(clerk)
    response = client.post(_url("inmates:inmate_edit", inmate),
                           _identity(inmate, first_name="Mahamadou", version=1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "modifié par une autre personne" in html
    assert 'value="Mahamadou"' in html
    assert Inmate.objects.get(pk=inmate.pk).first_name == "Mamadou"


def test_a_birth_date_in_the_future_is_refused_in_french(client, clerk, inmate):
    client.force_login(clerk)
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(_url("inmates:inmate_edit", inmate),
                           _identity(inmate, date_of_birth=future, birth_year=""))
    assert "La date de naissance est dans le futur." in response.content.decode()


def test_adding_an_alias_makes_the_person_findable_by_it(client, clerk, inmate):
    client.force_login(clerk)
    response = client.post(_url("inmates:alias_add", inmate), {"name": "Abou Dardar", "kind": "alias"})
    assert response.status_code == 302
    assert Alias.objects.filter(inmate=inmate, name="Abou Dardar").exists()
    assert list(Inmate.objects.search("dardar")) == [inmate]


def test_a_duplicate_alias_is_refused_in_french(client, clerk, inmate):
    services.add_alias(inmate, name="Abou", kind="alias", actor=clerk)
    client.force_login(clerk)
    response = client.post(_url("inmates:alias_add", inmate), {"name": "Abou", "kind": "alias"})
    assert response.status_code == 200
    assert "existe déjà" in response.content.decode()
    assert Alias.objects.filter(inmate=inmate).count() == 1


def test_a_child_without_an_age_is_refused_and_the_input_kept(client, clerk, inmate):
    client.force_login(clerk)
    response = client.post(_url("inmates:relative_add", inmate),
                           {"name": "Awa Traoré", "relation": "child", "whereabouts": "Mopti"})
    html = response.content.decode()
    assert "Indiquez l&#x27;âge ou la date de naissance de l&#x27;enfant." in html
    assert 'value="Awa Traoré"' in html and 'value="Mopti"' in html
    assert not Relative.objects.exists()


def test_adding_a_child_with_its_caregiver(client, clerk, inmate):
    client.force_login(clerk)
    response = client.post(_url("inmates:relative_add", inmate),
                           {"name": "Awa Traoré", "relation": "child", "age_years": 4, "whereabouts": "Mopti",
                            "caregiver": "sa tante"})
    assert response.status_code == 302
    child = Relative.objects.get()
    assert (child.age_years, child.caregiver) == (4, "sa tante")


def test_an_earlier_custody_after_admission_is_refused_in_french(client, clerk, inmate):
    custody = inmate.custodies.get()
    client.force_login(clerk)
    later = (custody.admitted_at + datetime.timedelta(days=1)).astimezone(timezone.get_current_timezone())
    response = client.post(_url("inmates:prior_custody_add", inmate),
                           {"kind": "gendarmerie", "place": "Camp I", "started_at": later.strftime("%Y-%m-%dT%H:%M")})
    html = response.content.decode()
    assert "Cette garde commence après l&#x27;écrou" in html
    assert 'value="Camp I"' in html
    assert not PriorCustody.objects.exists()


def test_adding_an_earlier_custody_to_the_arrest_chain(client, clerk, inmate):
    custody = inmate.custodies.get()
    client.force_login(clerk)
    start = (custody.admitted_at - datetime.timedelta(days=10)).astimezone(timezone.get_current_timezone())
    end = start + datetime.timedelta(days=4)
    response = client.post(_url("inmates:prior_custody_add", inmate),
                           {"kind": "gendarmerie", "place": "Camp I", "authority": "Gendarmerie",
                            "started_at": start.strftime("%Y-%m-%dT%H:%M"),
                            "ended_at": end.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    assert PriorCustody.objects.get().place == "Camp I"


def test_a_placement_with_a_warning_asks_for_a_reason_then_confirms(client, clerk, bamako, inmate):
    full = factories.UnitFactory(facility=bamako, code="P1", name="Cellule pleine", capacity=1)
    factories.detainee(bamako, actor=clerk, unit=full, last_name="KEITA")
    client.force_login(clerk)
    url = _url("inmates:placement_add", inmate)
    response = client.post(url, {"unit": full.pk, "reason": "Transfert interne"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "L&#x27;unité est pleine" in html and "Indiquez le motif pour confirmer ce placement." in html
    assert 'value="Transfert interne"' in html
    assert not Placement.objects.filter(unit=full, custody__inmate=inmate).exists()
    response = client.post(url, {"unit": full.pk, "reason": "Transfert interne",
                                 "override_reason": "Aucune autre cellule disponible"})
    assert response.status_code == 302
    placement = Placement.objects.get(unit=full, custody__inmate=inmate, ended_at__isnull=True)
    assert placement.warning_override == "Aucune autre cellule disponible"


def test_a_placement_without_warning_needs_no_reason(client, clerk, bamako, inmate):
    empty = factories.UnitFactory(facility=bamako, code="E1", name="Cellule vide", capacity=5)
    client.force_login(clerk)
    response = client.post(_url("inmates:placement_add", inmate), {"unit": empty.pk})
    assert response.status_code == 302
    assert inmate.custodies.get().placements.current().get().unit == empty


def test_a_unit_of_another_prison_cannot_be_chosen(client, clerk, koulikoro, inmate):
    elsewhere = factories.UnitFactory(facility=koulikoro, code="K1")
    client.force_login(clerk)
    response = client.post(_url("inmates:placement_add", inmate), {"unit": elsewhere.pk})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_a_director_sees_the_files_correction_history_and_a_clerk_does_not(client, clerk, inmate, bamako):
    from accounts.roles import Role
    from inmates import services as inmate_services

    inmate_services.update_inmate(inmate, actor=clerk, reason="Erreur sur le mandat", first_name="Mahamadou")
    director = factories.staff(Role.DIRECTOR, bamako, username="directeur.hist")
    client.force_login(director)
    html = client.get(f"/detenus/{inmate.pk}/").content.decode()
    assert "Historique des modifications" in html
    assert "Erreur sur le mandat" in html and "Mamadou → Mahamadou" in html
    client.force_login(clerk)
    assert "Historique des modifications" not in client.get(f"/detenus/{inmate.pk}/").content.decode()


def test_the_file_shows_the_pre_trial_deadline_and_the_open_alerts(client, clerk, bamako, cell):
    from casework.deadlines.sweep import sweep

    person = factories.detainee(bamako, actor=clerk, unit=cell, admitted_at=timezone.now() - datetime.timedelta(days=200))
    sweep()
    client.force_login(clerk)
    html = client.get(reverse("inmates:inmate_detail", args=[person.pk])).content.decode()
    assert "Échéance de la détention provisoire" in html
    assert "Alertes ouvertes" in html and "Délai dépassé sans prolongation" in html
    assert 'badge badge-danger">Délai dépassé' in html
