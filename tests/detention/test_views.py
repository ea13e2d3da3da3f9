"""Pages of the `life` section: hubs, classification, cell leaders, visits, complaints, activities, family."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from detention import services as detention_services
from detention.models import Complaint, Visit
from inmates import movements, services
from prisons.models import Unit
from tests import factories
from tests.custody_fixtures import custody, kenieroba, knb_cell, knb_clerk, last_weekday  # noqa: F401
from tests.query_counts import page_queries

pytestmark = pytest.mark.django_db


TUESDAY = 1


# Pages about one custody (url name) and about one facility (url name).
CUSTODY_PAGES = ["life:custody_life", "life:transfer_request", "life:cell_move", "life:release_form",
                 "life:visit_add", "life:complaint_add", "life:family_notification_add", "life:placement_history"]


FACILITY_PAGES = ["life:transfer_list", "life:classification_list", "life:separation", "life:cell_leaders",
                  "life:visit_list", "life:complaint_list", "life:activity_list", "life:activity_access"]


def html(response):
    return response.content.decode()


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


def test_a_role_without_the_permission_gets_403(client, custody, social, bamako):
    client.force_login(social)
    assert client.get(reverse("life:transfer_request", args=[custody.pk])).status_code == 403
    assert client.get(reverse("life:release_form", args=[custody.pk])).status_code == 403
    assert client.get(reverse("life:visiting_days", args=[bamako.pk])).status_code == 403
    medical = factories.staff(Role.MEDICAL, bamako)
    client.force_login(medical)
    assert client.get(reverse("life:transfer_list", args=[bamako.pk])).status_code == 403


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
    detention_services.record_visit(custody, visitor={"last_name": "A", "first_name": "B", "id_document_kind": "nina",
                                            "id_document_number": "9"}, kind="family",
                          arrived_at=last_weekday(TUESDAY), actor=clerk)


def test_confidential_complaints_are_hidden_from_the_register_and_404_for_others(client, custody, clerk, director):
    secret = detention_services.register_complaint(custody, complainant_kind="detainee", channel="box", subject="Sujet secret",
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
    complaint = detention_services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="x",
                                            details="x", actor=clerk)
    detention_services.answer_complaint(complaint, answer="Réponse", actor=director)
    client.force_login(director)
    assert client.post(reverse("life:complaint_step", args=[complaint.pk, "effacer"])).status_code == 404
    assert Complaint.objects.get(pk=complaint.pk).status == "answered"


def test_an_allegation_page_refuses_to_close_without_referral(client, custody, clerk, director):
    complaint = detention_services.register_complaint(custody, complainant_kind="detainee", channel="oral", subject="Coups",
                                            details="x", is_allegation=True, actor=clerk)
    detention_services.answer_complaint(complaint, answer="Examen médical", actor=director)
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
    workshop = detention_services.create_activity(bamako, name="Atelier mécanique", kind="mechanics",
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


def test_enrolment_finds_the_person_by_name_as_well(client, bamako, clerk, director, social, cell, koulikoro,
                                                   other_clerk):
    """Issue 11, item 2: the enrolment asks for a person, not only their exact prisoner number."""
    one = factories.detainee(bamako, actor=clerk, unit=cell, last_name="SANGARÉ", first_name="Modibo")
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="TRAORÉ", first_name="Awa")
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="TRAORÉ", first_name="Bintou")
    factories.detainee(koulikoro, actor=other_clerk, last_name="DEMBÉLÉ", first_name="Issa")
    for person in (one,):
        services.allocate_prisoner_number(person, facility=bamako, actor=clerk)
    library = detention_services.create_activity(bamako, name="Bibliothèque", kind="library",
                                                 open_to_regimes=["standard"], actor=director)
    client.force_login(social)
    url = reverse("life:activity_enrol", args=[library.pk])
    assert client.post(url, {"prisoner_number": "sangaré modibo"}).status_code == 302
    assert library.enrolments.filter(custody__inmate=one).exists()
    several = client.post(url, {"prisoner_number": "Traoré"})
    assert several.status_code == 400 and "Plusieurs personnes" in html(several) and "Awa" in html(several)
    elsewhere = client.post(url, {"prisoner_number": "Dembélé"})  # held in another prison: not found
    assert elsewhere.status_code == 400 and "sous ce numéro ou ce nom" in html(elsewhere)
    assert library.enrolments.count() == 1


_queries = page_queries


def test_separation_and_access_pages_use_a_constant_number_of_queries(client, bamako, clerk, director, cell):
    detention_services.create_activity(bamako, name="Bibliothèque", kind="library", open_to_regimes=["standard"], actor=director)
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
        detention_services.create_activity(bamako, name=f"Activité {n}", kind="sport", open_to_regimes=["standard"],
                                 actor=director)
    assert Unit.objects.filter(facility=bamako).count() >= 6
    assert [_queries(client, url) for url in urls] == before


def test_overdue_reviews_are_listed(client, custody, security, director):
    today = timezone.localdate()
    detention_services.classify(custody, risk="high", reasons="À l'arrivée", assessed_on=today - datetime.timedelta(days=200),
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
    transfer = movements.request_transfer(custody, to_facility=kenieroba, reason="x", actor=clerk)
    client.force_login(clerk)
    detail = html(client.get(reverse("life:transfer_detail", args=[transfer.pk])))
    link = reverse("life:family_notification_add", args=[custody.pk]) + f"?transfert={transfer.pk}"
    assert link in detail
    form = html(client.get(link))
    assert f'<option value="{transfer.pk}" selected>' in form


def test_the_classification_form_preselects_no_level_and_requires_one(client, custody, security):
    client.force_login(security)
    url = reverse("life:classification_form", args=[custody.pk])
    page = client.get(url).content.decode()
    assert '<option value="" selected>— Choisissez le niveau —</option>' in page
    select = page.split('name="risk"')[1].split("</select>")[0]
    assert select.count("selected") == 1
    response = client.post(url, {"reasons": "Menaces répétées envers un codétenu",
                                 "next_review_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat()})
    assert response.status_code == 200 and "Ce champ est obligatoire." in response.content.decode()
    assert not custody.classifications.exists()


def test_the_director_authorises_a_family_visit_outside_the_visiting_days_on_the_page(client, custody, clerk,
                                                                                      director):
    visit = {"last_name": "Diallo", "first_name": "Awa", "id_document_kind": "nina", "id_document_number": "N-3",
             "kind": "family", "arrived_at": last_weekday(TUESDAY).strftime("%Y-%m-%dT%H:%M"),
             "exception_reason": "Décès du père, la sœur vient de Kayes"}
    url = reverse("life:visit_add", args=[custody.pk])
    client.force_login(clerk)  # no exception field for the gate; a forged one is refused
    assert 'name="exception_reason"' not in html(client.get(url))
    response = client.post(url, visit)
    assert response.status_code == 200 and "les visites ont lieu le vendredi" in html(response)
    assert "La direction peut autoriser une exception" in html(response)
    assert not Visit.objects.exists()
    client.force_login(director)
    assert 'name="exception_reason"' in html(client.get(url))
    response = client.post(url, {**visit, "exception_reason": ""})
    assert response.status_code == 200 and not Visit.objects.exists()
    response = client.post(url, visit)
    assert response.status_code == 302
    recorded = Visit.objects.get()
    assert (recorded.exception_authorised_by, recorded.exception_reason) == (director, visit["exception_reason"])
    entry = AuditEntry.objects.filter(action=AuditAction.CREATE, target_type__model="visit").latest("id")
    assert entry.changes["exception_reason"] == [None, visit["exception_reason"]]
    assert "Décès du père" in entry.reason
    register = html(client.get(reverse("life:visit_list", args=[custody.facility_id])))
    assert "hors jour de visite" in register and "Décès du père" in register
