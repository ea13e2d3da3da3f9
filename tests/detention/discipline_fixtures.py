"""Fixtures of the discipline and isolation registers: staff of every role, data through the services."""

import datetime

from django.utils import timezone

from detention.models import Sanction
from detention.services import discipline


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def heard_charge(custody, *, reporter, hearer):
    incident = discipline.report_incident(
        custody.facility, custodies=[custody], occurred_at=ago(days=3), place="Cour A",
        description="Bagarre dans la cour", witnesses="Surveillant K.", offence="Violences", actor=reporter)
    charge = incident.charges.get()
    discipline.notify_charge(charge, language="bambara", actor=reporter, at=ago(days=2, hours=12))
    discipline.hear_charge(charge, statement="Je me suis défendu.", interpreter="A. Coulibaly", actor=hearer,
                           at=ago(days=1))
    charge.refresh_from_db()
    return charge


def sanction_of(facility, kind):
    return Sanction.objects.filter(facility=facility, kind=kind, is_active=True).first()
