"""`make sites`: a national server and two prison servers (Bamako, Koulikoro) on one machine, each
with its own embedded database, exchanging every few seconds; a prison's link is cut by creating
the file var/sites/<prison>.offline (`make sites-cut SITE=koulikoro`: the prison's exchanges then
fail, as with its line down) and restored by removing it (`make sites-restore SITE=koulikoro`).
Each site's web server writes to var/sites/<site>.log; Ctrl-C stops the three.

The national server is seeded with the demo; each prison's server starts from a copy of it (as if
its first exchange had been made), then works on its own database: it writes only the people it
holds, and learns everything else through the exchange."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

SITES = {"national": ("", 8000), "bamako": ("BKO", 8001), "koulikoro": ("KLK", 8002)}
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens there, the connection is refused


class Command(BaseCommand):
    help = "Démarre un serveur national et deux serveurs d'établissement qui échangent (essai sur une machine)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=5.0, help="secondes entre deux échanges")
        parser.add_argument("--inmates", type=int, default=300, help="personnes de la démo")
        parser.add_argument("--reset", action="store_true", help="repartir de bases neuves")

    def handle(self, *args, every, inmates, reset, **options):
        root = Path(settings.BASE_DIR) / "var" / "sites"
        if reset and root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True, exist_ok=True)
        national_db = root / "national.sqlite3"
        if not national_db.exists():
            self._prepare(root, national_db, inmates)
        children = [self._serve(root, name) for name in SITES]
        self.stdout.write("Serveur national : http://127.0.0.1:8000/  ·  Bamako : http://127.0.0.1:8001/  ·  "
                          "Koulikoro : http://127.0.0.1:8002/")
        self.stdout.write("Couper la liaison de Koulikoro : make sites-cut SITE=koulikoro ; la rétablir : "
                          "make sites-restore SITE=koulikoro")
        rounds = 0
        try:
            while True:
                time.sleep(every)
                rounds += 1
                for name in ("bamako", "koulikoro"):
                    env = self._env(root, name)
                    if rounds % max(1, round(60 / every)) == 1:
                        # What the prison's beat does every minute: seal its new audit entries, so
                        # that its audit chain travels with the next push.
                        subprocess.run([sys.executable, "manage.py", "seal_audit_chain"], env=env,
                                       capture_output=True, cwd=settings.BASE_DIR)
                    if (root / f"{name}.offline").exists():
                        # A cut link: the prison still tries, and fails, as it would with its line
                        # down (its exchange page shows the failures and the error).
                        env["SYNC_NATIONAL_URL"] = UNREACHABLE
                    result = subprocess.run([sys.executable, "manage.py", "sync_now"], env=env,
                                            capture_output=True, text=True, cwd=settings.BASE_DIR)
                    line = (result.stdout or result.stderr).strip().splitlines()[-1:] or [""]
                    self.stdout.write(f"{name}: {line[0][:200]}")
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)

    def _env(self, root, name):
        code, port = SITES[name]
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{root / (name + '.sqlite3')}", "DJANGO_DEBUG": "1",
               "SITE_MODE": "national" if name == "national" else "prison", "SITE_FACILITY": code,
               "AUDIT_CHECKPOINT_FILE": str(root / f"{name}-checkpoints.jsonl")}
        if name != "national":
            env["SYNC_NATIONAL_URL"] = f"http://127.0.0.1:{SITES['national'][1]}"
            env["SYNC_SITE_TOKEN"] = (root / f"{name}.token").read_text().strip() if (root / f"{name}.token").exists() else ""
        return env

    def _manage(self, env, *arguments):
        subprocess.run([sys.executable, "manage.py", *arguments], env=env, check=True, cwd=settings.BASE_DIR)

    def _prepare(self, root, national_db, inmates):
        single = {**self._env(root, "national"), "SITE_MODE": "single"}
        self.stdout.write("Préparation : migrations et démo du serveur national (quelques minutes)…")
        self._manage(single, "migrate", "--noinput", "-v0")
        self._manage(single, "seed_demo", "--inmates", str(inmates), "--if-empty")
        for name in ("bamako", "koulikoro"):
            shutil.copy(national_db, root / f"{name}.sqlite3")
        national = self._env(root, "national")
        for name in ("bamako", "koulikoro"):
            code = SITES[name][0]
            self._manage(national, "sync_register_site", code, "--by", "admin",
                         "--token-file", str(root / f"{name}.token"))

    def _serve(self, root, name):
        """The site's web server (Django's development server, no autoreload), its output in
        var/sites/<site>.log."""
        port = SITES[name][1]
        log = open(root / f"{name}.log", "ab")  # noqa: SIM115 — kept open for the child's lifetime
        return subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                                env=self._env(root, name), cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
