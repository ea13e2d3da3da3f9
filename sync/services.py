"""Writes of the exchange made by staff: sending a refused action again once its cause is fixed."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import AuditAction
from accounts.roles import Role
from accounts.services import record_audit

from .models import OutboxAction


def may_resend(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN, Role.DIRECTOR)


def resend_rejected(action, *, actor) -> OutboxAction:
    if not may_resend(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = OutboxAction.objects.select_for_update().get(seq=action.seq)
        reason = locked.rejection
        locked.state, locked.rejection = OutboxAction.State.WAITING, ""
        locked.save(update_fields=["state", "rejection"])
        record_audit(AuditAction.UPDATE, actor=actor, target=locked,
                     changes={"state": [OutboxAction.State.REJECTED, OutboxAction.State.WAITING]},
                     reason=reason)
    return locked
