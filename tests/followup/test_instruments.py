"""The instrument is data and versioned: a published version never changes; edits make a new version."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEntry
from followup import services
from followup.models import Instrument, InstrumentVersion, Item, VersionStatus


def test_starter_instrument_is_published_with_the_six_need_domains(version):
    assert version.status == VersionStatus.PUBLISHED and version.number == 1
    assert list(version.domains.values_list("code", flat=True)) == [
        "education", "literacy", "health", "family", "work", "legal_aid"]
    assert Item.objects.filter(domain__version=version).count() >= 6
    assert set(version.assessor_roles) == {"social", "director", "medical"}


def test_a_published_version_cannot_be_edited(version, dnapes):
    item = Item.objects.filter(domain__version=version).first()
    with pytest.raises(ValidationError, match="publiée ne change plus"):
        services.update_item(item, actor=dnapes, reason="Reformulation", text="Autre question")
    with pytest.raises(ValidationError, match="publiée ne change plus"):
        services.add_domain(version, code="housing", name="Logement", actor=dnapes)
    with pytest.raises(ValidationError, match="publiée ne change plus"):
        services.remove_item(item, actor=dnapes, reason="x")
    item.refresh_from_db()
    assert item.text != "Autre question"


def test_an_edit_makes_a_new_version_and_publishing_retires_the_old(version, dnapes):
    draft = services.draft_new_version(version.instrument, actor=dnapes, change_note="Ajout du logement")
    assert draft.number == 2 and draft.status == VersionStatus.DRAFT
    assert draft.domains.count() == version.domains.count()
    assert Item.objects.filter(domain__version=draft).count() == Item.objects.filter(domain__version=version).count()
    domain = services.add_domain(draft, code="housing", name="Logement à la sortie", actor=dnapes)
    scale = draft.scales.get(code="need")
    services.add_item(domain, code="place", text="Besoin d'un lieu où vivre à la sortie", scale=scale, actor=dnapes)
    first = Item.objects.filter(domain__version=draft).first()
    services.update_item(first, actor=dnapes, reason="Plus clair", text="Souhaite reprendre l'école ?")
    with pytest.raises(ValidationError, match="brouillon existe déjà"):
        services.draft_new_version(version.instrument, actor=dnapes)
    services.publish_version(draft, actor=dnapes)
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED
    assert Instrument.objects.get(code="besoins").published() == draft
    # The old version's items are untouched.
    assert not Item.objects.filter(domain__version=version, text="Souhaite reprendre l'école ?").exists()
    assert AuditEntry.objects.filter(target_repr__contains="v2").exists()


def test_only_dnapes_edits_the_instrument(version, social, director):
    for actor in (social, director):
        with pytest.raises(PermissionDenied):
            services.draft_new_version(version.instrument, actor=actor)
    assert InstrumentVersion.objects.count() == 1


def test_a_scale_needs_two_distinct_answers(version, dnapes):
    draft = services.draft_new_version(version.instrument, actor=dnapes)
    with pytest.raises(ValidationError, match="au moins deux réponses"):
        services.add_scale(draft, code="bad", name="Mauvaise", options=[{"value": "a", "label": "A"}], actor=dnapes)
    with pytest.raises(ValidationError, match="au moins deux réponses"):
        services.add_scale(draft, code="dup", name="Doublon", actor=dnapes,
                           options=[{"value": "a", "label": "A"}, {"value": "a", "label": "B"}])


def test_an_empty_draft_is_not_published(dnapes):
    instrument = Instrument.objects.create(code="vide", name="Vide")
    draft = services.draft_new_version(instrument, actor=dnapes)
    with pytest.raises(ValidationError, match="sans élément"):
        services.publish_version(draft, actor=dnapes)
