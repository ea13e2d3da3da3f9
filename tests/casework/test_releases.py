"""Release on time (LAW.md "Release"): sentence arithmetic (a table), release orders and
their alerts (due → late → closed on execution, through either door), acquittals, sentence alerts."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditEntry
from casework import services as case_services
from casework.deadlines.sweep import sweep
from casework.models import AlertCloseReason, AlertKind, DeadlineAlert, ReleaseOrder
from casework.releases import services as releases
from casework.sentences import add_months, custody_days, sentence_end
from inmates import movements
from inmates import services as inmate_services
from inmates.models import Custody, CustodyStatus
from tests import factories

D = dt.date


@pytest.mark.parametrize(("start", "months", "credit", "release_on", "served"), [
    (D(2026, 1, 15), 1, 0, D(2026, 2, 15), False),      # quantième à quantième
    (D(2026, 1, 31), 1, 0, D(2026, 2, 28), False),      # month end: no 31 February
    (D(2028, 1, 31), 1, 0, D(2028, 2, 29), False),      # leap year
    (D(2028, 2, 29), 12, 0, D(2029, 2, 28), False),     # from a leap day, a year later
    (D(2026, 3, 31), 6, 0, D(2026, 9, 30), False),
    (D(2026, 11, 30), 3, 0, D(2027, 2, 28), False),     # across the year end
    (D(2026, 1, 15), 24, 0, D(2028, 1, 15), False),
    (D(2026, 1, 15), 12, 45, D(2026, 12, 1), False),    # credit deducted in days
    (D(2028, 2, 20), 1, 20, D(2028, 2, 29), False),     # credit counted back over a leap day
    (D(2028, 2, 10), 1, 40, D(2028, 2, 10), True),      # credit larger than sentence: served at once
    (D(2026, 5, 1), 2, 400, D(2026, 5, 1), True),
    (D(2026, 5, 1), 2, 61, D(2026, 5, 1), True),        # credit exactly the sentence
    (D(2026, 5, 1), 2, 60, D(2026, 5, 2), False),
])
def test_sentence_end_table(start, months, credit, release_on, served):
    result = sentence_end(starts_on=start, months=months, credit_days=credit)
    expected = start if served else release_on
    assert (result.release_on, result.served_by_credit) == (expected, served)
    assert result.nominal_end_on == add_months(start, months)


def test_custody_days_count_each_day_once_and_stop_before_the_sentence():
    periods = [(D(2026, 1, 1), D(2026, 1, 3)), (D(2026, 1, 3), D(2026, 1, 5)), (D(2026, 2, 1), None)]
    assert custody_days(periods, before=D(2026, 2, 11)) == 5 + 10
    assert custody_days(periods, before=D(2026, 1, 2)) == 1
    assert custody_days([], before=D(2026, 1, 2)) == 0


def test_sentence_end_refuses_negative_values():
    with pytest.raises(ValueError):
        sentence_end(starts_on=D(2026, 1, 1), months=-1)


# --- release orders ---------------------------------------------------------------------------

@pytest.fixture
def case(inmate):
    return Custody.objects.get(inmate=inmate).cases.get()


def order(case, actor, *, hours_ago=1, **kw):
    fields = {"kind": "court_order", "brought_by": "Gendarme Keïta, escorte du tribunal",
              "authority": "Juge d'instruction, 3e cabinet", "reference": "OML 2026/114"}
    fields.update(kw)
    return releases.record_release_order(
        case, actor=actor, received_at=timezone.now() - dt.timedelta(hours=hours_ago), **fields)


def alerts_of(case):
    return {(a.kind, a.closed_at is None, a.close_reason) for a in DeadlineAlert.objects.filter(case=case)
            if a.kind in releases_kinds()}


def releases_kinds():
    return (AlertKind.RELEASE_DUE, AlertKind.LATE_RELEASE, AlertKind.SENTENCE_ENDING, AlertKind.SERVED_HELD)


def test_a_release_order_opens_release_due_at_once_audited(case, clerk):
    record = order(case, clerk)
    assert alerts_of(case) == {(AlertKind.RELEASE_DUE, True, "")}
    entry = AuditEntry.objects.get(target_type__model="releaseorder", target_id=str(record.pk))
    assert entry.inmate_id == case.custody.inmate_id and entry.changes["brought_by"][1].startswith("Gendarme")


def test_release_due_turns_late_after_the_configured_delay(case, clerk, settings):
    settings.RELEASE_LATE_AFTER_HOURS = 24
    order(case, clerk, hours_ago=2)
    releases.sweep_releases(now=timezone.now() + dt.timedelta(hours=21))
    assert alerts_of(case) == {(AlertKind.RELEASE_DUE, True, "")}
    releases.sweep_releases(now=timezone.now() + dt.timedelta(hours=23))
    assert alerts_of(case) == {(AlertKind.RELEASE_DUE, False, AlertCloseReason.LATE),
                               (AlertKind.LATE_RELEASE, True, "")}
    releases.sweep_releases(now=timezone.now() + dt.timedelta(hours=23))  # idempotent
    assert DeadlineAlert.objects.filter(case=case, kind=AlertKind.LATE_RELEASE).count() == 1


def test_the_delay_is_a_setting(case, clerk, settings):
    settings.RELEASE_LATE_AFTER_HOURS = 6
    order(case, clerk, hours_ago=7)
    assert alerts_of(case) == {(AlertKind.LATE_RELEASE, True, "")}


def test_executing_the_order_releases_closes_the_alert_and_records_the_delay(case, clerk):
    record = order(case, clerk, hours_ago=30)
    done = releases.execute_release_order(record, actor=clerk)
    case.custody.refresh_from_db()
    assert case.custody.status == CustodyStatus.RELEASED and case.custody.release_reason == "release_order"
    assert done.release.order_reference == "OML 2026/114" and Decimal("29.9") <= done.delay_hours <= Decimal("30.1")
    assert alerts_of(case) == {(AlertKind.LATE_RELEASE, False, AlertCloseReason.RELEASE)}
    with pytest.raises(ValidationError, match="déjà été exécutée"):
        releases.execute_release_order(record, actor=clerk)


def test_a_release_through_the_inmates_door_executes_the_pending_order(case, clerk, django_capture_on_commit_callbacks):
    record = order(case, clerk, hours_ago=3)
    with django_capture_on_commit_callbacks(execute=True):
        movements.release(case.custody, reason="release_order", authority="Juge", order_reference="OML",
                                order_received_at=record.received_at, actor=clerk)
    record.refresh_from_db()
    assert record.executed_at is not None and record.release is not None
    assert alerts_of(case) == {(AlertKind.RELEASE_DUE, False, AlertCloseReason.RELEASE)}


def test_a_release_order_is_refused_without_its_fields_for_another_prison_or_twice(case, clerk, other_clerk):
    with pytest.raises(ValidationError) as error:
        order(case, clerk, brought_by=" ", reference="")
    assert {"brought_by", "reference"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError, match="futur"):
        order(case, clerk, hours_ago=-2)
    with pytest.raises(ValidationError, match="affecté"):
        order(case, other_clerk)
    order(case, clerk)
    with pytest.raises(ValidationError, match="déjà en attente"):
        order(case, clerk)
    assert ReleaseOrder.objects.count() == 1


def test_the_pretrial_sweep_keeps_release_alerts_open(case, clerk):
    case_services.record_judgment(case, actor=clerk, decided_on=timezone.localdate(), verdict="convicted",
                                  sentence_months=1)
    order(case, clerk, kind="pardon", reference="Décret de grâce 2026-12")
    sweep()
    assert (AlertKind.RELEASE_DUE, True, "") in alerts_of(case)


def test_an_acquittal_of_a_person_held_opens_release_due(case, clerk):
    case_services.record_judgment(case, actor=clerk, decided_on=timezone.localdate(), verdict="acquitted")
    record = ReleaseOrder.objects.get(case=case)
    assert record.kind == "acquittal" and record.executed_at is None
    case.refresh_from_db()
    case.custody.refresh_from_db()
    assert case.closed_on == timezone.localdate() and case.custody.legal_status == "suspect"
    assert alerts_of(case) == {(AlertKind.RELEASE_DUE, True, "")}


def test_an_acquittal_under_appeal_opens_nothing(case, clerk):
    today = timezone.localdate()
    case_services.record_judgment(case, actor=clerk, decided_on=today, verdict="acquitted",
                                  appeal_filed_on=today, appeal_by="Parquet")
    assert not ReleaseOrder.objects.exists()


# --- sentences --------------------------------------------------------------------------------

def test_the_release_date_deducts_the_whole_arrest_chain(bamako, clerk):
    admitted = timezone.now() - dt.timedelta(days=40)
    inmate = factories.detainee(bamako, actor=clerk, admitted_at=admitted)
    custody = Custody.objects.get(inmate=inmate)
    inmate_services.record_prior_custody(custody, actor=clerk, kind="gendarmerie", place="Camp I",
                                         started_at=admitted - dt.timedelta(days=10),
                                         ended_at=admitted - dt.timedelta(days=5))
    case = custody.cases.get()
    decided = timezone.localdate()
    case_services.record_judgment(case, actor=clerk, decided_on=decided, verdict="convicted", sentence_months=3)
    case.refresh_from_db()
    # 6 days at the gendarmerie (D-10 to D-5), a gap of 2 days free (D-4, D-3), police custody
    # from the arrest (D-2) to admission, then 40 days held here: every day of custody, once.
    first = timezone.localtime(admitted - dt.timedelta(days=10)).date()
    assert case.sentence_credit_days == (decided - first).days - 2
    assert case.sentence_ends_on == add_months(decided, 3) - dt.timedelta(days=case.sentence_credit_days)


def test_sentence_alerts_ending_then_served_still_held(bamako, clerk, settings):
    settings.SENTENCE_ENDING_DAYS = 30
    inmate = factories.detainee(bamako, actor=clerk, admitted_at=timezone.now() - dt.timedelta(days=20))
    case = Custody.objects.get(inmate=inmate).cases.get()
    case_services.record_judgment(case, actor=clerk, decided_on=timezone.localdate(), verdict="convicted",
                                  sentence_months=1)
    case.refresh_from_db()
    ends = case.sentence_ends_on
    assert ends == add_months(timezone.localdate(), 1) - dt.timedelta(days=case.sentence_credit_days)
    releases.sweep_releases()
    assert alerts_of(case) == {(AlertKind.SENTENCE_ENDING, True, "")}
    assert DeadlineAlert.objects.get(case=case, kind=AlertKind.SENTENCE_ENDING).due_on == ends
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(ends + dt.timedelta(days=1), dt.time(3)))):
        releases.sweep_releases()
    assert alerts_of(case) == {(AlertKind.SENTENCE_ENDING, False, AlertCloseReason.SENTENCE_SERVED),
                               (AlertKind.SERVED_HELD, True, "")}


def test_a_credit_larger_than_the_sentence_is_served_at_once(bamako, clerk):
    inmate = factories.detainee(bamako, actor=clerk, admitted_at=timezone.now() - dt.timedelta(days=100))
    case = Custody.objects.get(inmate=inmate).cases.get()
    decided = timezone.localdate() - dt.timedelta(days=1)
    case_services.record_judgment(case, actor=clerk, decided_on=decided, verdict="convicted", sentence_months=1)
    case.refresh_from_db()
    assert case.sentence_ends_on == decided
    releases.sweep_releases()
    assert (AlertKind.SERVED_HELD, True, "") in alerts_of(case)


def test_no_release_date_for_life_or_suspended_sentences(case, clerk):
    case_services.record_judgment(case, actor=clerk, decided_on=timezone.localdate(), verdict="convicted",
                                  sentence_months=12, suspended=True)
    case.refresh_from_db()
    assert case.sentence_ends_on is None
