"""The searches register (detention.services.searches; Mandela Rules 50–52)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEntry
from detention.models import Search, SearchItem
from detention.services import searches
from inmates.models import Sex
from prisons.models import UnitCategory
from tests import factories
from tests.custody_fixtures import custody  # noqa: F401
from tests.detention.search_fixtures import pat_down

pytestmark = pytest.mark.django_db


def test_a_pat_down_is_recorded_with_its_items_and_audited(custody, security):
    search = pat_down(custody, actor=security, items=[
        {"description": "Téléphone", "outcome": "kept"},
        {"description": "Lame de rasoir", "outcome": "police", "reference": "PV 12/2026"},
        {"description": "", "outcome": ""}])
    assert search.searched_by == security and search.recorded_by == security
    assert list(search.items.values_list("outcome", flat=True)) == ["kept", "police"]
    entry = AuditEntry.objects.get(target_type=ContentType.objects.get_for_model(Search), target_id=str(search.pk),
                                   action="create")
    assert entry.inmate_id == custody.inmate_id


def test_a_body_search_by_staff_of_the_other_sex_is_refused(custody, security):
    with pytest.raises(ValidationError, match="même sexe") as err:
        pat_down(custody, actor=security, searcher_sex=Sex.FEMALE)
    assert "searcher_sex" in err.value.message_dict
    assert not Search.objects.exists()


def test_a_strip_search_of_a_woman_by_a_man_is_refused(bamako, clerk, security):
    women = factories.UnitFactory(facility=bamako, code="F1", name="Quartier des femmes", capacity=10,
                                  category=UnitCategory.WOMEN)
    woman = factories.detainee(bamako, actor=clerk, unit=women, sex=Sex.FEMALE, last_name="KEÏTA",
                               first_name="Aminata").custodies.get()
    with pytest.raises(ValidationError, match="même sexe"):
        pat_down(woman, actor=security, kind="strip", searcher_sex=Sex.MALE)
    assert pat_down(woman, actor=security, kind="strip", searcher_sex=Sex.FEMALE).kind == "strip"


def test_the_searcher_sex_is_required_for_a_body_search(custody, security):
    with pytest.raises(ValidationError, match="sexe de l'agent"):
        pat_down(custody, actor=security, searcher_sex="")


def test_an_intrusive_search_needs_health_staff_or_an_authorisation(custody, security, medical):
    with pytest.raises(ValidationError, match="personnel de santé") as err:
        pat_down(custody, actor=security, kind="intrusive")
    assert "authorised_by" in err.value.message_dict
    with pytest.raises(ValidationError, match="autorisée"):  # who, without the reference
        pat_down(custody, actor=security, kind="intrusive", authorised_by="Le directeur")
    assert not Search.objects.exists()
    by_doctor = pat_down(custody, actor=security, kind="intrusive", searched_by=medical)
    assert by_doctor.searched_by == medical
    authorised = pat_down(custody, actor=security, kind="intrusive", authorised_by="M. Diarra, directeur",
                          authorisation_reference="Décision 4/2026")
    assert authorised.authorisation_reference == "Décision 4/2026"


def test_a_cell_search_needs_the_cell(bamako, security, cell, custody):
    with pytest.raises(ValidationError, match="cellule") as err:
        searches.record_search(bamako, kind="cell", reason="Fouille générale", actor=security)
    assert "unit" in err.value.message_dict
    with pytest.raises(ValidationError, match="à part"):
        searches.record_search(bamako, kind="cell", unit=cell, custody=custody, reason="r", actor=security)
    search = searches.record_search(bamako, kind="cell", unit=cell, reason="Fouille générale", actor=security,
                                    items=[{"description": "Couteau artisanal", "outcome": "destroyed"}])
    assert search.unit == cell and search.custody is None


def test_a_body_search_needs_the_person(bamako, security):
    with pytest.raises(ValidationError, match="personne") as err:
        searches.record_search(bamako, kind="pat_down", reason="Contrôle", searcher_sex="M", actor=security)
    assert "custody" in err.value.message_dict


def test_an_item_handed_to_the_police_needs_the_reference(custody, security):
    with pytest.raises(ValidationError, match="référence"):
        pat_down(custody, actor=security, items=[{"description": "Drogue", "outcome": "police"}])
    with pytest.raises(ValidationError, match="devenu"):
        pat_down(custody, actor=security, items=[{"description": "Drogue", "outcome": ""}])
    assert not Search.objects.exists() and not SearchItem.objects.exists()


def test_only_security_and_direction_record_a_search(custody, social, director):
    with pytest.raises(PermissionDenied):
        pat_down(custody, actor=social)
    assert pat_down(custody, actor=director).recorded_by == director


def test_another_prison_cannot_record_here(custody, koulikoro):
    from accounts.roles import Role

    officer = factories.staff(Role.SECURITY, koulikoro, username="securite.klk")
    with pytest.raises(PermissionDenied):
        pat_down(custody, actor=officer)
