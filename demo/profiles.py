"""Social profiles for the terrorism-related detainees of the demo (the profile report's data)."""

import random

from inmates.models import Custody, SocialProfile

# Demo distributions for the profiles of terrorism-related detainees, loosely after the
# 2020 field study of 30 VEOs in Malian prisons (DESIGN.md §5). Demo data, not statistics.
_PROFILE_CHOICES = {
    "ethnic_group": [("peul", 30), ("touareg", 25), ("songhai", 15), ("arabe", 12),
                     ("bambara", 8), ("dogon", 5), ("bozo", 3), ("soninke", 2)],
    "education": [("koranic", 45), ("none", 20), ("primary", 20), ("secondary", 10), ("higher", 5)],
    "marital_status": [("married", 55), ("polygamous", 10), ("single", 30), ("divorced", 3), ("widowed", 2)],
    "occupation": [("herder", 35), ("farmer", 20), ("trader", 15), ("driver", 8), ("koranic_teacher", 7),
                   ("student", 5), ("unemployed", 10)],
    "involvement": [("voluntary", 40), ("forced", 15), ("denies", 35), ("unclear", 10)],
    "organisational_role": [("fighter", 35), ("logistics", 15), ("informant", 10),
                            ("recruiter", 5), ("leader", 5), ("none_known", 30)],
}
_AFFILIATIONS = [("mnla", 25), ("ansar_dine", 20), ("jnim", 20), ("aqim", 10), ("islamic_state", 10),
                 ("mujao", 5), ("unknown", 10)]
_REASONS = [("economic", 35), ("identity", 30), ("state_failure", 25), ("ideology", 25), ("justice", 20),
            ("survival", 20), ("ethnic_tension", 20), ("representation", 15), ("foreign_military", 10),
            ("libya", 8), ("algeria", 5)]


def _pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights=weights)[0]


def seed_social_profiles(seed: int) -> int:
    """Structured profiles (as the intake interview records them) for the terrorism-related
    detainees who have none, so that the aggregate profile report has data. Bulk insert."""
    rng = random.Random(seed + 7)
    inmate_ids = list(
        Custody.objects.current().filter(terrorism_related=True, inmate__social_profile__isnull=True)
        .order_by("inmate_id").values_list("inmate_id", flat=True)
    )
    rows = []
    for inmate_id in inmate_ids:
        fields = {name: _pick(rng, choices) for name, choices in _PROFILE_CHOICES.items()}
        affiliations = [_pick(rng, _AFFILIATIONS)]
        if rng.random() < 0.1:
            affiliations.append(_pick(rng, _AFFILIATIONS))
        reasons = {_pick(rng, _REASONS) for _ in range(rng.choice((1, 1, 2, 2, 3)))}
        rows.append(SocialProfile(
            inmate_id=inmate_id, religion="islam", children_count=rng.choice((0, 0, 1, 2, 3, 4, 5, 6)),
            affiliations=sorted(set(affiliations)), engagement_reasons=sorted(reasons), **fields,
        ))
    SocialProfile.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
