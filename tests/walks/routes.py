"""Every route of the URL resolver, and its URLs filled with the data set's objects."""

import itertools
import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from . import vocabulary as v


@dataclass(frozen=True)
class Route:
    pattern: str  # the full route, as the resolver spells it
    name: str | None
    parameters: tuple
    is_api: bool
    allows_get: bool  # False: DRF says so (an action without GET); Django views are asked

    @property
    def key(self):
        return self.name or self.pattern


@dataclass
class Url:
    path: str
    objects: tuple = ()  # (kind, id, prison codes or None) of each object the URL names

    @property
    def prisons(self):
        """Prison codes of the objects the URL names (None: names no facility-scoped object)."""
        scoped = [codes for _, _, codes in self.objects if codes is not None]
        return scoped or None


@dataclass
class Filled:
    route: Route
    urls: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # parameters the vocabulary cannot fill


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name, p


def _allows_get(pattern: URLPattern) -> bool:
    actions = getattr(pattern.callback, "actions", None)
    if actions is not None:  # a DRF viewset route
        return "get" in actions
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is not None and hasattr(view_class, "http_method_names"):
        return hasattr(view_class, "get")
    return True  # a function view: its decorators answer 405 if not


def all_routes(*, admin=False):
    """Every route (the admin site's only with `admin=True`), once each. A route without a
    name cannot be filled (reversed): the fill test names it."""
    seen = set()
    for pattern_text, name, pattern in _walk(get_resolver().url_patterns):
        if pattern_text.startswith("admin/") != admin:
            continue
        parameters = tuple(pattern.pattern.regex.groupindex)
        key = (pattern_text, name)
        if key in seen:
            continue
        seen.add(key)
        yield Route(pattern_text, name, parameters, pattern_text.startswith("api/v1/"), _allows_get(pattern))


def walked_routes():
    return [r for r in all_routes() if r.key not in v.SKIPPED and r.allows_get]


def _segment_before(pattern: str, parameter: str) -> str:
    """The URL word just before a parameter: 'transferts' in 'transferts/<int:pk>/'."""
    match = re.search(r"([\w-]+)/(?:<(?:\w+:)?" + parameter + r">|\(\?P<" + parameter + r">)", pattern)
    return match.group(1) if match else ""


def kind_of(route: Route, parameter: str):
    if parameter in v.PARAMETER_KINDS:
        return v.PARAMETER_KINDS[parameter]
    return v.SEGMENTS.get(_segment_before(route.pattern, parameter))


def fill(route: Route, data, objects_by_kind) -> Filled:
    """The URLs of `route` for the data set's objects (every combination of its parameters)."""
    filled = Filled(route)
    queries = v.QUERIES[route.name](data) if route.name in v.QUERIES else [""]
    if route.name in v.ROUTE_PARAMETERS:
        combos = v.ROUTE_PARAMETERS[route.name](data)
    else:
        choices = []
        for parameter in route.parameters:
            if parameter in v.PARAMETER_VALUES:
                choices.append([(parameter, value, None) for value in v.PARAMETER_VALUES[parameter]()])
                continue
            kind = kind_of(route, parameter)
            if kind is None:
                filled.missing.append(parameter)
                continue
            choices.append([(parameter, pk, (kind, pk, codes)) for pk, codes in objects_by_kind[kind]])
        if filled.missing:
            return filled
        combos = []
        for values in itertools.product(*choices):
            combos.append({p: value for p, value, _ in values})
    for kwargs in combos:
        objects = []
        for parameter, value in kwargs.items():
            kind = None if parameter in v.PARAMETER_VALUES else kind_of(route, parameter)
            if kind:
                known = dict(objects_by_kind[kind])
                codes = known[value] if value in known else dict(v.KINDS[kind].objects(data, pks=[value]))[value]
                objects.append((kind, value, codes))
        try:
            path = reverse(route.name, kwargs=kwargs) if route.name else None
        except NoReverseMatch:
            path = None
        if path is None:
            filled.missing.append(f"reverse({route.name}, {kwargs})")
            continue
        filled.urls.extend(Url(path + query, tuple(objects)) for query in queries)
    return filled
