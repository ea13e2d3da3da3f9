"""OpenAPI post-processing: every operation documents the errors any endpoint can answer.

DRF answers 401 (no or bad token), 403 (role without the permission), 404 (object outside
the user's facilities, or a page number past the end) and 400 (invalid filter or input) on
every route; listing them once here keeps the schema truthful without repeating
`extend_schema` on each view.
"""

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
