"""Signing a browser in: through the login page, or by taking over a member's session."""

from playwright.sync_api import expect

from tests.factories import PASSWORD


def use_session(page, live_server, member):
    """The browser takes over the member's signed-in session (made through the login page)."""
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": member.client.cookies["sessionid"].value, "url": live_server.url}]
    )




def sign_in(page, live_server, username, password=PASSWORD):
    """Sign in through the login page, as a person would."""
    page.context.clear_cookies()
    page.goto(live_server.url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()
