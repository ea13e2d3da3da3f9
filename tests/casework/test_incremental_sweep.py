"""The incremental nightly sweep (only the cases whose alerts change that day, plus the stale ones)
gives the same alerts, row for row, as the full sweep over every case: five weeks of real nights
around a leap day, with month ends, a renewal on the last day, hearings, a judgment, a release."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from accounts.services import record_audit
from casework import services as case_services
from casework.deadlines.recompute import current_recompute, mark_affected_stale, recompute
from casework.deadlines.schedule import next_change
from casework.deadlines.sweep import sweep
from casework.models import (
    AlertKind,
    CaseDeadline,
    DeadlineAlert,
    DetentionLimit,
    HearingKind,
    LegalClass,
    SweepRun,
)
from inmates.models import Custody
from tests import factories

pytestmark = pytest.mark.django_db


def at(day, hour=2, minute=30):
    """`day` at this Bamako time (the nightly sweep runs at 02:30)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def alert_rows():
    """Every alert as the comparison sees it: case, kind, due date, open or closed (the day), reason."""
    return sorted(
        (a.case_id, a.kind, a.due_on, timezone.localtime(a.opened_at).date(),
         timezone.localtime(a.closed_at).date() if a.closed_at else None, a.close_reason)
        for a in DeadlineAlert.objects.all()
    )


def held(bamako, clerk, admitted_on, name, **kw):
    inmate = factories.detainee(bamako, actor=clerk, admitted_at=at(admitted_on, 9, 0), last_name=name, **kw)
    return Custody.objects.get(inmate=inmate).cases.get()


def short(bamako, clerk, admitted_on):
    """A délit punished by one year at most (the charge corrected to that before any sweep)."""
    case = held(bamako, clerk, admitted_on, "COURT")
    first = case.charges.get()
    case_services.add_charge(case, actor=clerk, offence="Vol simple", legal_class=LegalClass.DELIT,
                             max_penalty_months=12)
    case_services.change_charge_status(first, status="dropped", actor=clerk, reason="Requalification")
    return case


def people(bamako, clerk):
    """The cases, admitted before 31 January 2028 (2028 is a leap year)."""
    with time_machine.travel(at(dt.date(2028, 1, 31), 12, 0), tick=False):
        return {
            # délit > 2 years, 6 months: 31 Aug + 6 months = 29 Feb (clamped), maximum 31 Aug.
            "month_end": held(bamako, clerk, dt.date(2027, 8, 31), "FINDEMOIS"),
            # 29 Aug + 6 months = 29 Feb: renewed on that last day (event below).
            "renewed": held(bamako, clerk, dt.date(2027, 8, 29), "PROLONGE"),
            # délit ≤ 2 years, one month (art. 125): 31 Jan + 1 month = 29 Feb.
            "short": short(bamako, clerk, dt.date(2028, 1, 31)),
            # deadline 1 March: "approaching" from 15 February, overdue on 2 March.
            "march": held(bamako, clerk, dt.date(2027, 9, 1), "MARS"),
            # crime, 12 months: 28 Feb 2028, with the 8 working days' renewal window.
            "crime": held(bamako, clerk, dt.date(2027, 2, 28), "CRIME", terrorism=True),
            # 90 days without a hearing from 30 Nov: "no hearing" opens on 29 Feb; a hearing on 2 March.
            "hearing": held(bamako, clerk, dt.date(2027, 11, 30), "AUDIENCE"),
            # a hearing scheduled for 20 February closes "no hearing" that day, with nothing recorded.
            "scheduled": held(bamako, clerk, dt.date(2027, 11, 1), "PREVUE"),
            "judged": held(bamako, clerk, dt.date(2027, 7, 31), "JUGE"),
            "released": held(bamako, clerk, dt.date(2027, 8, 1), "LIBERE"),
            # 31 Dec + 6 months = 30 June: nothing changes in these five weeks.
            "steady": held(bamako, clerk, dt.date(2027, 12, 31), "CALME"),
        }


def events(cases, clerk, day, capture):
    """What the registry records during `day` (at 10:00). `capture` runs the on-commit re-evaluation for
    some changes; the others are found by the nightly sweep (stale row or the audit trail)."""
    if day == dt.date(2028, 2, 5):
        case_services.record_hearing(cases["scheduled"], actor=clerk, date=dt.date(2028, 2, 20),
                                     kind=HearingKind.EXAMINATION)
    if day == dt.date(2028, 2, 10):
        released = cases["released"]
        Custody.objects.filter(pk=released.custody_id).update(status="released", released_at=timezone.now(),
                                                              release_reason="provisional")
        record_audit("update", actor=clerk, target=released.custody, inmate_id=released.custody.inmate_id,
                     changes={"status": ["held", "released"]})
    if day == dt.date(2028, 2, 15):
        with capture(execute=True):
            case_services.record_judgment(cases["judged"], actor=clerk, decided_on=day, verdict="convicted",
                                          sentence_months=24)
    if day == dt.date(2028, 2, 29):
        renewed = cases["renewed"]
        deadline = CaseDeadline.objects.get(case=renewed).deadline_on
        assert deadline == day
        case_services.renew_detention_order(renewed.detention_orders.get(), until=dt.date(2028, 8, 29),
                                            issued_on=day, issued_by="Juge d'instruction", actor=clerk)
    if day == dt.date(2028, 3, 2):
        with capture(execute=True):
            case_services.record_hearing(cases["hearing"], actor=clerk, date=day, kind=HearingKind.EXAMINATION,
                                         outcome="held")


NIGHTS = [dt.date(2028, 2, 1) + dt.timedelta(days=n) for n in range(36)]  # 1 Feb – 7 Mar 2028


def history(cases, clerk, capture, *, full):
    """Each night: sweep at 02:30 (the date read from the clock, `today` not given), then the day's events."""
    nights, swept = [], []
    for day in NIGHTS:
        with time_machine.travel(at(day), tick=False):
            result = sweep(full=full or None)   # the nightly default: full only the first time
        swept.append(result.swept)
        nights.append(alert_rows())
        with time_machine.travel(at(day, 10, 0), tick=False):
            events(cases, clerk, day, capture)
    return nights, swept


def test_incremental_and_full_sweeps_give_the_same_alerts_every_night(bamako, clerk,
                                                                       django_capture_on_commit_callbacks):
    cases = people(bamako, clerk)
    start = transaction.savepoint()
    full, _ = history(cases, clerk, django_capture_on_commit_callbacks, full=True)
    transaction.savepoint_rollback(start)
    assert not DeadlineAlert.objects.exists() and not SweepRun.objects.exists()
    incremental, swept = history(cases, clerk, django_capture_on_commit_callbacks, full=False)

    for day, ours, everything in zip(NIGHTS, incremental, full, strict=True):
        assert ours == everything, day
    # The first night sweeps everything; the others only a few cases (never all ten every night).
    assert swept[0] is None and all(n is not None for n in swept[1:])
    assert sum(swept[1:]) < len(cases) * (len(NIGHTS) - 1) / 3
    assert swept[NIGHTS.index(dt.date(2028, 2, 3))] == 0   # a night when nothing changes

    final = {(row[0], row[1]): row for row in incremental[-1]}
    expected = {
        ("month_end", AlertKind.OVERDUE, dt.date(2028, 2, 29), dt.date(2028, 3, 1)),
        ("short", AlertKind.OVERDUE, dt.date(2028, 2, 29), dt.date(2028, 3, 1)),
        ("march", AlertKind.OVERDUE, dt.date(2028, 3, 1), dt.date(2028, 3, 2)),
        ("crime", AlertKind.OVERDUE, dt.date(2028, 2, 28), dt.date(2028, 2, 29)),
    }
    for name, kind, due, opened in expected:
        row = final[(cases[name].pk, kind)]
        assert (row[2], row[3], row[4]) == (due, opened, None), name
    # "approaching" of the 1 March deadline: opened on 15 Feb, closed on 2 March as the day passed.
    row = final[(cases["march"].pk, AlertKind.APPROACHING)]
    assert (row[3], row[4], row[5]) == (dt.date(2028, 2, 15), dt.date(2028, 3, 2), "deadline_passed")
    # Renewed on the last day: no overdue alert, the approaching one closed by the renewal.
    assert (cases["renewed"].pk, AlertKind.OVERDUE) not in final
    row = final[(cases["renewed"].pk, AlertKind.APPROACHING)]
    assert (row[4], row[5]) == (dt.date(2028, 3, 1), "renewal")
    # No hearing for 90 days: open on 29 Feb, closed by the hearing on 2 March (re-evaluated on commit).
    row = final[(cases["hearing"].pk, AlertKind.NO_HEARING)]
    assert (row[3], row[4], row[5]) == (dt.date(2028, 2, 29), dt.date(2028, 3, 2), "hearing")
    # The scheduled hearing's day closes "no hearing" with nothing recorded that day.
    row = final[(cases["scheduled"].pk, AlertKind.NO_HEARING)]
    assert (row[4], row[5]) == (dt.date(2028, 2, 20), "hearing")
    assert {r[5] for r in incremental[-1] if r[0] == cases["judged"].pk} == {"judgment"}
    row = final[(cases["released"].pk, AlertKind.OVERDUE)]
    assert (row[3], row[4], row[5]) == (dt.date(2028, 2, 2), dt.date(2028, 2, 11), "release")
    assert not [r for r in incremental[-1] if r[0] == cases["steady"].pk and r[1] != AlertKind.NO_HEARING]

    # The weekly safety net (every deadline recomputed, every case swept) changes nothing either.
    before = alert_rows()
    with time_machine.travel(at(NIGHTS[-1], 3, 30), tick=False):
        run = recompute(everything=True)
    assert alert_rows() == before
    assert run.full and run.done == run.total and run.finished_at is not None


def test_a_real_night_the_clock_crosses_midnight(bamako, clerk):
    """The sweep reads the date from the clock: at 23:59 the deadline is today, after midnight past."""
    with time_machine.travel(at(dt.date(2028, 1, 31), 12, 0), tick=False):
        case = held(bamako, clerk, dt.date(2027, 8, 31), "MINUIT")
    with time_machine.travel(at(dt.date(2028, 2, 29), 23, 59), tick=False):
        sweep()
        assert CaseDeadline.objects.get(case=case).next_change_on == dt.date(2028, 3, 1)
        assert not DeadlineAlert.objects.filter(case=case, kind=AlertKind.OVERDUE).exists()
    with time_machine.travel(at(dt.date(2028, 2, 29), 23, 59, ), tick=True) as clock:
        clock.shift(dt.timedelta(minutes=2))          # 00:01 on 1 March
        result = sweep()
    assert result.today == dt.date(2028, 3, 1) and result.swept == 1
    alert = DeadlineAlert.objects.get(case=case, kind=AlertKind.OVERDUE)
    assert alert.due_on == dt.date(2028, 2, 29) and alert.closed_at is None
    assert DeadlineAlert.objects.get(case=case, kind=AlertKind.APPROACHING).close_reason == "deadline_passed"


@pytest.mark.parametrize(("deadline_on", "today", "expected"), [
    # approaching 15 days before, then the day after the deadline, then the day after the maximum.
    (dt.date(2028, 2, 29), dt.date(2028, 2, 1), dt.date(2028, 2, 14)),
    (dt.date(2028, 2, 29), dt.date(2028, 2, 14), dt.date(2028, 3, 1)),
    (dt.date(2028, 2, 29), dt.date(2028, 3, 1), dt.date(2028, 9, 1)),
    (dt.date(2027, 2, 28), dt.date(2027, 2, 28), dt.date(2027, 3, 1)),
])
def test_next_change_by_the_calendar(deadline_on, today, expected):
    assert next_change(today=today, active=True, deadline_on=deadline_on, max_on=dt.date(2028, 8, 31),
                       renewal_window_from=None, hearing_reference_on=None, last_hearing_on=None,
                       next_hearing_on=None, approaching_days=15, no_hearing_days=90) == expected


def test_next_change_of_hearings_and_of_a_closed_stage():
    common = dict(active=True, deadline_on=None, max_on=None, renewal_window_from=None, approaching_days=15,
                  no_hearing_days=90)
    # No hearing for 90 days from 30 Nov 2027: opens on 29 Feb 2028; a hearing scheduled earlier wins.
    assert next_change(today=dt.date(2028, 2, 1), hearing_reference_on=dt.date(2027, 11, 30), last_hearing_on=None,
                       next_hearing_on=None, **common) == dt.date(2028, 2, 29)
    assert next_change(today=dt.date(2028, 2, 1), hearing_reference_on=dt.date(2027, 11, 30), last_hearing_on=None,
                       next_hearing_on=dt.date(2028, 2, 20), **common) == dt.date(2028, 2, 20)
    assert next_change(today=dt.date(2028, 2, 20), hearing_reference_on=dt.date(2027, 11, 30),
                       last_hearing_on=dt.date(2028, 2, 20), next_hearing_on=None, **common) == dt.date(2028, 5, 21)
    assert next_change(today=dt.date(2028, 2, 1), hearing_reference_on=dt.date(2027, 11, 30), last_hearing_on=None,
                       next_hearing_on=None, **{**common, "active": False}) is None


def test_the_nightly_sweep_reads_only_the_due_and_the_stale(bamako, clerk):
    with time_machine.travel(at(dt.date(2028, 1, 31), 12, 0), tick=False):
        due = held(bamako, clerk, dt.date(2027, 8, 31), "DUE")          # deadline 29 Feb
        later = held(bamako, clerk, dt.date(2027, 12, 31), "LATER")    # deadline 30 June
        stale = held(bamako, clerk, dt.date(2027, 12, 30), "STALE")
    with time_machine.travel(at(dt.date(2028, 2, 1)), tick=False):
        assert sweep().swept is None                       # the first run ever: every case
    CaseDeadline.objects.filter(case=stale).update(stale=True)
    with time_machine.travel(at(dt.date(2028, 2, 14)), tick=False):
        result = sweep()
    assert result.swept == 2 and not SweepRun.objects.get(day=dt.date(2028, 2, 14)).full
    assert CaseDeadline.objects.get(case=due).next_change_on == dt.date(2028, 3, 1)
    assert CaseDeadline.objects.get(case=later).next_change_on > dt.date(2028, 2, 14)
    assert not CaseDeadline.objects.get(case=stale).stale
    assert AlertKind.APPROACHING in set(DeadlineAlert.objects.filter(case=due).values_list("kind", flat=True))


def test_an_edit_of_the_limits_table_recomputes_its_cases_in_the_background(bamako, clerk,
                                                                          django_capture_on_commit_callbacks):
    from casework.deadlines.alerts import update_limit

    delit = held(bamako, clerk, timezone.localdate() - dt.timedelta(days=100), "DELIT")
    crime = held(bamako, clerk, timezone.localdate() - dt.timedelta(days=100), "CRIME", legal_class=LegalClass.CRIME)
    sweep()
    row = CaseDeadline.objects.get(case=delit).limit
    crime_row = CaseDeadline.objects.get(case=crime).limit
    assert row.key == "delit_long" and crime_row.key == "crime"
    with django_capture_on_commit_callbacks(execute=True):
        update_limit(row, actor=factories.staff("admin"), reason="Confirmé par le juriste", initial_amount=3)
    # Only the rows that edit can change were recomputed, in the background, with progress.
    run = current_recompute()
    assert (run.total, run.done, run.full) == (1, 1, False) and run.progress == 100 and run.finished_at
    assert AlertKind.OVERDUE in set(DeadlineAlert.objects.filter(case=delit, closed_at__isnull=True)
                                    .values_list("kind", flat=True))
    # An edit of a police-custody row: the deadlines with a police custody counted, whatever their row.
    CaseDeadline.objects.filter(case=crime).update(police_custody_hours=96.0)
    assert mark_affected_stale("police") == 1
    assert list(CaseDeadline.objects.filter(stale=True).values_list("case_id", flat=True)) == [crime.pk]
    assert DetentionLimit.objects.filter(key="police").exists()


def test_the_weekly_full_sweep_is_scheduled_and_runs_by_hand(bamako, clerk, settings):
    from django.core.management import call_command

    from casework.tasks import weekly_full_sweep

    entry = settings.CELERY_BEAT_SCHEDULE["weekly-full-deadline-sweep"]
    assert entry["task"] == "casework.tasks.weekly_full_sweep" and entry["schedule"].day_of_week == {0}
    case = held(bamako, clerk, timezone.localdate() - dt.timedelta(days=200), "HEBDO")
    call_command("flag_overdue_detentions", "--full")
    run = SweepRun.objects.get()
    assert run.full and (run.done, run.total) == (1, 1)
    assert AlertKind.OVERDUE in set(DeadlineAlert.objects.filter(case=case).values_list("kind", flat=True))
    CaseDeadline.objects.filter(case=case).update(deadline_on=None, next_change_on=None)   # a row gone wrong
    assert weekly_full_sweep()["recomputed"] == 1
    assert CaseDeadline.objects.get(case=case).deadline_on is not None
    assert DeadlineAlert.objects.filter(case=case, kind=AlertKind.OVERDUE, closed_at__isnull=True).count() == 1
