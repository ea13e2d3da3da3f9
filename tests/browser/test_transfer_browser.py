"""One transfer from Bamako Central Prison to Kéniéroba, in a real browser: Bamako's clerk
requests it, Bamako's director approves, the clerk records the departure with the escort;
Kéniéroba's clerk sees the arrival coming and records it. At every step the person is in
one place only. Screenshots: /tmp/transfer-*.png."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from inmates.models import Custody, Placement, Transfer, TransferStatus
from prisons.models import Facility
from tests import factories
from tests.browser.sessions import sign_in


@pytest.fixture
def world(transactional_db):
    bamako, kenieroba = Facility.objects.get(code="BKO"), Facility.objects.get(code="KNB")
    clerk = factories.staff(Role.CLERK, bamako, username="greffe.bko", first_name="Awa", last_name="Keïta")
    cell = factories.UnitFactory(facility=bamako, code="A1", name="Cellule A1", capacity=7)
    dorm = factories.UnitFactory(facility=kenieroba, code="K1", name="Dortoir K1", capacity=40)
    inmate = factories.detainee(bamako, actor=clerk, unit=cell, last_name="TRAORÉ", first_name="Mamadou")
    return {
        "bamako": bamako, "kenieroba": kenieroba, "dorm": dorm, "custody": inmate.custodies.get(),
        "clerk": clerk,
        "director": factories.staff(Role.DIRECTOR, bamako, username="direction.bko", first_name="Modibo",
                                    last_name="Sissoko"),
        "knb_clerk": factories.staff(Role.CLERK, kenieroba, username="greffe.knb", first_name="Fanta",
                                     last_name="Coulibaly"),
    }


def where(custody):
    custody = Custody.objects.get(pk=custody.pk)
    units = list(Placement.objects.filter(custody=custody, ended_at__isnull=True).values_list("unit__code", flat=True))
    moving = Transfer.objects.filter(custody=custody, status=TransferStatus.DEPARTED).exists()
    return custody.facility.code, units, moving


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transfer_from_bamako_to_kenieroba_seen_coming_and_received(page, live_server, world):
    custody = world["custody"]

    # 1. Bamako's clerk opens the person's custody life and requests the transfer.
    sign_in(page, live_server, "greffe.bko")
    page.goto(f"{live_server.url}/vie-carcerale/sejours/{custody.pk}/")
    expect(page.locator("#whereabouts")).to_contain_text("Cellule A1")
    page.get_by_role("link", name="Demander un transfert").click()
    page.get_by_label("Établissement d'accueil").select_option(label="Centre de détention de Kéniéroba")
    page.get_by_label("Motif du transfert").fill("Désengorgement de la maison centrale (faible risque)")
    page.get_by_label("Escorte prévue").fill("Garde nationale, adjudant Keïta")
    page.get_by_label("Scellé des effets").fill("S-2026-114")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#transfer-status")).to_have_text("Demandé")
    page.screenshot(path="/tmp/transfer-1-requested.png", full_page=True)
    transfer_url = page.url
    assert where(custody) == ("BKO", ["A1"], False)

    # 2. Bamako's director approves.
    sign_in(page, live_server, "direction.bko")
    page.goto(transfer_url)
    page.get_by_role("button", name="Approuver le transfert").click()
    expect(page.locator("#transfer-status")).to_have_text("Approuvé")

    # 3. The clerk records the departure with the escort and the property.
    sign_in(page, live_server, "greffe.bko")
    page.goto(transfer_url)
    page.get_by_label("Effets remis à l'escorte").fill("1 téléphone Itel, carte NINA, 12 500 F CFA (scellé S-2026-114)")
    page.get_by_role("button", name="La personne part avec l'escorte").click()
    expect(page.locator("#transfer-status")).to_have_text("Parti (en route)")
    page.screenshot(path="/tmp/transfer-2-departed.png", full_page=True)
    assert where(custody) == ("BKO", [], True)

    # 4. Kéniéroba's clerk sees the arrival coming, with the legal status beside the person.
    sign_in(page, live_server, "greffe.knb")
    page.get_by_role("link", name="Vie carcérale").click()
    page.get_by_role("link", name="Centre de détention de Kéniéroba").click()
    arrivals = page.locator("section", has=page.locator("#arrivees"))
    expect(arrivals).to_contain_text("TRAORÉ Mamadou")
    expect(arrivals).to_contain_text("Parti (en route)")
    expect(arrivals).to_contain_text("Inculpé, en attente de jugement")
    page.screenshot(path="/tmp/transfer-3-incoming.png", full_page=True)

    # 5. … and records the arrival in a dormitory of Kéniéroba.
    arrivals.get_by_role("link", name="Ouvrir").click()
    page.get_by_label("Unité d'arrivée").select_option(str(world["dorm"].pk))
    page.get_by_label("Effets reçus (scellé intact ?)").fill("Scellé S-2026-114 intact")
    page.get_by_role("button", name="La personne est arrivée").click()
    expect(page.locator("#transfer-status")).to_have_text("Arrivé")
    expect(page.locator("ol.steps")).to_contain_text("Fanta Coulibaly")
    page.screenshot(path="/tmp/transfer-4-arrived.png", full_page=True)
    assert where(custody) == ("KNB", ["K1"], False)

    # Bamako no longer holds the person; the custody-life page at Kéniéroba shows the dormitory.
    page.goto(f"{live_server.url}/vie-carcerale/sejours/{custody.pk}/")
    expect(page.locator("#whereabouts")).to_contain_text("Dortoir K1")
