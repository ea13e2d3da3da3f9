"""OpenAPI links: which response gives the id that another operation takes in its path.

A client (and schemathesis's stateful phase) can follow them from what it has just created or
listed to the operations on that record: `POST /api/v1/cases/` answers 201 with the case's `id`,
which `GET`/`PATCH /api/v1/cases/{id}/` and every `/api/v1/cases/{id}/<action>/` take.

The rules, derived from the generated schema (no view states them):

- a *resource* is a collection path `C` with operations on `C{id}/` (or `C{code}/`): its records
  are the component that `GET C{id}/` answers (e.g. `Case`);
- every operation whose 200/201 answer is that component links, with `$response.body#/id`, to
  the operations on `C{id}/...` (so `POST /api/v1/arrivals/`, answered with an `Intake`, links
  to the intake's steps, and `POST /api/v1/cases/{id}/charges/` to `/api/v1/charges/{id}/...`);
- a list (`GET C`, paginated `results` or a plain array) links with its first item's id
  (`$response.body#/results/0/id`; a list that is empty gives nothing to follow);
- a field of an answer that holds another resource's id (`inmate`, `custody`, `case`,
  `facility`…, an integer named after a resource) links to that resource's operations.
"""

import re

PARAMETER = re.compile(r"\{(\w+)\}")
METHODS = ("get", "post", "patch", "put", "delete")
REF = "#/components/schemas/"


def _component(response, schemas):
    """(name, schema) of a JSON response's component, following a paginated list's `results`."""
    schema = ((response or {}).get("content", {}).get("application/json") or {}).get("schema") or {}
    ref = schema.get("$ref", "")
    return (ref[len(REF) :], schemas.get(ref[len(REF) :], {})) if ref.startswith(REF) else (None, schema)


def _item_ref(schema, schemas):
    """For a list answer: (the item component's name, the JSON pointer prefix of its first item)."""
    if schema.get("type") == "array":
        return schema.get("items", {}).get("$ref", "")[len(REF) :] or None, "/0"
    results = schema.get("properties", {}).get("results", {})
    if results.get("type") == "array":
        return results.get("items", {}).get("$ref", "")[len(REF) :] or None, "/results/0"
    return None, None


def _resources(paths):
    """Collection path → (path parameter name, [(path, method, operationId)] of its record's operations)."""
    resources = {}
    for path, operations in paths.items():
        names = PARAMETER.findall(path)
        if len(names) != 1:
            continue
        prefix, _, rest = path.partition("{" + names[0] + "}/")
        if not rest.strip("/").count("/") == 0 or prefix == path:
            continue
        entry = resources.setdefault(prefix, (names[0], []))
        if entry[0] != names[0]:
            continue
        for method in METHODS:
            if isinstance(operations.get(method), dict) and operations[method].get("operationId"):
                entry[1].append((path, method, operations[method]["operationId"]))
    return resources


def _record_component(prefix, parameter, paths, schemas):
    detail = paths.get(prefix + "{" + parameter + "}/", {}).get("get")
    if not detail:
        return None
    name, _schema = _component(detail.get("responses", {}).get("200"), schemas)
    return name


def _plural(name):
    return name[:-1] + "ies" if name.endswith("y") else name + "s"


def add_openapi_links(result, generator, request, public):
    paths = result.get("paths", {})
    schemas = result.get("components", {}).get("schemas", {})
    resources = _resources(paths)
    by_component = {}  # component name → (parameter, targets)
    by_segment = {}  # last segment of the collection ("cases") → (parameter, targets)
    for prefix, (parameter, targets) in resources.items():
        component = _record_component(prefix, parameter, paths, schemas)
        if component:
            by_component.setdefault(component, (parameter, targets))
        if parameter == "id" and prefix.count("{") == 0:
            by_segment.setdefault(
                prefix.rstrip("/").rsplit("/", 1)[-1].replace("-", "_"), (parameter, targets)
            )

    for path, operations in paths.items():
        for method in METHODS:
            operation = operations.get(method)
            if not isinstance(operation, dict) or not _is_source(path, method, operation, resources):
                continue
            for status in ("200", "201"):
                response = operation.get("responses", {}).get(status)
                name, schema = _component(response, schemas)
                links = {}
                pointer = ""
                if name not in by_component:
                    item, first = _item_ref(schema, schemas)
                    if item:
                        name, schema, pointer = item, schemas.get(item, {}), first
                # The records of this collection (its list and its creation), and the records
                # that the answer's component is, wherever it is answered.
                for parameter, targets in filter(None, (resources.get(path), by_component.get(name))):
                    if parameter in schema.get("properties", {}):
                        _link(links, "", f"{pointer}/{parameter}", parameter, targets)
                # Fields that carry another resource's id.
                for field, definition in schema.get("properties", {}).items():
                    if definition.get("type") != "integer" or _plural(field) not in by_segment:
                        continue
                    parameter, targets = by_segment[_plural(field)]
                    _link(links, f"{field}.", f"{pointer}/{field}", parameter, targets)
                if links:
                    response.setdefault("links", {}).update(links)
    return result


def _is_source(path, method, operation, resources):
    """Where a client gets ids from: a collection's list, and every creation (an answer 201:
    `POST /api/v1/cases/`, `POST /api/v1/arrivals/`, `POST /api/v1/cases/{id}/charges/`). A
    record's detail and actions take the id they already have, and give no new one."""
    if method == "get":
        return path in resources and "{" not in path
    return method == "post" and "201" in operation.get("responses", {})


def _link(links, prefix, pointer, parameter, targets):
    for path, method, operation_id in targets:
        links[f"{prefix}{operation_id}"] = {
            "operationId": operation_id,
            "parameters": {f"path.{parameter}": f"$response.body#{pointer}"},
            "description": f"`{parameter}` de la réponse → `{method.upper()} {path}`.",
        }
