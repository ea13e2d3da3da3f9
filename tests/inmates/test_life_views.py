import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from inmates import services
from inmates.life_views import separation_rows
from inmates.models import Complaint, Custody, Placement, Release, Transfer, TransferStatus, Visit
from prisons.models import Unit
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

TUESDAY = 1

# Pages about one custody (url name) and about one facility (url name).
CUSTODY_PAGES = ["life:custody_life", "life:transfer_request", "life:cell_move", "life:release_form",
                 "life:visit_add", "life:complaint_add", "life:family_notification_add", "life:placement_history"]
FACILITY_PAGES = ["life:transfer_list", "life:classification_list", "life:separation", "life:cell_leaders",
                  "life:visit_list", "life:complaint_list", "life:activity_list", "life:activity_access"]


def html(response):
    return response.content.decode()


def holds_everyone(facility):
    """Let the prison admit women and minors too, so that a unit can be seen mixing them."""
    type(facility).objects.filter(pk=facility.pk).update(holds_women=True, holds_minors=True)
    facility.refresh_from_db()


@pytest.mark.parametrize("name", CUSTODY_PAGES)
def test_each_custody_page_opens_for_the_prisons_clerk_and_is_404_elsewhere(client, clerk, other_clerk, custody, name):
    url = reverse(name, args=[custody.pk])
    client.force_login(clerk)
    assert client.get(url).status_code == 200
    client.force_login(other_clerk)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", FACILITY_PAGES)
def test_each_facility_page_opens_for_its_director_and_is_404_for_another_prison(client, director, other_clerk,
                                                                                   bamako, custody, name):
    url = reverse(name, args=[bamako.pk])
    client.force_login(director)
    assert client.get(url).status_code == 200
    client.force_login(other_clerk)
    assert client.get(url).status_code == 404


def test_the_hub_lists_the_users_prisons_with_arrivals_coming(client, custody, clerk, knb_clerk, kenieroba):
    services.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    client.force_login(knb_clerk)
    page = html(client.get(reverse("life:index")))
    assert "Kéniéroba" in page and "Maison centrale d'arrêt de Bamako" not in page


def test_a_role_without_the_permission_gets_403(client, custody, social, bamako):
    client.force_login(social)
    assert client.get(reverse("life:transfer_request", args=[custody.pk])).status_code == 403
    assert client.get(reverse("life:release_form", args=[custody.pk])).status_code == 403
    assert client.get(reverse("life:visiting_days", args=[bamako.pk])).status_code == 403
    medical = factories.staff(Role.MEDICAL, bamako)
    client.force_login(medical)
    assert client.get(reverse("life:transfer_list", args=[bamako.pk])).status_code == 403


def test_the_receiving_prison_sees_the_arrival_coming_and_records_it(client, custody, clerk, director, kenieroba,
                                                                      knb_clerk, knb_cell):
    transfer = services.request_transfer(custody, to_facility=kenieroba, reason="Désengorgement", actor=clerk,
                                         escort="Garde nationale")
    services.approve_transfer(transfer, actor=director)
    services.depart_transfer(transfer, actor=clerk)
    client.force_login(knb_clerk)
    incoming = html(client.get(reverse("life:transfer_list", args=[kenieroba.pk])))
    arrivals = incoming[incoming.index('id="arrivees"'):incoming.index('id="departs"')]
    assert "TRAORÉ" in arrivals and "Parti (en route)" in arrivals
    assert "Inculpé, en attente de jugement" in arrivals  # legal status beside every person
    response = client.post(reverse("life:transfer_arrive", args=[transfer.pk]), {"unit": knb_cell.pk})
    assert response.status_code == 302
    assert Custody.objects.get(pk=custody.pk).facility == kenieroba


def test_a_transfer_step_outside_ones_side_is_refused_with_403(client, custody, clerk, director, kenieroba, knb_cell):
    transfer = services.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk, escort="G")
    services.approve_transfer(transfer, actor=director)
    services.depart_transfer(transfer, actor=clerk)
    client.force_login(clerk)
    response = client.post(reverse("life:transfer_arrive", args=[transfer.pk]), {"unit": knb_cell.pk})
    assert response.status_code in (400, 403)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.DEPARTED


def test_the_transfer_detail_shows_the_four_steps(client, custody, clerk, kenieroba):
    transfer = services.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
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


def test_a_visit_outside_visiting_days_is_refused_on_the_page_with_a_clear_message(client, custody, clerk):
    client.force_login(clerk)
    response = client.post(reverse("life:visit_add", args=[custody.pk]), {
        "last_name": "Diallo", "first_name": "Awa", "id_document_kind": "nina", "id_document_number": "N-2",
        "kind": "family", "arrived_at": last_weekday(TUESDAY).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200
    assert "les visites ont lieu le vendredi" in html(response)
    assert not Visit.objects.exists()


def test_the_director_sets_the_visiting_days(client, director, bamako, custody, clerk):
    client.force_login(director)
    response = client.post(reverse("life:visiting_days", args=[bamako.pk]), {"days": ["1", "4"]})
    assert response.status_code == 302
    services.record_visit(custody, visitor={"last_name": "A", "first_name": "B", "id_document_kind": "nina",
                                            "id_document_number": "9"}, kind="family",
                          arrived_at=last_weekday(TUESDAY), actor=clerk)


def test_confidential_complaints_are_hidden_from_the_register_and_404_for_others(client, custody, clerk, director):
    secret = services.register_complaint(custody, complainant_kind="detainee", channel="box", subject="Sujet secret",
                                         details="x", is_confidential=True, actor=clerk)
    client.force_login(clerk)
    assert "Sujet secret" not in html(client.get(reverse("life:complaint_list", args=[custody.facility_id])))
    assert client.get(reverse("life:complaint_detail", args=[secret.pk])).status_code == 404
    client.force_login(director)
    assert "Sujet secret" in html(client.get(reverse("life:complaint_list", args=[custody.facility_id])))
    assert client.get(reverse("life:complaint_detail", args=[secret.pk])).status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, target_type__model="complaint").count() == 1


def test_reading_a_custody_life_page_is_audited(client, custody, clerk):
    client.force_login(clerk)
    client.get(reverse("life:custody_life", args=[custody.pk]))
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW, target_type__model="custody").get()
    assert (entry.actor, entry.inmate_id, entry.facility_id) == (clerk, custody.inmate_id, custody.facility_id)


def test_an_unknown_complaint_step_is_a_404_and_changes_nothing(client, custody, clerk, director):
    complaint = services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="x",
                                            details="x", actor=clerk)
    services.answer_complaint(complaint, answer="Réponse", actor=director)
    client.force_login(director)
    assert client.post(reverse("life:complaint_step", args=[complaint.pk, "effacer"])).status_code == 404
    assert Complaint.objects.get(pk=complaint.pk).status == "answered"


def test_an_allegation_page_refuses_to_close_without_referral(client, custody, clerk, director):
    complaint = services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="Coups",
                                            details="x", is_allegation=True, actor=clerk)
    services.answer_complaint(complaint, answer="Examen médical", actor=director)
    client.force_login(director)
    response = client.post(reverse("life:complaint_step", args=[complaint.pk, "close"]), follow=True)
    assert "sans transmission enregistrée" in html(response)
    assert Complaint.objects.get(pk=complaint.pk).status == "answered"


def test_a_cell_leader_is_appointed_from_the_units_occupants(client, custody, security, cell):
    client.force_login(security)
    url = reverse("life:cell_leader_appoint", args=[cell.pk])
    refused = client.post(url, {"custody": custody.pk})
    assert "accord du personnel" in html(refused)
    assert client.post(url, {"custody": custody.pk, "agreement_noted": "on"}).status_code == 302
    page = html(client.get(reverse("life:cell_leaders", args=[cell.facility_id])))
    assert "TRAORÉ" in page


def test_enrolment_by_prisoner_number_and_the_gap_shown_by_category(client, bamako, clerk, director, social, cell):
    veo = factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, last_name="AG")
    ordinary = factories.detainee(bamako, actor=clerk, unit=cell, last_name="COULIBALY")
    for person in (veo, ordinary):
        services.allocate_prisoner_number(person, facility=bamako, actor=clerk)
        person.refresh_from_db()
    workshop = services.create_activity(bamako, name="Atelier mécanique", kind="mechanics",
                                        open_to_regimes=["standard"], actor=director)
    client.force_login(social)
    url = reverse("life:activity_enrol", args=[workshop.pk])
    refused = client.post(url, {"prisoner_number": veo.prisoner_number})
    assert refused.status_code == 400 and "terrorisme" in html(refused)
    assert client.post(url, {"prisoner_number": ordinary.prisoner_number}).status_code == 302
    access = html(client.get(reverse("life:activity_access", args=[bamako.pk])))
    table = access[access.index('id="access-gap"'):]
    rates = table[:table.index("</table>")].replace(",", ".")  # French decimal comma
    assert "fermée" in access and ">0.0<" in rates and ">100.0<" in rates


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


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_separation_and_access_pages_use_a_constant_number_of_queries(client, bamako, clerk, director, cell):
    services.create_activity(bamako, name="Bibliothèque", kind="library", open_to_regimes=["standard"], actor=director)
    factories.detainee(bamako, actor=clerk, unit=cell)
    client.force_login(director)
    urls = [reverse("life:separation", args=[bamako.pk]), reverse("life:activity_access", args=[bamako.pk]),
            reverse("life:cell_leaders", args=[bamako.pk]), reverse("life:transfer_list", args=[bamako.pk])]
    for url in urls:
        _queries(client, url)
    before = [_queries(client, url) for url in urls]
    for n in range(5):
        unit = factories.UnitFactory(facility=bamako, code=f"Q{n}", capacity=3)
        factories.detainee(bamako, actor=clerk, unit=unit, terrorism=n % 2 == 0, last_name=f"P{n}")
        services.create_activity(bamako, name=f"Activité {n}", kind="sport", open_to_regimes=["standard"],
                                 actor=director)
    assert Unit.objects.filter(facility=bamako).count() >= 6
    assert [_queries(client, url) for url in urls] == before


def test_overdue_reviews_are_listed(client, custody, security, director):
    today = timezone.localdate()
    services.classify(custody, risk="high", reasons="À l'arrivée", assessed_on=today - datetime.timedelta(days=200),
                      next_review_on=today - datetime.timedelta(days=20), actor=security)
    client.force_login(director)
    page = html(client.get(reverse("life:classification_list", args=[custody.facility_id]) + "?en_retard=1"))
    assert "en retard" in page and "TRAORÉ" in page


def test_the_family_notification_form_records_whom_the_person_chose(client, custody, clerk):
    client.force_login(clerk)
    response = client.post(reverse("life:family_notification_add", args=[custody.pk]), {
        "event": "admission", "choice": "wishes", "contact_name": "Oumou Traoré", "told_now": "on",
        "method": "phone"})
    assert response.status_code == 302
    notification = custody.family_notifications.get()
    assert notification.told_by == clerk and notification.contact_name == "Oumou Traoré"


def test_the_family_notification_form_is_prefilled_from_a_transfer(client, custody, clerk, kenieroba):
    transfer = services.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    client.force_login(clerk)
    detail = html(client.get(reverse("life:transfer_detail", args=[transfer.pk])))
    link = reverse("life:family_notification_add", args=[custody.pk]) + f"?transfert={transfer.pk}"
    assert link in detail
    form = html(client.get(link))
    assert f'<option value="{transfer.pk}" selected>' in form
