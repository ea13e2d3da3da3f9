"""Recording a needs assessment. The answers are data; the conclusion is the assessor's judgement.
Nothing here reads the answers to set a classification or any score (issue 15: "the product
never turns answers into a classification by itself")."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from inmates.services import lock_custody, require_current

from ..models import Answer, Assessment, Item, VersionStatus


def _clean_answers(version, answers, notes):
    """{item: (value, note)} for every item of `version`; errors name the missing or unknown ones."""
    items = list(Item.objects.filter(domain__version=version).select_related("scale", "domain"))
    by_key = {}
    for item in items:
        by_key[item.code] = item
        by_key[str(item.pk)] = item
    unknown = [k for k in answers if str(k) not in by_key]
    if unknown:
        raise ValidationError({"answers": _("Éléments inconnus dans cette version : %(k)s")
                               % {"k": ", ".join(map(str, unknown))}})
    given = {by_key[str(k)].pk: str(v).strip() for k, v in answers.items() if str(v or "").strip()}
    missing = [i.text for i in items if i.pk not in given]
    if missing:
        raise ValidationError({"answers": _("Répondez à chaque élément (au besoin « Ne sait pas ») : %(m)s")
                               % {"m": " ; ".join(missing)}})
    wrong = [i.text for i in items if given[i.pk] not in i.scale.values()]
    if wrong:
        raise ValidationError({"answers": _("Réponse hors de l'échelle pour : %(m)s") % {"m": " ; ".join(wrong)}})
    note_of = {by_key[str(k)].pk: (v or "").strip() for k, v in (notes or {}).items() if str(k) in by_key}
    return [(item, given[item.pk], note_of.get(item.pk, "")) for item in items]


@transaction.atomic
def record_assessment(custody, *, version, answers: dict, justification: str, conclusion: str, next_review_on,
                      actor, assessed_on=None, notes=None, reviews=None) -> Assessment:
    """Record an assessment with the published version of the instrument: every item answered, a
    justification, the assessor's conclusion and the next review date. `reviews`: the assessment
    this one reviews (it stays, in the history)."""
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    require_current(custody)
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError({"version": _("On évalue avec la version publiée de l'instrument.")})
    if not version.may_assess(actor):
        raise PermissionDenied(_("Cette évaluation est remplie par le personnel formé : %(r)s.")
                               % {"r": ", ".join(version.assessor_roles_display())})
    if reviews is not None and reviews.custody_id != custody.pk:
        raise ValidationError({"reviews": _("L'évaluation révisée doit concerner le même séjour.")})
    rows = _clean_answers(version, answers or {}, notes)
    assessment = Assessment(custody=custody, version=version, reviews=reviews,
                            assessed_on=assessed_on or timezone.localdate(), assessed_by=actor,
                            justification=(justification or "").strip(), conclusion=(conclusion or "").strip(),
                            next_review_on=next_review_on)
    assessment.full_clean()
    assessment.save()
    Answer.objects.bulk_create([Answer(assessment=assessment, item=item, value=value, note=note)
                                for item, value, note in rows])
    # The audit names the record, the instrument and the dates; the answers stay in the record
    # (need-to-know), not copied into the trail.
    record_audit(AuditAction.CREATE, target=assessment, actor=actor, inmate_id=custody.inmate_id,
                 facility_id=custody.facility_id,
                 changes={"version": [None, str(version)], "next_review_on": [None, str(next_review_on)],
                          "reviews": [None, reviews.pk if reviews else None], "réponses": [None, len(rows)]})
    return assessment
