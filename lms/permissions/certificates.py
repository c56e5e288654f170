"""Who may download and revoke certificates (verifying one needs no permission at all)."""
from __future__ import annotations

from lms.accounts.models import User
from lms.certificates.errors import NotHolder
from lms.certificates.models import Certificate
from lms.permissions.accounts import ensure_admin, is_admin, is_signed_in
from lms.permissions.derive import ensure_from


def may_download(user: User | None, certificate: Certificate) -> bool:
    """The holder, and programme admins who review certificates; nobody else."""
    return is_signed_in(user) and (user.id == certificate.user_id or is_admin(user))


# 403 rather than 404: the number is public (it is on the paper), so this reveals nothing.
ensure_may_download = ensure_from(may_download, NotHolder)
may_revoke = is_admin
ensure_may_revoke = ensure_admin
