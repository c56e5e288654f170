"""Every page blueprint of the app, in registration order (the API nests its own)."""
from __future__ import annotations

from lms.accounts.views import bp as accounts_bp
from lms.admin.views import bp as admin_bp
from lms.api import bp as api_bp
from lms.assessments.accommodation_views import bp as accommodations_bp
from lms.assessments.authoring_views import bp as authoring_bp
from lms.assessments.grant_views import bp as attempt_grants_bp
from lms.assessments.grading_views import bp as grading_bp
from lms.assessments.views import bp as assessments_bp
from lms.catalog.analytics_views import bp as studio_analytics_bp
from lms.catalog.code_views import bp as codes_bp
from lms.catalog.review_views import bp as course_review_bp
from lms.catalog.studio_views import bp as studio_bp
from lms.catalog.views import bp as catalog_bp
from lms.certificates.admin_views import bp as certificates_admin_bp
from lms.certificates.views import bp as certificates_bp
from lms.incentives.views import bp as incentives_admin_bp
from lms.learning.views import bp as learning_bp
from lms.media.views import bp as media_bp
from lms.outbox.views import bp as outbox_admin_bp
from lms.pacing.media_views import bp as media_gate_bp
from lms.pacing.views import bp as pacing_bp
from lms.preferences.views import bp as preferences_bp
from lms.programme.views import bp as programme_bp
from lms.reviews.views import bp as reviews_bp
from lms.verification.views import bp as verification_admin_bp
from lms.web.health import bp as health_bp

BLUEPRINTS = (accounts_bp, learning_bp, admin_bp, api_bp,
              certificates_bp, certificates_admin_bp, reviews_bp, assessments_bp, grading_bp,
              attempt_grants_bp, accommodations_bp, preferences_bp, incentives_admin_bp,
              outbox_admin_bp, authoring_bp, pacing_bp, media_gate_bp, catalog_bp, media_bp,
              studio_bp, codes_bp, course_review_bp, studio_analytics_bp, verification_admin_bp,
              programme_bp, health_bp)
