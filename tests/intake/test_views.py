import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from inmates.models import CustodyStatus, Inmate
from intake import services
from intake.models import Finger, Intake, Step, StepRecord
from tests import factories

from .conftest import pdf, png, warrant_data

pytestmark = pytest.mark.django_db

# The briefing of the security step (Rules 54–55, 111), as the page posts it.
BRIEFING_POST = {"can_read": "false", "acknowledgement": "thumbprint", "charges_communicated": "on",
                 "charges_communicated_at": "2026-01-05T10:00", "charges_communicated_by": "Greffier Traoré"}


def login(client, user):
    client.force_login(user)
    return client


def arrival_post(**overrides):
    now = timezone.localtime()
    data = {
        "facility": "", "last_name": "Keïta", "first_name": "Boubacar", "sex": "M", "birth_year": "1979",
        "region_of_origin": "", "warrant_number": "MD-55/2026", "warrant_kind": "committal",
        "issued_by": "Juge d'instruction, 3e cabinet", "issued_on": timezone.localdate().isoformat(),
        "court": "", "arresting_force": "police",
        "arrested_at": (now - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "arrest_place": "Bamako, Commune III",
        "charges-TOTAL_FORMS": "2", "charges-INITIAL_FORMS": "0",
        "charges-0-offence": "Vol qualifié", "charges-0-legal_class": "crime",
        "priors-TOTAL_FORMS": "2", "priors-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.fixture
def refs(bamako):
    from casework.models import Court
    from prisons.models import Region

    return {"facility": str(bamako.pk), "region_of_origin": str(Region.objects.get(code="BKO").pk),
            "court": str(Court.objects.get(code="TGI-C3").pk)}


def test_arrival_page_shows_matches_then_registers_with_the_clerks_choice(client, clerk, bamako, refs):
    factories.detainee(bamako, actor=clerk, last_name="KEITA", first_name="Boubakar", birth_year=1979,
                       held=False)
    login(client, clerk)
    assert client.get(reverse("intake:arrival_new")).status_code == 200
    response = client.post(reverse("intake:arrival_new"), arrival_post(action="matches", **refs))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Boubakar KEITA" in page and "Nouvelle personne" in page
    assert not Intake.objects.exists()
    response = client.post(reverse("intake:arrival_new"),
                           arrival_post(action="register", identity_choice="new", **refs))
    intake = Intake.objects.get()
    assert response.status_code == 302 and response.url == reverse("intake:intake_detail", args=[intake.pk])
    assert intake.identity_decision == "new" and intake.candidates_shown


def test_arrival_page_says_what_is_missing_and_keeps_what_was_typed(client, clerk, refs):
    login(client, clerk)
    response = client.post(reverse("intake:arrival_new"), arrival_post(
        action="register", identity_choice="new", warrant_number="", **refs))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Manque au titre de détention : le numéro du titre de détention." in page
    assert 'value="Keïta"' in page and "Vol qualifié" in page
    assert not Inmate.objects.filter(last_name="Keïta").exists()


def test_arrival_form_marks_required_fields_and_lists_every_error_at_the_top_linked(client, clerk, refs):
    """Issue 11, item 3: the fields the title must show are marked; the errors are listed at the
    top, each a link to its field; "search matches" on an empty form says what to type."""
    login(client, clerk)
    page = client.get(reverse("intake:arrival_new")).content.decode()
    for name in ("last_name", "warrant_number", "arrested_at", "facility"):
        assert f'name="{name}"' in page and re.search(rf'<[^>]*name="{name}"[^>]*required', page), name
    assert 'name="father_name"' in page and not re.search(r'<[^>]*name="father_name"[^>]*required', page)
    response = client.post(reverse("intake:arrival_new"), arrival_post(
        action="register", identity_choice="new", warrant_number="", arrest_place="", **refs))
    page = html.unescape(response.content.decode())
    summary = page[page.index('id="error-summary"'):page.index("La personne</h2>")]
    assert '<a href="#id_warrant_number">' in summary and '<a href="#id_arrest_place">' in summary
    assert "Manque au titre de détention : le numéro du titre de détention." in summary
    empty = client.post(reverse("intake:arrival_new"), {"action": "matches", "charges-TOTAL_FORMS": "0",
                                                        "charges-INITIAL_FORMS": "0", "priors-TOTAL_FORMS": "0",
                                                        "priors-INITIAL_FORMS": "0"})
    page = html.unescape(empty.content.decode())
    assert empty.status_code == 200 and 'id="matches-hint"' in page and "tapez au moins le nom" in page
    assert not Intake.objects.exists()


def test_step_pages_walk_the_whole_intake(client, clerk, bamako, cell, staff_by_step):
    intake = services.register_arrival(warrant_data(), facility=bamako, actor=clerk)
    url = lambda slug: reverse("intake:step_form", args=[intake.pk, slug])  # noqa: E731
    posts = {
        "security": {"rules_explained": "on", "rules_language": "bambara", "rules_mode": "oral",
                     "search_done": "on", "unit": str(cell.pk), **BRIEFING_POST},
        "administration": {"identity_confirmed": "on", "photo": png(), "warrant_scan": pdf(),
                           "relatives-TOTAL_FORMS": "1", "relatives-INITIAL_FORMS": "0",
                           "relatives-0-name": "Awa Coulibaly", "relatives-0-relation": "spouse",
                           "relatives-0-is_next_of_kin": "on",
                           **{f"fingerprint_{f.value}": png(f"{f.value}.png") for f in Finger}},
        "registry": {"items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
                     "items-0-category": "phone", "items-0-description": "Itel", "items-0-quantity": "1",
                     "items-0-currency": "XOF", "seal_number": "S-1", "storage_place": "Casier 1",
                     "acknowledgement": "signature"},
        "medical": {"fit": "yes", "contagious_screening": "RAS"},
        "interview": {"background": "Commerçant", "family_situation": "Marié",
                      "conclusions": "RAS", "needs": ["lawyer"]},
    }
    counts = {}
    for step in Step:
        slug = step.name.lower()
        user = staff_by_step[step]
        client.force_login(user)
        assert client.get(url(slug)).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url(slug), posts[slug])
        counts[slug] = len(queries)
        assert response.status_code == 302, (slug, html.unescape(response.content.decode())[:3000])
    print("\nQueries per step (pages):", counts)
    intake.refresh_from_db()
    assert intake.is_completed and intake.custody.status == CustodyStatus.HELD


def test_out_of_order_page_explains_and_writes_nothing(client, clerk, arrival):
    login(client, clerk)
    response = client.get(reverse("intake:step_form", args=[arrival.pk, "registry"]))
    assert response.status_code == 409
    assert "l'étape « Sécurité » doit d'abord être effectuée" in html.unescape(response.content.decode())
    response = client.post(reverse("intake:step_form", args=[arrival.pk, "registry"]), {})
    assert response.status_code == 409 and not StepRecord.objects.exists()


def test_wrong_role_page_is_403_and_other_prison_is_404(client, clerk, arrival, other_clerk):
    login(client, clerk)
    assert client.get(reverse("intake:step_form", args=[arrival.pk, "security"])).status_code == 403
    login(client, other_clerk)
    assert client.get(reverse("intake:intake_detail", args=[arrival.pk])).status_code == 404


def test_medical_details_hidden_from_non_medical_roles(client, arrival, run_steps, doctor, director):
    intake = run_steps(arrival, Step.MEDICAL)
    login(client, director)
    for name in ("intake:intake_detail", "intake:intake_sheet"):
        page = html.unescape(client.get(reverse(name, args=[intake.pk])).content.decode())
        assert "Contrôle médical effectué : apte" in page
        assert "tuberculose" not in page and "medical-details" not in page
    login(client, doctor)
    page = html.unescape(client.get(reverse("intake:intake_detail", args=[intake.pk])).content.decode())
    assert "Pas de signe de tuberculose" in page
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_MEDICAL, actor=doctor).exists()


def test_intake_list_highlights_stalled_intakes(client, clerk, arrival, settings):
    settings.INTAKE_STALL_HOURS = 48
    login(client, clerk)
    page = html.unescape(client.get(reverse("intake:intake_list")).content.decode())
    assert "bloqué" not in page and "COULIBALY Moussa" in page
    Intake.objects.filter(pk=arrival.pk).update(last_activity_at=timezone.now() - datetime.timedelta(hours=50))
    page = html.unescape(client.get(reverse("intake:intake_list")).content.decode())
    assert 'class="row-over stalled"' in page and "1 écrou bloqué depuis plus de 48 heures" in page


def test_receipt_pdf_sheet_and_social_report(client, clerk, arrival, run_steps, social_worker):
    intake = run_steps(arrival, Step.INTERVIEW)
    login(client, clerk)
    response = client.get(reverse("intake:registry_receipt", args=[intake.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(reverse("intake:intake_sheet", args=[intake.pk])).status_code == 200
    assert client.get(reverse("intake:social_report", args=[intake.pk])).status_code == 403
    login(client, social_worker)
    page = html.unescape(client.get(reverse("intake:social_report", args=[intake.pk])).content.decode())
    assert "Rapport d'enquête sociale" in page
    assert "Berger, puis commerçant" in page


def test_uploaded_files_only_through_the_audited_view(client, clerk, arrival, run_steps, other_clerk):
    intake = run_steps(arrival, Step.ADMINISTRATION)
    login(client, clerk)
    response = client.get(reverse("intake:intake_file", args=[intake.pk, "photo"]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert AuditEntry.objects.filter(actor=clerk, changes__file=[None, "photo"]).exists()
    login(client, other_clerk)
    assert client.get(reverse("intake:intake_file", args=[intake.pk, "photo"])).status_code == 404


def test_a_woman_and_a_boy_of_fourteen_are_refused_at_a_prison_for_adult_men(client, clerk, bamako, refs):
    """Issue 16 §4: Bamako Central holds adult men; nothing is created, the page says why in French."""
    login(client, clerk)
    for person in ({"sex": "F", "first_name": "Awa"}, {"birth_year": str(timezone.localdate().year - 14)}):
        response = client.post(reverse("intake:arrival_new"), arrival_post(
            action="register", identity_choice="new", **refs, **person))
        page = html.unescape(response.content.decode())
        assert response.status_code == 200
        assert "n'accueille pas de femmes" in page or "n'accueille pas de mineurs" in page
        assert "Règle Nelson Mandela 11" in page
    assert not Intake.objects.exists() and not Inmate.objects.filter(last_name="Keïta").exists()
    factories.UnitFactory(facility=bamako, code="F1", name="Quartier des femmes", category="women")
    response = client.post(reverse("intake:arrival_new"), arrival_post(
        action="register", identity_choice="new", sex="F", first_name="Awa", **refs))
    assert response.status_code == 302
    assert Intake.objects.get().inmate.sex == "F"


def test_receipt_prints_fcfa_whole_and_amounts_grouped(client, clerk, arrival, run_steps):
    import io

    from pypdf import PdfReader

    from intake.models import PropertyItem

    intake = run_steps(arrival, Step.REGISTRY)
    PropertyItem.objects.filter(registry__intake=intake, category="cash").update(currency="FCF")
    login(client, clerk)
    response = client.get(reverse("intake:registry_receipt", args=[intake.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\u00a0", " ")
    assert "12 500 FCFA" in text and "FCF " not in text.replace("FCFA", "")
    sheet = html.unescape(client.get(reverse("intake:intake_sheet", args=[intake.pk])).content.decode())
    assert "12\u00a0500\u00a0FCFA" in sheet


def test_administration_keeps_accepted_uploads_until_the_step_completes(client, clerk, bamako, cell,
                                                                        security_officer, other_clerk):
    """Issue 11, item 3: a refused attempt (identity not confirmed) keeps the photo, the warrant scan
    and the fingerprints; the next attempt without choosing them again completes the step; a
    refused file is not kept; the kept files go once the step is done; another prison's clerk
    cannot post to it."""
    from intake.models import Fingerprint, KeptUpload

    intake = services.register_arrival(warrant_data(), facility=bamako, actor=clerk)
    client.force_login(security_officer)
    client.post(reverse("intake:step_form", args=[intake.pk, "security"]), {
        "rules_explained": "on", "rules_language": "bambara", "rules_mode": "oral", "search_done": "on",
        "unit": str(cell.pk), **BRIEFING_POST})
    url = reverse("intake:step_form", args=[intake.pk, "administration"])
    relatives = {"relatives-TOTAL_FORMS": "1", "relatives-INITIAL_FORMS": "0", "relatives-0-name": "Awa Coulibaly",
                 "relatives-0-relation": "spouse", "relatives-0-is_next_of_kin": "on"}
    fingers = {f"fingerprint_{f.value}": png(f"{f.value}.png") for f in Finger}
    fingers["fingerprint_l_little"] = pdf("pas-une-image.pdf")  # refused: not kept
    client.force_login(clerk)
    refused = client.post(url, {"photo": png(), "warrant_scan": pdf(), **relatives, **fingers})
    assert refused.status_code == 200
    kept = set(KeptUpload.objects.filter(intake=intake).values_list("field", flat=True))
    assert {"photo", "warrant_scan", "fingerprint_r_thumb"} <= kept and "fingerprint_l_little" not in kept
    assert len(kept) == 11
    page = html.unescape(refused.content.decode())
    assert 'id="kept-uploads"' in page and "photo.png" in page
    client.force_login(other_clerk)
    assert client.post(url, {"identity_confirmed": "on", **relatives}).status_code == 404
    client.force_login(clerk)
    done = client.post(url, {"identity_confirmed": "on", **relatives,
                             "fingerprint_l_little": png("l_little.png")})
    assert done.status_code == 302, html.unescape(done.content.decode())[:2000]
    intake.refresh_from_db()
    assert intake.administration.photo.name and intake.administration.warrant_scan.name
    assert Fingerprint.objects.filter(intake=intake).exclude(image="").count() == 10
    assert not KeptUpload.objects.filter(intake=intake).exists()


def test_typed_once_the_search_finds_go_to_the_inventory_and_an_exact_birth_date_is_shown(
        client, clerk, bamako, cell, security_officer):
    """Issue 11, items 3-4: the items found at the security search are carried into the property
    inventory's first row; an exact date of birth is shown as such, not as "born around"."""
    from .conftest import administration_data, security_data

    intake = services.register_arrival(warrant_data(date_of_birth=datetime.date(1993, 5, 4), birth_year=1993),
                                       facility=bamako, actor=clerk)
    services.complete_step(intake, Step.SECURITY, actor=security_officer, data=security_data(
        cell, prohibited_items_found=True, items_found="Couteau pliant, deux cartes SIM"))
    services.complete_step(intake, Step.ADMINISTRATION, actor=clerk, data=administration_data())
    client.force_login(clerk)
    page = html.unescape(client.get(reverse("intake:step_form", args=[intake.pk, "registry"])).content.decode())
    assert 'value="Couteau pliant, deux cartes SIM"' in page
    assert re.search(r'<option value="other" selected>', page)
    assert "né(e) le 04/05/1993" in page and "né(e) vers" not in page


def test_the_administration_step_offers_the_parents_typed_at_arrival(client, clerk, bamako, cell, security_officer):
    """Issue 11, item 3: data typed once is not asked again."""
    from .conftest import security_data

    intake = services.register_arrival(warrant_data(father_name="Amadou", mother_name="Fatoumata Traoré"),
                                       facility=bamako, actor=clerk)
    services.complete_step(intake, Step.SECURITY, actor=security_officer, data=security_data(cell))
    client.force_login(clerk)
    page = html.unescape(client.get(reverse("intake:step_form", args=[intake.pk, "administration"])).content.decode())
    assert re.search(r'name="father_name"[^>]*value="Amadou"|value="Amadou"[^>]*name="father_name"', page)
    assert 'value="Fatoumata Traoré"' in page
