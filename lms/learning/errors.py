"""What the learner's path refuses: enrollments, redeem codes, locked modules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import Forbidden


class ModuleLocked(Forbidden):
    code = "module_locked"
    default_message = _l("This module is locked. Finish the earlier modules first.")


class DeadlinePassed(Forbidden):
    code = "deadline_passed"
    default_message = _l("The finish-by date of this enrollment has passed, so no more progress "
                         "can be counted.")
