import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from core.errors import ConflictError
from inmates import services
from inmates.models import Custody, CustodyStatus, Inmate, Placement
from tests import factories

pytestmark = pytest.mark.django_db


def test_creating_an_inmate_is_audited_with_its_values(clerk):
    inmate = services.create_inmate(actor=clerk, last_name="Maïga", first_name="Aïssata", sex="F",
                                    birth_year=1995, aliases=["Aissata Maiga"])
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_type__model="inmate", target_id=str(inmate.pk))
    assert entry.actor == clerk
    assert entry.changes["last_name"] == [None, "Maïga"]
    assert inmate.search_text == "maiga aissata aissata maiga"


def test_a_correction_keeps_the_old_value_and_the_reason(inmate, clerk):
    services.update_inmate(inmate, actor=clerk, reason="Erreur de saisie sur le mandat",
                           first_name="Mahamadou")
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_type__model="inmate", target_id=str(inmate.pk))
    assert entry.changes == {"first_name": ["Mamadou", "Mahamadou"]}
    assert entry.reason == "Erreur de saisie sur le mandat"
    assert Inmate.objects.get(pk=inmate.pk).version == 2


def test_a_correction_without_a_reason_is_refused_and_nothing_changes(inmate, clerk):
    with pytest.raises(ValidationError):
        services.update_inmate(inmate, actor=clerk, reason=" ", first_name="Moussa")
    assert Inmate.objects.get(pk=inmate.pk).first_name == "Mamadou"


def test_a_stale_edit_is_refused_as_a_conflict(inmate, clerk):
    services.update_inmate(inmate, actor=clerk, reason="r", first_name="Moussa", expected_version=1)
    with pytest.raises(ConflictError):
        services.update_inmate(inmate, actor=clerk, reason="r", last_name="Keita", expected_version=1)
    assert Inmate.objects.get(pk=inmate.pk).last_name == "TRAORÉ"


def test_only_identity_fields_can_be_corrected(inmate, clerk):
    with pytest.raises(ValidationError):
        services.update_inmate(inmate, actor=clerk, reason="r", prisoner_number="X")


def test_a_person_cannot_hold_two_open_custodies(inmate, clerk, koulikoro):
    with pytest.raises(ValidationError):
        services.admit_to_custody(inmate, facility=koulikoro, admitted_at=timezone.now(), actor=clerk)
    assert Custody.objects.filter(inmate=inmate).count() == 1


def test_the_database_also_refuses_two_open_custodies(inmate, koulikoro):
    with pytest.raises(IntegrityError), transaction.atomic():
        Custody.objects.create(inmate=inmate, facility=koulikoro, admitted_at=timezone.now())


def test_admission_in_the_future_is_refused(clerk, bamako):
    person = services.create_inmate(actor=clerk, last_name="Coulibaly", first_name="Adama", sex="M")
    with pytest.raises(ValidationError):
        services.admit_to_custody(person, facility=bamako, actor=clerk,
                                  admitted_at=timezone.now() + datetime.timedelta(days=2))


def test_prior_custody_in_the_arrest_chain_must_precede_admission(inmate, clerk):
    custody = inmate.custodies.get()
    with pytest.raises(ValidationError):
        services.record_prior_custody(custody, actor=clerk, kind="gendarmerie", place="Camp I",
                                      started_at=custody.admitted_at + datetime.timedelta(hours=1))
    prior = services.record_prior_custody(
        custody, actor=clerk, kind="state_security", place="Sécurité d'État, Bamako",
        started_at=custody.admitted_at - datetime.timedelta(days=20),
        ended_at=custody.admitted_at - datetime.timedelta(days=3),
    )
    assert custody.first_custody_at() == prior.started_at


def test_moving_a_person_ends_the_previous_placement(inmate, clerk, bamako, cell):
    other = factories.UnitFactory(facility=bamako, code="B2", capacity=5)
    custody = inmate.custodies.get()
    services.place_in_unit(custody, unit=other, actor=clerk, reason="Transfert de cellule")
    placements = list(Placement.objects.filter(custody=custody).order_by("started_at"))
    assert [p.unit for p in placements] == [cell, other]
    assert placements[0].ended_at is not None and placements[1].ended_at is None


def test_placement_in_a_full_unit_needs_a_recorded_reason(clerk, bamako):
    tiny = factories.UnitFactory(facility=bamako, code="T1", capacity=1)
    factories.detainee(bamako, actor=clerk, unit=tiny)
    second = factories.detainee(bamako, actor=clerk, last_name="Keïta", first_name="Soumaïla")
    custody = second.custodies.get()
    with pytest.raises(ValidationError) as err:
        services.place_in_unit(custody, unit=tiny, actor=clerk)
    assert "pleine" in str(err.value)
    assert not custody.placements.exists()
    placement = services.place_in_unit(custody, unit=tiny, actor=clerk,
                                       override_reason="Aucune autre cellule disponible")
    assert placement.warning_override == "Aucune autre cellule disponible"


def test_placement_mixing_men_and_women_is_refused_even_with_a_reason(clerk, bamako, cell, inmate):
    factories.UnitFactory(facility=bamako, code="F1", category="women")
    woman = factories.detainee(bamako, actor=clerk, last_name="Diallo", first_name="Fatoumata", sex="F")
    custody = woman.custodies.get()
    with pytest.raises(ValidationError, match="hommes et femmes sont toujours séparés"):
        services.place_in_unit(custody, unit=cell, actor=clerk, override_reason="Plus de place ailleurs")
    assert not custody.placements.exists()
    assert not any("autre sexe" in w for w in services.placement_warnings(custody, cell))


def test_a_woman_may_join_a_unit_of_women_and_a_man_an_empty_one(clerk, bamako, inmate):
    women = factories.UnitFactory(facility=bamako, code="F1", capacity=4, category="women")
    first = factories.detainee(bamako, actor=clerk, last_name="Diallo", first_name="Fatoumata", sex="F", unit=women)
    second = factories.detainee(bamako, actor=clerk, last_name="Keita", first_name="Awa", sex="F")
    assert services.place_in_unit(second.custodies.get(), unit=women, actor=clerk).unit == women
    assert first.custodies.get().placements.current().get().unit == women


def test_placement_mixing_untried_and_convicted_is_flagged(clerk, bamako, cell, inmate):
    convict = factories.detainee(bamako, actor=clerk, last_name="Sidibé", convicted=True)
    warnings = services.placement_warnings(convict.custodies.get(), cell)
    assert any("prévenus et condamnés" in w for w in warnings)


def test_placement_in_another_prisons_unit_is_refused(inmate, clerk, koulikoro):
    foreign_unit = factories.UnitFactory(facility=koulikoro, code="K1")
    with pytest.raises(ValidationError):
        services.place_in_unit(inmate.custodies.get(), unit=foreign_unit, actor=clerk,
                               override_reason="x")


def test_opening_a_file_leaves_an_audit_entry(inmate, clerk):
    services.open_inmate_file(inmate.pk, actor=clerk)
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, inmate_id=inmate.pk, actor=clerk).count() == 1


def test_another_prisons_clerk_cannot_open_the_file(inmate, other_clerk):
    with pytest.raises(Http404):
        services.open_inmate_file(inmate.pk, actor=other_clerk)
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW, actor=other_clerk).exists()


def test_a_national_manager_sees_every_prison(inmate, manager, other_clerk):
    assert Inmate.objects.visible_to(manager).filter(pk=inmate.pk).exists()
    assert not Inmate.objects.visible_to(other_clerk).filter(pk=inmate.pk).exists()


def test_search_finds_names_without_accents_and_by_alias(clerk, bamako):
    person = factories.detainee(bamako, actor=clerk, last_name="Touré", first_name="Ousmane")
    services.add_alias(person, name="Abou Dardar", kind="alias", actor=clerk)
    assert list(Inmate.objects.search("toure ousmane")) == [person]
    assert list(Inmate.objects.search("dardar")) == [person]
    assert list(Inmate.objects.search("Dembélé")) == []


def test_complete_admission_makes_the_custody_held(clerk, bamako):
    person = factories.detainee(bamako, actor=clerk, held=False)
    custody = person.custodies.get()
    assert custody.status == CustodyStatus.INTAKE
    services.complete_admission(custody, actor=clerk)
    custody.refresh_from_db()
    assert custody.status == CustodyStatus.HELD
    with pytest.raises(ValidationError):
        services.complete_admission(custody, actor=clerk)


def test_a_child_needs_an_age(inmate, clerk):
    with pytest.raises(ValidationError):
        services.add_relative(inmate, actor=clerk, name="Awa Traoré", relation="child")
    child = services.add_relative(inmate, actor=clerk, name="Awa Traoré", relation="child",
                                  age_years=6, whereabouts="Kati", caregiver="sa grand-mère")
    assert child.pk


def test_age_and_minority_from_birth_year_or_date(clerk, bamako):
    factories.UnitFactory(facility=bamako, code="M1", category="minors")  # Bamako's minors' quarter
    person = factories.detainee(bamako, actor=clerk, birth_year=None,
                                date_of_birth=datetime.date(2010, 3, 1))
    assert person.age_on(datetime.date(2026, 2, 28)) == 15
    assert person.is_minor


def test_a_prison_that_is_destroyed_admits_nobody(clerk):
    from prisons.models import Facility

    kidal = Facility.objects.get(code="KID")
    person = services.create_inmate(actor=clerk, last_name="Ag Intalla", first_name="Alghabass", sex="M")
    with pytest.raises(ValidationError) as err:
        services.admit_to_custody(person, facility=kidal, admitted_at=timezone.now(), actor=clerk)
    assert "n'est pas en service" in str(err.value)
    assert not Custody.objects.filter(inmate=person).exists()


def test_an_earlier_custody_must_end_before_admission(inmate, clerk):
    custody = inmate.custodies.get()
    with pytest.raises(ValidationError) as err:
        services.record_prior_custody(custody, actor=clerk, kind="gendarmerie", place="Camp I",
                                      started_at=custody.admitted_at - datetime.timedelta(days=2),
                                      ended_at=custody.admitted_at + datetime.timedelta(days=1))
    assert "se termine après l'écrou" in str(err.value)


def test_admission_cannot_be_moved_before_the_arrest_chain(inmate, clerk):
    custody = inmate.custodies.get()
    services.record_prior_custody(custody, actor=clerk, kind="state_security", place="Sécurité d'État",
                                  started_at=custody.admitted_at - datetime.timedelta(days=10),
                                  ended_at=custody.admitted_at - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.update_custody(custody, actor=clerk, reason="erreur",
                                admitted_at=custody.admitted_at - datetime.timedelta(days=5))


def test_a_placement_cannot_be_dated_before_admission(inmate, clerk, bamako):
    other = factories.UnitFactory(facility=bamako, code="Z9")
    custody = inmate.custodies.get()
    with pytest.raises(ValidationError):
        services.place_in_unit(custody, unit=other, actor=clerk,
                               at=custody.admitted_at - datetime.timedelta(days=1))


def test_a_prison_stops_reading_the_file_once_the_person_is_admitted_elsewhere(clerk, other_clerk, bamako, koulikoro):
    from inmates.models import ReleaseReason

    person = factories.detainee(bamako, actor=clerk)
    custody = person.custodies.get()
    Custody.objects.filter(pk=custody.pk).update(status=CustodyStatus.RELEASED, released_at=timezone.now(),
                                                 release_reason=ReleaseReason.PROVISIONAL)
    assert Inmate.objects.visible_to(clerk).filter(pk=person.pk).exists()  # released here: still ours
    services.admit_to_custody(person, facility=koulikoro, admitted_at=timezone.now(), actor=other_clerk)
    assert not Inmate.objects.visible_to(clerk).filter(pk=person.pk).exists()
    assert Inmate.objects.visible_to(other_clerk).filter(pk=person.pk).exists()


def test_every_placement_path_warns_when_terrorism_cases_join_the_general_population(clerk, bamako, cell, inmate):
    accused = factories.detainee(bamako, actor=clerk, last_name="Ag Alher", terrorism=True)
    custody = accused.custodies.get()
    assert "L'unité mêle affaires de terrorisme et population générale." in services.placement_warnings(custody, cell)
    with pytest.raises(ValidationError):
        services.place_in_unit(custody, unit=cell, actor=clerk)  # the foundation API and form path


@pytest.mark.parametrize("sex, birth_year_age, flags, quarter, refused", [
    ("F", 30, {}, None, "n'accueille pas de femmes"),                 # Bamako Central holds adult men
    ("F", 30, {}, "women", None),                                      # … unless it has a women's quarter
    ("F", 30, {"holds_women": True}, None, None),
    ("M", 14, {}, None, "n'accueille pas de mineurs"),
    ("M", 14, {}, "minors", None),
    ("M", 14, {"holds_minors": True}, None, None),
    ("F", 14, {}, "women", "n'accueille pas de mineurs"),              # a girl needs both
    ("M", 30, {"holds_men": False, "holds_women": True}, None, "n'accueille pas d'hommes"),
    ("M", 30, {"holds_adults": False, "holds_minors": True}, None, "n'accueille que des mineurs"),
])
def test_admission_into_a_prison_that_does_not_hold_the_category(clerk, bamako, sex, birth_year_age, flags,
                                                                 quarter, refused):
    type(bamako).objects.filter(pk=bamako.pk).update(**flags)
    bamako.refresh_from_db()
    if quarter:
        factories.UnitFactory(facility=bamako, code="Q1", category=quarter)
    person = services.create_inmate(actor=clerk, last_name="Cissé", first_name="Awa", sex=sex,
                                    birth_year=timezone.localdate().year - birth_year_age)
    if refused:
        with pytest.raises(ValidationError, match=refused):
            services.admit_to_custody(person, facility=bamako, admitted_at=timezone.now(), actor=clerk)
        assert not Custody.objects.filter(inmate=person).exists()
    else:
        assert services.admit_to_custody(person, facility=bamako, admitted_at=timezone.now(), actor=clerk)


def test_an_inactive_quarter_does_not_count(clerk, bamako):
    factories.UnitFactory(facility=bamako, code="F1", category="women", is_active=False)
    person = services.create_inmate(actor=clerk, last_name="Cissé", first_name="Awa", sex="F", birth_year=1990)
    with pytest.raises(ValidationError, match="n'accueille pas de femmes"):
        services.admit_to_custody(person, facility=bamako, admitted_at=timezone.now(), actor=clerk)
