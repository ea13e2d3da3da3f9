"""Issue 11: the identity photo taken at the administration step is shown on the person's file,
through intake's audited file door, to the roles that may open the intake, in their prison."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.roles import Role
from intake.models import Step
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_file_shows_the_intake_photo_and_opening_it_is_audited(client, arrival, run_steps, clerk, koulikoro):
    intake = run_steps(arrival, Step.ADMINISTRATION)
    file_url = reverse("inmates:inmate_detail", args=[intake.inmate_id])
    photo_url = reverse("intake:intake_file", args=[intake.pk, "photo"])
    client.force_login(clerk)
    page = client.get(file_url).content.decode()
    assert f'src="{photo_url}"' in page and "Photo d'identité de " in page
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(actor=clerk, inmate_id=intake.inmate_id,
                                     changes__file=[None, "photo"]).exists()
    # Another prison's clerk neither sees the photo nor opens it by its address.
    client.force_login(factories.staff(Role.CLERK, koulikoro, username="greffe.kkoro"))
    assert client.get(photo_url).status_code == 404


def test_no_photo_before_the_administration_step(client, arrival, run_steps, clerk):
    intake = run_steps(arrival, Step.SECURITY)
    client.force_login(clerk)
    page = client.get(reverse("inmates:inmate_detail", args=[intake.inmate_id])).content.decode()
    assert 'class="file-photo"' not in page
