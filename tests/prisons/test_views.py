import pytest
from django.urls import reverse

from tests import factories
from tests.query_counts import page_queries

pytestmark = pytest.mark.django_db


_queries = page_queries


def test_the_facility_list_shows_occupancy_counted_from_the_records(client, clerk, bamako, cell):
    factories.detainee(bamako, actor=clerk, unit=cell)
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="KEITA", convicted=True)
    client.force_login(clerk)
    response = client.get(reverse("prisons:facility_list"))
    assert response.status_code == 200
    row = next(f for f in response.context["facilities"] if f.pk == bamako.pk)
    assert (row.held, row.untried, row.untried_rate) == (2, 1, 50.0)
    assert row.congestion == 0.5
    assert "arrêt de Bamako" in response.content.decode()


def test_a_prison_clerk_sees_only_their_own_facility_in_the_list(client, clerk, koulikoro):
    client.force_login(clerk)
    response = client.get(reverse("prisons:facility_list"))
    names = [f.name for f in response.context["facilities"]]
    assert names == ["Maison centrale d'arrêt de Bamako"]


def test_the_national_list_puts_destroyed_and_closed_facilities_apart(client, manager):
    client.force_login(manager)
    response = client.get(reverse("prisons:facility_list"))
    operational = {f.code for f in response.context["facilities"]}
    others = {f.code for f in response.context["others"]}
    assert {"BKO", "KLK"} <= operational
    assert {"KID", "ASG", "GAO"} <= others
    assert not operational & others
    assert "Établissements hors service" in response.content.decode()


def test_the_facility_page_shows_blocks_cells_and_over_capacity(client, clerk, bamako):
    block = factories.UnitFactory(facility=bamako, code="QJ", name="Quartier des jihadistes",
                                  kind="block", capacity=0, regime="veo")
    small = factories.UnitFactory(facility=bamako, parent=block, code="QJ-1", name="Cellule QJ-1",
                                  capacity=1, regime="veo")
    factories.detainee(bamako, actor=clerk, unit=small, terrorism=True)
    factories.detainee(bamako, actor=clerk, unit=small, terrorism=True, last_name="CISSÉ")
    client.force_login(clerk)
    response = client.get(reverse("prisons:facility_detail", args=[bamako.pk]))
    assert response.status_code == 200
    [shown] = [b for b in response.context["blocks"] if b.pk == block.pk]
    [cell] = shown.cells
    assert (cell.occupants, cell.over, shown.total_occupants) == (2, True, 2)
    html = response.content.decode()
    assert "surpeuplée" in html and "Quartier désigné (terrorisme)" in html
    assert reverse("inmates:unit_occupants", args=[small.pk]) in html


def test_the_facility_page_says_when_a_cell_mixes_untried_and_convicted(client, clerk, bamako, cell):
    factories.detainee(bamako, actor=clerk, unit=cell)
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="KEITA", convicted=True)
    client.force_login(clerk)
    response = client.get(reverse("prisons:facility_detail", args=[bamako.pk]))
    assert "prévenus et condamnés mélangés" in response.content.decode()


def test_the_facility_page_shows_terrorism_figures_beside_legal_status(client, clerk, bamako, cell):
    factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True)
    client.force_login(clerk)
    response = client.get(reverse("prisons:facility_detail", args=[bamako.pk]))
    html = response.content.decode()
    assert "Affaires liées au terrorisme" in html
    assert "Inculpé, en attente de jugement" in html


def test_another_prisons_facility_page_is_not_found(client, other_clerk, bamako):
    client.force_login(other_clerk)
    assert client.get(reverse("prisons:facility_detail", args=[bamako.pk])).status_code == 404


def test_a_national_manager_opens_any_facility_page(client, manager, koulikoro):
    client.force_login(manager)
    assert client.get(reverse("prisons:facility_detail", args=[koulikoro.pk])).status_code == 200


def test_facility_pages_need_a_signed_in_user(client, bamako):
    response = client.get(reverse("prisons:facility_detail", args=[bamako.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_user_without_a_role_is_refused_the_facility_list(client, bamako):
    nobody = factories.UserFactory(facilities=[bamako])
    client.force_login(nobody)
    assert client.get(reverse("prisons:facility_list")).status_code == 403


def test_the_facility_list_query_count_does_not_grow_with_facilities(client, manager, clerk, bamako):
    client.force_login(manager)
    before = _queries(client, reverse("prisons:facility_list"))
    for _ in range(5):
        facility = factories.FacilityFactory()
        factories.detainee(facility, actor=clerk)
    assert _queries(client, reverse("prisons:facility_list")) == before


def test_the_facility_page_query_count_does_not_grow_with_cells_or_people(client, clerk, bamako):
    block = factories.UnitFactory(facility=bamako, code="B", name="Bâtiment B", kind="block", capacity=0)

    def add(n):
        for _ in range(n):
            unit = factories.UnitFactory(facility=bamako, parent=block)
            factories.detainee(bamako, actor=clerk, unit=unit)

    client.force_login(clerk)
    add(2)
    small = _queries(client, reverse("prisons:facility_detail", args=[bamako.pk]))
    add(3)
    assert _queries(client, reverse("prisons:facility_detail", args=[bamako.pk])) == small


def test_a_building_counts_the_occupants_of_its_cells_and_the_fill_is_worded(client, clerk, bamako):
    from inmates.forms import unit_label
    from prisons.models import Unit, occupancy_text

    block = factories.UnitFactory(facility=bamako, code="BB", name="Bâtiment B", kind="block", capacity=11)
    one = factories.UnitFactory(facility=bamako, parent=block, code="BB-1", name="Cellule BB-1", capacity=1)
    two = factories.UnitFactory(facility=bamako, parent=block, code="BB-2", name="Cellule BB-2", capacity=10)
    factories.detainee(bamako, actor=clerk, unit=two)
    factories.detainee(bamako, actor=clerk, unit=two, last_name="CISSÉ")
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[block.pk, one.pk, two.pk]).with_occupancy()}
    assert (units[block.pk].occupants, units[one.pk].occupants, units[two.pk].occupants) == (2, 0, 2)
    assert occupancy_text(0, 1) == "0 occupant pour 1 place"
    assert occupancy_text(2, 11) == "2 occupants pour 11 places"
    assert "BB-1 — Cellule BB-1 (0 occupant pour 1 place," in unit_label(units[one.pk])
    assert "(2 occupants pour 11 places," in unit_label(units[block.pk])
    client.force_login(clerk)
    page = client.get(reverse("prisons:facility_detail", args=[bamako.pk])).content.decode()
    assert "2 occupants pour 11 places" in page and " / 1 place" not in page
    page = client.get(reverse("inmates:unit_occupants", args=[block.pk])).content.decode()
    assert "2 occupants pour 11 places" in page and "CISSÉ" in page
    response = client.get(f"/api/v1/units/{block.pk}/")
    assert response.json()["occupants"] == 2
