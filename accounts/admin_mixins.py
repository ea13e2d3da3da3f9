"""Admin helpers: reference data edits are audited; prisoner records are read-only here
(corrections go through the file pages and services, which keep the old value and a reason)."""

from .models import AuditAction
from .services import diff_fields, record_audit


class AuditedAdminMixin:
    """Writes an audit entry for each save made through the admin site."""

    def save_model(self, request, obj, form, change):
        changes = {}
        if change and form.changed_data:
            old = type(obj).objects.get(pk=obj.pk)
            changes = diff_fields(old, {f: form.cleaned_data[f] for f in form.changed_data
                                        if f in form.cleaned_data and hasattr(old, f)})
        super().save_model(request, obj, form, change)
        record_audit(AuditAction.UPDATE if change else AuditAction.CREATE, actor=request.user,
                     target=obj, changes=changes)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    """Visible for consultation by administrators; never edited or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
