from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_mixins import AuditedAdminMixin, AuditedReadsAdminMixin, ReadOnlyAdminMixin
from casework import reads
from casework.models import Case, Charge, Court, DetentionOrder, Hearing, Judgment
from casework.releases import services as releases


@admin.register(Court)
class CourtAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "town")
    list_filter = ("kind",)
    search_fields = ("code", "name")


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class PersonLegalStatusMixin:
    """The person's legal status beside the terrorism flag (presumption of innocence, DESIGN.md §5)."""

    @admin.display(description=_("statut juridique de la personne"))
    def person_legal_status(self, charge):
        return charge.case.custody.get_legal_status_display()


CHARGE_FIELDS = ("offence", "legal_class", "max_penalty_months", "person_legal_status", "terrorism_related",
                 "flagrant", "article", "status", "charged_on")


class ChargeInline(PersonLegalStatusMixin, ReadOnlyInline):
    model = Charge
    fields = CHARGE_FIELDS
    readonly_fields = ("person_legal_status",)


@admin.register(Charge)
class ChargeAdmin(PersonLegalStatusMixin, AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    read_service = staticmethod(reads.open_charge)
    person_field = "case__custody__inmate_id"
    list_display = ("offence", "case", "legal_class", "person_legal_status", "terrorism_related", "status")
    list_filter = ("legal_class", "terrorism_related", "case__custody__legal_status", "status")
    list_select_related = ("case__court", "case__custody")
    fields = ("case", *CHARGE_FIELDS)
    readonly_fields = ("person_legal_status",)


class OrderInline(ReadOnlyInline):
    model = DetentionOrder
    fk_name = "case"


class HearingInline(ReadOnlyInline):
    model = Hearing


class JudgmentInline(ReadOnlyInline):
    model = Judgment


@admin.register(Case)
class CaseAdmin(AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    read_service = staticmethod(reads.open_case)
    person_field = "custody__inmate_id"
    list_display = ("case_number", "court", "custody", "investigating_judge", "legal_status", "opened_on")
    list_filter = ("court", "legal_status")
    search_fields = ("case_number", "investigating_judge", "custody__inmate__last_name")
    list_select_related = ("court", "custody__inmate", "custody__facility")
    inlines = [ChargeInline, OrderInline, HearingInline, JudgmentInline]



def audited_admin(model, read_service):
    """A consultation-only admin whose reads go through the read service (audited)."""
    return type(f"{model.__name__}Admin", (AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin),
                {"read_service": staticmethod(read_service), "person_field": "case__custody__inmate_id"})


for model, read_service in ((DetentionOrder, reads.open_detention_order), (Hearing, reads.open_hearing), (Judgment, reads.open_judgment)):
    admin.site.register(model, audited_admin(model, read_service))

from casework.models import CaseDeadline  # noqa: E402

admin.site.register(CaseDeadline, audited_admin(CaseDeadline, reads.open_case_deadline))

# Release orders (casework.releases.services): for consultation only; recorded through the pages and the API.
from casework.models import ReleaseOrder  # noqa: E402

admin.site.register(ReleaseOrder, audited_admin(ReleaseOrder, releases.open_release_order))

# The court portal (casework.court_portal.services): consultation only; written through the pages and the API.
from casework.court_portal import services as court_portal  # noqa: E402
from casework.models import CourtSubmission, MagistrateProfile, NoticeAcknowledgement  # noqa: E402

admin.site.register(CourtSubmission, audited_admin(CourtSubmission, court_portal.open_court_submission))
admin.site.register(NoticeAcknowledgement, type("NoticeAcknowledgementAdmin", (
    AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin), {
    "read_service": staticmethod(court_portal.open_notice_acknowledgement),
    "person_field": "alert__custody__inmate_id"}))


@admin.register(MagistrateProfile)
class MagistrateProfileAdmin(admin.ModelAdmin):
    """The system administrator links a magistrate's account to their court and cabinet (the
    court portal shows them that cabinet's cases only): through the service, audited."""

    list_display = ("user", "function", "court", "cabinet")
    list_select_related = ("user", "court")
    fields = ("user", "function", "court", "cabinet")

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            from django.contrib.auth import get_user_model

            from accounts.roles import Role

            kwargs["queryset"] = get_user_model().objects.filter(groups__name=Role.MAGISTRATE).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        court_portal.set_magistrate_profile(obj.user, actor=request.user, function=obj.function, court=obj.court,
                                            cabinet=obj.cabinet)

    def has_delete_permission(self, request, obj=None):
        return False  # a magistrate who leaves: their account is deactivated
