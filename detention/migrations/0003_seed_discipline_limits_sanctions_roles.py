"""Seed the discipline limits (Mandela defaults, to be confirmed), each prison's sanctions list
(sensible defaults an administrator edits), and give the roles their permissions."""

from django.db import migrations

from accounts.rolesync import sync_role_groups

LIMITS = [
    ("preparation_hours", 24, "Règle 41 (temps de préparer sa défense) : valeur par défaut à confirmer."),
    ("isolation_max_days", 15, "Règles 43-44 : isolement prolongé au-delà de 15 jours consécutifs interdit."),
    ("isolation_alert_day", 13, "Alerte deux jours avant la limite de la Règle 44."),
]
SANCTIONS = [
    ("Avertissement", "warning", None),
    ("Privation de cantine", "privilege", 30),
    ("Suspension des activités de loisir", "activity", 30),
    ("Confinement en cellule ordinaire", "confinement", 15),
    ("Cellule disciplinaire", "isolation", 15),
]


def seed(apps, schema_editor):
    DisciplineLimit = apps.get_model("detention", "DisciplineLimit")
    Sanction = apps.get_model("detention", "Sanction")
    Facility = apps.get_model("prisons", "Facility")
    for key, value, source in LIMITS:
        DisciplineLimit.objects.get_or_create(key=key, defaults={"value": value, "source": source,
                                                                 "awaiting_confirmation": True})
    for facility in Facility.objects.all():
        for name, kind, max_days in SANCTIONS:
            Sanction.objects.get_or_create(facility=facility, name=name,
                                           defaults={"kind": kind, "max_days": max_days})


class Migration(migrations.Migration):
    dependencies = [
        ("detention", "0002_discipline_isolation_registers"),
        ("prisons", "0002_reference_data"),
        ("accounts", "0002_roles"),
    ]
    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
