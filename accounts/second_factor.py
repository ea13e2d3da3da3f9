"""Second factor (TOTP) for the accounts with national reach."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import Role

SECOND_FACTOR_ROLES = (Role.ADMIN, Role.DNAPES)


def requires_second_factor(user) -> bool:
    if not getattr(settings, "OTP_REQUIRED", False) or not user.is_authenticated:
        return False
    return user.is_superuser or user.has_role(*SECOND_FACTOR_ROLES)


def has_confirmed_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def pending_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device being set up (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Application d'authentification", confirmed=False)


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
