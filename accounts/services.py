"""The audit trail's write side. Every other app records through `record_audit`."""

import ipaddress

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, Q

from . import audit_fields
from .chain import entry_digest
from .models import AuditAction, AuditEntry, DigestScheme, User
from .request_context import current_ip
from .roles import Role


def _canonical_ip(value):
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def record_audit(
    action: str,
    *,
    actor=None,
    target: Model | None = None,
    changes: dict | None = None,
    reason: str = "",
    inmate_id: int | None = None,
    facility_id: int | None = None,
    actor_name: str = "",
    restricted: dict | None = None,
) -> AuditEntry:
    """Append one immutable entry to the audit trail, with a keyed digest of its content.

    No lock is taken: the entry is chained later by the sealer (`chain.seal_audit_chain`).
    Values of restricted fields (`audit_fields`, or `restricted={field: permission}`) are kept
    out of `changes`, for the readers whose roles may read those fields."""
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    public, hidden = audit_fields.split_changes(
        target_type.app_label + "." + target_type.model if target_type else "", changes or {}, restricted)
    entry = AuditEntry(
        actor=actor_obj,
        actor_name=actor_name or (actor_obj.get_username() if actor_obj else ""),
        action=action,
        target_type=target_type,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        inmate_id=inmate_id,
        facility_id=facility_id,
        changes=public,
        restricted_changes=hidden,
        reason=reason,
        ip_address=_canonical_ip(current_ip()),
        digest_scheme=DigestScheme.KEYED,
    )
    entry.hash = entry_digest(entry)
    entry.save(force_insert=True)
    return entry


def record_audits(entries: list[dict], *, actor=None, batch_size: int = 1000) -> int:
    """Append many entries at once (bulk import): each dict holds `record_audit`'s keywords
    (`action`, `target`, `changes`, `reason`, `inmate_id`, `facility_id`). Every entry gets its own
    keyed digest, exactly as `record_audit` writes it; the sealer chains them later. One content-type
    lookup per model and one INSERT per `batch_size` entries. Restricted fields are not split here:
    callers pass only public changes."""
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    actor_name = actor_obj.get_username() if actor_obj else ""
    ip = _canonical_ip(current_ip())
    types = {}
    rows = []
    for item in entries:
        target = item.get("target")
        target_type = None
        if target is not None:
            model = type(target)
            if model not in types:
                types[model] = ContentType.objects.get_for_model(model)
            target_type = types[model]
        entry = AuditEntry(
            actor=actor_obj, actor_name=actor_name, action=item["action"], target_type=target_type,
            target_id=str(target.pk) if target is not None else "",
            target_repr=str(target)[:255] if target is not None else "",
            inmate_id=item.get("inmate_id"), facility_id=item.get("facility_id"),
            changes=item.get("changes") or {}, restricted_changes={}, reason=item.get("reason", ""),
            ip_address=ip, digest_scheme=DigestScheme.KEYED,
        )
        entry.hash = entry_digest(entry)
        rows.append(entry)
    AuditEntry.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def direction_and_dnapes_emails(facility) -> list[str]:
    """Where an urgent notice about `facility` goes: its direction and DNAPES (active users with
    an address). Used for allegations of ill-treatment, people held without title and late releases."""
    return list(
        User.objects.filter(is_active=True).exclude(email="")
        .filter(Q(groups__name=Role.DIRECTOR.value, facilities=facility) | Q(groups__name=Role.DNAPES.value))
        .values_list("email", flat=True).distinct()
    )


def diff_fields(instance: Model, new_values: dict) -> dict:
    """{field: [old, new]} for the fields whose value would change. Values as strings."""
    changes = {}
    for name, new in new_values.items():
        old = getattr(instance, name)
        old_cmp = getattr(old, "pk", old)
        new_cmp = getattr(new, "pk", new)
        if old_cmp != new_cmp:
            changes[name] = [None if old is None else str(old), None if new is None else str(new)]
    return changes


# --- API tokens and accounts ---------------------------------------------------------------
# Tokens are django-rest-knox's: only a hash is stored, each sign-in (device) gets its own, and
# each expires after API_TOKEN_TTL_HOURS. They are revoked on API logout and logout-all, on
# sign-out from the pages, on a password change and when the account is deactivated.


def _token_model():
    from knox.models import get_token_model

    return get_token_model()


@transaction.atomic
def issue_api_token(user, *, actor):
    """A new token for `user` (one per device), valid API_TOKEN_TTL_HOURS; the plain token is
    returned once and never stored. Audited as a sign-in."""
    from knox.settings import knox_settings

    instance, token = _token_model().objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
    record_audit(AuditAction.LOGIN, actor=actor, target=user, reason="jeton d'API émis",
                 changes={"token_expiry": [None, instance.expiry.isoformat() if instance.expiry else None]})
    return instance, token


@transaction.atomic
def revoke_api_token(token, *, actor, reason: str) -> None:
    """Revoke one token (API logout); audited."""
    user = token.user
    _token_model().objects.filter(pk=token.pk).delete()
    record_audit(AuditAction.LOGOUT, actor=actor, target=user, reason=reason,
                 changes={"api_tokens_revoked": [None, 1]})


@transaction.atomic
def revoke_api_tokens(user, *, actor, reason: str) -> int:
    """Revoke every token of `user`; audited when there was one."""
    count, _ = _token_model().objects.filter(user=user).delete()
    if count:
        record_audit(AuditAction.LOGOUT, actor=actor, target=user, reason=reason,
                     changes={"api_tokens_revoked": [None, count]})
    return count


@transaction.atomic
def change_password(user, *, new_password: str, actor) -> None:
    """Set a new password (validated by the caller's form). Every other session of the account
    stops working (Django ties sessions to the password hash) and every API token is revoked;
    the caller keeps its own session with `update_session_auth_hash`. Audited, without values."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record_audit(AuditAction.UPDATE, actor=actor, target=user,
                 reason="mot de passe changé" if actor == user else "mot de passe réinitialisé",
                 changes={"password": [None, "********"]})
    revoke_api_tokens(user, actor=actor, reason="mot de passe changé")


@transaction.atomic
def save_staff_account(user, *, actor, changes: dict, created: bool) -> None:
    """Save a staff account edited by an administrator; audited. Deactivating it (is_active
    off) revokes its API tokens at once (its sessions end too: inactive users are refused)."""
    was_active = None
    if not created:
        was_active = type(user).objects.filter(pk=user.pk).values_list("is_active", flat=True).first()
    user.save()
    record_audit(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, target=user,
                 changes=changes)
    if not user.is_active and (created or was_active):
        revoke_api_tokens(user, actor=actor, reason="compte désactivé")

