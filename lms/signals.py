"""Domain events other packages react to without the emitter knowing them."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent once per enrollment, inside the transaction that completed it: sender=the Enrollment,
#: with `actor` (User or None) and `now`. Completion review opens a completion on it.
course_completed = _signals.signal("course-completed")

#: Sent when a module is completed under the pacing rules: sender=ModuleProgress, with `now`.
module_completed = _signals.signal("module-completed")

#: Sent once per completion when it becomes verified (by its checks or by an admin), inside
#: that transaction: sender=the Completion, with `actor` (User or None) and `now`.
#: Certificates subscribe to issue the certificate.
completion_verified = _signals.signal("completion-verified")
