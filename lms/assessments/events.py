"""Assessment events other packages may react to (the programme connector reports post-test
results and skill-task hand-ins and feedback) without assessments knowing them. Each is sent
inside the transaction that made the change."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sender=the graded QuizAttempt (role via its module's settings), with `now`.
quiz_graded = _signals.signal("assessments.quiz-graded")

#: sender=the new SkillSubmission, with `now`.
skill_submitted = _signals.signal("assessments.skill-submitted")

#: sender=the SkillSubmission just answered (status passed or revise, feedback), with `actor`
#: (the staff member) and `now`.
skill_graded = _signals.signal("assessments.skill-graded")
