"""Audited reads of the exchange's data that names people: the cross-prison duplicates queue."""

from accounts.reads import record_rows
from accounts.roles import Role

from .models import DuplicateCandidate


def may_decide_duplicates(user) -> bool:
    return user.is_authenticated and user.has_role(Role.DNAPES)


def list_duplicates(user, *, pending_only=True):
    """DNAPES only (the files come from several prisons); one audit entry per list."""
    rows = DuplicateCandidate.objects.select_related("inmate", "other").order_by("-found_at")
    if pending_only:
        rows = rows.filter(decision=DuplicateCandidate.Decision.PENDING)
    record_rows(user, kind="doublons entre établissements", query={"en_attente": pending_only},
                queryset=rows, person_field="inmate_id")
    return rows
