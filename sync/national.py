"""The national server's side of the exchange: apply a prison's pushed actions, serve its pull."""

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit

from . import capture, ownership, payload, registry
from .models import AppliedAction, ChangeLog, FileCopy, RecordVersion, Rejection, Site


class ExchangeRefused(Exception):
    """The whole push is refused (wrong site, an old state, an unknown format): nothing applied."""

    def __init__(self, message, *, status=400):
        super().__init__(message)
        self.message, self.status = message, status


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register_site(facility, *, actor) -> tuple:
    """Create (or renew) a prison's credential: returns (site, token); the token is shown once."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        site, created = Site.objects.get_or_create(facility=facility, defaults={"token_hash": hash_token(token)})
        if not created:
            site.token_hash = hash_token(token)
            site.save(update_fields=["token_hash"])
        record_audit(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, target=site,
                     facility_id=facility.pk, changes={"credential": ["", _("nouveau jeton")]},
                     reason=_("Jeton d'échange du serveur de l'établissement"))
    return site, token


def site_for_token(token: str):
    return Site.objects.select_related("facility").filter(token_hash=hash_token(token or "")).first()


def _check_identity(site, site_id, version, facility_code):
    if version not in payload.ACCEPTED_VERSIONS:
        raise ExchangeRefused(_("Version du format %(version)s non acceptée : mettez à jour le serveur de "
                                "l'établissement (versions acceptées : %(accepted)s).")
                              % {"version": version, "accepted": ", ".join(map(str, payload.ACCEPTED_VERSIONS))})
    if facility_code and facility_code != site.facility.code:
        raise ExchangeRefused(_("Ce jeton est celui de %(facility)s, pas de %(code)s.")
                              % {"facility": site.facility.code, "code": facility_code}, status=403)
    if not site_id:
        raise ExchangeRefused(_("L'identifiant de la base du site manque."))
    if site.site_id is None:
        if Site.objects.filter(site_id=site_id).exclude(pk=site.pk).exists():
            raise ExchangeRefused(_("Cette base de données est déjà celle d'un autre établissement (disque copié "
                                    "?) : échange refusé."), status=403)
        site.site_id = site_id
        site.save(update_fields=["site_id"])
    elif str(site.site_id) != str(site_id):
        raise ExchangeRefused(_("Cette base de données n'est pas celle de %(facility)s (copie ou autre "
                                "serveur) : échange refusé.") % {"facility": site.facility}, status=403)


def _refuse(site, message):
    Site.objects.filter(pk=site.pk).update(last_refusal=message, last_refusal_at=timezone.now())


def receive_push(site, body: dict) -> dict:
    """Apply a chunk of a prison's actions, each at most once, in their order at the source. Returns
    what is acknowledged (applied now or before, or older than what is here), what is deferred (a
    related record not here yet) and what is rejected (with the reason, held for a person to fix)."""
    version = body.get("schema_version")
    try:
        _check_identity(site, body.get("site_id"), version, body.get("facility"))
        actions = sorted((payload.upgrade(a, version) for a in body.get("actions", [])), key=lambda a: a["seq"])
        known = set(AppliedAction.objects.filter(action_id__in=[a["id"] for a in actions])
                    .values_list("action_id", flat=True))
        unknown_old = [a for a in actions if a["seq"] <= site.last_seq and _uuid(a["id"]) not in known]
        if unknown_old and not Rejection.objects.filter(action_id__in=[a["id"] for a in unknown_old]).exists():
            raise ExchangeRefused(_("Cette base présente un état antérieur à ce que le serveur national a déjà "
                                    "reçu (sauvegarde restaurée ?) : actions %(first)s à %(last)s déjà numérotées "
                                    "autrement. Échange suspendu, à régulariser par DNAPES.")
                                  % {"first": unknown_old[0]["seq"], "last": unknown_old[-1]["seq"]}, status=409)
    except ExchangeRefused as refused:
        _refuse(site, refused.message)
        raise
    acked, rejected, arrived = [], [], []
    pending = [a for a in actions if _uuid(a["id"]) not in known]
    acked.extend(a["id"] for a in actions if _uuid(a["id"]) in known)
    # One transaction for the chunk, a savepoint for each action (one commit, not one per action:
    # on PostgreSQL each commit waits for the disk); nothing is acknowledged before it commits.
    with transaction.atomic():
        chunk = _Chunk(pending)
        for _round in range(3):  # dependencies within the chunk may come in any order
            still = []
            for action in pending:
                outcome, reason = _apply_one(site, action, arrived, chunk)
                if outcome == "deferred":
                    still.append(action)
                elif outcome == "rejected":
                    rejected.append({"id": action["id"], "reason": reason})
                else:
                    acked.append(action["id"])
            progressed, pending = len(still) < len(pending), still
            if not pending or not progressed:
                break
        deferred = [a["id"] for a in pending]  # a related record not here yet: sent again later
        highest = max((a["seq"] for a in actions if a["id"] in acked), default=site.last_seq)
        Site.objects.filter(pk=site.pk).update(last_push_at=timezone.now(), schema_version=version,
                                               last_seq=max(site.last_seq, highest))
    audit_position = verify_audit_chain(site, body.get("audit") or {})
    if arrived:
        from .duplicates import find_across_prisons

        find_across_prisons(arrived)
    return {"acknowledged": acked, "deferred": deferred, "rejected": rejected, "audit_position": audit_position}


def verify_audit_chain(site, audit: dict) -> int:
    """Check the prison's audit seals continue its chain as received so far (consecutive ranks, each
    naming the previous head). A break is recorded on the site, shown on the health page, and the
    chain is not acknowledged past it. Returns the rank verified up to."""
    site.refresh_from_db(fields=["audit_position", "audit_head", "audit_break"])
    position, head = site.audit_position, site.audit_head
    problem = ""
    for rank, prev_hash, chain_hash in audit.get("seals", []):
        if rank <= position:
            continue
        if rank != position + 1:
            problem = _("Chaîne d'audit de %(facility)s : rangs %(a)s à %(b)s manquants.") % {
                "facility": site.facility, "a": position + 1, "b": rank - 1}
            break
        if position and prev_hash != head:
            problem = _("Chaîne d'audit de %(facility)s : le sceau de rang %(rank)s ne suit pas le précédent "
                        "(journal réécrit ou tronqué).") % {"facility": site.facility, "rank": rank}
            break
        position, head = rank, chain_hash
    changes = {"audit_position": position, "audit_head": head}
    if problem and not site.audit_break:
        changes.update(audit_break=problem, audit_break_at=timezone.now())
    Site.objects.filter(pk=site.pk).update(**changes)
    return position


def _uuid(value):
    import uuid

    return uuid.UUID(str(value))


# What decides who owns a person's file, and which prisons hold a copy of it.
_OWNERSHIP_MODELS = ("inmates.custody", "inmates.transfer")


class _Chunk:
    """What the actions of one push share, read once instead of once per action: the records'
    versions, each person's owner and interested prisons, the copies of their file, the keys
    followed from a record to its person or facility. Whatever an action changes that these
    depend on (a stay, a transfer) is forgotten for that person; a rolled-back action forgets its
    person and the payload caches."""

    def __init__(self, actions):
        uids = [a["uid"] for a in actions if a.get("uid")]
        self.versions = {}
        for start in range(0, len(uids), 500):
            self.versions.update({str(v.uid): (v.site_id, v.seq) for v in RecordVersion.objects.filter(
                uid__in=uids[start:start + 500])})
        self.owners, self.interested, self.copies, self.columns = {}, {}, {}, {}

    def column(self, model, pk, attname):
        key = (model._meta.label_lower, pk)
        if key not in self.columns:
            self.columns[key] = model._default_manager.filter(pk=pk).values(
                *(f.attname for f in registry.relation_fields(model))).first() or {}
        return self.columns[key].get(attname)

    def follow_id(self, instance, path):
        """The key at the end of `path` from `instance` (its person's or facility's id), by the
        records' foreign-key columns, without loading the records."""
        if not path:
            return instance.pk
        model, value = type(instance), None
        for index, name in enumerate(path):
            field = model._meta.get_field(name)
            value = getattr(instance, field.attname) if index == 0 else self.column(model, value, field.attname)
            if value is None:
                return None
            model = field.related_model
        return value

    def person_id(self, instance):
        path = registry.person_path(type(instance))
        return self.follow_id(instance, path) if path is not None else None

    def owner(self, inmate_id):
        if inmate_id not in self.owners:
            self.owners[inmate_id] = ownership.person_owner(inmate_id)
        return self.owners[inmate_id]

    def interested_in(self, inmate_id):
        if inmate_id not in self.interested:
            self.interested[inmate_id] = ownership.interested_facilities(inmate_id)
        return self.interested[inmate_id]

    def copies_of(self, inmate_id):
        if inmate_id not in self.copies:
            self.copies[inmate_id] = set(FileCopy.objects.filter(inmate_id=inmate_id)
                                         .values_list("facility_id", flat=True))
        return self.copies[inmate_id]

    def forget_person(self, inmate_id):
        for cache in (self.owners, self.interested, self.copies):
            cache.pop(inmate_id, None)

    def forget(self, inmate_id):
        """An action rolled back: what it read or wrote may no longer be so."""
        self.forget_person(inmate_id)
        self.columns.clear()
        payload.forget_all()


def _apply_one(site, action, arrived, chunk) -> tuple:
    """("applied" | "stale" | "deferred" | "rejected", the rejection's reason or "")."""
    try:
        model = payload.model_of(action["model"])
    except (LookupError, ValueError):
        model = None
    if model is None or not registry.is_travelling(model):
        return _reject(site, action, _("Type d'enregistrement inconnu ou qui ne voyage pas : %(model)s.")
                       % {"model": action.get("model")})
    uid, person = str(action["uid"]), None
    try:
        with transaction.atomic(), capture.applying():
            version = chunk.versions.get(uid)
            if version is not None and version[0] == site.pk and version[1] > action["seq"]:
                AppliedAction.objects.create(action_id=action["id"], site=site, seq=action["seq"])
                return "stale", ""
            if action["op"] == "delete":
                model._default_manager.filter(uid=uid).delete()
                instance = None
                chunk.owners.clear()  # whoever it was, their stays or transfers may have changed
                chunk.interested.clear()
            else:
                existing = model._default_manager.filter(uid=uid).first()
                if existing is not None:
                    person = chunk.person_id(existing)
                    if not _site_owned(site, existing, chunk):
                        raise PermissionError
                instance = payload.load(model, uid, action["data"], instance=existing or model(uid=uid))
                person = chunk.person_id(instance)
                if registry.label(model) in _OWNERSHIP_MODELS and person is not None:
                    chunk.forget_person(person)
                if existing is None and not _site_owned(site, instance, chunk):
                    raise PermissionError
            if version is None:
                RecordVersion.objects.create(uid=uid, site=site, seq=action["seq"])
            else:
                RecordVersion.objects.filter(uid=uid).update(site=site, seq=action["seq"])
            AppliedAction.objects.create(action_id=action["id"], site=site, seq=action["seq"])
            if instance is not None:
                _log_for_others(site, model, instance, action, chunk)
                if model._meta.label_lower == "inmates.inmate" and existing is None:
                    arrived.append(instance.pk)
    except payload.MissingDependency:
        chunk.forget(person)
        return "deferred", ""
    except PermissionError:
        chunk.forget(person)
        return _reject(site, action, _("%(facility)s ne tient pas ce dossier : modification refusée.")
                       % {"facility": site.facility})
    except (IntegrityError, ValueError, TypeError, KeyError) as exc:
        chunk.forget(person)
        return _reject(site, action, _("Enregistrement refusé : %(error)s") % {"error": exc})
    chunk.versions[uid] = (site.pk, action["seq"])
    return "applied", ""


def _site_owned(site, instance, chunk) -> bool:
    """The pushing prison owns the record as the national server knows it (or is taking it over by
    the record itself: an arrival it records, a new stay)."""
    person = chunk.person_id(instance)
    if person is not None:
        owner, on_road_to = chunk.owner(person)
        if on_road_to is not None:
            return on_road_to == site.facility_id or owner is None
        if owner is None:
            return True
        if isinstance(owner, tuple):
            return True  # released: a re-arrest may start a new stay anywhere
        return owner == site.facility_id or _was_owner(site, person)
    fpath = registry.facility_path(type(instance))
    facility = chunk.follow_id(instance, fpath) if fpath is not None else None
    return facility is None or facility == site.facility_id


def _was_owner(site, inmate_id) -> bool:
    """The pushing prison held the person until a departure it is now reporting (its departure
    action and the person's earlier changes arrive in order, after the national copy moved on)."""
    from inmates.models import Transfer

    return Transfer.objects.filter(custody__inmate_id=inmate_id, from_facility_id=site.facility_id).exists()


def _reject(site, action, reason) -> tuple:
    """Held with its reason until someone fixes it (a replay of it finds the first reason)."""
    rejection, _created = Rejection.objects.get_or_create(
        action_id=action["id"],
        defaults={"site": site, "seq": action["seq"], "model": action.get("model", ""),
                  "uid": action["uid"], "reason": reason, "data": action.get("data", {})})
    return "rejected", rejection.reason


def _log_for_others(site, model, instance, action, chunk):
    """Put the change in the change log of every other prison holding a copy of the person's file; a
    prison that is to hold it and has no copy yet (a transfer on the road to it) gets the whole file."""
    person = chunk.person_id(instance)
    if person is None:
        return
    copies = chunk.copies_of(person)
    if site.facility_id not in copies:
        FileCopy.objects.get_or_create(inmate_id=person, facility_id=site.facility_id)
        copies.add(site.facility_id)
    for facility_id in chunk.interested_in(person) - {site.facility_id}:
        if facility_id not in copies:
            bundle_for(person, facility_id)
            FileCopy.objects.get_or_create(inmate_id=person, facility_id=facility_id)
            copies.add(facility_id)
            continue
        for dependency in _dependencies(instance):
            _log(facility_id, dependency)
        ChangeLog.objects.create(facility_id=facility_id, model=action["model"], key=str(action["uid"]),
                                 op=action["op"], data=action.get("data", {}))


def bundle_for(inmate_id, facility_id):
    """The whole file of a person, parents first, into a prison's change log."""
    sent = set()
    for model in registry.travelling_models():
        path = registry.person_path(model)
        if path is None:
            continue
        lookup = "__".join((*path, "id")) if path else "id"
        for instance in model._default_manager.filter(**{lookup: inmate_id}).order_by("pk"):
            for record in (*_dependencies(instance), instance):
                if record.uid not in sent:
                    sent.add(record.uid)
                    _log(facility_id, record)


def _dependencies(instance, depth=0):
    """The records a person's record points to that belong to no person (a visitor, an incident, an
    activity): sent before it, so that the receiving prison can apply it."""
    found = []
    if depth > 3:
        return found
    for field in registry.relation_fields(type(instance)):
        target = field.related_model
        if not registry.is_travelling(target) or registry.person_path(target) is not None:
            continue
        related = getattr(instance, field.name)
        if related is not None:
            found.extend(_dependencies(related, depth + 1))
            found.append(related)
    return found


def _log(facility_id, record):
    ChangeLog.objects.create(facility_id=facility_id, model=registry.label(type(record)), key=str(record.uid),
                             op="upsert", data=payload.dump(record))


def changes_for(site, *, after: int, limit: int) -> dict:
    """The change log a prison pulls: reference data and its own records, after its cursor."""
    from django.db.models import Q

    rows = list(ChangeLog.objects.filter(Q(facility__isnull=True) | Q(facility_id=site.facility_id), seq__gt=after)
                .order_by("seq")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    Site.objects.filter(pk=site.pk).update(last_pull_at=timezone.now())
    return {
        "schema_version": payload.SCHEMA_VERSION,
        "changes": [{"seq": r.seq, "model": r.model, "key": r.key, "op": r.op, "data": r.data} for r in rows],
        "next": rows[-1].seq if rows else after,
        "more": more,
    }
