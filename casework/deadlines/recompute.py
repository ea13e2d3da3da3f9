"""Recomputing many stored deadlines at once, in the background, with progress.

Two occasions: an edit of the limits table (only the deadlines that row can change are marked stale,
then recomputed), and the weekly safety net (every deadline recomputed from the records, then every
case swept). Both run as one Celery task (`casework.tasks.recompute_deadlines`) enqueued on commit;
the run's `SweepRun` row says how far it has got (`done` of `total`), shown beside the limits table.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Case, CaseDeadline, SweepRun
from .compute import CHUNK, limit_values, store_deadlines
from .sweep import sweep

log = logging.getLogger(__name__)

POLICE_KEYS = ("police", "police_terrorism")


def mark_affected_stale(*keys) -> int:
    """After an edit of the rows of the limits table for these keys: mark stale the deadlines the
    edit can change. Those computed on a row of the same key (its dates may now choose another
    row of that key), those with a detention order but no applicable row (one may now apply), and,
    for the police-custody rows, those with a police custody counted."""
    affected = Q(limit__key__in=keys) | Q(has_order=True, limit__isnull=True)
    if set(keys) & set(POLICE_KEYS):
        affected |= Q(police_custody_hours__isnull=False)
    return CaseDeadline.objects.filter(affected, stale=False).update(stale=True)


def enqueue_recompute(*, everything: bool = False) -> None:
    """On commit: the background recomputation (a Celery task; in process without a broker). Should the
    broker be down, the rows stay marked stale and the nightly sweep recomputes them."""
    from ..tasks import BROKER_ERRORS, recompute_deadlines

    def send():
        try:
            recompute_deadlines.delay(everything=everything)
        except BROKER_ERRORS:
            log.warning("Broker unreachable: recomputation of the deadlines left to the nightly sweep")

    transaction.on_commit(send)


def _ids_after(after, *, everything):
    """The next batch of case ids to recompute, in order (keyset: an index range each time)."""
    if everything:
        qs = Case.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)
    else:
        qs = CaseDeadline.objects.filter(stale=True, case_id__gt=after).order_by("case_id").values_list(
            "case_id", flat=True)
    return list(qs[:CHUNK])


def recompute(*, everything: bool = False, today: datetime.date | None = None):
    """Recompute the stale deadlines (every case's when `everything`), batch after batch, recording the
    progress on a `SweepRun`; then sweep (every case when `everything`: the weekly safety net;
    otherwise the recomputed cases, each due today). Returns the run."""
    today = today or timezone.localdate()
    total = Case.objects.count() if everything else CaseDeadline.objects.filter(stale=True).count()
    run = SweepRun.objects.create(day=today, started_at=timezone.now(), full=everything, total=total)
    limits = limit_values()
    after, done = 0, 0
    while ids := _ids_after(after, everything=everything):
        store_deadlines(ids, limits, contiguous=everything)
        done += len(ids)
        after = ids[-1]
        SweepRun.objects.filter(pk=run.pk).update(done=min(done, total) if total else done)
    sweep(today=today, full=everything, run=run)
    run.refresh_from_db()
    return run


def current_recompute():
    """The latest background recomputation (for the limits table's page), or None."""
    return SweepRun.objects.filter(total__gt=0).order_by("-started_at").first()
