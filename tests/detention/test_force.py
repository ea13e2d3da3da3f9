"""The use-of-force register (detention.services.force; Mandela Rules 47–49, 82)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEntry
from detention.models import DisciplineLimit, UseOfForce
from detention.models.discipline import DisciplineLimitKey
from detention.services import force
from tests.custody_fixtures import custody  # noqa: F401
from tests.detention.search_fixtures import ago, use_of_force

pytestmark = pytest.mark.django_db


def test_a_use_of_force_is_recorded_and_audited(custody, security):
    entry = use_of_force(custody, actor=security)
    assert list(entry.staff.all()) == [security] and entry.duration_minutes == 30
    assert AuditEntry.objects.filter(target_id=str(entry.pk), action="create", inmate_id=custody.inmate_id).exists()


@pytest.mark.parametrize("extra", [{"means": "chains"}, {"means": "other", "means_detail": "Chaîne au pied"},
                                   {"means": "leg_restraints", "means_detail": "fers aux pieds"}])
def test_chains_and_irons_are_refused(custody, security, extra):
    with pytest.raises(ValidationError, match="Règle 47"):
        use_of_force(custody, actor=security, **extra)
    assert not UseOfForce.objects.exists()


def test_a_duration_beyond_the_limit_needs_a_review(custody, security, director):
    with pytest.raises(ValidationError, match="120 minutes"):
        use_of_force(custody, actor=security, duration_minutes=150)
    entry = use_of_force(custody, actor=security, duration_minutes=None, at=ago(hours=4))
    assert force.review_missing(entry)  # lasting beyond 120 minutes, not reviewed
    with pytest.raises(ValidationError, match="contrôlée"):
        force.end_restraint(entry, duration_minutes=150, actor=security)
    with pytest.raises(PermissionDenied):
        force.record_restraint_review(entry, outcome="Maintien", actor=security)
    force.record_restraint_review(entry, outcome="Maintien motivé : agitation persistante", actor=director)
    entry = force.end_restraint(entry, duration_minutes=150, actor=security)
    assert entry.duration_minutes == 150 and entry.reviewed_by == director and not force.review_missing(entry)


def test_the_limit_is_data(custody, security):
    # The row itself, whether or not the migration's seed survived an earlier flush of this database.
    DisciplineLimit.objects.update_or_create(key=DisciplineLimitKey.RESTRAINT_REVIEW_MINUTES,
                                             defaults={"value": 20, "awaiting_confirmation": True})
    with pytest.raises(ValidationError, match="20 minutes"):
        use_of_force(custody, actor=security, duration_minutes=30)
    assert DisciplineLimit.objects.get(key=DisciplineLimitKey.RESTRAINT_REVIEW_MINUTES).awaiting_confirmation


def test_only_health_staff_record_the_examination(custody, security, medical):
    entry = use_of_force(custody, actor=security, at=ago(hours=30))
    assert force.examination_overdue(entry)
    with pytest.raises(PermissionDenied):
        force.record_force_examination(entry, actor=security)
    entry = force.record_force_examination(entry, actor=medical)
    assert entry.examined_by == medical and not force.examination_overdue(entry)
    with pytest.raises(ValidationError, match="déjà"):
        force.record_force_examination(entry, actor=medical)


def test_an_examination_is_not_overdue_within_24_hours(custody, security):
    assert not force.examination_overdue(use_of_force(custody, actor=security, at=ago(hours=3)))


def test_the_report_to_the_director_the_same_day(custody, security, director):
    today = use_of_force(custody, actor=security, at=ago(minutes=5))
    force.record_force_report(today, actor=director)
    today.refresh_from_db()
    assert not force.report_late(today)
    yesterday = timezone.localtime() - datetime.timedelta(days=2)
    late = use_of_force(custody, actor=security, at=yesterday)
    assert force.report_late(late)  # not reported, the day is over
    force.record_force_report(late, actor=security)
    late.refresh_from_db()
    assert force.report_late(late)  # reported another day


def test_refusals_of_the_record(custody, security, social):
    with pytest.raises(PermissionDenied):
        use_of_force(custody, actor=social)
    with pytest.raises(ValidationError) as err:
        use_of_force(custody, actor=security, reason_kind="punishment", staff=[], reason=" ")
    assert {"reason_kind", "reason", "staff"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError, match="Précisez"):
        use_of_force(custody, actor=security, means="other")
