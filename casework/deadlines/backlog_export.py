"""The backlog report's files (CSV, XLSX, PDF), built without a request: the page's direct
download and the background export job (oversight.export_jobs) both call `backlog_file`."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exports import sheet_title, write_csv
from accounts.models import AuditAction
from accounts.services import record_audit
from casework.deadlines.backlog import backlog, export_sections
from prisons.printing import print_stylesheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx", "pdf")


def backlog_file(*, actor, facility=None, facility_ids=None, fmt: str, base_url=None, progress=None):
    """(content, content type, file name) of the backlog of `facility` (or of `facility_ids`, None:
    every prison), its export recorded in the audit trail as `actor`'s. `progress(percent, step)`,
    when given, is told how far it has gone."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    tell = progress or (lambda percent, step: None)
    tell(10, _("Calcul des chiffres"))
    report = backlog(facility_ids=facility_ids)
    sections = export_sections(report)
    record_audit(AuditAction.EXPORT, actor=actor, target=facility,
                 reason=_("Export du bilan de la détention provisoire (%(fmt)s)") % {"fmt": fmt.upper()},
                 facility_id=facility.pk if facility else None)
    stem = f"bilan-detention-provisoire-{facility.code if facility else 'national'}-{report['day']:%Y-%m-%d}"
    tell(40, _("Mise en page du fichier"))
    if fmt == "csv":
        buffer = io.StringIO()
        for title, header, rows in sections:
            write_csv(buffer, [[title], header, *rows, []])
        return ("\ufeff" + buffer.getvalue()).encode(), "text/csv; charset=utf-8", f"{stem}.csv"
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        book.remove(book.active)
        for title, header, rows in sections:
            sheet = book.create_sheet(sheet_title(title, taken=book.sheetnames))
            sheet.append(header)
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in rows:
                sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue(), XLSX, f"{stem}.xlsx"
    from weasyprint import HTML

    html = render_to_string("casework/deadlines/backlog_pdf.html", {
        "report": report, "facility": facility, "sections": sections, "generated_at": timezone.localtime()})
    tell(60, _("Impression du PDF"))
    pdf = HTML(string=html, base_url=base_url).write_pdf(stylesheets=print_stylesheets("backlog"))
    return pdf, "application/pdf", f"{stem}.pdf"
