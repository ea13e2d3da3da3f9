"""Where a person may be sent and how a stay may end (issue 16 §4 and §6).

A transfer applies the admission rule (Mandela Rule 11): a prison that does not hold the
person's category refuses them unless it has an active unit set apart for it. A death ends
a stay only through the death register, never as a bare release with the reason "death",
on every door (service, API, page).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from inmates import deaths, movements
from inmates.models import Custody, CustodyStatus, DeathInCustody, Sex
from prisons.models import Facility, UnitCategory
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bolle(db):
    return Facility.objects.get(code="BOL")


@pytest.fixture
def held_woman(bolle):
    clerk = factories.staff("clerk", bolle, username="greffe.bol")
    unit = factories.UnitFactory(facility=bolle, code="F1", name="Quartier F1", capacity=40)
    inmate = factories.detainee(bolle, actor=clerk, unit=unit, sex=Sex.FEMALE, last_name="COULIBALY",
                                first_name="Awa")
    return inmate.custodies.get(), clerk


def test_a_woman_cannot_be_sent_to_a_mens_prison_without_a_womens_quarter(held_woman, bamako):
    custody, clerk = held_woman
    assert not bamako.holds_women
    with pytest.raises(ValidationError) as refused:
        movements.request_transfer(custody, to_facility=bamako, reason="Comparution", actor=clerk)
    assert "quartier des femmes" in refused.value.message_dict["to_facility"][0]
    assert "Règle Nelson Mandela 11" in refused.value.message_dict["to_facility"][0]
    assert not custody.transfers.exists()


def test_the_same_transfer_is_accepted_once_the_prison_has_an_active_womens_quarter(held_woman, bamako):
    custody, clerk = held_woman
    quarter = factories.UnitFactory(facility=bamako, code="QF", name="Quartier des femmes", capacity=20,
                                    category=UnitCategory.WOMEN)
    transfer = movements.request_transfer(custody, to_facility=bamako, reason="Comparution", actor=clerk)
    assert transfer.to_facility == bamako
    quarter.is_active = False
    quarter.save(update_fields=["is_active"])
    movements.cancel_transfer(transfer, actor=clerk, reason="Erreur")
    with pytest.raises(ValidationError):
        movements.request_transfer(custody, to_facility=bamako, reason="Comparution", actor=clerk)


def test_the_api_refuses_the_transfer_with_the_french_message(held_woman, bamako):
    custody, clerk = held_woman
    api = APIClient()
    api.force_authenticate(clerk)
    response = api.post("/api/v1/transfers/", {"custody": custody.pk, "to_facility": bamako.pk,
                                               "reason": "Comparution"}, format="json")
    assert response.status_code == 400
    assert "quartier des femmes" in response.data["to_facility"][0]


def _order():
    return {"authority": "Juge d'instruction", "order_reference": "OML-1",
            "order_received_at": timezone.now() - datetime.timedelta(hours=1)}


def test_the_release_service_refuses_the_reason_death(inmate, clerk):
    custody = inmate.custodies.get()
    with pytest.raises(ValidationError) as refused:
        movements.release(custody, reason="death", actor=clerk, **_order())
    assert "registre des décès" in refused.value.message_dict["reason"][0]
    custody.refresh_from_db()
    assert custody.status == CustodyStatus.HELD
    assert not AuditEntry.objects.filter(target_type__model="release").exists()


def test_the_release_api_refuses_the_reason_death_and_nothing_is_written(inmate, clerk):
    custody = inmate.custodies.get()
    api = APIClient()
    api.force_authenticate(clerk)
    order = _order()
    response = api.post("/api/v1/releases/", {
        "custody": custody.pk, "reason": "death", "authority": order["authority"],
        "order_reference": order["order_reference"],
        "order_received_at": order["order_received_at"].isoformat()}, format="json")
    assert response.status_code == 400
    assert "registre des décès" in response.data["reason"][0]
    assert Custody.objects.get(pk=custody.pk).status == CustodyStatus.HELD


def test_the_release_page_does_not_offer_death_and_refuses_it_when_posted(inmate, clerk, client):
    custody = inmate.custodies.get()
    client.force_login(clerk)
    page = client.get(f"/vie-carcerale/sejours/{custody.pk}/sortie/")
    assert page.status_code == 200
    choices = [value for value, _label in page.context["form"].fields["reason"].choices]
    assert "death" not in choices and "release_order" in choices
    moment = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    posted = client.post(f"/vie-carcerale/sejours/{custody.pk}/sortie/", {
        "reason": "death", "authority": "Juge", "order_reference": "OML-1", "order_received_at": moment,
        "left_at": moment})
    assert posted.status_code == 200 and posted.context["form"].errors["reason"]
    assert Custody.objects.get(pk=custody.pk).status == CustodyStatus.HELD


def test_a_death_recorded_in_its_register_still_ends_the_stay(inmate, clerk):
    custody = inmate.custodies.get()
    died_at = timezone.now() - datetime.timedelta(hours=2)
    death = deaths.record_death(custody, died_at=died_at, place="Infirmerie", circumstances="Malaise",
                                actor=clerk)
    custody.refresh_from_db()
    assert (custody.status, custody.release_reason) == (CustodyStatus.RELEASED, "death")
    assert DeathInCustody.objects.get(pk=death.pk).custody_id == custody.pk
