"""Courts that commit people to prison, including the specialised counter-terrorism pole."""

from django.db import migrations

COURTS = [
    # code, name, kind, town, region
    ("PJS-C6", "Pôle judiciaire spécialisé (TGI de la Commune VI)", "ct_pole", "Bamako", "BKO"),
    ("TGI-C1", "Tribunal de grande instance de la Commune I", "tgi", "Bamako", "BKO"),
    ("TGI-C2", "Tribunal de grande instance de la Commune II", "tgi", "Bamako", "BKO"),
    ("TGI-C3", "Tribunal de grande instance de la Commune III", "tgi", "Bamako", "BKO"),
    ("TGI-C4", "Tribunal de grande instance de la Commune IV", "tgi", "Bamako", "BKO"),
    ("TGI-C5", "Tribunal de grande instance de la Commune V", "tgi", "Bamako", "BKO"),
    ("TGI-C6", "Tribunal de grande instance de la Commune VI", "tgi", "Bamako", "BKO"),
    ("TI-KTI", "Tribunal d'instance de Kati", "instance", "Kati", "KLK"),
    ("TGI-KLK", "Tribunal de grande instance de Koulikoro", "tgi", "Koulikoro", "KLK"),
    ("TGI-KAY", "Tribunal de grande instance de Kayes", "tgi", "Kayes", "KAY"),
    ("TGI-SIK", "Tribunal de grande instance de Sikasso", "tgi", "Sikasso", "SIK"),
    ("TGI-SEG", "Tribunal de grande instance de Ségou", "tgi", "Ségou", "SEG"),
    ("TGI-MOP", "Tribunal de grande instance de Mopti", "tgi", "Mopti", "MOP"),
    ("TGI-GAO", "Tribunal de grande instance de Gao", "tgi", "Gao", "GAO"),
    ("TGI-TBK", "Tribunal de grande instance de Tombouctou", "tgi", "Tombouctou", "TBK"),
    ("CA-BKO", "Cour d'appel de Bamako", "appeal", "Bamako", "BKO"),
    ("CA-MOP", "Cour d'appel de Mopti", "appeal", "Mopti", "MOP"),
    ("CA-KAY", "Cour d'appel de Kayes", "appeal", "Kayes", "KAY"),
    ("CAS-BKO", "Cour d'assises de Bamako", "assizes", "Bamako", "BKO"),
    ("TM-BKO", "Tribunal militaire de Bamako", "military", "Bamako", "BKO"),
    ("TPE-BKO", "Tribunal pour enfants de Bamako", "juvenile", "Bamako", "BKO"),
    ("CS", "Cour suprême du Mali", "supreme", "Bamako", "BKO"),
]


def load(apps, schema_editor):
    Court = apps.get_model("casework", "Court")
    Region = apps.get_model("prisons", "Region")
    regions = {r.code: r for r in Region.objects.all()}
    for code, name, kind, town, region in COURTS:
        Court.objects.update_or_create(
            code=code, defaults=dict(name=name, kind=kind, town=town, region=regions.get(region))
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial"), ("prisons", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
