"""The follow-up aggregates over time (oversight.followup_trend): the nightly snapshot keeps each
night's raw counts with that night's legal status; the trend shows each month's last snapshot,
protected by oversight.suppression like the day's report; scoped; on the page and the API."""

import datetime

from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from casework import services as case_services
from followup import services
from oversight import followup_trend
from oversight.models import FollowupSnapshot
from oversight.tasks import snapshot_followup
from tests import factories

from .conftest import answers_for


def _month_ago(today):
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)


def _people(facility, clerk, cell, n, **kwargs):
    return [factories.detainee(facility, actor=clerk, unit=cell, last_name=f"{kwargs.get('terrorism', '')}P{i}",
                               **kwargs).custodies.get() for i in range(n)]


def _assess(custodies, version, social, soon):
    for custody in custodies:
        services.record_assessment(custody, version=version, answers=answers_for(version), actor=social,
                                   justification="J", conclusion="C", next_review_on=soon)


def _client(user, api=False):
    if api:
        client = APIClient()
        client.force_authenticate(user=user)
        return client
    client = Client()
    client.force_login(user)
    return client


def _row(month, category):
    return next(r for r in month["rows"] if r["category"] == category)


def _cell(month, category, column):
    return next(c for c in _row(month, category)["cells"] if c["column"] == column)


def test_the_snapshot_keeps_raw_counts_per_prison_and_category_and_is_rewritten_in_place(
        bamako, cell, clerk, social, version, soon):
    others = _people(bamako, clerk, cell, 6)
    terror = _people(bamako, clerk, cell, 2, terrorism=True)
    _assess(others[:4] + terror[:1], version, social, soon)
    assert snapshot_followup() == 2  # the nightly task: two categories held in Bamako
    rows = {s.category: s for s in FollowupSnapshot.objects.filter(day=timezone.localdate())}
    assert set(rows) == {"other", f"terror-{terror[0].legal_status}"}
    assert (rows["other"].held, rows["other"].assessed, rows["other"].planned) == (6, 4, 0)
    assert (rows[f"terror-{terror[0].legal_status}"].held, rows[f"terror-{terror[0].legal_status}"].assessed) == (2, 1)
    _assess(others[4:5], version, social, soon)
    assert followup_trend.write_snapshots() == 2
    assert FollowupSnapshot.objects.filter(day=timezone.localdate()).count() == 2
    assert FollowupSnapshot.objects.get(day=timezone.localdate(), category="other").assessed == 5
    assert settings.CELERY_BEAT_SCHEDULE["daily-followup-snapshot"]["task"] == "oversight.tasks.snapshot_followup"


def test_the_trend_shows_twelve_months_each_from_its_last_snapshot(bamako, cell, clerk, social, version, soon,
                                                                     dnapes):
    today = timezone.localdate()
    others = _people(bamako, clerk, cell, 10)
    earlier = _month_ago(today)
    followup_trend.write_snapshots(earlier - datetime.timedelta(days=5))  # replaced by the month's later night
    _assess(others[:5], version, social, soon)
    followup_trend.write_snapshots(earlier)
    _assess(others[5:10], version, social, soon)
    followup_trend.write_snapshots()
    trend = followup_trend.trend(dnapes)
    assert len(trend) == 12 and trend[-1]["month"] == f"{today:%Y-%m}"
    assert [m["day"] for m in trend[:-2]] == [None] * 10  # no snapshot: said, not made up
    last_month, this_month = trend[-2], trend[-1]
    assert last_month["day"] == earlier.isoformat() and this_month["day"] == today.isoformat()
    assert _cell(last_month, "other", "national")["measures"]["assessed"]["value"] == 5
    assert _cell(last_month, "other", "national")["measures"]["assessed"]["percent"] == 50.0
    assert _cell(this_month, "other", "national")["measures"]["assessed"]["value"] == 10
    # The page's series: the ten months without a snapshot are one line.
    held = followup_trend.series(trend)[0]
    assert held["key"] == "held" and [line["missing"] for line in held["lines"]] == ["none", "", ""]
    assert held["lines"][0]["label"].count("/") == 2


def test_each_month_keeps_the_legal_status_of_its_night_beside_the_terrorism_figures(
        bamako, cell, clerk, social, version, soon, dnapes):
    today = timezone.localdate()
    terror = _people(bamako, clerk, cell, 6, terrorism=True)
    _people(bamako, clerk, cell, 6)
    status_then = terror[0].legal_status
    followup_trend.write_snapshots(_month_ago(today))
    for custody in terror:  # all six judged since: convicted
        case_services.record_judgment(custody.cases.get(), actor=clerk, decided_on=today, verdict="convicted",
                                      sentence_months=120)
    followup_trend.write_snapshots()
    trend = followup_trend.trend(dnapes)
    last_month, this_month = trend[-2], trend[-1]
    assert status_then != "convicted"
    assert _cell(last_month, f"terror-{status_then}", "national")["held"]["value"] == 6
    assert _cell(last_month, "terror-convicted", "national")["held"]["text"] == "< 5"
    assert _cell(this_month, "terror-convicted", "national")["held"]["value"] == 6
    labels = [r["label"] for r in this_month["rows"] if r["category"].startswith("terror-")]
    assert labels == ["Terrorisme — Suspect, non inculpé", "Terrorisme — Inculpé, en attente de jugement",
                      "Terrorisme — Condamné", "Terrorisme — Condamné, en appel"]
    client = _client(dnapes)
    page = client.get("/rapports/suivi-individuel/").content.decode()
    trend_html = page[page.index('id="trend"'):]
    for label in labels:
        assert label in trend_html


def test_small_cells_are_protected_in_every_month_of_the_trend(bamako, cell, clerk, social, version, soon, dnapes):
    others = _people(bamako, clerk, cell, 7)
    _assess(others[:6], version, social, soon)
    followup_trend.write_snapshots(_month_ago(timezone.localdate()))
    month = followup_trend.trend(dnapes)[-2]
    assessed = _cell(month, "other", str(bamako.pk))["measures"]["assessed"]
    held = _cell(month, "other", str(bamako.pk))["held"]
    # 6 of 7: the one not assessed is under 5, so the 6 is hidden too (7 − 6 would give it away).
    assert held["value"] == 7 and assessed["value"] is None and assessed["text"] == "n.d."
    assert assessed["percent"] is None
    terror = _cell(month, "terror-charged", "national")["held"]
    assert terror["text"] == "< 5" and terror["value"] is None


def test_the_trend_is_scoped_and_served_by_the_api(bamako, koulikoro, cell, clerk, social, version, soon, dnapes):
    _people(bamako, clerk, cell, 6)
    klk_clerk = factories.staff(Role.CLERK, koulikoro, username="greffe.klk.trend")
    klk_cell = factories.UnitFactory(facility=koulikoro, code="K1", name="Dortoir K1", capacity=60)
    _people(koulikoro, klk_clerk, klk_cell, 8)
    followup_trend.write_snapshots()
    director = factories.staff(Role.DIRECTOR, bamako, username="dir.trend")
    mine = followup_trend.trend(director)[-1]
    assert [c["key"] for c in mine["columns"]] == [str(bamako.pk), "national"]
    assert _cell(mine, "all", "national")["held"]["value"] == 6
    national = _client(dnapes, api=True).get("/api/v1/reports/followup/").json()
    assert len(national["trend"]) == 12
    assert _cell(national["trend"][-1], "all", "national")["held"]["value"] == 14
    api = _client(director, api=True)
    answer = api.get("/api/v1/reports/followup/", {"facility": bamako.pk}).json()
    assert _cell(answer["trend"][-1], "all", "national")["held"]["value"] == 6
    assert api.get("/api/v1/reports/followup/", {"facility": koulikoro.pk}).status_code == 404
    for user in (social, factories.staff(Role.SECURITY, bamako, username="sec.trend")):
        assert _client(user, api=True).get("/api/v1/reports/followup/").status_code == 403



def test_a_prison_grouped_with_others_that_month_is_said_so_on_the_page(bamako, koulikoro, cell, clerk, dnapes):
    _people(bamako, clerk, cell, 6)
    klk_clerk = factories.staff(Role.CLERK, koulikoro, username="greffe.klk.grouped")
    klk_cell = factories.UnitFactory(facility=koulikoro, code="K1", name="Dortoir K1", capacity=60)
    _people(koulikoro, klk_clerk, klk_cell, 2)  # under 5: Koulikoro's column is grouped with Bamako's
    followup_trend.write_snapshots()
    month = followup_trend.trend(dnapes)[-1]
    assert [c["key"] for c in month["columns"]] == ["others", "national"]
    held = followup_trend.series([month], column=str(koulikoro.pk))[0]
    assert held["lines"] == [{"month": month["month"], "label": held["lines"][0]["label"], "day": month["day"],
                              "cells": None, "missing": "grouped"}]
    national = followup_trend.series([month])[0]["lines"][0]
    assert national["missing"] == "" and national["cells"][-1]["value"] == 8
