import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from accounts.models import AuditAction, AuditEntry
from accounts.services import record_audit

pytestmark = pytest.mark.django_db


def _bypass_triggers(cursor, on):
    """What a database superuser could do: switch triggers off for this session."""
    if connection.vendor == "postgresql":
        cursor.execute(f"SET session_replication_role = {'replica' if on else 'origin'}")


def _tamper(entry_id, **values):
    """What someone with direct database access would do (bypassing the trigger on PostgreSQL)."""
    with connection.cursor() as cursor:
        _bypass_triggers(cursor, True)
        AuditEntry.objects.filter(pk=entry_id).update(**values)
        _bypass_triggers(cursor, False)


def test_an_intact_chain_verifies(capsys):
    for i in range(5):
        record_audit(AuditAction.OTHER, reason=f"entrée {i}")
    call_command("verify_audit_chain")
    assert "intègre" in capsys.readouterr().out


def test_a_modified_row_is_detected_and_named():
    entries = [record_audit(AuditAction.OTHER, reason=f"entrée {i}") for i in range(5)]
    _tamper(entries[2].pk, reason="falsifié")
    with pytest.raises(CommandError) as err:
        call_command("verify_audit_chain")
    assert f"n° {entries[2].pk}" in str(err.value)


def test_a_deleted_row_breaks_the_chain_at_the_next_entry():
    entries = [record_audit(AuditAction.OTHER, reason=f"entrée {i}") for i in range(4)]
    with connection.cursor() as cursor:
        _bypass_triggers(cursor, True)
        cursor.execute("DELETE FROM accounts_auditentry WHERE id = %s", [entries[1].pk])
        _bypass_triggers(cursor, False)
    with pytest.raises(CommandError) as err:
        call_command("verify_audit_chain")
    assert f"n° {entries[2].pk}" in str(err.value)


def test_postgresql_refuses_updates_and_deletes_of_audit_entries():
    if connection.vendor != "postgresql":
        pytest.skip("database-level guard exists on PostgreSQL only")
    entry = record_audit(AuditAction.OTHER, reason="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="y")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
