"""Midnight in Bamako (UTC+0, no summer time): the rules that depend on "today" hold at 23:58 and
across midnight. Each test travels to a midnight two days after the run's clock
(tests/frozen_clock.py), so that every run checks it whatever FROZEN_AT says; `make
test-midnight` runs the other date-sensitive tests from 23:58 as well."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from casework.deadlines.sweep import sweep
from casework.models import AlertKind, CaseDeadline, DeadlineAlert, SweepRun
from core import clock
from inmates.models import Custody
from oversight import reports
from oversight.models import OccupancySnapshot
from prisons.dates import validate_past_date
from tests import factories

MINUTE = dt.timedelta(minutes=1)


def next_midnight(after: dt.date | None = None) -> dt.datetime:
    """The midnight that starts the day after `after` (default: two days from now), in Bamako."""
    day = (after or timezone.localdate() + dt.timedelta(days=1)) + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def names(rows):
    return [row["name"] for row in rows]


def test_bamako_is_utc_all_year():
    midnight = next_midnight()
    assert timezone.localtime(midnight).utcoffset() == dt.timedelta(0)
    assert timezone.localtime(midnight.replace(month=7)).utcoffset() == dt.timedelta(0)


def test_the_clock_rule_at_23_58_and_after_midnight():
    midnight = next_midnight()
    today, tomorrow = (midnight - MINUTE).date(), midnight.date()
    with time_machine.travel(midnight - 2 * MINUTE, tick=False) as traveller:
        # A watch four minutes fast gives a moment of tomorrow: within the five minutes of skew.
        assert clock.moment(midnight + 2 * MINUTE) == midnight + 2 * MINUTE
        validate_past_date(midnight + 2 * MINUTE)
        # Six minutes ahead is refused, on either side of midnight.
        with pytest.raises(ValidationError):
            clock.moment(midnight + 4 * MINUTE)
        with pytest.raises(ValidationError):
            validate_past_date(midnight + 4 * MINUTE)
        # A date follows the same rule: at 23:58 a watch five minutes fast is already tomorrow
        # (the warrant of an arrival at 00:03 is dated tomorrow); at 23:54 it is not yet.
        validate_past_date(today)
        validate_past_date(tomorrow)
        traveller.move_to(midnight - 6 * MINUTE)
        with pytest.raises(ValidationError):
            validate_past_date(tomorrow)
        traveller.move_to(midnight + MINUTE)
        assert timezone.localdate() == tomorrow
        validate_past_date(tomorrow)
        clock.moment(midnight + 5 * MINUTE)


@pytest.mark.django_db
def test_the_day_roll_puts_an_arrival_at_23_59_on_its_own_day(bamako, clerk, cell):
    midnight = next_midnight()
    today, tomorrow = (midnight - MINUTE).date(), midnight.date()
    with time_machine.travel(midnight - 2 * MINUTE, tick=False) as traveller:
        late = factories.detainee(bamako, actor=clerk, unit=cell, last_name="KEITA", admitted_at=midnight - MINUTE)
        # Recorded at 23:58 from a watch a few minutes fast: admitted at 00:03, tomorrow.
        early = factories.detainee(bamako, actor=clerk, last_name="DIALLO", admitted_at=midnight + 3 * MINUTE)
        assert Custody.objects.get(inmate=early).admitted_at.date() == tomorrow
        roll = reports.roll(bamako)
        assert roll["day"] == today
        assert names(roll["arrivals"]) == ["KEITA Mamadou"]
        assert names(roll["unplaced"]) == []

        traveller.move_to(midnight + 5 * MINUTE)
        roll = reports.roll(bamako)
        assert roll["day"] == tomorrow
        assert names(roll["arrivals"]) == ["DIALLO Mamadou"]
        assert [names(u["people"]) for u in roll["units"]] == [["KEITA Mamadou"]]
        assert names(roll["unplaced"]) == ["DIALLO Mamadou"]
        yesterday = reports.roll(bamako, day=today)
        assert names(yesterday["arrivals"]) == ["KEITA Mamadou"]
        assert late.pk and early.pk


@pytest.mark.django_db
def test_a_deadline_due_today_is_overdue_from_midnight(bamako, clerk):
    inmate = factories.detainee(bamako, actor=clerk, admitted_at=timezone.now() - dt.timedelta(days=150))
    case = Custody.objects.get(inmate=inmate).cases.get()
    sweep()
    due = CaseDeadline.objects.get(case=case).deadline_on
    midnight = next_midnight(after=due)

    def open_kinds():
        return set(DeadlineAlert.objects.filter(case=case, closed_at__isnull=True).values_list("kind", flat=True))

    with time_machine.travel(midnight - MINUTE, tick=False) as traveller:
        assert sweep().today == due
        assert AlertKind.APPROACHING in open_kinds() and AlertKind.OVERDUE not in open_kinds()
        traveller.move_to(midnight + MINUTE)
        assert sweep().today == due + dt.timedelta(days=1)
        assert AlertKind.OVERDUE in open_kinds() and AlertKind.APPROACHING not in open_kinds()
    assert list(SweepRun.objects.order_by("started_at").values_list("day", flat=True))[-2:] == [
        due, due + dt.timedelta(days=1)]


@pytest.mark.django_db
def test_the_nightly_snapshot_either_side_of_midnight_is_one_a_day(bamako, clerk):
    factories.detainee(bamako, actor=clerk)
    midnight = next_midnight()
    today, tomorrow = (midnight - MINUTE).date(), midnight.date()
    with time_machine.travel(midnight - MINUTE, tick=False) as traveller:
        call_command("snapshot_occupancy", stdout=io.StringIO())
        call_command("snapshot_occupancy", stdout=io.StringIO())
        traveller.move_to(midnight + MINUTE)
        call_command("snapshot_occupancy", stdout=io.StringIO())
    days = OccupancySnapshot.objects.filter(facility=bamako).values_list("day", flat=True)
    assert sorted(days) == [today, tomorrow]
