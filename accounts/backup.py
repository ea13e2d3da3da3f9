"""Backup and restore (`make backup` / `make restore`): the database, the private media folder
and the audit chain's checkpoint file, in one timestamped archive under BACKUP_DIR.

PostgreSQL: `pg_dump` in custom format, restored with `pg_restore` as the schema owner
(DATABASE_MIGRATE_URL when set, see accounts/dbroles.py), then the application role's grants.
SQLite: SQLite's own online backup API (a consistent copy even while the site runs).

Before the copy, the audit trail is sealed and a checkpoint is written, so that the archived
database and the archived checkpoint file agree and `verify_audit_chain` passes after a
restore. The backup itself is an audit entry. A restore goes into an empty database only.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from .chain import seal_and_checkpoint
from .models import AuditAction
from .services import record_audit

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
MEDIA = "media"
CHECKPOINTS = "audit-checkpoints.jsonl"


class BackupError(Exception):
    """A backup or restore that cannot go ahead (the message says why, in French)."""


def _connection(alias="default"):
    connection = connections[alias]
    connection.ensure_connection()
    return connection


def _pg_command(settings_dict, *, owner=True):
    """Credentials for pg_dump / pg_restore: the schema owner's when configured."""
    creds = dict(settings_dict)
    if owner and getattr(settings, "DATABASE_OWNER", None):
        creds.update({k: settings.DATABASE_OWNER.get(k, "") for k in ("USER", "PASSWORD", "HOST", "PORT")})
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if creds.get(key):
            args += [flag, str(creds[key])]
    env = {**os.environ, "PGPASSWORD": str(creds.get("PASSWORD") or "")}
    return args, env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} a échoué : {result.stderr.strip()[:2000]}")


def _dump_database(connection, target: Path) -> str:
    if connection.vendor == "sqlite":
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return "sqlite"
    if connection.vendor == "postgresql":
        args, env = _pg_command(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
              "--file", str(target), connection.settings_dict["NAME"]], env)
        return "postgresql"
    raise BackupError(f"Base de données non prise en charge : {connection.vendor}")


def create_backup(*, directory=None, alias="default", actor=None) -> Path:
    """Write one archive (database, private media, checkpoint file, manifest); returns its path."""
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    connection = _connection(alias)
    if connection.vendor not in DATABASE:
        raise BackupError(f"Base de données non prise en charge : {connection.vendor}")
    record_audit(AuditAction.OTHER, actor=actor, actor_name="" if actor else "backup",
                 reason="Sauvegarde de la base, des fichiers privés et des points de contrôle")
    seal_and_checkpoint(force_checkpoint=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"dnapes-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / DATABASE[connection.vendor]
        vendor = _dump_database(connection, database)
        checkpoint_file = Path(settings.AUDIT_CHECKPOINT_FILE) if settings.AUDIT_CHECKPOINT_FILE else None
        media = Path(settings.MEDIA_ROOT)
        manifest = {
            "format": FORMAT, "created_at": timezone.now().isoformat(), "vendor": vendor,
            "database": database.name, "media": media.is_dir(),
            "checkpoints": bool(checkpoint_file and checkpoint_file.exists()),
        }
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
            tar.add(database, arcname=database.name)
            if manifest["media"]:
                tar.add(media, arcname=MEDIA)
            if manifest["checkpoints"]:
                tar.add(checkpoint_file, arcname=CHECKPOINTS)
    os.chmod(archive, 0o600)  # personal data: readable by the service account only
    return archive


def _require_empty(connection):
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(f"La base de destination n'est pas vide ({len(tables)} table(s)) : une "
                          "restauration se fait dans une base vide.")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        raise BackupError(f"Le dossier des fichiers privés ({media}) n'est pas vide.")
    checkpoints = settings.AUDIT_CHECKPOINT_FILE
    if checkpoints and Path(checkpoints).exists() and Path(checkpoints).stat().st_size:
        raise BackupError(f"Le fichier des points de contrôle ({checkpoints}) existe déjà.")


def _load_database(connection, vendor, source: Path, alias):
    if vendor != connection.vendor:
        raise BackupError(f"Sauvegarde {vendor}, base de destination {connection.vendor} : incompatible.")
    if vendor == "sqlite":
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
        return
    args, env = _pg_command(connection.settings_dict)
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args,
          "--dbname", connection.settings_dict["NAME"], str(source)], env)
    owner = getattr(settings, "DATABASE_OWNER", None)
    if owner and connection.settings_dict.get("USER") != owner.get("USER"):
        call_command("grant_app_role", database=alias, verbosity=0)


def restore_backup(archive, *, alias="default") -> dict:
    """Load an archive into an empty database (and empty media folder); returns its manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Archive introuvable : {archive}")
    connection = _connection(alias)
    _require_empty(connection)
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")  # no absolute paths, links or devices
        try:
            manifest = json.loads((Path(work) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise BackupError("Archive sans manifeste lisible : ce n'est pas une sauvegarde DNAPES.") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Format de sauvegarde inconnu : {manifest.get('format')}")
        _load_database(connection, manifest["vendor"], Path(work) / manifest["database"], alias)
        if manifest.get("media"):
            shutil.copytree(Path(work) / MEDIA, settings.MEDIA_ROOT, dirs_exist_ok=True)
        if manifest.get("checkpoints") and settings.AUDIT_CHECKPOINT_FILE:
            target = Path(settings.AUDIT_CHECKPOINT_FILE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(work) / CHECKPOINTS, target)
    connection.close()  # the next query sees the restored schema from a fresh connection
    return manifest
