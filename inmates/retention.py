"""The retention rule for personal data (LAW.md "Personal data"; Loi n°2013-015).

A person's records are kept while they are held and for RECORD_RETENTION_YEARS_AFTER_RELEASE
years after their last release; then the file is archived: read-only, hidden from facility
roles, still readable by national roles (with an "archivé" badge). Nothing is deleted, and
the audit trail never is.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from prisons.models import HELD_STATUSES

from .models import Custody, Inmate

RETENTION_ACTOR = "retention"


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    """The same instant `years` years earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def retention_cutoff(*, now=None) -> datetime.datetime:
    return years_before(now or timezone.now(), settings.RECORD_RETENTION_YEARS_AFTER_RELEASE)


def require_not_archived(inmate_or_id) -> None:
    """Refuse any change to an archived person's records (a clear French message)."""
    pk = getattr(inmate_or_id, "pk", inmate_or_id)
    if Inmate.objects.filter(pk=pk, archived_at__isnull=False).exists():
        raise ValidationError(_("Ce dossier est archivé (durée de conservation écoulée après la "
                                "libération) : il ne peut plus être modifié."))


def require_stay_not_archived(custody_id) -> None:
    """The same refusal, for a change to one of the person's stays (cases, orders…)."""
    if Custody.objects.filter(pk=custody_id, inmate__archived_at__isnull=False).exists():
        require_not_archived(Custody.objects.values_list("inmate_id", flat=True).get(pk=custody_id))


def due_for_archiving(*, now=None):
    """People not archived, with no open stay, whose last release is older than the cutoff."""
    open_stay = Custody.objects.filter(inmate=OuterRef("pk"), status__in=HELD_STATUSES)
    return (Inmate.objects.filter(archived_at__isnull=True).exclude(Exists(open_stay))
            .annotate(last_release=Max("custodies__released_at"))
            .filter(last_release__lt=retention_cutoff(now=now)))


def _archive_one(pk, *, now, reason) -> bool:
    with transaction.atomic():
        inmate = Inmate.objects.select_for_update().filter(pk=pk, archived_at__isnull=True).first()
        if inmate is None or inmate.custodies.filter(status__in=HELD_STATUSES).exists():
            return False
        inmate.archived_at = now
        inmate.save(update_fields=["archived_at"])
        latest = inmate.custodies.order_by("-admitted_at").values_list("facility_id", flat=True).first()
        record_audit(AuditAction.UPDATE, target=inmate, actor_name=RETENTION_ACTOR, inmate_id=inmate.pk,
                     facility_id=latest, changes={"archived_at": [None, now.isoformat()]}, reason=reason)
    return True


def apply_retention(*, now=None) -> int:
    """Archive every file past its retention period; idempotent (archived files are left
    alone). One transaction and one audit entry per person. Returns how many were archived."""
    now = now or timezone.now()
    years = settings.RECORD_RETENTION_YEARS_AFTER_RELEASE
    reason = f"Règle de conservation : libéré depuis plus de {years} ans (RECORD_RETENTION_YEARS_AFTER_RELEASE)"
    ids = list(due_for_archiving(now=now).values_list("pk", flat=True))
    return sum(_archive_one(pk, now=now, reason=reason) for pk in ids)


def lift_archive(inmate: Inmate, *, actor, reason: str) -> None:
    """A person admitted again is held again: the file comes back into use (audited).
    Called inside the admission's transaction."""
    if Inmate.objects.filter(pk=inmate.pk, archived_at__isnull=False).update(archived_at=None):
        inmate.archived_at = None
        record_audit(AuditAction.UPDATE, actor=actor, target=inmate, inmate_id=inmate.pk,
                     changes={"archived_at": ["archivé", None]}, reason=reason)
