"""The production stack description and settings guards (no Docker engine runs here)."""

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_file_describes_the_production_stack():
    services = _compose()["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert "celery" in services["worker"]["command"] and "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in ("db", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "pgdata" in _compose()["volumes"]


def test_web_runs_gunicorn_with_whitenoise():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn" in dockerfile and "whitenoise" in dockerfile


def _settings_in_subprocess(env_extra):
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **env_extra}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )


def test_the_development_secret_key_is_refused_when_debug_is_off():
    result = _settings_in_subprocess({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_real_secret_key_with_debug_off_starts():
    result = _settings_in_subprocess({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60,
                                      "AUDIT_CHAIN_KEY": "k" * 48})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
