"""Audited reads of the register back-fill: a job (its preview names people) and an imported record,
one service per kind, called by the pages, the API and the admin alike."""

from django.utils.translation import gettext as _

from accounts.reads import open_record

from .models import ImportedRecord, ImportJob


def open_import_job(pk, *, actor) -> ImportJob:
    """The job, if the actor's prisons include its prison (404 otherwise), with a VIEW entry."""
    return open_record(ImportJob.objects.visible_to(actor).select_related("facility", "uploaded_by"), pk,
                       actor=actor, permission="registers.view_importjob", person=lambda job: None,
                       facility="facility_id", not_found=_("Aucun import ne correspond."))


def open_imported_record(pk, *, actor) -> ImportedRecord:
    """The imported record, if visible to the actor (404 otherwise), with a VIEW entry naming the person."""
    queryset = ImportedRecord.objects.visible_to(actor).select_related(
        "job", "facility", "inmate", "custody", "case__court", "imported_by", "verified_by")
    return open_record(queryset, pk, actor=actor, permission="registers.view_importedrecord", person="inmate_id",
                       facility="facility_id", not_found=_("Aucun enregistrement ne correspond."))
