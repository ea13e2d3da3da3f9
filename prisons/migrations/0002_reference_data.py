"""Mali's regions (2023 administrative reform) and the prison estate.

Capacities other than Bamako (400), Koulikoro (200) are indicative (sources: DESIGN.md,
2009 national capacity of about 3,000) and are flagged for confirmation in `notes`.
Facilities destroyed in the conflict since 2012 are recorded as such (14 of 59).
"""

from django.db import migrations

REGIONS = [
    # code, name, zone
    ("BKO", "District de Bamako", "south"), ("KAY", "Kayes", "south"), ("KLK", "Koulikoro", "south"),
    ("SIK", "Sikasso", "south"), ("BGN", "Bougouni", "south"), ("DLA", "Dioïla", "south"),
    ("KTL", "Koutiala", "south"), ("KIT", "Kita", "south"), ("NIO", "Nioro du Sahel", "south"),
    ("NAR", "Nara", "south"), ("SEG", "Ségou", "centre"), ("SAN", "San", "centre"),
    ("MOP", "Mopti", "centre"), ("BDG", "Bandiagara", "centre"), ("DTZ", "Douentza", "centre"),
    ("TBK", "Tombouctou", "north"), ("TAO", "Taoudénit", "north"), ("GAO", "Gao", "north"),
    ("MEN", "Ménaka", "north"), ("KID", "Kidal", "north"),
]

CHECK = "Capacité indicative, à confirmer auprès de la DNAPES."
FACILITIES = [
    # code, name, kind, region, town, capacity, status, men, women, adults, minors, notes
    ("BKO", "Maison centrale d'arrêt de Bamako", "central", "BKO", "Bamako", 400, "operational",
     True, False, True, False, "Haute sécurité ; deux quartiers désignés (terrorisme)."),
    ("KLK", "Maison centrale d'arrêt de Koulikoro", "central", "KLK", "Koulikoro", 200, "operational",
     True, False, True, False, "Établissement de transit ; unité spéciale sous régime ONU (TPIR)."),
    ("KNB", "Centre de détention de Kéniéroba", "prison", "KLK", "Kéniéroba", 2500, "operational",
     True, False, True, False, "Ouvert en 2019. " + CHECK),
    ("BOL", "Centre de détention et de rééducation pour femmes de Bollé", "women", "BKO", "Bamako",
     150, "operational", False, True, True, False, CHECK),
    ("BOM", "Centre spécialisé de rééducation pour mineurs de Bollé", "juvenile", "BKO", "Bamako",
     100, "operational", True, True, False, True, CHECK),
    ("KTI", "Maison d'arrêt de Kati", "prison", "KLK", "Kati", 120, "operational",
     True, True, True, False, CHECK),
    ("KAY", "Maison d'arrêt de Kayes", "prison", "KAY", "Kayes", 150, "operational",
     True, True, True, False, CHECK),
    ("SIK", "Maison d'arrêt de Sikasso", "prison", "SIK", "Sikasso", 150, "operational",
     True, True, True, False, CHECK),
    ("SEG", "Maison d'arrêt de Ségou", "prison", "SEG", "Ségou", 150, "operational",
     True, True, True, False, CHECK),
    ("MOP", "Maison d'arrêt de Mopti", "prison", "MOP", "Mopti", 150, "operational",
     True, True, True, False, CHECK),
    ("SAN", "Maison d'arrêt de San", "prison", "SAN", "San", 80, "operational",
     True, True, True, False, CHECK),
    ("KTL", "Maison d'arrêt de Koutiala", "prison", "KTL", "Koutiala", 80, "operational",
     True, True, True, False, CHECK),
    ("BGN", "Maison d'arrêt de Bougouni", "prison", "BGN", "Bougouni", 80, "operational",
     True, True, True, False, CHECK),
    ("KIT", "Maison d'arrêt de Kita", "prison", "KIT", "Kita", 60, "operational",
     True, True, True, False, CHECK),
    ("NIO", "Maison d'arrêt de Nioro du Sahel", "prison", "NIO", "Nioro du Sahel", 60, "operational",
     True, True, True, False, CHECK),
    ("GAO", "Maison d'arrêt de Gao", "prison", "GAO", "Gao", 120, "reconstruction",
     True, True, True, False, CHECK),
    ("TBK", "Maison d'arrêt de Tombouctou", "prison", "TBK", "Tombouctou", 100, "reconstruction",
     True, True, True, False, CHECK),
    ("KID", "Maison d'arrêt de Kidal", "prison", "KID", "Kidal", 60, "destroyed",
     True, True, True, False, "Détruite pendant le conflit (depuis 2012)."),
    ("MEN", "Maison d'arrêt de Ménaka", "prison", "MEN", "Ménaka", 50, "destroyed",
     True, True, True, False, "Détruite pendant le conflit (depuis 2012)."),
    ("DTZ", "Maison d'arrêt de Douentza", "prison", "DTZ", "Douentza", 50, "destroyed",
     True, True, True, False, "Détruite pendant le conflit (depuis 2012)."),
    ("TNK", "Maison d'arrêt de Ténenkou", "prison", "MOP", "Ténenkou", 40, "destroyed",
     True, True, True, False, "Détruite pendant le conflit (depuis 2012)."),
    ("GDM", "Maison d'arrêt de Goundam", "prison", "TBK", "Goundam", 40, "destroyed",
     True, True, True, False, "Détruite pendant le conflit (depuis 2012)."),
    ("NFK", "Maison d'arrêt de Niafunké", "prison", "TBK", "Niafunké", 40, "destroyed",
     True, True, True, False, "Détruite pendant le conflit (depuis 2012)."),
    ("BRM", "Maison d'arrêt de Bourem", "prison", "GAO", "Bourem", 40, "destroyed",
     True, True, True, False, "Détruite pendant le conflit (depuis 2012)."),
    ("ASG", "Maison d'arrêt d'Ansongo", "prison", "GAO", "Ansongo", 40, "closed",
     True, True, True, False, "Fermée (insécurité)."),
]


def load(apps, schema_editor):
    Region = apps.get_model("prisons", "Region")
    Facility = apps.get_model("prisons", "Facility")
    regions = {}
    for code, name, zone in REGIONS:
        regions[code], _ = Region.objects.update_or_create(code=code, defaults={"name": name, "zone": zone})
    for (code, name, kind, region, town, capacity, status, men, women, adults, minors, notes) in FACILITIES:
        Facility.objects.update_or_create(
            code=code,
            defaults=dict(name=name, kind=kind, region=regions[region], town=town,
                          official_capacity=capacity, status=status, holds_men=men,
                          holds_women=women, holds_adults=adults, holds_minors=minors, notes=notes),
        )


class Migration(migrations.Migration):
    dependencies = [("prisons", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
