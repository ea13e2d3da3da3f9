"""Global identity: every record that travels between a prison's server and the national server
carries a `uid` (UUIDv7: time-ordered, made where the record is created), and exchanges refer to
records by it, never by local integer keys (issue 12)."""

import uuid6
from django.db import models
from django.utils.translation import gettext_lazy as _


def uuid7():
    """A new UUIDv7 (time-ordered, so indexes stay compact; Python 3.11 has no `uuid.uuid7`)."""
    return uuid6.uuid7()


def global_id():
    """The `uid` field of a model whose records travel (or are reference data shared by every site)."""
    return models.UUIDField(_("identifiant global"), default=uuid7, unique=True, editable=False)
