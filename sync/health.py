"""The exchange's honest state: what was last sent and received, what waits, what was refused.
Nothing counts as sent before the national server has acknowledged it."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import ExchangeState, OutboxAction, Site


def silent_after() -> timedelta:
    return timedelta(hours=settings.SYNC_SILENT_AFTER_HOURS)


def prison_state() -> dict:
    state = ExchangeState.objects.order_by("pk").first() or ExchangeState()
    waiting = OutboxAction.objects.filter(state=OutboxAction.State.WAITING).aggregate(
        count=Count("seq"), oldest=Min("created_at"))
    rejected = list(OutboxAction.objects.filter(state=OutboxAction.State.REJECTED).order_by("seq")
                    .values("seq", "model", "uid", "rejection", "created_at")[:200])
    return {
        "mode": "prison",
        "facility": settings.SITE_FACILITY,
        "last_push_at": state.last_push_at,
        "last_pull_at": state.last_pull_at,
        "last_attempt_at": state.last_attempt_at,
        "last_error": state.last_error,
        "failures": state.failures,
        "next_attempt_at": state.next_attempt_at,
        "waiting": waiting["count"],
        "oldest_waiting_at": waiting["oldest"],
        "rejected": [{**r, "uid": str(r["uid"])} for r in rejected],
        "acknowledged_total": state.pushed_total,
        "bytes_sent": state.bytes_sent,
        "bytes_received": state.bytes_received,
    }


def national_state(user) -> dict:
    now = timezone.now()
    ids = user.visible_facility_ids()
    sites = Site.objects.select_related("facility").annotate(
        open_rejections=Count("rejections", filter=Q(rejections__resolved_at__isnull=True))).order_by(
        "facility__name")
    if ids is not None:
        sites = sites.filter(facility_id__in=ids)
    rows = []
    for site in sites:
        last = max(filter(None, [site.last_push_at, site.last_pull_at]), default=None)
        rows.append({
            "facility": site.facility.code, "facility_name": site.facility.name,
            "last_push_at": site.last_push_at, "last_pull_at": site.last_pull_at,
            "acknowledged_up_to": site.last_seq, "schema_version": site.schema_version,
            "open_rejections": site.open_rejections, "last_refusal": site.last_refusal,
            "last_refusal_at": site.last_refusal_at,
            "audit_verified_up_to": site.audit_position, "audit_break": site.audit_break,
            "silent": last is None or now - last > silent_after(),
        })
    return {"mode": "national", "silent_after_hours": settings.SYNC_SILENT_AFTER_HOURS, "sites": rows}


def report(user) -> dict:
    if settings.SITE_MODE == "prison":
        return prison_state()
    if settings.SITE_MODE == "national":
        return national_state(user)
    return {"mode": "single"}


def silent_sites():
    cutoff = timezone.now() - silent_after()
    return Site.objects.select_related("facility").filter(
        (Q(last_push_at__isnull=True) | Q(last_push_at__lt=cutoff))
        & (Q(last_pull_at__isnull=True) | Q(last_pull_at__lt=cutoff)))
