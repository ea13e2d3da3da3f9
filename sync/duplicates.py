"""After each exchange, the national server looks for people who arrived in one prison's file and
may already be known in another's, and queues each likely pair for a decision (never merged by itself)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from inmates.matching import find_candidates
from inmates.models import Inmate

from .models import DuplicateCandidate


def _holding_facility(inmate):
    custody = inmate.custodies.order_by("-admitted_at").first()
    return custody.facility_id if custody else None


def find_across_prisons(inmate_ids) -> int:
    """Queue the likely matches of these newly arrived people held in another prison."""
    found = 0
    for inmate in Inmate.objects.filter(pk__in=inmate_ids):
        home = _holding_facility(inmate)
        others = Inmate.objects.exclude(pk=inmate.pk)
        if home is not None:
            others = others.exclude(custodies__facility_id=home).exclude(custodies__isnull=True)
        for candidate in find_candidates(last_name=inmate.last_name, first_name=inmate.first_name,
                                         birth_year=inmate.birth_year or (inmate.date_of_birth.year
                                                                          if inmate.date_of_birth else None),
                                         region_id=inmate.region_of_origin_id, queryset=others):
            _, created = DuplicateCandidate.objects.get_or_create(
                inmate=inmate, other=candidate.inmate,
                defaults={"score": round(candidate.score * 100), "reasons": candidate.reasons})
            found += created
    return found


def decide(candidate, *, same: bool, reason: str, actor) -> DuplicateCandidate:
    """DNAPES decides whether two files are the same person (with a reason, audited). The files are
    not merged here: each stays with its prison, and the decision is what both prisons see."""
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la décision.")})
    with transaction.atomic():
        locked = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.decision != DuplicateCandidate.Decision.PENDING:
            raise ValidationError(_("Ce doublon possible a déjà été tranché."))
        locked.decision = DuplicateCandidate.Decision.SAME if same else DuplicateCandidate.Decision.DIFFERENT
        locked.decision_reason, locked.decided_by, locked.decided_at = reason.strip(), actor, timezone.now()
        locked.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
        record_audit(AuditAction.UPDATE, actor=actor, target=locked, inmate_id=locked.inmate_id,
                     changes={"decision": [DuplicateCandidate.Decision.PENDING, locked.decision]}, reason=reason)
    return locked
