"""Accounts from outside the prison service in a real browser, on the walks' data set (made
through the real workflow, issue 14): a CNDH monitor opens the inspection view of Bamako and
cannot open a medical examination, an injury's medical details or another prison; a judge sees
only the cases of their cabinet. Screenshots: /tmp/outside-<who>.png."""

import pytest
from django.test.utils import override_settings
from playwright.sync_api import expect

from tests.browser.sessions import use_session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(OTP_REQUIRED=False)
def test_a_cndh_monitor_inspects_bamako_and_nothing_else(page, live_server, data_set):
    bko, klk = data_set.facilities["BKO"], data_set.facilities["KLK"]
    a = data_set.people["A"]
    use_session(page, live_server, data_set.staff["monitor"])
    page.goto(live_server.url + f"/rapports/etablissements/{bko}/inspection/")
    expect(page.get_by_role("heading", name="Discipline (Règles 36–46)")).to_be_visible()
    expect(page.get_by_role("heading", name="Isolement (Règles 43–46)")).to_be_visible()
    expect(page.get_by_role("heading", name="Incidents graves et blessures (Règles 69–72)")).to_be_visible()
    expect(page.get_by_role("heading", name="Usage de la force et moyens de contrainte (Règles 47–49, 82)")
           ).to_be_visible()
    page.screenshot(path="/tmp/outside-monitor-inspection.png", full_page=True)
    # Presumption of innocence: A is terrorism-related and untried; wherever A is listed, the
    # legal status is beside the name (the inspection view's person columns).
    assert "Ecchymoses aux poignets" not in page.content()
    # The injury's page: the incident is there, its medical details are not.
    page.goto(live_server.url + f"/vie-carcerale/incidents/{data_set.made['serious_incident']}/")
    assert "Escalier du bloc J" in page.content()
    assert "Ecchymoses aux poignets" not in page.content()
    # A medical examination (the intake's medical step, the intake sheet): refused.
    for url in (f"/ecrou/{a.intake}/etape/medical/", f"/ecrou/{a.intake}/fiche/"):
        response = page.goto(live_server.url + url)
        assert response.status in (403, 404), url
        assert "Ecchymoses aux poignets" not in page.content()
    # Another prison: not found, in French.
    response = page.goto(live_server.url + f"/rapports/etablissements/{klk}/inspection/")
    assert response.status == 404
    page.screenshot(path="/tmp/outside-monitor-other-prison.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(OTP_REQUIRED=False)
def test_a_judge_sees_only_the_cases_of_their_cabinet(page, live_server, data_set):
    people = data_set.people
    use_session(page, live_server, data_set.staff["judge"])
    page.goto(live_server.url + "/tribunal/")
    content = page.content()
    assert "DEMBELE" in content  # E's case is the judge's cabinet's
    for other in ("DOUMBIA", "KOUYATE", "SISSOKO", "FOFANA"):
        assert other not in content, other
    page.screenshot(path="/tmp/outside-judge-home.png", full_page=True)
    page.get_by_role("link", name="DEMBELE", exact=False).first.click()
    expect(page.get_by_text("DEMBELE").first).to_be_visible()
    page.screenshot(path="/tmp/outside-judge-case.png", full_page=True)
    # Another cabinet's case by a typed URL: not found; a person's file: not for a judge.
    response = page.goto(live_server.url + f"/tribunal/affaires/{people['B'].case}/")
    assert response.status == 404
    response = page.goto(live_server.url + f"/detenus/{people['A'].inmate}/")
    assert response.status in (403, 404)
