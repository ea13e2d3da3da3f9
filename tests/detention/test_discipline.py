"""The discipline register (detention.services.discipline): the procedure and every refusal,
each leaving nothing written."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AuditEntry
from detention.models import DisciplinaryCharge, DisciplinaryIncident, DisciplineLimit, Sanction
from detention.models.discipline import SanctionKind
from detention.services import discipline
from tests import factories
from tests.custody_fixtures import custody  # noqa: F401
from tests.detention.discipline_fixtures import ago, heard_charge, sanction_of  # noqa: F401

pytestmark = pytest.mark.django_db


def _unchanged(charge, **expected):
    charge.refresh_from_db()
    for name, value in expected.items():
        assert getattr(charge, name) == value


def test_seeded_limits_and_sanctions(bamako):
    assert DisciplineLimit.value_of("isolation_max_days") == 15
    assert DisciplineLimit.objects.get(key="preparation_hours").awaiting_confirmation
    assert Sanction.objects.filter(facility=bamako).count() >= 4


def test_full_procedure(custody, security, director):
    charge = heard_charge(custody, reporter=security, hearer=director)
    sanction = sanction_of(custody.facility, SanctionKind.PRIVILEGE)
    discipline.decide_charge(charge, reasons="Violences établies par le témoin.", sanction=sanction, days=10,
                             actor=director)
    discipline.lodge_appeal(charge, actor=security)
    discipline.decide_appeal(charge, outcome="Sanction confirmée", actor=director)
    charge.refresh_from_db()
    assert charge.sanction == sanction and charge.appeal_outcome == "Sanction confirmée"
    assert charge.notified_language == "bambara" and charge.interpreter == "A. Coulibaly"
    assert AuditEntry.objects.filter(target_id=str(charge.pk)).count() >= 5


def test_only_the_director_decides(custody, security, director):
    charge = heard_charge(custody, reporter=security, hearer=director)
    with pytest.raises(PermissionDenied):
        discipline.decide_charge(charge, reasons="x", actor=security)
    _unchanged(charge, decided_at=None)


def test_medical_cannot_report(custody, medical):
    with pytest.raises(PermissionDenied):
        discipline.report_incident(custody.facility, custodies=[custody], occurred_at=ago(hours=2), place="Cour",
                                   description="x", offence="y", actor=medical)
    assert not DisciplinaryIncident.objects.exists()


def test_sanction_not_in_list_refused(custody, security, director, koulikoro):
    charge = heard_charge(custody, reporter=security, hearer=director)
    other = sanction_of(koulikoro, SanctionKind.PRIVILEGE)
    with pytest.raises(ValidationError, match="liste des sanctions"):
        discipline.decide_charge(charge, reasons="r", sanction=other, days=5, actor=director)
    withdrawn = sanction_of(custody.facility, SanctionKind.PRIVILEGE)
    Sanction.objects.filter(pk=withdrawn.pk).update(is_active=False)
    withdrawn.refresh_from_db()
    with pytest.raises(ValidationError, match="liste des sanctions"):
        discipline.decide_charge(charge, reasons="r", sanction=withdrawn, days=5, actor=director)
    _unchanged(charge, decided_at=None, sanction=None)


def test_collective_punishment_refused(bamako, security, director, clerk, cell):
    people = [factories.detainee(bamako, actor=clerk, unit=cell, last_name=n).custodies.get() for n in ("A", "B")]
    incident = discipline.report_incident(bamako, custodies=people, occurred_at=ago(days=3), place="Cour",
                                          description="Rixe", offence="Rixe", actor=security)
    assert incident.charges.count() == 2  # one charge per person, each decided on its own
    charge = incident.charges.first()
    discipline.notify_charge(charge, language="français", actor=security, at=ago(days=2))
    discipline.hear_charge(charge, statement="s", actor=director, at=ago(hours=2))
    with pytest.raises(ValidationError, match="collectives"):
        discipline.decide_charge(charge, reasons="r", custodies=people, actor=director)
    _unchanged(charge, decided_at=None)


@pytest.mark.parametrize("name", ["Réduction de nourriture", "Privation d'eau", "Ration réduite", "Punition collective"])
def test_food_or_water_never_in_the_list(bamako, admin_user, name):
    with pytest.raises(ValidationError, match="Règle 43"):
        discipline.add_sanction(bamako, name=name, kind=SanctionKind.PRIVILEGE, actor=admin_user)
    assert not Sanction.objects.filter(name=name).exists()


def test_list_edited_by_admin_only_and_audited(bamako, admin_user, director):
    with pytest.raises(PermissionDenied):
        discipline.add_sanction(bamako, name="Travail d'intérêt collectif", kind="other", actor=director)
    sanction = discipline.add_sanction(bamako, name="Privation de visite de parloir", kind="privilege",
                                       max_days=7, actor=admin_user)
    with pytest.raises(ValidationError, match="Règle 43"):
        discipline.update_sanction(sanction, name="Privation de repas", reason="essai", actor=admin_user)
    sanction.refresh_from_db()
    assert sanction.name == "Privation de visite de parloir"
    discipline.update_sanction(sanction, is_active=False, reason="Retirée", actor=admin_user)
    assert AuditEntry.objects.filter(target_id=str(sanction.pk), reason="Retirée").exists()


def test_isolation_in_list_limited(bamako, admin_user):
    with pytest.raises(ValidationError, match="15"):
        discipline.add_sanction(bamako, name="Quartier disciplinaire long", kind="isolation", max_days=30,
                                actor=admin_user)


def test_same_fact_sanctioned_once(custody, security, director):
    charge = heard_charge(custody, reporter=security, hearer=director)
    discipline.decide_charge(charge, reasons="r", sanction=sanction_of(custody.facility, "warning"), actor=director)
    with pytest.raises(ValidationError, match="déjà décidée"):
        discipline.decide_charge(charge, reasons="r2", sanction=sanction_of(custody.facility, "privilege"),
                                 days=3, actor=director)
    # A second charge for the same incident and person is refused by the database too.
    with pytest.raises(IntegrityError), transaction.atomic():
        DisciplinaryCharge.objects.create(incident=charge.incident, custody=custody, offence="x",
                                          created_by=security)
    _unchanged(charge, sanction=sanction_of(custody.facility, "warning"))


def test_isolation_beyond_limit_refused(custody, security, director):
    charge = heard_charge(custody, reporter=security, hearer=director)
    cell = sanction_of(custody.facility, SanctionKind.ISOLATION)
    Sanction.objects.filter(pk=cell.pk).update(max_days=None)
    cell.refresh_from_db()
    with pytest.raises(ValidationError, match="15 jours"):
        discipline.decide_charge(charge, reasons="r", sanction=cell, days=16, actor=director)
    _unchanged(charge, decided_at=None)


def test_order_of_the_procedure(custody, security, director):
    incident = discipline.report_incident(custody.facility, custodies=[custody], occurred_at=ago(days=3),
                                          place="Cour", description="x", offence="y", actor=security)
    charge = incident.charges.get()
    with pytest.raises(ValidationError, match="langue"):
        discipline.notify_charge(charge, language=" ", actor=security)
    with pytest.raises(ValidationError, match="notification"):
        discipline.hear_charge(charge, statement="s", actor=director)
    discipline.notify_charge(charge, language="peul", actor=security, at=ago(hours=5))
    with pytest.raises(ValidationError, match="24 heures"):
        discipline.hear_charge(charge, statement="s", actor=director)
    _unchanged(charge, heard_at=None)
    with pytest.raises(ValidationError, match="audience"):
        discipline.decide_charge(charge, reasons="r", actor=director)
    _unchanged(charge, decided_at=None)


def test_another_prison_refused(custody, security, director, other_clerk):
    charge = heard_charge(custody, reporter=security, hearer=director)
    with pytest.raises(PermissionDenied):
        discipline.lodge_appeal(charge, actor=other_clerk)
    assert DisciplinaryCharge.objects.visible_to(other_clerk).count() == 0


def test_limit_edit_audited(admin_user, director):
    limit = DisciplineLimit.objects.get(key="preparation_hours")
    with pytest.raises(PermissionDenied):
        discipline.update_discipline_limit(limit, value=48, reason="r", actor=director)
    discipline.update_discipline_limit(limit, value=48, reason="Règlement intérieur", actor=admin_user)
    assert DisciplineLimit.value_of("preparation_hours") == 48
