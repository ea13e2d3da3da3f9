"""One writer per record, at the doors of the server walked (site_mode.py), on the walk's data set:

- a single all-in-one site: Bamako's clerk corrects A's file (the control: the door writes);
- Bamako's prison server: its clerk corrects A's file, and the change waits in the outbox; Koulikoro's
  clerk, who reads C's file there (C was transferred to Koulikoro), cannot correct it at Bamako's
  server: a 403, nothing written, nothing queued;
- the national server: nobody corrects a person's file there, not even the staff of the prison that
  holds the person (a correction is asked of that prison): a 403, nothing written.

The walks of every role (test_every_role.py) and of the other prison (test_other_prison.py) run
in the same mode, so that each GET of every route is answered as that server answers it."""

import pytest

from inmates.models import Inmate
from sync.models import OutboxAction

from . import site_mode

pytestmark = pytest.mark.django_db


def _correct(data, role, person_key):
    """A correction of the person's place of birth through the API (PATCH, with the version read)."""
    person = data.people[person_key]
    client = data.staff[role].client
    before = Inmate.objects.get(pk=person.inmate)
    response = client.patch(f"/api/v1/inmates/{person.inmate}/",
                            data={"place_of_birth": "Ségou (corrigé)", "reason": "Acte de naissance produit",
                                  "version": before.version},
                            content_type="application/json", HTTP_ACCEPT="application/json")
    return response, before, Inmate.objects.get(pk=person.inmate)


def _queued(person_key, data):
    uid = Inmate.objects.get(pk=data.people[person_key].inmate).uid
    return OutboxAction.objects.filter(model="inmates.inmate", uid=uid).count()


def test_the_owner_writes_its_own_file(walk):
    data, _ = walk
    if site_mode.mode() == "national":
        pytest.skip("the national server writes no person's file (see the refusal test below)")
    queued = _queued("A", data)
    response, before, after = _correct(data, "clerk", "A")
    assert response.status_code == 200, response.content[:300]
    assert after.place_of_birth == "Ségou (corrigé)" and after.version == before.version + 1
    # At a prison the change waits in the outbox, with the write and its audit entry; a single site has none.
    assert _queued("A", data) - queued == (1 if site_mode.mode() == "prison" else 0)


def test_a_prison_server_refuses_a_write_on_a_file_another_prison_holds(walk):
    data, _ = walk
    if site_mode.mode() != "prison":
        pytest.skip("only a prison's server has files another prison holds")
    queued = _queued("C", data)
    response, before, after = _correct(data, "clerk_klk", "C")
    assert response.status_code == 403, response.content[:300]
    assert "n'est pas tenu par cet établissement" in response.json()["detail"]
    assert (after.place_of_birth, after.version) == (before.place_of_birth, before.version)
    assert _queued("C", data) == queued


@pytest.mark.parametrize("role", ["clerk", "clerk_klk"])
def test_the_national_server_refuses_a_write_on_a_file_a_prison_holds(walk, role):
    data, _ = walk
    if site_mode.mode() != "national":
        pytest.skip("the national server's refusal")
    person = {"clerk": "A", "clerk_klk": "C"}[role]  # each clerk's own prison holds the person
    response, before, after = _correct(data, role, person)
    assert response.status_code == 403, response.content[:300]
    assert "une correction lui est demandée" in response.json()["detail"]
    assert (after.place_of_birth, after.version) == (before.place_of_birth, before.version)
    assert not OutboxAction.objects.exists()
