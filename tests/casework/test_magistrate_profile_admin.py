"""The system administrator links a magistrate's account to their court and cabinet through the
admin (the door where accounts are managed), through the service: audited; a prison account
cannot be given a cabinet; no other role opens the page."""

import pytest

from accounts.models import AuditEntry
from accounts.roles import Role
from casework.models import MagistrateProfile
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/admin/casework/magistrateprofile/"


def test_the_administrator_links_a_judge_to_their_cabinet(client, bamako):
    admin_user = factories.staff(Role.ADMIN, username="admin.sys", is_staff=True)
    judge = factories.staff(Role.MAGISTRATE, username="juge.c3")
    clerk = factories.staff(Role.CLERK, bamako, username="greffe.x")
    court = factories.court()
    client.force_login(admin_user)
    offered = client.get(URL + "add/").context["adminform"].form.fields["user"].queryset
    assert judge in offered and clerk not in offered  # only magistrates are offered
    response = client.post(URL + "add/", {"user": judge.pk, "function": "judge", "court": court.pk,
                                          "cabinet": " 3e cabinet "})
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = MagistrateProfile.objects.get(user=judge)
    assert profile.cabinet == "3e cabinet" and profile.court == court
    assert AuditEntry.objects.filter(target_id=str(profile.pk), actor=admin_user).exists()
    refused = client.post(URL + "add/", {"user": clerk.pk, "function": "judge", "court": court.pk, "cabinet": "x"})
    assert refused.status_code == 200 and not MagistrateProfile.objects.filter(user=clerk).exists()
    response = client.post(URL + f"{profile.pk}/change/", {"function": "judge", "court": court.pk,
                                                          "cabinet": "4e cabinet"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.cabinet == "4e cabinet"
    assert client.post(URL + f"{profile.pk}/delete/", {"post": "yes"}).status_code == 403


def test_no_other_role_opens_it(client, bamako):
    for role in (Role.DIRECTOR, Role.DNAPES, Role.MAGISTRATE):
        user = factories.staff(role, *([] if role in (Role.DNAPES, Role.MAGISTRATE) else [bamako]),
                               username=f"x.{role}", is_staff=True)
        client.force_login(user)
        assert client.get(URL + "add/").status_code in (302, 403), role
