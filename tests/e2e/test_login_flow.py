"""A person signs in through the real login form in Chromium."""

from __future__ import annotations

from tests.conftest import DEFAULT_PASSWORD


def test_manager_signs_in_and_sees_the_home_page(live_server, page, make_user):
    make_user("marc", roles=["manager"], teams=["Digital"], display_name="Marc Durand")
    page.goto(f"{live_server}/")
    assert page.url.endswith("/login?next=%2F") or "/login" in page.url
    page.get_by_label("Username").fill("marc")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Marc Durand"
    assert page.get_by_text("Digital").first.is_visible()


def test_wrong_password_shows_the_error_and_the_switch_turns_the_page_french(
    live_server, page, make_user
):
    make_user("marc")
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("marc")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert "Unknown username or wrong password." in page.get_by_role("alert").inner_text()
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Se connecter"
