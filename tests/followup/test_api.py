"""The follow-up API: the same services, reads and need-to-know as the pages."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from accounts.roles import Role
from detention.models import Classification
from followup.models import Assessment, IndividualPlan, PlanStatus
from tests import factories

from .conftest import answers_for


def client_for(user):
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def _day(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_assess_draft_and_approve_through_the_api(custody, version, social, director, bamako):
    api = client_for(social)
    response = api.post("/api/v1/followup/assessments/", {
        "custody": custody.pk, "answers": answers_for(version), "justification": "Entretien",
        "conclusion": "Alphabétisation d'abord", "next_review_on": _day(90)}, format="json")
    assert response.status_code == 201, response.json()
    assert len(response.json()["answers"]) == version.domains.count() + 5
    bad = api.post("/api/v1/followup/assessments/", {
        "custody": custody.pk, "answers": {"reading": "none"}, "justification": "x", "conclusion": "y",
        "next_review_on": _day(90)}, format="json")
    assert bad.status_code == 400 and "Répondez à chaque élément" in str(bad.json())
    assert Assessment.objects.count() == 1
    plan = api.post("/api/v1/followup/plans/", {"custody": custody.pk, "summary": "S", "goals": ["Lire"],
                                                 "next_review_on": _day(60)}, format="json")
    assert plan.status_code == 201, plan.json()
    plan_id = plan.json()["id"]
    boss = client_for(director)
    session = boss.post("/api/v1/followup/committee-sessions/", {
        "facility": bamako.pk, "held_on": timezone.localdate().isoformat(),
        "members": [{"role": "director", "name": "D"}, {"role": "medical", "name": "M"}]}, format="json")
    assert session.status_code == 201, session.json()
    sid = session.json()["id"]
    assert client_for(social).post(f"/api/v1/followup/committee-sessions/{sid}/decisions/", {
        "custody": custody.pk, "kind": "plan", "plan": plan_id, "reasons": "R"}, format="json").status_code == 403
    done = boss.post(f"/api/v1/followup/committee-sessions/{sid}/decisions/", {
        "custody": custody.pk, "kind": "plan", "plan": plan_id, "reasons": "Approuvé"}, format="json")
    assert done.status_code == 200, done.json()
    assert IndividualPlan.objects.get().status == PlanStatus.APPROVED
    regime = boss.post(f"/api/v1/followup/committee-sessions/{sid}/decisions/", {
        "custody": custody.pk, "kind": "regime", "risk": "medium", "reasons": "Réexamen",
        "next_review_on": _day(120)}, format="json")
    assert regime.status_code == 200 and Classification.objects.get(custody=custody).risk == "medium"


def test_need_to_know_and_scope_in_the_api(custody, version, social, security, dnapes, kenieroba, soon):
    from followup import services

    assessment = services.record_assessment(custody, version=version, answers=answers_for(version), actor=social,
                                            justification="J", conclusion="C", next_review_on=soon)
    url = f"/api/v1/followup/assessments/{assessment.pk}/"
    assert client_for(social).get(url).status_code == 200
    assert AuditEntry.objects.filter(action="view", target_id=str(assessment.pk),
                                     target_type__model="assessment").exists()
    for user in (security, dnapes):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).get("/api/v1/followup/assessments/").status_code == 403
    other = factories.staff(Role.SOCIAL, kenieroba, username="social.knb")
    assert client_for(other).get(url).status_code == 404
    assert client_for(other).get("/api/v1/followup/assessments/").json()["count"] == 0
    assert client_for(security).get("/api/v1/followup/committee-decisions/").status_code == 200
