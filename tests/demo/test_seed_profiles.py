import pytest
from django.core.management import call_command

from inmates.models import Custody, SocialProfile

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_every_terrorism_related_detainee_a_profile_and_is_deterministic(settings):
    settings.DEBUG = True  # the demo is for development (seed_demo refuses production settings)
    call_command("seed_demo", inmates=400, seed=11, no_alerts=True, stdout=open("/dev/null", "w"))
    related = Custody.objects.current().filter(terrorism_related=True)
    assert related.count() > 0
    assert SocialProfile.objects.count() == related.count()
    first = list(SocialProfile.objects.order_by("inmate_id").values_list("ethnic_group", "affiliations")[:20])
    call_command("seed_demo", inmates=400, seed=11, no_alerts=True, reset=True, stdout=open("/dev/null", "w"))
    again = list(SocialProfile.objects.order_by("inmate_id").values_list("ethnic_group", "affiliations")[:20])
    assert first == again
    assert all(p.religion == "islam" for p in SocialProfile.objects.all()[:5])
