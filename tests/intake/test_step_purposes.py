"""The forms that collect medical and social data say what the data is for (accounts.purposes)."""

import pytest

from intake import services
from intake.models import Step
from tests.intake.conftest import step_data

pytestmark = pytest.mark.django_db

ORDER = [Step.SECURITY, Step.ADMINISTRATION, Step.REGISTRY, Step.MEDICAL, Step.INTERVIEW]


@pytest.mark.parametrize(("step", "slug", "text"), [
    (Step.MEDICAL, "medical", "jamais pour la discipline"),
    (Step.INTERVIEW, "interview", "Règles 65 et 66"),
])
def test_the_step_page_states_the_purpose(client, arrival, staff_by_step, cell, step, slug, text):
    intake = arrival
    for earlier in ORDER[:ORDER.index(step)]:
        intake = services.complete_step(intake, earlier, data=step_data(earlier, cell), actor=staff_by_step[earlier])
    client.force_login(staff_by_step[step])
    response = client.get(f"/ecrou/{intake.pk}/etape/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="finalite"' in html and text in html


def test_the_administration_step_asks_whether_the_person_lives_in_mali(client, arrival, staff_by_step, cell):
    """The short délit row (art. 125) applies only to a person domiciled in Mali: the intake asks."""
    intake = services.complete_step(arrival, Step.SECURITY, data=step_data(Step.SECURITY, cell),
                                    actor=staff_by_step[Step.SECURITY])
    client.force_login(staff_by_step[Step.ADMINISTRATION])
    page = client.get(f"/ecrou/{intake.pk}/etape/administration/").content.decode()
    assert 'name="domiciled_in_mali"' in page
    data = {**step_data(Step.ADMINISTRATION, cell), "domiciled_in_mali": False}
    intake = services.complete_step(intake, Step.ADMINISTRATION, data=data, actor=staff_by_step[Step.ADMINISTRATION])
    intake.inmate.refresh_from_db()
    assert intake.inmate.domiciled_in_mali is False
