"""Certificate events other domains (incentive eligibility) react to."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent once when a certificate is created, inside the issuing transaction:
#: sender=the Certificate, with `actor` (User or None) and `now`.
certificate_issued = _signals.signal("certificate-issued")

#: Sent when an admin revokes a certificate, inside that transaction: sender=the Certificate,
#: with `actor` and `now`. Eligibility listens to claw the incentive back.
certificate_revoked = _signals.signal("certificate-revoked")
