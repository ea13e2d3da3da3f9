"""Deaths in custody (Mandela Rules 69–72; LAW.md "Rules 69–72"): the death recorded with its
circumstances ends the stay (release reason "death"); the next of kin told at once (Rule 69)
and the judicial authority informed (Rule 71) are recorded with when, by whom and how. A
missing notification stays a critical item on the file until it is recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.reads import open_record
from accounts.services import record_audit
from core.access import require_serves

from . import movements, services
from .models import DeathInCustody, ReleaseReason

NOTIFICATION_FIELDS = ("kin_told_at", "kin_name", "kin_method", "authority_informed_at", "authority",
                       "authority_method", "authority_reference")
# What follows (Rules 71–72): the independent inquiry to its outcome; the body handled and returned.
FOLLOW_UP_FIELDS = ("inquiry_authority", "inquiry_reference", "inquiry_opened_on", "inquiry_outcome",
                    "inquiry_closed_on", "body_handling", "body_returned_to", "body_returned_at")


def _audit(action, death, *, actor, changes):
    record_audit(action, actor=actor, target=death, changes=changes, inmate_id=death.custody.inmate_id,
                 facility_id=death.custody.facility_id)


def _apply_notifications(death, actor, fields):
    if fields.get("kin_told_at"):
        death.kin_told_by = actor
    if fields.get("authority_informed_at"):
        death.authority_informed_by = actor
    for name, value in fields.items():
        setattr(death, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def record_death(custody, *, died_at, place: str, circumstances: str, actor, **notifications) -> DeathInCustody:
    """Record a death in custody with its circumstances; the stay ends (reason "death")."""
    unknown = set(notifications) - set(NOTIFICATION_FIELDS)
    if unknown:
        raise ValidationError(_("Champs inconnus : %(f)s") % {"f": ", ".join(sorted(unknown))})
    custody = services.lock_custody(custody)
    require_serves(actor, custody.facility_id)
    services.require_current(custody)
    death = DeathInCustody(custody=custody, died_at=died_at, place=(place or "").strip(),
                           circumstances=(circumstances or "").strip(), recorded_by=actor)
    _apply_notifications(death, actor, {k: v for k, v in notifications.items() if v not in (None, "")})
    death.full_clean()
    movements.release(custody, reason=ReleaseReason.DEATH, order_received_at=died_at, left_at=died_at, actor=actor,
                     notes=_("Décès en détention"), recording_death=True)
    death.save()
    _audit(AuditAction.CREATE, death, actor=actor, changes={
        "died_at": [None, str(died_at)], "place": [None, death.place],
        "kin_told_at": [None, str(death.kin_told_at) if death.kin_told_at else None],
        "authority_informed_at": [None, str(death.authority_informed_at) if death.authority_informed_at else None]})
    return death


@transaction.atomic
def record_death_notifications(death, *, actor, **fields) -> DeathInCustody:
    """Record that the family was told and/or the judicial authority informed (never undone)."""
    unknown = set(fields) - set(NOTIFICATION_FIELDS)
    if unknown:
        raise ValidationError(_("Champs inconnus : %(f)s") % {"f": ", ".join(sorted(unknown))})
    death = DeathInCustody.objects.select_for_update(of=("self",)).select_related("custody").get(pk=death.pk)
    require_serves(actor, death.custody.facility_id)
    fields = {k: v for k, v in fields.items() if v not in (None, "")}
    if death.kin_told_at:
        fields = {k: v for k, v in fields.items() if not k.startswith("kin_")}
    if death.authority_informed_at:
        fields = {k: v for k, v in fields.items() if not k.startswith("authority")}
    if not fields:
        raise ValidationError(_("Rien à enregistrer : indiquez quand, par quel moyen, et qui a été informé."))
    changes = {name: [None, str(value)] for name, value in fields.items()}
    _apply_notifications(death, actor, fields)
    death.full_clean()
    death.save()
    _audit(AuditAction.UPDATE, death, actor=actor, changes=changes)
    return death


@transaction.atomic
def record_death_follow_up(death, *, actor, **fields) -> DeathInCustody:
    """Record the inquiry (its authority, reference, opening, outcome and closing) and the body's
    handling and return to the family. A value once recorded is corrected only with a new value
    (an empty field leaves it as it is); every change is audited with the old value."""
    unknown = set(fields) - set(FOLLOW_UP_FIELDS)
    if unknown:
        raise ValidationError(_("Champs inconnus : %(f)s") % {"f": ", ".join(sorted(unknown))})
    death = DeathInCustody.objects.select_for_update(of=("self",)).select_related("custody").get(pk=death.pk)
    require_serves(actor, death.custody.facility_id)
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items() if v not in (None, "")}
    changes = {}
    for name, value in fields.items():
        old = getattr(death, name)
        if old != value:
            changes[name] = [None if old in (None, "") else str(old), str(value)]
            setattr(death, name, value)
    if not changes:
        raise ValidationError(_("Rien à enregistrer : indiquez l'enquête ou la remise de la dépouille."))
    death.full_clean()
    death.save()
    _audit(AuditAction.UPDATE, death, actor=actor, changes=changes)
    return death


def deaths_register(actor, *, facility=None, year=None):
    """The deaths the actor may see, newest first (one prison, one year), for the register."""
    qs = DeathInCustody.objects.visible_to(actor).select_related("custody__inmate", "custody__facility")
    if facility is not None:
        qs = qs.filter(custody__facility=facility)
    if year:
        qs = qs.filter(died_at__year=year)
    return qs.order_by("-died_at", "-pk")


def open_death(pk, *, actor) -> DeathInCustody:
    """One death record within the actor's prisons (else 404); the read is audited."""
    queryset = DeathInCustody.objects.visible_to(actor).select_related(
        "custody__inmate", "custody__facility", "kin_told_by", "authority_informed_by")
    return open_record(queryset, pk, actor=actor, permission="inmates.view_deathincustody",
                       person="custody.inmate_id", facility="custody.facility_id",
                       not_found=_("Aucun décès ne correspond."))
