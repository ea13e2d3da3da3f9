import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from casework.models import Court
from intake import services
from intake.models import Finger, Step
from prisons.models import Region


def png(name="photo.png", size=(40, 50), color=(120, 90, 60)):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def pdf_bytes() -> bytes:
    """A real one-page PDF (a warrant scan must parse: intake.services.validate_upload)."""
    from pypdf import PdfWriter

    writer, buf = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buf)
    return buf.getvalue()


def pdf(name="mandat.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def warrant_data(**overrides):
    now = timezone.now()
    data = {
        "identity_decision": "new",
        "last_name": "Coulibaly", "first_name": "Moussa", "sex": "M", "birth_year": 1991,
        "region_of_origin": Region.objects.get(code="MOP"),
        "warrant_number": "MD-118/2026", "warrant_kind": "committal",
        "issued_by": "M. Sangaré, juge d'instruction, pôle spécialisé",
        "issued_on": timezone.localdate() - datetime.timedelta(days=1),
        "court": Court.objects.get(code="TGI-C3"), "case_number": "RI-118/2026",
        "charges": [{"offence": "Vol qualifié", "legal_class": "crime", "terrorism_related": False,
                     "max_penalty_months": 120}],
        "arresting_force": "gendarmerie", "arrested_at": now - datetime.timedelta(days=5),
        "arrest_place": "Mopti",
        "prior_custodies": [{"kind": "gendarmerie", "place": "Gendarmerie Camp I",
                             "started_at": now - datetime.timedelta(days=4),
                             "ended_at": now - datetime.timedelta(days=1)}],
    }
    data.update(overrides)
    return data


def security_data(unit, **overrides):
    return {"rules_explained": True, "rules_language": "bambara", "rules_mode": "oral",
            "can_read": False, "acknowledgement": "thumbprint", "charges_communicated": True,
            "charges_communicated_at": timezone.now() - datetime.timedelta(hours=1),
            "charges_communicated_by": "Adjudant-chef Diallo, greffe",
            "search_done": True, "prohibited_items_found": False, "unit": unit, **overrides}


def administration_data(**overrides):
    prints = {f.value: {"image": png(f"{f.value}.png")} for f in Finger}
    prints[Finger.L_LITTLE.value] = {"missing_reason": "Doigt amputé"}
    return {"identity_confirmed": True, "photo": png(), "warrant_scan": pdf(),
            "fingerprints": prints,
            "relatives": [{"name": "Awa Coulibaly", "relation": "spouse", "is_next_of_kin": True,
                           "is_emergency_contact": True, "phone": "+223 76 00 00 00"}],
            **overrides}


def registry_data(**overrides):
    return {"items": [
        {"category": "phone", "description": "Téléphone Tecno noir", "quantity": 1,
         "imei": "356938035643809"},
        {"category": "cash", "description": "Billets", "quantity": 1, "cash_amount": 12500},
    ], "seal_number": "SC-2026-0042", "storage_place": "Vestiaire, casier 12",
        "acknowledgement": "thumbprint", **overrides}


def medical_data(**overrides):
    return {"fit_for_detention": True, "contagious_screening": "Pas de signe de tuberculose",
            **overrides}


def interview_data(**overrides):
    return {"background": "Berger, puis commerçant à Mopti.", "family_situation": "Marié, 3 enfants.",
            "conclusions": "Besoin d'un avocat et de contact familial.",
            "needs": ["lawyer", "family_contact"], "education": "koranic", "marital_status": "married",
            "children_count": 3, **overrides}


@pytest.fixture
def arrival(bamako, clerk):
    return services.register_arrival(warrant_data(), facility=bamako, actor=clerk)


@pytest.fixture
def staff_by_step(clerk, security_officer, doctor, social_worker):
    return {Step.SECURITY: security_officer, Step.ADMINISTRATION: clerk, Step.REGISTRY: clerk,
            Step.MEDICAL: doctor, Step.INTERVIEW: social_worker}


def step_data(step, cell):
    return {Step.SECURITY: lambda: security_data(cell), Step.ADMINISTRATION: administration_data,
            Step.REGISTRY: registry_data, Step.MEDICAL: medical_data,
            Step.INTERVIEW: interview_data}[step]()


@pytest.fixture
def run_steps(staff_by_step, cell):
    def run(intake, upto):
        for step in Step:
            if step > upto:
                break
            intake = services.complete_step(intake, step, data=step_data(step, cell),
                                            actor=staff_by_step[step])
        return intake
    return run
