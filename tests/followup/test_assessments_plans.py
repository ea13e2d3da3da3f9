"""Assessments (each item, justification, conclusion, review; history; never a classification)
and the individual plan (goals, interventions of the catalogue, sessions, notes, reviews, enrolment
through detention's eligibility rules, refusals counted)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEntry
from detention import services as detention_services
from detention.models import Classification, Enrolment
from followup import services
from followup.models import Assessment, EnrolmentRefusal, InterventionType, PlanStatus
from tests import factories

from .conftest import answers_for


def _assess(custody, version, actor, soon, **kw):
    return services.record_assessment(custody, version=version, answers=answers_for(version), actor=actor,
                                      justification="Entretien d'une heure en bambara.",
                                      conclusion="Besoin prioritaire : alphabétisation.", next_review_on=soon, **kw)


def test_an_assessment_records_each_item_and_never_a_classification(custody, version, social, soon):
    before = Classification.objects.count()
    assessment = _assess(custody, version, social, soon)
    assert assessment.answers.count() == sum(d.items.count() for d in version.domains.all())
    assert assessment.assessed_by == social and assessment.assessed_on == timezone.localdate()
    # Answers of "high need" everywhere still set no classification: only a person does.
    services.record_assessment(custody, version=version, answers=answers_for(version, "high"), actor=social,
                               justification="Révision", conclusion="Besoins importants", next_review_on=soon,
                               reviews=assessment)
    assert Classification.objects.count() == before
    assert not Classification.objects.filter(custody=custody).exists()
    entry = AuditEntry.objects.filter(target_id=str(assessment.pk), action="create",
                                      target_type__model="assessment").get()
    assert "some" not in str(entry.changes) and entry.changes["réponses"][1] > 0  # answers not copied


def test_reviews_keep_history(custody, version, social, soon):
    first = _assess(custody, version, social, soon)
    second = _assess(custody, version, social, soon, reviews=first)
    assert list(Assessment.objects.filter(custody=custody)) == [second, first]
    assert second.reviews == first


@pytest.mark.parametrize("change, message", [
    ({"justification": ""}, "se justifie"),
    ({"conclusion": " "}, "conclusion"),
])
def test_justification_and_conclusion_are_required(custody, version, social, soon, change, message):
    kwargs = {"justification": "x", "conclusion": "y", **change}
    with pytest.raises(ValidationError, match=message):
        services.record_assessment(custody, version=version, answers=answers_for(version), actor=social,
                                   next_review_on=soon, **kwargs)
    assert not Assessment.objects.exists()


def test_every_item_is_answered_within_its_scale(custody, version, social, soon):
    answers = answers_for(version)
    answers.pop("reading")
    with pytest.raises(ValidationError, match="Répondez à chaque élément"):
        services.record_assessment(custody, version=version, answers=answers, actor=social, justification="x",
                                   conclusion="y", next_review_on=soon)
    answers["reading"] = "beaucoup"
    with pytest.raises(ValidationError, match="hors de l'échelle"):
        services.record_assessment(custody, version=version, answers=answers, actor=social, justification="x",
                                   conclusion="y", next_review_on=soon)


def test_only_the_roles_the_version_names_assess(custody, version, security, clerk, soon):
    for actor in (security, clerk):
        with pytest.raises(PermissionDenied, match="personnel formé"):
            _assess(custody, version, actor, soon)


def test_another_prisons_staff_cannot_assess(custody, version, kenieroba, soon):
    from accounts.roles import Role

    other = factories.staff(Role.SOCIAL, kenieroba, username="social.knb")
    with pytest.raises(PermissionDenied):
        _assess(custody, version, other, soon)


def _plan(custody, social, soon, **kw):
    return services.draft_plan(custody, summary="Alphabétisation puis couture", next_review_on=soon, actor=social,
                               goals=["Lire et écrire", "Apprendre un métier"], **kw)


def test_plan_with_goals_interventions_sessions_notes_and_review(custody, social, soon):
    plan = _plan(custody, social, soon, drafted_on=timezone.localdate() - datetime.timedelta(days=3))
    assert plan.status == PlanStatus.DRAFT and plan.goals.count() == 2
    with pytest.raises(ValidationError, match="déjà un plan"):
        _plan(custody, social, soon)
    literacy = InterventionType.objects.get(code="literacy")
    with pytest.raises(ValidationError, match="Ce prestataire"):
        services.add_intervention(plan, kind=literacy, provider_kind="religious", actor=social)
    intervention = services.add_intervention(plan, kind=literacy, provider_kind="ngo", provider_name="ONG Lire",
                                             goal=plan.goals.first(), actor=social)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.record_session(intervention, held_on=yesterday, attended=True, actor=social)
    services.record_session(intervention, held_on=timezone.localdate(), attended=False, actor=social)
    with pytest.raises(ValidationError, match="déjà enregistrée"):
        services.record_session(intervention, held_on=yesterday, attended=True, actor=social)
    assert intervention.sessions.filter(attended=True).count() == 1
    services.add_progress_note(plan, text="Assidu, progrès en lecture", actor=social, intervention=intervention)
    later = soon + datetime.timedelta(days=90)
    services.review_plan(plan, summary="Bon début", next_review_on=later, actor=social)
    plan.refresh_from_db()
    assert plan.next_review_on == later and plan.reviews.count() == 1


def test_enrolment_from_the_plan_uses_the_activity_rules(bamako, cell, clerk, social, director, soon):
    person = factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, last_name="MAIGA").custodies.get()
    plan = _plan(person, social, soon)
    closed = detention_services.create_activity(bamako, name="Atelier couture", kind="tailoring", actor=director,
                                                open_to_regimes=[cell.regime], open_to_terrorism_related=False)
    tailoring = InterventionType.objects.get(code="tailoring")
    intervention = services.add_intervention(plan, kind=tailoring, provider_kind="staff", activity=closed,
                                             actor=social)
    with pytest.raises(ValidationError, match="à cause de la catégorie de la personne.*compté"):
        services.enrol_from_plan(intervention, actor=social)
    refusal = EnrolmentRefusal.objects.get()
    assert refusal.because_of_category and refusal.terrorism_related and refusal.legal_status == person.legal_status
    assert not Enrolment.objects.filter(custody=person).exists()
    open_one = detention_services.create_activity(bamako, name="Couture ouverte", kind="tailoring", actor=director,
                                                  open_to_regimes=[cell.regime], open_to_terrorism_related=True)
    enrolment = services.enrol_from_plan(intervention, actor=social, activity=open_one)
    intervention.refresh_from_db()
    assert intervention.enrolment == enrolment and enrolment.activity == open_one


def test_a_regime_refusal_is_not_counted_as_category(bamako, custody, cell, social, director, soon):
    plan = _plan(custody, social, soon)
    other_regime = next(r for r in ("veo", "standard", "high_security") if r != cell.regime)
    activity = detention_services.create_activity(bamako, name="Atelier réservé", kind="kitchen", actor=director,
                                                  open_to_regimes=[other_regime], open_to_terrorism_related=True)
    intervention = services.add_intervention(plan, kind=InterventionType.objects.get(code="kitchen"),
                                             provider_kind="staff", activity=activity, actor=social)
    with pytest.raises(ValidationError) as error:
        services.enrol_from_plan(intervention, actor=social)
    assert "catégorie" not in str(error.value)
    assert EnrolmentRefusal.objects.get().because_of_category is False
