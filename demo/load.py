"""Loading the demo: emptying the detainee tables, the entry point, and its one audit entry."""

import contextlib
import time

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import AuditAction, User
from accounts.services import record_audit
from casework.models import Court, CourtKind
from demo.generator import Generator
from demo.pgcopy import write_with_copy
from demo.places import PROFILES, ensure_units
from demo.rows import BATCH_SIZE, CHUNK, DETAINEE_MODELS
from inmates.models import PrisonerNumberCounter
from prisons.models import Facility, Region, Unit


def _dependents(models):
    """The given models plus every model (any app) whose foreign keys lead to them."""
    found = list(models)
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in found:
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in found:
                    found.append(model)
                    changed = True
                    break
    return found


def reset_demo_data():
    """Empty the detainee tables (and any table that refers to them) in one fast statement.

    The audit trail is append-only and is kept; units, courts and accounts are kept.
    """
    models = _dependents(DETAINEE_MODELS)
    if PrisonerNumberCounter not in models:
        models.append(PrisonerNumberCounter)  # numbers restart with the data they numbered
    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            # Children first: a model is emptied once nothing left refers to it.
            remaining = list(models)
            while remaining:
                for model in remaining:
                    referrers = [m for m in remaining if m is not model and any(
                        f.is_relation and f.related_model is model for f in m._meta.concrete_fields)]
                    if not referrers:
                        with connection.cursor() as cursor:
                            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
                        remaining.remove(model)
                        break
                else:
                    raise RuntimeError("Cycle between demo tables")
    return [m._meta.db_table for m in models]



def seed(n, *, seed=2026, log=print):
    """Generate `n` people across the operational facilities. Returns the row counts."""
    phase = time.monotonic()
    facilities = list(Facility.objects.operational().select_related("region").order_by("code"))
    facilities = [f for f in facilities if f.code in PROFILES] + [
        f for f in facilities if f.code not in PROFILES]
    units = ensure_units(facilities)
    log(f"Unités : {Unit.objects.filter(facility__in=facilities).count()} dans "
        f"{len(facilities)} établissements en service ({time.monotonic() - phase:.1f} s)")

    phase = time.monotonic()
    users = User.objects.filter(username__startswith="greffe.").prefetch_related("facilities")
    # Who recorded the placements: the prison's clerk where there is a demo one, else the admin.
    admin_id = User.objects.filter(username="admin").values_list("pk", flat=True).first()
    clerks = {f.pk: admin_id for f in facilities}
    for user in users:
        for f in user.facilities.all():
            clerks[f.pk] = user.pk
    Court.objects.get_or_create(code="MTPI", defaults={
        # Sentences passed over the Rwandan genocide, served at Koulikoro (DESIGN.md §1).
        "name": "Mécanisme international appelé à exercer les fonctions résiduelles des "
                "tribunaux pénaux (TPIR)", "kind": CourtKind.APPEAL, "town": "Arusha"})
    courts = {c.code: c for c in Court.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    chunks = (n + CHUNK - 1) // CHUNK
    generator = Generator(seed=seed, now=timezone.now().replace(second=0, microsecond=0),
                          facilities=facilities, units=units, courts=courts, regions=regions,
                          clerks=clerks, chunks=chunks)
    counts = {m.__name__: 0 for m in DETAINEE_MODELS}
    done = 0

    def progress(chunk_counts):
        nonlocal done
        for name, count in chunk_counts.items():
            counts[name] += count
        done += 1
        if done == chunks or done % max(1, chunks // 20) == 0:
            people = min(n, done * CHUNK)
            elapsed = time.monotonic() - phase
            log(f"  détenus : {_thousands(people):>9} / {_thousands(n)}  ({elapsed:.1f} s, "
                f"{_thousands(round(people / max(elapsed, 1e-9)))} par seconde)")

    with _quiet_queries(), transaction.atomic():
        if connection.vendor == "postgresql":
            sequences = write_with_copy(generator, n, progress, log)
        else:
            for index in range(chunks):
                rows = generator.chunk(index, min(CHUNK, n - index * CHUNK))
                for model in DETAINEE_MODELS:
                    model.objects.bulk_create([model(**row) for row in rows[model]], batch_size=BATCH_SIZE)
                progress({m.__name__: len(r) for m, r in rows.items()})
            sequences = generator.sequences
        Generator.save_sequences(sequences)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), DETAINEE_MODELS):
                    cursor.execute(sql)
    log(f"Détenus et dossiers écrits ({time.monotonic() - phase:.1f} s)")
    if connection.vendor == "postgresql":
        phase = time.monotonic()
        with connection.cursor() as cursor:
            for model in DETAINEE_MODELS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        log(f"Statistiques du planificateur (ANALYZE) ({time.monotonic() - phase:.1f} s)")
    return counts


def _thousands(number):
    return f"{number:,}".replace(",", " ")


@contextlib.contextmanager
def _quiet_queries():
    """No query log while loading (with DEBUG on, Django would keep every INSERT in memory)."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug



def audit_seed(counts, *, seed, reset):
    """The one audit entry saying demo data was loaded, with its counts."""
    record_audit(
        AuditAction.OTHER, actor_name="seed_demo", changes={"counts": counts, "seed": seed, "reset": reset},
        reason="Chargement des données de démonstration (seed_demo).",
    )
