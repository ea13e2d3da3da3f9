"""Transfers, cell moves and releases (inmates.movements): the person is always in exactly one place."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditEntry
from detention import services as detention_services
from detention.models import (
    CellLeader,
)
from inmates import movements
from inmates.models import Custody, CustodyStatus, Placement, Transfer, TransferStatus
from prisons.models import Facility
from tests import factories
from tests.custody_fixtures import custody, kenieroba, knb_cell, knb_clerk, last_weekday  # noqa: F401

pytestmark = pytest.mark.django_db


def where(custody):
    """(facility code, open placements' unit codes, in transit?) — the person's place(s)."""
    custody = Custody.objects.get(pk=custody.pk)
    units = list(Placement.objects.filter(custody=custody, ended_at__isnull=True).values_list("unit__code", flat=True))
    moving = Transfer.objects.filter(custody=custody, status=TransferStatus.DEPARTED).exists()
    return custody.facility.code, units, moving


def approved_transfer(custody, *, to, clerk, director):
    transfer = movements.request_transfer(custody, to_facility=to, reason="Désengorgement", actor=clerk,
                                         escort="Garde nationale, Adj. Keïta")
    return movements.approve_transfer(transfer, actor=director)


def test_a_transfer_goes_through_its_four_steps_and_the_person_is_always_in_exactly_one_place(
        custody, clerk, director, kenieroba, knb_clerk, knb_cell):
    assert where(custody) == ("BKO", ["A1"], False)
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk)
    assert where(custody) == ("BKO", ["A1"], False)
    movements.approve_transfer(transfer, actor=director)
    assert where(custody) == ("BKO", ["A1"], False)
    movements.depart_transfer(transfer, actor=clerk, escort="Garde nationale", property_seal_number="S-114",
                             property_notes="1 téléphone, carte NINA")
    # On the road: off the cells of Bamako, still on Bamako's roll until the arrival.
    assert where(custody) == ("BKO", [], True)
    movements.arrive_transfer(transfer, unit=knb_cell, actor=knb_clerk, property_received_notes="Scellé intact")
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
    movements.depart_transfer(transfer, actor=clerk)
    assert Custody.objects.get(pk=custody.pk).facility.code == "BKO"


def test_a_second_open_transfer_for_the_same_person_is_refused(custody, clerk, kenieroba, koulikoro):
    movements.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk)
    with pytest.raises(ValidationError, match="déjà en cours"):
        movements.request_transfer(custody, to_facility=koulikoro, reason="Audience", actor=clerk)
    assert Transfer.objects.count() == 1


def test_the_database_itself_refuses_two_open_transfers(custody, clerk, kenieroba, koulikoro):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(custody=custody, from_facility=transfer.from_facility, to_facility=koulikoro,
                                reason="x", requested_at=timezone.now(), requested_by=clerk)


def test_a_transfer_cannot_skip_approval_nor_arrive_before_departure(custody, clerk, kenieroba, knb_clerk, knb_cell):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk,
                                         escort="Garde")
    with pytest.raises(ValidationError, match="approuvé"):
        movements.depart_transfer(transfer, actor=clerk)
    with pytest.raises(ValidationError, match="parti"):
        movements.arrive_transfer(transfer, unit=knb_cell, actor=knb_clerk)
    assert where(custody) == ("BKO", ["A1"], False)


def test_only_the_direction_approves_a_transfer(custody, clerk, kenieroba):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk)
    with pytest.raises(PermissionDenied):
        movements.approve_transfer(transfer, actor=clerk)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.REQUESTED


def test_only_the_receiving_prison_records_the_arrival(custody, clerk, director, kenieroba, knb_cell):
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    movements.depart_transfer(transfer, actor=clerk)
    with pytest.raises(PermissionDenied):
        movements.arrive_transfer(transfer, unit=knb_cell, actor=clerk)
    assert where(custody) == ("BKO", [], True)


def test_the_arrival_unit_must_belong_to_the_receiving_prison(custody, clerk, director, kenieroba, knb_clerk, cell):
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    movements.depart_transfer(transfer, actor=clerk)
    with pytest.raises(ValidationError, match="accueil"):
        movements.arrive_transfer(transfer, unit=cell, actor=knb_clerk)
    assert where(custody) == ("BKO", [], True)


def test_an_arrival_into_a_unit_that_mixes_categories_needs_a_reason_and_nothing_moves_without_it(
        custody, clerk, director, kenieroba, knb_clerk, knb_cell):
    factories.detainee(kenieroba, actor=knb_clerk, unit=knb_cell, convicted=True, last_name="DIALLO")
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    movements.depart_transfer(transfer, actor=clerk)
    with pytest.raises(ValidationError) as refused:
        movements.arrive_transfer(transfer, unit=knb_cell, actor=knb_clerk)
    assert "override_reason" in refused.value.message_dict
    assert where(custody) == ("BKO", [], True)
    movements.arrive_transfer(transfer, unit=knb_cell, actor=knb_clerk, override_reason="Seul dortoir disponible")
    assert where(custody) == ("KNB", ["K1"], False)


def test_a_transfer_to_a_prison_that_does_not_hold_men_is_refused(custody, clerk):
    with pytest.raises(ValidationError, match="hommes"):
        movements.request_transfer(custody, to_facility=Facility.objects.get(code="BOL"), reason="x", actor=clerk)


def test_a_transfer_needs_a_reason_and_another_prison(custody, clerk, bamako, kenieroba):
    with pytest.raises(ValidationError):
        movements.request_transfer(custody, to_facility=kenieroba, reason=" ", actor=clerk)
    with pytest.raises(ValidationError):
        movements.request_transfer(custody, to_facility=bamako, reason="x", actor=clerk)
    assert not Transfer.objects.exists()


def test_another_prison_cannot_request_the_transfer_of_someone_it_does_not_hold(custody, other_clerk, kenieroba):
    with pytest.raises(PermissionDenied):
        movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=other_clerk)


def test_a_departure_needs_an_escort(custody, clerk, director, kenieroba):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    movements.approve_transfer(transfer, actor=director)
    with pytest.raises(ValidationError, match="escorte"):
        movements.depart_transfer(transfer, actor=clerk)


def test_a_transfer_is_cancelled_before_departure_but_not_after(custody, clerk, director, kenieroba, koulikoro):
    first = movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    movements.cancel_transfer(first, reason="Audience fixée à Bamako", actor=clerk)
    assert Transfer.objects.get(pk=first.pk).status == TransferStatus.CANCELLED
    second = approved_transfer(custody, to=koulikoro, clerk=clerk, director=director)
    movements.depart_transfer(second, actor=clerk)
    with pytest.raises(ValidationError, match="partie"):
        movements.cancel_transfer(second, reason="x", actor=clerk)


def test_a_person_in_transit_cannot_be_moved_visited_or_released(custody, clerk, director, kenieroba, cell, bamako):
    other = factories.UnitFactory(facility=bamako, code="A2", capacity=5)
    transfer = approved_transfer(custody, to=kenieroba, clerk=clerk, director=director)
    movements.depart_transfer(transfer, actor=clerk)
    with pytest.raises(ValidationError, match="transfert"):
        movements.move_to_unit(custody, unit=other, reason="Retour", actor=clerk)
    with pytest.raises(ValidationError, match="transfert"):
        movements.release(custody, reason="release_order", authority="Juge", order_reference="OML-1",
                         order_received_at=timezone.now(), actor=clerk)
    assert where(custody) == ("BKO", [], True)


def test_a_cell_move_records_its_reason_and_ends_the_previous_placement(custody, security, bamako):
    other = factories.UnitFactory(facility=bamako, code="A2", capacity=5)
    placement = movements.move_to_unit(custody, unit=other, reason="Conflit avec un codétenu", actor=security)
    assert placement.reason == "Conflit avec un codétenu"
    assert where(custody) == ("BKO", ["A2"], False)


def test_a_cell_move_without_a_reason_is_refused(custody, security, bamako):
    other = factories.UnitFactory(facility=bamako, code="A2", capacity=5)
    with pytest.raises(ValidationError, match="motif"):
        movements.move_to_unit(custody, unit=other, reason="", actor=security)
    assert where(custody) == ("BKO", ["A1"], False)


def test_a_cell_move_into_a_full_unit_shows_the_warning_and_needs_an_override(custody, security, bamako, clerk):
    full = factories.UnitFactory(facility=bamako, code="A3", capacity=1)
    factories.detainee(bamako, actor=clerk, unit=full, last_name="KONÉ")
    with pytest.raises(ValidationError) as refused:
        movements.move_to_unit(custody, unit=full, reason="Rapprochement", actor=security)
    assert any("pleine" in m for m in refused.value.message_dict["override_reason"])
    movements.move_to_unit(custody, unit=full, reason="Rapprochement", override_reason="Urgence", actor=security)
    assert where(custody) == ("BKO", ["A3"], False)


def test_a_cell_move_mixing_terrorism_cases_with_the_general_population_needs_a_reason(custody, security, bamako,
                                                                                       clerk):
    block = factories.UnitFactory(facility=bamako, code="J1", capacity=7, regime="veo")
    factories.detainee(bamako, actor=clerk, unit=block, terrorism=True, last_name="AG")
    with pytest.raises(ValidationError) as refused:
        movements.move_to_unit(custody, unit=block, reason="Place libre", actor=security)
    assert any("terrorisme" in m for m in refused.value.message_dict["override_reason"])
    placement = movements.move_to_unit(custody, unit=block, reason="Place libre", override_reason="Décision du chef",
                                      actor=security)
    assert placement.warning_override == "Décision du chef"


def test_a_leader_moved_to_another_cell_stops_leading_the_old_one(custody, security, cell, bamako):
    detention_services.appoint_cell_leader(cell, custody=custody, actor=security, agreement_noted=True)
    other = factories.UnitFactory(facility=bamako, code="A2", capacity=5)
    movements.move_to_unit(custody, unit=other, reason="Santé", actor=security)
    leadership = CellLeader.objects.get(unit=cell)
    assert leadership.ended_at is not None and leadership.end_reason == "Changement de cellule"


def test_a_release_ends_the_placement_and_the_custody_with_the_delay_in_hours(custody, clerk):
    left_at = timezone.now() - datetime.timedelta(minutes=1)
    received = left_at - datetime.timedelta(hours=26)
    record = movements.release(custody, reason="release_order", authority="Juge d'instruction, 3e cabinet",
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
        movements.release(custody, reason="acquittal", order_received_at=timezone.now(), actor=clerk)
    assert {"authority", "order_reference"} <= set(refused.value.message_dict)
    assert Custody.objects.get(pk=custody.pk).status == CustodyStatus.HELD
    assert where(custody) == ("BKO", ["A1"], False)


def test_property_is_returned_only_against_a_receipt_and_a_refusal_needs_a_witness(custody, clerk):
    common = dict(reason="sentence_served", authority="Parquet", order_reference="Fin de peine",
                  order_received_at=timezone.now() - datetime.timedelta(hours=2), actor=clerk)
    with pytest.raises(ValidationError) as refused:
        movements.release(custody, property_returned=True, **common)
    assert "receipt" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        movements.release(custody, property_returned=True, receipt="refused", **common)
    assert "witness_name" in refused.value.message_dict
    movements.release(custody, property_returned=True, receipt="refused", witness_name="Sgt Dembélé", **common)


def test_a_person_cannot_leave_before_the_order_arrived_nor_be_released_twice(custody, clerk):
    now = timezone.now()
    with pytest.raises(ValidationError):
        movements.release(custody, reason="release_order", authority="Juge", order_reference="1",
                         order_received_at=now, left_at=now - datetime.timedelta(hours=1), actor=clerk)
    movements.release(custody, reason="release_order", authority="Juge", order_reference="1",
                     order_received_at=now - datetime.timedelta(hours=1), actor=clerk)
    with pytest.raises(ValidationError, match="terminé"):
        movements.release(custody, reason="release_order", authority="Juge", order_reference="1",
                         order_received_at=now - datetime.timedelta(hours=1), actor=clerk)


def test_a_release_cancels_a_transfer_not_yet_departed(custody, clerk, kenieroba):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    movements.release(custody, reason="provisional", authority="Chambre d'accusation", order_reference="LP-9",
                     order_received_at=timezone.now() - datetime.timedelta(hours=3), actor=clerk)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.CANCELLED


def test_a_released_person_leaves_the_deadline_sweep_because_the_custody_says_released(custody, clerk):
    movements.release(custody, reason="release_order", authority="Juge", order_reference="1",
                     order_received_at=timezone.now() - datetime.timedelta(hours=1), actor=clerk)
    assert not Custody.objects.current().filter(pk=custody.pk).exists()
    assert not Custody.objects.untried().current().filter(pk=custody.pk).exists()


