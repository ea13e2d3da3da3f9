"""Report figures against hand-computed expectations on small fixtures."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import Role
from casework import services as case_services
from casework.models import HearingKind
from detention import services as detention_services
from inmates import movements
from inmates import services as inmate_services
from inmates.models import Custody, Sex
from oversight import reports
from oversight.models import OccupancySnapshot
from prisons.models import Facility, Regime, UnitKind
from tests import factories

pytestmark = pytest.mark.django_db

# Official capacity of the prisons in service in the reference data (prisons/migrations/0002):
# BKO 400, KLK 200, KNB 2500, BOL 150, BOM 100, KTI 120, KAY 150, SIK 150, SEG 150, MOP 150,
# SAN 80, KTL 80, BGN 80, KIT 60, NIO 60.
NATIONAL_CAPACITY = 4430


def _custody(inmate):
    return Custody.objects.get(inmate=inmate, status__in=("intake", "held"))


def test_occupancy_counts_held_capacity_congestion_and_untried_share(bamako, koulikoro, clerk, cell):
    other_cell = factories.UnitFactory(facility=bamako, code="A2", name="Cellule A2", capacity=2)
    factories.detainee(bamako, actor=clerk, unit=cell)
    factories.detainee(bamako, actor=clerk, unit=cell, convicted=True)
    factories.detainee(bamako, actor=clerk, unit=other_cell, terrorism=True)
    factories.detainee(bamako, actor=clerk, held=False)  # in intake: held, not placed
    factories.detainee(koulikoro, actor=factories.staff(Role.CLERK, koulikoro))

    report = reports.occupancy()
    bko = next(f for f in report["facilities"] if f["code"] == "BKO")
    assert (bko["held"], bko["capacity"], bko["untried"], bko["intake"], bko["terrorism"]) == (4, 400, 3, 1, 1)
    assert bko["congestion"] == 1.0  # 4 / 400
    assert bko["untried_share"] == 75.0  # 3 / 4
    assert bko["unplaced"] == 1
    units = {u["code"]: u for u in bko["units"]}
    assert (units["A1"]["occupants"], units["A1"]["untried"], units["A1"]["congestion"]) == (2, 1, 28.6)  # 2 / 7
    assert (units["A2"]["occupants"], units["A2"]["congestion"]) == (1, 50.0)
    totals = report["totals"]
    assert (totals["held"], totals["untried"], totals["capacity"]) == (5, 4, NATIONAL_CAPACITY)
    assert totals["congestion"] == round(100 * 5 / NATIONAL_CAPACITY, 1)


def test_destroyed_closed_and_rebuilding_prisons_are_listed_apart(db):
    report = reports.occupancy()
    apart = {f["code"]: f["status"] for f in report["other_facilities"]}
    assert apart["KID"] == "destroyed" and apart["ASG"] == "closed" and apart["GAO"] == "reconstruction"
    assert not {"KID", "ASG", "GAO"} & {f["code"] for f in report["facilities"]}
    assert len(report["facilities"]) == 15


def test_occupancy_scoped_to_one_prison(bamako, koulikoro, clerk):
    factories.detainee(bamako, actor=clerk)
    report = reports.occupancy(facility_ids=[koulikoro.pk])
    assert [f["code"] for f in report["facilities"]] == ["KLK"]
    assert report["totals"]["held"] == 0


def test_snapshots_are_idempotent_and_feed_the_trend_and_past_days(bamako, clerk):
    factories.detainee(bamako, actor=clerk)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=1)):
        reports.write_occupancy_snapshots()
        reports.write_occupancy_snapshots()  # re-run the same day: rewritten, not duplicated
    factories.detainee(bamako, actor=clerk)
    reports.write_occupancy_snapshots()
    facilities = Facility.objects.count()
    assert OccupancySnapshot.objects.filter(day=yesterday).count() == facilities + 1
    national = reports.trend()
    assert [(t["day"], t["held"]) for t in national] == [(yesterday.isoformat(), 1), (today.isoformat(), 2)]
    assert reports.trend(facility_id=bamako.pk)[0]["capacity"] == 400
    past = reports.occupancy(day=yesterday)
    assert past["source"] == "snapshot"
    assert next(f for f in past["facilities"] if f["code"] == "BKO")["held"] == 1
    assert reports.occupancy(day=today - datetime.timedelta(days=30))["source"] == "missing"


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC))  # midday: "an hour ago" is today
def test_roll_lists_people_by_unit_and_the_days_movements(bamako, clerk, cell):
    infirmary = factories.UnitFactory(facility=bamako, code="INF", name="Infirmerie", kind=UnitKind.INFIRMARY,
                                      capacity=5)
    now = timezone.now()
    a = factories.detainee(bamako, actor=clerk, unit=cell, last_name="COULIBALY")
    b = factories.detainee(bamako, actor=clerk, unit=infirmary, last_name="DIALLO")
    arriving = factories.detainee(bamako, actor=clerk, last_name="KEITA", admitted_at=now - datetime.timedelta(hours=1))
    intake = factories.detainee(bamako, actor=clerk, last_name="SANGARE", held=False,
                                admitted_at=now - datetime.timedelta(minutes=30))
    leaving = factories.detainee(bamako, actor=clerk, unit=cell, last_name="TOURE")
    movements.release(_custody(leaving), reason="provisional", order_received_at=now - datetime.timedelta(minutes=5),
                            left_at=now, actor=clerk, authority="Juge d'instruction", order_reference="OML 12/2026")
    case = _custody(a).cases.get()
    case_services.record_hearing(case, actor=clerk, date=timezone.localdate(), kind=HearingKind.EXAMINATION)

    roll = reports.roll(bamako)
    assert [(u["code"], [p["name"] for p in u["people"]]) for u in roll["units"]] == [
        ("A1", ["COULIBALY Mamadou"]), ("INF", ["DIALLO Mamadou"])]
    assert [p["name"] for p in roll["unplaced"]] == ["KEITA Mamadou"]
    assert [p["name"] for p in roll["intake"]] == ["SANGARE Mamadou"]
    assert roll["count"] == 3
    assert [p["name"] for p in roll["arrivals"]] == ["KEITA Mamadou", "SANGARE Mamadou"]
    assert [p["name"] for p in roll["departures"]] == ["TOURE Mamadou"]
    assert [p["name"] for p in roll["absences"]["court"]] == ["COULIBALY Mamadou"]
    assert [p["name"] for p in roll["absences"]["infirmary"]] == ["DIALLO Mamadou"]
    assert intake.pk and arriving.pk and b.pk


def test_roll_of_an_earlier_day_uses_the_placements_then(bamako, clerk, cell):
    admitted = timezone.now() - datetime.timedelta(days=10)
    person = factories.detainee(bamako, actor=clerk, unit=cell, admitted_at=admitted)
    other = factories.UnitFactory(facility=bamako, code="B1", capacity=5)
    inmate_services.place_in_unit(_custody(person), unit=other, actor=clerk,
                                  at=timezone.now() - datetime.timedelta(days=2), override_reason="test")
    five_days_ago = timezone.localdate() - datetime.timedelta(days=5)
    assert [u["code"] for u in reports.roll(bamako, day=five_days_ago)["units"]] == ["A1"]
    assert [u["code"] for u in reports.roll(bamako)["units"]] == ["B1"]


@pytest.fixture
def mixed_prison(db):
    """A prison that may hold men, women, adults and minors (each in their own units)."""
    return factories.FacilityFactory(code="MIX", name="Maison d'arrêt mixte", holds_women=True, holds_minors=True)


def test_separation_flags_units_mixing_categories(mixed_prison, koulikoro):
    bamako = mixed_prison
    clerk = factories.staff(Role.CLERK, bamako)
    mixed = factories.UnitFactory(facility=bamako, code="M1", name="Mixte", capacity=20)
    clean = factories.UnitFactory(facility=bamako, code="C1", name="Correcte", capacity=20)
    veo = factories.UnitFactory(facility=bamako, code="V1", name="Quartier", capacity=20, regime=Regime.VEO)
    this_year = timezone.localdate().year
    factories.detainee(bamako, actor=clerk, unit=mixed)  # man, adult, untried, general
    # men and women are never placed together any more (the service refuses it): Awa has her own unit
    women = factories.UnitFactory(facility=bamako, code="F1", name="Femmes", capacity=20)
    factories.detainee(bamako, actor=clerk, unit=women, sex=Sex.FEMALE, first_name="Awa")
    factories.detainee(bamako, actor=clerk, unit=mixed, convicted=True)
    factories.detainee(bamako, actor=clerk, unit=mixed, birth_year=this_year - 16)  # minor
    factories.detainee(bamako, actor=clerk, unit=mixed, terrorism=True)
    factories.detainee(bamako, actor=clerk, unit=clean)
    factories.detainee(bamako, actor=clerk, unit=clean)
    factories.detainee(bamako, actor=clerk, unit=veo, terrorism=True)
    factories.detainee(bamako, actor=clerk, unit=veo, terrorism=True, convicted=True)

    report = reports.separation()
    units = {u["unit_code"]: u for u in report["units"]}
    assert set(units) == {"M1", "V1"}
    m1 = units["M1"]
    assert m1["mixes"] == {"sex": False, "legal": True, "age": True, "terrorism": True}
    assert (m1["total"], m1["men"], m1["women"], m1["untried"], m1["convicted"], m1["minors"], m1["adults"],
            m1["terrorism"], m1["general"]) == (4, 4, 0, 3, 1, 1, 3, 1, 3)
    assert units["V1"]["mixes"] == {"sex": False, "legal": True, "age": False, "terrorism": False}
    summary = {s["key"]: (s["units"], s["people"]) for s in report["summary"]}
    assert summary == {"sex": (0, 0), "legal": (2, 6), "age": (1, 4), "terrorism": (1, 4)}
    assert report["placed"] == 9 and report["units_checked"] == 4
    assert reports.separation(facility_ids=[koulikoro.pk])["units"] == []


def test_minor_is_counted_from_the_date_of_birth_on_the_day(mixed_prison):
    bamako = mixed_prison
    clerk = factories.staff(Role.CLERK, bamako)
    unit = factories.UnitFactory(facility=bamako, code="J1", capacity=5)
    today = timezone.localdate()
    born = reports.years_before(today, 18) + datetime.timedelta(days=1)  # turns 18 tomorrow
    factories.detainee(bamako, actor=clerk, unit=unit, birth_year=None, date_of_birth=born)
    factories.detainee(bamako, actor=clerk, unit=unit)
    assert reports.separation()["units"][0]["minors"] == 1
    tomorrow = today + datetime.timedelta(days=1)
    assert reports.separation(day=tomorrow)["units"] == []


def test_separation_of_an_earlier_day_uses_the_placements_then(mixed_prison):
    clerk = factories.staff(Role.CLERK, mixed_prison)
    shared = factories.UnitFactory(facility=mixed_prison, code="S1", capacity=5)
    own = factories.UnitFactory(facility=mixed_prison, code="S2", capacity=5)
    factories.detainee(mixed_prison, actor=clerk, unit=shared)
    # a convicted person with an untried one (men and women are never placed together)
    woman = factories.detainee(mixed_prison, actor=clerk, unit=shared, convicted=True, first_name="Awa")
    inmate_services.place_in_unit(_custody(woman), unit=own, actor=clerk,
                                  at=timezone.now() - datetime.timedelta(days=2), override_reason="séparation")
    five_days_ago = timezone.localdate() - datetime.timedelta(days=5)
    assert [u["unit_code"] for u in reports.separation(day=five_days_ago)["units"]] == ["S1"]
    assert reports.separation()["units"] == []


def test_activities_access_by_category(bamako, clerk):
    director = factories.staff(Role.DIRECTOR, bamako)
    general = factories.UnitFactory(facility=bamako, code="G1", capacity=30)
    veo = factories.UnitFactory(facility=bamako, code="V1", capacity=30, regime=Regime.VEO)
    workshop = detention_services.create_activity(bamako, name="Couture", kind="tailoring",
                                               open_to_regimes=[Regime.STANDARD], actor=director)
    doctor_talk = detention_services.create_activity(bamako, name="Causerie", kind="schooling",
                                                  open_to_regimes=[Regime.STANDARD, Regime.VEO], actor=director,
                                                  open_to_terrorism_related=True)
    people = [factories.detainee(bamako, actor=clerk, unit=general) for _ in range(4)]
    convicted = factories.detainee(bamako, actor=clerk, unit=general, convicted=True)
    veos = [factories.detainee(bamako, actor=clerk, unit=veo, terrorism=True) for _ in range(3)]
    for person in people[:2]:
        detention_services.enrol(workshop, custody=_custody(person), actor=director)
    detention_services.enrol(doctor_talk, custody=_custody(people[0]), actor=director)
    detention_services.enrol(doctor_talk, custody=_custody(veos[0]), actor=director)
    detention_services.enrol(workshop, custody=_custody(convicted), actor=director)

    report = reports.activities()
    bko = next(f for f in report["facilities"] if f["code"] == "BKO")
    cats = {c["key"]: c for c in bko["categories"]}
    assert (cats["general_untried"]["held"], cats["general_untried"]["enrolled_any"]) == (4, 2)  # people, not enrolments
    assert cats["general_untried"]["share_any"] == 50.0
    # Terrorism-related people by their legal status: the three are charged, awaiting trial.
    assert (cats["terrorism_charged"]["held"], cats["terrorism_charged"]["enrolled_any"]) == (3, 1)
    assert cats["terrorism_charged"]["share_any"] == 33.3
    assert [c["key"] for c in bko["categories"]][:4] == ["terrorism_suspect", "terrorism_charged",
                                                        "terrorism_appeal", "terrorism_convicted"]
    kinds = {k["kind"]: {c["category"]: c for c in k["cells"]} for k in bko["kinds"]}
    assert kinds["tailoring"]["terrorism_charged"]["open"] is False
    assert kinds["tailoring"]["general_untried"]["enrolled"] == 2
    assert kinds["tailoring"]["general_convicted"]["share"] == 100.0
    assert kinds["schooling"]["terrorism_charged"]["open"] is True
    assert kinds["schooling"]["terrorism_appeal"]["open"] is True
    totals = {t["key"]: t for t in report["totals"]}
    assert totals["general_convicted"]["enrolled_any"] == 1


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC))
def test_a_person_on_the_road_is_a_departure_and_an_absence_not_unplaced(bamako, koulikoro, clerk, cell):
    director = factories.staff(Role.DIRECTOR, bamako)
    person = factories.detainee(bamako, actor=clerk, unit=cell, last_name="BERTHE")
    transfer = movements.request_transfer(_custody(person), to_facility=koulikoro, reason="Audience à Koulikoro",
                                                actor=clerk)
    movements.approve_transfer(transfer, actor=director)
    movements.depart_transfer(transfer, actor=clerk, escort="Garde nationale, véhicule 12")
    roll = reports.roll(bamako)
    assert roll["units"] == [] and roll["unplaced"] == [] and roll["count"] == 0
    assert [(p["name"], p["how"]) for p in roll["absences"]["in_transit"]] == [
        ("BERTHE Mamadou", "Transfert vers Maison centrale d'arrêt de Koulikoro")]
    assert [p["how"] for p in roll["departures"]] == ["Transfert vers Maison centrale d'arrêt de Koulikoro"]


def test_the_nightly_task_and_the_command_write_the_same_snapshot_once(bamako, clerk, settings):
    from django.core.management import call_command

    from oversight import tasks

    factories.detainee(bamako, actor=clerk)
    assert "daily-occupancy-snapshot" in settings.CELERY_BEAT_SCHEDULE
    written = tasks.snapshot_occupancy.delay().get()
    call_command("snapshot_occupancy", stdout=open("/dev/null", "w"))
    today = timezone.localdate()
    assert OccupancySnapshot.objects.filter(day=today).count() == written == Facility.objects.count() + 1
    national = OccupancySnapshot.objects.get(day=today, facility=None)
    assert (national.held, national.capacity, national.untried) == (1, NATIONAL_CAPACITY, 1)


def test_a_director_of_two_prisons_gets_their_trend_added_up(bamako, koulikoro, clerk):
    factories.detainee(bamako, actor=clerk)
    factories.detainee(koulikoro, actor=factories.staff(Role.CLERK, koulikoro))
    reports.write_occupancy_snapshots()
    trend = reports.occupancy(facility_ids=[bamako.pk, koulikoro.pk])["trend"]
    assert [(t["held"], t["capacity"], t["congestion"]) for t in trend] == [(2, 600, 0.3)]
