"""Read services of the arrival workflow's step records (the intake itself: `services.open_intake`).

Each returns a record the actor may see (the role's view permission, the user's prisons through the
intake; otherwise 403 / 404) and records one VIEW entry naming it and the person. Called by the
admin's consultation views as the pages call `open_intake`.
"""

from django.utils.translation import gettext as _

from accounts.reads import open_record

from .models import (
    AdministrationRecord,
    Fingerprint,
    Intake,
    PropertyItem,
    RegistryRecord,
    SecurityCheck,
    StepRecord,
)


def _open_step_part(model, pk, *, actor, via="intake"):
    intakes = Intake.objects.visible_to(actor)
    queryset = model.objects.filter(**{f"{via}__in": intakes}).select_related(via)
    path = via.replace("__", ".")
    return open_record(queryset, pk, actor=actor, permission=f"intake.view_{model._meta.model_name}",
                       person=f"{path}.inmate_id", facility=f"{path}.facility_id",
                       not_found=_("Aucun enregistrement ne correspond."))


def open_step_record(pk, *, actor) -> StepRecord:
    return _open_step_part(StepRecord, pk, actor=actor)


def open_security_check(pk, *, actor) -> SecurityCheck:
    return _open_step_part(SecurityCheck, pk, actor=actor)


def open_administration_record(pk, *, actor) -> AdministrationRecord:
    return _open_step_part(AdministrationRecord, pk, actor=actor)


def open_fingerprint(pk, *, actor) -> Fingerprint:
    return _open_step_part(Fingerprint, pk, actor=actor)


def open_registry_record(pk, *, actor) -> RegistryRecord:
    return _open_step_part(RegistryRecord, pk, actor=actor)


def open_property_item(pk, *, actor) -> PropertyItem:
    return _open_step_part(PropertyItem, pk, actor=actor, via="registry__intake")
