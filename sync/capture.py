"""The outbox is filled by the writes themselves, and one writer per record is enforced there.

Connected in `SyncConfig.ready()` for the travelling and reference models (signals fire inside the
service's transaction, so the outbox row commits or rolls back with the change and its audit entry):

- at a **prison** (`SITE_MODE=prison`): a change to a record this prison owns goes to the outbox;
  a change to a record it does not own is refused (the transaction rolls back); reference data is
  written by the national server only;
- at the **national server**: a change to reference data goes to the change log for every prison;
  a person's records are written only by the exchange (a correction is asked of the owning prison);
- on a single all-in-one site (the default, `make run`): nothing.

The exchange applies what it receives inside `applying()`, which bypasses both.
"""

import contextlib
import json
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext as _

from . import ownership, payload, registry

_applying = ContextVar("sync_applying", default=False)


@contextlib.contextmanager
def applying():
    """Writes made by the exchange itself (records received from the other side)."""
    token = _applying.set(True)
    try:
        yield
    finally:
        _applying.reset(token)


def mode() -> str:
    return getattr(settings, "SITE_MODE", "single")


def _active() -> bool:
    return mode() in ("prison", "national") and not _applying.get()


def _guard(sender, instance, raw=False, **kwargs):
    if raw or not _active():
        return
    if registry.is_reference(sender):
        if mode() == "prison":
            raise PermissionDenied(_("Les données de référence (établissements, unités, juridictions, "
                                     "délais) sont modifiées au serveur national seulement."))
        return
    if mode() == "national":
        raise PermissionDenied(_("Ce dossier est tenu par l'établissement qui détient la personne : "
                                 "une correction lui est demandée, le serveur national ne l'écrit pas."))
    if not ownership.site_may_write(instance):
        raise PermissionDenied(_("Ce dossier n'est pas tenu par cet établissement : il ne peut pas y être "
                                 "modifié (personne détenue ailleurs ou en cours de transfert)."))


def _record(sender, instance, op: str):
    if registry.is_reference(sender):
        if mode() == "national":
            from .models import ChangeLog

            ChangeLog.objects.create(model=registry.label(sender), key=payload.natural_key(instance), op=op,
                                     data=payload.dump(instance) if op == "upsert" else {})
        return
    if mode() != "prison":
        return
    from .models import OutboxAction

    data = payload.dump(instance) if op == "upsert" else {}
    size = len(json.dumps(data, separators=(",", ":")).encode())
    OutboxAction.objects.create(model=registry.label(sender), uid=instance.uid, op=op, data=data, size=size)


def _saved(sender, instance, raw=False, **kwargs):
    if registry.is_reference(sender):
        payload.forget_references()
    if not raw and _active():
        _record(sender, instance, "upsert")


def _deleted(sender, instance, **kwargs):
    if registry.is_reference(sender):
        payload.forget_references()
    else:
        payload.forget_record(instance)
    if _active():
        _record(sender, instance, "delete")


def _account_saved(sender, **kwargs):
    payload.forget_references()


def connect():
    from django.contrib.auth import get_user_model

    post_save.connect(_account_saved, sender=get_user_model(), dispatch_uid="sync-account-saved")
    for model in (*registry.travelling_models(), *(payload.model_of(name) for name in registry.REFERENCE)):
        uid = f"sync-{registry.label(model)}"
        pre_save.connect(_guard, sender=model, dispatch_uid=uid + "-guard")
        pre_delete.connect(_guard, sender=model, dispatch_uid=uid + "-guard-delete")
        post_save.connect(_saved, sender=model, dispatch_uid=uid + "-saved")
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid + "-deleted")
