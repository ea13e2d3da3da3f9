"""The layering ARCHITECTURE.md states is the one the code has: every import between project
apps runs downward (the only upward arrow is each app's api module registering its viewsets
on config.api.router, the wiring)."""

import ast
import pathlib

from django.conf import settings

# Lowest first: an app may import only the apps before it.
# sync (the exchange) and demo (seed_demo) sit at the top beside oversight: they know every domain
# app, none imports them.
LAYERS = [
    "accounts", "core", "prisons", "inmates", "detention", "casework", "followup", "intake", "registers", "oversight",
    "sync", "demo", "config",
]
WIRING = {"config.api"}  # the router every app's api module registers on


def _imports(app):
    root = pathlib.Path(settings.BASE_DIR) / app
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path, node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name


def test_every_import_between_apps_runs_downward():
    upward = []
    for rank, app in enumerate(LAYERS):
        for path, module in _imports(app):
            top = module.split(".")[0]
            if top in LAYERS and LAYERS.index(top) > rank and module not in WIRING:
                upward.append(f"{path.relative_to(settings.BASE_DIR)} imports {module}")
    assert upward == []
