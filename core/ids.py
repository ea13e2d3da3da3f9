"""Global identity: every record that travels between a prison's server and the national server
carries a `uid` (UUIDv7: time-ordered, made where the record is created), and exchanges refer to
records by it, never by local integer keys (issue 12)."""

import uuid6
from django.db import models
from django.utils.translation import gettext_lazy as _


def uuid7():
    """A new UUIDv7 (time-ordered, so indexes stay compact; Python 3.11 has no `uuid.uuid7`)."""
    return uuid6.uuid7()


def global_id():
    """The `uid` field of a model whose records travel (or are reference data shared by every site)."""
    return models.UUIDField(_("identifiant global"), default=uuid7, unique=True, editable=False)


def fill_global_ids(app_label: str, model_names):
    """A data migration's step: give every existing row of these models its `uid` (UUIDv7, in id
    order), in batches; the field is made unique by the next migration."""

    def fill(apps, schema_editor):
        for name in model_names:
            model = apps.get_model(app_label, name)
            batch = []
            for row in model.objects.filter(uid__isnull=True).only("pk").order_by("pk").iterator(chunk_size=2000):
                row.uid = uuid7()
                batch.append(row)
                if len(batch) >= 2000:
                    model.objects.bulk_update(batch, ["uid"])
                    batch = []
            if batch:
                model.objects.bulk_update(batch, ["uid"])

    return fill
