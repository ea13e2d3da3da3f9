"""The neutral starter instrument of needs (published version 1) and the intervention catalogue;
the roles' follow-up permissions."""

from django.db import migrations

from accounts.rolesync import sync_role_groups
from followup import starter


def load(apps, schema_editor):
    Instrument = apps.get_model("followup", "Instrument")
    Version = apps.get_model("followup", "InstrumentVersion")
    Scale = apps.get_model("followup", "AnswerScale")
    Domain = apps.get_model("followup", "Domain")
    Item = apps.get_model("followup", "Item")
    InterventionType = apps.get_model("followup", "InterventionType")
    from django.utils import timezone

    instrument, _ = Instrument.objects.get_or_create(code="besoins", defaults={
        "name": "Évaluation des besoins",
        "purpose": "Besoins de la personne pendant la détention et pour préparer sa sortie."})
    if not instrument.versions.exists():
        version = Version.objects.create(instrument=instrument, number=1, status="published", guidance=starter.GUIDANCE,
                                         assessor_roles=["social", "director", "medical"],
                                         change_note="Version de départ.", published_at=timezone.now())
        scales = {
            "need": Scale.objects.create(version=version, code="need", name="Besoin", options=starter.NEED_SCALE),
            "yes_no": Scale.objects.create(version=version, code="yes_no", name="Oui / non",
                                           options=starter.YES_NO_SCALE),
        }
        for order, (code, name, guidance, items) in enumerate(starter.DOMAINS, start=1):
            domain = Domain.objects.create(version=version, order=order, code=code, name=name, guidance=guidance)
            for n, (item_code, text, scale) in enumerate(items, start=1):
                Item.objects.create(domain=domain, order=n, code=item_code, text=text, scale=scales[scale])
    for code, name, providers, kinds in starter.INTERVENTIONS:
        InterventionType.objects.get_or_create(code=code, defaults={
            "name": name, "provider_kinds": providers, "activity_kinds": kinds})


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
