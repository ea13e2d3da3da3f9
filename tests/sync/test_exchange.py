"""Real exchanges between the national server and two prisons' servers (three databases): each test
ends with the national and prison data equal for what they share, no duplicate, nothing lost."""

import datetime
import gzip
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from inmates import movements
from inmates import services as inmate_services
from inmates.models import Custody, Inmate, Placement, Transfer, TransferStatus
from sync import payload, registry
from sync.models import AppliedAction, OutboxAction, Rejection, Site
from tests.factories import detainee

pytestmark = pytest.mark.django_db(transaction=True)


def _records(model, **filters):
    return {str(r.uid): payload.dump(r) for r in model.objects.filter(**filters)}


def shared_equal(sites, prison, *, facility_code=None):
    """Every travelling record the prison holds is at the national server, field for field."""
    with sites.at(prison):
        here = {registry.label(m): _records(m) for m in registry.travelling_models()}
    with sites.at("national"):
        there = {registry.label(m): _records(m) for m in registry.travelling_models()}
    for label, rows in here.items():
        for uid, data in rows.items():
            assert there[label].get(uid) == data, (label, uid)
    return sum(len(r) for r in here.values())


def admit(sites, prison, **kwargs):
    people = sites.people[prison]
    with sites.at(prison):
        inmate = detainee(people["facility"], actor=people["clerk"], unit=people["unit"], **kwargs)
        return str(inmate.uid)


def waiting(sites, prison):
    with sites.at(prison):
        return OutboxAction.objects.filter(state=OutboxAction.State.WAITING).count()


def test_a_prison_works_offline_then_pushes_and_the_national_copy_is_equal(sites):
    sites.offline("bamako")
    uid = admit(sites, "bamako", last_name="COULIBALY")
    assert waiting(sites, "bamako") >= 5  # person, stay, case, charge, order, placement…
    with pytest.raises(Exception, match="liaison coupée"):
        sites.exchange("bamako")
    with sites.at("national"):
        assert not Inmate.objects.filter(uid=uid).exists()  # nothing shown as sent
    sites.online("bamako")
    outcome = sites.exchange("bamako")
    assert outcome["push"]["acknowledged"] >= 5 and outcome["push"]["rejected"] == 0
    assert waiting(sites, "bamako") == 0
    assert shared_equal(sites, "bamako") >= 5
    with sites.at("national"):
        inmate = Inmate.objects.get(uid=uid)
        assert inmate.last_name == "COULIBALY"
        assert Custody.objects.get(inmate=inmate).facility.code == "BKO"


def test_the_same_chunk_twice_changes_nothing(sites):
    admit(sites, "bamako")
    sites.exchange("bamako")
    body = json.loads(gzip.decompress(sites.transports["bamako"].sent[0]))
    with sites.at("national"):
        before = (Inmate.objects.count(), Custody.objects.count(), AppliedAction.objects.count())
    answer = sites.push_raw("bamako", body)
    assert answer.status_code == 200
    assert set(answer.json()["acknowledged"]) == {a["id"] for a in body["actions"]}
    with sites.at("national"):
        assert (Inmate.objects.count(), Custody.objects.count(), AppliedAction.objects.count()) == before


def test_a_lost_acknowledgement_is_resent_and_applied_once(sites):
    admit(sites, "bamako")
    sites.transports["bamako"].lose_next_ack = True
    with pytest.raises(Exception, match="accusé de réception perdu"):
        sites.exchange("bamako")
    assert waiting(sites, "bamako") > 0  # not acknowledged: still in the outbox
    sites.exchange("bamako")
    assert waiting(sites, "bamako") == 0
    with sites.at("national"):
        assert Inmate.objects.filter(last_name="TRAORÉ").count() == 1
    shared_equal(sites, "bamako")


def test_actions_arriving_out_of_order_wait_for_what_they_need(sites):
    admit(sites, "bamako")
    with sites.at("bamako"):
        from sync import prison

        actions = list(OutboxAction.objects.order_by("seq"))
        body = {"schema_version": payload.SCHEMA_VERSION, "site_id": prison.site_id(), "facility": "BKO",
                "actions": [{"id": str(a.action_id), "seq": a.seq, "model": a.model, "uid": str(a.uid),
                             "op": a.op, "data": a.data} for a in actions]}
    children_first = {**body, "actions": [a for a in body["actions"] if a["model"] != "inmates.inmate"]}
    answer = sites.push_raw("bamako", children_first).json()
    assert answer["deferred"] and not answer["rejected"]  # the stay needs its person: held back
    answer = sites.push_raw("bamako", body).json()
    assert set(answer["acknowledged"]) == {a["id"] for a in body["actions"]}
    sites.exchange("bamako")
    assert waiting(sites, "bamako") == 0
    shared_equal(sites, "bamako")


def _transfer(sites, uid):
    """Bamako requests, approves and sends the person to Koulikoro."""
    b = sites.people["bamako"]
    with sites.at("bamako"):
        custody = Custody.objects.get(inmate__uid=uid)
        transfer = movements.request_transfer(custody, to_facility=sites.people["koulikoro"]["facility"],
                                              reason="Rapprochement de la juridiction", actor=b["clerk"])
        movements.approve_transfer(transfer, actor=b["director"])
        movements.depart_transfer(transfer, actor=b["clerk"], escort="Garde nationale, véhicule 12")
        return str(transfer.uid)


def test_a_transfer_while_the_sending_then_the_receiving_prison_is_offline(sites):
    uid = admit(sites, "bamako", last_name="KEITA")
    sites.exchange("bamako")
    sites.offline("bamako")
    transfer_uid = _transfer(sites, uid)
    with sites.at("bamako"):  # released on departure: Bamako can no longer write the file
        inmate = Inmate.objects.get(uid=uid)
        with pytest.raises(PermissionDenied):
            inmate_services.add_alias(inmate, name="KEITA Moussa", actor=sites.people["bamako"]["clerk"])
        assert not inmate.aliases.exists()
    sites.offline("koulikoro")
    sites.online("bamako")
    sites.exchange("bamako")  # the departure reaches the national server
    with sites.at("national"):
        assert Transfer.objects.get(uid=transfer_uid).status == TransferStatus.DEPARTED
    with sites.at("koulikoro"):
        assert not Inmate.objects.filter(uid=uid).exists()  # offline: nothing yet
    sites.online("koulikoro")
    sites.exchange("koulikoro")  # pulls the whole file
    k = sites.people["koulikoro"]
    with sites.at("koulikoro"):
        transfer = Transfer.objects.get(uid=transfer_uid)
        assert transfer.custody.inmate.last_name == "KEITA"
        movements.arrive_transfer(transfer, unit=k["unit"], actor=k["clerk"])
    sites.exchange("koulikoro")
    sites.exchange("bamako")  # Bamako learns of the arrival
    with sites.at("national"):
        custody = Custody.objects.get(inmate__uid=uid)
        assert custody.facility.code == "KLK"
        assert Transfer.objects.get(uid=transfer_uid).status == TransferStatus.ARRIVED
        assert Inmate.objects.filter(uid=uid).count() == 1
    with sites.at("bamako"):
        assert Custody.objects.get(inmate__uid=uid).facility.code == "KLK"  # off Bamako's roll
    shared_equal(sites, "koulikoro")
    shared_equal(sites, "bamako")


def test_a_write_on_a_record_the_site_does_not_own_is_refused_at_every_door(sites):
    uid = admit(sites, "koulikoro", last_name="DIALLO")
    sites.exchange("koulikoro")
    # The national server writes no person's record itself.
    with sites.at("national"):
        custody = Custody.objects.get(inmate__uid=uid)
        with pytest.raises(PermissionDenied):
            movements.move_to_unit(custody, unit=sites.people["koulikoro"]["unit2"], reason="x",
                                   actor=sites.dnapes)
    # Bamako forging an action on Koulikoro's person is rejected, the record unchanged.
    with sites.at("national"):
        inmate = Inmate.objects.get(uid=uid)
        forged = payload.dump(inmate) | {"last_name": "FALSIFIÉ"}
    with sites.at("bamako"):
        from sync import prison

        site_id = prison.site_id()
    body = {"schema_version": 2, "site_id": site_id, "facility": "BKO",
            "actions": [{"id": "01900000-0000-7000-8000-000000000001", "seq": 1, "model": "inmates.inmate",
                         "uid": uid, "op": "upsert", "data": forged}]}
    answer = sites.push_raw("bamako", body).json()
    assert answer["rejected"] and "ne tient pas ce dossier" in answer["rejected"][0]["reason"]
    with sites.at("national"):
        assert Inmate.objects.get(uid=uid).last_name == "DIALLO"
        assert Rejection.objects.filter(site__facility__code="BKO").count() == 1


def test_a_copied_disk_cannot_pose_as_a_second_prison(sites):
    admit(sites, "bamako")
    sites.exchange("bamako")
    with sites.at("bamako"):
        from sync import prison

        bamako_id = prison.site_id()
    body = {"schema_version": 2, "site_id": bamako_id, "facility": "KLK", "actions": []}
    answer = sites.push_raw("koulikoro", body)
    assert answer.status_code == 403
    assert "autre établissement" in answer.json()["detail"]


def test_a_restored_backup_presenting_an_old_state_is_refused_and_flagged(sites):
    uid = admit(sites, "bamako")
    sites.exchange("bamako")
    backup = sites.snapshot("bamako")
    b = sites.people["bamako"]
    with sites.at("bamako"):
        movements.move_to_unit(Custody.objects.get(inmate__uid=uid), unit=b["unit2"], reason="Travaux",
                               actor=b["clerk"])
    sites.exchange("bamako")
    sites.restore("bamako", backup)
    with sites.at("bamako"):  # the restored server goes on working, from its old state
        movements.move_to_unit(Custody.objects.get(inmate__uid=uid), unit=b["unit2"], reason="Après restauration",
                               actor=b["clerk"])
    with pytest.raises(Exception, match="409"):
        sites.exchange("bamako")
    with sites.at("national"):
        site = Site.objects.get(facility__code="BKO")
        assert "état antérieur" in site.last_refusal
        current = Placement.objects.filter(custody__inmate__uid=uid, ended_at__isnull=True).get()
        assert current.reason == "Travaux"  # the newer state is kept
    assert waiting(sites, "bamako") > 0  # held at the prison, not lost


def test_a_prison_on_the_previous_schema_version_is_accepted(sites):
    admit(sites, "bamako")
    with sites.at("bamako"):
        from sync import prison

        actions = list(OutboxAction.objects.order_by("seq"))
        body = {"schema_version": 1, "site_id": prison.site_id(), "facility": "BKO",
                "actions": [{"id": str(a.action_id), "seq": a.seq, "model": a.model, "uid": str(a.uid),
                             "op": a.op, "fields": a.data} for a in actions]}
    answer = sites.push_raw("bamako", body)
    assert answer.status_code == 200 and len(answer.json()["acknowledged"]) == len(actions)
    too_old = sites.push_raw("bamako", {**body, "schema_version": 0})
    assert too_old.status_code == 400 and "Version du format 0 non acceptée" in too_old.json()["detail"]


def test_a_week_offline_with_a_thousand_changes_catches_up(sites):
    uid = admit(sites, "bamako")
    b = sites.people["bamako"]
    sites.offline("bamako")
    start = timezone.now() - datetime.timedelta(days=7)
    with sites.at("bamako"):
        custody = Custody.objects.get(inmate__uid=uid)
        for i in range(500):
            movements.move_to_unit(custody, unit=b["unit2"] if i % 2 == 0 else b["unit"], reason=f"Mouvement {i}",
                                   actor=b["clerk"], at=start + datetime.timedelta(minutes=20 * i))
    pending = waiting(sites, "bamako")
    assert pending >= 1000
    sites.online("bamako")
    outcome = sites.exchange("bamako")
    assert outcome["push"]["acknowledged"] == pending and outcome["push"]["chunks"] >= 2
    assert waiting(sites, "bamako") == 0
    shared_equal(sites, "bamako")
    with sites.at("national"):
        assert Placement.objects.filter(custody__inmate__uid=uid).count() == 501


def test_the_prisons_audit_chain_travels_and_a_break_is_flagged(sites):
    from accounts.chain import seal_audit_chain
    from accounts.models import AuditSeal

    admit(sites, "bamako")
    with sites.at("bamako"):
        seal_audit_chain()
        sealed = AuditSeal.objects.count()
    sites.exchange("bamako")
    with sites.at("national"):
        site = Site.objects.get(facility__code="BKO")
        assert site.audit_position == sealed and site.audit_break == ""
    # A chain presented with a seal that does not follow the head already verified (the prison's
    # trail rewritten or cut, or a forged push): flagged, not acknowledged past it.
    with sites.at("bamako"):
        from sync import prison

        body = {"schema_version": 2, "site_id": prison.site_id(), "facility": "BKO", "actions": [],
                "audit": {"after": sealed, "seals": [[sealed + 1, "0" * 64, "f" * 64]]}}
    assert sites.push_raw("bamako", body).json()["audit_position"] == sealed
    with sites.at("national"):
        site.refresh_from_db()
        assert site.audit_position == sealed  # not acknowledged past the break
        assert "ne suit pas le précédent" in site.audit_break
