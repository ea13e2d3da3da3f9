import pytest
from django.urls import reverse

from accounts.roles import Role
from inmates import services as inmate_services
from tests import factories
from tests.query_counts import page_queries

pytestmark = pytest.mark.django_db


def _queries(client):
    return page_queries(client, reverse("home"))


def test_a_clerk_sees_their_prisons_figures(client, clerk, bamako, cell):
    factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True)
    factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, convicted=True, last_name="KEITA")
    factories.detainee(bamako, actor=clerk, held=False, last_name="DIALLO")
    client.force_login(clerk)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    [facility] = response.context["facilities"]
    assert (facility.held, facility.untried, facility.breakdown["intake"]) == (3, 2, 1)
    assert facility.breakdown["terrorism"] == {"suspect": 0, "charged": 1, "appeal": 0, "convicted": 1}
    html = response.content.decode()
    assert "Tableau de bord" in html and "Dernières arrivées" in html
    assert "DIALLO" in html and "écrou en cours" in html
    assert "Affaires liées au terrorisme, par statut juridique" in html


def test_a_clerk_never_sees_another_prisons_figures(client, other_clerk, inmate):
    client.force_login(other_clerk)
    response = client.get(reverse("home"))
    assert [f.code for f in response.context["facilities"]] == ["KLK"]
    assert "TRAORÉ" not in response.content.decode()


def test_a_national_manager_sees_every_facility_with_the_destroyed_ones_apart(client, manager, inmate):
    client.force_login(manager)
    response = client.get(reverse("home"))
    assert response.context["national"]
    assert "BKO" in {f.code for f in response.context["facilities"]}
    assert "KID" in {f.code for f in response.context["others"]}
    assert response.context["totals"]["held"] == 1
    html = response.content.decode()
    assert "Situation nationale des établissements" in html and "Établissements hors service" in html


def test_an_administrator_sees_the_national_table(client):
    admin = factories.staff(Role.ADMIN)
    client.force_login(admin)
    assert client.get(reverse("home")).context["national"]


def test_the_home_page_needs_a_signed_in_user(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_clerks_dashboard_query_count_does_not_grow_with_people(client, clerk, bamako, cell):
    client.force_login(clerk)
    for _ in range(2):
        factories.detainee(bamako, actor=clerk, unit=cell)
    small = _queries(client)
    for _ in range(4):
        factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True)
    assert _queries(client) == small


def test_the_national_dashboard_query_count_does_not_grow_with_facilities(client, manager, clerk):
    client.force_login(manager)
    small = _queries(client)
    for _ in range(4):
        facility = factories.FacilityFactory()
        factories.detainee(facility, actor=clerk)
    assert _queries(client) == small


def test_a_director_of_two_prisons_sees_both(client, bamako, koulikoro):
    director = factories.staff(Role.DIRECTOR, bamako, koulikoro)
    person = factories.detainee(koulikoro, actor=director)
    inmate_services.add_alias(person, name="Petit", kind="alias", actor=director)
    client.force_login(director)
    response = client.get(reverse("home"))
    assert [f.code for f in response.context["facilities"]] == ["BKO", "KLK"]
