"""Production wiring of the audit trail's protections: the key is required and never the
development one; docker-compose runs migrations as the owner and everything else as the
application role (issue 10 item 5)."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.db import connections

from accounts.dbroles import app_role_statements, as_schema_owner

ROOT = Path(__file__).resolve().parent.parent.parent
SECRET = "x" * 60


def _settings(env_extra):
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **env_extra}
    return subprocess.run(
        [sys.executable, "-c", ("import django; django.setup(); from django.conf import settings; "
                                "print(settings.AUDIT_CHAIN_KEY == 'k' * 48)")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("key", [None, "trop-courte", SECRET])
def test_production_refuses_a_missing_short_or_reused_audit_key(key):
    env = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": SECRET}
    if key is not None:
        env["AUDIT_CHAIN_KEY"] = key
    result = _settings(env)
    assert result.returncode != 0 and "AUDIT_CHAIN_KEY" in result.stderr


def test_production_starts_with_its_own_audit_key():
    result = _settings({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": SECRET, "AUDIT_CHAIN_KEY": "k" * 48})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_development_derives_its_key_from_the_secret_key():
    result = _settings({"DJANGO_DEBUG": "1"})
    assert result.returncode == 0 and result.stdout.strip() == "False"


def test_compose_runs_migrations_as_the_owner_and_the_rest_as_the_application_role():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    migrate = services["migrate"]["environment"]
    assert migrate["DATABASE_MIGRATE_URL"].startswith("postgres://dnapes:")
    assert "manage.py" in services["migrate"]["command"] and "migrate" in services["migrate"]["command"]
    for name in ("migrate", "web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://dnapes_app:"), name
        assert env["AUDIT_CHAIN_KEY"].startswith("${AUDIT_CHAIN_KEY:?"), name
        assert env["AUDIT_CHECKPOINT_FILE"].startswith("/app/audit/"), name
        assert any(v.endswith(":/app/audit") for v in services[name]["volumes"]), name
        assert "TRUSTED_PROXY_COUNT" in env
        if name != "migrate":
            assert "DATABASE_MIGRATE_URL" not in env, name


def test_the_owner_context_swaps_only_the_credentials_and_restores_them(settings, db):
    settings.DATABASE_OWNER = {"USER": "proprietaire", "PASSWORD": "secret-du-proprietaire",
                               "HOST": "db", "PORT": 5432, "NAME": "une-autre-base"}
    conn = connections["default"]
    before = dict(conn.settings_dict)
    with as_schema_owner() as swapped:
        assert swapped and conn.settings_dict["USER"] == "proprietaire"
        assert conn.settings_dict["NAME"] == before["NAME"]  # same database (tests: the test one)
    assert conn.settings_dict == before
    settings.DATABASE_OWNER = None
    with as_schema_owner() as swapped:
        assert not swapped


def test_the_application_role_never_gets_update_or_delete_on_the_audit_tables():
    statements = app_role_statements(role="app", database="dnapes", owner="dnapes", quote=lambda n: f'"{n}"')
    revoke = [s for s in statements if s.startswith("REVOKE UPDATE, DELETE ON")]
    assert revoke and all(t in revoke[0] for t in ("accounts_auditentry", "accounts_auditseal",
                                                    "accounts_auditcheckpoint"))
    assert not any("TRUNCATE" in s and s.startswith("GRANT") for s in statements)
