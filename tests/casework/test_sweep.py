"""The deadline sweep (casework.deadlines.sweep): every alert kind, idempotence, closing with a reason,
set-based (the number of queries does not grow with the number of detainees)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import record_audit
from casework import services as case_services
from casework.deadlines import rules
from casework.deadlines.sweep import evaluate_case, limit_values, open_alerts, refresh_deadlines, sweep
from casework.models import (
    AlertKind,
    CaseDeadline,
    DeadlineAlert,
    DetentionLimit,
    HearingKind,
    LegalClass,
    OrderKind,
    SweepRun,
)
from inmates import services as inmate_services
from inmates.models import Custody
from tests import factories

pytestmark = pytest.mark.django_db



def days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


def held(facility, clerk, *, days, **kw):
    """A person held for `days` days on a committal order issued on admission (délit > 2 years)."""
    inmate = factories.detainee(facility, actor=clerk, admitted_at=days_ago(days), **kw)
    custody = Custody.objects.get(inmate=inmate)
    return custody.cases.get()


def open_kinds(case):
    return set(DeadlineAlert.objects.filter(case=case, closed_at__isnull=True).values_list("kind", flat=True))


def test_overdue_detention_is_flagged_once_however_often_the_sweep_runs(bamako, clerk):
    case = held(bamako, clerk, days=200)
    first = sweep()
    assert AlertKind.OVERDUE in open_kinds(case)
    assert first.opened[AlertKind.OVERDUE] == 1
    second = sweep()
    call_command("flag_overdue_detentions", "--sweep-only")
    assert second.total_opened == 0
    assert DeadlineAlert.objects.filter(case=case, kind=AlertKind.OVERDUE).count() == 1


def test_each_alert_kind(bamako, clerk):
    overdue = held(bamako, clerk, days=200)                       # 6 months passed
    beyond = held(bamako, clerk, days=400, last_name="KEITA")     # 12 months passed too
    soon = held(bamako, clerk, days=175, last_name="COULIBALY")   # 6 months in about a week
    fresh = held(bamako, clerk, days=20, last_name="DIALLO")
    # no detention order: a case opened without one
    no_order_custody = Custody.objects.get(inmate=factories.detainee(bamako, actor=clerk, admitted_at=days_ago(5),
                                                                     last_name="SIDIBE"))
    no_order = case_services.open_case(no_order_custody, actor=clerk, court=factories.court(),
                                       case_number="RI-NO-ORDER", charges=[{"offence": "Vol",
                                                                           "legal_class": LegalClass.DELIT}])
    # police custody before arrival: 4 days at the gendarmerie for a délit (72 h at most)
    custody = fresh.custody
    inmate_services.record_prior_custody(custody, actor=clerk, kind="gendarmerie", place="Camp I",
                                         started_at=custody.admitted_at - dt.timedelta(days=5),
                                         ended_at=custody.admitted_at - dt.timedelta(days=1))
    sweep()
    assert open_kinds(overdue) == {AlertKind.OVERDUE, AlertKind.NO_HEARING}
    assert open_kinds(beyond) == {AlertKind.OVERDUE, AlertKind.BEYOND_MAXIMUM, AlertKind.NO_HEARING}
    assert open_kinds(soon) == {AlertKind.APPROACHING, AlertKind.NO_HEARING}
    assert open_kinds(fresh) == {AlertKind.POLICE_CUSTODY}
    assert open_kinds(no_order) == {AlertKind.NO_ORDER}
    assert CaseDeadline.objects.get(case=fresh).police_custody_hours == 96.0


def test_a_renewal_closes_the_overdue_alert_and_keeps_its_history(bamako, clerk, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    case = held(bamako, clerk, days=200)
    sweep()
    order = case.detention_orders.get()
    deadline = CaseDeadline.objects.get(case=case).deadline_on
    # The re-evaluation task is lost (as with a broker down): the row is marked stale on
    # commit, and the nightly sweep recomputes it.
    from casework import tasks

    lost = []
    monkeypatch.setattr(tasks.reevaluate_case_alerts, "delay", lost.append)
    with django_capture_on_commit_callbacks(execute=True):
        # Renewed on the last day (recorded late in the registry).
        case_services.renew_detention_order(order, until=deadline + dt.timedelta(days=150), issued_on=deadline,
                                            issued_by="Juge d'instruction", actor=clerk)
    assert lost == [case.pk] and CaseDeadline.objects.get(case=case).stale
    assert AlertKind.OVERDUE in open_kinds(case)
    sweep()
    alert = DeadlineAlert.objects.get(case=case, kind=AlertKind.OVERDUE)
    assert alert.closed_at is not None and alert.close_reason == "renewal"
    assert AlertKind.OVERDUE not in open_kinds(case)


def test_a_judgment_or_a_release_closes_every_alert(bamako, clerk):
    judged = held(bamako, clerk, days=200)
    released = held(bamako, clerk, days=200, last_name="KONATE")
    sweep()
    case_services.record_judgment(judged, actor=clerk, decided_on=timezone.localdate(), verdict="convicted", sentence_months=24)
    # A release as the inmates service records it: the custody row and its audit entry.
    Custody.objects.filter(pk=released.custody_id).update(status="released", released_at=timezone.now(),
                                                          release_reason="provisional")
    record_audit("update", actor=clerk, target=released.custody, inmate_id=released.custody.inmate_id,
                 changes={"status": ["held", "released"]})
    result = sweep()
    assert open_kinds(judged) == set() and open_kinds(released) == set()
    assert set(DeadlineAlert.objects.filter(case=judged).values_list("close_reason", flat=True)) == {"judgment"}
    assert set(DeadlineAlert.objects.filter(case=released).values_list("close_reason", flat=True)) == {"release"}
    assert result.closed["ended"] == 4


def test_approaching_becomes_overdue_when_the_day_passes(bamako, clerk):
    case = held(bamako, clerk, days=175)
    deadline = refresh_deadlines() and CaseDeadline.objects.get(case=case).deadline_on
    sweep(today=deadline)
    assert AlertKind.APPROACHING in open_kinds(case)
    sweep(today=deadline + dt.timedelta(days=1))
    assert AlertKind.OVERDUE in open_kinds(case) and AlertKind.APPROACHING not in open_kinds(case)
    closed = DeadlineAlert.objects.get(case=case, kind=AlertKind.APPROACHING)
    assert closed.close_reason == "deadline_passed"


def test_a_hearing_closes_the_no_hearing_alert(bamako, clerk):
    case = held(bamako, clerk, days=120)
    sweep()
    assert AlertKind.NO_HEARING in open_kinds(case)
    case_services.record_hearing(case, actor=clerk, date=timezone.localdate() - dt.timedelta(days=3),
                                 kind=HearingKind.EXAMINATION, outcome="held")
    sweep()
    assert AlertKind.NO_HEARING not in open_kinds(case)
    assert DeadlineAlert.objects.get(case=case, kind=AlertKind.NO_HEARING).close_reason == "hearing"


def test_a_case_change_re_evaluates_its_alerts_on_commit(bamako, clerk, django_capture_on_commit_callbacks):
    case = held(bamako, clerk, days=200)
    sweep()
    deadline = CaseDeadline.objects.get(case=case).deadline_on
    with django_capture_on_commit_callbacks(execute=True):
        case_services.renew_detention_order(case.detention_orders.get(), until=deadline + dt.timedelta(days=100),
                                            issued_on=deadline - dt.timedelta(days=1), issued_by="Juge", actor=clerk)
    # No sweep ran: the on-commit hook enqueued the re-evaluation of this one case.
    assert AlertKind.OVERDUE not in open_kinds(case)
    assert CaseDeadline.objects.get(case=case).deadline_on == deadline + dt.timedelta(days=100)


def test_a_reclassified_charge_changes_the_deadline(bamako, clerk):
    case = held(bamako, clerk, days=200)   # délit > 2 years: overdue after 6 months
    sweep()
    assert AlertKind.OVERDUE in open_kinds(case)
    old = case.charges.get()
    case_services.add_charge(case, actor=clerk, offence="Meurtre", legal_class=LegalClass.CRIME, max_penalty_months=240)
    case_services.change_charge_status(old, status="reclassified", actor=clerk, reason="Requalification")
    evaluate_case(case.pk)                 # what the on-commit hook does
    assert AlertKind.OVERDUE not in open_kinds(case)   # crime: 12 months
    assert CaseDeadline.objects.get(case=case).limit.key == "crime"


def test_editing_the_limits_table_recomputes_deadlines(bamako, clerk, django_user_model):
    from casework.deadlines.alerts import update_limit

    case = held(bamako, clerk, days=100)
    sweep()
    assert AlertKind.OVERDUE not in open_kinds(case)
    admin = factories.staff("admin")
    row = DetentionLimit.objects.get(key="delit_long", code_version="CPP-2001")
    if case.detention_orders.get().issued_on >= dt.date(2025, 6, 13):
        row = DetentionLimit.objects.get(key="delit_long", code_version="CPP-2024")
    update_limit(row, actor=admin, reason="Confirmé par le juriste", initial_amount=3)
    result = sweep()
    assert result.refreshed >= 1
    assert AlertKind.OVERDUE in open_kinds(case)


def test_sweep_query_count_does_not_grow_with_detainees(bamako, clerk):
    def run(n):
        for i in range(n):
            held(bamako, clerk, days=100 + 50 * (i % 5), last_name=f"N{n}-{i}")
        DeadlineAlert.objects.all().delete()
        CaseDeadline.objects.all().delete()
        SweepRun.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            sweep()
        return len(ctx.captured_queries)

    small = run(3)
    large = run(9)
    assert small == large
    assert DeadlineAlert.objects.filter(closed_at__isnull=True).count() >= 12


def test_the_database_refuses_a_second_open_alert_of_the_same_kind(bamako, clerk):
    case = held(bamako, clerk, days=200)
    sweep()
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineAlert.objects.create(case=case, kind=AlertKind.OVERDUE, opened_at=timezone.now())


def test_a_concurrent_sweep_that_already_opened_the_alert_causes_no_duplicate(bamako, clerk):
    case = held(bamako, clerk, days=200)
    sweep()
    # A second sweep that did not see the first one's rows (a race) inserts the same alerts:
    # the partial unique index makes the insert skip them.
    inserted = open_alerts(AlertKind.OVERDUE, timezone.localdate(), timezone.now(), skip_open=False)
    assert inserted == 0
    assert DeadlineAlert.objects.filter(case=case, kind=AlertKind.OVERDUE).count() == 1


def test_the_sql_sweep_agrees_with_the_pure_rules(bamako, clerk):
    cases = [held(bamako, clerk, days=d, last_name=f"P{d}") for d in (10, 100, 170, 178, 183, 185, 200, 370, 400)]
    case_services.record_hearing(cases[2], actor=clerk, date=timezone.localdate() - dt.timedelta(days=10),
                                 kind=HearingKind.EXAMINATION, outcome="held")
    sweep()
    limits = limit_values()
    for case in cases:
        stored = CaseDeadline.objects.get(case=case)
        deadline = rules.Deadline(has_order=stored.has_order, start_on=stored.start_on, deadline_on=stored.deadline_on,
                                  max_on=stored.max_on, renewal_window_from=stored.renewal_window_from,
                                  police_custody_exceeded=stored.police_custody_exceeded)
        last = case.hearings.order_by("-date").values_list("date", flat=True).first()
        expected = rules.flags(deadline, today=timezone.localdate(), last_hearing_on=last, approaching_days=15, no_hearing_days=90)
        assert open_kinds(case) == expected, case
    assert limits


def test_nightly_job_writes_the_snapshot_and_mails_the_digest(bamako, clerk, mailoutbox):
    clerk.email = "greffe.bko@example.ml"
    clerk.save()
    held(bamako, clerk, days=200)
    call_command("flag_overdue_detentions")
    call_command("flag_overdue_detentions")   # re-run the same day: same snapshot, updated
    from casework.models import BacklogSnapshot

    assert BacklogSnapshot.objects.filter(day=timezone.localdate(), facility__isnull=True).count() == 1
    assert BacklogSnapshot.objects.filter(day=timezone.localdate(), facility=bamako).count() == 1
    assert len(mailoutbox) == 2 and mailoutbox[0].to == ["greffe.bko@example.ml"]
    assert "Délai dépassé" in mailoutbox[0].body and "TRAORÉ" in mailoutbox[0].body


def test_command_rejects_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Date invalide"):
        call_command("flag_overdue_detentions", "--date", "24/11/2026")


def test_ordinary_kinds_use_the_table_values(db):
    keys = set(DetentionLimit.objects.values_list("key", flat=True))
    assert keys == {"police", "police_terrorism", "delit_short", "delit_long", "crime", "flagrant"}
    assert DetentionLimit.objects.filter(awaiting_confirmation=False).count() == 0
    assert set(DetentionLimit.objects.values_list("code_version", flat=True)) == {"CPP-2001", "CPP-2024"}
    assert OrderKind.RENEWAL == "renewal"


def test_a_change_to_the_arrest_chain_is_found_through_the_audit_trail(bamako, clerk):
    case = held(bamako, clerk, days=20)
    sweep()
    assert AlertKind.POLICE_CUSTODY not in open_kinds(case)
    custody = case.custody
    # Recorded later, through the inmates service (which writes its audit entry).
    inmate_services.record_prior_custody(custody, actor=clerk, kind="state_security", place="Sécurité d'État",
                                         started_at=custody.admitted_at - dt.timedelta(days=12),
                                         ended_at=custody.admitted_at - dt.timedelta(days=3))
    result = sweep()
    assert result.refreshed == 1
    assert AlertKind.POLICE_CUSTODY in open_kinds(case)
    assert SweepRun.objects.filter(finished_at__isnull=False).count() == 2


def test_a_nightly_run_with_nothing_new_recomputes_nothing(bamako, clerk):
    held(bamako, clerk, days=200)
    assert sweep().refreshed == 1
    # The next night: the audit entries of the admission are older than the last run.
    SweepRun.objects.update(started_at=timezone.now() + dt.timedelta(hours=1))
    again = sweep()
    assert (again.refreshed, again.total_opened, again.total_closed) == (0, 0, 0)


@pytest.mark.postgres
@pytest.mark.skipif(not __import__("os").environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="needs PostgreSQL: two real connections at once")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_the_same_time_open_each_alert_once():
    import threading

    from django.db import connections

    from prisons.models import Facility

    bamako = Facility.objects.get(code="BKO")
    clerk = factories.staff("clerk", bamako)
    cases = [held(bamako, clerk, days=200 + i, last_name=f"C{i}") for i in range(20)]
    refresh_deadlines()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            sweep(refresh=False)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for case in cases:
        assert DeadlineAlert.objects.filter(case=case, kind=AlertKind.OVERDUE).count() == 1
