import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from inmates import services
from inmates.models import (
    CellLeader,
    Classification,
    ComplaintStatus,
    Custody,
    CustodyStatus,
    Enrolment,
    FamilyNotification,
    Placement,
    Transfer,
    TransferStatus,
    Visit,
    Visitor,
)
from prisons.models import Facility
from tests import factories
from tests.inmates.life_fixtures import (  # noqa: F401
    custody,
    director,
    kenieroba,
    knb_cell,
    knb_clerk,
    last_weekday,
    security,
    social,
)

pytestmark = pytest.mark.django_db

FRIDAY, TUESDAY = 4, 1


def where(custody):
    """(facility code, open placements' unit codes, in transit?) — the person's place(s)."""
    custody = Custody.objects.get(pk=custody.pk)
    units = list(Placement.objects.filter(custody=custody, ended_at__isnull=True).values_list("unit__code", flat=True))
    moving = Transfer.objects.filter(custody=custody, status=TransferStatus.DEPARTED).exists()
    return custody.facility.code, units, moving


def approved_transfer(custody, *, to, clerk, director):
    transfer = services.request_transfer(custody, to_facility=to, reason="Désengorgement", actor=clerk,
                                         escort="Garde nationale, Adj. Keïta")
    return services.approve_transfer(transfer, actor=director)


# --- transfers ---------------------------------------------------------------------------


def test_a_transfer_goes_through_its_four_steps_and_the_person_is_always_in_exactly_one_place(
        custody, clerk, director, kenieroba, knb_clerk, knb_cell):
    assert where(custody) == ("BKO", ["A1"], False)
    transfer = services.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk)
    assert where(custody) == ("BKO", ["A1"], False)
    services.approve_transfer(transfer, actor=director)
    assert where(custody) == ("BKO", ["A1"], False)
    services.depart_transfer(transfer, actor=clerk, escort="Garde nationale", property_seal_number="S-114",
                             property_notes="1 téléphone, carte NINA")
    # On the road: off the cells of Bamako, still on Bamako's roll until the arrival.
    assert where(custody) == ("BKO", [], True)
    services.arrive_transfer(transfer, unit=knb_cell, actor=knb_clerk, property_received_notes="Scellé intact")
    assert where(custody) == ("KNB", ["K1"], False)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ARRIVED
    assert (transfer.requested_by, transfer.approved_by, transfer.departed_by, transfer.arrived_by) == (
        clerk, director, clerk, knb_clerk)
    assert transfer.requested_at <= transfer.approved_at <= transfer.departed_at <= transfer.arrived_at
    assert transfer.property_seal_number == "S-114" and transfer.property_received_notes == "Scellé intact"
    actions = AuditEntry.objects.filter(target_type__model="transfer", target_id=str(transfer.pk))
    assert actions.count() == 4
    assert set(actions.values_list("facility__code", flat=True)) == {"BKO", "KNB"}
    assert all(entry.inmate_id == custody.inmate_id for entry in actions)


def test_the_custody_facility_changes_only_on_arrival(custody, clerk, director, kenieroba):
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    services.depart_transfer(transfer, actor=clerk)
    assert Custody.objects.get(pk=custody.pk).facility.code == "BKO"


def test_a_second_open_transfer_for_the_same_person_is_refused(custody, clerk, kenieroba, koulikoro):
    services.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk)
    with pytest.raises(ValidationError, match="déjà en cours"):
        services.request_transfer(custody, to_facility=koulikoro, reason="Audience", actor=clerk)
    assert Transfer.objects.count() == 1


def test_the_database_itself_refuses_two_open_transfers(custody, clerk, kenieroba, koulikoro):
    transfer = services.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(custody=custody, from_facility=transfer.from_facility, to_facility=koulikoro,
                                reason="x", requested_at=timezone.now(), requested_by=clerk)


def test_a_transfer_cannot_skip_approval_nor_arrive_before_departure(custody, clerk, kenieroba, knb_clerk, knb_cell):
    transfer = services.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk,
                                         escort="Garde")
    with pytest.raises(ValidationError, match="approuvé"):
        services.depart_transfer(transfer, actor=clerk)
    with pytest.raises(ValidationError, match="parti"):
        services.arrive_transfer(transfer, unit=knb_cell, actor=knb_clerk)
    assert where(custody) == ("BKO", ["A1"], False)


def test_only_the_direction_approves_a_transfer(custody, clerk, kenieroba):
    transfer = services.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk)
    with pytest.raises(PermissionDenied):
        services.approve_transfer(transfer, actor=clerk)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.REQUESTED


def test_only_the_receiving_prison_records_the_arrival(custody, clerk, director, kenieroba, knb_cell):
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    services.depart_transfer(transfer, actor=clerk)
    with pytest.raises(PermissionDenied):
        services.arrive_transfer(transfer, unit=knb_cell, actor=clerk)
    assert where(custody) == ("BKO", [], True)


def test_the_arrival_unit_must_belong_to_the_receiving_prison(custody, clerk, director, kenieroba, knb_clerk, cell):
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    services.depart_transfer(transfer, actor=clerk)
    with pytest.raises(ValidationError, match="accueil"):
        services.arrive_transfer(transfer, unit=cell, actor=knb_clerk)
    assert where(custody) == ("BKO", [], True)


def test_an_arrival_into_a_unit_that_mixes_categories_needs_a_reason_and_nothing_moves_without_it(
        custody, clerk, director, kenieroba, knb_clerk, knb_cell):
    factories.detainee(kenieroba, actor=knb_clerk, unit=knb_cell, convicted=True, last_name="DIALLO")
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    services.depart_transfer(transfer, actor=clerk)
    with pytest.raises(ValidationError) as refused:
        services.arrive_transfer(transfer, unit=knb_cell, actor=knb_clerk)
    assert "override_reason" in refused.value.message_dict
    assert where(custody) == ("BKO", [], True)
    services.arrive_transfer(transfer, unit=knb_cell, actor=knb_clerk, override_reason="Seul dortoir disponible")
    assert where(custody) == ("KNB", ["K1"], False)


def test_a_transfer_to_a_prison_that_does_not_hold_men_is_refused(custody, clerk):
    with pytest.raises(ValidationError, match="hommes"):
        services.request_transfer(custody, to_facility=Facility.objects.get(code="BOL"), reason="x", actor=clerk)


def test_a_transfer_needs_a_reason_and_another_prison(custody, clerk, bamako, kenieroba):
    with pytest.raises(ValidationError):
        services.request_transfer(custody, to_facility=kenieroba, reason=" ", actor=clerk)
    with pytest.raises(ValidationError):
        services.request_transfer(custody, to_facility=bamako, reason="x", actor=clerk)
    assert not Transfer.objects.exists()


def test_another_prison_cannot_request_the_transfer_of_someone_it_does_not_hold(custody, other_clerk, kenieroba):
    with pytest.raises(PermissionDenied):
        services.request_transfer(custody, to_facility=kenieroba, reason="x", actor=other_clerk)


def test_a_departure_needs_an_escort(custody, clerk, director, kenieroba):
    transfer = services.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    services.approve_transfer(transfer, actor=director)
    with pytest.raises(ValidationError, match="escorte"):
        services.depart_transfer(transfer, actor=clerk)


def test_a_transfer_is_cancelled_before_departure_but_not_after(custody, clerk, director, kenieroba, koulikoro):
    first = services.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    services.cancel_transfer(first, reason="Audience fixée à Bamako", actor=clerk)
    assert Transfer.objects.get(pk=first.pk).status == TransferStatus.CANCELLED
    second = approved_transfer(custody, to=koulikoro, clerk=clerk, director=director)
    services.depart_transfer(second, actor=clerk)
    with pytest.raises(ValidationError, match="partie"):
        services.cancel_transfer(second, reason="x", actor=clerk)


def test_a_cell_leader_who_leaves_on_transfer_stops_leading(custody, clerk, director, security, cell, kenieroba):
    services.appoint_cell_leader(cell, custody=custody, actor=security, agreement_noted=True)
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    services.depart_transfer(transfer, actor=clerk)
    assert not CellLeader.objects.current().filter(unit=cell).exists()


def test_a_person_in_transit_cannot_be_moved_visited_or_released(custody, clerk, director, kenieroba, cell, bamako):
    other = factories.UnitFactory(facility=bamako, code="A2", capacity=5)
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    services.depart_transfer(transfer, actor=clerk)
    with pytest.raises(ValidationError, match="transfert"):
        services.move_to_unit(custody, unit=other, reason="Retour", actor=clerk)
    with pytest.raises(ValidationError, match="transfert"):
        services.release(custody, reason="release_order", authority="Juge", order_reference="OML-1",
                         order_received_at=timezone.now(), actor=clerk)
    assert where(custody) == ("BKO", [], True)


# --- cell moves --------------------------------------------------------------------------


def test_a_cell_move_records_its_reason_and_ends_the_previous_placement(custody, security, bamako):
    other = factories.UnitFactory(facility=bamako, code="A2", capacity=5)
    placement = services.move_to_unit(custody, unit=other, reason="Conflit avec un codétenu", actor=security)
    assert placement.reason == "Conflit avec un codétenu"
    assert where(custody) == ("BKO", ["A2"], False)


def test_a_cell_move_without_a_reason_is_refused(custody, security, bamako):
    other = factories.UnitFactory(facility=bamako, code="A2", capacity=5)
    with pytest.raises(ValidationError, match="motif"):
        services.move_to_unit(custody, unit=other, reason="", actor=security)
    assert where(custody) == ("BKO", ["A1"], False)


def test_a_cell_move_into_a_full_unit_shows_the_warning_and_needs_an_override(custody, security, bamako, clerk):
    full = factories.UnitFactory(facility=bamako, code="A3", capacity=1)
    factories.detainee(bamako, actor=clerk, unit=full, last_name="KONÉ")
    with pytest.raises(ValidationError) as refused:
        services.move_to_unit(custody, unit=full, reason="Rapprochement", actor=security)
    assert any("pleine" in m for m in refused.value.message_dict["override_reason"])
    services.move_to_unit(custody, unit=full, reason="Rapprochement", override_reason="Urgence", actor=security)
    assert where(custody) == ("BKO", ["A3"], False)


def test_a_cell_move_mixing_terrorism_cases_with_the_general_population_needs_a_reason(custody, security, bamako,
                                                                                       clerk):
    block = factories.UnitFactory(facility=bamako, code="J1", capacity=7, regime="veo")
    factories.detainee(bamako, actor=clerk, unit=block, terrorism=True, last_name="AG")
    with pytest.raises(ValidationError) as refused:
        services.move_to_unit(custody, unit=block, reason="Place libre", actor=security)
    assert any("terrorisme" in m for m in refused.value.message_dict["override_reason"])
    placement = services.move_to_unit(custody, unit=block, reason="Place libre", override_reason="Décision du chef",
                                      actor=security)
    assert placement.warning_override == "Décision du chef"


def test_a_leader_moved_to_another_cell_stops_leading_the_old_one(custody, security, cell, bamako):
    services.appoint_cell_leader(cell, custody=custody, actor=security, agreement_noted=True)
    other = factories.UnitFactory(facility=bamako, code="A2", capacity=5)
    services.move_to_unit(custody, unit=other, reason="Santé", actor=security)
    leadership = CellLeader.objects.get(unit=cell)
    assert leadership.ended_at is not None and leadership.end_reason == "Changement de cellule"


# --- releases ----------------------------------------------------------------------------


def test_a_release_ends_the_placement_and_the_custody_with_the_delay_in_hours(custody, clerk):
    left_at = timezone.now() - datetime.timedelta(minutes=1)
    received = left_at - datetime.timedelta(hours=26)
    record = services.release(custody, reason="release_order", authority="Juge d'instruction, 3e cabinet",
                              order_reference="OML 2026/114", order_received_at=received, left_at=left_at,
                              property_returned=True, receipt="signature", file_extract_given=True, actor=clerk)
    custody.refresh_from_db()
    assert (custody.status, custody.released_at, custody.release_reason) == (
        CustodyStatus.RELEASED, left_at, "release_order")
    assert float(record.delay_hours) == 26.0
    assert where(custody) == ("BKO", [], False)
    entry = AuditEntry.objects.get(target_type__model="release", target_id=str(record.pk))
    assert entry.changes["status"] == ["held", "released"] and entry.facility.code == "BKO"


def test_a_release_needs_the_authority_and_reference_of_the_order(custody, clerk):
    with pytest.raises(ValidationError) as refused:
        services.release(custody, reason="acquittal", order_received_at=timezone.now(), actor=clerk)
    assert {"authority", "order_reference"} <= set(refused.value.message_dict)
    assert Custody.objects.get(pk=custody.pk).status == CustodyStatus.HELD
    assert where(custody) == ("BKO", ["A1"], False)


def test_property_is_returned_only_against_a_receipt_and_a_refusal_needs_a_witness(custody, clerk):
    common = dict(reason="sentence_served", authority="Parquet", order_reference="Fin de peine",
                  order_received_at=timezone.now() - datetime.timedelta(hours=2), actor=clerk)
    with pytest.raises(ValidationError) as refused:
        services.release(custody, property_returned=True, **common)
    assert "receipt" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.release(custody, property_returned=True, receipt="refused", **common)
    assert "witness_name" in refused.value.message_dict
    services.release(custody, property_returned=True, receipt="refused", witness_name="Sgt Dembélé", **common)


def test_a_person_cannot_leave_before_the_order_arrived_nor_be_released_twice(custody, clerk):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.release(custody, reason="release_order", authority="Juge", order_reference="1",
                         order_received_at=now, left_at=now - datetime.timedelta(hours=1), actor=clerk)
    services.release(custody, reason="release_order", authority="Juge", order_reference="1",
                     order_received_at=now - datetime.timedelta(hours=1), actor=clerk)
    with pytest.raises(ValidationError, match="terminé"):
        services.release(custody, reason="release_order", authority="Juge", order_reference="1",
                         order_received_at=now - datetime.timedelta(hours=1), actor=clerk)


def test_a_release_cancels_a_transfer_not_yet_departed(custody, clerk, kenieroba):
    transfer = services.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    services.release(custody, reason="provisional", authority="Chambre d'accusation", order_reference="LP-9",
                     order_received_at=timezone.now() - datetime.timedelta(hours=3), actor=clerk)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.CANCELLED


def test_a_released_person_leaves_the_deadline_sweep_because_the_custody_says_released(custody, clerk):
    services.release(custody, reason="release_order", authority="Juge", order_reference="1",
                     order_received_at=timezone.now() - datetime.timedelta(hours=1), actor=clerk)
    assert not Custody.objects.current().filter(pk=custody.pk).exists()
    assert not Custody.objects.untried().current().filter(pk=custody.pk).exists()


# --- classification ----------------------------------------------------------------------


def test_a_classification_is_an_individual_assessment_with_reasons(custody, security):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.classify(custody, risk="high", reasons=" ", next_review_on=today + datetime.timedelta(days=90),
                          actor=security)
    assert "reasons" in refused.value.message_dict
    record = services.classify(custody, risk="medium", reasons="Comportement calme, aucun incident.",
                               next_review_on=today + datetime.timedelta(days=90), actor=security)
    assert record.assessed_by == security and record.assessed_on == today
    assert AuditEntry.objects.filter(target_type__model="classification", action=AuditAction.CREATE).count() == 1


def test_no_classification_is_made_automatically_even_for_a_terrorism_case(bamako, clerk, cell):
    inmate = factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, last_name="AG")
    assert not Classification.objects.filter(custody__inmate=inmate).exists()


def test_the_review_date_must_follow_the_assessment(custody, security):
    with pytest.raises(ValidationError):
        services.classify(custody, risk="low", reasons="x", next_review_on=timezone.localdate(), actor=security)


def test_overdue_reviews_are_the_latest_assessments_of_people_still_held(custody, security, bamako, clerk):
    today = timezone.localdate()
    old = services.classify(custody, risk="high", reasons="À l'arrivée", assessed_on=today - datetime.timedelta(days=100),
                            next_review_on=today - datetime.timedelta(days=10), actor=security)
    assert list(Classification.objects.review_overdue(on=today)) == [old]
    services.classify(custody, risk="medium", reasons="Révision", next_review_on=today + datetime.timedelta(days=90),
                      actor=security)
    assert not Classification.objects.review_overdue(on=today).exists()
    # Someone released is no longer due for review.
    gone = factories.detainee(bamako, actor=clerk, last_name="SANOGO").custodies.get()
    services.classify(gone, risk="low", reasons="x", assessed_on=today - datetime.timedelta(days=50),
                      next_review_on=today - datetime.timedelta(days=1), actor=security)
    assert Classification.objects.review_overdue(on=today).count() == 1
    services.release(gone, reason="release_order", authority="Juge", order_reference="2",
                     order_received_at=timezone.now() - datetime.timedelta(hours=1), actor=clerk)
    assert not Classification.objects.review_overdue(on=today).exists()


# --- cell leaders ------------------------------------------------------------------------


def test_one_current_leader_per_unit_and_the_previous_one_keeps_their_history(custody, security, bamako, clerk, cell):
    second = factories.detainee(bamako, actor=clerk, unit=cell, last_name="DOUMBIA").custodies.get()
    first = services.appoint_cell_leader(cell, custody=custody, actor=security, agreement_noted=True,
                                         agreement_notes="Choisi par les 7 occupants")
    services.appoint_cell_leader(cell, custody=second, actor=security, agreement_noted=True)
    first.refresh_from_db()
    assert first.ended_at is not None and first.end_reason == "Remplacé"
    assert list(CellLeader.objects.current().filter(unit=cell).values_list("custody", flat=True)) == [second.pk]
    assert CellLeader.objects.filter(unit=cell).count() == 2


def test_a_cell_leader_needs_staff_agreement_and_must_live_in_the_cell(custody, security, bamako, clerk, cell):
    with pytest.raises(ValidationError, match="accord"):
        services.appoint_cell_leader(cell, custody=custody, actor=security, agreement_noted=False)
    elsewhere = factories.UnitFactory(facility=bamako, code="B1", capacity=5)
    with pytest.raises(ValidationError, match="placé"):
        services.appoint_cell_leader(elsewhere, custody=custody, actor=security, agreement_noted=True)
    assert not CellLeader.objects.exists()


# --- visits ------------------------------------------------------------------------------

VISITOR = {"last_name": "Traoré", "first_name": "Fatoumata", "id_document_kind": "national_id",
           "id_document_number": "CI-778812"}


def test_a_family_visit_on_the_visiting_day_is_registered_with_what_was_brought(custody, clerk):
    arrived = last_weekday(FRIDAY)
    visit = services.record_visit(custody, visitor=VISITOR, kind="family", relation="Mère", arrived_at=arrived,
                                  items_brought="Riz, arachides", actor=clerk)
    services.end_visit(visit, left_at=arrived + datetime.timedelta(minutes=45), actor=clerk)
    visit.refresh_from_db()
    assert visit.facility.code == "BKO" and visit.items_brought == "Riz, arachides"
    assert visit.left_at - visit.arrived_at == datetime.timedelta(minutes=45)
    # The same identity document is the same visitor.
    services.record_visit(custody, visitor=VISITOR, kind="family", arrived_at=arrived + datetime.timedelta(hours=2),
                          actor=clerk)
    assert Visitor.objects.count() == 1 and Visit.objects.count() == 2


def test_outside_visiting_days_a_family_visit_is_refused_with_a_clear_message(custody, clerk):
    with pytest.raises(ValidationError) as refused:
        services.record_visit(custody, visitor=VISITOR, kind="family", arrived_at=last_weekday(TUESDAY), actor=clerk)
    assert "vendredi" in refused.value.message_dict["arrived_at"][0]
    assert "avocats" in refused.value.message_dict["arrived_at"][0]
    assert not Visit.objects.exists() and not Visitor.objects.exists()


def test_a_lawyer_is_received_any_day(custody, clerk):
    lawyer = {"last_name": "Koné", "first_name": "Me Amadou", "id_document_kind": "professional",
              "id_document_number": "BAR-ML-0442", "organisation": "Barreau du Mali"}
    services.record_visit(custody, visitor=lawyer, kind="lawyer", arrived_at=last_weekday(TUESDAY), actor=clerk)
    assert Visit.objects.filter(kind="lawyer").count() == 1


def test_visiting_days_are_set_per_prison(custody, clerk, director, bamako):
    services.set_visiting_days(bamako, days=[TUESDAY, FRIDAY], actor=director)
    services.record_visit(custody, visitor=VISITOR, kind="religious", arrived_at=last_weekday(TUESDAY), actor=clerk)
    assert Visit.objects.count() == 1
    with pytest.raises(ValidationError):
        services.set_visiting_days(bamako, days=[], actor=director)


# --- complaints --------------------------------------------------------------------------


def test_a_torture_allegation_is_escalated_at_once_by_mail_to_the_director_and_dnapes(
        custody, clerk, director, mailoutbox, django_capture_on_commit_callbacks):
    national = factories.staff(Role.DNAPES, username="dnapes.x", email="dnapes@example.ml")
    factories.staff(Role.DIRECTOR, factories.FacilityFactory(), username="dir.other", email="other@example.ml")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.register_complaint(
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
        services.register_complaint(custody, complainant_kind="relative", channel="oral", subject="x", details="x",
                                    is_allegation=True, actor=clerk)  # a relative must be named
    assert mailoutbox == []


def test_an_allegation_cannot_be_closed_without_a_recorded_referral(custody, clerk, director):
    complaint = services.register_complaint(custody, complainant_kind="detainee", channel="written",
                                            subject="Mauvais traitements", details="…", is_allegation=True,
                                            actor=clerk)
    services.answer_complaint(complaint, answer="Examen médical ordonné ; faits signalés.", actor=director)
    with pytest.raises(ValidationError, match="transmission"):
        services.close_complaint(complaint, actor=director)
    services.refer_complaint(complaint, authority="Procureur de la République, Commune III",
                             reference="SP-2026-88", actor=director)
    closed = services.close_complaint(complaint, actor=director)
    assert closed.status == ComplaintStatus.CLOSED


def test_the_database_refuses_a_closed_allegation_without_referral(custody, clerk):
    complaint = services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="x",
                                            details="x", is_allegation=True, actor=clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(complaint).objects.filter(pk=complaint.pk).update(status="closed", closed_at=timezone.now())


def test_an_ordinary_complaint_is_answered_then_closed_by_the_director_or_its_addressee(custody, clerk, director,
                                                                                      security):
    complaint = services.register_complaint(custody, complainant_kind="cell_leader", complainant_name="DIARRA Ali",
                                            channel="audience", subject="Eau insuffisante", details="…",
                                            addressed_to=security, actor=clerk)
    assert complaint.due_on == timezone.localdate() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError, match="réponse"):
        services.close_complaint(complaint, actor=director)
    with pytest.raises(PermissionDenied):
        services.answer_complaint(complaint, answer="x", actor=clerk)
    services.answer_complaint(complaint, answer="Citerne supplémentaire livrée", actor=security)
    services.close_complaint(complaint, actor=director)


def test_a_confidential_complaint_is_read_by_the_director_and_its_addressee_only(custody, clerk, director, security,
                                                                              manager):
    from inmates.models import Complaint

    confidential = services.register_complaint(custody, complainant_kind="detainee", channel="box", subject="x",
                                               details="x", is_confidential=True, addressed_to=security, actor=clerk)
    public = services.register_complaint(custody, complainant_kind="detainee", channel="box", subject="y",
                                         details="y", actor=clerk)
    allegation = services.register_complaint(custody, complainant_kind="detainee", channel="box", subject="z",
                                             details="z", is_confidential=True, is_allegation=True, actor=clerk)
    assert set(Complaint.objects.visible_to(director)) == {confidential, public, allegation}
    assert set(Complaint.objects.visible_to(security)) == {confidential, public}
    assert set(Complaint.objects.visible_to(clerk)) == {public}
    assert set(Complaint.objects.visible_to(manager)) == {public, allegation}


def test_a_complaint_addressee_must_serve_in_that_prison(custody, clerk, other_clerk):
    with pytest.raises(ValidationError):
        services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="x", details="x",
                                    addressed_to=other_clerk, actor=clerk)


# --- activities --------------------------------------------------------------------------


def test_enrolment_follows_who_may_attend(bamako, clerk, director, social, cell):
    workshop = services.create_activity(bamako, name="Atelier couture", kind="tailoring",
                                        open_to_regimes=["standard"], actor=director)
    ordinary = factories.detainee(bamako, actor=clerk, unit=cell, last_name="COULIBALY").custodies.get()
    veo = factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, last_name="AG").custodies.get()
    services.enrol(workshop, custody=ordinary, actor=social)
    with pytest.raises(ValidationError, match="terrorisme"):
        services.enrol(workshop, custody=veo, actor=social)
    with pytest.raises(ValidationError, match="déjà inscrite"):
        services.enrol(workshop, custody=ordinary, actor=social)
    assert Enrolment.objects.current().count() == 1


def test_an_activity_refuses_a_regime_it_is_not_open_to(bamako, clerk, director, social):
    block = factories.UnitFactory(facility=bamako, code="HS1", regime="high_security", capacity=10)
    person = factories.detainee(bamako, actor=clerk, unit=block, last_name="TOURÉ").custodies.get()
    library = services.create_activity(bamako, name="Bibliothèque", kind="library", open_to_regimes=["standard"],
                                       open_to_terrorism_related=True, actor=director)
    with pytest.raises(ValidationError, match="Haute sécurité"):
        services.enrol(library, custody=person, actor=social)


def test_an_activity_needs_a_regime_and_respects_its_capacity(bamako, clerk, director, social, cell):
    with pytest.raises(ValidationError):
        services.create_activity(bamako, name="Mosquée", kind="mosque", open_to_regimes=[], actor=director)
    plot = services.create_activity(bamako, name="Jardin", kind="farm", open_to_regimes=["standard"], capacity=1,
                                    actor=director)
    first = factories.detainee(bamako, actor=clerk, unit=cell, last_name="A").custodies.get()
    second = factories.detainee(bamako, actor=clerk, unit=cell, last_name="B").custodies.get()
    services.enrol(plot, custody=first, actor=social)
    with pytest.raises(ValidationError, match="complète"):
        services.enrol(plot, custody=second, actor=social)


def test_release_ends_enrolments(custody, director, social, clerk):
    kitchen = services.create_activity(custody.facility, name="Cuisine", kind="kitchen", open_to_regimes=["standard"],
                                       actor=director)
    services.enrol(kitchen, custody=custody, actor=social)
    services.release(custody, reason="release_order", authority="Juge", order_reference="3",
                     order_received_at=timezone.now() - datetime.timedelta(hours=1), actor=clerk)
    assert not Enrolment.objects.current().exists()


# --- family notifications ----------------------------------------------------------------


def test_the_family_is_told_of_a_transfer_as_the_person_chose(custody, clerk, director, kenieroba):
    mother = services.add_relative(custody.inmate, actor=clerk, name="Aminata Traoré", relation="mother",
                                   phone="+223 76 00 00 00")
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    notification = services.record_family_notification(custody, event="transfer", choice="wishes", relative=mother,
                                                       transfer=transfer, actor=clerk)
    assert notification.contact_name == "Aminata Traoré" and notification.told_at is None
    services.mark_family_told(notification, method="phone", actor=clerk)
    notification.refresh_from_db()
    assert notification.told_by == clerk and notification.told_at is not None


def test_a_refusal_to_inform_the_family_is_respected_except_for_a_death(custody, clerk):
    with pytest.raises(ValidationError):
        services.record_family_notification(custody, event="admission", choice="declines", told_at=timezone.now(),
                                            method="phone", actor=clerk)
    services.record_family_notification(custody, event="admission", choice="declines", actor=clerk)
    with pytest.raises(ValidationError, match="Règle 69"):
        services.record_family_notification(custody, event="death", choice="declines", actor=clerk)
    assert FamilyNotification.objects.count() == 1


def test_a_notification_names_whom_to_tell_and_how_they_were_told(custody, clerk):
    with pytest.raises(ValidationError) as refused:
        services.record_family_notification(custody, event="illness", choice="wishes", actor=clerk)
    assert "relative" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.record_family_notification(custody, event="illness", choice="wishes", contact_name="Oumar",
                                            told_at=timezone.now(), actor=clerk)
    assert "method" in refused.value.message_dict
