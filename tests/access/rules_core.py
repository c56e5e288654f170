"""Access rows for the foundation: accounts, learner pages, admin pages, the core API."""
from __future__ import annotations

from tests.access.matrix import LOGIN, UNAUTH, Case, everyone, signed_in

SIGNED_IN_REDIRECT = 302  # sign-in/up pages send signed-in people to their dashboard

CASES = [
    Case("static", "GET", "/static/css/alur.css", everyone(200)),
    # Accounts
    Case("accounts.login", "GET", "/login", everyone(302, anonymous=200)),
    Case("accounts.login", "POST", "/login", everyone(302, anonymous=401), data={}),
    Case("accounts.signup", "GET", "/signup", everyone(200)),
    Case("accounts.signup", "POST", "/signup", everyone(422), data={}),
    Case("accounts.logout", "POST", "/logout", signed_in(302)),
    Case("accounts.forgot_password", "GET", "/password/forgot", everyone(200)),
    Case("accounts.forgot_password", "POST", "/password/forgot", everyone(200), data={}),
    Case("accounts.reset_password", "GET", "/password/reset/{token}", everyone(200)),
    Case("accounts.reset_password", "POST", "/password/reset/{token}", everyone(422), data={}),
    Case("accounts.set_language", "GET", "/lang/en", everyone(302)),
    Case("accounts.set_language", "POST", "/lang/en", everyone(302), data={}),
    # Learner pages
    Case("learning.catalog", "GET", "/", everyone(200)),
    Case("learning.course", "GET", "/courses/{slug}", everyone(200)),
    Case("learning.course", "GET", "/courses/{draft_slug}",
         everyone(404, staff=200, admin=200)),
    Case("learning.dashboard", "GET", "/dashboard", signed_in(200)),
    Case("learning.redeem", "POST", "/redeem", signed_in(422), data={}),
    Case("learning.outline", "GET", "/enrollments/{enrollment_id}",
         signed_in(404, learner=200)),
    Case("learning.module", "GET", "/enrollments/{enrollment_id}/modules/{module_id}",
         signed_in(404, learner=200)),
    Case("learning.module", "GET", "/enrollments/{enrollment_id}/modules/{locked_module_id}",
         signed_in(404, learner=403)),
    # Admin
    Case("admin.index", "GET", "/admin/", signed_in(403, admin=302)),
    Case("admin.users", "GET", "/admin/users", signed_in(403, admin=200)),
    Case("admin.new_user", "GET", "/admin/users/new", signed_in(403, admin=200)),
    Case("admin.new_user", "POST", "/admin/users/new", signed_in(403, admin=422), data={}),
    Case("admin.providers", "GET", "/admin/providers", signed_in(403, admin=200)),
    Case("admin.providers", "POST", "/admin/providers", signed_in(403, admin=422), data={}),
    Case("admin.audit_log", "GET", "/admin/audit", signed_in(403, admin=200)),
    # API
    Case("api.openapi", "GET", "/api/openapi.json", everyone(200)),
    Case("api.auth.login", "POST", "/api/v1/auth/login", everyone(400), json=None),
    Case("api.courses.list_courses", "GET", "/api/v1/courses", everyone(200)),
    Case("api.enrollments.create_enrollment", "POST", "/api/v1/enrollments",
         signed_in(422, anonymous=UNAUTH), json={}),
    Case("api.enrollments.get_enrollment", "GET", "/api/v1/enrollments/{enrollment_id}",
         signed_in(404, anonymous=UNAUTH, learner=200)),
]

__all__ = ["CASES", "LOGIN"]
