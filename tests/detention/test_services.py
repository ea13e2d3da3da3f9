"""Services of life inside (detention.services): classification, cell leaders, visits, complaints, activities, family."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from detention import services as detention_services
from detention.models import (
    CellLeader,
    Classification,
    ComplaintStatus,
    Enrolment,
    FamilyNotification,
    Visit,
    Visitor,
)
from inmates import movements, services
from tests import factories
from tests.custody_fixtures import custody, kenieroba, knb_cell, knb_clerk, last_weekday  # noqa: F401

pytestmark = pytest.mark.django_db


FRIDAY, TUESDAY = 4, 1


def approved_transfer(custody, *, to, clerk, director):
    transfer = movements.request_transfer(custody, to_facility=to, reason="Désengorgement", actor=clerk,
                                         escort="Garde nationale, Adj. Keïta")
    return movements.approve_transfer(transfer, actor=director)


def test_a_cell_leader_who_leaves_on_transfer_stops_leading(custody, clerk, director, security, cell, kenieroba):
    detention_services.appoint_cell_leader(cell, custody=custody, actor=security, agreement_noted=True)
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    movements.depart_transfer(transfer, actor=clerk)
    assert not CellLeader.objects.current().filter(unit=cell).exists()


def test_a_classification_is_an_individual_assessment_with_reasons(custody, security):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        detention_services.classify(custody, risk="high", reasons=" ", next_review_on=today + datetime.timedelta(days=90),
                          actor=security)
    assert "reasons" in refused.value.message_dict
    record = detention_services.classify(custody, risk="medium", reasons="Comportement calme, aucun incident.",
                               next_review_on=today + datetime.timedelta(days=90), actor=security)
    assert record.assessed_by == security and record.assessed_on == today
    assert AuditEntry.objects.filter(target_type__model="classification", action=AuditAction.CREATE).count() == 1


def test_no_classification_is_made_automatically_even_for_a_terrorism_case(bamako, clerk, cell):
    inmate = factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, last_name="AG")
    assert not Classification.objects.filter(custody__inmate=inmate).exists()


def test_the_review_date_must_follow_the_assessment(custody, security):
    with pytest.raises(ValidationError):
        detention_services.classify(custody, risk="low", reasons="x", next_review_on=timezone.localdate(), actor=security)


def test_overdue_reviews_are_the_latest_assessments_of_people_still_held(custody, security, bamako, clerk):
    today = timezone.localdate()
    old = detention_services.classify(custody, risk="high", reasons="À l'arrivée", assessed_on=today - datetime.timedelta(days=100),
                            next_review_on=today - datetime.timedelta(days=10), actor=security)
    assert list(Classification.objects.review_overdue(on=today)) == [old]
    detention_services.classify(custody, risk="medium", reasons="Révision", next_review_on=today + datetime.timedelta(days=90),
                      actor=security)
    assert not Classification.objects.review_overdue(on=today).exists()
    # Someone released is no longer due for review.
    gone = factories.detainee(bamako, actor=clerk, last_name="SANOGO").custodies.get()
    detention_services.classify(gone, risk="low", reasons="x", assessed_on=today - datetime.timedelta(days=50),
                      next_review_on=today - datetime.timedelta(days=1), actor=security)
    assert Classification.objects.review_overdue(on=today).count() == 1
    movements.release(gone, reason="release_order", authority="Juge", order_reference="2",
                     order_received_at=timezone.now() - datetime.timedelta(hours=1), actor=clerk)
    assert not Classification.objects.review_overdue(on=today).exists()


def test_one_current_leader_per_unit_and_the_previous_one_keeps_their_history(custody, security, bamako, clerk, cell):
    second = factories.detainee(bamako, actor=clerk, unit=cell, last_name="DOUMBIA").custodies.get()
    first = detention_services.appoint_cell_leader(cell, custody=custody, actor=security, agreement_noted=True,
                                         agreement_notes="Choisi par les 7 occupants")
    detention_services.appoint_cell_leader(cell, custody=second, actor=security, agreement_noted=True)
    first.refresh_from_db()
    assert first.ended_at is not None and first.end_reason == "Remplacé"
    assert list(CellLeader.objects.current().filter(unit=cell).values_list("custody", flat=True)) == [second.pk]
    assert CellLeader.objects.filter(unit=cell).count() == 2


def test_a_cell_leader_needs_staff_agreement_and_must_live_in_the_cell(custody, security, bamako, clerk, cell):
    with pytest.raises(ValidationError, match="accord"):
        detention_services.appoint_cell_leader(cell, custody=custody, actor=security, agreement_noted=False)
    elsewhere = factories.UnitFactory(facility=bamako, code="B1", capacity=5)
    with pytest.raises(ValidationError, match="placé"):
        detention_services.appoint_cell_leader(elsewhere, custody=custody, actor=security, agreement_noted=True)
    assert not CellLeader.objects.exists()


VISITOR = {"last_name": "Traoré", "first_name": "Fatoumata", "id_document_kind": "national_id",
           "id_document_number": "CI-778812"}


def test_a_family_visit_on_the_visiting_day_is_registered_with_what_was_brought(custody, clerk):
    arrived = last_weekday(FRIDAY)
    visit = detention_services.record_visit(custody, visitor=VISITOR, kind="family", relation="Mère", arrived_at=arrived,
                                  items_brought="Riz, arachides", actor=clerk)
    detention_services.end_visit(visit, left_at=arrived + datetime.timedelta(minutes=45), actor=clerk)
    visit.refresh_from_db()
    assert visit.facility.code == "BKO" and visit.items_brought == "Riz, arachides"
    assert visit.left_at - visit.arrived_at == datetime.timedelta(minutes=45)
    # The same identity document is the same visitor.
    detention_services.record_visit(custody, visitor=VISITOR, kind="family", arrived_at=arrived + datetime.timedelta(hours=2),
                          actor=clerk)
    assert Visitor.objects.count() == 1 and Visit.objects.count() == 2


def test_outside_visiting_days_a_family_visit_is_refused_with_a_clear_message(custody, clerk):
    with pytest.raises(ValidationError) as refused:
        detention_services.record_visit(custody, visitor=VISITOR, kind="family", arrived_at=last_weekday(TUESDAY), actor=clerk)
    assert "vendredi" in refused.value.message_dict["arrived_at"][0]
    assert "avocats" in refused.value.message_dict["arrived_at"][0]
    assert not Visit.objects.exists() and not Visitor.objects.exists()


def test_a_lawyer_is_received_any_day(custody, clerk):
    lawyer = {"last_name": "Koné", "first_name": "Me Amadou", "id_document_kind": "professional",
              "id_document_number": "BAR-ML-0442", "organisation": "Barreau du Mali"}
    detention_services.record_visit(custody, visitor=lawyer, kind="lawyer", arrived_at=last_weekday(TUESDAY), actor=clerk)
    assert Visit.objects.filter(kind="lawyer").count() == 1


def test_visiting_days_are_set_per_prison(custody, clerk, director, bamako):
    detention_services.set_visiting_days(bamako, days=[TUESDAY, FRIDAY], actor=director)
    detention_services.record_visit(custody, visitor=VISITOR, kind="religious", arrived_at=last_weekday(TUESDAY), actor=clerk)
    assert Visit.objects.count() == 1
    with pytest.raises(ValidationError):
        detention_services.set_visiting_days(bamako, days=[], actor=director)


def test_a_torture_allegation_is_escalated_at_once_by_mail_to_the_director_and_dnapes(
        custody, clerk, director, mailoutbox, django_capture_on_commit_callbacks):
    national = factories.staff(Role.DNAPES, username="dnapes.x", email="dnapes@example.ml")
    factories.staff(Role.DIRECTOR, factories.FacilityFactory(), username="dir.other", email="other@example.ml")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = detention_services.register_complaint(
            custody, complainant_kind="detainee", channel="oral", subject="Coups reçus lors de l'interrogatoire",
            details="…", is_allegation=True, is_confidential=True, actor=clerk)
    assert complaint.escalated_at is not None
    assert complaint.due_on == timezone.localdate() + datetime.timedelta(days=1)
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == sorted([director.email, national.email])
    assert "Coups" not in mailoutbox[0].body  # the content stays in the register


def test_nothing_is_mailed_if_the_registration_fails(custody, clerk, director, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        detention_services.register_complaint(custody, complainant_kind="relative", channel="oral", subject="x", details="x",
                                    is_allegation=True, actor=clerk)  # a relative must be named
    assert mailoutbox == []


def test_an_allegation_cannot_be_closed_without_a_recorded_referral(custody, clerk, director):
    complaint = detention_services.register_complaint(custody, complainant_kind="detainee", channel="written",
                                            subject="Mauvais traitements", details="…", is_allegation=True,
                                            actor=clerk)
    detention_services.answer_complaint(complaint, answer="Examen médical ordonné ; faits signalés.", actor=director)
    with pytest.raises(ValidationError, match="transmission"):
        detention_services.close_complaint(complaint, actor=director)
    detention_services.refer_complaint(complaint, authority="Procureur de la République, Commune III",
                             reference="SP-2026-88", actor=director)
    closed = detention_services.close_complaint(complaint, actor=director)
    assert closed.status == ComplaintStatus.CLOSED


def test_the_database_refuses_a_closed_allegation_without_referral(custody, clerk):
    complaint = detention_services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="x",
                                            details="x", is_allegation=True, actor=clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(complaint).objects.filter(pk=complaint.pk).update(status="closed", closed_at=timezone.now())


def test_an_ordinary_complaint_is_answered_then_closed_by_the_director_or_its_addressee(custody, clerk, director,
                                                                                      security):
    complaint = detention_services.register_complaint(custody, complainant_kind="cell_leader", complainant_name="DIARRA Ali",
                                            channel="audience", subject="Eau insuffisante", details="…",
                                            addressed_to=security, actor=clerk)
    assert complaint.due_on == timezone.localdate() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError, match="réponse"):
        detention_services.close_complaint(complaint, actor=director)
    with pytest.raises(PermissionDenied):
        detention_services.answer_complaint(complaint, answer="x", actor=clerk)
    detention_services.answer_complaint(complaint, answer="Citerne supplémentaire livrée", actor=security)
    detention_services.close_complaint(complaint, actor=director)


def test_a_confidential_complaint_is_read_by_the_director_and_its_addressee_only(custody, clerk, director, security,
                                                                              manager):
    from detention.models import Complaint

    confidential = detention_services.register_complaint(custody, complainant_kind="detainee", channel="box", subject="x",
                                               details="x", is_confidential=True, addressed_to=security, actor=clerk)
    public = detention_services.register_complaint(custody, complainant_kind="detainee", channel="box", subject="y",
                                         details="y", actor=clerk)
    allegation = detention_services.register_complaint(custody, complainant_kind="detainee", channel="box", subject="z",
                                             details="z", is_confidential=True, is_allegation=True, actor=clerk)
    assert set(Complaint.objects.visible_to(director)) == {confidential, public, allegation}
    assert set(Complaint.objects.visible_to(security)) == {confidential, public}
    assert set(Complaint.objects.visible_to(clerk)) == {public}
    assert set(Complaint.objects.visible_to(manager)) == {public, allegation}


def test_a_complaint_addressee_must_serve_in_that_prison(custody, clerk, other_clerk):
    with pytest.raises(ValidationError):
        detention_services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="x", details="x",
                                    addressed_to=other_clerk, actor=clerk)


def test_enrolment_follows_who_may_attend(bamako, clerk, director, social, cell):
    workshop = detention_services.create_activity(bamako, name="Atelier couture", kind="tailoring",
                                        open_to_regimes=["standard"], actor=director)
    ordinary = factories.detainee(bamako, actor=clerk, unit=cell, last_name="COULIBALY").custodies.get()
    veo = factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, last_name="AG").custodies.get()
    detention_services.enrol(workshop, custody=ordinary, actor=social)
    with pytest.raises(ValidationError, match="terrorisme"):
        detention_services.enrol(workshop, custody=veo, actor=social)
    with pytest.raises(ValidationError, match="déjà inscrite"):
        detention_services.enrol(workshop, custody=ordinary, actor=social)
    assert Enrolment.objects.current().count() == 1


def test_an_activity_refuses_a_regime_it_is_not_open_to(bamako, clerk, director, social):
    block = factories.UnitFactory(facility=bamako, code="HS1", regime="high_security", capacity=10)
    person = factories.detainee(bamako, actor=clerk, unit=block, last_name="TOURÉ").custodies.get()
    library = detention_services.create_activity(bamako, name="Bibliothèque", kind="library", open_to_regimes=["standard"],
                                       open_to_terrorism_related=True, actor=director)
    with pytest.raises(ValidationError, match="Haute sécurité"):
        detention_services.enrol(library, custody=person, actor=social)


def test_an_activity_needs_a_regime_and_respects_its_capacity(bamako, clerk, director, social, cell):
    with pytest.raises(ValidationError):
        detention_services.create_activity(bamako, name="Mosquée", kind="mosque", open_to_regimes=[], actor=director)
    plot = detention_services.create_activity(bamako, name="Jardin", kind="farm", open_to_regimes=["standard"], capacity=1,
                                    actor=director)
    first = factories.detainee(bamako, actor=clerk, unit=cell, last_name="A").custodies.get()
    second = factories.detainee(bamako, actor=clerk, unit=cell, last_name="B").custodies.get()
    detention_services.enrol(plot, custody=first, actor=social)
    with pytest.raises(ValidationError, match="complète"):
        detention_services.enrol(plot, custody=second, actor=social)


def test_release_ends_enrolments(custody, director, social, clerk):
    kitchen = detention_services.create_activity(custody.facility, name="Cuisine", kind="kitchen", open_to_regimes=["standard"],
                                       actor=director)
    detention_services.enrol(kitchen, custody=custody, actor=social)
    movements.release(custody, reason="release_order", authority="Juge", order_reference="3",
                     order_received_at=timezone.now() - datetime.timedelta(hours=1), actor=clerk)
    assert not Enrolment.objects.current().exists()


def test_the_family_is_told_of_a_transfer_as_the_person_chose(custody, clerk, director, kenieroba):
    mother = services.add_relative(custody.inmate, actor=clerk, name="Aminata Traoré", relation="mother",
                                   phone="+223 76 00 00 00")
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    notification = detention_services.record_family_notification(custody, event="transfer", choice="wishes", relative=mother,
                                                       transfer=transfer, actor=clerk)
    assert notification.contact_name == "Aminata Traoré" and notification.told_at is None
    detention_services.mark_family_told(notification, method="phone", actor=clerk)
    notification.refresh_from_db()
    assert notification.told_by == clerk and notification.told_at is not None


def test_a_refusal_to_inform_the_family_is_respected_except_for_a_death(custody, clerk):
    with pytest.raises(ValidationError):
        detention_services.record_family_notification(custody, event="admission", choice="declines", told_at=timezone.now(),
                                            method="phone", actor=clerk)
    detention_services.record_family_notification(custody, event="admission", choice="declines", actor=clerk)
    with pytest.raises(ValidationError, match="Règle 69"):
        detention_services.record_family_notification(custody, event="death", choice="declines", actor=clerk)
    assert FamilyNotification.objects.count() == 1


def test_a_notification_names_whom_to_tell_and_how_they_were_told(custody, clerk):
    with pytest.raises(ValidationError) as refused:
        detention_services.record_family_notification(custody, event="illness", choice="wishes", actor=clerk)
    assert "relative" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        detention_services.record_family_notification(custody, event="illness", choice="wishes", contact_name="Oumar",
                                            told_at=timezone.now(), actor=clerk)
    assert "method" in refused.value.message_dict
