"""`make backup` / `make restore` (issue 10, item 12): an archive of the database, the private
media and the audit checkpoint file, restored into an empty database where the audit chain
verifies."""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.backup import BackupError, create_backup, restore_backup
from accounts.models import AuditEntry
from accounts.roles import Role
from inmates import services
from tests import factories
from tests.intake.conftest import png

BASE_DIR = Path(settings.BASE_DIR)


def seed(facility):
    """A little data through the services: a person admitted, with a photo (a private file)."""
    clerk = factories.staff(Role.CLERK, facility, username=f"greffe.{uuid.uuid4().hex[:6]}")
    inmate = factories.detainee(facility, actor=clerk, last_name="SAUVEGARDÉ")
    services.set_inmate_photo(inmate, photo=png(), actor=clerk)
    inmate.refresh_from_db()
    return inmate


def manage(*args, env):
    return subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def fresh_env(target: Path, database_url: str):
    """A new installation: its own (empty) database, media folder and checkpoint file, the same
    keys (the audit chain key never travels in a backup)."""
    return {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(target / "media"), "AUDIT_CHECKPOINT_FILE": str(target / "var" / "checkpoints.jsonl"),
            "AUDIT_CHAIN_KEY": settings.AUDIT_CHAIN_KEY, "DJANGO_SECRET_KEY": settings.SECRET_KEY}


def restore_and_verify(archive, target, database_url):
    env = fresh_env(target, database_url)
    restored = manage("restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    verified = manage("verify_audit_chain", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Journal d'audit intègre" in verified.stdout
    return env


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_archive_holds_database_media_and_checkpoints(bamako, tmp_path):
    inmate = seed(bamako)
    archive = create_backup(directory=tmp_path / "backups")
    assert archive.name.startswith("dnapes-") and archive.suffixes == [".tar", ".gz"]
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
    assert {"manifest.json", manifest["database"], "audit-checkpoints.jsonl", f"media/{inmate.photo.name}"} <= names
    assert manifest["vendor"] == connection.vendor
    assert AuditEntry.objects.filter(actor_name="backup", reason__startswith="Sauvegarde").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite variant")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sqlite_backup_restores_into_an_empty_database_where_the_chain_verifies(bamako,
                                                                                  tmp_path):
    inmate = seed(bamako)
    archive = create_backup(directory=tmp_path / "backups")
    target = tmp_path / "restored"
    target.mkdir()
    database = target / "db.sqlite3"
    env = restore_and_verify(archive, target, f"sqlite:///{database}")
    with sqlite3.connect(database) as restored:
        assert restored.execute("SELECT last_name FROM inmates_inmate WHERE id = ?", [inmate.pk]).fetchone() == (
            "SAUVEGARDÉ",)
    assert (target / "media" / inmate.photo.name).is_file()
    again = manage("restore", str(archive), env=env)
    assert again.returncode != 0 and "n'est pas vide" in again.stderr


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: pg_dump / pg_restore")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_postgresql_backup_restores_into_an_empty_database_where_the_chain_verifies(bamako,
                                                                                      tmp_path):
    inmate = seed(bamako)
    archive = create_backup(directory=tmp_path / "backups")
    conf = connection.settings_dict
    owner = getattr(settings, "DATABASE_OWNER", None) or conf
    name = f"dnapes_restore_{uuid.uuid4().hex[:8]}"
    credentials = ["-h", conf["HOST"] or "127.0.0.1", "-p", str(conf["PORT"] or 5432), "-U", owner["USER"]]
    pg_env = {**os.environ, "PGPASSWORD": owner.get("PASSWORD") or ""}
    subprocess.run(["createdb", *credentials, name], env=pg_env, check=True)
    try:
        url = (f"postgres://{conf['USER']}:{conf.get('PASSWORD') or ''}@{conf['HOST'] or '127.0.0.1'}:"
               f"{conf['PORT'] or 5432}/{name}")
        target = tmp_path / "restored"
        target.mkdir()
        restore_and_verify(archive, target, url)
        count = subprocess.run(["psql", *credentials, "-d", name, "-tAc",
                                f"SELECT last_name FROM inmates_inmate WHERE id = {inmate.pk}"],
                               env=pg_env, capture_output=True, text=True, check=True)
        assert count.stdout.strip() == "SAUVEGARDÉ"
        assert (target / "media" / inmate.photo.name).is_file()
    finally:
        subprocess.run(["dropdb", *credentials, "--if-exists", name], env=pg_env, check=False)


def test_a_restore_refuses_a_database_that_is_not_empty(db, tmp_path):
    archive = tmp_path / "x.tar.gz"
    with tarfile.open(archive, "w:gz"):
        pass
    with pytest.raises(BackupError, match="n'est pas vide"):
        restore_backup(archive)


def test_a_restore_refuses_a_missing_archive(db, tmp_path):
    with pytest.raises(BackupError, match="introuvable"):
        restore_backup(tmp_path / "absent.tar.gz")
