"""Individual follow-up in a real browser (issue 15): Bamako's social worker assesses a person with
the starter instrument and drafts the plan (a goal, an intervention); Bamako's director opens a
committee session, puts the person on its agenda and approves the plan; DNAPES then reads the
aggregates and their trend (no name). Screenshots: /tmp/followup-*.png."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from followup.models import Assessment, CommitteeDecision, IndividualPlan, PlanStatus
from oversight import followup_trend
from prisons.models import Facility
from tests import factories
from tests.browser.sessions import sign_in


@pytest.fixture
def world(transactional_db):
    bamako = Facility.objects.get(code="BKO")
    clerk = factories.staff(Role.CLERK, bamako, username="greffe.bko")
    cell = factories.UnitFactory(facility=bamako, code="A1", name="Cellule A1", capacity=20)
    people = [factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"DIALLO{i}").custodies.get()
              for i in range(6)]
    factories.staff(Role.SOCIAL, bamako, username="social.bko", first_name="Aminata", last_name="Sidibé")
    factories.staff(Role.DIRECTOR, bamako, username="direction.bko", first_name="Modibo", last_name="Coulibaly")
    factories.staff(Role.DNAPES, username="dnapes.nat")
    person = factories.detainee(bamako, actor=clerk, unit=cell, last_name="TRAORÉ", first_name="Mamadou")
    return {"bamako": bamako, "custody": person.custodies.get(), "others": people}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_social_worker_assesses_and_drafts_a_plan_the_committee_approves_it(page, live_server, world):
    custody, bamako = world["custody"], world["bamako"]
    review_on = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    today = timezone.localdate().strftime("%d/%m/%Y")

    # 1. The social worker assesses the person's needs with the starter instrument.
    sign_in(page, live_server, "social.bko")
    page.goto(f"{live_server.url}/suivi/sejours/{custody.pk}/")
    expect(page.locator("#assessments")).to_contain_text("Aucune évaluation.")
    page.get_by_role("link", name="Évaluer les besoins").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Évaluation des besoins")
    items = page.locator("select[name^=item_]")
    assert items.count() == 11  # the starter instrument's items, each with its answer scale
    for i in range(items.count()):
        items.nth(i).select_option(index=1)
    page.get_by_label("Alphabétisation — Besoin d'apprendre à lire ou à écrire").select_option(
        label="Besoin important")
    page.get_by_label("Justification").fill("Entretien individuel en bambara, une heure.")
    page.get_by_label("Conclusion de l'évaluateur").fill("Priorité : apprendre à lire et à écrire.")
    page.get_by_label("Prochaine révision le").fill(review_on)
    page.screenshot(path="/tmp/followup-1-assessment-form.png", full_page=True)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("L'évaluation est enregistrée.")
    expect(page.locator("main")).to_contain_text("Priorité : apprendre à lire et à écrire.")
    expect(page.locator("main")).to_contain_text("Besoin important")
    page.screenshot(path="/tmp/followup-2-assessment.png", full_page=True)
    assessment = Assessment.objects.get(custody=custody)
    assert assessment.assessed_by.username == "social.bko"

    # 2. She drafts the plan: one goal, then an intervention by an NGO for that goal.
    page.goto(f"{live_server.url}/suivi/sejours/{custody.pk}/")
    expect(page.locator("#assessments")).to_contain_text("Priorité : apprendre à lire et à écrire.")
    page.get_by_role("link", name="Rédiger le plan individuel").click()
    page.get_by_label("Orientation générale").fill("Alphabétisation, puis formation professionnelle.")
    page.get_by_label("Objectifs (un par ligne)").fill("Lire et écrire en bambara")
    page.get_by_label("Prochaine révision le").fill(review_on)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("Le projet de plan est enregistré")
    expect(page.locator("#plan-status")).to_have_text("Projet")
    page.get_by_role("link", name="Ajouter une intervention").first.click()
    page.locator("select[name=kind]").select_option(label="Alphabétisation et scolarité")
    page.locator("select[name=provider_kind]").select_option(label="ONG / association")
    page.get_by_label("Nom du prestataire").fill("Association Lire au Mali")
    page.locator("select[name=goal]").select_option(label="Lire et écrire en bambara")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("L'intervention est ajoutée.")
    interventions = page.get_by_role("table").filter(has_text="Prestataire")
    expect(interventions).to_contain_text("Alphabétisation et scolarité")
    expect(interventions).to_contain_text("ONG / association — Association Lire au Mali")
    expect(interventions).to_contain_text("Lire et écrire en bambara")
    page.screenshot(path="/tmp/followup-3-plan-draft.png", full_page=True)
    plan = IndividualPlan.objects.get(custody=custody)
    assert plan.status == PlanStatus.DRAFT and plan.assessment == assessment

    # 3. The director opens the committee's session, puts the person on its agenda, approves the plan.
    sign_in(page, live_server, "direction.bko")
    page.goto(f"{live_server.url}/suivi/etablissements/{bamako.pk}/comite/")
    page.get_by_role("link", name="Nouvelle séance").click()
    page.get_by_label("Ordre du jour").fill("Plans individuels du mois")
    page.get_by_label("Membre présent — Direction").fill("M. Coulibaly")
    page.get_by_label("Membre présent — Service social").fill("Mme Sidibé")
    page.get_by_label("Membre présent — Sécurité").fill("Adjudant-chef Keïta")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("La séance du comité est ouverte.")
    page.locator("select[name=custody]").select_option(label=str(custody))
    page.get_by_role("button", name="Inscrire à l'ordre du jour").click()
    expect(page.locator("main")).to_contain_text("La personne est inscrite à l'ordre du jour.")
    reviewed = page.locator("section", has=page.get_by_role("heading", name="Personnes examinées"))
    expect(reviewed).to_contain_text("TRAORÉ Mamadou")
    reviewed.get_by_role("link", name="Décision").click()
    page.locator("select[name=kind]").select_option(label="Plan individuel approuvé")
    page.locator("select[name=plan]").select_option(label=str(plan))
    page.get_by_label("Motifs").fill("Plan adapté aux besoins évalués.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("La décision est enregistrée au procès-verbal.")
    decisions = page.get_by_role("table").filter(has_text="Motifs")
    expect(decisions).to_contain_text("TRAORÉ Mamadou")
    expect(decisions).to_contain_text("Plan individuel approuvé")
    expect(decisions).to_contain_text("Plan adapté aux besoins évalués.")
    page.screenshot(path="/tmp/followup-4-committee.png", full_page=True)
    decisions.get_by_role("link", name="plan").click()
    expect(page.locator("#plan-status")).to_have_text(f"Approuvé par le comité — {today}")
    expect(page.locator("main")).to_contain_text("Plan adapté aux besoins évalués.")
    page.screenshot(path="/tmp/followup-5-plan-approved.png", full_page=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert CommitteeDecision.objects.get(plan=plan).decided_by.username == "direction.bko"

    # 4. DNAPES reads the aggregates and, after the night's snapshot, the month in the trend: no name.
    followup_trend.write_snapshots()
    sign_in(page, live_server, "dnapes.nat")
    page.goto(f"{live_server.url}/rapports/suivi-individuel/")
    trend = page.locator("#trend")
    expect(trend).to_contain_text(timezone.localdate().strftime("%m/%Y"))
    expect(trend).to_contain_text("Terrorisme — Suspect, non inculpé")
    expect(page.locator("main")).not_to_contain_text("TRAORÉ")
    page.screenshot(path="/tmp/followup-6-aggregates.png", full_page=True)
