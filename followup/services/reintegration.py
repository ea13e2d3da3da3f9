"""Preparing release: who is due a reintegration checklist and when (the foreseeable release from
casework's sentence computation — Case.sentence_ends_on, kept by casework.releases.services.refresh_sentences —
or a long pre-trial stay), opening it and ticking its points."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from casework.models import Case
from casework.sentences import add_months
from core.access import require_serves
from inmates.services import lock_custody, require_current

from ..models import ChecklistBasis, ChecklistItem, ChecklistTopic, ReintegrationChecklist


def months_before() -> int:
    return settings.FOLLOWUP_REINTEGRATION_MONTHS


def long_pretrial_months() -> int:
    return settings.FOLLOWUP_LONG_PRETRIAL_MONTHS


def foreseeable_release(custody):
    """(date or None, basis or None): the latest computed sentence end of the stay's open cases;
    else, for a person untried longer than the setting, a long pre-trial stay (no date)."""
    end = (Case.objects.filter(custody=custody, closed_on__isnull=True, sentence_ends_on__isnull=False)
           .aggregate(end=Max("sentence_ends_on"))["end"])
    if end:
        return end, ChecklistBasis.SENTENCE_END
    if custody.is_untried:
        admitted = timezone.localtime(custody.admitted_at).date()
        if add_months(admitted, long_pretrial_months()) <= timezone.localdate():
            return None, ChecklistBasis.LONG_PRETRIAL
    return None, None


def opens_on(release_on: datetime.date) -> datetime.date:
    """The day a checklist opens: N months before the foreseeable release."""
    return add_months(release_on, -months_before())


def due_for_checklist(custodies, *, today=None):
    """[(custody, release date or None, basis)] of the stays in `custodies` (held) due a checklist
    that have none yet."""
    today = today or timezone.localdate()
    horizon = add_months(today, months_before())
    pretrial_since = add_months(today, -long_pretrial_months())
    held = custodies.filter(status__in=("intake", "held")).exclude(reintegration_checklist__isnull=False)
    ends = dict(Case.objects.filter(custody__in=held, closed_on__isnull=True, sentence_ends_on__isnull=False)
                .values_list("custody_id").annotate(end=Max("sentence_ends_on")))
    rows = []
    for custody in held.select_related("inmate", "facility").order_by("admitted_at"):
        end = ends.get(custody.pk)
        if end is not None:
            if end <= horizon:
                rows.append((custody, end, ChecklistBasis.SENTENCE_END))
        elif custody.is_untried and timezone.localtime(custody.admitted_at).date() <= pretrial_since:
            rows.append((custody, None, ChecklistBasis.LONG_PRETRIAL))
    rows.sort(key=lambda r: (r[1] is None, r[1] or today))
    return rows


@transaction.atomic
def open_checklist(custody, *, actor, today=None) -> ReintegrationChecklist:
    """Open the checklist of a person whose release is foreseeable within the setting's months."""
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    require_current(custody)
    today = today or timezone.localdate()
    if ReintegrationChecklist.objects.filter(custody=custody).exists():
        raise ValidationError(_("La préparation à la sortie est déjà ouverte."))
    release_on, basis = foreseeable_release(custody)
    if basis is None or (release_on is not None and opens_on(release_on) > today):
        raise ValidationError(_("La sortie n'est pas prévisible dans les %(n)d mois : la préparation s'ouvre "
                                "%(n)d mois avant la fin de peine calculée, ou après %(p)d mois de détention "
                                "provisoire.") % {"n": months_before(), "p": long_pretrial_months()})
    checklist = ReintegrationChecklist(custody=custody, basis=basis, foreseeable_release_on=release_on,
                                       opened_on=today, opened_by=actor)
    checklist.full_clean()
    checklist.save()
    ChecklistItem.objects.bulk_create([ChecklistItem(checklist=checklist, topic=t) for t in ChecklistTopic.values])
    record_audit(AuditAction.CREATE, target=checklist, actor=actor, inmate_id=custody.inmate_id,
                 facility_id=custody.facility_id,
                 changes={"basis": [None, basis], "foreseeable_release_on": [None, str(release_on or "")]})
    return checklist


@transaction.atomic
def complete_item(item, *, note: str, actor, done_on=None) -> ChecklistItem:
    """Tick one point with what is arranged (a note is required)."""
    item = (ChecklistItem.objects.select_for_update(of=("self",)).select_related("checklist__custody")
            .get(pk=item.pk))
    custody = item.checklist.custody
    require_serves(actor, custody.facility_id)
    if item.done_on:
        raise ValidationError(_("Ce point est déjà réglé."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Dites ce qui est prévu.")})
    item.done_on, item.done_by, item.note = done_on or timezone.localdate(), actor, note.strip()
    item.full_clean()
    item.save(update_fields=["done_on", "done_by", "note"])
    record_audit(AuditAction.UPDATE, target=item, actor=actor, inmate_id=custody.inmate_id,
                 facility_id=custody.facility_id, changes={"done_on": [None, str(item.done_on)]})
    return item
