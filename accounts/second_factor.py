"""Second factor (TOTP) for the accounts with national reach."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuditAction
from .roles import Role
from .services import record_audit

SECOND_FACTOR_ROLES = (Role.ADMIN, Role.DNAPES)


def requires_second_factor(user) -> bool:
    if not getattr(settings, "OTP_REQUIRED", False) or not user.is_authenticated:
        return False
    return user.is_superuser or user.has_role(*SECOND_FACTOR_ROLES)


def has_confirmed_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def confirmed_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id")


def may_pair(user, *, verified: bool) -> bool:
    """A first authenticator may be paired with the password alone (first enrolment); any
    further one only from a session already verified with a confirmed authenticator.
    Otherwise a stolen password would be enough to pair the thief's phone."""
    return verified or not has_confirmed_device(user)


def pending_device(user, *, verified: bool) -> TOTPDevice:
    """The unconfirmed TOTP device being set up (created on first call).

    Refused (PermissionDenied) when the account already has a confirmed authenticator and
    the session has not been verified with it."""
    if not may_pair(user, verified=verified):
        raise PermissionDenied(_("Validez d'abord le code de votre application d'authentification."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        n = TOTPDevice.objects.filter(user=user).count() + 1
        name = _("Application d'authentification") + (f" {n}" if n > 1 else "")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=False)
    return device


@transaction.atomic
def confirm_device(device: TOTPDevice, token: str, *, actor, verified: bool, name: str = "") -> bool:
    """Confirm a pending authenticator with its first code; audited with the device.

    The pairing rule is checked again here, inside the transaction, whatever page led here."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
    if device.confirmed:
        raise ValidationError(_("Cet appareil est déjà activé."))
    if not may_pair(actor, verified=verified):
        raise PermissionDenied(_("Validez d'abord le code de votre application d'authentification."))
    token = (token or "").strip().replace(" ", "")
    if not (token.isdigit() and device.verify_token(token)):
        record_audit(AuditAction.LOGIN_FAILED, actor=actor, target=actor,
                     reason="code incorrect à l'activation d'un appareil de double authentification",
                     changes={"device_id": device.pk})
        return False
    device.confirmed = True
    if name.strip():
        device.name = name.strip()[:64]
    device.save(update_fields=["confirmed", "name"])
    record_audit(AuditAction.OTHER, actor=actor, target=actor,
                 reason="appareil de double authentification activé",
                 changes={"device_id": device.pk, "device": device.name})
    return True


@transaction.atomic
def remove_device(device: TOTPDevice, *, actor, verified: bool) -> None:
    """The owner removes one of their authenticators, from a verified session. The last one
    cannot be removed while the account must use a second factor (an administrator resets)."""
    if not verified:
        raise PermissionDenied(_("Validez d'abord le code de votre application d'authentification."))
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
    if device.confirmed and requires_second_factor(actor) and confirmed_devices(actor).count() <= 1:
        raise ValidationError(_(
            "C'est votre seul appareil : ajoutez-en un autre avant de le retirer, "
            "ou demandez à l'administrateur système de réinitialiser votre double authentification."))
    record_audit(AuditAction.OTHER, actor=actor, target=actor, reason="appareil de double authentification retiré",
                 changes={"device_id": device.pk, "device": device.name})
    device.delete()


@transaction.atomic
def reset_second_factor(user, *, actor, reason: str) -> int:
    """An administrator removes every authenticator of `user` (a lost phone). Audited with
    the reason, and the account's owner is told by e-mail (and on their next sign-in, by the
    pairing page). Needs the administrator role; `is_superuser` alone is not enough."""
    if not (actor.is_active and actor.has_role(Role.ADMIN)):
        raise PermissionDenied(_("Seul l'administrateur système peut réinitialiser la double authentification."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Indiquez le motif de la réinitialisation.")]})
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user))
    record_audit(AuditAction.UPDATE, actor=actor, target=user, reason=reason.strip(),
                 changes={"second_factor_reset": [{"device_id": d.pk, "device": d.name} for d in devices]})
    TOTPDevice.objects.filter(pk__in=[d.pk for d in devices]).delete()
    if user.email:
        subject = _("DNAPES : votre double authentification a été réinitialisée")
        body = _(
            "Bonjour,\n\nL'administrateur %(admin)s a réinitialisé la double authentification de votre "
            "compte %(username)s (motif : %(reason)s). À votre prochaine connexion, vous associerez une "
            "nouvelle application d'authentification.\n\nSi vous n'avez rien demandé, prévenez "
            "immédiatement votre direction."
        ) % {"admin": actor.get_username(), "username": user.get_username(), "reason": reason.strip()}
        transaction.on_commit(lambda: send_mail(subject, body, None, [user.email], fail_silently=True))
    return len(devices)


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning QR code as inline SVG markup (no image file, no external service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    markup = buffer.getvalue().decode()
    return markup[markup.index("<svg"):]


def verify(user, token: str):
    """The confirmed device matching `token`, or None."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return None
    return match_token(user, token)
