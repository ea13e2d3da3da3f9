"""OpenAPI post-processing: every operation documents the errors any endpoint can answer.

DRF answers 401 (no or bad token), 403 (role without the permission), 404 (object outside
the user's facilities, or a page number past the end) and 400 (invalid filter or input) on
every route; listing them once here keeps the schema truthful without repeating
`extend_schema` on each view.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

# The router admits ids of 1 to 18 digits (config.api.Router): say so, as an integer.
PATH_ID = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}


class AutoSchema(SpectacularAutoSchema):
    """Declares, on request bodies, the fields a serializer lists in `schema_required`.

    Input serializers check types only; what is required is the service's rule (so that both
    doors give the same French messages). `schema_required` states it in the schema, so that a
    client written from the schema alone sends them the first time."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # DRF drops `allow_blank` from read-only model fields, so a blank choice the model
        # admits (e.g. a release's receipt, not given) would be answered outside the enum.
        if isinstance(field, serializers.ChoiceField) and field.read_only and not field.allow_blank:
            model = getattr(getattr(field.parent, "Meta", None), "model", None)
            try:
                model_field = model._meta.get_field(field.source) if model else None
            except FieldDoesNotExist:
                model_field = None
            if model_field is not None and getattr(model_field, "blank", False):
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _map_basic_serializer(self, serializer, direction):
        component = super()._map_basic_serializer(serializer, direction)
        extra = [name for name in getattr(serializer, "schema_required", ()) if name in component.get("properties", {})]
        if direction == "request" and extra:
            component["required"] = sorted(set(component.get("required", [])) | set(extra))
        return component


def type_path_ids(result, generator, request, public):
    """Path ids are integers, not strings."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") in ("id", "pk"):
                    parameter["schema"] = dict(PATH_ID)
    return result


GENERIC_ERRORS = {
    "400": ("ValidationErrorResponse", "Saisie ou filtre refusé : un message par champ."),
    "401": ("ErrorResponse", "Non authentifié (jeton absent ou invalide)."),
    "403": ("ErrorResponse", "Rôle sans cette permission, ou double authentification requise."),
    "404": ("ErrorResponse", "Inexistant, hors des établissements de l'utilisateur, ou page invalide."),
    "415": ("ErrorResponse", "Corps de requête dans un format non accepté (JSON, formulaire ou multipart)."),
}

COMPONENTS = {
    "ErrorResponse": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": True,
    },
    "ValidationErrorResponse": {
        "type": "object",
        "additionalProperties": True,
        "description": "Champ → liste de messages (`non_field_errors` pour l'ensemble).",
    },
}


def add_generic_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, component in COMPONENTS.items():
        schemas.setdefault(name, component)
    for _path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, (component, description) in GENERIC_ERRORS.items():
                if code == "400" and method == "get" and "parameters" not in operation:
                    continue
                if code == "415" and "requestBody" not in operation:
                    continue
                responses.setdefault(code, {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                })
    return result


def require_version_on_patch(result, generator, request, public):
    """Optimistic locking: a PATCH body that carries `version` must carry it (a 428 otherwise),
    although drf-spectacular makes every field of a PATCH body optional."""
    locked = set()
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.startswith("Patched") and "version" in component.get("properties", {}):
            required = component.setdefault("required", [])
            if "version" not in required:
                required.append("version")
            locked.add(f"#/components/schemas/{name}")
    # And the body itself is then required: an empty PATCH is a 428 too.
    for operations in result.get("paths", {}).values():
        body = operations.get("patch", {}).get("requestBody")
        if body and any(media.get("schema", {}).get("$ref") in locked for media in body.get("content", {}).values()):
            body["required"] = True
    return result
