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
