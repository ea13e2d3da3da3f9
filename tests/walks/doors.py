"""A member of staff at the two doors (the pages' forms and the API), through Django's test
client, signed in through the login page (and the second-factor page when the account needs
one), as they would be in production."""

import base64
import re

from django.test import Client, TestCase
from django_otp.oath import totp

from tests.factories import PASSWORD


class DoorError(AssertionError):
    """A step of the workflow was refused: the page's form errors say why."""


def _form_errors(response):
    """Every form error of the page's context (forms and formsets), to explain a refusal."""
    errors = []
    for context in response.context or []:
        for name, value in context.flatten().items():
            found = getattr(value, "errors", None)
            if found and not callable(found):
                errors.append(f"{name}: {found!r}")
            non_form = getattr(value, "non_form_errors", None)
            if callable(non_form) and non_form():
                errors.append(f"{name} (formset): {non_form()!r}")
    return sorted(set(errors))


def run_on_commit():
    """Each request commits in production: run the on-commit work (deadline re-evaluation,
    allegation notices) at the end of each request, although the data set is built inside one
    outer transaction."""
    return TestCase.captureOnCommitCallbacks(execute=True)


class Staff:
    """One signed-in member of staff."""

    def __init__(self, user, label):
        self.user = user
        self.label = label
        self.client = Client()

    def sign_in(self):
        response = self.client.post("/comptes/connexion/", {"username": self.user.username, "password": PASSWORD})
        if response.status_code != 302:
            raise DoorError(f"{self.label}: sign-in refused ({response.status_code})")
        location = self.client.get("/")
        if location.status_code == 302 and "/comptes/" in location["Location"]:
            self._pair_authenticator()
        assert self.client.get("/").status_code == 200, f"{self.label}: home page after sign-in"
        return self

    def _pair_authenticator(self):
        """The account needs a second factor: pair an authenticator from the key the setup page
        shows, as a phone application would, and confirm with its first code."""
        page = self.client.get("/comptes/double-authentification/")
        secret = re.search(r"<code>([A-Z2-7]+)</code>", page.content.decode()).group(1)
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        response = self.client.post("/comptes/double-authentification/",
                                    {"token": f"{totp(key):06d}", "next": "/"})
        if response.status_code != 302:
            raise DoorError(f"{self.label}: second factor refused: {_form_errors(response)}")

    # --- pages -----------------------------------------------------------------------------

    def get(self, url, *, expect=200, **extra):
        response = self.client.get(url, **extra)
        if response.status_code != expect:
            raise DoorError(f"{self.label} GET {url}: {response.status_code}, expected {expect}")
        return response

    def post(self, url, data=None, *, expect=302, **extra):
        """Submit a page's form; a refusal raises with the form's messages."""
        with run_on_commit():
            response = self.client.post(url, data or {}, **extra)
        if response.status_code != expect:
            detail = _form_errors(response) if response.context else response.content[:500]
            raise DoorError(f"{self.label} POST {url}: {response.status_code}, expected {expect}: {detail}")
        return response

    def submit(self, url, data=None):
        """Submit a form and return where the page sends us next."""
        return self.post(url, data)["Location"]

    # --- API -------------------------------------------------------------------------------

    def api_get(self, url, *, expect=200):
        response = self.client.get(url, HTTP_ACCEPT="application/json")
        if response.status_code != expect:
            raise DoorError(f"{self.label} GET {url}: {response.status_code}: {response.content[:500]}")
        return response.json()

    def api_post(self, url, data, *, expect=(200, 201)):
        with run_on_commit():
            response = self.client.post(url, data, content_type="application/json", HTTP_ACCEPT="application/json")
        if response.status_code not in expect:
            raise DoorError(f"{self.label} POST {url}: {response.status_code}: {response.content[:800]}")
        return response.json()


def id_in(location: str, after: str) -> int:
    """The id that follows `after` in a redirect's URL (…/ecrou/12/ → 12)."""
    match = re.search(re.escape(after) + r"(\d+)", location)
    if not match:
        raise DoorError(f"no id after {after!r} in {location!r}")
    return int(match.group(1))
