"""The demo calls the services it uses directly: a renamed or removed service fails at import,
here, loudly, instead of the demo quietly falling back on a copy of its logic (issue 18)."""

import ast
import importlib
import pathlib
import pkgutil

import demo

DEMO = pathlib.Path(demo.__file__).parent


def _modules():
    yield "demo"
    for info in pkgutil.walk_packages([str(DEMO)], prefix="demo."):
        yield info.name


def test_every_demo_module_imports():
    """Each import of a service is a plain `from app.module import name`: a renamed service is
    an ImportError (this test fails) rather than a silent fallback."""
    for name in _modules():
        importlib.import_module(name)


def _fallbacks(tree):
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom | ast.Import):
            imported |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr"):
            target = node.args[0] if node.args else None
            if isinstance(target, ast.Name) and target.id in imported:
                yield f"{node.func.id}({target.id}, …) line {node.lineno}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "is_installed", "get_model"):
            yield f"apps.{node.func.attr}(…) line {node.lineno}"
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
            if names & {"ImportError", "ModuleNotFoundError", "LookupError", "AttributeError"}:
                yield f"except {', '.join(sorted(names))} line {node.lineno}"


def test_the_demo_has_no_fallback_for_a_missing_service_or_model():
    found = []
    for path in sorted(DEMO.rglob("*.py")):
        found += [f"{path.relative_to(DEMO.parent)}: {f}" for f in _fallbacks(ast.parse(path.read_text("utf-8")))]
    assert found == []


def test_the_check_finds_the_old_fallback():
    """The check above is not blind: the fallback the demo used to carry is found."""
    old = ast.parse(
        "from inmates import services\n"
        "fmt = getattr(services, 'format_prisoner_number', None)\n"
        "try:\n    apps.get_model('inmates', 'PrisonerNumberCounter')\nexcept LookupError:\n    pass\n")
    assert len(list(_fallbacks(old))) == 3
