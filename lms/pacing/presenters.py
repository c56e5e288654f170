"""What the module page shows before the player or the reading page takes over in the browser."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms.catalog.models import Module, ModuleKind
from lms.extensions import db
from lms.learning.models import Enrollment, ModuleProgress
from lms.media.services import playable_asset
from lms.pacing import rules, stored_state


@dataclass(frozen=True)
class PacingPanel:
    kind: str
    ready: bool  # a video has a playable asset; readings are always ready
    target_seconds: float  # video duration or the reading's minimum dwell time
    frontier: float
    position: float
    completed: bool
    dwell_seconds: float
    end_tolerance: float = rules.END_TOLERANCE_SECONDS
    heartbeat_seconds: float = rules.HEARTBEAT_SECONDS

    @property
    def target_clock(self) -> str:
        """The target as m:ss (or h:mm:ss), as the player shows times."""
        total = int(round(self.target_seconds))
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def percent(self) -> int:
        if not self.target_seconds:
            return 0
        return min(100, round(100 * self.frontier / self.target_seconds))


def panel_for(enrollment: Enrollment, module: Module) -> PacingPanel:
    """The learner's standing in a video or reading module (read only; the page is reached
    through the sequence gate already)."""
    progress = db.session.scalar(select(ModuleProgress).where(
        ModuleProgress.enrollment_id == enrollment.id, ModuleProgress.module_id == module.id))
    frontier = progress.frontier_seconds if progress else 0.0
    completed = bool(progress and progress.completed_at)
    if module.kind == ModuleKind.READING:
        target = stored_state.reading_target(module.body, module.min_dwell_seconds)
        return PacingPanel(kind=module.kind, ready=True, target_seconds=target,
                           frontier=frontier or 0.0, position=0.0, completed=completed,
                           dwell_seconds=progress.wall_seconds if progress else 0.0)
    asset = playable_asset(module)
    duration = float((asset.duration_seconds if asset else None) or module.duration_seconds or 0)
    return PacingPanel(kind=module.kind, ready=asset is not None and duration > 0,
                       target_seconds=duration, frontier=frontier or 0.0,
                       position=progress.position_seconds if progress else 0.0,
                       completed=completed, dwell_seconds=0.0)
