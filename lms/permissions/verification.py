"""Who may review completions: programme admins, who see other people's evidence and decide
on it; no one else."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import Forbidden
from lms.permissions.accounts import is_admin
from lms.permissions.derive import ensure_from

may_review_completions = is_admin
ensure_may_review_completions = ensure_from(
    may_review_completions,
    lambda: Forbidden(_l("Only programme admins may review completions."), code="admin_only"))
