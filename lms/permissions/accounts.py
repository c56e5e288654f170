"""Who someone is: signed in, an admin, one of some roles."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import Role, User
from lms.errors import Forbidden, Unauthorized
from lms.permissions.derive import ensure_from


def is_signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_admin(user: User | None) -> bool:
    """A programme admin."""
    return is_signed_in(user) and user.role == Role.ADMIN


def has_role(user: User | None, *roles: str) -> bool:
    return is_signed_in(user) and user.role in roles


def is_provider_staff(user: User | None) -> bool:
    """Staff of a training provider (with the provider they work for)."""
    return has_role(user, Role.PROVIDER) and user.provider_id is not None


ensure_admin = ensure_from(
    is_admin, lambda: Forbidden(_l("Only programme admins may do that."), code="admin_only"))
ensure_role = ensure_from(has_role, Forbidden)
_ensure_signed_in = ensure_from(is_signed_in, Unauthorized)


def ensure_signed_in(user: User | None) -> User:
    """Raises Unauthorized (401) unless someone is signed in; returns them."""
    _ensure_signed_in(user)
    return user
