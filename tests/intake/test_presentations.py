"""A person brought without a valid title (issue 16 §4; Mandela Rule 7; ICPPED art. 17): the
presentation is recorded, then refused (handed back) or held by the director's decision —
counted in the roll, a critical alert at once to the director and DNAPES, a letter to the
prosecutor, a register per prison — until a title arrives (the arrival steps follow) or the
person is released. Through the services, the pages and the API; scoping and roles attacked."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from casework.deadlines.sweep import sweep
from casework.models import AlertCloseReason, AlertKind, DeadlineAlert
from inmates.models import CustodyStatus
from intake import presentations
from intake import services as intake_services
from intake.models import IntakeStatus, Presentation, PresentationOutcome, Step
from oversight.reports import roll
from tests import factories

from .conftest import step_data

pytestmark = pytest.mark.django_db


def presentation_fields(**overrides):
    return {"presented_at": timezone.now() - datetime.timedelta(hours=2), "escort_force": "gendarmerie",
            "escort_unit": "Brigade de Kati", "escort_names": "Maréchal des logis Keïta (mle 4521)",
            "last_name": "Dembélé", "first_name": "Oumar", "sex": "M", "birth_year": 1990,
            "declared": "Arrêté à Kati hier soir, dit ne pas savoir pourquoi.", "missing": "none",
            "missing_details": "Aucun mandat ni réquisition : l'escorte dit que le parquet l'enverra.",
            **overrides}


def title_data(**overrides):
    from casework.models import Court
    from prisons.models import Region

    return {"warrant_number": "MD-77/2026", "warrant_kind": "committal", "issued_by": "Parquet de Kati",
            "issued_on": timezone.localdate(), "court": Court.objects.get(code="TGI-C3"),
            "charges": [{"offence": "Vol", "legal_class": "delit", "terrorism_related": False,
                         "max_penalty_months": 24}],
            "arresting_force": "gendarmerie", "arrested_at": timezone.now() - datetime.timedelta(days=1),
            "arrest_place": "Kati", "region_of_origin": Region.objects.get(code="KLK"), **overrides}


@pytest.fixture
def presentation(bamako, clerk):
    return presentations.record_presentation(facility=bamako, actor=clerk, **presentation_fields())


@pytest.fixture
def held(presentation, director, cell):
    return presentations.hold_pending_regularisation(presentation, actor=director, unit=cell, override_reason="",
                                                     reason="Escorte repartie sans la personne.")


def test_a_presentation_is_recorded_with_what_is_known_and_audited(presentation, clerk):
    assert presentation.outcome == PresentationOutcome.PENDING and presentation.custody is None
    entry = AuditEntry.objects.filter(action=AuditAction.CREATE, target_type__model="presentation").get()
    assert entry.actor == clerk and entry.facility_id == presentation.facility_id


def test_missing_information_is_refused_in_french_and_nothing_is_written(bamako, clerk):
    with pytest.raises(ValidationError) as error:
        presentations.record_presentation(facility=bamako, actor=clerk, **presentation_fields(
            escort_unit="", missing_details=""))
    assert {"escort_unit", "missing_details"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        presentations.record_presentation(facility=bamako, actor=clerk, **presentation_fields(
            presented_at=timezone.now() + datetime.timedelta(hours=3)))
    assert "futur" in str(error.value)
    assert not Presentation.objects.exists()


def test_refusal_hands_the_person_back_and_opens_no_stay(presentation, clerk):
    with pytest.raises(ValidationError) as error:
        presentations.refuse_presentation(presentation, actor=clerk, handed_to="", reason="")
    assert set(error.value.message_dict) == {"handed_to", "reason"}
    refused = presentations.refuse_presentation(presentation, actor=clerk, handed_to="MDL Keïta",
                                                reason="Aucun titre : remis à l'escorte.")
    assert refused.outcome == PresentationOutcome.REFUSED and refused.custody is None
    with pytest.raises(ValidationError, match="déjà reçu une suite"):
        presentations.refuse_presentation(refused, actor=clerk, handed_to="X", reason="Encore")


def test_only_the_director_decides_to_hold(presentation, clerk, bamako, cell):
    security = factories.staff(Role.SECURITY, bamako, username="sec.bko")
    for user in (clerk, security):
        with pytest.raises(PermissionDenied):
            presentations.hold_pending_regularisation(presentation, actor=user, reason="Pourquoi pas", unit=cell)
    superuser = factories.staff(Role.CLERK, bamako, username="root.bko", is_superuser=True)
    with pytest.raises(PermissionDenied):  # a superuser is not exempt: the role decides
        presentations.hold_pending_regularisation(presentation, actor=superuser, reason="Pourquoi pas")
    presentation.refresh_from_db()
    assert presentation.outcome == PresentationOutcome.PENDING


def test_holding_opens_a_counted_stay_a_critical_alert_and_tells_the_direction_and_dnapes(
        presentation, director, manager, cell, bamako, clerk, django_capture_on_commit_callbacks):
    director.email, manager.email, clerk.email = "dir@bko.ml", "dnapes@justice.ml", "greffe@bko.ml"
    for user in (director, manager, clerk):
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        held = presentations.hold_pending_regularisation(presentation, actor=director, unit=cell,
                                                         reason="Personne blessée, escorte repartie.")
    custody = held.custody
    assert held.outcome == PresentationOutcome.HELD and custody.facility == bamako
    assert custody.status == CustodyStatus.INTAKE  # counts in the roll (HELD_STATUSES)
    day = roll(bamako)
    assert custody.pk in {p["custody_id"] for u in day["units"] for p in u["people"]}
    before = day["count"]
    assert before >= 1
    alert = DeadlineAlert.objects.get(custody=custody, kind=AlertKind.NO_TITLE)
    assert alert.is_open and alert.case is None
    assert len(mail.outbox) == 1 and set(mail.outbox[0].to) == {"dir@bko.ml", "dnapes@justice.ml"}
    assert "Dembélé" not in mail.outbox[0].body  # the e-mail names no one
    sweep()  # the nightly sweep adds no "no detention order" alert beside it, nor closes it
    assert not DeadlineAlert.objects.filter(custody=custody, kind=AlertKind.NO_ORDER).exists()
    assert DeadlineAlert.objects.get(pk=alert.pk).is_open


def test_a_woman_cannot_be_held_in_a_mens_prison_and_nothing_is_written(bamako, clerk, director, cell):
    woman = presentations.record_presentation(facility=bamako, actor=clerk, **presentation_fields(
        last_name="Traoré", first_name="Awa", sex="F"))
    with pytest.raises(ValidationError, match="n'accueille pas de femmes"):
        presentations.hold_pending_regularisation(woman, actor=director, reason="Nuit tombée", unit=cell)
    woman.refresh_from_db()
    assert woman.outcome == PresentationOutcome.PENDING and woman.custody is None


def test_regularisation_checks_the_title_then_the_five_steps_admit_the_person(
        held, clerk, staff_by_step, cell):
    with pytest.raises(ValidationError) as error:
        presentations.regularise(held, actor=clerk, title=title_data(warrant_number="", charges=[]))
    assert {"warrant_number", "charges"} <= set(error.value.message_dict)
    held.refresh_from_db()
    assert held.outcome == PresentationOutcome.HELD and not held.custody.cases.exists()
    done = presentations.regularise(held, actor=clerk, title=title_data())
    assert done.outcome == PresentationOutcome.REGULARISED and done.intake is not None
    alert = DeadlineAlert.objects.get(custody=done.custody, kind=AlertKind.NO_TITLE)
    assert alert.close_reason == AlertCloseReason.ORDER
    intake = done.intake
    for step in Step:
        intake = intake_services.complete_step(intake, step, data=step_data(step, cell), actor=staff_by_step[step])
    assert intake.status == IntakeStatus.COMPLETED
    done.custody.refresh_from_db()
    assert done.custody.status == CustodyStatus.HELD


def test_release_when_no_title_comes_ends_the_stay_and_the_alert(held, director, clerk):
    with pytest.raises(PermissionDenied):
        presentations.release_unregularised(held, actor=clerk, authority="Parquet", reason="Rien reçu")
    released = presentations.release_unregularised(held, actor=director, authority="Parquet de Kati",
                                                   reason="Aucun titre produit sous 48 heures.")
    assert released.outcome == PresentationOutcome.RELEASED
    released.custody.refresh_from_db()
    assert released.custody.status == CustodyStatus.RELEASED
    assert DeadlineAlert.objects.get(custody=released.custody, kind=AlertKind.NO_TITLE).close_reason == "release"


# --- pages ----------------------------------------------------------------------------------

def test_the_pages_record_decide_and_print_the_letter(client, bamako, clerk, director, cell):
    client.force_login(clerk)
    fields = presentation_fields()
    form = {**fields, "facility": bamako.pk, "presented_at": fields["presented_at"].strftime("%Y-%m-%dT%H:%M")}
    response = client.post(reverse("intake:presentation_new"), form)
    assert response.status_code == 302
    p = Presentation.objects.get()
    page = client.get(reverse("intake:presentation_detail", args=[p.pk]))
    assert page.status_code == 200 and "Remettre la personne" in page.content.decode()
    assert "Retenir en attente" not in page.content.decode()  # not the clerk's decision
    denied = client.post(reverse("intake:presentation_decide", args=[p.pk, "hold"]), {"hold-reason": "Nuit"})
    assert denied.status_code == 403
    assert Presentation.objects.get().outcome == PresentationOutcome.PENDING
    client.force_login(director)
    bad = client.post(reverse("intake:presentation_decide", args=[p.pk, "hold"]), {"hold-reason": ""})
    assert bad.status_code == 400 and "Indiquez le motif" in bad.content.decode()
    ok = client.post(reverse("intake:presentation_decide", args=[p.pk, "hold"]),
                     {"hold-reason": "Escorte repartie.", "hold-unit": cell.pk})
    assert ok.status_code == 302
    assert Presentation.objects.get().outcome == PresentationOutcome.HELD
    register = client.get(reverse("intake:presentation_list")).content.decode()
    assert "DEMBÉLÉ" in register and "1 personne retenue sans titre valable" in register
    letter = client.get(reverse("intake:presentation_letter", args=[p.pk]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert Presentation.objects.get().letter_printed_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, target_type__model="presentation").exists()
    file_page = client.get(reverse("inmates:inmate_detail", args=[Presentation.objects.get().inmate_id]))
    assert file_page.status_code == 200


def test_another_prison_sees_nothing_by_any_door(client, presentation, other_clerk, koulikoro, bamako):
    client.force_login(other_clerk)
    assert client.get(reverse("intake:presentation_detail", args=[presentation.pk])).status_code == 404
    assert client.get(reverse("intake:presentation_letter", args=[presentation.pk])).status_code == 404
    assert "Dembélé" not in client.get(reverse("intake:presentation_list")).content.decode()
    assert client.post(reverse("intake:presentation_decide", args=[presentation.pk, "refuse"]),
                       {"refuse-handed_to": "X", "refuse-reason": "Y"}).status_code == 404
    with pytest.raises(PermissionDenied):
        presentations.record_presentation(facility=bamako, actor=other_clerk, **presentation_fields())
    api = _api(client, other_clerk)
    assert api.get(f"/api/v1/presentations/{presentation.pk}/").status_code == 404
    assert api.get("/api/v1/presentations/").json()["count"] == 0
    assert api.post(f"/api/v1/presentations/{presentation.pk}/refuse/",
                    {"handed_to": "X", "reason": "Y"}, format="json").status_code == 404
    presentation.refresh_from_db()
    assert presentation.outcome == PresentationOutcome.PENDING


# --- API ------------------------------------------------------------------------------------

def _api(client, user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_records_decides_and_its_reads_are_audited(client, bamako, clerk, director, cell):
    api = _api(client, clerk)
    body = {**presentation_fields(), "facility": "BKO"}
    body["presented_at"] = body["presented_at"].isoformat()
    created = api.post("/api/v1/presentations/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.post(f"/api/v1/presentations/{pk}/hold/", {"reason": "x"}, format="json").status_code == 403
    missing = api.post("/api/v1/presentations/", {"facility": "BKO"}, format="json")
    assert missing.status_code == 400
    before = AuditEntry.objects.filter(action=AuditAction.VIEW, target_type__model="presentation").count()
    assert api.get(f"/api/v1/presentations/{pk}/").status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, target_type__model="presentation").count() == before + 1
    boss = _api(client, director)
    held = boss.post(f"/api/v1/presentations/{pk}/hold/", {"reason": "Escorte repartie.", "unit": cell.pk},
                     format="json")
    assert held.status_code == 200 and held.json()["outcome"] == "held"
    assert held.json()["legal_status"] == "suspect"
    again = boss.post(f"/api/v1/presentations/{pk}/hold/", {"reason": "Encore"}, format="json")
    assert again.status_code == 400  # a replayed decision changes nothing
    assert Presentation.objects.get(pk=pk).custody.inmate.custodies.count() == 1
    title = title_data()
    title.update(court="TGI-C3", region_of_origin="KLK", issued_on=title["issued_on"].isoformat(),
                 arrested_at=title["arrested_at"].isoformat())
    regularised = api.post(f"/api/v1/presentations/{pk}/regularise/", title, format="json")
    assert regularised.status_code == 200, regularised.content
    assert regularised.json()["outcome"] == "regularised" and regularised.json()["intake"]
