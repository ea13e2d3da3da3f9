import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q

from accounts.models import AuditAction, AuditEntry, User
from accounts.roles import Role
from casework.models import Case, Charge, DetentionOrder, Hearing, Judgment
from casework.services import refresh_legal_status
from demo.accounts import ACCOUNTS, DEMO_PASSWORD
from inmates.models import (
    UNTRIED_STATUSES,
    Custody,
    CustodyStatus,
    Inmate,
    Placement,
    PriorCustody,
    Relative,
)
from inmates.names import search_text
from inmates.services import allocate_prisoner_number, create_inmate, format_prisoner_number
from prisons.models import Facility, FacilityStatus, Regime, Unit

pytestmark = pytest.mark.django_db

N = 200


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _development(settings):
    """The demo is loaded in development (DJANGO_DEBUG on), as `make run` does."""
    settings.DEBUG = True


def seed(*args, **options):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed(inmates=N, seed=7)


def people():
    return list(Inmate.objects.order_by("id").values_list(
        "last_name", "first_name", "father_name", "mother_name", "sex", "date_of_birth", "birth_year",
        "prisoner_number"))


def test_seeding_creates_the_people_and_their_files(seeded):
    assert Inmate.objects.count() == N
    assert Custody.objects.values("inmate").distinct().count() == N
    for model in (Relative, PriorCustody, Placement, Case, Charge, DetentionOrder, Hearing, Judgment):
        assert model.objects.exists(), model.__name__
    assert "Lignes créées : détenus 195," in seeded  # and 5 arrivals through the intake workflow
    assert "Terminé en" in seeded


def test_the_same_seed_gives_the_same_people_and_another_seed_others(db):
    seed(inmates=120, seed=11)
    first = people()
    seed("--reset", inmates=120, seed=11)
    assert people() == first
    seed("--reset", inmates=120, seed=12)
    assert people() != first


def test_arrivals_in_progress_come_through_the_intake_workflow(seeded):
    from intake.models import Intake

    intakes = Intake.objects.select_related("custody", "inmate")
    assert intakes.count() == 5
    for intake in intakes:
        assert intake.custody.status == CustodyStatus.INTAKE and intake.last_step == 0
        assert intake.inmate.prisoner_number is None
        assert intake.facility.code in ("BKO", "KLK")
    assert Custody.objects.filter(status=CustodyStatus.INTAKE).count() == 5


def test_nobody_has_two_open_custodies(seeded):
    open_per_person = Custody.objects.current().values("inmate").annotate(n=Count("id"))
    assert open_per_person.exists()
    assert all(row["n"] == 1 for row in open_per_person)


def test_every_held_person_has_exactly_one_current_placement_in_their_prison(seeded):
    held = Custody.objects.filter(status=CustodyStatus.HELD).prefetch_related("placements__unit")
    assert held.count() > N // 2
    for custody in held:
        current = [p for p in custody.placements.all() if p.ended_at is None]
        assert len(current) == 1, custody.pk
        assert current[0].unit.facility_id == custody.facility_id
    assert not Placement.objects.filter(custody__status=CustodyStatus.RELEASED, ended_at=None).exists()


def test_derived_legal_statuses_are_what_the_services_compute(seeded):
    custodies = list(Custody.objects.order_by("id"))
    for custody in custodies[::3]:
        before = (custody.legal_status, custody.terrorism_related)
        case_statuses = dict(Case.objects.filter(custody=custody).values_list("id", "legal_status"))
        refresh_legal_status(custody)
        custody.refresh_from_db()
        assert (custody.legal_status, custody.terrorism_related) == before, custody.pk
        assert dict(Case.objects.filter(custody=custody).values_list("id", "legal_status")) == case_statuses


def test_search_text_covers_names_and_aliases(seeded):
    for inmate in Inmate.objects.prefetch_related("aliases")[:80]:
        aliases = [a.name for a in inmate.aliases.all()]
        assert inmate.search_text == search_text(inmate.last_name, inmate.first_name, *aliases)
    with_alias = Inmate.objects.filter(aliases__isnull=False).first()
    assert with_alias is not None
    alias = with_alias.aliases.first().name
    assert with_alias in Inmate.objects.search(alias)


def test_population_looks_like_the_figures_in_law_md(seeded):
    current = Custody.objects.current()
    untried_share = current.untried().count() / current.count()
    assert 0.45 <= untried_share <= 0.72
    per_facility = Counter(current.values_list("facility__code", flat=True))
    assert per_facility.most_common(1)[0][0] == "BKO"
    bamako = current.filter(facility__code="BKO")
    assert bamako.untried().count() / bamako.count() >= 0.7
    terrorism = current.terrorism_related()
    assert set(terrorism.values_list("facility__code", flat=True)) <= {"BKO", "KLK"}
    assert terrorism.count() < current.count() * 0.12
    assert Inmate.objects.filter(sex="F").count() < N * 0.1


def test_categories_are_held_where_they_belong(seeded):
    for custody in Custody.objects.select_related("inmate", "facility"):
        if custody.inmate.is_minor:
            assert custody.facility.holds_minors
        if custody.inmate.sex == "F":
            assert custody.facility.holds_women
    assert not Custody.objects.exclude(facility__status=FacilityStatus.OPERATIONAL).exists()
    veo_units = Placement.objects.filter(ended_at=None, unit__regime=Regime.VEO)
    assert not veo_units.filter(custody__terrorism_related=False).exists()


def test_units_follow_the_estate(seeded):
    bamako = Unit.objects.filter(facility__code="BKO")
    assert set(bamako.filter(regime=Regime.VEO, parent=None).values_list("name", flat=True)) == {
        "Quartier jihadiste", "Quartier des rebelles"}
    assert bamako.filter(kind="cell", capacity=7).count() >= 50
    assert bamako.filter(kind="infirmary").exists()
    koulikoro = Unit.objects.filter(facility__code="KLK")
    assert koulikoro.filter(name="Grande salle").exists()
    assert koulikoro.filter(regime=Regime.SPECIAL).exists()
    assert not Unit.objects.exclude(facility__status=FacilityStatus.OPERATIONAL).exists()


def test_prisoner_numbers_are_unique_and_well_formed(seeded):
    numbers = list(Inmate.objects.exclude(prisoner_number=None).values_list("prisoner_number", flat=True))
    assert len(numbers) == len(set(numbers)) > N * 0.8
    codes = set(Facility.objects.values_list("code", flat=True))
    for number in numbers:
        code, year, sequence = re.fullmatch(r"([A-Z]+)-(\d{4})-(\d{5,})", number).groups()
        assert code in codes
    without = Inmate.objects.filter(prisoner_number=None)
    assert not without.filter(custodies__status__in=(CustodyStatus.HELD, CustodyStatus.RELEASED)).exists()


def test_prisoner_numbers_are_the_ones_the_inmates_service_formats(seeded):
    for number in Inmate.objects.exclude(prisoner_number=None).values_list("prisoner_number", flat=True)[:50]:
        code, year, sequence = number.split("-")
        assert format_prisoner_number(code, int(year), int(sequence)) == number


def test_the_records_pass_model_validation(seeded):
    for model in (Inmate, Relative, Custody, PriorCustody, Placement, Case, Charge, DetentionOrder,
                  Hearing, Judgment):
        for obj in model.objects.order_by("id")[:60]:
            obj.full_clean()


def test_long_detentions_and_missing_orders_are_there_for_the_alerts(db):
    seed(inmates=600, seed=3)
    from django.utils import timezone
    now = timezone.now()
    untried = Custody.objects.filter(status=CustodyStatus.HELD, legal_status__in=UNTRIED_STATUSES)
    assert untried.filter(admitted_at__lt=now - timezone.timedelta(days=365)).exists()
    assert untried.filter(admitted_at__lt=now - timezone.timedelta(days=3 * 365)).exists()
    assert Case.objects.filter(custody__in=untried, detention_orders__isnull=True).exists()
    from casework.models import DeadlineAlert
    assert DeadlineAlert.objects.filter(kind="no_order").exists()
    assert Hearing.objects.filter(outcome="adjourned").exists()
    assert DetentionOrder.objects.filter(kind="renewal").exists()
    assert Case.objects.filter(court__code="PJS-C6").exists()
    assert PriorCustody.objects.filter(kind="state_security").exists()


def test_deadlines_and_alerts_are_computed_after_a_demo_load(seeded):
    from casework.models import DeadlineAlert

    kinds = set(DeadlineAlert.objects.values_list("kind", flat=True))
    assert {"overdue", "beyond_max"} <= kinds
    assert "alertes ouvertes" in seeded


def test_no_alerts_leaves_the_nightly_job_to_compute_them(db):
    from casework.models import DeadlineAlert

    seed("--no-alerts", inmates=60, seed=4)
    assert Inmate.objects.count() == 60
    assert not DeadlineAlert.objects.exists()


def test_one_account_per_role_with_its_prisons(seeded):
    bamako, koulikoro = Facility.objects.get(code="BKO"), Facility.objects.get(code="KLK")
    for username, role, codes, *_ in ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.has_role(role)
        assert user.check_password(DEMO_PASSWORD)
        assert set(user.facilities.values_list("code", flat=True)) == set(codes)
        assert username in seeded
    assert set(User.objects.get(username="greffe.koulikoro").visible_facility_ids()) == {koulikoro.pk}
    assert set(User.objects.get(username="greffe.bamako").visible_facility_ids()) == {bamako.pk}
    assert User.objects.get(username="dnapes.national").visible_facility_ids() is None
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser and admin.roles == [Role.ADMIN]
    assert not User.objects.filter(is_superuser=True).exists()
    assert {role for _, role, *_ in ACCOUNTS} == set(Role)
    assert DEMO_PASSWORD in seeded
    # Accounts from outside the prison service (issue 14): the monitor is authorised for Bamako
    # now; the judge reaches the cases of their cabinet.
    assert set(User.objects.get(username="cndh.bamako").visible_facility_ids()) == {bamako.pk}
    judge = User.objects.get(username="juge.bamako")
    assert judge.visible_facility_ids() == frozenset()
    assert judge.magistrate_profile.cabinet == "3e cabinet"
    assert Case.objects.of_magistrate(judge).exists()


def test_if_empty_does_nothing_the_second_time_but_still_lists_the_accounts(db):
    seed("--if-empty", inmates=80, seed=5)
    before = (Inmate.objects.count(), Custody.objects.count(), Case.objects.count())
    loads = AuditEntry.objects.filter(action=AuditAction.OTHER).count()
    out = seed("--if-empty", inmates=80, seed=5)
    assert (Inmate.objects.count(), Custody.objects.count(), Case.objects.count()) == before == (
        80, before[1], before[2])
    assert AuditEntry.objects.filter(action=AuditAction.OTHER).count() == loads
    assert "aucune donnée chargée" in out
    assert "greffe.bamako" in out and DEMO_PASSWORD in out
    assert User.objects.filter(username="greffe.bamako").count() == 1


def test_reset_replaces_the_demo_data_and_each_load_is_audited(db):
    seed(inmates=60, seed=1)
    seed("--reset", inmates=40, seed=2)
    assert Inmate.objects.count() == 40
    assert not Custody.objects.filter(inmate__isnull=True).exists()
    loads = AuditEntry.objects.filter(action=AuditAction.OTHER, actor_name="seed_demo").order_by("id")
    assert loads.count() == 2
    counts = loads.last().changes["counts"]
    assert counts["Inmate"] + counts["arrivals"] == 40 and counts["arrivals"] >= 1
    assert loads.last().changes["reset"] is True


def test_a_later_admission_gets_a_fresh_prisoner_number(seeded):
    clerk = User.objects.get(username="greffe.bamako")
    bamako = Facility.objects.get(code="BKO")
    inmate = create_inmate(actor=clerk, last_name="Diarra", first_name="Adama", sex="M")
    number = allocate_prisoner_number(inmate, facility=bamako, actor=clerk)
    assert Inmate.objects.filter(prisoner_number=number).count() == 1


def test_an_existing_account_is_never_changed(db):
    user = User.objects.create_user("greffe.bamako", password="Autre-Mot-De-Passe-42")
    out = seed(inmates=10, seed=1)
    user.refresh_from_db()
    assert user.check_password("Autre-Mot-De-Passe-42")
    assert "compte existant" in out


def test_a_demo_superuser_left_by_an_earlier_version_loses_the_flag_audited(db):
    old = User.objects.create_superuser("admin", password=DEMO_PASSWORD)
    seed(inmates=10, seed=1)
    old.refresh_from_db()
    assert not old.is_superuser and old.check_password(DEMO_PASSWORD)
    assert AuditEntry.objects.filter(target_id=str(old.pk), action=AuditAction.UPDATE,
                                     changes__is_superuser=[True, False]).exists()
    assert not User.objects.filter(is_superuser=True).exists()


def test_bad_options_are_refused_with_a_clear_message(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="incompatibles"):
        seed("--if-empty", "--reset", inmates=10)
    with pytest.raises(CommandError, match="positif"):
        seed(inmates=-1)
    assert not Inmate.objects.exists()


def test_production_settings_are_refused_unless_explicitly_allowed(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        seed(inmates=10, seed=1)
    assert not User.objects.exists() and not Inmate.objects.exists()
    out = seed("--allow-production", inmates=10, seed=1)
    assert Inmate.objects.count() == 10 and "admin" in out
    assert not User.objects.filter(is_superuser=True).exists()


def test_the_demo_administrator_manages_accounts_but_reads_no_need_to_know_data(seeded, client):
    """The system administrator role: accounts and reference data in the admin, and nothing of
    the medical, social or confidential records (accounts.need_to_know)."""
    from accounts import need_to_know

    admin = User.objects.get(username="admin")
    assert admin.has_perm("accounts.change_user") and admin.has_perm("prisons.change_facility")
    assert not need_to_know.can_read_medical(admin)
    assert not need_to_know.can_read_social_report(admin)
    assert not need_to_know.can_read_sensitive_profile(admin)
    assert not need_to_know.can_read_all_confidential_complaints(admin)
    assert not admin.has_perm("intake.view_medicalexamination")
    client.force_login(admin)
    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY path: PostgreSQL only")
def test_the_postgresql_copy_path_writes_consistent_rows(db):
    seed(inmates=N, seed=7)
    assert Inmate.objects.count() == N
    held = Custody.objects.filter(status=CustodyStatus.HELD)
    assert held.annotate(n=Count("placements", filter=Q(placements__ended_at=None))).exclude(n=1).count() == 0
    for custody in Custody.objects.order_by("id")[::5]:
        before = (custody.legal_status, custody.terrorism_related)
        refresh_legal_status(custody)
        custody.refresh_from_db()
        assert (custody.legal_status, custody.terrorism_related) == before
