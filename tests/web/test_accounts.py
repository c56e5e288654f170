"""Sign-up, sign-in, throttling, sign-out and password reset through the pages."""
from __future__ import annotations

import re

import pytest

from config import ProductionConfig
from lms.accounts.models import User
from lms.extensions import db
from tests import factories
from tests.factories import PASSWORD


def _signup(client, **overrides):
    data = {"name": "Budi Santoso", "email": "budi@example.com", "password": "rahasia-123",
            "confirm": "rahasia-123"}
    data.update(overrides)
    return client.post("/signup", data=data)


def test_learner_signs_up_and_lands_signed_in_on_the_dashboard(client):
    response = _signup(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    user = db.session.query(User).filter_by(email="budi@example.com").one()
    assert user.role == "learner"
    assert user.password_hash != "rahasia-123"
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize("overrides, message", [
    ({"email": "not-an-email"}, "This is not a valid e-mail address."),
    ({"email": "a" * 250 + "@example.com"}, "An e-mail address has at most 254 characters."),
    ({"password": "short", "confirm": "short"}, "A password has between 8 and 200 characters."),
    ({"confirm": "something-else"}, "The two passwords differ."),
    ({"name": ""}, "Enter your name."),
])
def test_signup_shows_what_is_wrong_and_keeps_what_was_typed(client, overrides, message):
    response = _signup(client, **overrides)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert db.session.query(User).count() == 0
    if "name" not in overrides:
        assert 'value="Budi Santoso"' in page


def test_signup_with_a_taken_email_is_refused(client):
    factories.learner(email="budi@example.com")
    response = _signup(client, email="BUDI@example.com")
    assert response.status_code == 422
    assert "An account with this e-mail already exists." in response.get_data(as_text=True)


def test_sign_in_with_the_right_password_opens_the_dashboard(client, auth):
    user = factories.learner()
    response = auth.login(user.email)
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_wrong_password_says_so_without_telling_whether_the_account_exists(client, auth):
    user = factories.learner()
    wrong = auth.login(user.email, "wrong-password")
    unknown = auth.login("nobody@example.com", "wrong-password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Wrong e-mail or password." in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_five_wrong_passwords_lock_sign_in_for_that_address(client, auth):
    user = factories.learner()
    for _ in range(5):
        assert auth.login(user.email, "wrong-password").status_code == 401
    locked = auth.login(user.email, PASSWORD)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.get_data(as_text=True)
    # Another address from the same machine is not locked out by someone else's failures.
    other = factories.learner()
    assert auth.login(other.email).status_code == 302


def test_deactivated_account_cannot_sign_in(auth):
    user = factories.learner(active=False)
    assert auth.login(user.email).status_code == 401


def test_sign_out_ends_the_session(client, auth):
    auth.login(factories.learner().email)
    assert auth.logout().status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client):
    user = factories.learner()
    back = client.post("/login?next=/dashboard", data={"email": user.email, "password": PASSWORD})
    assert back.headers["Location"] == "/dashboard"
    client.post("/logout")
    evil = client.post("/login?next=//evil.example/x", data={"email": user.email,
                                                             "password": PASSWORD})
    assert "evil.example" not in evil.headers["Location"]


def _reset_link(app) -> str:
    body = app.extensions["alur.outbox"][-1].get_content()
    return re.search(r"http://localhost(/password/reset/\S+)", body).group(1)


def test_password_reset_by_mailed_link_works_once(app, client, auth):
    user = factories.learner()
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 302
    link = _reset_link(app)
    done = client.post(link, data={"password": "brand-new-pass", "confirm": "brand-new-pass"})
    assert done.status_code == 302
    assert auth.login(user.email, "brand-new-pass").status_code == 302
    client.post("/logout")
    again = client.post(link, data={"password": "another-pass-1", "confirm": "another-pass-1"})
    assert again.status_code == 422
    assert "already been used" in again.get_data(as_text=True)


def test_password_reset_for_unknown_address_looks_the_same_and_sends_nothing(app, client):
    response = client.post("/password/forgot", data={"email": "ghost@example.com"})
    assert response.status_code == 302
    assert not app.extensions.get("alur.outbox")


def test_expired_or_forged_reset_links_are_refused(app, client):
    user = factories.learner()
    client.post("/password/forgot", data={"email": user.email})
    link = _reset_link(app)
    forged = client.post(link[:-3] + "abc", data={"password": "brand-new-pass",
                                                  "confirm": "brand-new-pass"})
    assert "not valid" in forged.get_data(as_text=True)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    expired = client.post(link, data={"password": "brand-new-pass", "confirm": "brand-new-pass"})
    assert "expired" in expired.get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    user = factories.learner()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig.validate()
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    ProductionConfig.validate()
    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.SESSION_COOKIE_HTTPONLY


def test_the_language_chosen_while_signed_in_follows_the_account(app, client, auth):
    learner = factories.learner()
    auth.login(learner.email)
    assert client.post("/lang/en").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, learner.id).locale == "en"


def test_a_language_link_sets_this_browser_only_and_writes_nothing(app, client, auth):
    learner = factories.learner()
    auth.login(learner.email)
    before = learner.locale
    client.get("/lang/en" if before != "en" else "/lang/id")
    db.session.expire_all()
    assert db.session.get(User, learner.id).locale == before


def test_pages_follow_the_chosen_language(client):
    client.get("/lang/en")
    assert 'lang="en"' in client.get("/login").get_data(as_text=True)
    client.get("/lang/id")
    assert 'lang="id"' in client.get("/login").get_data(as_text=True)


def test_pages_speak_bahasa_indonesia_by_default_and_english_on_request(client):
    indonesian = client.get("/login", headers={"Accept-Language": "id-ID,id;q=0.9"})
    assert "Masuk" in indonesian.get_data(as_text=True)
    english = client.get("/login", headers={"Accept-Language": "en-US"})
    assert "Sign in" in english.get_data(as_text=True)


def test_form_errors_are_shown_in_the_users_language(client):
    response = client.post("/signup?lang=id", data={"name": "", "email": "x", "password": "a",
                                                    "confirm": "b"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter your name." not in page
    assert 'lang="id"' in page
