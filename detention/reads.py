"""Audited reads of the records of life inside: one function per kind, called by the page,
the API and the admin alike (scoping first, then need-to-know, then one VIEW entry)."""

from django.utils.translation import gettext as _

from accounts.reads import open_record
from detention.models import CellLeader, Classification, Complaint, Enrolment, FamilyNotification, Visit
from inmates.reads import NOT_FOUND, PERSON_FIELDS


def open_complaint(pk, *, actor) -> Complaint:
    """A complaint (an allegation of ill-treatment included): confidential ones only to the
    direction and the person addressed (`visible_to`)."""
    queryset = Complaint.objects.visible_to(actor).select_related(
        *PERSON_FIELDS, "facility", "addressed_to", "answered_by", "referred_by", "closed_by", "recorded_by")
    return open_record(queryset, pk, actor=actor, permission="detention.view_complaint",
                       person="custody.inmate_id", facility="facility_id",
                       not_found=_("Aucune plainte ne correspond."))


def open_classification(pk, *, actor) -> Classification:
    queryset = Classification.objects.visible_to(actor).select_related(*PERSON_FIELDS, "assessed_by")
    return open_record(queryset, pk, actor=actor, permission="detention.view_classification",
                       person="custody.inmate_id", facility="custody.facility_id", not_found=NOT_FOUND)


def open_cell_leader(pk, *, actor) -> CellLeader:
    queryset = CellLeader.objects.visible_to(actor).select_related(*PERSON_FIELDS, "unit")
    return open_record(queryset, pk, actor=actor, permission="detention.view_cellleader",
                       person="custody.inmate_id", facility="unit.facility_id", not_found=NOT_FOUND)


def open_visit(pk, *, actor) -> Visit:
    queryset = Visit.objects.visible_to(actor).select_related(*PERSON_FIELDS, "visitor")
    return open_record(queryset, pk, actor=actor, permission="detention.view_visit",
                       person="custody.inmate_id", facility="facility_id", not_found=NOT_FOUND)


def open_enrolment(pk, *, actor) -> Enrolment:
    queryset = Enrolment.objects.visible_to(actor).select_related(*PERSON_FIELDS, "activity")
    return open_record(queryset, pk, actor=actor, permission="detention.view_enrolment",
                       person="custody.inmate_id", facility="activity.facility_id", not_found=NOT_FOUND)


def open_family_notification(pk, *, actor) -> FamilyNotification:
    queryset = FamilyNotification.objects.visible_to(actor).select_related(*PERSON_FIELDS)
    return open_record(queryset, pk, actor=actor, permission="detention.view_familynotification",
                       person="custody.inmate_id", facility="custody.facility_id", not_found=NOT_FOUND)
