"""Uploads of the administration step kept server-side until the step completes (issue 11, item 3).

A validation error of the step (a missing relative, an unconfirmed identity…) used to drop every
file chosen: the photo, the warrant scan and ten fingerprints had to be chosen again. Each file the
step accepts (`intake.services.validate_upload`) is now kept for that intake and field, in private
storage, and offered again to the next attempt when that field is left empty; choosing another
file replaces it. The step's completion removes them (`discard`), its records holding the files.
"""

import os

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves

from .models import Finger, KeptUpload

DOCUMENT_FIELDS = {"warrant_scan"}


def upload_fields() -> list[str]:
    return ["photo", "warrant_scan", *(f"fingerprint_{f.value}" for f in Finger)]


@transaction.atomic
def keep_uploads(intake, files, *, actor) -> list[str]:
    """Keep each acceptable file of `files` (the step's upload fields only); a refused file is not
    kept (the step says why). Returns the fields kept now."""
    from .services import validate_upload

    require_serves(actor, intake.facility_id)
    kept = []
    for field in upload_fields():
        upload = files.get(field)
        if not upload:
            continue
        try:
            validate_upload(upload, field, documents=field in DOCUMENT_FIELDS)
        except ValidationError:
            continue
        upload.seek(0)
        previous = KeptUpload.objects.filter(intake=intake, field=field).first()
        if previous:
            previous.file.delete(save=False)
            previous.delete()
        record = KeptUpload(intake=intake, field=field, original_name=os.path.basename(upload.name)[:200],
                            uploaded_by=actor)
        record.file.save(os.path.basename(upload.name), upload, save=False)
        record.full_clean()
        record.save()
        upload.seek(0)
        kept.append(field)
    if kept:
        record_audit(AuditAction.CREATE, actor=actor, target=intake, inmate_id=intake.inmate_id,
                     facility_id=intake.facility_id,
                     reason=_("Fichiers gardés en attente de l'étape d'administration"), changes={"champs": kept})
    return kept


def kept_for(intake) -> dict:
    """{field: KeptUpload} of this intake."""
    return {k.field: k for k in KeptUpload.objects.filter(intake=intake)}


def with_kept(intake, files) -> dict:
    """The step's files: those just chosen, and for each field left empty its kept file."""
    merged = dict(files.items())
    for field, kept in kept_for(intake).items():
        if not merged.get(field):
            handle = kept.file.open("rb")
            merged[field] = File(handle, name=kept.original_name)
    return merged


def discard(intake) -> None:
    """After the step: the kept files go (their content now belongs to the step's records)."""
    for kept in KeptUpload.objects.filter(intake=intake):
        name, storage = kept.file.name, kept.file.storage
        kept.delete()
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))
