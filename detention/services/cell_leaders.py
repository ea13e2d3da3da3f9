"""Cell leaders: chosen by the occupants, staff agreeing."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from core.clock import moment
from detention.models import (
    CellLeader,
)
from inmates.services import lock_custody, require_current


@transaction.atomic
def appoint_cell_leader(unit, *, custody, actor, agreement_noted: bool, agreement_notes: str = "",
                        at=None) -> CellLeader:
    """Make an occupant the unit's leader (chosen by the occupants, staff agreeing); the
    previous leader's term ends. One current leader per unit."""
    from prisons.models import Unit

    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_serves(actor, unit.facility_id)
    custody = lock_custody(custody)
    require_current(custody)
    if not custody.placements.filter(unit=unit, ended_at__isnull=True).exists():
        raise ValidationError({"custody": _("Le chef de cellule doit être placé dans cette unité.")})
    at = moment(at)
    current = CellLeader.objects.current().filter(unit=unit).select_related("custody__inmate").first()
    if current and current.custody_id == custody.pk:
        raise ValidationError({"custody": _("Cette personne est déjà chef de cette cellule.")})
    leader = CellLeader(unit=unit, custody=custody, started_at=at, appointed_by=actor,
                        agreement_noted=agreement_noted, agreement_notes=agreement_notes)
    leader.full_clean(exclude=["unit"])  # the unit's current leader is ended just below
    if current:
        if at < current.started_at:
            raise ValidationError({"at": _("La désignation ne peut précéder celle du chef actuel.")})
        current.ended_at, current.end_reason = at, _("Remplacé")
        current.save(update_fields=["ended_at", "end_reason"])
    leader.save()
    record_audit(AuditAction.CREATE, target=leader, actor=actor, inmate_id=custody.inmate_id, facility_id=unit.facility_id,
           changes={"unit": [None, str(unit)],
                    "previous_leader": [str(current.custody.inmate) if current else None, None]},
           reason=agreement_notes)
    return leader
