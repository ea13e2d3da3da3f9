"""The API's strict text field, at the bottom of the layers.

`accounts` is below `core`, and its sign-in door (accounts.api) must refuse a JSON number given
as an identifier as every other endpoint does; so the field is defined here, and core.api
offers it beside its other strict fields (StrictBooleanField, StrictIntegerField…)."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A string, and only a string. DRF's CharField turns a JSON number into text (`0` becomes
    "0"), so a client sending the wrong type would have it accepted and never learn that its
    request breaks the schema. Form values are always strings: multipart bodies are unaffected."""

    default_error_messages = {"not_a_string": gettext_lazy("Une chaîne de caractères est attendue.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)
