"""The sequence gate (rule 1): a course is followed in order, required modules cannot be skipped.

The same answer guards pages, API calls and media, so a direct URL to a later module is no
way around it (the callers answer 403 for `locked`).
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class ProgressState(StrEnum):
    """What the learner has done in a module (stored per enrollment x module)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class ModuleStatus(StrEnum):
    """What the learner may do with a module now."""

    LOCKED = "locked"
    AVAILABLE = "available"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class ModuleRef:
    """One module of a course version, in course order. Optional modules never block others."""

    id: Hashable
    required: bool = True


#: A module in course order: a ModuleRef, or an ``(id, required)`` pair straight from the rows.
ModuleLike = ModuleRef | tuple[Hashable, bool]


def _refs(modules: Sequence[ModuleLike]) -> list[ModuleRef]:
    """Normalise the course order and refuse duplicates (a module listed twice is a bug)."""
    refs = [m if isinstance(m, ModuleRef) else ModuleRef(m[0], bool(m[1])) for m in modules]
    seen: set[Hashable] = set()
    for module in refs:
        if module.id in seen:
            raise ValueError(f"module {module.id!r} appears twice in the course order")
        seen.add(module.id)
    return refs


def module_statuses(
    modules: Sequence[ModuleLike], progress: Mapping[Hashable, ProgressState | str]
) -> dict[Hashable, ModuleStatus]:
    """Each module's status, in course order.

    Module k is open only when every EARLIER REQUIRED module is completed; optional modules
    never block. Completion is a fact and stays `completed` even if an earlier module is
    somehow unfinished (e.g. a module marked required after the fact), but unfinished work in a
    module behind an unfinished required one is `locked`: the gate wins over progress.
    Modules missing from `progress` are not started.
    """
    modules = _refs(modules)
    statuses: dict[Hashable, ModuleStatus] = {}
    blocked = False
    for module in modules:
        state = ProgressState(progress.get(module.id, ProgressState.NOT_STARTED))
        if state is ProgressState.COMPLETED:
            statuses[module.id] = ModuleStatus.COMPLETED
        elif blocked:
            statuses[module.id] = ModuleStatus.LOCKED
        elif state is ProgressState.IN_PROGRESS:
            statuses[module.id] = ModuleStatus.IN_PROGRESS
        else:
            statuses[module.id] = ModuleStatus.AVAILABLE
        if module.required and state is not ProgressState.COMPLETED:
            blocked = True
    return statuses


def blocking_module(
    modules: Sequence[ModuleLike],
    progress: Mapping[Hashable, ProgressState | str],
    module_id: Hashable,
) -> Hashable | None:
    """For "finish X first": the earliest required module before `module_id` not completed.

    None when nothing blocks it (the module is open). Unknown ids raise KeyError, so a typo in a
    caller cannot read as "open".
    """
    modules = _refs(modules)
    if not any(m.id == module_id for m in modules):
        raise KeyError(module_id)
    for module in modules:
        if module.id == module_id:
            return None
        state = ProgressState(progress.get(module.id, ProgressState.NOT_STARTED))
        if module.required and state is not ProgressState.COMPLETED:
            return module.id
    return None  # pragma: no cover - unreachable: module_id is in modules


def may_open_module(
    modules: Sequence[ModuleLike],
    progress: Mapping[Hashable, ProgressState | str],
    module_id: Hashable,
) -> bool:
    """The gate as a yes/no for pages, API and media: not locked."""
    return module_statuses(modules, progress)[module_id] is not ModuleStatus.LOCKED


def course_requirements_met(
    modules: Sequence[ModuleLike], progress: Mapping[Hashable, ProgressState | str]
) -> bool:
    """Every required module completed (the completion step checks this, plus assessments)."""
    modules = _refs(modules)
    return all(
        ProgressState(progress.get(m.id, ProgressState.NOT_STARTED)) is ProgressState.COMPLETED
        for m in modules
        if m.required
    )
