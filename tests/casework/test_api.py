import datetime

import pytest

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from casework import services
from casework.models import Case, Charge, Court, DetentionOrder, Hearing, Judgment
from inmates.models import Custody
from tests import factories
from tests.api_clients import client_for, queries_for

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
CHARGES = "/api/v1/charges/"
COURTS = "/api/v1/courts/"


def case_of(inmate):
    return Case.objects.get(custody__inmate=inmate)


@pytest.fixture
def klk_inmate(koulikoro, other_clerk):
    return factories.detainee(koulikoro, actor=other_clerk, last_name="COULIBALY")


def test_a_clerk_lists_only_their_prisons_cases_with_everything_nested(clerk, inmate, klk_inmate):
    response = client_for(clerk).get(CASES)
    assert response.status_code == 200
    [row] = response.data["results"]
    assert row["inmate"] == inmate.pk and row["facility_code"] == "BKO"
    assert (row["legal_status"], row["legal_status_display"], row["terrorism_related"]) == (
        "charged", "Inculpé, en attente de jugement", False)
    assert [c["offence"] for c in row["charges"]] == ["Vol qualifié"]
    assert [o["kind"] for o in row["detention_orders"]] == ["committal"]
    assert row["hearings"] == [] and row["judgments"] == []


def test_cases_filter_by_court_status_terrorism_judge_and_facility(manager, bamako, koulikoro, clerk, other_clerk):
    veo = factories.detainee(bamako, actor=clerk, terrorism=True)
    convicted = factories.detainee(bamako, actor=clerk, convicted=True)
    elsewhere = factories.detainee(koulikoro, actor=other_clerk)
    services.update_case(case_of(elsewhere), actor=other_clerk, investigating_judge="Mme Sidibé")
    client = client_for(manager)

    def inmates(**params):
        return {r["inmate"] for r in client.get(CASES, params).data["results"]}

    assert inmates(court=factories.court("PJS-C6").pk) == {veo.pk}
    assert inmates(terrorism_related="true") == {veo.pk}
    assert inmates(terrorism_related="false") == {convicted.pk, elsewhere.pk}
    assert inmates(legal_status="convicted") == {convicted.pk}
    assert inmates(investigating_judge="sidib") == {elsewhere.pk}
    assert inmates(facility=bamako.pk) == {veo.pk, convicted.pk}


def test_another_prisons_clerk_gets_404_for_a_case(other_clerk, inmate):
    assert client_for(other_clerk).get(f"{CASES}{case_of(inmate).pk}/").status_code == 404


def test_a_clerk_opens_a_case_with_its_charges(clerk, inmate):
    custody = inmate.custodies.get()
    response = client_for(clerk).post(CASES, {
        "custody": custody.pk, "court": factories.court("PJS-C6").pk, "case_number": "RI-0099/2026",
        "investigating_judge": "M. Keïta", "opened_on": "2026-10-01",
        "charges": [{"offence": "Financement du terrorisme", "legal_class": "crime", "terrorism_related": True}],
    }, format="json")
    assert response.status_code == 201, response.data
    assert (response.data["legal_status"], response.data["terrorism_related"]) == ("charged", True)
    assert Custody.objects.get(pk=custody.pk).terrorism_related is True
    case = Case.objects.get(case_number="RI-0099/2026")
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_type__model="case",
                                     target_id=str(case.pk)).exists()


def test_a_case_with_bad_input_is_refused_in_french_and_nothing_is_written(clerk, inmate):
    custody = inmate.custodies.get()
    client = client_for(clerk)
    response = client.post(CASES, {"custody": custody.pk, "court": factories.court().pk}, format="json")
    assert response.data == {"case_number": ["Ce champ est obligatoire."]}
    existing = case_of(inmate)
    response = client.post(CASES, {"custody": custody.pk, "court": existing.court_id,
                                   "case_number": existing.case_number}, format="json")
    assert response.status_code == 400
    assert "existe déjà" in response.data["non_field_errors"][0]
    response = client.post(CASES, {"custody": custody.pk, "court": existing.court_id, "case_number": "N-1",
                                   "charges": [{"offence": "Vol", "legal_class": "misdemeanour"}]}, format="json")
    assert response.status_code == 400
    assert "choix valide" in response.data["charges"][0]["legal_class"][0]
    assert Case.objects.filter(custody=custody).count() == 1


def test_a_case_cannot_be_opened_on_another_prisons_custody(other_clerk, inmate):
    response = client_for(other_clerk).post(CASES, {
        "custody": inmate.custodies.get().pk, "court": factories.court().pk, "case_number": "X-1",
    }, format="json")
    assert response.status_code == 400
    assert "custody" in response.data
    assert not Case.objects.filter(case_number="X-1").exists()


def test_a_security_officer_cannot_open_or_change_a_case(bamako, inmate):
    security = factories.staff(Role.SECURITY, bamako)
    client = client_for(security)
    case = case_of(inmate)
    assert client.get(f"{CASES}{case.pk}/").status_code == 200
    assert client.post(CASES, {"custody": inmate.custodies.get().pk, "court": factories.court().pk,
                               "case_number": "S-1"}, format="json").status_code == 403
    assert client.patch(f"{CASES}{case.pk}/", {"lawyer": "Me X"}, format="json").status_code == 403
    assert client.post(f"{CASES}{case.pk}/hearings/", {"date": "2026-11-01", "kind": "examination"},
                       format="json").status_code == 403


def test_a_clerk_corrects_a_case_and_the_change_is_audited(clerk, inmate):
    case = case_of(inmate)
    response = client_for(clerk).patch(f"{CASES}{case.pk}/", {"lawyer": "Me Tapo", "reason": "Désignation"},
                                       format="json")
    assert response.status_code == 200, response.data
    assert response.data["lawyer"] == "Me Tapo"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_type__model="case")
    assert entry.changes == {"lawyer": ["", "Me Tapo"]} and entry.reason == "Désignation"


def test_another_prisons_clerk_cannot_correct_or_add_to_a_case(other_clerk, inmate):
    case = case_of(inmate)
    client = client_for(other_clerk)
    assert client.patch(f"{CASES}{case.pk}/", {"lawyer": "Me X"}, format="json").status_code == 404
    assert client.post(f"{CASES}{case.pk}/charges/", {"offence": "X", "legal_class": "delit"},
                       format="json").status_code == 404
    assert Charge.objects.filter(case=case).count() == 1


def test_adding_a_terrorism_charge_updates_the_custodys_flag(clerk, inmate):
    case = case_of(inmate)
    response = client_for(clerk).post(f"{CASES}{case.pk}/charges/", {
        "offence": "Apologie du terrorisme", "legal_class": "delit", "terrorism_related": True,
        "max_penalty_months": 60,
    }, format="json")
    assert response.status_code == 201, response.data
    custody = inmate.custodies.get()
    assert (custody.legal_status, custody.terrorism_related) == ("charged", True)


def test_a_renewal_must_name_an_order_of_the_same_case(clerk, bamako, inmate):
    case = case_of(inmate)
    other_order = DetentionOrder.objects.get(case=case_of(factories.detainee(bamako, actor=clerk)))
    client = client_for(clerk)
    url = f"{CASES}{case.pk}/detention-orders/"
    payload = {"kind": "renewal", "issued_on": "2026-11-01", "issued_by": "M. Diarra", "valid_until": "2027-05-01"}
    response = client.post(url, payload, format="json")
    assert response.data == {"renews": ["Une prolongation doit indiquer le titre qu'elle prolonge."]}
    response = client.post(url, {**payload, "renews": other_order.pk}, format="json")
    assert response.status_code == 400 and "renews" in response.data
    original = case.detention_orders.get()
    response = client.post(url, {**payload, "renews": original.pk}, format="json")
    assert response.status_code == 201, response.data
    assert case.detention_orders.count() == 2


def test_a_hearing_adjourned_without_a_date_is_refused(clerk, inmate):
    case = case_of(inmate)
    url = f"{CASES}{case.pk}/hearings/"
    client = client_for(clerk)
    response = client.post(url, {"date": "2026-11-02", "kind": "trial", "outcome": "adjourned"}, format="json")
    assert response.data == {"adjourned_to": ["Indiquez la date de renvoi."]}
    response = client.post(url, {"date": "2026-11-02", "kind": "trial", "outcome": "adjourned",
                                 "adjourned_to": "2026-12-07"}, format="json")
    assert response.status_code == 201, response.data
    assert Hearing.objects.get(case=case).adjourned_to == datetime.date(2026, 12, 7)


def test_a_conviction_needs_a_sentence_and_then_changes_the_legal_status(clerk, inmate):
    case = case_of(inmate)
    url = f"{CASES}{case.pk}/judgments/"
    client = client_for(clerk)
    response = client.post(url, {"decided_on": "2026-11-10", "verdict": "convicted"}, format="json")
    assert response.data == {"sentence_months": ["Indiquez la peine prononcée."]}
    assert not Judgment.objects.exists()
    response = client.post(url, {"decided_on": "2026-11-10", "verdict": "convicted", "sentence_months": 36},
                           format="json")
    assert response.status_code == 201, response.data
    assert client.get(f"{CASES}{case.pk}/").data["legal_status"] == "convicted"
    assert inmate.custodies.get().legal_status == "convicted"


def test_dropping_a_charge_needs_a_reason_and_recomputes_the_status(clerk, inmate):
    charge = Charge.objects.get(case__custody__inmate=inmate)
    client = client_for(clerk)
    url = f"{CHARGES}{charge.pk}/status/"
    response = client.post(url, {"status": "dropped", "reason": " "}, format="json")
    assert response.status_code == 400
    assert response.data == {"reason": ["Indiquez le motif."]}
    response = client.post(url, {"status": "dropped", "reason": "Réquisitoire de non-lieu partiel"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "dropped"
    assert inmate.custodies.get().legal_status == "suspect"
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, target_type__model="charge",
                                     reason="Réquisitoire de non-lieu partiel").exists()


def test_a_charges_status_is_out_of_reach_of_other_prisons_and_other_roles(other_clerk, bamako, inmate):
    charge = Charge.objects.get(case__custody__inmate=inmate)
    payload = {"status": "dropped", "reason": "r"}
    assert client_for(other_clerk).post(f"{CHARGES}{charge.pk}/status/", payload,
                                        format="json").status_code == 404
    assert client_for(other_clerk).get(f"{CHARGES}{charge.pk}/").status_code == 404
    security = factories.staff(Role.SECURITY, bamako)
    assert client_for(security).post(f"{CHARGES}{charge.pk}/status/", payload, format="json").status_code == 403
    assert Charge.objects.get(pk=charge.pk).status == "current"


def test_every_role_reads_the_courts_but_nobody_writes_them_through_the_api(bamako):
    security = factories.staff(Role.SECURITY, bamako)
    response = client_for(security).get(COURTS, {"kind": "ct_pole"})
    assert response.status_code == 200
    assert [c["code"] for c in response.data["results"]] == ["PJS-C6"]
    assert response.data["results"][0]["is_counter_terrorism_pole"] is True
    assert client_for(security).get(COURTS).data["count"] == Court.objects.count()
    admin = factories.staff(Role.ADMIN)
    assert client_for(admin).post(COURTS, {"code": "X"}, format="json").status_code == 405


def test_the_case_list_costs_the_same_queries_at_any_size(clerk, bamako):
    client = client_for(clerk)
    for _ in range(2):
        factories.detainee(bamako, actor=clerk)
    client.get(CASES)
    small = queries_for(client, CASES)
    for n in range(4):
        person = factories.detainee(bamako, actor=clerk, terrorism=bool(n % 2), convicted=n == 3)
        services.record_hearing(case_of(person), actor=clerk, date=datetime.date(2026, 11, 1), kind="examination")
    assert queries_for(client, CASES) == small


def test_reading_a_case_is_recorded_as_opening_the_file(clerk, inmate):
    response = client_for(clerk).get(f"{CASES}{case_of(inmate).pk}/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert (entry.actor, entry.inmate_id) == (clerk, inmate.pk)


def test_the_charge_list_is_scoped_and_costs_the_same_queries_at_any_size(clerk, bamako, klk_inmate):
    client = client_for(clerk)
    factories.detainee(bamako, actor=clerk)
    client.get(CHARGES)
    small = queries_for(client, CHARGES)
    for _ in range(3):
        factories.detainee(bamako, actor=clerk)
    assert queries_for(client, CHARGES) == small
    listed = client.get(CHARGES).data
    assert listed["count"] == 4
    assert klk_inmate.pk not in {Charge.objects.get(pk=r["id"]).case.custody.inmate_id for r in listed["results"]}


def test_the_national_manager_reads_every_prisons_cases_but_writes_none(manager, inmate, klk_inmate):
    client = client_for(manager)
    assert client.get(CASES).data["count"] == 2
    response = client.post(f"{CASES}{case_of(inmate).pk}/hearings/", {"date": "2026-11-01", "kind": "examination"},
                           format="json")
    assert response.status_code == 403
    assert not Hearing.objects.exists()


def test_an_absurd_sentence_length_is_a_400_not_a_server_error(clerk, inmate):
    """Found by schemathesis (coverage phase): 9 223 372 036 854 775 806 months overflowed the
    sentence-end computation (500). A sentence is at most 100 years; life is its own box."""
    case = case_of(inmate)
    url = f"{CASES}{case.pk}/judgments/"
    client = client_for(clerk)
    for months in (9223372036854775806, 1201):
        response = client.post(url, {"decided_on": "2026-11-10", "verdict": "convicted", "sentence_months": months,
                                     "sentence_starts_on": "2026-11-10"}, format="json")
        assert response.status_code == 400, response.data
        assert "1200" in response.data["sentence_months"][0]
    assert not Judgment.objects.exists()
    response = client.post(url, {"decided_on": "2026-11-10", "verdict": "convicted", "sentence_months": 1200,
                                 "sentence_starts_on": "2026-11-10"}, format="json")
    assert response.status_code == 201, response.data
