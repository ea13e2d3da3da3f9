"""Real exchanges between three databases in one test run: the national server (the test database)
and two prison servers (Bamako, Koulikoro), each a copy of the national database made at the start
of the test, as a prison's server is installed from the same migrations and reference data.

`sites.at("bamako")` makes every query, transaction and service call of the block run on that
site's database, with that site's settings (SITE_MODE, SITE_FACILITY). The prisons reach the
national server through its real API (`/api/v1/sync/push/`, `/changes/`) with their site
credential, in process; `sites.offline("bamako")` cuts one prison's link."""

import contextlib
import gzip
import json
import shutil
import sqlite3

import pytest
from django.core.cache import cache
from django.db import connections
from django.db.utils import load_backend
from django.test import Client, override_settings

from accounts.roles import Role
from sync import ownership, payload
from sync import prison as prison_side
from sync.national import register_site
from tests.factories import UnitFactory, staff

FACILITIES = {"bamako": "BKO", "koulikoro": "KLK"}


class InProcessTransport:
    """The prison's HTTPS client, replaced by the national server's own API called in process."""

    def __init__(self, sites, name, token):
        self.sites, self.name, self.token = sites, name, token
        self.lose_next_ack = False
        self.sent = []

    def _client_call(self, method, path, **kwargs):
        if self.name in self.sites.cut:
            raise prison_side.LinkDown("liaison coupée")
        headers = {"HTTP_AUTHORIZATION": f"Site {self.token}", "HTTP_X_SITE_ID": prison_side.site_id()}
        with self.sites.at("national"):
            response = getattr(Client(), method)(path, **kwargs, **headers)
        if response.status_code != 200:
            raise prison_side.LinkDown(f"HTTP {response.status_code}: {response.content[:300]!r}")
        return response

    def push(self, data: bytes) -> dict:
        self.sent.append(data)
        response = self._client_call("post", "/api/v1/sync/push/", data=data, content_type="application/json",
                                     HTTP_CONTENT_ENCODING="gzip")
        if self.lose_next_ack:
            self.lose_next_ack = False
            raise prison_side.LinkDown("accusé de réception perdu")
        return response.json()

    def pull(self, *, after: int, limit: int):
        response = self._client_call("get", "/api/v1/sync/changes/", data={"after": after, "limit": limit},
                                     HTTP_ACCEPT_ENCODING="gzip")
        raw = response.content  # as sent on the wire (compressed by the national server's GZipMiddleware)
        body = gzip.decompress(raw) if response.headers.get("Content-Encoding") == "gzip" else raw
        return json.loads(body), len(raw)


class Sites:
    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.aliases = {"national": "default"}
        self.cut = set()
        self.transports = {}
        self._default = connections["default"]
        self.conns = {"national": self._default}

    # -- databases ------------------------------------------------------------------------------
    def clone(self, name):
        source = connections["default"]
        alias = f"site_{name}"
        settings_dict = dict(source.settings_dict)
        if source.vendor == "sqlite":
            path = str(self.tmp_path / f"{name}.sqlite3")
            source.ensure_connection()
            target = sqlite3.connect(path)
            source.connection.backup(target)
            target.close()
            settings_dict["NAME"] = path
            settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": path}
        else:
            db_name = f"{source.settings_dict['NAME']}_{name}"[:63]
            source.close()
            with source._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
                cursor.execute(f'CREATE DATABASE "{db_name}" TEMPLATE "{source.settings_dict["NAME"]}"')
            settings_dict["NAME"] = db_name
        # Made by hand rather than declared in settings: Django's test case allows such connections.
        self.conns[name] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
        self.aliases[name] = alias
        return alias

    def snapshot(self, name):
        """A backup of a prison's database (SQLite: a file copy; PostgreSQL: a template copy)."""
        conn = self.conns[name]
        backup = f"{name}_backup"
        if conn.vendor == "sqlite":
            conn.close()
            path = str(self.tmp_path / f"{backup}.sqlite3")
            shutil.copy(conn.settings_dict["NAME"], path)
            return path
        conn.close()
        db_name = f"{conn.settings_dict['NAME']}_bk"[:63]
        with self._default._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
            cursor.execute(f'CREATE DATABASE "{db_name}" TEMPLATE "{conn.settings_dict["NAME"]}"')
        return db_name

    def restore(self, name, backup):
        """The prison's server comes back from that backup (its database replaced by the copy)."""
        conn = self.conns[name]
        conn.close()
        if conn.vendor == "sqlite":
            shutil.copy(backup, conn.settings_dict["NAME"])
            return
        with self._default._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{conn.settings_dict["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{conn.settings_dict["NAME"]}" TEMPLATE "{backup}"')

    def close(self):
        for _name, conn in self.conns.items():
            if conn is self._default:
                continue
            conn.close()
            if conn.vendor == "postgresql":
                with self._default._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{conn.settings_dict["NAME"]}"')
                    cursor.execute(f'DROP DATABASE IF EXISTS "{conn.settings_dict["NAME"][:60]}_bk"')

    # -- running as a site ----------------------------------------------------------------------
    @contextlib.contextmanager
    def at(self, name):
        previous = connections._connections.default
        mode = {"national": {"SITE_MODE": "national", "SITE_FACILITY": ""}}.get(
            name, {"SITE_MODE": "prison", "SITE_FACILITY": FACILITIES.get(name, "")})
        connections._connections.default = self.conns[name]
        ownership._facility_id.cache_clear()
        payload.forget_all()
        cache.clear()
        try:
            with override_settings(**mode):
                yield
        finally:
            connections._connections.default = previous
            ownership._facility_id.cache_clear()
            cache.clear()

    def exchange(self, name):
        with self.at(name):
            return prison_side.exchange(self.transports[name])

    def offline(self, name):
        self.cut.add(name)

    def online(self, name):
        self.cut.discard(name)

    def push_raw(self, name, body: dict, *, token=None):
        """A push as the national server receives it (to replay or forge one)."""
        with self.at("national"):
            return Client().post("/api/v1/sync/push/", data=gzip.compress(json.dumps(body).encode()),
                                 content_type="application/json", HTTP_CONTENT_ENCODING="gzip",
                                 HTTP_AUTHORIZATION=f"Site {token or self.transports[name].token}")


@pytest.fixture
def sites(transactional_db, tmp_path, settings):
    """The national server and the Bamako and Koulikoro prisons, with a clerk, a director and a
    security officer each, units, and each prison's site credential."""
    from prisons.models import Facility

    settings.SITE_MODE = "single"
    bamako, koulikoro = Facility.objects.get(code="BKO"), Facility.objects.get(code="KLK")
    people = {}
    for name, facility in (("bamako", bamako), ("koulikoro", koulikoro)):
        people[name] = {
            "facility": facility,
            "clerk": staff(Role.CLERK, facility, username=f"greffe.{name}.t"),
            "director": staff(Role.DIRECTOR, facility, username=f"direction.{name}.t"),
            "security": staff(Role.SECURITY, facility, username=f"securite.{name}.t"),
            "unit": UnitFactory(facility=facility, code=f"Q-{name[:3].upper()}", name=f"Quartier {name}",
                                capacity=2000),
            "unit2": UnitFactory(facility=facility, code=f"R-{name[:3].upper()}", name=f"Réfectoire {name}",
                                 capacity=2000),
        }
    dnapes = staff(Role.DNAPES, username="dnapes.t")
    tokens = {name: register_site(people[name]["facility"], actor=dnapes)[1] for name in FACILITIES}
    world = Sites(tmp_path)
    for name in FACILITIES:
        world.clone(name)
        world.transports[name] = InProcessTransport(world, name, tokens[name])
    world.people, world.dnapes, world.tokens = people, dnapes, tokens
    try:
        yield world
    finally:
        world.close()
