"""Every page blueprint of the app, in registration order (the API nests its own)."""
from __future__ import annotations

from lms.accounts.views import bp as accounts_bp
from lms.admin.views import bp as admin_bp
from lms.api import bp as api_bp
from lms.assessments.authoring_views import bp as authoring_bp
from lms.assessments.grant_views import bp as attempt_grants_bp
from lms.assessments.grading_views import bp as grading_bp
from lms.assessments.views import bp as assessments_bp
from lms.catalog.views import bp as catalog_bp
from lms.certificates.admin_views import bp as certificates_admin_bp
from lms.certificates.views import bp as certificates_bp
from lms.learning.views import bp as learning_bp
from lms.media.views import bp as media_bp
from lms.pacing.media_views import bp as media_gate_bp
from lms.pacing.views import bp as pacing_bp
from lms.programme.views import bp as programme_bp
from lms.reviews.views import bp as reviews_bp

BLUEPRINTS = (accounts_bp, learning_bp, admin_bp, api_bp,
              certificates_bp, certificates_admin_bp, reviews_bp, assessments_bp, grading_bp,
              attempt_grants_bp,
              authoring_bp, pacing_bp, media_gate_bp, catalog_bp, media_bp, programme_bp)
