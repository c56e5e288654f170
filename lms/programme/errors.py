"""What the programme connector refuses or cannot do right now."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import AlurError, Conflict, Forbidden, Gone, NotFound

RETRY_AFTER_SECONDS = 30


class ProgrammeUnavailable(AlurError):
    """The programme did not answer in time or answered something Alur cannot use: nothing
    was changed, and the learner may simply try again."""
    status = 503
    code = "programme_unavailable"
    default_message = _l("Kartu Prakerja is not answering right now. Nothing was changed: "
                         "try again shortly.")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    #: What went wrong, for the log and the admin's list of calls (never shown to learners).
    reason = ""


class VerificationNotFound(NotFound):
    code = "verification_not_found"
    default_message = _l("This verification link is not valid. Start the verification again "
                         "from your course.")


class VerificationOfAnotherLearner(Forbidden):
    code = "verification_not_yours"
    default_message = _l("This verification was started by another account. Sign in with "
                         "your own account and start the verification again.")


class VerificationUsed(Conflict):
    code = "verification_used"
    default_message = _l("This verification link was already used. If you still cannot study, "
                         "start the verification again from your course.")


class VerificationExpired(Gone):
    code = "verification_expired"
    default_message = _l("This verification link has expired. Start the verification again "
                         "from your course.")


class VerificationFailed(Forbidden):
    code = "verification_failed"
    default_message = _l("Kartu Prakerja did not confirm today's face verification. Start the "
                         "verification again; if it keeps failing, contact the Prakerja help "
                         "desk.")


class NoProgrammeEnrollment(Conflict):
    code = "no_programme_enrollment"
    default_message = _l("Redeem your Kartu Prakerja code first: the daily verification "
                         "belongs to a Prakerja enrollment.")


class VerificationNotNeeded(Conflict):
    code = "verification_not_needed"
    default_message = _l("Your attendance for today is already verified.")


class FileLinkInvalid(NotFound):
    code = "file_link_invalid"
    default_message = _l("This file link is not valid or has expired.")
