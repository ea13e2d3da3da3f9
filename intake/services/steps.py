"""The five steps in order, each by its own role: the order check, and completing a step
(its record, its handler, its audit entry) in one transaction.
"""


from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import serves
from core.errors import ConflictError
from inmates import services as inmate_services
from intake.models import (
    STEP_PERMISSIONS,
    Intake,
    IntakeStatus,
    Step,
    StepRecord,
)

from .administration import _administration
from .interview import _interview
from .medical import _medical
from .registry import _registry
from .security import _security


class StepOrderError(ConflictError):
    """A step out of order, or already done (the API answers 409)."""



# --- Steps -----------------------------------------------------------------------------

def open_intake(intake_id, *, actor, audit=True) -> Intake:
    """An intake the actor may see (404 otherwise); reading it is audited as a file read."""
    try:
        intake = (Intake.objects.visible_to(actor)
                  .select_related("facility", "inmate", "custody", "case__court", "warrant")
                  .get(pk=intake_id))
    except (Intake.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Aucun écrou ne correspond.")) from None
    if not actor.has_perm("intake.view_intake"):
        raise PermissionDenied(_("Vous n'avez pas accès aux écrous."))
    if audit:
        record_audit(AuditAction.VIEW, actor=actor, target=intake, inmate_id=intake.inmate_id,
                     facility_id=intake.facility_id)
    return intake


def check_can_complete(intake: Intake, step, *, actor) -> None:
    """Raise Http404 (other facility), PermissionDenied (wrong role) or StepOrderError."""
    if not serves(actor, intake.facility_id):
        raise Http404(_("Aucun écrou ne correspond."))
    step = Step(step)
    if not actor.has_perm(STEP_PERMISSIONS[step]):
        raise PermissionDenied(_("L'étape « %(step)s » n'est pas de votre ressort.")
                               % {"step": step.label})
    done = StepRecord.objects.filter(intake=intake, step=step).select_related("completed_by").first()
    if done:
        raise StepOrderError(
            _("L'étape « %(step)s » a déjà été effectuée le %(at)s par %(who)s.") % {
                "step": step.label, "who": done.completed_by,
                "at": timezone.localtime(done.completed_at).strftime("%d/%m/%Y %H:%M")})
    if intake.is_completed:
        raise StepOrderError(_("Cet écrou est terminé."))
    if intake.next_step != step:
        raise StepOrderError(
            _("Étape hors d'ordre : l'étape « %(next)s » doit d'abord être effectuée.")
            % {"next": intake.next_step.label})


@transaction.atomic
def complete_step(intake: Intake, step, *, data: dict, actor) -> Intake:
    """Complete one step: the next one, by its role, validated; recorded with who and when.

    The intake row is locked, so two people completing the same step at once cannot both
    succeed; out of order or twice raises StepOrderError, the wrong role PermissionDenied,
    bad data a ValidationError — and in each case nothing is written.
    """
    step = Step(step)
    locked = (Intake.objects.select_for_update()
              .select_related("facility", "inmate", "custody").get(pk=intake.pk))
    check_can_complete(locked, step, actor=actor)
    now = timezone.now()
    try:
        with transaction.atomic():
            record = StepRecord.objects.create(intake=locked, step=step, completed_by=actor,
                                               completed_at=now)
    except IntegrityError:
        raise StepOrderError(_("L'étape « %(step)s » vient d'être effectuée par une autre personne.")
                             % {"step": step.label}) from None
    summary = _HANDLERS[step](locked, data or {}, actor)
    locked.last_step = int(step)
    locked.last_activity_at = now
    if step == Step.INTERVIEW:
        inmate_services.complete_admission(locked.custody, actor=actor)
        locked.status = IntakeStatus.COMPLETED
        locked.completed_at = now
    locked.save(update_fields=["last_step", "last_activity_at", "status", "completed_at", "medically_fit"])
    record_audit(AuditAction.CREATE, actor=actor, target=record, inmate_id=locked.inmate_id,
                 facility_id=locked.facility_id,
                 changes={"step": [None, str(step.label)], **summary})
    return locked



_HANDLERS = {
    Step.SECURITY: _security,
    Step.ADMINISTRATION: _administration,
    Step.REGISTRY: _registry,
    Step.MEDICAL: _medical,
    Step.INTERVIEW: _interview,
}
