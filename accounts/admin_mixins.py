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


class AuditedReadsAdminMixin:
    """People's data read through the admin leaves the same trace as through the pages and the API:
    the change (consultation) view calls the app's read service (`read_service(pk, actor=…)`:
    access check + VIEW entry), the list view records one LIST entry (query and counts)."""

    read_service = None
    person_field = None  # path to the person's id, to count the people a list returned

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from django.contrib.admin.utils import unquote

        if request.method in ("GET", "HEAD") and self.read_service is not None:
            self.read_service(unquote(object_id), actor=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        from .reads import count_people, record_list

        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) and response.context_data.get("cl")
        if changelist is not None:
            record_list(request.user, kind=self.model._meta.verbose_name_plural, query=request.GET,
                        count=changelist.result_count,
                        people=count_people(changelist.queryset, self.person_field) if self.person_field else None)
        return response
