"""Attack script (issue 10, high, item 5): try to empty, shorten or rewrite the audit trail
after real sign-ins, file views and API reads; `verify_audit_chain` must report each attempt,
and on PostgreSQL the application's own database role must not even be able to try."""

import os
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.test import APIClient

from accounts import chain
from accounts.dbroles import grant_app_role
from accounts.models import AuditCheckpoint, AuditEntry, AuditSeal
from tests import factories
from tests.factories import PASSWORD

ON_POSTGRESQL = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                   reason="needs PostgreSQL")


def _activity(client, clerk, inmate):
    """Real traffic through both doors: a sign-in, file views, an API token and reads."""
    client.post("/comptes/connexion/", {"username": clerk.username, "password": PASSWORD})
    for _ in range(3):
        assert client.get(f"/detenus/{inmate.pk}/").status_code == 200
    token = APIClient().post("/api/v1/auth/token/", {"username": clerk.username, "password": PASSWORD},
                             format="json").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(f"/api/v1/inmates/{inmate.pk}/").status_code == 200


def _superuser(callable_):
    """What someone with the database's superuser would do: switch triggers off, then act."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            callable_()
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


def _verify_fails():
    with pytest.raises(CommandError) as err:
        call_command("verify_audit_chain")
    return str(err.value)


@pytest.mark.django_db
def test_deleting_the_newest_entries_after_real_traffic_is_detected(client, clerk, inmate):
    _activity(client, clerk, inmate)
    call_command("seal_audit_chain", checkpoint=True)
    call_command("verify_audit_chain")
    newest = list(AuditEntry.objects.order_by("-id").values_list("id", flat=True)[:3])

    def delete_tail():
        AuditSeal.objects.filter(entry_id__in=newest).delete()
        AuditEntry.objects.filter(id__in=newest).delete()

    _superuser(delete_tail)
    assert "Journal raccourci" in _verify_fails()


@pytest.mark.django_db
def test_emptying_the_whole_trail_is_detected_from_the_checkpoint_file_alone(client, clerk, inmate):
    _activity(client, clerk, inmate)
    call_command("seal_audit_chain", checkpoint=True)

    def empty_everything():
        AuditCheckpoint.objects.all().delete()
        AuditSeal.objects.all().delete()
        AuditEntry.objects.all().delete()

    _superuser(empty_everything)
    message = _verify_fails()
    assert "Journal vidé" in message and "fichier" in message


@pytest.mark.django_db
def test_rewriting_a_file_view_entry_and_its_seal_without_the_key_is_detected(client, clerk, inmate):
    import hashlib

    _activity(client, clerk, inmate)
    call_command("seal_audit_chain", checkpoint=True)
    view = AuditEntry.objects.filter(action="view", inmate_id=inmate.pk).first()
    fake = hashlib.sha256(b"autre").hexdigest()

    def rewrite():
        AuditEntry.objects.filter(pk=view.pk).update(actor_name="quelqu'un d'autre", hash=fake)
        AuditSeal.objects.filter(entry=view).update(entry_hash=fake)

    _superuser(rewrite)
    message = _verify_fails()
    assert f"n° {view.pk}" in message or "Sceau" in message


# --- PostgreSQL: the application's role -------------------------------------------------------

def _role_name():
    return "app_" + re.sub(r"[^a-z0-9_]", "_", connection.settings_dict["NAME"].lower())[:40]


# Transactional (the grants must be committed for another connection to see them), and restored
# from the serialized migration data as every transactional test of the suite is.
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def app_role():
    role = _role_name()
    grant_app_role(role=role, password=None)
    yield role
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE IF EXISTS "{role}"')


def _connect_as(role):
    import psycopg2

    settings = connection.settings_dict
    raw = psycopg2.connect(dbname=settings["NAME"], user=role, host=settings["HOST"] or "127.0.0.1",
                           port=settings["PORT"] or 5432)
    raw.autocommit = True
    return raw


@ON_POSTGRESQL
@pytest.mark.postgres
@TRANSACTIONAL
def test_the_application_role_may_only_insert_and_read_the_audit_trail(app_role, client, bamako):
    import psycopg2

    from accounts.roles import Role

    clerk = factories.staff(Role.CLERK, bamako)
    inmate = factories.detainee(bamako, actor=clerk)
    _activity(client, clerk, inmate)
    chain.seal_and_checkpoint(force_checkpoint=True)
    raw = _connect_as(app_role)
    try:
        with raw.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM accounts_auditentry")
            before = cursor.fetchone()[0]
            assert before > 0
            cursor.execute(
                "INSERT INTO accounts_auditentry (at, actor_name, action, target_id, target_repr, changes, "
                "restricted_changes, reason, digest_scheme, prev_hash, hash) "
                "VALUES (now(), 'x', 'other', '', '', '{}', '{}', 'inséré par le rôle applicatif', 2, '', '')")
            cursor.execute("SELECT count(*) FROM accounts_auditentry")
            assert cursor.fetchone()[0] == before + 1
            for table in ("accounts_auditentry", "accounts_auditseal", "accounts_auditcheckpoint"):
                cursor.execute(f"SELECT count(*) FROM {table}")
                for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}", f"TRUNCATE {table} CASCADE",
                                  f"ALTER TABLE {table} DISABLE TRIGGER ALL"):
                    with pytest.raises(psycopg2.Error) as error:
                        cursor.execute(statement)
                    assert error.value.pgcode in ("42501", "42809"), (statement, error.value.pgerror)
            with pytest.raises(psycopg2.Error):
                cursor.execute("SET session_replication_role = replica")
            # Its ordinary work is allowed: domain tables are read and written.
            cursor.execute("UPDATE prisons_facility SET name = name WHERE code = 'BKO'")
            assert cursor.rowcount == 1
    finally:
        raw.close()


@ON_POSTGRESQL
@pytest.mark.postgres
@TRANSACTIONAL
def test_the_product_runs_as_the_application_role(app_role, client, bamako):
    """Pages, API, sealing, checkpoints and verification all work with only INSERT + SELECT."""
    from accounts.roles import Role

    clerk = factories.staff(Role.CLERK, bamako)
    inmate = factories.detainee(bamako, actor=clerk)
    connection.close()
    saved = connection.settings_dict["USER"]
    connection.settings_dict["USER"] = app_role
    try:
        _activity(client, clerk, inmate)
        assert chain.seal_audit_chain() > 0
        assert chain.checkpoint_audit_chain(force=True) is not None
        call_command("verify_audit_chain")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
    finally:
        connection.close()
        connection.settings_dict["USER"] = saved


@ON_POSTGRESQL
@pytest.mark.postgres
@TRANSACTIONAL
def test_the_grant_command_refuses_the_owner_as_the_application_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(ValueError, match="autre rôle que le propriétaire"):
        grant_app_role(role=owner)
