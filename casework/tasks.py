"""Celery tasks for deadlines: each takes ids, calls one service, and does nothing else."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from inmates import movements

logger = logging.getLogger(__name__)
BROKER_ERRORS = (KombuOperationalError, RedisConnectionError, ConnectionError, TimeoutError)


@shared_task(name="casework.tasks.nightly_deadline_sweep")
def nightly_deadline_sweep():
    """The beat job (nightly, Africa/Bamako): sweep, daily backlog snapshot, e-mail digests."""
    from casework.deadlines.alerts import run_nightly

    return run_nightly()


@shared_task(name="casework.tasks.sweep_deadlines")
def sweep_deadlines():
    """Sweep every pre-trial detention; returns the numbers opened and closed."""
    from casework.deadlines.sweep import sweep

    result = sweep()
    return {"opened": result.total_opened, "closed": result.total_closed, "refreshed": result.refreshed}


@shared_task(name="casework.tasks.weekly_full_sweep")
def weekly_full_sweep():
    """The weekly safety net (beat): every deadline recomputed from the records, every case swept."""
    from .deadlines.recompute import recompute

    run = recompute(everything=True)
    return {"run": run.pk, "recomputed": run.done, "opened": run.opened, "closed": run.closed}


@shared_task(name="casework.tasks.recompute_deadlines")
def recompute_deadlines(everything=False):
    """After an edit of the limits table: the stale deadlines recomputed with progress, then swept."""
    from .deadlines.recompute import recompute

    run = recompute(everything=everything)
    return {"run": run.pk, "recomputed": run.done, "opened": run.opened, "closed": run.closed}


@shared_task(name="casework.tasks.reevaluate_case_alerts")
def reevaluate_case_alerts(case_id):
    """Recompute one case's deadline and alerts after it changed."""
    from casework.deadlines.sweep import evaluate_case

    evaluate_case(case_id)


@shared_task(name="casework.tasks.reevaluate_cases")
def reevaluate_cases(case_ids):
    """Recompute many cases' deadlines and alerts at once (after a bulk import)."""
    from casework.deadlines.sweep import refresh_deadlines, sweep

    refresh_deadlines(list(case_ids), force=True)
    result = sweep(case_ids=list(case_ids), refresh=False)
    return {"opened": result.total_opened, "closed": result.total_closed}


def enqueue_batch_reevaluation(case_ids):
    """Run on commit after services.deferred_reevaluation(): stale first, so the nightly sweep catches up
    if the task is lost."""
    from casework.models import CaseDeadline

    CaseDeadline.objects.filter(case_id__in=case_ids, stale=False).update(stale=True)
    try:
        reevaluate_cases.delay(list(case_ids))
    except BROKER_ERRORS:
        logger.warning("Broker unreachable: re-evaluation of %d cases left to the nightly sweep", len(case_ids))


def enqueue_reevaluation(case_id):
    """Run on commit by every casework service that changes a case (services._case_changed).

    The stored deadline is first marked stale, so that if the task is lost (broker down,
    worker stopped) the nightly sweep still recomputes it.
    """
    from casework.models import CaseDeadline

    CaseDeadline.objects.filter(case_id=case_id, stale=False).update(stale=True)
    try:
        reevaluate_case_alerts.delay(case_id)
    except BROKER_ERRORS:
        # Redis down: the change is committed and the page must still answer; the case is
        # marked stale above, so the nightly sweep (a management command too) catches up.
        logger.warning("Broker unreachable: re-evaluation of case %s left to the nightly sweep", case_id)


@shared_task(name="casework.tasks.sweep_releases")
def sweep_releases():
    """The hourly beat job: release orders due turn late, sentence alerts kept current."""
    from casework.releases.services import sweep_releases as run

    result = run()
    return {"opened": sum(result["opened"].values()), "closed": sum(result["closed"].values())}


@shared_task(name="casework.tasks.notify_release_irregularities")
def notify_release_irregularities(alert_ids):
    """Tell the direction and DNAPES at once of people held past a release order or their sentence."""
    from casework.releases.services import notify_release_irregularities as notify

    return notify(alert_ids)


def enqueue_irregularity_notice(alert_ids):
    """Run on commit by sweep_releases. Broker down: the nightly digest names them first anyway."""
    try:
        notify_release_irregularities.delay(list(alert_ids))
    except BROKER_ERRORS:
        logger.warning("Broker unreachable: immediate notice of %d late releases left to the digest", len(alert_ids))


def close_release_alerts(custody_id):
    """Registered with inmates.movements.on_released (run on commit): a release through any door
    executes the person's pending release orders and closes their alerts."""
    from casework.models import Case
    from casework.releases.services import sweep_releases as run

    run(case_ids=list(Case.objects.filter(custody_id=custody_id).values_list("pk", flat=True)), refresh=False)


def register_hooks():
    """Close a person's release alerts on commit after any release (called from apps.ready):
    `inmates` sits below `casework` and cannot call it."""
    movements.on_released(close_release_alerts)
