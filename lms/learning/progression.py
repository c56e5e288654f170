"""Progression through a course: which modules are open to a learner, and what comes next.

The sequence gate (rule 1) is the pure function in `lms.learning.rules_progression`; this
module feeds it an enrollment's rows. Pages, the API, pacing and assessments all ask here.
"""
from __future__ import annotations

from lms.catalog.models import Module
from lms.learning import rules_progression as rules
from lms.learning.models import Enrollment
from lms.learning.rules_progression import ModuleStatus, ProgressState

LOCKED = ModuleStatus.LOCKED.value
AVAILABLE = ModuleStatus.AVAILABLE.value
IN_PROGRESS = ModuleStatus.IN_PROGRESS.value
COMPLETED = ModuleStatus.COMPLETED.value


def _gate_input(enrollment: Enrollment):
    modules = [(m.id, m.required) for m in enrollment.version.modules]
    progress = {p.module_id: (ProgressState.COMPLETED if p.is_completed
                              else ProgressState.IN_PROGRESS) for p in enrollment.progress}
    return modules, progress


def statuses(enrollment: Enrollment) -> dict[int, str]:
    """Each module's status (locked, available, in_progress, completed) for this learner."""
    return {mid: status.value
            for mid, status in rules.module_statuses(*_gate_input(enrollment)).items()}


def blocking_module(enrollment: Enrollment, module: Module) -> Module | None:
    """The earliest required module the learner must finish before `module` opens, if any."""
    blocker_id = rules.blocking_module(*_gate_input(enrollment), module.id)
    if blocker_id is None:
        return None
    return next(m for m in enrollment.version.modules if m.id == blocker_id)


def requirements_met(enrollment: Enrollment) -> bool:
    """Every required module of the enrollment's version is complete."""
    return rules.course_requirements_met(*_gate_input(enrollment))


def next_module(enrollment: Enrollment, module: Module) -> Module | None:
    """The module after `module` in the enrollment's course version, if any."""
    later = [m for m in enrollment.version.modules if m.position > module.position]
    return later[0] if later else None
