import datetime
import threading

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from casework.models import Case
from inmates import services as inmate_services
from inmates.models import Custody, CustodyStatus, Inmate, Placement, Relative, SocialProfile
from intake import services
from intake.models import (
    Fingerprint,
    Intake,
    IntakeStatus,
    MedicalExamination,
    PropertyItem,
    Step,
    StepRecord,
)
from intake.services import StepOrderError, steps
from tests import factories

from .conftest import (
    administration_data,
    interview_data,
    medical_data,
    pdf,
    png,
    registry_data,
    security_data,
    warrant_data,
)

# Decided at collection, so that on SQLite these tests never set up (and flush) a database.
ON_POSTGRESQL = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="Concurrent writers and row locks need PostgreSQL (SQLite's test database refuses them).",
)


def test_register_arrival_opens_person_custody_case_warrant_and_intake(bamako, clerk):
    intake = services.register_arrival(warrant_data(), facility=bamako, actor=clerk)
    assert intake.status == IntakeStatus.IN_PROGRESS and intake.next_step == Step.SECURITY
    assert intake.custody.status == CustodyStatus.INTAKE
    assert intake.custody.prior_custodies.count() == 1
    assert intake.custody.committing_authority.startswith("M. Sangaré")
    assert intake.case.charges.count() == 1
    assert intake.warrant.reference == "MD-118/2026" and intake.warrant.kind == "committal"
    assert intake.identity_decision == "new"
    assert AuditEntry.objects.filter(target_id=str(intake.pk), action=AuditAction.CREATE).exists()


def test_no_valid_warrant_no_admission_lists_what_is_missing(bamako, clerk):
    data = warrant_data(warrant_number="", issued_by="", charges=[], birth_year=None)
    counts = (Inmate.objects.count(), Custody.objects.count(), Case.objects.count(),
              Intake.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as err:
        services.register_arrival(data, facility=bamako, actor=clerk)
    missing = err.value.message_dict
    assert set(missing) >= {"warrant_number", "issued_by", "charges", "birth_year"}
    assert "Manque au titre de détention" in missing["warrant_number"][0]
    assert counts == (Inmate.objects.count(), Custody.objects.count(), Case.objects.count(),
                      Intake.objects.count(), AuditEntry.objects.count())


def test_arrival_requires_an_identity_decision(bamako, clerk):
    with pytest.raises(ValidationError) as err:
        services.register_arrival(warrant_data(identity_decision=""), facility=bamako, actor=clerk)
    assert "identity_decision" in err.value.message_dict


def test_readmission_reuses_the_person_keeps_number_and_records_spelling(bamako, clerk, run_steps):
    first = services.register_arrival(warrant_data(), facility=bamako, actor=clerk)
    first = run_steps(first, Step.INTERVIEW)
    number = first.inmate.prisoner_number
    custody = first.custody
    custody.status, custody.released_at, custody.release_reason = "released", timezone.now(), "pardon"
    custody.save()
    again = services.register_arrival(
        warrant_data(identity_decision="readmission", inmate=first.inmate, first_name="Mousa",
                     warrant_number="MD-900/2026", case_number="RI-900/2026"),
        facility=bamako, actor=clerk)
    assert again.inmate_id == first.inmate_id and again.identity_decision == "readmission"
    assert Inmate.objects.count() == 1
    assert again.inmate.aliases.filter(name="Mousa Coulibaly").exists()
    again = run_steps(again, Step.ADMINISTRATION)
    again.inmate.refresh_from_db()
    assert again.inmate.prisoner_number == number
    assert again.administration.prisoner_number == number


def test_readmission_refused_while_a_stay_is_open(bamako, clerk, arrival):
    with pytest.raises(ValidationError):
        services.register_arrival(warrant_data(identity_decision="readmission", inmate=arrival.inmate),
                                  facility=bamako, actor=clerk)


def test_only_clerks_and_directors_register_arrivals_in_their_own_prison(bamako, koulikoro,
                                                                         security_officer, clerk):
    with pytest.raises(PermissionDenied):
        services.register_arrival(warrant_data(), facility=bamako, actor=security_officer)
    with pytest.raises(PermissionDenied):
        services.register_arrival(warrant_data(), facility=koulikoro, actor=clerk)


def test_the_five_steps_in_order_make_the_custody_held_and_place_the_person(arrival, run_steps, cell):
    intake = run_steps(arrival, Step.INTERVIEW)
    assert intake.status == IntakeStatus.COMPLETED and intake.completed_at
    assert list(intake.step_records.values_list("step", flat=True)) == [1, 2, 3, 4, 5]
    assert {r.completed_by.username for r in intake.step_records.all()} == {
        "securite.bko", "greffier.bko", "medecin.bko", "social.bko"}
    custody = Custody.objects.get(pk=intake.custody_pk) if hasattr(intake, "custody_pk") else \
        Custody.objects.get(pk=intake.custody_id)
    assert custody.status == CustodyStatus.HELD
    roll = Custody.objects.held().filter(placements__unit=cell, placements__ended_at__isnull=True)
    assert custody in roll


def test_intake_steps_cannot_be_skipped(arrival, clerk):
    before = AuditEntry.objects.count()
    with pytest.raises(StepOrderError, match="Sécurité"):
        services.complete_step(arrival, Step.ADMINISTRATION, data=administration_data(), actor=clerk)
    assert StepRecord.objects.count() == 0 and AuditEntry.objects.count() == before


def test_a_step_cannot_be_done_twice(arrival, security_officer, cell):
    services.complete_step(arrival, Step.SECURITY, data=security_data(cell), actor=security_officer)
    with pytest.raises(StepOrderError, match="déjà été effectuée"):
        services.complete_step(arrival, Step.SECURITY, data=security_data(cell), actor=security_officer)
    assert Placement.objects.filter(custody=arrival.custody).count() == 1


def test_each_step_is_done_by_its_own_role(arrival, clerk, doctor, cell):
    with pytest.raises(PermissionDenied):
        services.complete_step(arrival, Step.SECURITY, data=security_data(cell), actor=clerk)
    with pytest.raises(PermissionDenied):
        services.complete_step(arrival, Step.SECURITY, data=security_data(cell), actor=doctor)
    assert StepRecord.objects.count() == 0


def test_another_prisons_staff_cannot_touch_the_intake(arrival, koulikoro, cell):
    officer = factories.staff(Role.SECURITY, koulikoro)
    with pytest.raises(Http404):
        services.complete_step(arrival, Step.SECURITY, data=security_data(cell), actor=officer)
    with pytest.raises(Http404):
        services.open_intake(arrival.pk, actor=officer)


def test_security_requires_rules_explained_and_search(arrival, security_officer, cell):
    with pytest.raises(ValidationError) as err:
        services.complete_step(arrival, Step.SECURITY, actor=security_officer, data=security_data(
            cell, rules_explained=False, search_done=False, prohibited_items_found=True,
            rules_language=""))
    assert set(err.value.message_dict) == {"rules_explained", "search_done", "items_found",
                                           "rules_language"}
    assert "Règles 54–55" in err.value.message_dict["rules_explained"][0]
    assert StepRecord.objects.count() == 0 and not Placement.objects.exists()


def test_full_or_mixed_unit_needs_a_recorded_reason(bamako, clerk, arrival, security_officer):
    small = factories.UnitFactory(facility=bamako, code="S1", capacity=1)
    factories.detainee(bamako, actor=clerk, unit=small, convicted=True)
    with pytest.raises(ValidationError) as err:
        services.complete_step(arrival, Step.SECURITY, data=security_data(small), actor=security_officer)
    messages = " ".join(err.value.message_dict["override_reason"])
    assert "pleine" in messages and "prévenus et condamnés" in messages
    assert StepRecord.objects.count() == 0
    intake = services.complete_step(arrival, Step.SECURITY, actor=security_officer,
                                    data=security_data(small, override_reason="Seule cellule libre"))
    assert intake.security.placement.warning_override == "Seule cellule libre"


def test_unit_of_another_prison_is_refused(arrival, security_officer, koulikoro):
    elsewhere = factories.UnitFactory(facility=koulikoro)
    with pytest.raises(ValidationError) as err:
        services.complete_step(arrival, Step.SECURITY, data=security_data(elsewhere),
                               actor=security_officer)
    assert "unit" in err.value.message_dict


def test_administration_issues_a_readable_national_number_and_keeps_files(arrival, run_steps, bamako):
    intake = run_steps(arrival, Step.ADMINISTRATION)
    year = timezone.localdate().year
    assert intake.inmate.prisoner_number == f"BKO-{year}-00001"
    assert Fingerprint.objects.filter(intake=intake).exclude(image="").count() == 9
    assert Fingerprint.objects.get(intake=intake, finger="l_little").missing_reason == "Doigt amputé"
    assert intake.administration.warrant_scan.name.startswith("intake/warrants/")
    inmate = Inmate.objects.get(pk=intake.inmate_id)
    assert inmate.photo.name == intake.administration.photo.name
    assert Relative.objects.filter(inmate=inmate, is_next_of_kin=True).count() == 1


def test_numbers_follow_in_sequence_per_prison_and_year(bamako, clerk):
    a = factories.detainee(bamako, actor=clerk, held=False)
    b = factories.detainee(bamako, actor=clerk, held=False, last_name="KEITA")
    first = inmate_services.allocate_prisoner_number(a, facility=bamako, actor=clerk)
    second = inmate_services.allocate_prisoner_number(b, facility=bamako, actor=clerk)
    assert first.endswith("-00001") and second.endswith("-00002")
    assert inmate_services.allocate_prisoner_number(a, facility=bamako, actor=clerk) == first


def test_administration_refuses_missing_fingers_bad_files_and_no_contact(arrival, run_steps, clerk):
    run_steps(arrival, Step.SECURITY)
    data = administration_data(photo=pdf("photo.pdf"), warrant_scan=png(), relatives=[])
    data["fingerprints"]["r_thumb"] = {}
    with pytest.raises(ValidationError) as err:
        services.complete_step(arrival, Step.ADMINISTRATION, data=data, actor=clerk)
    errors = err.value.message_dict
    assert "JPEG ou PNG" in errors["photo"][0]
    assert "warrant_scan" not in errors  # an image of the warrant is accepted
    assert "Pouce droit" in errors["fingerprint_r_thumb"][0]
    assert "no_contact_reason" in errors
    inmate = Inmate.objects.get(pk=arrival.inmate_id)
    assert inmate.prisoner_number is None and not Fingerprint.objects.exists()


def test_uploads_over_the_size_limit_are_refused(arrival, run_steps, clerk, settings):
    settings.INTAKE_MAX_UPLOAD_MB = 0
    run_steps(arrival, Step.SECURITY)
    with pytest.raises(ValidationError) as err:
        services.complete_step(arrival, Step.ADMINISTRATION, data=administration_data(), actor=clerk)
    assert "trop volumineux" in err.value.message_dict["photo"][0]


def test_registry_inventory_rules(arrival, run_steps, clerk):
    run_steps(arrival, Step.ADMINISTRATION)
    bad = registry_data(seal_number="", acknowledgement="refused", items=[
        {"category": "cash", "description": "Billets"},
        {"category": "phone", "description": "Nokia", "imei": "123"}])
    with pytest.raises(ValidationError) as err:
        services.complete_step(arrival, Step.REGISTRY, data=bad, actor=clerk)
    errors = err.value.message_dict
    assert {"seal_number", "witness_name", "items"} <= set(errors)
    assert any("montant" in m for m in errors["items"]) and any("IMEI" in m for m in errors["items"])
    intake = services.complete_step(arrival, Step.REGISTRY, actor=clerk, data=registry_data(
        acknowledgement="refused", witness_name="Sgt. Diakité"))
    assert PropertyItem.objects.filter(registry__intake=intake).count() == 2
    assert intake.registry.witness_name == "Sgt. Diakité"


def test_registry_with_nothing_deposited_needs_no_seal(arrival, run_steps, clerk):
    run_steps(arrival, Step.ADMINISTRATION)
    intake = services.complete_step(arrival, Step.REGISTRY, actor=clerk, data={
        "items": [], "acknowledgement": "signature"})
    assert intake.last_step == Step.REGISTRY


def test_an_injury_or_allegation_requires_the_onward_report(arrival, run_steps, doctor):
    run_steps(arrival, Step.REGISTRY)
    with pytest.raises(ValidationError) as err:
        services.complete_step(arrival, Step.MEDICAL, actor=doctor, data=medical_data(
            visible_injuries=True, injuries_description="Hématome à l'épaule gauche",
            ill_treatment_alleged=True, allegation_by_whom="Agents lors de l'interrogatoire"))
    assert {"report_authority", "report_date"} <= set(err.value.message_dict)
    assert "Rules" not in str(err.value) and "signalée" in err.value.message_dict["report_authority"][0]
    assert not MedicalExamination.objects.exists()
    intake = services.complete_step(arrival, Step.MEDICAL, actor=doctor, data=medical_data(
        visible_injuries=True, injuries_description="Hématome à l'épaule gauche",
        ill_treatment_alleged=True, allegation_by_whom="Agents lors de l'interrogatoire",
        report_authority="Procureur de la République, TGI Commune III",
        report_date=timezone.localdate()))
    assert intake.medically_fit is True


def test_medical_details_only_for_medical_staff_and_audit_holds_none(arrival, run_steps, doctor,
                                                                    director, manager):
    intake = run_steps(arrival, Step.MEDICAL)
    for user in (director, manager):
        with pytest.raises(PermissionDenied):
            services.read_medical_examination(intake, actor=user)
    exam = services.read_medical_examination(intake, actor=doctor)
    assert exam.contagious_screening.startswith("Pas de signe")
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_MEDICAL, actor=doctor).count() == 1
    step_audit = AuditEntry.objects.filter(target_type__model="steprecord").order_by("-id").first()
    assert "tuberculose" not in str(step_audit.changes)


def test_interview_profile_fields_for_terrorism_cases(bamako, clerk, run_steps, social_worker):
    terror = warrant_data(court=factories.court("PJS-C6"), charges=[{
        "offence": "Association de malfaiteurs terroriste", "legal_class": "crime",
        "terrorism_related": True}])
    intake = services.register_arrival(terror, facility=bamako, actor=clerk)
    run_steps(intake, Step.MEDICAL)
    with pytest.raises(ValidationError) as err:
        services.complete_step(intake, Step.INTERVIEW, data=interview_data(), actor=social_worker)
    assert {"affiliations", "involvement"} <= set(err.value.message_dict)
    intake = services.complete_step(intake, Step.INTERVIEW, actor=social_worker, data=interview_data(
        affiliations=["mnla", "ansar_dine"], involvement="forced",
        engagement_reasons=["survival", "identity"], organisational_role="other",
        organisational_role_other="Chauffeur du groupe"))
    profile = SocialProfile.objects.get(inmate=intake.inmate)
    assert profile.affiliations == ["mnla", "ansar_dine"] and profile.involvement == "forced"
    assert profile.get_engagement_reasons_display()[0].startswith("Survie")


def test_profile_fields_refused_outside_terrorism_cases(arrival, run_steps, social_worker):
    run_steps(arrival, Step.MEDICAL)
    with pytest.raises(ValidationError) as err:
        services.complete_step(arrival, Step.INTERVIEW, actor=social_worker,
                               data=interview_data(affiliations=["jnim"]))
    assert "terrorisme" in err.value.message_dict["affiliations"][0]


def test_stalled_intakes_are_those_without_activity_beyond_the_setting(arrival, settings):
    settings.INTAKE_STALL_HOURS = 48
    assert not Intake.objects.stalled().exists()
    Intake.objects.filter(pk=arrival.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(hours=49))
    assert list(Intake.objects.stalled()) == [arrival]
    arrival.refresh_from_db()
    assert arrival.is_stalled()


def test_intake_files_are_served_only_through_an_audited_read(arrival, run_steps, clerk):
    intake = run_steps(arrival, Step.ADMINISTRATION)
    field = services.open_intake_file(intake, "warrant", actor=clerk)
    assert field.read().startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, changes__file=[None, "warrant"]).exists()
    with pytest.raises(Http404):
        services.open_intake_file(intake, "fingerprint", actor=clerk, item_id=999999)


def test_a_completion_racing_past_the_checks_is_stopped_by_the_step_record(arrival, security_officer,
                                                                        cell, monkeypatch):
    """The unique (intake, step) record is the backstop: even if two requests both passed the
    order check, the second insert fails and nothing of its step is written."""
    other = factories.staff(Role.SECURITY, arrival.facility)
    services.complete_step(arrival, Step.SECURITY, data=security_data(cell), actor=other)
    monkeypatch.setattr(steps, "check_can_complete", lambda *a, **k: None)  # where complete_step looks it up
    with pytest.raises(StepOrderError, match="autre personne"):
        services.complete_step(arrival, Step.SECURITY, data=security_data(cell), actor=security_officer)
    assert StepRecord.objects.filter(intake=arrival).count() == 1
    assert Placement.objects.filter(custody=arrival.custody).count() == 1


@pytest.mark.postgres
@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_completing_the_same_step_at_once_only_one_succeeds(bamako, clerk, cell):
    intake = services.register_arrival(warrant_data(), facility=bamako, actor=clerk)
    officers = [factories.staff(Role.SECURITY, bamako) for _ in range(2)]
    outcomes = []
    barrier = threading.Barrier(2)

    def attempt(officer):
        barrier.wait()
        try:
            services.complete_step(intake, Step.SECURITY, data=security_data(cell), actor=officer)
            outcomes.append("ok")
        except StepOrderError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert StepRecord.objects.filter(intake=intake).count() == 1
    assert Placement.objects.filter(custody=intake.custody).count() == 1


@pytest.mark.postgres
@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_number_allocations_never_collide(bamako, clerk):
    people = [factories.detainee(bamako, actor=clerk, held=False, last_name=f"N{i}") for i in range(12)]
    numbers, barrier = [], threading.Barrier(len(people))

    def allocate(person):
        barrier.wait()
        try:
            numbers.append(inmate_services.allocate_prisoner_number(person, facility=bamako, actor=clerk))
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(numbers) == len(set(numbers)) == len(people)


@pytest.mark.parametrize("typed, stored", [("FCFA", "XOF"), ("f cfa", "XOF"), ("", "XOF"), ("eur", "EUR")])
def test_typed_currency_is_read_as_its_code(typed, stored):
    from core.numbers import money, normalize_currency

    assert normalize_currency(typed) == stored
    assert money(1250000, stored).replace("\u00a0", " ") == ("1 250 000 FCFA" if stored == "XOF" else "1 250 000 EUR")


def test_a_clerk_typing_fcfa_stores_the_cfa_franc_and_an_unknown_currency_is_refused(arrival, run_steps, clerk):
    run_steps(arrival, Step.ADMINISTRATION)
    cash = {"category": "cash", "description": "Billets", "quantity": 1, "cash_amount": 12500}
    with pytest.raises(ValidationError) as err:
        services.complete_step(arrival, Step.REGISTRY, actor=clerk,
                               data=registry_data(items=[{**cash, "currency": "francs maliens"}]))
    assert any("devise inconnue" in m for m in err.value.message_dict["items"])
    intake = services.complete_step(arrival, Step.REGISTRY, actor=clerk,
                                    data=registry_data(items=[{**cash, "currency": "FCFA"}]))
    assert PropertyItem.objects.get(registry__intake=intake).currency == "XOF"


def test_no_fingerprint_reader_at_this_post_records_the_ten_at_once(arrival, run_steps, clerk):
    """Issue 11, item 3: one choice instead of ten reasons; a finger taken or with its own reason
    keeps it; without the choice, a finger with neither is still refused."""
    run_steps(arrival, Step.SECURITY)
    from intake.models import Finger

    prints = {f.value: {} for f in Finger}
    prints[Finger.R_THUMB.value] = {"image": png("r_thumb.png")}
    prints[Finger.L_LITTLE.value] = {"missing_reason": "Doigt amputé"}
    with pytest.raises(ValidationError) as refused:
        services.complete_step(arrival, Step.ADMINISTRATION, actor=clerk,
                               data=administration_data(fingerprints=prints))
    assert "fingerprint_r_index" in refused.value.message_dict
    assert not Fingerprint.objects.filter(intake=arrival).exists()
    intake = services.complete_step(arrival, Step.ADMINISTRATION, actor=clerk,
                                    data=administration_data(fingerprints=prints, no_fingerprint_reader=True))
    recorded = {f.finger: f for f in Fingerprint.objects.filter(intake=intake)}
    assert len(recorded) == 10
    assert recorded["r_thumb"].image and not recorded["r_thumb"].missing_reason
    assert recorded["l_little"].missing_reason == "Doigt amputé"
    others = {k: f.missing_reason for k, f in recorded.items() if k not in ("r_thumb", "l_little")}
    assert set(others.values()) == {"Pas de lecteur d'empreintes à ce poste"} and len(others) == 8
