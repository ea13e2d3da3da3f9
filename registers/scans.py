"""Scanned pages of the paper registers: uploaded with an import job (a JPEG, PNG or PDF per page, named
by its volume and page, e.g. « 12-034.jpg », « vol12_p34.pdf », or mapped by hand for a single file),
kept in private storage with their SHA-256, and read only by the staff of that prison through an
audited read, beside the record on the verification page."""

import hashlib
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit

from .models import ImportedRecord, ImportJob, JobStatus, RegisterScan

MAX_SCAN_BYTES = 10 * 1024 * 1024
MAX_SCANS = 200
# The file's first bytes, never its name, decide what it is.
KINDS = ((b"\xff\xd8\xff", "image/jpeg", ".jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
         (b"%PDF-", "application/pdf", ".pdf"))
NAME = re.compile(r"^\s*(?:vol(?:ume)?\.?[\s_-]*)?(?P<volume>[A-Za-z0-9]+?)[\s_.-]+(?:p(?:age)?\.?[\s_-]*)?"
                  r"(?P<page>\d{1,5})\s*\.(?:jpe?g|png|pdf)\s*$", re.IGNORECASE)


def page_of_name(name: str):
    """(volume, page) read from a file name, or None."""
    found = NAME.match(name.rsplit("/", 1)[-1])
    return (found["volume"], int(found["page"])) if found else None


def _kind(content: bytes):
    for magic, content_type, extension in KINDS:
        if content.startswith(magic):
            return content_type, extension
    return None


@transaction.atomic
def upload_register_scans(job: ImportJob, *, files, actor, volume: str = "", page: int | None = None):
    """Keep the scanned pages `files` ((name, content) pairs) of the job's register, each found by its
    volume and page (from its name, or `volume` / `page` for a single file). A page scanned again in the
    same job replaces the earlier scan (kept in storage; audited with both fingerprints). All or nothing:
    a file that is not a page (its type, its size, its name) refuses the upload, with its name."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    ids = actor.visible_facility_ids()
    if ids is None or job.facility_id not in ids:
        raise PermissionDenied(_("Seul le personnel de cet établissement dépose les pages de son registre."))
    if job.status == JobStatus.CANCELLED:
        raise ValidationError(_("Cet import est annulé."))
    if not files:
        raise ValidationError({"files": _("Choisissez au moins une page scannée.")})
    if len(files) > MAX_SCANS:
        raise ValidationError({"files": _("Au plus %(n)s pages par dépôt.") % {"n": MAX_SCANS}})
    if (volume or page) and len(files) != 1:
        raise ValidationError({"page": _("Le volume et la page se donnent pour un seul fichier à la fois.")})
    if bool(volume) != bool(page):
        raise ValidationError({"page": _("Indiquez le volume et la page, ou aucun des deux.")})
    errors, pages = [], []
    for name, content in files:
        kind = _kind(content)
        where = (volume.strip(), int(page)) if volume else page_of_name(name)
        if not content or len(content) > MAX_SCAN_BYTES:
            errors.append(_("« %(f)s » : vide ou plus de 10 Mo.") % {"f": name})
        elif kind is None:
            errors.append(_("« %(f)s » n'est ni une image JPEG ou PNG, ni un PDF.") % {"f": name})
        elif where is None or where[1] < 1:
            errors.append(_("« %(f)s » : volume et page introuvables dans le nom (exemple : 12-034.jpg).")
                          % {"f": name})
        else:
            pages.append((name, content, kind, where))
    if errors:
        raise ValidationError({"files": errors})
    kept = []
    for name, content, (content_type, extension), (vol, number) in pages:
        digest = hashlib.sha256(content).hexdigest()
        scan = RegisterScan.objects.filter(job=job, register_volume__iexact=vol, register_page=number).first()
        old = scan.sha256 if scan else None
        scan = scan or RegisterScan(job=job, facility_id=job.facility_id, register_volume=vol, register_page=number)
        scan.file.save(f"{digest[:16]}{extension}", ContentFile(content), save=False)
        scan.file_name, scan.content_type, scan.sha256, scan.uploaded_by = name[:200], content_type, digest, actor
        scan.full_clean(exclude=["job", "facility", "uploaded_by"])
        scan.save()
        record_audit(AuditAction.UPDATE if old else AuditAction.CREATE, actor=actor, target=scan,
                     facility_id=job.facility_id,
                     changes={"fichier": scan.file_name, "sha256": [old, digest] if old else digest, "import": job.pk})
        kept.append(scan)
    return kept


def scan_of(record: ImportedRecord):
    """The latest scan of the record's register page (any job of its prison), or None."""
    return RegisterScan.objects.of_page(record.facility_id, record.register_volume, record.register_page).first()


def open_record_scan(record: ImportedRecord, *, actor) -> RegisterScan:
    """The scanned page of a record the actor has opened (registers.reads.open_imported_record), served only
    to the staff of its prison (404 otherwise, as for another prison's record), with a VIEW entry naming
    the person whose line it is."""
    scan = scan_of(record)
    if scan is None or not RegisterScan.objects.served_to(actor).filter(pk=scan.pk).exists():
        raise Http404(_("Aucune page scannée pour cette ligne du registre."))
    record_audit(AuditAction.VIEW, actor=actor, target=scan, inmate_id=record.inmate_id,
                 facility_id=scan.facility_id, reason=_("Page scannée du registre, pour la ligne %(l)s")
                 % {"l": record.register_line})
    return scan
