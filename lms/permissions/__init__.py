"""Every access rule in one place, a module per domain: `may_*` answer, `ensure_*` raise.

Each `ensure_*` is derived from its `may_*` (`lms.permissions.derive`), so the two cannot
disagree. Views, the API, tasks and the CLI all go through these (via the services), so no
entry point can bypass a rule. Where revealing that a thing exists would leak another
person's data, the `ensure_*` raises NotFound rather than Forbidden.

The names most services need are importable from here: `permissions.ensure_admin(user)`.
"""
from __future__ import annotations

from lms.permissions.accounts import (
    ensure_admin,
    ensure_role,
    ensure_signed_in,
    has_role,
    is_admin,
    is_provider_staff,
    is_signed_in,
)
from lms.permissions.catalog import (
    ensure_may_manage_course,
    ensure_may_view_course,
    may_author_for,
    may_manage_course,
    may_view_course,
)
from lms.permissions.learning import (
    ensure_enrollment_owner,
    ensure_module_available,
    owns_enrollment,
)
from lms.permissions.pacing import (
    ensure_may_stream,
    ensure_playback_owner,
    ensure_session_live,
    owner_claim,
    owns_session,
)
from lms.permissions.assessments import (
    ensure_grading_staff,
    ensure_may_grade,
    ensure_may_grant_attempt,
    may_grade,
    may_grant_attempt,
)

__all__ = [
    "ensure_admin", "ensure_role", "ensure_signed_in", "has_role", "is_admin",
    "is_provider_staff", "is_signed_in",
    "ensure_may_manage_course", "ensure_may_view_course", "may_author_for",
    "may_manage_course", "may_view_course",
    "ensure_enrollment_owner", "ensure_module_available", "owns_enrollment",
    "ensure_may_stream", "ensure_playback_owner", "ensure_session_live", "owner_claim",
    "owns_session",
    "ensure_grading_staff", "ensure_may_grade", "ensure_may_grant_attempt", "may_grade",
    "may_grant_attempt",
]
