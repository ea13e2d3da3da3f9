"""An estimated age that may be under 18 flags "possible minor — verify age" on the file and
in a list (page and API) until a verification is recorded (issue 16 §4, Mandela Rule 11)."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from inmates import services
from inmates.models import Inmate
from tests import factories
from tests.api_clients import client_for

TODAY = datetime.date(2026, 12, 2)
FLAG = "mineur possible — vérifier l'âge"


@pytest.mark.parametrize("birth_year, margin, date_of_birth, verified, expected", [
    (2008, 0, None, False, True),    # "18" by the year only: may still be 17
    (2007, 0, None, False, False),   # 19 by the year: at least 18
    (2006, 2, None, False, True),    # 20 give or take 2: the range reaches 17
    (2006, 1, None, False, False),   # 20 give or take 1: 18 at least
    (2009, 0, None, False, False),   # 17 by the year: counted as a minor already, not "possible"
    (2008, 0, datetime.date(2008, 1, 5), False, False),  # exact date known
    (2008, 0, None, True, False),    # verified
    (None, 0, None, False, False),   # nothing known
])
def test_possible_minor_rule(birth_year, margin, date_of_birth, verified, expected):
    person = Inmate(last_name="A", first_name="B", sex="M", birth_year=birth_year, birth_year_margin=margin,
                    date_of_birth=date_of_birth, age_verified_at=timezone.now() if verified else None)
    assert person.possible_minor_on(TODAY) is expected


@pytest.mark.django_db
def test_the_queryset_finds_the_same_people_as_the_rule(clerk, bamako):
    year = timezone.localdate().year
    people = [services.create_inmate(actor=clerk, last_name=f"P{i}", first_name="X", sex="M", birth_year=by,
                                     birth_year_margin=m)
              for i, (by, m) in enumerate([(year - 18, 0), (year - 19, 0), (year - 20, 2), (year - 20, 1),
                                           (year - 17, 0), (None, 0)])]
    assert set(Inmate.objects.possible_minors()) == {p for p in people if p.possible_minor}
    assert len(set(Inmate.objects.possible_minors())) == 2


def page(response):
    return html.unescape(response.content.decode())


def eighteen_by_the_year(facility, clerk, **kw):
    return factories.detainee(facility, actor=clerk, birth_year=timezone.localdate().year - 18,
                              last_name="SANOGO", first_name="Moussa", **kw)


@pytest.mark.django_db
def test_the_file_and_the_list_show_the_flag_until_the_page_records_the_verification(client, clerk, bamako):
    person = eighteen_by_the_year(bamako, clerk)
    factories.detainee(bamako, actor=clerk, last_name="KEITA")
    client.force_login(clerk)
    file_url = reverse("inmates:inmate_detail", args=[person.pk])
    assert FLAG in page(client.get(file_url))
    listed = client.get(reverse("inmates:inmate_list"), {"possible_minor": "on"})
    assert [c.inmate_id for c in listed.context["page"]] == [person.pk]
    assert FLAG in page(listed)

    url = reverse("inmates:age_verify", args=[person.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"evidence": ""})
    assert refused.status_code == 200 and "Ce champ est obligatoire." in refused.content.decode()
    response = client.post(url, {"evidence": "Acte de naissance n°114/2007, Mopti",
                                 "date_of_birth": f"{timezone.localdate().year - 19}-03-01"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.age_verified_by == clerk and not person.possible_minor and person.age == 19
    assert FLAG not in page(client.get(file_url))
    assert not client.get(reverse("inmates:inmate_list"), {"possible_minor": "on"}).context["page"].object_list
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, target_type__model="inmate",
                                      target_id=str(person.pk)).latest("at")
    assert entry.changes["age_evidence"] == [None, "Acte de naissance n°114/2007, Mopti"]


@pytest.mark.django_db
def test_the_api_lists_flags_and_verifies(clerk, bamako, other_clerk):
    person = eighteen_by_the_year(bamako, clerk)
    factories.detainee(bamako, actor=clerk, last_name="KEITA")
    client = client_for(clerk)
    rows = client.get("/api/v1/inmates/", {"possible_minor": "true"}).data["results"]
    assert [(r["id"], r["possible_minor"]) for r in rows] == [(person.pk, True)]
    assert client.get(f"/api/v1/inmates/{person.pk}/").data["possible_minor"] is True

    url = f"/api/v1/inmates/{person.pk}/verify-age/"
    assert client_for(other_clerk).post(url, {"evidence": "Carte NINA"}, format="json").status_code == 404
    security = factories.staff(Role.SECURITY, bamako)
    assert client_for(security).post(url, {"evidence": "Carte NINA"}, format="json").status_code == 403
    response = client.post(url, {"evidence": "  "}, format="json")
    assert response.status_code == 400
    response = client.post(url, {"evidence": "Examen médical du 01/12/2026 : 19 à 21 ans"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["possible_minor"] is False and response.data["age_verified_at"]
    assert client.get("/api/v1/inmates/", {"possible_minor": "true"}).data["results"] == []
    again = client.post(url, {"evidence": "Carte NINA"}, format="json")
    assert again.status_code == 400 and "déjà été vérifié" in str(again.data)
