"""What the programme admin's pages list: accounts, providers and the audit log, a page at a
time. Each asks for an admin itself, so no caller can list them for anyone else."""
from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from lms import permissions
from lms.accounts.models import Provider, User
from lms.admin.models import AuditEntry
from lms.extensions import db

USERS_PER_PAGE = 25
PROVIDERS_PER_PAGE = 25
AUDIT_PER_PAGE = 50


def users_page(actor: User, page: int) -> Pagination:
    """Accounts, newest first."""
    permissions.ensure_admin(actor)
    return db.paginate(select(User).order_by(User.created_at.desc(), User.id.desc()),
                       page=page, per_page=USERS_PER_PAGE, error_out=False)


def providers_page(actor: User, page: int) -> Pagination:
    """Training providers by name."""
    permissions.ensure_admin(actor)
    return db.paginate(select(Provider).order_by(Provider.name), page=page,
                       per_page=PROVIDERS_PER_PAGE, error_out=False)


def provider_choices(actor: User) -> list[tuple[str, str]]:
    """(slug, name) of every provider, for choosing a staff member's employer."""
    permissions.ensure_admin(actor)
    return [(p.slug, p.name) for p in db.session.scalars(select(Provider).order_by(Provider.name))]


def audit_page(actor: User, page: int) -> Pagination:
    """The audit log, newest entry first."""
    permissions.ensure_admin(actor)
    return db.paginate(select(AuditEntry).order_by(AuditEntry.id.desc()), page=page,
                       per_page=AUDIT_PER_PAGE, error_out=False)
