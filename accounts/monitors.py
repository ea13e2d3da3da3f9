"""Monitors' authorisations (issue 14, item 7; Mandela Rules 83–85): granted, revoked and read
here, by DNAPES and administrators only. The authorisation is what opens a monitor's account:
`User.visible_facility_ids` reads the currently valid ones, and outside them the account cannot
sign in (`accounts.forms.LoginForm`), its API tokens stop working (`accounts.authentication`) and
an open session is closed (`accounts.middleware.LoginRequiredMiddleware`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditAction, MonitorAuthorisation, User
from .reads import open_record
from .roles import Role
from .services import record_audit

GRANTING_ROLES = (Role.DNAPES, Role.ADMIN)


def may_grant(actor) -> bool:
    """DNAPES and administrators, by role (never an account's superuser flag)."""
    return bool(actor and actor.is_authenticated and actor.is_active and not actor.is_outside_service
                and actor.has_role(*GRANTING_ROLES))


def _require_granter(actor):
    if not may_grant(actor):
        raise PermissionDenied(_("Seules la DNAPES et l'administration accordent ou révoquent une autorisation."))


def refused_sign_in_message() -> str:
    return _("Votre autorisation d'accès n'est pas en cours de validité : ce compte est fermé en dehors de la "
             "période autorisée. Adressez-vous à la DNAPES.")


def monitor_accounts():
    return User.objects.filter(groups__name=Role.MONITOR.value, is_active=True).order_by("last_name", "username")


@transaction.atomic
def grant_monitor_authorisation(monitor, *, actor, body: str, facilities, starts_on, ends_on, reference: str,
                                reason: str, body_detail: str = "", medical_access: bool = False,
                                medical_access_authorised_by: str = "") -> MonitorAuthorisation:
    """Grant a monitor access to `facilities` from `starts_on` to `ends_on` (inclusive); audited."""
    _require_granter(actor)
    facilities = list(facilities or [])
    if not monitor.is_active or not monitor.is_monitor:
        raise ValidationError({"monitor": _("Ce compte n'est pas un compte d'observateur actif.")})
    if not facilities:
        raise ValidationError({"facilities": _("Choisissez au moins un établissement.")})
    if ends_on and ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("Une autorisation ne peut pas finir dans le passé.")})
    authorisation = MonitorAuthorisation(
        monitor=monitor, body=body, body_detail=(body_detail or "").strip(), starts_on=starts_on, ends_on=ends_on,
        reference=(reference or "").strip(), reason=(reason or "").strip(), medical_access=bool(medical_access),
        medical_access_authorised_by=(medical_access_authorised_by or "").strip(), granted_by=actor,
        granted_at=timezone.now())
    authorisation.full_clean()
    authorisation.save()
    authorisation.facilities.set(facilities)
    record_audit(AuditAction.CREATE, actor=actor, target=authorisation, reason=authorisation.reason, changes={
        "monitor": [None, monitor.get_username()], "body": [None, body],
        "facilities": [None, sorted(f.code for f in facilities)],
        "starts_on": [None, str(starts_on)], "ends_on": [None, str(ends_on)],
        "reference": [None, authorisation.reference], "medical_access": [None, authorisation.medical_access],
        "medical_access_authorised_by": [None, authorisation.medical_access_authorised_by]})
    return authorisation


@transaction.atomic
def revoke_monitor_authorisation(authorisation, *, actor, reason: str) -> MonitorAuthorisation:
    """End an authorisation now (the monitor loses access at once if it was their only one)."""
    _require_granter(actor)
    authorisation = MonitorAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
    if authorisation.revoked_at is not None:
        raise ValidationError(_("Cette autorisation est déjà révoquée."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de la révocation.")})
    authorisation.revoked_at = timezone.now()
    authorisation.revoked_by = actor
    authorisation.revoke_reason = reason.strip()
    authorisation.full_clean()
    authorisation.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record_audit(AuditAction.UPDATE, actor=actor, target=authorisation, reason=authorisation.revoke_reason,
                 changes={"revoked_at": [None, authorisation.revoked_at.isoformat()]})
    return authorisation


def authorisations_for(user):
    return (MonitorAuthorisation.objects.visible_to(user)
            .select_related("monitor", "granted_by", "revoked_by").prefetch_related("facilities"))


def open_monitor_authorisation(pk, *, actor) -> MonitorAuthorisation:
    """One authorisation, read and audited (DNAPES/admin: any; a monitor: their own)."""
    return open_record(authorisations_for(actor), pk, actor=actor, permission="accounts.view_monitorauthorisation",
                       person=lambda record: None, facility=None,
                       not_found=_("Aucune autorisation ne correspond."))
