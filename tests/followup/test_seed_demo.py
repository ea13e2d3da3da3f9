"""The demo's follow-up data (make demo): made through the services, once, never in production."""

import io

import pytest
from django.core.management import CommandError, call_command

from followup.models import Assessment
from tests import factories

pytestmark = pytest.mark.django_db


def test_refused_with_production_settings(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_followup_demo", stdout=io.StringIO())
    assert not Assessment.objects.exists()


def test_assesses_people_once_as_their_prisons_social_worker(settings, bamako, clerk, social, cell):
    settings.DEBUG = True
    for i in range(6):
        factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"KONE{i}")
    call_command("seed_followup_demo", "--share", "1", stdout=io.StringIO())
    made = Assessment.objects.count()
    assert made == 6
    assert set(Assessment.objects.values_list("assessed_by", flat=True)) == {social.pk}
    call_command("seed_followup_demo", "--if-empty", stdout=io.StringIO())  # make demo, run again
    assert Assessment.objects.count() == made
