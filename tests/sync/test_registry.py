"""Every record that travels has a global id; the registry knows every model of the travelling apps."""

from django.apps import apps

from sync import registry


def test_every_travelling_model_has_a_unique_global_id():
    missing = [registry.label(m) for m in registry.travelling_models()
               if not any(f.name == "uid" and f.unique for f in m._meta.fields)]
    assert missing == [], "add `uid = global_id()` (core.ids) or list the model in sync/registry.py LOCAL"


def test_each_travelling_record_reaches_its_person_or_its_facility():
    orphans = [registry.label(m) for m in registry.travelling_models()
               if registry.person_path(m) is None and registry.facility_path(m) is None]
    # A visitor belongs to no person and no prison: written where met, sent with the visits.
    assert orphans == ["detention.visitor"]


def test_reference_data_has_its_natural_key_unique():
    for name, fields in registry.REFERENCE.items():
        model = apps.get_model(name)
        unique_sets = {tuple(c.fields) for c in model._meta.constraints if hasattr(c, "fields")}
        unique_sets |= {(f.name,) for f in model._meta.fields if f.unique}
        unique_sets |= {tuple(u) for u in model._meta.unique_together}
        assert tuple(fields) in unique_sets, name
