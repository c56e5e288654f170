"""The endpoints a payer's credentials sign in on (the rest treat them as none)."""
from lms.permissions.incentives import PAYER_ENDPOINTS

PAYER_ROUTES = PAYER_ENDPOINTS
