"""`manage.py check --deploy` with production environment variables: zero warnings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k8#Jq2$wZp!9vN@x4Lr7&Tb1^Yc6*Hd3(Fs5)Gm0-Ue8+Wa2=Qi7_Oj4",
    "ALLOWED_HOSTS": "dossiers.dnapes.ml",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "BEHIND_PROXY": "1",
    "AUDIT_CHAIN_KEY": "Zq7#Lm2$Vx9!Rt4@Nb6&Hc1^Wd8*Jf3(Kg5)Py0",
}


def test_deploy_check_has_no_warnings_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
