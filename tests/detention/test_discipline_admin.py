"""The discipline limits and the prisons' sanctions lists are data the system administrator edits
(issue 14: "a table administrators edit, audited, marked to be confirmed"), in the admin, through
the services: a reason for every change, Rule 43's prohibited sanctions and an isolation beyond the
limit refused, nothing deleted, no other role."""

import pytest

from accounts.models import AuditEntry
from accounts.roles import Role
from detention.models import DisciplineLimit, Sanction
from detention.models.discipline import DisciplineLimitKey
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(db):
    return factories.staff(Role.ADMIN, username="admin.sys", is_staff=True)


def test_the_administrator_corrects_a_limit_with_a_reason(client, sysadmin):
    limit, _ = DisciplineLimit.objects.get_or_create(key=DisciplineLimitKey.PREPARATION_HOURS,
                                                     defaults={"value": 24})
    client.force_login(sysadmin)
    url = f"/admin/detention/disciplinelimit/{limit.pk}/change/"
    refused = client.post(url, {"value": 48, "source": "", "awaiting_confirmation": "on", "reason": ""})
    assert refused.status_code == 200 and "motif" in refused.content.decode()
    limit.refresh_from_db()
    assert limit.value == 24
    response = client.post(url, {"value": 48, "source": "Avis de la direction des affaires judiciaires",
                                 "awaiting_confirmation": "on", "reason": "Délai porté à 48 h"})
    assert response.status_code == 302
    limit.refresh_from_db()
    assert limit.value == 48 and limit.awaiting_confirmation
    assert AuditEntry.objects.filter(target_id=str(limit.pk), actor=sysadmin, reason="Délai porté à 48 h").exists()
    assert client.post(f"/admin/detention/disciplinelimit/{limit.pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_sanctions_list_refuses_what_the_rules_prohibit(client, sysadmin, bamako):
    client.force_login(sysadmin)
    url = "/admin/detention/sanction/add/"
    refused = client.post(url, {"facility": bamako.pk, "name": "Privation de nourriture", "kind": "privilege",
                                "max_days": 3, "is_active": "on"})
    assert refused.status_code == 200 and "Règle 43" in refused.content.decode()
    refused = client.post(url, {"facility": bamako.pk, "name": "Quartier disciplinaire", "kind": "isolation",
                                "max_days": 30, "is_active": "on"})
    assert refused.status_code == 200 and "Règle 44" in refused.content.decode()
    response = client.post(url, {"facility": bamako.pk, "name": "Retrait du droit au sport", "kind": "activity",
                                 "max_days": 10, "is_active": "on"})
    assert response.status_code == 302
    sanction = Sanction.objects.get(facility=bamako, name="Retrait du droit au sport")
    assert AuditEntry.objects.filter(target_id=str(sanction.pk), actor=sysadmin, action="create").exists()
    response = client.post(f"/admin/detention/sanction/{sanction.pk}/change/", {
        "name": "Retrait du droit au sport", "kind": "activity", "max_days": 10, "reason": "Retirée du règlement"})
    assert response.status_code == 302
    sanction.refresh_from_db()
    assert not sanction.is_active


def test_no_other_role_edits_them(client, bamako):
    for role in (Role.DIRECTOR, Role.SECURITY, Role.DNAPES):
        user = factories.staff(role, *([] if role == Role.DNAPES else [bamako]), username=f"x.{role}",
                               is_staff=True)
        client.force_login(user)
        assert client.post("/admin/detention/sanction/add/", {"facility": bamako.pk, "name": "x",
                                                              "kind": "warning"}).status_code in (302, 403)
    assert not Sanction.objects.filter(name="x").exists()
