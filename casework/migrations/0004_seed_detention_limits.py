"""Seed the limits table with LAW.md's values (all awaiting confirmation by a Malian jurist)
and give the roles their permissions on deadlines, alerts and the backlog report."""

import datetime

from django.db import migrations

from accounts.rolesync import sync_role_groups

CPP_2001 = ("CPP-2001", "Code de procédure pénale, Loi n°01-080 du 20 août 2001, modifiée par la Loi n°2013-016",
            datetime.date(2001, 8, 20), datetime.date(2025, 6, 12))
CPP_2024 = ("CPP-2024", "Code de procédure pénale, Loi n°2024-028 du 13 décembre 2024 (en vigueur le 13 juin 2025)",
            datetime.date(2025, 6, 13), None)

# key, applies_to, initial (amount, unit), renewals (count, amount, unit), maximum (amount, unit),
# counted_from, renewal window (working days), article, note
ROWS = [
    ("police", "Toute infraction", (48, "hours"), (1, 24, "hours"), (72, "hours"), "custody_start", 0,
     "art. 76", "Une prolongation de 24 h, sur autorisation écrite."),
    ("police_terrorism", "Terrorisme ou criminalité organisée transnationale", (48, "hours"), (2, 48, "hours"),
     (144, "hours"), "custody_start", 0, "art. 76",
     "Deux prolongations de 48 h, chacune autorisée par écrit. Un extrait lit « trois fois » (192 h) : à vérifier."),
    ("delit_short", "Délit puni de 2 ans au plus, personne domiciliée au Mali", (1, "months"), (0, None, ""),
     (1, "months"), "first_appearance", 0, "art. 125", "Aucune prolongation."),
    ("delit_long", "Délit puni de plus de 2 ans", (6, "months"), (1, 6, "months"), (12, "months"),
     "detention_order", 0, "art. 127", "Une prolongation de 6 mois au plus, par ordonnance motivée."),
    ("crime", "Crime (les infractions terroristes qualifiées crimes y compris)", (12, "months"), (None, 12, "months"),
     (36, "months"), "detention_order", 8, "art. 135",
     "Prolongation annuelle par ordonnance spécialement motivée rendue dans les 8 jours ouvrables avant l'échéance."),
    ("flagrant", "Flagrant délit, mandat de dépôt du parquet", (3, "months"), (0, None, ""), (3, "months"),
     "detention_order", 0, "—", "Valeur par défaut non vérifiée."),
]


def seed(apps, schema_editor):
    DetentionLimit = apps.get_model("casework", "DetentionLimit")
    for version, title, valid_from, valid_to in (CPP_2001, CPP_2024):
        for key, applies_to, initial, renewal, maximum, counted_from, window, article, note in ROWS:
            if version == "CPP-2024":
                note = ("Durées du nouveau code non vérifiées : valeurs de l'ancien code reprises "
                        "en attendant la confirmation d'un juriste. " + note)
            DetentionLimit.objects.update_or_create(
                key=key, code_version=version,
                defaults=dict(
                    code_title=title, valid_from=valid_from, valid_to=valid_to, applies_to=applies_to,
                    initial_amount=initial[0], initial_unit=initial[1],
                    renewal_count=renewal[0], renewal_amount=renewal[1], renewal_unit=renewal[2],
                    max_amount=maximum[0], max_unit=maximum[1], counted_from=counted_from,
                    renewal_window_working_days=window, article=article, awaiting_confirmation=True,
                    source_note=note,
                ),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_deadlines_alerts_snapshots"),
        ("accounts", "0002_roles"),
    ]
    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
