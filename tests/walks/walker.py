"""Opens URLs as a member of staff and remembers what each answered.

Each request runs in its own savepoint, rolled back afterwards: every URL sees exactly the
data set (an audit entry written by one read does not change the next page), a database
error in one view cannot poison the next request, and the answers can be cached and shared
by the tests that look at them (the every-role walk, the other-prison walk, the positive
control and the summary).

Two costs are shared between roles, because they do not depend on the reader:
- WeasyPrint lays out each PDF URL once (for the first role that gets it); the next roles'
  requests still run the view and render its template — where role-dependent content and its
  bugs live — and only the layout of the HTML into pages is skipped (half a second a PDF);
- routes in `vocabulary.SAME_FOR_EVERY_ROLE` are asked once and their answer is shared.
"""

import html
import re
import time
import traceback
from collections import Counter, defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from unittest import mock

from django.db import transaction

TEXT_TYPES = ("text/", "application/json")
LAID_OUT = b"%PDF-1.4\n% laid out once per walk (walker.py)\n%%EOF\n"
# What a strict style-src (no 'unsafe-inline') refuses in a page: a style attribute, a style element.
INLINE_STYLE = re.compile(r"<style[\s>]|<[^>]*\sstyle\s*=[^>]*>", re.IGNORECASE)


@dataclass
class Answer:
    status: int
    location: str = ""
    content_type: str = ""
    error: str = ""  # the exception, for an answer ≥ 500
    leaked: tuple = ()  # Bamako-only markers found in the body (other-prison readers only)
    need_to_know: tuple = ()  # kinds of need-to-know details found in the body (medical, interview)
    inline_styles: tuple = ()  # `style="…"` attributes and `<style>` elements of an HTML page (strict CSP)
    seconds: float = 0.0

    @property
    def to_login(self):
        return self.status == 302 and "/comptes/connexion/" in self.location


def _exception_summary(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/site-packages/" not in f.filename] or frames
    where = ours[-1]
    return f"{type(exc).__name__}: {exc} (at {where.filename}:{where.lineno} in {where.name})"


class Walker:
    def __init__(self, data):
        from .vocabulary import KINDS
        from .workflow import NEED_TO_KNOW, OTHER_PRISON

        self.data = data
        self.leak_roles = set(OTHER_PRISON)
        self.answers = {}  # (role, method, path) → Answer
        self.walks = defaultdict(lambda: defaultdict(dict))  # walk → route key → role → [statuses]
        self.markers = [m.lower() for m in data.bamako_only_markers()]
        self.need_to_know = {kind: [m.lower() for m in markers] for kind, markers in NEED_TO_KNOW.items()}
        self.objects = {kind: spec.objects(data) for kind, spec in KINDS.items()}
        self.form_objects = {kind: spec.objects(data, form=True) for kind, spec in KINDS.items()}
        self._filled = {}
        self.laid_out = set()  # PDF URLs WeasyPrint has laid out once
        self.route_of = {}

    def filled(self, route):
        from .routes import fill
        from .vocabulary import FORM_PAGES

        if route not in self._filled:
            objects = self.form_objects if FORM_PAGES.search("/" + route.pattern) else self.objects
            self._filled[route] = fill(route, self.data, objects)
        return self._filled[route]

    def open(self, role, url, *, route=None, method="get"):
        """What `role` gets at `url` (a URL of `route`: JSON asked of the API)."""
        from .vocabulary import SAME_FOR_EVERY_ROLE

        api = route is not None and route.is_api
        shared = route is not None and route.key in SAME_FOR_EVERY_ROLE and role not in ("anonymous", "norole")
        key = ("*" if shared else role, method, url.path)
        if key in self.answers:
            return self.answers[key]
        client = self.data.staff[role].client if role != "anonymous" else self.data.anonymous
        headers = {"HTTP_ACCEPT": "application/json"} if api else {}
        started = time.monotonic()
        sid = transaction.savepoint()
        import weasyprint

        layout = (mock.patch.object(weasyprint.HTML, "write_pdf", lambda *a, **k: LAID_OUT)
                  if url.path in self.laid_out else nullcontext())
        try:
            with layout:
                response = getattr(client, method)(url.path, **headers)
        except Exception as exc:  # noqa: BLE001 — the test client re-raises what the view raised
            answer = Answer(500, error=_exception_summary(exc))
        else:
            answer = Answer(response.status_code, response.get("Location", ""),
                            response.get("Content-Type", ""))
            if answer.status >= 500:
                answer.error = response.content[:300].decode(errors="replace")
            if answer.status == 200 and answer.content_type == "application/pdf":
                self.laid_out.add(url.path)
            if answer.status == 200 and answer.content_type.startswith(TEXT_TYPES):
                body = b"".join(response.streaming_content) if response.streaming else response.content
                text = html.unescape(body.decode(errors="replace")).lower()
                if role in self.leak_roles:
                    answer.leaked = tuple(m for m in self.markers if m in text)
                answer.need_to_know = tuple(kind for kind, markers in self.need_to_know.items()
                                            if any(m in text for m in markers))
                if answer.content_type.startswith("text/html"):
                    raw = body.decode(errors="replace")
                    answer.inline_styles = tuple(m.group(0) for m in INLINE_STYLE.finditer(raw))
        finally:
            transaction.savepoint_rollback(sid)
        answer.seconds = time.monotonic() - started
        self.answers[key] = answer
        self.route_of[url.path] = route.key if route is not None else url.path.split("?")[0]
        return answer

    def record(self, walk, route_key, role, answers):
        self.walks[walk][route_key][role] = [a.status for a in answers]

    def statuses(self, walk, route_key):
        """role → [statuses] recorded for a route."""
        return self.walks[walk].get(route_key, {})

    def summary(self):
        """Per walk: routes × roles walked, and the answers per status class and per role."""
        lines = []
        for walk, by_route in self.walks.items():
            classes, per_role, roles, pairs = Counter(), defaultdict(Counter), [], 0
            for results in by_route.values():
                for role, statuses in results.items():
                    pairs += 1
                    if role not in roles:
                        roles.append(role)
                    for status in statuses:
                        classes[f"{status // 100}xx"] += 1
                        per_role[role][status] += 1
            lines.append(f"{walk}: {len(by_route)} routes × {len(roles)} roles = {pairs} (route, role) pairs, "
                         f"{sum(classes.values())} requests; " + ", ".join(f"{k} {classes[k]}" for k in sorted(classes)))
            for role in roles:
                lines.append(f"  {role:13} " + ", ".join(f"{s}×{n}" for s, n in sorted(per_role[role].items())))
        slow = Counter()
        for (_role, _method, path), answer in self.answers.items():
            slow[self.route_of.get(path, path)] += answer.seconds
        total = sum(a.seconds for a in self.answers.values())
        lines.append(f"{len(self.answers)} distinct requests in {total:.1f} s; slowest routes (all roles, all URLs): "
                     + ", ".join(f"{p} {t:.1f} s" for p, t in slow.most_common(25)))
        return "\n".join(lines)
