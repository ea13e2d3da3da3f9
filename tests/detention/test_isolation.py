"""The isolation register (detention.services.isolation, detention.discipline_reads)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from detention.discipline_reads import isolation_reconciliation, isolation_rows, register_summary
from detention.models import IsolationPlacement, IsolationVisit, MedicalClearance
from detention.models.discipline import SanctionKind
from detention.services import discipline, isolation
from inmates.models import Sex
from prisons.models import UnitCategory, UnitKind
from tests import factories
from tests.custody_fixtures import custody  # noqa: F401
from tests.detention.discipline_fixtures import ago, heard_charge, sanction_of  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def iso_unit(bamako):
    return factories.UnitFactory(facility=bamako, code="ISO1", name="Isolement 1", capacity=4,
                                 kind=UnitKind.ISOLATION)


@pytest.fixture
def women_unit(bamako):
    return factories.UnitFactory(facility=bamako, code="F1", name="Quartier des femmes", capacity=10,
                                 category=UnitCategory.WOMEN)


@pytest.fixture
def minors_unit(bamako):
    return factories.UnitFactory(facility=bamako, code="M1", name="Quartier des mineurs", capacity=10,
                                 category=UnitCategory.MINORS)


def _plan(days=5):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_security_measure_places_in_isolation_unit(custody, director, iso_unit):
    placement = isolation.place_in_isolation(custody, reason_kind="security", reason="Menaces", planned_end_on=_plan(),
                                             actor=director)
    assert placement.unit == iso_unit
    assert custody.placements.get(ended_at__isnull=True).unit == iso_unit
    assert isolation_reconciliation(custody.facility) == {"without_entry": [], "not_in_unit": []}
    isolation.end_isolation(placement, reason="Fin de la mesure", actor=director)
    assert not IsolationPlacement.objects.open().exists()


def test_sanction_placement_needs_the_decision(custody, security, director):
    charge = heard_charge(custody, reporter=security, hearer=director)
    with pytest.raises(ValidationError, match="décision"):
        isolation.place_in_isolation(custody, reason_kind="sanction", reason="r", planned_end_on=_plan(),
                                     charge=charge, actor=director)
    discipline.decide_charge(charge, reasons="r", sanction=sanction_of(custody.facility, SanctionKind.ISOLATION),
                             days=5, actor=director)
    with pytest.raises(ValidationError, match="durée décidée"):
        isolation.place_in_isolation(custody, reason_kind="sanction", reason="r", planned_end_on=_plan(8),
                                     charge=charge, actor=director)
    placement = isolation.place_in_isolation(custody, reason_kind="sanction", reason="Sanction", charge=charge,
                                             planned_end_on=_plan(4), actor=director)
    assert placement.charge == charge


def test_beyond_fifteen_days_refused(custody, director):
    with pytest.raises(ValidationError, match="15 jours"):
        isolation.place_in_isolation(custody, reason_kind="security", reason="r", planned_end_on=_plan(15),
                                     actor=director)
    assert not IsolationPlacement.objects.exists()


def test_only_the_direction_places(custody, security):
    with pytest.raises(PermissionDenied):
        isolation.place_in_isolation(custody, reason_kind="security", reason="r", planned_end_on=_plan(),
                                     actor=security)
    assert not IsolationPlacement.objects.exists()


def test_minor_refused_unless_cleared(bamako, clerk, minors_unit, director, medical):
    minor = factories.detainee(bamako, actor=clerk, unit=minors_unit, birth_year=timezone.localdate().year - 16)
    custody = minor.custodies.get()
    with pytest.raises(ValidationError, match="mineure"):
        isolation.place_in_isolation(custody, reason_kind="security", reason="r", planned_end_on=_plan(),
                                     actor=director)
    assert not IsolationPlacement.objects.exists()
    with pytest.raises(PermissionDenied):
        isolation.record_clearance(custody, grounds="g", valid_until=_plan(), actor=director)
    isolation.record_clearance(custody, grounds="Examen : pas de contre-indication", valid_until=_plan(),
                               actor=medical)
    assert isolation.place_in_isolation(custody, reason_kind="security", reason="r", planned_end_on=_plan(),
                                        actor=director)


@pytest.mark.parametrize("fact", ["is_pregnant", "with_infant", "condition_worsened"])
def test_protected_people_refused(bamako, clerk, director, women_unit, fact):
    woman = factories.detainee(bamako, actor=clerk, unit=women_unit, sex=Sex.FEMALE, last_name="KEITA").custodies.get()
    with pytest.raises(ValidationError, match="Règle 45"):
        isolation.place_in_isolation(woman, reason_kind="security", reason="r", planned_end_on=_plan(),
                                     actor=director, **{fact: True})
    assert not IsolationPlacement.objects.exists()
    assert not MedicalClearance.objects.exists()


def test_daily_visit_medical_only_and_overdue(custody, director, medical, security):
    placement = isolation.place_in_isolation(custody, reason_kind="security", reason="r", planned_end_on=_plan(),
                                             actor=director, at=ago(days=3))
    with pytest.raises(PermissionDenied):
        isolation.record_isolation_visit(placement, actor=security)
    assert not IsolationVisit.objects.exists()
    isolation.record_isolation_visit(placement, actor=medical, at=ago(days=2))
    row = isolation_rows(custody.facility)[0]
    assert row["days"] == 4
    assert len(row["missing_visits"]) == 2  # start day and yesterday (today is not over)


def test_alert_day_13_breach_after_15(custody, director):
    placement = isolation.place_in_isolation(custody, reason_kind="security", reason="r", planned_end_on=_plan(2),
                                             actor=director)
    IsolationPlacement.objects.filter(pk=placement.pk).update(started_at=ago(days=12))
    row = isolation_rows(custody.facility)[0]
    assert row["days"] == 13 and row["alert"] and not row["breach"]
    IsolationPlacement.objects.filter(pk=placement.pk).update(started_at=ago(days=15))
    row = isolation_rows(custody.facility)[0]
    assert row["breach"]
    summary = register_summary(custody.facility, start=timezone.localdate() - datetime.timedelta(days=30),
                               end=timezone.localdate())
    assert summary["isolation_breaches"] == 1 and summary["isolations_open"] == 1


def test_reconciliation_lists_unit_without_entry(custody, director, iso_unit, clerk):
    from inmates import movements
    movements.move_to_unit(custody, unit=iso_unit, reason="Cellule pleine", actor=clerk, override_reason="x")
    assert isolation_reconciliation(custody.facility)["without_entry"] == [custody.pk]


def test_another_prison_refused(custody, director, other_clerk):
    placement = isolation.place_in_isolation(custody, reason_kind="security", reason="r", planned_end_on=_plan(),
                                             actor=director)
    with pytest.raises(PermissionDenied):
        isolation.end_isolation(placement, reason="r", actor=other_clerk)
    assert IsolationPlacement.objects.visible_to(other_clerk).count() == 0
