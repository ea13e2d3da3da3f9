"""Behind the proxy, the audit trail and the lockout take the address the trusted proxy saw,
never the client-chosen left-most X-Forwarded-For entry (item 8)."""

import pytest
from django.test import Client, RequestFactory

from accounts.models import AuditAction, AuditEntry
from accounts.request_context import client_ip
from accounts.roles import Role
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
PROXY, REAL = "172.18.0.2", "203.0.113.5"


@pytest.mark.parametrize("count, forwarded, expected", [
    (0, "6.6.6.6", PROXY),                       # no proxy: the header is the client's own words
    (1, "6.6.6.6, 203.0.113.5", REAL),           # the proxy appended what it saw
    (1, "203.0.113.5", REAL),
    (2, "6.6.6.6, 203.0.113.5, 10.0.0.4", REAL),  # two proxies: second from the right
    (2, "203.0.113.5", PROXY),                   # fewer entries than proxies: came round them
    (1, "6.6.6.6, pas-une-adresse", PROXY),      # garbage: the connection's own address
    (1, "", PROXY),
    (1, "6.6.6.6, 2001:DB8::1", "2001:db8::1"),  # normalised, as the database stores it
])
def test_client_ip_counts_trusted_proxies_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_audit_trail_records_the_address_the_proxy_saw_not_the_spoofed_one(settings, bamako):
    settings.TRUSTED_PROXY_COUNT = 1
    factories.staff(Role.CLERK, bamako, username="agent.proxy")
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"6.6.6.6, {REAL}")
    client.post("/comptes/connexion/", {"username": "agent.proxy", "password": PASSWORD})
    client.post("/api/v1/auth/token/", {"username": "agent.proxy", "password": PASSWORD})
    entries = AuditEntry.objects.filter(actor_name="agent.proxy", action=AuditAction.LOGIN)
    assert entries.count() == 2
    assert set(entries.values_list("ip_address", flat=True)) == {REAL}


def test_a_spoofed_header_does_not_escape_the_address_lockout(settings, bamako):
    settings.TRUSTED_PROXY_COUNT = 1
    factories.staff(Role.CLERK, bamako, username="cible.proxy")
    for i in range(25):  # a new invented left-most address on every try
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"10.9.{i}.1, {REAL}").post(
            "/comptes/connexion/", {"username": f"agent{i}", "password": "x"})
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {REAL}")
    assert attacker.post("/comptes/connexion/", {"username": "cible.proxy", "password": PASSWORD}).status_code == 429
    # Someone else behind the same proxy is not locked.
    neighbour = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert neighbour.post("/comptes/connexion/", {"username": "cible.proxy", "password": PASSWORD}).status_code == 302


def test_without_a_trusted_proxy_the_header_is_ignored(settings, bamako):
    settings.TRUSTED_PROXY_COUNT = 0
    factories.staff(Role.CLERK, bamako, username="agent.direct")
    Client(REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="6.6.6.6").post(
        "/comptes/connexion/", {"username": "agent.direct", "password": PASSWORD})
    assert AuditEntry.objects.get(actor_name="agent.direct", action=AuditAction.LOGIN).ip_address == "192.0.2.10"
