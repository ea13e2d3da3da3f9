"""Every read of a person's data leaves exactly one audit entry, through every door.

For each record kind, the page, the API and the admin are opened by the same director (staff
status for the admin) on data made through the services; each request must add exactly one
entry: VIEW (EXPORT for the printed release receipt) naming the actor, the record and the person,
or LIST naming the query and how many rows and people it returned. Then the ways round it:
another prison, a role without the permission, a replayed request.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from casework.deadlines.sweep import sweep
from casework.models import AlertKind, DeadlineAlert
from casework.releases import services as releases
from detention import services as detention_services
from detention.models import Complaint
from inmates import deaths
from inmates.models import Custody, Inmate, Placement, Release
from intake import services as intake_services
from tests import factories
from tests.custody_fixtures import populate_custody_life
from tests.intake.conftest import warrant_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(bamako, clerk, cell):
    """Two people and one record of every custody-life kind (a release among them), an allegation
    of ill-treatment, an overdue délit with its alert after the nightly sweep, an arrival in progress."""
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="DOUMBIA", first_name="Moussa")
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="KOUYATE", first_name="Seydou")
    populate_custody_life(bamako, clerk)
    first = Custody.objects.held().filter(facility=bamako).order_by("pk").first()
    allegation = detention_services.register_complaint(first, complainant_kind="detainee", channel="oral",
                                             subject="Coups lors de l'interrogatoire", details="Marques au bras",
                                             is_allegation=True, actor=clerk)
    overdue = factories.detainee(bamako, actor=clerk, unit=cell, last_name="DEMBELE", first_name="Adama",
                                 admitted_at=timezone.now() - datetime.timedelta(days=200))
    sweep()
    alert = DeadlineAlert.objects.get(case__custody__inmate=overdue, kind=AlertKind.OVERDUE)
    arrival = intake_services.register_arrival(warrant_data(), facility=bamako, actor=clerk)
    release_order = releases.record_release_order(
        alert.case, actor=clerk, kind="provisional", received_at=timezone.now() - datetime.timedelta(hours=2),
        brought_by="Planton du tribunal", authority="Chambre d'accusation", reference="LP-1")
    dying = factories.detainee(bamako, actor=clerk, unit=cell, last_name="KONE", first_name="Bakary")
    death = deaths.record_death(dying.custodies.get(), died_at=timezone.now() - datetime.timedelta(hours=1),
                                place="Infirmerie", circumstances="Malaise en cellule, médecin appelé.", actor=clerk)
    return {
        "release_order": release_order, "death": death,
        "complaint": allegation, "release": Release.objects.filter(custody__facility=bamako).exclude(custody__inmate=dying).get(),
        "placement": Placement.objects.filter(custody=first).order_by("pk").first(), "custody": first,
        "charge": alert.case.charges.get(), "alert": alert, "unit": cell, "intake": arrival,
        "inmate": first.inmate, "case": alert.case,
    }


@pytest.fixture
def reader(bamako):
    """The same director reads through every door (staff status: the admin too)."""
    return factories.staff(Role.DIRECTOR, bamako, username="directeur.lecteur", is_staff=True)


def _last_id():
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _read_once(client, url, reader, *, status=200):
    """GET `url`; the one audit entry it added (and only one)."""
    before = _last_id()
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    entries = list(AuditEntry.objects.filter(pk__gt=before).order_by("pk"))
    assert len(entries) == 1, (url, [(e.action, e.target_repr, e.changes) for e in entries])
    entry = entries[0]
    assert entry.actor == reader and entry.actor_name == reader.username
    return entry


def _names(entry, record):
    assert entry.target_type == ContentType.objects.get_for_model(record)
    assert entry.target_id == str(record.pk)


def _person(record):
    for path in ("custody.inmate_id", "case.custody.inmate_id", "inmate_id"):
        try:
            value = record
            for part in path.split("."):
                value = getattr(value, part)
            return value
        except AttributeError:
            continue
    return record.pk if isinstance(record, Inmate) else None


# (kind, door) → (url, action, the record the entry names). Release through the page is the
# printed receipt and file extract handed over: an export.
RECORD_READS = {
    ("complaint", "page"): (lambda w: reverse("life:complaint_detail", args=[w["complaint"].pk]), "view"),
    ("complaint", "api"): (lambda w: f"/api/v1/complaints/{w['complaint'].pk}/", "view"),
    ("complaint", "admin"): (lambda w: f"/admin/detention/complaint/{w['complaint'].pk}/change/", "view"),
    ("release", "page"): (lambda w: reverse("life:release_receipt", args=[w["release"].pk]), "export"),
    ("release", "api"): (lambda w: f"/api/v1/releases/{w['release'].pk}/", "view"),
    ("release", "admin"): (lambda w: f"/admin/inmates/release/{w['release'].pk}/change/", "view"),
    ("placement", "api"): (lambda w: f"/api/v1/placements/{w['placement'].pk}/", "view"),
    ("placement", "admin"): (lambda w: f"/admin/inmates/placement/{w['placement'].pk}/change/", "view"),
    ("charge", "page"): (lambda w: reverse("casework:charge_status", args=[w["charge"].pk]), "view"),
    ("charge", "api"): (lambda w: f"/api/v1/charges/{w['charge'].pk}/", "view"),
    ("charge", "admin"): (lambda w: f"/admin/casework/charge/{w['charge'].pk}/change/", "view"),
    ("alert", "api"): (lambda w: f"/api/v1/alerts/{w['alert'].pk}/", "view"),
    ("alert", "admin"): (lambda w: f"/admin/casework/deadlinealert/{w['alert'].pk}/change/", "view"),
    ("case", "page"): (lambda w: reverse("casework:case_edit", args=[w["charge"].case_id]), "view"),
    ("case", "admin"): (lambda w: f"/admin/casework/case/{w['charge'].case_id}/change/", "view"),
    ("inmate", "page"): (lambda w: reverse("inmates:inmate_edit", args=[w["inmate"].pk]), "view"),
    ("custody", "page"): (lambda w: reverse("life:placement_history", args=[w["custody"].pk]), "view"),
    ("custody", "admin"): (lambda w: f"/admin/inmates/custody/{w['custody'].pk}/change/", "view"),
    ("inmate", "admin"): (lambda w: f"/admin/inmates/inmate/{w['inmate'].pk}/change/", "view"),
    ("intake", "admin"): (lambda w: f"/admin/intake/intake/{w['intake'].pk}/change/", "view"),
    ("release_order", "page"): (lambda w: reverse("casework:release_order_execute", args=[w["release_order"].pk]),
                                "view"),
    ("release_order", "api"): (lambda w: f"/api/v1/release-orders/{w['release_order'].pk}/", "view"),
    ("release_order", "admin"): (lambda w: f"/admin/casework/releaseorder/{w['release_order'].pk}/change/", "view"),
    ("death", "page"): (lambda w: reverse("life:death_notifications", args=[w["death"].pk]), "view"),
    ("death", "api"): (lambda w: f"/api/v1/deaths/{w['death'].pk}/", "view"),
    ("death", "admin"): (lambda w: f"/admin/inmates/deathincustody/{w['death'].pk}/change/", "view"),
}


def _client(door, user):
    client = APIClient()
    if door == "api":
        client.force_authenticate(user=user)
    else:
        client.force_login(user)
    return client


def test_reading_a_record_leaves_one_entry_naming_actor_record_and_person(world, reader):
    """Every kind through every door (one data set for all: it is made through the services)."""
    clients = {door: _client(door, reader) for door in ("page", "api", "admin")}
    for (kind, door), (url, action) in RECORD_READS.items():
        record = world[kind]
        entry = _read_once(clients[door], url(world), reader)
        assert (kind, door, entry.action) == (kind, door, action)
        _names(entry, record)
        assert (kind, door, entry.inmate_id) == (kind, door, _person(record))


# (kind, door) → (url, the query it must name). Each list or search: one LIST entry.
LIST_READS = {
    ("inmate search", "page"): (lambda w: reverse("inmates:inmate_list") + "?q=DOUMBIA", {"q": "DOUMBIA"}),
    ("inmate search", "api"): (lambda w: "/api/v1/inmates/?q=DOUMBIA", {"q": "DOUMBIA"}),
    ("inmate search", "admin"): (lambda w: "/admin/inmates/inmate/?q=DOUMBIA", {"q": "DOUMBIA"}),
    ("intake list", "page"): (lambda w: reverse("intake:intake_list"), None),
    ("intake list", "api"): (lambda w: "/api/v1/intakes/", None),
    ("intake list", "admin"): (lambda w: "/admin/intake/intake/", None),
    ("unit occupants", "page"): (lambda w: reverse("inmates:unit_occupants", args=[w["unit"].pk]), None),
    ("placement history", "api"): (lambda w: f"/api/v1/placements/?custody={w['custody'].pk}",
                                   {"custody": "{custody}"}),
    ("complaints", "page"): (lambda w: reverse("life:complaint_list", args=[w["custody"].facility_id])
                             + "?etat=allegations", {"etat": "allegations"}),
    ("complaints", "api"): (lambda w: "/api/v1/complaints/", None),
    ("complaints", "admin"): (lambda w: "/admin/detention/complaint/", None),
    ("releases", "api"): (lambda w: "/api/v1/releases/", None),
    ("charges", "api"): (lambda w: "/api/v1/charges/", None),
    ("charges", "admin"): (lambda w: "/admin/casework/charge/", None),
    ("alerts", "page"): (lambda w: reverse("deadlines:alert_list") + "?kind=overdue", {"kind": "overdue"}),
    ("alerts", "api"): (lambda w: "/api/v1/alerts/?kind=overdue", {"kind": "overdue"}),
    ("alerts", "admin"): (lambda w: "/admin/casework/deadlinealert/", None),
    ("custodies", "api"): (lambda w: "/api/v1/custodies/", None),
    ("cases", "api"): (lambda w: "/api/v1/cases/", None),
    ("release orders", "api"): (lambda w: "/api/v1/release-orders/?kind=provisional", {"kind": "provisional"}),
    ("release orders", "admin"): (lambda w: "/admin/casework/releaseorder/", None),
    ("deaths", "api"): (lambda w: "/api/v1/deaths/", None),
    ("deaths", "admin"): (lambda w: "/admin/inmates/deathincustody/", None),
}


def test_a_list_or_search_leaves_one_entry_with_its_query_and_counts(world, reader):
    clients = {door: _client(door, reader) for door in ("page", "api", "admin")}
    for (kind, door), (url, query) in LIST_READS.items():
        entry = _read_once(clients[door], url(world), reader)
        changes = entry.changes
        assert (kind, door, entry.action) == (kind, door, AuditAction.LIST)
        assert changes["résultats"] >= 1 and 1 <= changes["personnes"] <= changes["résultats"], (kind, door, changes)
        if query:
            expected = {k: v.format(custody=world["custody"].pk) for k, v in query.items()}
            assert expected.items() <= changes["requête"].items(), (kind, door, changes)


def test_a_search_counts_the_people_it_found(world, reader):
    client = _client("page", reader)
    entry = _read_once(client, reverse("inmates:inmate_list") + "?q=DOUMBIA", reader)
    assert (entry.changes["résultats"], entry.changes["personnes"]) == (1, 1)
    entry = _read_once(_client("api", reader), "/api/v1/inmates/?q=ZZZNOBODY", reader)
    assert (entry.changes["résultats"], entry.changes["personnes"]) == (0, 0)
    # The journal shows what was searched, to the director of the prison.
    body = client.get(reverse("accounts:audit_list")).content.decode()
    assert "Consultation d&#x27;une liste ou recherche" in body or "Consultation d'une liste ou recherche" in body
    assert "ZZZNOBODY" in body and "DOUMBIA" in body


def test_an_allegation_read_through_the_api_is_on_the_persons_trail(world, reader):
    complaint = world["complaint"]
    entry = _read_once(_client("api", reader), f"/api/v1/complaints/{complaint.pk}/", reader)
    assert AuditEntry.objects.filter(inmate_id=complaint.custody.inmate_id, action=AuditAction.VIEW,
                                     pk=entry.pk).exists()


def test_each_replayed_read_is_recorded_again(world, reader):
    client = _client("api", reader)
    url = f"/api/v1/releases/{world['release'].pk}/"
    first = _read_once(client, url, reader)
    second = _read_once(client, url, reader)
    assert first.pk != second.pk and second.target_id == first.target_id


@pytest.mark.parametrize("door", ["page", "api", "admin"])
def test_another_prisons_reader_gets_404_and_nothing_is_read(world, koulikoro, door):
    """A director of Koulikoro with staff status: Bamako's complaint is not there, at any door."""
    outsider = factories.staff(Role.DIRECTOR, koulikoro, username="directeur.klk", is_staff=True)
    pk = world["complaint"].pk
    url = {"page": reverse("life:complaint_detail", args=[pk]), "api": f"/api/v1/complaints/{pk}/",
           "admin": f"/admin/detention/complaint/{pk}/change/"}[door]
    before = _last_id()
    assert _client(door, outsider).get(url).status_code == 404
    assert not AuditEntry.objects.filter(pk__gt=before, action=AuditAction.VIEW).exists()


def test_a_confidential_complaint_stays_out_of_reach_of_the_admin_door(world, bamako, clerk, reader):
    """The admin's change view goes through the same read service: confidentiality holds there too."""
    custody = world["custody"]
    confidential = detention_services.register_complaint(custody, complainant_kind="detainee", channel="written",
                                               subject="Plainte confidentielle", details="…", is_confidential=True,
                                               addressed_to=reader, actor=clerk)
    nosy = factories.staff(Role.CLERK, bamako, username="greffier.curieux", is_staff=True)
    before = _last_id()
    assert _client("admin", nosy).get(f"/admin/detention/complaint/{confidential.pk}/change/").status_code in (403, 404)
    assert _client("api", nosy).get(f"/api/v1/complaints/{confidential.pk}/").status_code == 404
    assert not AuditEntry.objects.filter(pk__gt=before, action=AuditAction.VIEW).exists()
    assert Complaint.objects.visible_to(reader).filter(pk=confidential.pk).exists()


def test_a_role_without_the_permission_is_refused_before_anything_is_read(world, bamako):
    """The medical staff do not read the release register: 403 at the API, nothing recorded as read."""
    doctor = factories.staff(Role.MEDICAL, bamako, username="medecin.bko")
    before = _last_id()
    client = _client("api", doctor)
    assert client.get(f"/api/v1/releases/{world['release'].pk}/").status_code == 403
    assert client.get("/api/v1/releases/").status_code == 403
    assert not AuditEntry.objects.filter(pk__gt=before).exists()


def test_a_refused_query_is_not_recorded_as_a_list(world, reader):
    """A malformed filter is a 400 and returns nobody: no LIST entry."""
    before = _last_id()
    assert _client("api", reader).get("/api/v1/placements/?custody=abc").status_code == 400
    assert not AuditEntry.objects.filter(pk__gt=before, action=AuditAction.LIST).exists()
