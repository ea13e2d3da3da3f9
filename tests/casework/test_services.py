import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditAction, AuditEntry
from casework import services
from casework.models import Case, ChargeStatus, LegalClass, OrderKind
from inmates.models import Custody
from tests import factories

pytestmark = pytest.mark.django_db


def _custody(inmate):
    return Custody.objects.get(inmate=inmate)


def test_a_detainee_with_a_charge_is_charged_awaiting_trial(inmate):
    custody = _custody(inmate)
    assert custody.legal_status == "charged"
    assert not custody.terrorism_related


def test_a_conviction_makes_the_custody_convicted_and_an_appeal_marks_it(inmate, clerk):
    case = Case.objects.get(custody__inmate=inmate)
    services.record_judgment(case, actor=clerk, decided_on=datetime.date(2026, 6, 1),
                             verdict="convicted", sentence_months=36)
    assert _custody(inmate).legal_status == "convicted"
    services.record_judgment(case, actor=clerk, decided_on=datetime.date(2026, 6, 1),
                             verdict="convicted", sentence_months=36,
                             appeal_filed_on=datetime.date(2026, 6, 5), appeal_by="la défense")
    assert _custody(inmate).legal_status == "appeal"


def test_a_conviction_without_a_sentence_is_refused(inmate, clerk):
    case = Case.objects.get(custody__inmate=inmate)
    with pytest.raises(ValidationError):
        services.record_judgment(case, actor=clerk, decided_on=datetime.date(2026, 6, 1), verdict="convicted")
    assert not case.judgments.exists()


def test_an_acquittal_closes_the_case_and_the_person_is_no_longer_charged_in_it(inmate, clerk):
    case = Case.objects.get(custody__inmate=inmate)
    services.record_judgment(case, actor=clerk, decided_on=datetime.date(2026, 6, 1), verdict="acquitted")
    case.refresh_from_db()
    assert case.closed_on == datetime.date(2026, 6, 1)
    assert _custody(inmate).legal_status == "suspect"


def test_the_terrorism_flag_follows_current_charges(clerk, bamako):
    person = factories.detainee(bamako, actor=clerk, terrorism=True)
    custody = _custody(person)
    assert custody.terrorism_related and custody.legal_status == "charged"
    charge = custody.cases.get().charges.get()
    services.change_charge_status(charge, status=ChargeStatus.RECLASSIFIED, actor=clerk,
                                  reason="Requalifié par le juge")
    services.add_charge(charge.case, actor=clerk, offence="Détention illégale d'arme",
                        legal_class=LegalClass.DELIT, max_penalty_months=60)
    custody.refresh_from_db()
    assert not custody.terrorism_related
    assert custody.legal_status == "charged"


def test_dropping_a_charge_needs_a_reason(inmate, clerk):
    charge = Case.objects.get(custody__inmate=inmate).charges.get()
    with pytest.raises(ValidationError):
        services.change_charge_status(charge, status=ChargeStatus.DROPPED, actor=clerk, reason="")
    charge.refresh_from_db()
    assert charge.status == ChargeStatus.CURRENT


def test_a_renewal_names_the_order_it_renews(inmate, clerk):
    case = Case.objects.get(custody__inmate=inmate)
    order = case.detention_orders.get()
    renewal = services.renew_detention_order(order, until=datetime.date(2027, 1, 1),
                                             issued_on=datetime.date(2026, 6, 1), issued_by="Juge Diarra",
                                             actor=clerk)
    assert renewal.renews == order and renewal.kind == OrderKind.RENEWAL
    with pytest.raises(ValidationError):
        services.record_detention_order(case, actor=clerk, kind=OrderKind.RENEWAL,
                                        issued_on=datetime.date(2026, 6, 1), issued_by="x")


def test_an_adjourned_hearing_needs_its_new_date(inmate, clerk):
    case = Case.objects.get(custody__inmate=inmate)
    with pytest.raises(ValidationError):
        services.record_hearing(case, actor=clerk, date=datetime.date(2026, 5, 1), kind="trial",
                                outcome="adjourned")
    hearing = services.record_hearing(case, actor=clerk, date=datetime.date(2026, 5, 1), kind="trial",
                                      outcome="adjourned", adjourned_to=datetime.date(2026, 7, 1))
    assert hearing.pk


def test_case_changes_are_audited_against_the_detainee(inmate, clerk):
    case = Case.objects.get(custody__inmate=inmate)
    services.update_case(case, actor=clerk, lawyer="Me Kassogué", reason="Constitution d'avocat")
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_type__model="case")
    assert entry.inmate_id == inmate.pk
    assert entry.changes == {"lawyer": ["", "Me Kassogué"]}
    assert entry.facility_id == case.custody.facility_id


def test_a_case_change_enqueues_the_re_evaluation_on_commit(inmate, clerk, django_capture_on_commit_callbacks,
                                                           monkeypatch):
    from casework import tasks

    seen = []
    monkeypatch.setattr(tasks, "enqueue_reevaluation", seen.append)
    case = Case.objects.get(custody__inmate=inmate)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_hearing(case, actor=clerk, date=datetime.date(2026, 5, 1), kind="examination")
    assert seen == [case.pk]


def test_another_prisons_clerk_does_not_see_the_case(inmate, other_clerk, manager):
    assert not Case.objects.visible_to(other_clerk).exists()
    assert Case.objects.visible_to(manager).count() == 1


def test_setting_a_charge_to_its_current_status_records_nothing(inmate, clerk):
    charge = Case.objects.get(custody__inmate=inmate).charges.get()
    before = AuditEntry.objects.count()
    services.change_charge_status(charge, status=ChargeStatus.CURRENT, actor=clerk, reason="aucun changement")
    assert AuditEntry.objects.count() == before
