"""Accounts: registration, authentication, API tokens, password reset, staff creation.

Services take the acting user first (None means the operator at the command line), check
the rules themselves and flush; the request or command commits once.
"""
from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from lms import permissions
from lms.accounts.models import ApiToken, Provider, Role, User, lower_email
from lms.admin import audit
from lms.clock import utcnow
from lms.errors import Conflict, Invalid, NotFound, Unauthorized
from lms.extensions import db

MIN_PASSWORD_LENGTH = 8
# A constant hash to compare against when the e-mail is unknown, so timing does not reveal
# which addresses have accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="pbkdf2:sha256:1000")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
                      code="weak_password")


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == lower_email(email)))


def register_learner(email: str, name: str, password: str) -> User:
    """Create a learner account from the public sign-up. Raises Conflict if the e-mail is taken."""
    _check_new_password(password)
    if find_user(email):
        raise Conflict(_l("An account with this e-mail already exists."), code="email_taken")
    user = User(email=lower_email(email), name=name.strip(), password_hash=hash_password(password),
                role=Role.LEARNER)
    db.session.add(user)
    db.session.flush()
    return user


def create_user(actor: User | None, email: str, password: str, role: str, name: str = "",
                provider_slug: str | None = None) -> User:
    """Create any account. Raises Forbidden unless the actor is an admin (None = CLI operator),
    Invalid for an unknown role or a provider role without a provider, Conflict if taken."""
    if actor is not None:
        permissions.ensure_admin(actor)
    if role not in Role.ALL:
        raise Invalid(_l("Unknown role."), code="invalid_role")
    _check_new_password(password)
    provider = None
    if role == Role.PROVIDER:
        if not provider_slug:
            raise Invalid(_l("Provider staff must belong to a provider."), code="provider_required")
        provider = db.session.scalar(select(Provider).where(Provider.slug == provider_slug))
        if provider is None:
            raise NotFound(_l("No provider with that slug."), code="provider_not_found")
    if find_user(email):
        raise Conflict(_l("An account with this e-mail already exists."), code="email_taken")
    user = User(email=lower_email(email), name=(name or email.split("@")[0]).strip(),
                password_hash=hash_password(password), role=role, provider=provider)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.created", "user", user.id, email=user.email, role=role,
                 provider=provider_slug)
    return user


def create_provider(actor: User | None, slug: str, name: str) -> Provider:
    """Raises Forbidden unless the actor is an admin, Conflict if the slug is taken."""
    if actor is not None:
        permissions.ensure_admin(actor)
    if db.session.scalar(select(Provider).where(Provider.slug == slug)):
        raise Conflict(_l("A provider with this slug already exists."), code="slug_taken")
    provider = Provider(slug=slug, name=name)
    db.session.add(provider)
    db.session.flush()
    audit.record(actor, "provider.created", "provider", provider.id, slug=slug, name=name)
    return provider


def authenticate(email: str, password: str) -> User:
    """Raises Unauthorized with one message for unknown e-mail, wrong password or inactive
    account, so the answer does not tell which accounts exist."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
    elif check_password_hash(user.password_hash, password) and user.active:
        user.last_login_at = utcnow()
        return user
    raise Unauthorized(_l("Wrong e-mail or password."), code="invalid_credentials")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, label: str = "") -> str:
    """Return a new bearer token; only its digest is kept, so it is shown once."""
    token = "alur_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=token_digest(token), label=label))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    return row.user


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="alur.password-reset")


def make_reset_token(user: User) -> str:
    # Binding the token to the current hash makes it single-use: once the password changes,
    # the old token no longer matches.
    return _reset_serializer().dumps({"u": user.id, "h": user.password_hash[-16:]})


def reset_password(token: str, new_password: str) -> User:
    """Raises Invalid when the token is expired, tampered with or already used."""
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired:
        raise Invalid(_l("This reset link has expired. Ask for a new one."),
                      code="reset_expired") from None
    except BadSignature:
        raise Invalid(_l("This reset link is not valid."), code="reset_invalid") from None
    user = db.session.get(User, data.get("u"))
    if user is None or user.password_hash[-16:] != data.get("h"):
        raise Invalid(_l("This reset link has already been used."), code="reset_invalid")
    _check_new_password(new_password)
    user.password_hash = hash_password(new_password)
    db.session.flush()
    return user


def set_locale(user: User, code: str) -> None:
    """Keep the language the person chose for their account (mail, PDFs, other devices)."""
    user.locale = code
    db.session.flush()
