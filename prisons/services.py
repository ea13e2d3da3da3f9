"""Every change to a facility or a unit goes through these functions.

Each runs in one transaction, validates with full_clean(), and writes its audit entry in
that same transaction.
"""

from django.db import transaction

from accounts.models import AuditAction
from accounts.services import record_audit
from core.corrections import apply_changes

from .models import Facility, Unit

# The code is not editable: it is part of every prisoner number issued by the facility.
FACILITY_EDITABLE_FIELDS = (
    "name", "kind", "region", "town", "official_capacity", "status",
    "holds_men", "holds_women", "holds_adults", "holds_minors", "notes",
)
# A unit never moves to another facility: its placements would follow it.
UNIT_EDITABLE_FIELDS = ("parent", "code", "name", "kind", "capacity", "regime", "category", "is_active")


def _values(fields: dict) -> dict:
    return {k: [None, str(v)] for k, v in fields.items() if v not in (None, "")}


@transaction.atomic
def create_facility(*, actor, **fields) -> Facility:
    """Create a facility (validated); audited with its values."""
    facility = Facility(**fields)
    facility.full_clean()
    facility.save()
    record_audit(AuditAction.CREATE, actor=actor, target=facility, facility_id=facility.pk,
                 changes=_values(fields))
    return facility


@transaction.atomic
def update_facility(facility: Facility, *, actor, reason: str = "", **changes) -> Facility:
    """Change a facility's details (capacity, status…); old values kept in the audit trail."""
    locked, _diff = apply_changes(facility, changes, actor=actor, allowed=FACILITY_EDITABLE_FIELDS, reason=reason,
                                  reason_required=False, facility_id=lambda locked: locked.pk)
    return locked


@transaction.atomic
def create_unit(*, facility: Facility, actor, **fields) -> Unit:
    """Create a unit (block, cell…) in a facility; audited with its values."""
    unit = Unit(facility=facility, **fields)
    unit.full_clean()
    unit.save()
    record_audit(AuditAction.CREATE, actor=actor, target=unit, facility_id=facility.pk,
                 changes=_values({"facility": facility, **fields}))
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, actor, reason: str = "", **changes) -> Unit:
    """Change a unit's details (capacity, regime, in service…) within its facility; audited."""
    locked, _diff = apply_changes(unit, changes, actor=actor, allowed=UNIT_EDITABLE_FIELDS, reason=reason,
                                  reason_required=False, facility_id=lambda locked: locked.facility_id)
    return locked
