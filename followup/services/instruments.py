"""The instrument, versioned: a published version is immutable; an edit is made on a new draft
(a copy of the latest version), which DNAPES publishes in its turn (the previous one is retired,
and the assessments made with it keep pointing at it)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.corrections import apply_changes

from ..models import AnswerScale, Domain, InstrumentVersion, Item, VersionStatus

IMMUTABLE = _("Une version publiée ne change plus : créez une nouvelle version pour la modifier.")


def _require_editor(actor, perm="followup.change_instrumentversion"):
    if not (actor and actor.is_authenticated and actor.has_perm(perm)):
        raise PermissionDenied(_("Seule la DNAPES modifie l'instrument d'évaluation."))


def _require_draft(version):
    version = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(IMMUTABLE)
    return version


def _audit(action, target, *, actor, changes=None, reason=""):
    record_audit(action, target=target, actor=actor, changes=changes or {}, reason=reason)


@transaction.atomic
def draft_new_version(instrument, *, actor, change_note: str = "") -> InstrumentVersion:
    """A new draft: a copy of the latest version (domains, scales, items), to be edited then published."""
    _require_editor(actor, "followup.add_instrumentversion")
    latest = instrument.versions.select_for_update().order_by("-number").first()
    if latest and latest.status == VersionStatus.DRAFT:
        raise ValidationError(_("Une version en brouillon existe déjà : modifiez-la ou publiez-la."))
    draft = InstrumentVersion(instrument=instrument, number=(latest.number + 1) if latest else 1,
                              guidance=latest.guidance if latest else "",
                              assessor_roles=list(latest.assessor_roles) if latest else [],
                              change_note=(change_note or "").strip(), created_by=actor)
    if latest is None:
        draft.assessor_roles = ["social"]
    draft.full_clean()
    draft.save()
    if latest:
        scales = {}
        for scale in latest.scales.all():
            scales[scale.pk] = AnswerScale.objects.create(version=draft, code=scale.code, name=scale.name,
                                                          options=list(scale.options))
        for domain in latest.domains.prefetch_related("items"):
            copy = Domain.objects.create(version=draft, order=domain.order, code=domain.code, name=domain.name,
                                         guidance=domain.guidance)
            for item in domain.items.all():
                Item.objects.create(domain=copy, order=item.order, code=item.code, text=item.text,
                                    guidance=item.guidance, scale=scales[item.scale_id])
    _audit(AuditAction.CREATE, draft, actor=actor, changes={"version": [None, draft.number]},
           reason=draft.change_note)
    return draft


@transaction.atomic
def update_version(version, *, actor, reason: str, **changes) -> InstrumentVersion:
    """Guidance, who may assess, the change note — of a draft only."""
    _require_editor(actor)
    version = _require_draft(version)
    return apply_changes(version, changes, actor=actor, reason=reason,
                         allowed={"guidance", "assessor_roles", "change_note"})[0]


@transaction.atomic
def add_scale(version, *, code: str, name: str, options, actor) -> AnswerScale:
    _require_editor(actor)
    version = _require_draft(version)
    scale = AnswerScale(version=version, code=code, name=(name or "").strip(), options=list(options or []))
    scale.full_clean()
    scale.save()
    _audit(AuditAction.CREATE, scale, actor=actor, changes={"options": [None, scale.options]})
    return scale


@transaction.atomic
def add_domain(version, *, code: str, name: str, actor, guidance: str = "", order=None) -> Domain:
    _require_editor(actor)
    version = _require_draft(version)
    order = order or (max(version.domains.values_list("order", flat=True), default=0) + 1)
    domain = Domain(version=version, code=code, name=(name or "").strip(), guidance=guidance, order=order)
    domain.full_clean()
    domain.save()
    _audit(AuditAction.CREATE, domain, actor=actor, changes={"name": [None, domain.name]})
    return domain


@transaction.atomic
def add_item(domain, *, code: str, text: str, scale, actor, guidance: str = "", order=None) -> Item:
    _require_editor(actor)
    _require_draft(domain.version)
    order = order or (max(domain.items.values_list("order", flat=True), default=0) + 1)
    item = Item(domain=domain, code=code, text=(text or "").strip(), guidance=guidance, scale=scale, order=order)
    item.full_clean()
    item.save()
    _audit(AuditAction.CREATE, item, actor=actor, changes={"text": [None, item.text]})
    return item


@transaction.atomic
def update_item(item, *, actor, reason: str, **changes) -> Item:
    _require_editor(actor)
    _require_draft(item.domain.version)
    return apply_changes(item, changes, actor=actor, reason=reason,
                         allowed={"text", "guidance", "scale", "order"})[0]


@transaction.atomic
def remove_item(item, *, actor, reason: str) -> None:
    _require_editor(actor)
    _require_draft(item.domain.version)
    if not (reason or "").strip():
        raise ValidationError(_("Indiquez pourquoi l'élément est retiré."))
    _audit(AuditAction.DELETE, item, actor=actor, changes={"text": [item.text, None]}, reason=reason)
    item.delete()


@transaction.atomic
def publish_version(version, *, actor) -> InstrumentVersion:
    """Publish a draft: it becomes the version in use and never changes again; the previous is retired."""
    _require_editor(actor, "followup.publish_instrumentversion")
    version = _require_draft(version)
    if not Item.objects.filter(domain__version=version).exists():
        raise ValidationError(_("Une version sans élément ne peut pas être publiée."))
    version.full_clean()
    previous = list(InstrumentVersion.objects.select_for_update()
                    .filter(instrument_id=version.instrument_id, status=VersionStatus.PUBLISHED))
    for old in previous:
        old.status = VersionStatus.RETIRED
        old.save(update_fields=["status"])
    version.status, version.published_at, version.published_by = VersionStatus.PUBLISHED, timezone.now(), actor
    version.save(update_fields=["status", "published_at", "published_by"])
    _audit(AuditAction.UPDATE, version, actor=actor,
           changes={"status": [VersionStatus.DRAFT, VersionStatus.PUBLISHED],
                    "remplace": [None, [v.number for v in previous]]})
    return version
