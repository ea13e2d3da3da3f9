"""Life inside moved from `inmates` to `detention` (issue 18) without losing a row or a link:
the tables keep their names, the content types are relabelled in place (same ids), so the
audit entries written before the move still point at their records, the sealed chain still
verifies, and the roles keep their permissions."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts import chain
from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from accounts.services import record_audit
from accounts.verification import verify_audit_trail
from detention.models import CellLeader, Classification, Complaint, Enrolment, FamilyNotification, Visit
from tests import factories
from tests.custody_fixtures import populate_custody_life

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("inmates", "0007_merge_20261202_0428"), ("detention", None)]
MOVED = {"classification", "cellleader", "facilityvisitingrule", "visitor", "visit", "complaint", "activity",
         "enrolment", "familynotification"}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection).loader.project_state([t for t in targets if t[1]]).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_records_audit_entries_and_roles_survive_the_move_to_detention(bamako, clerk, cell):
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="DOUMBIA", first_name="Moussa")
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="KOUYATE", first_name="Seydou")
    populate_custody_life(bamako, clerk)
    leaves = _leaves()
    try:
        old = _migrate(BEFORE_THE_MOVE)
        # Before the move: the records and their content types belong to `inmates`.
        labels = dict(ContentType.objects.filter(model__in=MOVED).values_list("model", "app_label"))
        assert set(labels.values()) == {"inmates"} and set(labels) == MOVED
        OldComplaint = old.get_model("inmates", "Complaint")
        complaint = OldComplaint.objects.get()
        before = record_audit(AuditAction.UPDATE, actor=clerk, target=complaint, inmate_id=complaint.custody.inmate_id,
                              facility_id=complaint.facility_id, reason="Avant le déménagement")
        assert ContentType.objects.get_for_id(before.target_type_id).app_label == "inmates"
        old_ids = {m: ContentType.objects.get(app_label="inmates", model=m).pk for m in MOVED}
        chain.seal_and_checkpoint(force_checkpoint=True)
        assert verify_audit_trail().ok

        _migrate(leaves)

        # After: same content-type rows, relabelled; every record readable through `detention`.
        assert {m: ContentType.objects.get(app_label="detention", model=m).pk for m in MOVED} == old_ids
        assert not ContentType.objects.filter(app_label="inmates", model__in=MOVED).exists()
        for model in (Complaint, Classification, CellLeader, Visit, Enrolment, FamilyNotification):
            assert model.objects.count() == 1, model
        entry = AuditEntry.objects.get(pk=before.pk)
        assert entry.target_type.model_class() is Complaint
        assert entry.target_type.get_object_for_this_type(pk=entry.target_id) == Complaint.objects.get()
        for moved in AuditEntry.objects.filter(target_type__app_label="detention"):
            assert moved.target_type.get_object_for_this_type(pk=moved.target_id) is not None
        chain.seal_and_checkpoint(force_checkpoint=True)
        assert verify_audit_trail().ok
        call_command("verify_audit_chain")
        # The roles hold the same permission rows, now named detention.*.
        director = factories.staff(Role.DIRECTOR, bamako, username="dir.after.move")
        assert director.has_perm("detention.change_complaint")
        assert director.has_perm("detention.view_confidential_complaint")
        assert clerk.has_perm("detention.add_visit") and not clerk.has_perm("inmates.add_visit")
    finally:
        _migrate(leaves)
