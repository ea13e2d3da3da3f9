"""French first, English second: both catalogues are complete and compiled."""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 300
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_english_is_served_when_chosen(client, db):
    with translation.override("en"):
        assert translation.gettext("Détenus") == "Detainees"
    client.post("/i18n/setlang/", {"language": "en", "next": "/comptes/connexion/"})
    response = client.get("/comptes/connexion/")
    assert "Log in" in response.content.decode()


def test_an_english_browser_still_gets_french_until_english_is_chosen(client, db):
    response = client.get("/comptes/connexion/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Se connecter" in response.content.decode()


def test_french_is_the_default(client, db):
    response = client.get("/comptes/connexion/")
    assert 'lang="fr"' in response.content.decode()
    assert "Se connecter" in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_translation_keeps_the_placeholders_of_its_source(language):
    """A translation with other placeholders than its French source (a fuzzy match accepted
    as it was) breaks the message at run time; msgfmt's check refuses the catalogue."""
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    placeholder = re.compile(r"%\((\w+)\)[sdif]|(?<!%)%[sdif]")
    wrong = []
    for entry in catalogue.translated_entries():
        source = set(placeholder.findall(entry.msgid))
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if entry.msgid_plural:
            source |= set(placeholder.findall(entry.msgid_plural))
        for target in targets:
            if set(placeholder.findall(target)) - source or (not entry.msgid_plural and
                                                               source - set(placeholder.findall(target))):
                wrong.append((entry.msgid, target))
    assert wrong == []
