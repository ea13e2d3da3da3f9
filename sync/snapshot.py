"""The first exchange of a prison: every record it owns, parents first, into the outbox."""

import json

from django.db import transaction

from . import ownership, payload, registry
from .models import OutboxAction


def enqueue_owned(batch: int = 1000) -> int:
    """Queue an upsert of every travelling record owned by this prison (held people's files, the
    prison's own registers). Returns the number of actions queued."""
    here = ownership.site_facility_id()
    total = 0
    with transaction.atomic():
        for model in registry.travelling_models():
            person = registry.person_path(model)
            facility = registry.facility_path(model)
            queryset = model._default_manager.all()
            if person is not None:
                prefix = "__".join(person)
                custody = f"{prefix}__custodies__facility_id" if prefix else "custodies__facility_id"
                queryset = queryset.filter(**{custody: here}).distinct()
            elif facility is not None:
                queryset = queryset.filter(**{"__".join((*facility, "id")): here})
            rows = []
            for instance in queryset.order_by("pk").iterator(chunk_size=batch):
                data = payload.dump(instance)
                rows.append(OutboxAction(model=registry.label(model), uid=instance.uid, op="upsert", data=data,
                                         size=len(json.dumps(data, separators=(",", ":")).encode())))
                if len(rows) >= batch:
                    OutboxAction.objects.bulk_create(rows)
                    total += len(rows)
                    rows = []
            if rows:
                OutboxAction.objects.bulk_create(rows)
                total += len(rows)
    return total
