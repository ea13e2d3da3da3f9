"""LAW.md's deadline rules through both doors (issue 16 §5): police custody extensions,
crime renewals outside the window or longer than 12 months, the short-délit row and the
person's domicile. The arithmetic itself is tested with tables in test_deadlines.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from casework import services as case_services
from casework.deadlines.sweep import sweep
from casework.models import AlertKind, CaseDeadline, DeadlineAlert, DetentionOrder, LegalClass, OrderKind
from inmates import services as inmate_services
from inmates.models import Custody
from tests import factories
from tests.api_clients import client_for

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
ALERTS = "/api/v1/alerts/"


def case_after_police_custody(facility, clerk, *, hours, terrorism=False, **kw):
    """A person admitted 20 days ago after `hours` at the gendarmerie."""
    inmate = factories.detainee(facility, actor=clerk, admitted_at=timezone.now() - dt.timedelta(days=20),
                                terrorism=terrorism, **kw)
    custody = Custody.objects.get(inmate=inmate)
    inmate_services.record_prior_custody(custody, actor=clerk, kind="gendarmerie", place="Camp I",
                                         started_at=custody.admitted_at - dt.timedelta(hours=hours),
                                         ended_at=custody.admitted_at)
    return custody.cases.get()


def open_kinds(case):
    return set(DeadlineAlert.objects.filter(case=case, closed_at__isnull=True).values_list("kind", flat=True))


def extension_payload(case, **kw):
    issued = timezone.localtime(case.custody.admitted_at).date() - dt.timedelta(days=1)
    return {"kind": OrderKind.CUSTODY_EXTENSION, "issued_on": issued.isoformat(),
            "issued_by": "Procureur de la République, TGI C3", "reference": "AUT-GAV-7", **kw}


# --- police custody: 48 h unless a written extension is recorded --------------------------------

def test_sixty_hours_of_police_custody_without_extension_is_flagged_then_cured_on_the_page(
        client, clerk, bamako, django_capture_on_commit_callbacks):
    case = case_after_police_custody(bamako, clerk, hours=60)
    sweep()
    assert AlertKind.POLICE_CUSTODY in open_kinds(case)
    deadline = CaseDeadline.objects.get(case=case)
    assert (deadline.police_custody_hours, deadline.police_custody_limit_hours) == (60.0, 48)
    assert "sans prolongation écrite enregistrée" in deadline.notes
    client.force_login(clerk)
    page = client.get(reverse("deadlines:alert_list")).content.decode()
    assert "Garde à vue de 60 h, sans prolongation écrite enregistrée : limite de 48 h dépassée" in page
    file_page = client.get(reverse("inmates:inmate_detail", args=[case.custody.inmate_id])).content.decode()
    form_url = reverse("casework:order_add", args=[case.pk]) + "?kind=custody_ext"
    assert form_url in file_page
    assert client.get(form_url).context["forms"][0].initial["kind"] == OrderKind.CUSTODY_EXTENSION

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("casework:order_add", args=[case.pk]), extension_payload(case))
    assert response.status_code == 302
    assert CaseDeadline.objects.get(case=case).police_custody_limit_hours == 72
    assert AlertKind.POLICE_CUSTODY not in open_kinds(case)
    order = DetentionOrder.objects.get(case=case, kind=OrderKind.CUSTODY_EXTENSION)
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_type__model="detentionorder",
                                     target_id=str(order.pk), inmate_id=case.custody.inmate_id).exists()


def test_a_second_extension_of_ordinary_police_custody_is_refused_on_the_page(client, clerk, bamako):
    case = case_after_police_custody(bamako, clerk, hours=80)
    case_services.extend_police_custody(case, issued_on=timezone.localdate() - dt.timedelta(days=21),
                                        issued_by="Procureur", actor=clerk)
    client.force_login(clerk)
    response = client.post(reverse("casework:order_add", args=[case.pk]), extension_payload(case))
    assert response.status_code == 200
    assert "La garde à vue ne peut être prolongée que 1 fois" in response.content.decode()
    assert DetentionOrder.objects.filter(case=case, kind=OrderKind.CUSTODY_EXTENSION).count() == 1


def test_terrorism_police_custody_takes_two_extensions_of_48_hours_through_the_api(
        clerk, bamako, django_capture_on_commit_callbacks):
    case = case_after_police_custody(bamako, clerk, hours=130, terrorism=True)
    client = client_for(clerk)
    url = f"{CASES}{case.pk}/detention-orders/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, extension_payload(case), format="json").status_code == 201
    assert CaseDeadline.objects.get(case=case).police_custody_limit_hours == 96
    assert AlertKind.POLICE_CUSTODY in open_kinds(case)
    alert = client.get(ALERTS, {"kind": AlertKind.POLICE_CUSTODY}).data["results"][0]
    assert (alert["police_custody_hours"], alert["police_custody_limit_hours"]) == (130.0, 96)
    assert "1 prolongation(s) écrite(s) enregistrée(s) : limite de 96 h dépassée" in alert["notes"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, extension_payload(case), format="json").status_code == 201
    assert CaseDeadline.objects.get(case=case).police_custody_limit_hours == 144
    assert AlertKind.POLICE_CUSTODY not in open_kinds(case)
    third = client.post(url, extension_payload(case), format="json")
    assert third.status_code == 400
    assert "ne peut être prolongée que 2 fois" in third.data["kind"][0]


def test_an_extension_dated_after_admission_is_refused_through_the_api(clerk, bamako):
    case = case_after_police_custody(bamako, clerk, hours=60)
    response = client_for(clerk).post(f"{CASES}{case.pk}/detention-orders/",
                               extension_payload(case, issued_on=timezone.localdate().isoformat()), format="json")
    assert response.status_code == 400
    assert "pendant la garde à vue" in response.data["issued_on"][0]
    assert not DetentionOrder.objects.filter(case=case, kind=OrderKind.CUSTODY_EXTENSION).exists()


def test_another_prisons_clerk_cannot_record_an_extension(other_clerk, clerk, bamako, client):
    case = case_after_police_custody(bamako, clerk, hours=60)
    assert client_for(other_clerk).post(f"{CASES}{case.pk}/detention-orders/", extension_payload(case),
                                 format="json").status_code == 404
    client.force_login(other_clerk)
    assert client.post(reverse("casework:order_add", args=[case.pk]), extension_payload(case)).status_code == 404
    assert not DetentionOrder.objects.filter(case=case, kind=OrderKind.CUSTODY_EXTENSION).exists()


# --- crime renewals: within the 8 working days before expiry, 12 months at most ------------------

def crime_case(facility, clerk):
    """A crime committed 400 days ago: the first year ended 35 days ago."""
    inmate = factories.detainee(facility, actor=clerk, admitted_at=timezone.now() - dt.timedelta(days=400),
                                legal_class=LegalClass.CRIME)
    return Custody.objects.get(inmate=inmate).cases.get()


def test_a_crime_renewal_made_too_early_is_not_counted_and_the_alert_says_why(
        clerk, bamako, client, django_capture_on_commit_callbacks):
    case = crime_case(bamako, clerk)
    committal = case.detention_orders.get()
    early = committal.issued_on + dt.timedelta(days=200)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(f"{CASES}{case.pk}/detention-orders/", {
            "kind": "renewal", "renews": committal.pk, "issued_on": early.isoformat(),
            "issued_by": "M. Diarra", "valid_until": (early + dt.timedelta(days=300)).isoformat()}, format="json")
    assert response.status_code == 201, response.data
    deadline = CaseDeadline.objects.get(case=case)
    assert deadline.renewals_counted == 0
    assert deadline.deadline_on < timezone.localdate()
    assert AlertKind.OVERDUE in open_kinds(case)
    alert = client_for(clerk).get(ALERTS, {"kind": AlertKind.OVERDUE}).data["results"][0]
    assert "avant les 8 jours ouvrables" in alert["notes"] and "non prise en compte" in alert["notes"]
    client.force_login(clerk)
    assert "avant les 8 jours ouvrables" in client.get(reverse("deadlines:alert_list")).content.decode()


def test_a_crime_renewal_for_more_than_twelve_months_is_not_counted(clerk, bamako,
                                                                    django_capture_on_commit_callbacks):
    case = crime_case(bamako, clerk)
    committal = case.detention_orders.get()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.renew_detention_order(committal, issued_on=committal.issued_on + dt.timedelta(days=362),
                                            until=committal.issued_on + dt.timedelta(days=365 + 400),
                                            issued_by="M. Diarra", actor=clerk)
    deadline = CaseDeadline.objects.get(case=case)
    assert deadline.renewals_counted == 0
    assert "plus de 12 mois" in deadline.notes
    with django_capture_on_commit_callbacks(execute=True):
        case_services.renew_detention_order(committal, issued_on=committal.issued_on + dt.timedelta(days=363),
                                            until=committal.issued_on + dt.timedelta(days=365 + 300),
                                            issued_by="M. Diarra", actor=clerk)
    assert CaseDeadline.objects.get(case=case).renewals_counted == 1
    assert AlertKind.OVERDUE not in open_kinds(case)


# --- short délit: domiciled in Mali; first appearance assumed ----------------------------------

def test_the_domicile_chooses_the_row_through_the_api_and_the_page(clerk, bamako, client):
    inmate = factories.detainee(bamako, actor=clerk, admitted_at=timezone.now() - dt.timedelta(days=20))
    custody = Custody.objects.get(inmate=inmate)
    case = case_services.open_case(custody, actor=clerk, court=factories.court(), case_number="RI-SHORT/2026",
                                   charges=[{"offence": "Coups et blessures", "legal_class": LegalClass.DELIT,
                                             "max_penalty_months": 12}])
    case_services.record_detention_order(case, actor=clerk, kind=OrderKind.COMMITTAL,
                                         issued_on=timezone.localdate() - dt.timedelta(days=20), issued_by="Juge")
    sweep()
    deadline = CaseDeadline.objects.get(case=case)
    assert deadline.limit.key == "delit_short"
    assert "Domicile au Mali non renseigné" in deadline.notes
    assert "Première comparution non enregistrée : point de départ supposé" in deadline.notes

    inmate.refresh_from_db()
    response = client_for(clerk).patch(f"/api/v1/inmates/{inmate.pk}/", {
        "domiciled_in_mali": False, "reason": "Réside à Niamey (procès-verbal)", "version": inmate.version},
        format="json")
    assert response.status_code == 200, response.data
    assert response.data["domiciled_in_mali"] is False
    sweep()
    deadline = CaseDeadline.objects.get(case=case)
    assert deadline.limit.key == "delit_long"
    assert "non domiciliée au Mali" in deadline.notes

    client.force_login(clerk)
    form = client.get(reverse("inmates:inmate_edit", args=[inmate.pk])).context["forms"][0]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"domiciled_in_mali": "true", "reason": "Domicile à Bamako confirmé", "version": 2})
    data["region_of_origin"] = data.get("region_of_origin") or ""
    response = client.post(reverse("inmates:inmate_edit", args=[inmate.pk]), data)
    assert response.status_code == 302, response.context["forms"][0].errors
    inmate.refresh_from_db()
    assert inmate.domiciled_in_mali is True
    assert "Domicilié au Mali" in client.get(reverse("inmates:inmate_detail", args=[inmate.pk])).content.decode()
    sweep()
    deadline = CaseDeadline.objects.get(case=case)
    assert deadline.limit.key == "delit_short"
    assert "Domicile au Mali non renseigné" not in deadline.notes


# --- a person held with no case at all: "no detention order on file" (issue 16 §4) ---------------

def test_a_person_held_with_no_case_raises_the_no_order_alert_on_both_doors(
        client, clerk, other_clerk, bamako, django_capture_on_commit_callbacks):
    person = inmate_services.create_inmate(actor=clerk, last_name="KONATÉ", first_name="Issa", sex="M",
                                           birth_year=1990)
    response = client_for(clerk).post("/api/v1/custodies/", {"inmate": person.pk, "facility": bamako.pk,
                                                      "admitted_at": timezone.now().isoformat()}, format="json")
    assert response.status_code == 201
    custody = Custody.objects.get(inmate=person)
    first = sweep()
    assert first.opened["no_case"] == 1
    alert = DeadlineAlert.objects.get(custody=custody, case__isnull=True, closed_at__isnull=True)
    assert alert.kind == AlertKind.NO_ORDER
    assert sweep().opened["no_case"] == 0  # re-running never duplicates it

    rows = client_for(clerk).get(ALERTS, {"kind": AlertKind.NO_ORDER}).data["results"]
    assert [(r["custody"], r["case"], r["inmate_id"], r["legal_status"]) for r in rows] == [
        (custody.pk, None, person.pk, custody.legal_status)]
    assert client_for(other_clerk).get(ALERTS, {"kind": AlertKind.NO_ORDER}).data["results"] == []
    assert client_for(other_clerk).get(f"{ALERTS}{alert.pk}/").status_code == 404
    client.force_login(clerk)
    page = client.get(reverse("deadlines:alert_list")).content.decode()
    assert "KONATÉ" in page and "aucune affaire au dossier" in page
    client.force_login(other_clerk)
    assert "KONATÉ" not in client.get(reverse("deadlines:alert_list")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        case = client_for(clerk).post(CASES, {"custody": custody.pk, "court": factories.court().pk,
                                       "case_number": "RI-90/2026",
                                       "charges": [{"offence": "Vol", "legal_class": "delit"}]}, format="json")
    assert case.status_code == 201, case.data
    alert.refresh_from_db()
    assert alert.closed_at is not None and alert.close_reason == "order"
    # the case has no detention order yet: the alert is now the case's own
    assert DeadlineAlert.objects.filter(case_id=case.data["id"], kind=AlertKind.NO_ORDER,
                                        closed_at__isnull=True, custody=custody).exists()
