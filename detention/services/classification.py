"""Security classification: an individual assessment, never automatic (Rule 8)."""


from django.db import transaction
from django.utils import timezone

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from detention.models import (
    Classification,
)
from inmates.services import lock_custody, require_current


@transaction.atomic
def classify(custody, *, risk: str, reasons: str, next_review_on, actor, assessed_on=None) -> Classification:
    """Record an individual risk assessment (high / medium / low) with its reasons and review date."""
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    require_current(custody)
    record = Classification(custody=custody, risk=risk, reasons=(reasons or "").strip(),
                            next_review_on=next_review_on, assessed_on=assessed_on or timezone.localdate(),
                            assessed_by=actor)
    record.full_clean()
    record.save()
    record_audit(AuditAction.CREATE, target=record, actor=actor, inmate_id=custody.inmate_id, facility_id=custody.facility_id,
           changes={"risk": [None, risk], "next_review_on": [None, str(next_review_on)]}, reason=record.reasons)
    return record
