"""What every part of the walk's workflow shares: uploads, the forms' date formats, the base
of the steps (the staff, today, the reference ids)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ..vocabulary import model
from .people import DataSet

FINGERS = ("r_thumb", "r_index", "r_middle", "r_ring", "r_little",
           "l_thumb", "l_index", "l_middle", "l_ring", "l_little")


def png(name="photo.png", color=(120, 90, 60)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 50), color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="mandat.pdf"):
    """A real one-page PDF (a warrant scan must parse: intake.services.validate_upload)."""
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def local_minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def iso_day(day):
    return day.isoformat()



class Steps:
    """The base of the workflow's parts: each part adds the steps of one subject."""

    def __init__(self, data: DataSet):
        self.data = data
        self.s = data.staff
        self.now = timezone.now()
        self.today = timezone.localdate()
        region, court = model("Region"), model("Court")
        self.refs = {
            "region_bko": region.objects.get(code="BKO").pk, "region_mop": region.objects.get(code="MOP").pk,
            "court": court.objects.get(code="TGI-C3").pk, "court_terror": court.objects.get(code="PJS-C6").pk,
        }

    # --- intake ----------------------------------------------------------------------------
