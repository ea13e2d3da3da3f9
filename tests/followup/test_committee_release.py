"""The committee (session, members, people reviewed, decisions; a regime decision goes through the
classification service with the session as its reason) and the reintegration checklist's dates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.models import Case
from casework.sentences import add_months
from detention.models import Classification
from followup import services
from followup.models import ChecklistTopic, PlanStatus
from tests import factories

MEMBERS = [{"role": "director", "name": "M. Coulibaly"}, {"role": "social", "name": "Mme Sidibé"},
           {"role": "security", "name": "Adjudant Keita"}]


def _session(bamako, director, **kw):
    return services.open_session(bamako, held_on=timezone.localdate(), members=MEMBERS, actor=director,
                                 agenda="Plans du mois", **kw)


def test_a_session_is_multidisciplinary(bamako, director):
    with pytest.raises(ValidationError, match="la direction et au moins un autre service"):
        services.open_session(bamako, held_on=timezone.localdate(), actor=director,
                              members=[{"role": "director", "name": "M. Coulibaly"}])
    session = _session(bamako, director)
    assert session.members.count() == 3


def test_committee_approves_a_plan(bamako, custody, director, social, soon):
    plan = services.draft_plan(custody, summary="Plan", next_review_on=soon, actor=social, goals=["Lire"])
    session = _session(bamako, director)
    with pytest.raises(PermissionDenied):
        services.record_decision(session, custody=custody, kind="plan", plan=plan, reasons="Adapté", actor=social)
    decision = services.record_decision(session, custody=custody, kind="plan", plan=plan, reasons="Plan adapté",
                                        actor=director)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_on == session.held_on
    assert session.reviewed.filter(custody=custody).exists() and decision.reasons == "Plan adapté"
    with pytest.raises(ValidationError, match="Seul un plan en projet"):
        services.record_decision(session, custody=custody, kind="plan", plan=plan, reasons="Encore", actor=director)


def test_a_regime_decision_changes_the_classification_with_the_session_as_reason(bamako, custody, director):
    session = _session(bamako, director)
    review_on = timezone.localdate() + datetime.timedelta(days=120)
    decision = services.record_decision(session, custody=custody, kind="regime", risk="low", next_review_on=review_on,
                                        reasons="Comportement exemplaire depuis six mois", actor=director)
    classification = Classification.objects.get(custody=custody)
    assert decision.classification == classification and classification.risk == "low"
    assert f"n° {session.pk}" in classification.reasons and "Comportement exemplaire" in classification.reasons
    assert classification.assessed_by == director and classification.next_review_on == review_on


def test_decisions_need_reasons_and_their_details(bamako, custody, director):
    session = _session(bamako, director)
    with pytest.raises(ValidationError, match="se motive"):
        services.record_decision(session, custody=custody, kind="review",
                                 next_review_on=timezone.localdate() + datetime.timedelta(days=30),
                                 reasons="", actor=director)
    with pytest.raises(ValidationError, match="nouveau niveau"):
        services.record_decision(session, custody=custody, kind="regime", reasons="x", actor=director,
                                 next_review_on=timezone.localdate() + datetime.timedelta(days=30))
    assert not Classification.objects.exists() and not session.decisions.exists()


def test_closed_minutes_no_longer_change(bamako, custody, director):
    session = _session(bamako, director)
    with pytest.raises(ValidationError, match="Aucune personne"):
        services.close_session(session, actor=director)
    services.add_reviewed_person(session, custody=custody, actor=director)
    services.close_session(session, actor=director)
    with pytest.raises(ValidationError, match="arrêté"):
        services.add_reviewed_person(session, custody=custody, actor=director)


def test_another_prisons_person_is_not_reviewed(bamako, director, kenieroba):
    other = factories.detainee(kenieroba, last_name="DIALLO").custodies.get()
    session = _session(bamako, director)
    with pytest.raises(ValidationError, match="pas détenue dans l'établissement"):
        services.add_reviewed_person(session, custody=other, actor=director)


def _sentence_ends(custody, on):
    Case.objects.filter(custody=custody).update(sentence_ends_on=on, legal_status="convicted")
    type(custody).objects.filter(pk=custody.pk).update(legal_status="convicted")
    custody.refresh_from_db()


def test_checklist_opens_n_months_before_the_computed_sentence_end(settings, bamako, custody, social):
    settings.FOLLOWUP_REINTEGRATION_MONTHS = 6
    today = timezone.localdate()
    _sentence_ends(custody, add_months(today, 7))
    assert services.due_for_checklist(type(custody).objects.filter(facility=bamako)) == []
    with pytest.raises(ValidationError, match="pas prévisible dans les 6 mois"):
        services.open_checklist(custody, actor=social)
    end = add_months(today, 5)
    _sentence_ends(custody, end)
    due = services.due_for_checklist(type(custody).objects.filter(facility=bamako))
    assert [(c.pk, d, b) for c, d, b in due] == [(custody.pk, end, "sentence")]
    checklist = services.open_checklist(custody, actor=social)
    assert checklist.foreseeable_release_on == end
    assert set(checklist.items.values_list("topic", flat=True)) == set(ChecklistTopic.values)
    assert services.due_for_checklist(type(custody).objects.filter(facility=bamako)) == []
    item = checklist.items.get(topic="identity")
    with pytest.raises(ValidationError, match="ce qui est prévu"):
        services.complete_item(item, note="", actor=social)
    services.complete_item(item, note="Carte NINA demandée", actor=social)
    assert checklist.open_items().count() == len(ChecklistTopic.values) - 1


def test_a_long_pretrial_stay_is_due_after_the_setting(settings, bamako, clerk, cell, social):
    settings.FOLLOWUP_LONG_PRETRIAL_MONTHS = 12
    long_ago = timezone.now() - datetime.timedelta(days=400)
    waiting = factories.detainee(bamako, actor=clerk, unit=cell, admitted_at=long_ago, last_name="SANGARÉ")
    recent = factories.detainee(bamako, actor=clerk, unit=cell, last_name="COULIBALY")
    due = services.due_for_checklist(type(waiting.custodies.get()).objects.filter(facility=bamako))
    assert [(c.inmate_id, b) for c, _d, b in due] == [(waiting.pk, "pretrial")]
    with pytest.raises(ValidationError):
        services.open_checklist(recent.custodies.get(), actor=social)
    assert services.open_checklist(waiting.custodies.get(), actor=social).basis == "pretrial"


def test_the_release_step_names_the_points_not_settled(settings, client, bamako, custody, social, clerk):
    settings.FOLLOWUP_REINTEGRATION_MONTHS = 6
    _sentence_ends(custody, add_months(timezone.localdate(), 2))
    url = f"/vie-carcerale/sejours/{custody.pk}/sortie/"
    client.force_login(clerk)
    assert "Aucune préparation à la sortie" in client.get(url).content.decode()
    checklist = services.open_checklist(custody, actor=social)
    services.complete_item(checklist.items.get(topic="identity"), note="Carte NINA", actor=social)
    page = client.get(url).content.decode()
    assert "points non réglés" in page and "Lieu de vie à la sortie" in page and "Pièces d&#x27;identité" not in page
