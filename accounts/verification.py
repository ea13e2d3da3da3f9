"""Verification of the audit trail: entries ↔ seals ↔ checkpoints (table and file).

Reported as broken: a modified entry or seal, a deleted entry or seal, a trail emptied or
shortened (fewer seals than a checkpoint attested), a checkpoint forged or removed, an entry
left unsealed longer than AUDIT_SEAL_MAX_DELAY_MINUTES, and a wrong key.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .chain import checkpoint_signature, entry_digest, key_id, seal_digest
from .models import AuditCheckpoint, AuditEntry, AuditSeal, DigestScheme


@dataclass
class Problem:
    kind: str
    message: str


@dataclass
class Report:
    entries: int = 0
    seals: int = 0
    checkpoints: int = 0
    checkpoint_lines: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Full(Exception):
    pass


class _Collector:
    def __init__(self, report: Report, limit: int):
        self.report, self.limit = report, limit

    def add(self, kind: str, message: str):
        self.report.problems.append(Problem(kind, message))
        if len(self.report.problems) >= self.limit:
            raise _Full


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _describe(entry) -> str:
    return f"n° {entry.pk} ({_when(entry.at)}, {entry.actor_name or '-'}, {entry.action})"


def _entry_intact(entry, expected_hash: str) -> bool:
    digest = entry_digest(entry)
    if digest != expected_hash:
        return False
    return entry.digest_scheme != DigestScheme.KEYED or entry.hash == expected_hash


def _check_seals(out: _Collector, batch_size: int):
    expected_position, prev_hash = 1, ""
    while True:
        seals = list(AuditSeal.objects.filter(position__gte=expected_position).order_by("position")[:batch_size])
        if not seals:
            return expected_position - 1
        entries = AuditEntry.objects.in_bulk([s.entry_id for s in seals])
        for seal in seals:
            if seal.position != expected_position:
                out.add("seal_missing", f"Sceau(x) n° {expected_position} à {seal.position - 1} supprimé(s) "
                                        f"(avant l'entrée n° {seal.entry_id}).")
                prev_hash = None  # the link cannot match; report it once, as the gap
            if prev_hash is not None and seal.prev_hash != prev_hash:
                out.add("seal_link", f"Sceau n° {seal.position} : lien rompu avec le sceau précédent "
                                     f"(entrée n° {seal.entry_id}).")
            elif seal.chain_hash != seal_digest(position=seal.position, prev_hash=seal.prev_hash,
                                                entry_id=seal.entry_id, entry_hash=seal.entry_hash):
                out.add("seal_modified", f"Sceau n° {seal.position} modifié, ou clé incorrecte "
                                         f"(entrée n° {seal.entry_id}).")
            entry = entries.get(seal.entry_id)
            if entry is None:
                out.add("entry_deleted", f"Entrée n° {seal.entry_id} supprimée (scellée au rang {seal.position}).")
            elif not _entry_intact(entry, seal.entry_hash):
                out.add("entry_modified", f"Entrée {_describe(entry)} : contenu modifié.")
            prev_hash, expected_position = seal.chain_hash, seal.position + 1


def _check_unsealed(out: _Collector, batch_size: int):
    limit = timezone.now() - timedelta(minutes=settings.AUDIT_SEAL_MAX_DELAY_MINUTES)
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(seal__isnull=True, id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return
        for entry in batch:
            if entry.digest_scheme == DigestScheme.KEYED and entry_digest(entry) != entry.hash:
                out.add("entry_modified", f"Entrée {_describe(entry)} (pas encore scellée) : contenu modifié.")
            if entry.at < limit:
                out.add("unsealed", f"Entrée {_describe(entry)} jamais scellée après "
                                    f"{settings.AUDIT_SEAL_MAX_DELAY_MINUTES} minutes (le scellement "
                                    f"périodique ne tourne pas, ou l'entrée a été insérée hors de l'application).")
        last_id = batch[-1].pk


def _file_checkpoints(out: _Collector) -> list[dict] | None:
    path = settings.AUDIT_CHECKPOINT_FILE
    if not path:
        return None
    file = Path(path)
    if not file.exists():
        return []
    records = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            record["at_parsed"] = datetime.fromisoformat(record["at"])
            int(record["seal_count"]), int(record["last_seal_id"]), str(record["signature"])
        except (ValueError, KeyError, TypeError):
            out.add("checkpoint_forged", f"Fichier des points de contrôle, ligne {number} : illisible.")
            continue
        record["line"] = number
        records.append(record)
    return records


def _check_checkpoint(out, where: str, *, at, seal_count, last_seal_id, head_hash, key, signature,
                      seal_total: int, previous_count: int):
    if key != key_id():
        out.add("wrong_key", f"{where} : signé avec une autre clé (AUDIT_CHAIN_KEY incorrecte ?).")
        return previous_count
    if signature != checkpoint_signature(at=at, seal_count=seal_count, last_seal_id=last_seal_id,
                                         head_hash=head_hash, key=key):
        out.add("checkpoint_forged", f"{where} : signature invalide (point de contrôle falsifié).")
        return previous_count
    if seal_count < previous_count:
        out.add("checkpoint_regressed", f"{where} : {seal_count} sceaux, moins que le point de contrôle "
                                        f"précédent ({previous_count}).")
    if seal_total < seal_count:
        kind = "truncated" if seal_total == 0 else "shortened"
        out.add(kind, f"Journal {'vidé' if seal_total == 0 else 'raccourci'} : {seal_total} sceau(x) "
                      f"aujourd'hui, alors que le point de contrôle du {_when(at)} en attestait {seal_count}.")
        return max(previous_count, seal_count)
    seal = AuditSeal.objects.filter(position=seal_count).first()
    if seal is None or seal.pk != last_seal_id or seal.chain_hash != head_hash:
        out.add("checkpoint_mismatch", f"{where} : la tête de chaîne au rang {seal_count} ne correspond pas "
                                       f"(sceaux remplacés ou réécrits).")
    return max(previous_count, seal_count)


def _check_checkpoints(out: _Collector, seal_total: int, report: Report):
    previous = 0
    db_signatures = set()
    for checkpoint in AuditCheckpoint.objects.order_by("id").iterator(chunk_size=2000):
        report.checkpoints += 1
        db_signatures.add(checkpoint.signature)
        previous = _check_checkpoint(
            out, f"Point de contrôle n° {checkpoint.pk} du {_when(checkpoint.at)}", at=checkpoint.at,
            seal_count=checkpoint.seal_count, last_seal_id=checkpoint.last_seal_id,
            head_hash=checkpoint.head_hash, key=checkpoint.key_id, signature=checkpoint.signature,
            seal_total=seal_total, previous_count=previous)
    records = _file_checkpoints(out)
    if records is None:
        return
    report.checkpoint_lines = len(records)
    if report.checkpoints and not records:
        out.add("checkpoint_file_missing", f"Le fichier des points de contrôle ({settings.AUDIT_CHECKPOINT_FILE}) "
                                           f"est absent ou vide alors que la base en compte {report.checkpoints}.")
    previous = 0
    file_signatures = set()
    for record in records:
        file_signatures.add(record["signature"])
        if record["signature"] not in db_signatures:
            out.add("checkpoint_deleted", f"Point de contrôle du {_when(record['at_parsed'])} (fichier, ligne "
                                          f"{record['line']}) absent de la base : supprimé.")
        previous = _check_checkpoint(
            out, f"Point de contrôle du {_when(record['at_parsed'])} (fichier, ligne {record['line']})",
            at=record["at_parsed"], seal_count=int(record["seal_count"]),
            last_seal_id=int(record["last_seal_id"]), head_hash=record.get("head_hash", ""),
            key=record.get("key_id", ""), signature=record["signature"], seal_total=seal_total,
            previous_count=previous)
    missing = db_signatures - file_signatures
    if missing:
        out.add("checkpoint_file_incomplete", f"{len(missing)} point(s) de contrôle de la base absent(s) du "
                                              f"fichier {settings.AUDIT_CHECKPOINT_FILE} (fichier réécrit ?).")


def verify_audit_trail(*, batch_size: int = 5000, limit: int = 50) -> Report:
    """Check every entry, seal and checkpoint; at most `limit` problems are reported."""
    report = Report()
    out = _Collector(report, limit)
    report.entries = AuditEntry.objects.count()
    report.seals = AuditSeal.objects.count()
    latest = AuditCheckpoint.objects.order_by("-id").first()
    if latest is not None and latest.key_id != key_id():
        # Nothing else can be checked with another key: say so, rather than list every seal.
        report.problems.append(Problem("wrong_key", (
            "Clé incorrecte : le dernier point de contrôle a été signé avec une autre clé que "
            "AUDIT_CHAIN_KEY ; rien ne peut être vérifié avec celle-ci.")))
        return report
    try:
        last_position = _check_seals(out, batch_size)
        _check_unsealed(out, batch_size)
        _check_checkpoints(out, max(last_position, report.seals), report)
    except _Full:
        pass
    return report
