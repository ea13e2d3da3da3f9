"""The audited correction, in one place: every service that corrects fields of a record
(identity, stay, case, limits table…) calls `apply_changes`."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import diff_fields, record_audit


def apply_changes(instance, changes: dict, *, actor, allowed, reason: str = "", reason_required: bool = True,
                  queryset=None, on_locked=None, before_clean=None, before_save=None, inmate_id=None, facility_id=None, audit_target=None):
    """Correct `changes` on `instance` and audit the old and new values with the reason.

    Refuses fields outside `allowed`; locks the row (`select_for_update` on `queryset`, the
    model's default manager otherwise) and calls `on_locked(locked)` (a version check); returns
    the locked row unchanged, with no audit entry, when nothing would change; requires a reason
    when `reason_required`; sets the values, calls `before_clean(locked)` (derived fields), runs
    `full_clean()` and `before_save(locked)` (rules across records), saves, and
    writes one UPDATE entry in the caller's transaction. `inmate_id` and `facility_id` may be
    callables of the locked row. Returns `(locked, diff)`.
    """
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    queryset = queryset if queryset is not None else type(instance)._default_manager.all()
    locked = queryset.select_for_update().get(pk=instance.pk)
    if on_locked is not None:
        on_locked(locked)
    diff = diff_fields(locked, changes)
    if not diff:
        return locked, {}
    if reason_required and not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de la correction.")})
    for name, value in changes.items():
        setattr(locked, name, value)
    if before_clean is not None:
        before_clean(locked)
    locked.full_clean()
    if before_save is not None:
        before_save(locked)
    locked.save()
    record_audit(AuditAction.UPDATE, actor=actor, target=audit_target or locked, changes=diff, reason=reason,
                 inmate_id=inmate_id(locked) if callable(inmate_id) else inmate_id,
                 facility_id=facility_id(locked) if callable(facility_id) else facility_id)
    return locked, diff
