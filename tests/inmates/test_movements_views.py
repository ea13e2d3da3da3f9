"""Pages of transfers, cell moves, releases and separation (served in the `life` section)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from inmates import movements
from inmates.models import Custody, Placement, Release, Transfer, TransferStatus
from inmates.reports import separation_rows
from tests import factories
from tests.custody_fixtures import custody, kenieroba, knb_cell, knb_clerk, last_weekday  # noqa: F401

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def holds_everyone(facility):
    """Let the prison admit women and minors too, so that a unit can be seen mixing them."""
    type(facility).objects.filter(pk=facility.pk).update(holds_women=True, holds_minors=True)
    facility.refresh_from_db()


def test_the_hub_lists_the_users_prisons_with_arrivals_coming(client, custody, clerk, knb_clerk, kenieroba):
    movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    client.force_login(knb_clerk)
    page = html(client.get(reverse("life:index")))
    assert "Kéniéroba" in page and "Maison centrale d'arrêt de Bamako" not in page


def test_the_receiving_prison_sees_the_arrival_coming_and_records_it(client, custody, clerk, director, kenieroba,
                                                                      knb_clerk, knb_cell):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk,
                                         escort="Garde nationale")
    movements.approve_transfer(transfer, actor=director)
    movements.depart_transfer(transfer, actor=clerk)
    client.force_login(knb_clerk)
    incoming = html(client.get(reverse("life:transfer_list", args=[kenieroba.pk])))
    arrivals = incoming[incoming.index('id="arrivees"'):incoming.index('id="departs"')]
    assert "TRAORÉ" in arrivals and "Parti (en route)" in arrivals
    assert "Inculpé, en attente de jugement" in arrivals  # legal status beside every person
    response = client.post(reverse("life:transfer_arrive", args=[transfer.pk]), {"unit": knb_cell.pk})
    assert response.status_code == 302
    assert Custody.objects.get(pk=custody.pk).facility == kenieroba


def test_a_transfer_step_outside_ones_side_is_refused_with_403(client, custody, clerk, director, kenieroba, knb_cell):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk, escort="G")
    movements.approve_transfer(transfer, actor=director)
    movements.depart_transfer(transfer, actor=clerk)
    client.force_login(clerk)
    response = client.post(reverse("life:transfer_arrive", args=[transfer.pk]), {"unit": knb_cell.pk})
    assert response.status_code in (400, 403)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.DEPARTED


def test_the_transfer_detail_shows_the_four_steps(client, custody, clerk, kenieroba):
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    client.force_login(clerk)
    page = html(client.get(reverse("life:transfer_detail", args=[transfer.pk])))
    for step in ("Demande", "Approbation", "Départ", "Arrivée"):
        assert step in page
    assert "approbation de la direction de l" in page


def test_a_cell_move_into_a_mixed_unit_shows_the_warning_then_records_the_reason(client, custody, security, bamako,
                                                                                 clerk):
    holds_everyone(bamako)
    convicts = factories.UnitFactory(facility=bamako, code="C1", capacity=10)
    factories.detainee(bamako, actor=clerk, unit=convicts, convicted=True, first_name="Awa", last_name="SIDIBÉ")
    client.force_login(security)
    url = reverse("life:cell_move", args=[custody.pk])
    first = client.post(url, {"unit": convicts.pk, "reason": "Isolement temporaire"})
    assert first.status_code == 200
    assert "prévenus et condamnés (Règle 11)" in html(first)
    assert Placement.objects.current().get(custody=custody).unit.code == "A1"
    second = client.post(url, {"unit": convicts.pk, "reason": "Isolement temporaire",
                               "override_reason": "Seule cellule libre, nuit du 12"})
    assert second.status_code == 302
    moved = Placement.objects.current().get(custody=custody)
    assert (moved.unit, moved.reason, moved.warning_override) == (
        convicts, "Isolement temporaire", "Seule cellule libre, nuit du 12")


def test_a_cell_move_into_a_unit_of_women_is_refused_whatever_the_reason(client, custody, security, bamako, clerk):
    holds_everyone(bamako)
    women = factories.UnitFactory(facility=bamako, code="F1", capacity=10)
    factories.detainee(bamako, actor=clerk, unit=women, sex="F", first_name="Awa", last_name="SIDIBÉ")
    client.force_login(security)
    url = reverse("life:cell_move", args=[custody.pk])
    response = client.post(url, {"unit": women.pk, "reason": "Isolement temporaire",
                                 "override_reason": "Seule cellule libre, nuit du 12"})
    assert response.status_code == 200
    assert "hommes et femmes sont toujours séparés" in html(response)
    assert Placement.objects.current().get(custody=custody).unit.code == "A1"


def test_a_release_through_the_page_leads_to_the_printable_receipt_and_file_extract(client, custody, clerk):
    client.force_login(clerk)
    received = (timezone.localtime() - datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("life:release_form", args=[custody.pk]), {
        "reason": "release_order", "authority": "Juge d'instruction", "order_reference": "OML-12",
        "order_received_at": received, "property_returned": "on", "receipt": "signature",
        "file_extract_given": "on"})
    record = Release.objects.get()
    assert response.status_code == 302 and response.url == reverse("life:release_receipt", args=[record.pk])
    receipt = client.get(response.url)
    assert "Reçu de sortie" in html(receipt) and "Extrait du dossier" in html(receipt)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, target_type__model="release").exists()


def test_a_release_form_with_errors_keeps_what_was_typed_and_writes_nothing(client, custody, clerk):
    client.force_login(clerk)
    response = client.post(reverse("life:release_form", args=[custody.pk]), {
        "reason": "acquittal", "authority": "Cour d'assises", "order_received_at": "2026-01-01T10:00"})
    assert response.status_code == 200
    assert "Indiquez la référence de la décision." in html(response)
    assert "Cour d&#x27;assises" in html(response)
    assert not Release.objects.exists()


def test_the_separation_page_flags_units_mixing_categories(client, bamako, clerk, director, cell):
    holds_everyone(bamako)
    factories.detainee(bamako, actor=clerk, unit=cell, convicted=True, last_name="KEÏTA")
    factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, last_name="AG")
    factories.detainee(bamako, actor=clerk, unit=cell, birth_year=timezone.localdate().year - 16, last_name="JEUNE")
    clean = factories.UnitFactory(facility=bamako, code="Z9", capacity=10)
    factories.detainee(bamako, actor=clerk, unit=clean, last_name="SEUL")
    rows = {row["unit"].code: row["mixes"] for row in separation_rows(bamako)}
    assert rows["Z9"] == []
    assert set(rows["A1"]) == {"prévenus et condamnés", "mineurs et majeurs",
                               "affaires de terrorisme et population générale"}
    client.force_login(director)
    page = html(client.get(reverse("life:separation", args=[bamako.pk])))
    assert "mineurs et majeurs" in page




def test_the_release_receipt_shows_the_legal_status_at_release_and_the_stay_released(client, custody, clerk):
    from inmates.models import LegalStatus

    Custody.objects.filter(pk=custody.pk).update(legal_status=LegalStatus.CHARGED)
    custody.refresh_from_db()
    record = movements.release(custody, reason="release_order", authority="Juge d'instruction",
                               order_reference="OML-12", actor=clerk,
                               order_received_at=timezone.now() - datetime.timedelta(hours=2))
    assert record.legal_status_at_release == LegalStatus.CHARGED
    # A judgment recorded later changes the custody's status, not what the receipt says of that day.
    Custody.objects.filter(pk=custody.pk).update(legal_status=LegalStatus.CONVICTED)
    client.force_login(clerk)
    page = html(client.get(reverse("life:release_receipt", args=[record.pk])))
    assert "Situation du séjour" in page and "Libéré" in page
    assert "Statut juridique à la sortie" in page
    assert page.count("Inculpé, en attente de jugement") == 1 and "Condamné" not in page
    data = client.get(f"/api/v1/releases/{record.pk}/").json()
    assert data["legal_status_at_release"] == "charged" and data["stay_status"] == "released"
