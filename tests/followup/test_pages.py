"""The follow-up pages: a social worker assesses and drafts a plan, the director's committee approves
it; need-to-know and scoping at every door (another prison: 404; security: no answers; DNAPES: no
person page)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.roles import Role
from followup import services
from followup.models import Assessment, IndividualPlan, PlanStatus
from tests import factories

from .conftest import answers_for


def _post_assessment(client, custody, version):
    data = {f"item_{code}": value for code, value in answers_for(version).items()}
    data.update(justification="Entretien individuel", conclusion="Priorité : lire et écrire",
                next_review_on=(timezone.localdate() + datetime.timedelta(days=90)).isoformat())
    return client.post(reverse("followup:assessment_add", args=[custody.pk]), data)


def test_social_worker_assesses_drafts_and_the_committee_approves(client, custody, version, social, director,
                                                                  bamako):
    client.force_login(social)
    page = client.get(reverse("followup:person", args=[custody.pk]))
    assert page.status_code == 200 and "Évaluer les besoins" in page.content.decode()
    form = client.get(reverse("followup:assessment_add", args=[custody.pk]))
    assert "Besoin d&#x27;apprendre à lire" in form.content.decode()
    response = _post_assessment(client, custody, version)
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response.url == reverse("followup:assessment_detail", args=[assessment.pk])
    detail = client.get(response.url).content.decode()
    assert "Priorité : lire et écrire" in detail and "Aucun classement" in detail
    response = client.post(reverse("followup:plan_add", args=[custody.pk]), {
        "summary": "Alphabétisation", "goals": "Lire\nÉcrire une lettre",
        "next_review_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat()})
    plan = IndividualPlan.objects.get()
    assert response.status_code == 302 and plan.goals.count() == 2 and plan.assessment == assessment
    client.force_login(director)
    response = client.post(reverse("followup:session_add_for", args=[bamako.pk]), {
        "held_on": timezone.localdate().isoformat(), "member_director": "M. Coulibaly",
        "member_social": "Mme Sidibé", "member_medical": "Dr Touré"})
    session = bamako.committee_sessions.get()
    assert response.status_code == 302
    response = client.post(reverse("followup:decision_add", args=[session.pk]), {
        "custody": custody.pk, "kind": "plan", "plan": plan.pk, "reasons": "Plan adapté aux besoins"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    minutes = client.get(reverse("followup:session_detail", args=[session.pk])).content.decode()
    assert "Plan adapté aux besoins" in minutes and "Dr Touré" in minutes


def test_a_bad_assessment_writes_nothing_and_says_why(client, custody, version, social):
    client.force_login(social)
    response = client.post(reverse("followup:assessment_add", args=[custody.pk]), {"justification": "x"})
    assert response.status_code == 200 and not Assessment.objects.exists()
    assert "Ce champ est obligatoire" in response.content.decode()


@pytest.fixture
def followed(custody, version, social, director, bamako, soon):
    assessment = services.record_assessment(custody, version=version, answers=answers_for(version), actor=social,
                                            justification="J", conclusion="C", next_review_on=soon)
    plan = services.draft_plan(custody, summary="S", next_review_on=soon, actor=social, goals=["Lire"])
    session = services.open_session(bamako, held_on=timezone.localdate(), actor=director,
                                    members=[{"role": "director", "name": "D"}, {"role": "security", "name": "S"}])
    services.record_decision(session, custody=custody, kind="regime", risk="low", reasons="Régime allégé",
                             next_review_on=soon, actor=director)
    return assessment, plan, session


def test_security_sees_regime_decisions_not_answers(client, followed, security, custody):
    assessment, plan, session = followed
    client.force_login(security)
    page = client.get(reverse("followup:person", args=[custody.pk])).content.decode()
    assert "Régime allégé" in page and 'id="assessments"' not in page and 'id="plans"' not in page
    assert client.get(reverse("followup:assessment_detail", args=[assessment.pk])).status_code == 403
    assert client.get(reverse("followup:plan_detail", args=[plan.pk])).status_code == 403
    assert client.get(reverse("followup:session_detail", args=[session.pk])).status_code == 200


def test_another_prison_gets_404(client, followed, kenieroba):
    assessment, plan, session = followed
    for role in (Role.SOCIAL, Role.DIRECTOR):
        client.force_login(factories.staff(role, kenieroba, username=f"{role}.knb"))
        for name, pk in (("assessment_detail", assessment.pk), ("plan_detail", plan.pk),
                         ("session_detail", session.pk), ("person", plan.custody_id)):
            assert client.get(reverse(f"followup:{name}", args=[pk])).status_code == 404, (role, name)


def test_dnapes_and_a_superuser_without_role_read_no_assessment(client, followed, dnapes, custody):
    assessment, plan, _session = followed
    superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    for user in (dnapes, superuser):
        client.force_login(user)
        assert client.get(reverse("followup:assessment_detail", args=[assessment.pk])).status_code == 403
        assert client.get(reverse("followup:plan_detail", args=[plan.pk])).status_code == 403
        page = client.get(reverse("followup:person", args=[custody.pk]))
        assert page.status_code == 403


def test_reads_are_audited(client, followed, social):
    assessment, plan, _session = followed
    client.force_login(social)
    before = AuditEntry.objects.filter(action="view").count()
    client.get(reverse("followup:assessment_detail", args=[assessment.pk]))
    client.get(reverse("followup:plan_detail", args=[plan.pk]))
    entries = AuditEntry.objects.filter(action="view").order_by("-id")[:2]
    assert AuditEntry.objects.filter(action="view").count() == before + 2
    assert {e.inmate_id for e in entries} == {plan.custody.inmate_id}


def test_enrol_refusal_from_the_page_says_category(client, bamako, cell, clerk, social, director, soon):
    from detention import services as detention_services
    from followup.models import InterventionType

    person = factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, last_name="MAIGA").custodies.get()
    plan = services.draft_plan(person, summary="S", next_review_on=soon, actor=social, goals=["Métier"])
    activity = detention_services.create_activity(bamako, name="Mécanique", kind="mechanics", actor=director,
                                                  open_to_regimes=[cell.regime])
    intervention = services.add_intervention(plan, kind=InterventionType.objects.get(code="mechanics"),
                                             provider_kind="staff", activity=activity, actor=social)
    client.force_login(social)
    response = client.post(reverse("followup:enrol", args=[intervention.pk]), {"activity": activity.pk}, follow=True)
    page = response.content.decode()
    assert "catégorie de la personne" in page and "refus (catégorie)" in page
