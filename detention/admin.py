"""Life inside in the admin: for consultation only, every read through the audited read
service (need-to-know by role: a confidential complaint only to its addressee and the direction)."""

from django.contrib import admin

from accounts.admin_mixins import AuditedReadsAdminMixin, ReadOnlyAdminMixin
from inmates.admin import audited_admin

from . import reads
from .models import (
    Activity,
    CellLeader,
    Classification,
    Complaint,
    Enrolment,
    FacilityVisitingRule,
    FamilyNotification,
    Visit,
    Visitor,
)

for model, read_service in ((Classification, reads.open_classification), (CellLeader, reads.open_cell_leader),
                            (Visit, reads.open_visit), (Enrolment, reads.open_enrolment),
                            (FamilyNotification, reads.open_family_notification)):
    admin.site.register(model, audited_admin(model, read_service))
for model in (FacilityVisitingRule, Visitor, Activity):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))


@admin.register(Complaint)
class ComplaintAdmin(AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Complaints as the pages show them: a confidential one only to its addressee and the
    direction (accounts.need_to_know, by role, never by `is_superuser`); facility scoping too;
    every read through the audited read service."""

    read_service = staticmethod(reads.open_complaint)
    person_field = "custody__inmate_id"

    list_display = ("subject", "facility", "status", "is_allegation", "received_at")
    list_filter = ("status", "is_allegation", "facility")
    list_select_related = ("facility",)

    def get_queryset(self, request):
        return Complaint.objects.visible_to(request.user).select_related("facility")


# The discipline limits and each prison's sanctions list (issue 14): data that the system
# administrator edits, "to be confirmed" by a Malian lawyer, each change through the service
# (Rule 43's prohibited sanctions refused, the isolation maximum kept), audited with its reason.
from django import forms  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from .models import DisciplineLimit, Sanction  # noqa: E402
from .services import discipline as discipline_services  # noqa: E402


class _ReasonForm(forms.ModelForm):
    reason = forms.CharField(label=_("Motif de la modification"), max_length=200, required=False,
                             help_text=_("Obligatoire pour une modification ; inscrit au journal d'audit."))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.has_changed() and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez le motif de la modification."))
        return cleaned


class SanctionForm(_ReasonForm):
    class Meta:
        model = Sanction
        fields = ["facility", "name", "kind", "max_days", "is_active"]

    def _post_clean(self):
        super()._post_clean()
        try:
            discipline_services._check_sanction_row(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class LimitForm(_ReasonForm):
    class Meta:
        model = DisciplineLimit
        fields = ["value", "source", "awaiting_confirmation"]


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    form = SanctionForm
    list_display = ("facility", "name", "kind", "max_days", "is_active")
    list_filter = ("facility", "kind", "is_active")
    list_select_related = ("facility",)

    def get_readonly_fields(self, request, obj=None):
        return ("facility",) if obj else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            discipline_services.update_sanction(
                Sanction.objects.get(pk=obj.pk), actor=request.user, reason=data["reason"],
                **{f: data[f] for f in ("name", "kind", "max_days", "is_active") if f in form.changed_data})
        else:
            created = discipline_services.add_sanction(obj.facility, name=data["name"], kind=data["kind"],
                                                       max_days=data["max_days"], actor=request.user)
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False  # a sanction leaves the list by being withdrawn (decisions point at it)


@admin.register(DisciplineLimit)
class DisciplineLimitAdmin(admin.ModelAdmin):
    form = LimitForm
    list_display = ("key", "value", "awaiting_confirmation", "source", "updated_at")
    readonly_fields = ("key",)

    def has_add_permission(self, request):
        return False  # one row per limit, seeded

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        discipline_services.update_discipline_limit(
            DisciplineLimit.objects.get(pk=obj.pk), actor=request.user, reason=data["reason"],
            **{f: data[f] for f in ("value", "source", "awaiting_confirmation") if f in form.changed_data})
