import pytest
from django.contrib.auth.models import Group, Permission

from accounts.chain import entry_digest, seal_audit_chain
from accounts.models import AuditAction, AuditEntry
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.services import record_audit
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_with_exactly_its_permissions():
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == set(names), role


def test_every_permission_named_in_the_roles_table_exists():
    existing = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}
    for names in ROLE_PERMISSIONS.values():
        assert set(names) <= existing


def test_national_roles_see_all_facilities_and_prison_staff_only_theirs(bamako):
    assert factories.staff(Role.DNAPES).sees_all_facilities
    assert factories.staff(Role.ADMIN).sees_all_facilities
    clerk = factories.staff(Role.CLERK, bamako)
    assert not clerk.sees_all_facilities
    assert clerk.visible_facility_ids() == {bamako.pk}


def test_the_dnapes_manager_cannot_change_records():
    manager = factories.staff(Role.DNAPES)
    assert manager.has_perm("inmates.view_inmate")
    assert not manager.has_perm("inmates.change_inmate")
    assert not manager.has_perm("casework.add_case")


def test_a_successful_and_a_failed_login_are_audited(client, bamako):
    clerk = factories.staff(Role.CLERK, bamako, username="awa")
    client.post("/comptes/connexion/", {"username": "awa", "password": "wrong"})
    client.post("/comptes/connexion/", {"username": "awa", "password": "motdepasse-solide-2026"})
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor_name"))
    assert (AuditAction.LOGIN_FAILED, "awa") in actions
    assert (AuditAction.LOGIN, "awa") in actions
    assert AuditEntry.objects.get(action=AuditAction.LOGIN).actor == clerk


def test_audit_entries_carry_a_keyed_digest_and_are_chained_by_their_seals():
    first = record_audit(AuditAction.OTHER, reason="un")
    second = record_audit(AuditAction.OTHER, reason="deux")
    assert entry_digest(second) == second.hash
    seal_audit_chain()
    assert second.seal.prev_hash == first.seal.chain_hash
    second.reason = "modifié"
    assert entry_digest(second) != second.hash


def test_pages_require_login(client):
    response = client.get("/detenus/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")


def test_the_login_page_is_in_french(client):
    response = client.get("/comptes/connexion/")
    assert response.status_code == 200
    assert "Se connecter" in response.content.decode()
