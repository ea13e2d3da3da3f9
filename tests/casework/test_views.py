import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from casework.models import Case, Charge, DetentionOrder, Hearing, Judgment
from inmates.models import Custody
from tests import factories

pytestmark = pytest.mark.django_db

# (url name, which object's id it takes)
FORMS = [
    ("casework:case_open", "custody"),
    ("casework:case_edit", "case"),
    ("casework:charge_add", "case"),
    ("casework:charge_status", "charge"),
    ("casework:order_add", "case"),
    ("casework:hearing_add", "case"),
    ("casework:judgment_add", "case"),
]


def _url(name, inmate):
    custody = inmate.custodies.get()
    case = custody.cases.get()
    ids = {"custody": custody.pk, "case": case.pk, "charge": case.charges.get().pk}
    return reverse(name, args=[ids[dict(FORMS)[name]]])


def _case(inmate):
    return Case.objects.get(custody__inmate=inmate)


def _file(inmate, case):
    return reverse("inmates:inmate_detail", args=[inmate.pk]) + f"#affaire-{case.pk}"


@pytest.mark.parametrize("name", [n for n, _ in FORMS])
def test_each_case_form_opens_for_a_clerk_of_the_prison(client, clerk, inmate, name):
    client.force_login(clerk)
    response = client.get(_url(name, inmate))
    assert response.status_code == 200
    assert "TRAORÉ" in response.content.decode()


@pytest.mark.parametrize("name", [n for n, _ in FORMS])
@pytest.mark.parametrize("method", ["get", "post"])
def test_each_case_form_is_not_found_for_another_prison(client, other_clerk, inmate, name, method):
    client.force_login(other_clerk)
    assert getattr(client, method)(_url(name, inmate)).status_code == 404


@pytest.mark.parametrize("name", [n for n, _ in FORMS])
@pytest.mark.parametrize("role", [Role.SECURITY, Role.MEDICAL])
def test_each_case_form_is_forbidden_to_a_role_without_the_permission(client, bamako, inmate, name, role):
    client.force_login(factories.staff(role, bamako))
    assert client.get(_url(name, inmate)).status_code == 403
    assert client.post(_url(name, inmate)).status_code == 403


def test_a_national_manager_cannot_record_a_hearing(client, manager, inmate):
    client.force_login(manager)
    assert client.post(_url("casework:hearing_add", inmate), {}).status_code == 403


def test_opening_a_case_with_its_first_charge(client, clerk, inmate):
    client.force_login(clerk)
    custody = inmate.custodies.get()
    response = client.post(_url("casework:case_open", inmate), {
        "case_number": "RI-77/2026", "court": factories.court("PJS-C6").pk, "investigating_judge": "Mme Coulibaly",
        "charge-offence": "Financement du terrorisme", "charge-legal_class": "crime",
        "charge-terrorism_related": "on", "charge-max_penalty_months": 240,
    })
    case = Case.objects.get(case_number="RI-77/2026")
    assert response.status_code == 302 and response["Location"] == _file(inmate, case)
    assert case.charges.get().terrorism_related
    assert Custody.objects.get(pk=custody.pk).terrorism_related
    page = client.get(response["Location"]).content.decode()
    assert "L&#x27;affaire a été ouverte." in page


def test_opening_a_case_without_a_charge_is_refused_in_french_and_keeps_the_input(client, clerk, inmate):
    client.force_login(clerk)
    before = Case.objects.count()
    response = client.post(_url("casework:case_open", inmate), {
        "case_number": "RI-78/2026", "court": factories.court().pk, "prosecutor": "Parquet de la Commune III",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html
    assert 'value="RI-78/2026"' in html and 'value="Parquet de la Commune III"' in html
    assert Case.objects.count() == before


def test_a_case_number_already_used_in_the_same_court_is_refused(client, clerk, inmate):
    case = _case(inmate)
    client.force_login(clerk)
    response = client.post(_url("casework:case_open", inmate), {
        "case_number": case.case_number, "court": case.court_id,
        "charge-offence": "Vol", "charge-legal_class": "delit",
    })
    assert response.status_code == 200
    assert "existe déjà" in response.content.decode()
    assert Case.objects.filter(custody__inmate=inmate).count() == 1


def test_editing_a_case_is_audited_with_the_reason(client, clerk, inmate):
    case = _case(inmate)
    client.force_login(clerk)
    response = client.post(_url("casework:case_edit", inmate), {
        "case_number": case.case_number, "court": case.court_id, "investigating_judge": "M. Diarra",
        "lawyer": "Me Sidibé", "reason": "Avocat désigné d'office",
    })
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).lawyer == "Me Sidibé"
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, target_type__model="case").get()
    assert entry.reason == "Avocat désigné d'office"


def test_adding_a_charge_makes_the_person_charged(client, clerk, bamako):
    person = factories.detainee(bamako, actor=clerk)
    client.force_login(clerk)
    response = client.post(_url("casework:charge_add", person), {
        "offence": "Détention illégale d'arme", "legal_class": "delit", "max_penalty_months": 60,
    })
    assert response.status_code == 302
    assert _case(person).charges.count() == 2


def test_dropping_a_charge_needs_a_reason_and_updates_the_legal_status(client, clerk, inmate):
    charge = _case(inmate).charges.get()
    client.force_login(clerk)
    url = _url("casework:charge_status", inmate)
    response = client.post(url, {"status": "dropped", "reason": ""})
    assert "Ce champ est obligatoire." in response.content.decode()
    assert Charge.objects.get(pk=charge.pk).status == "current"
    response = client.post(url, {"status": "dropped", "reason": "Non-lieu partiel du juge"})
    assert response.status_code == 302
    assert Charge.objects.get(pk=charge.pk).status == "dropped"
    assert inmate.custodies.get().legal_status == "suspect"


def test_recording_a_renewal_of_a_detention_order(client, clerk, inmate):
    case = _case(inmate)
    order = case.detention_orders.get()
    client.force_login(clerk)
    url = _url("casework:order_add", inmate)
    form = client.get(url, {"renews": order.pk}).context["forms"][0]
    assert (form.initial["kind"], form.initial["renews"]) == ("renewal", order.pk)
    today = timezone.localdate()
    response = client.post(url, {
        "kind": "renewal", "renews": order.pk, "issued_on": today.isoformat(),
        "issued_by": "M. Diarra", "valid_until": (today + datetime.timedelta(days=180)).isoformat(),
    })
    assert response.status_code == 302
    assert DetentionOrder.objects.get(renews=order).valid_until == today + datetime.timedelta(days=180)


def test_a_renewal_that_names_no_order_is_refused_in_french(client, clerk, inmate):
    client.force_login(clerk)
    response = client.post(_url("casework:order_add", inmate), {
        "kind": "renewal", "issued_on": timezone.localdate().isoformat(), "issued_by": "M. Diarra",
        "reference": "OPD-12",
    })
    html = response.content.decode()
    assert "Une prolongation doit indiquer le titre qu&#x27;elle prolonge." in html
    assert 'value="OPD-12"' in html
    assert _case(inmate).detention_orders.count() == 1


def test_an_adjourned_hearing_needs_its_new_date(client, clerk, inmate):
    client.force_login(clerk)
    url = _url("casework:hearing_add", inmate)
    data = {"date": timezone.localdate().isoformat(), "kind": "trial", "outcome": "adjourned",
            "notes": "Absence du témoin"}
    response = client.post(url, data)
    html = response.content.decode()
    assert "Indiquez la date de renvoi." in html and "Absence du témoin" in html
    assert not Hearing.objects.exists()
    data["adjourned_to"] = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    assert client.post(url, data).status_code == 302
    assert Hearing.objects.get().outcome == "adjourned"


def test_recording_a_conviction_changes_the_legal_status_on_the_file(client, clerk, inmate):
    client.force_login(clerk)
    url = _url("casework:judgment_add", inmate)
    response = client.post(url, {"level": "first", "decided_on": timezone.localdate().isoformat(),
                                 "verdict": "convicted"})
    assert "Indiquez la peine prononcée." in response.content.decode()
    assert not Judgment.objects.exists()
    response = client.post(url, {"level": "first", "decided_on": timezone.localdate().isoformat(),
                                 "verdict": "convicted", "sentence_months": 36})
    assert response.status_code == 302
    assert inmate.custodies.get().legal_status == "convicted"
    page = client.get(reverse("inmates:inmate_detail", args=[inmate.pk])).content.decode()
    assert "Condamné" in page and "36 mois" in page


def test_the_file_shows_case_buttons_only_to_roles_that_may_use_them(client, clerk, bamako, inmate):
    case = _case(inmate)
    client.force_login(clerk)
    html = client.get(reverse("inmates:inmate_detail", args=[inmate.pk])).content.decode()
    assert reverse("casework:hearing_add", args=[case.pk]) in html
    client.force_login(factories.staff(Role.SOCIAL, bamako))
    html = client.get(reverse("inmates:inmate_detail", args=[inmate.pk])).content.decode()
    assert reverse("casework:hearing_add", args=[case.pk]) not in html
    assert reverse("inmates:relative_add", args=[inmate.pk]) in html
