"""Each role's home page in a real browser, on the walks' data set (made through the real
workflow): the work queues come first, with their counts, and each opens its filtered list.
Screenshots: /tmp/queues-home-<role>.png."""

import pytest
from django.test.utils import override_settings
from playwright.sync_api import expect

from tests.browser.sessions import use_session

# role → (a queue with work waiting in the data set, text its list then shows)
WAITING = {
    "clerk": ("Arrivées en attente de l'administration", "SANOGO"),
    "security": ("Révisions de classement en retard", "KOUYATE"),
    "medical": ("Examens médicaux d'entrée en attente", "Aucun écrou en cours."),
    "social": ("Entretiens sociaux d'entrée en attente", "Aucun écrou en cours."),
    "director": ("Personnes retenues sans titre valable", "DIARRA"),
    "dnapes": ("Détentions provisoires en dépassement", "DEMBELE"),
}




@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(OTP_REQUIRED=False)
def test_each_roles_home_page_starts_with_its_work_queues(page, live_server, data_set):
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    for role, (label, shown) in WAITING.items():
        use_session(page, live_server, data_set.staff[role])
        page.goto(live_server.url + "/")
        queues = page.locator("section.queues")
        expect(queues.get_by_role("heading", name="À faire")).to_be_visible()
        link = queues.get_by_role("link", name=label)
        expect(link).to_be_visible()
        page.screenshot(path=f"/tmp/queues-home-{role}.png", full_page=True)
        # The queues come before the dashboard's figures.
        box = queues.bounding_box()
        assert box["y"] < 300, role
        if role == "medical":
            assert page.locator("[data-queue=intake_medical]").count() == 1
        else:
            assert page.locator("[data-queue=intake_medical]").count() == 0, role
        link.click()
        expect(page.locator("main")).to_contain_text(shown)
    assert csp_errors == []
