"""A JSON parser that refuses bodies nested too deep (a 400 in French, never a RecursionError)."""

import io
import itertools
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = bytes.maketrans(b"[]{}", b"\x01\x02\x01\x02")


def _brackets(body: bytes) -> bytes:
    """Only the brackets outside strings, as \x01 (open) and \x02 (close)."""
    return _STRING.sub(b"", body).translate(_STEP, _NOT_BRACKETS)


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings skipped), measured
    without parsing it: linear and iterative, so any depth is measured safely."""
    return json_depth_of_brackets(_brackets(body))


def json_too_deep(body: bytes, limit: int) -> bool:
    """Whether the nesting exceeds `limit`. Fast for ordinary bodies: each pass strips the
    innermost pairs (one level) at C speed; only an irregular remainder is measured exactly."""
    brackets = _brackets(body)
    for _pass in range(limit):
        if len(brackets) <= limit:
            return False
        if b"\x01" * (limit + 1) in brackets:
            return True
        reduced = brackets.replace(b"\x01\x02", b"")
        if reduced == brackets:
            break
        brackets = reduced
        limit -= 1
    return json_depth_of_brackets(brackets) > limit


def json_depth_of_brackets(brackets: bytes) -> int:
    if not brackets:
        return 0
    return max(0, max(itertools.accumulate(1 if b == 1 else -1 for b in brackets)))


def too_deep_message() -> str:
    return _("JSON refusé : imbrication trop profonde (%(max)d niveaux au plus).") % {
        "max": settings.API_JSON_MAX_DEPTH}


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, after a depth check (API_JSON_MAX_DEPTH)."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        request = getattr((parser_context or {}).get("request"), "_request", None)
        checked = getattr(request, "json_depth_checked", False)  # by JsonDepthLimitMiddleware
        if not checked and json_too_deep(body, settings.API_JSON_MAX_DEPTH):
            raise ParseError(too_deep_message())
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError(too_deep_message()) from None
