"""Reading and changing a learner's settings."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.clock import utcnow
from lms.errors import Invalid
from lms.extensions import db
from lms.catalog.models import Module
from lms.media.models import VideoAsset
from lms.media.services import playable_asset
from lms.preferences.data_saver import (DATA_SAVER_HEIGHTS, DataEstimate, Rung, capped_rungs,
                                        estimate, is_known_height)
from lms.preferences.models import LearnerPreference


def data_saver_height(user: User | None) -> int | None:
    """The tallest rung this user's player may fetch (None: no cap, or nobody signed in)."""
    if user is None or not user.is_authenticated:
        return None
    preference = db.session.get(LearnerPreference, user.id)
    return preference.data_saver_height if preference else None


def set_data_saver(user: User, height: int | None) -> LearnerPreference:
    """Raises Invalid (422) for a height that is not one of the data saver's rungs."""
    if not is_known_height(height):
        raise Invalid(_l("Choose one of the data saver settings."), code="invalid_field",
                      field="data_saver")
    preference = db.session.get(LearnerPreference, user.id)
    if preference is None:
        preference = LearnerPreference(user_id=user.id)
        db.session.add(preference)
    preference.data_saver_height = height
    preference.updated_at = utcnow()
    db.session.flush()
    return preference


def ladder_of(asset: VideoAsset | None) -> list[Rung]:
    if asset is None:
        return []
    return [Rung(name=r.name, height=r.height, bandwidth=r.bandwidth) for r in asset.renditions]


@dataclass(frozen=True)
class VideoDataPlan:
    """What the player page says and does about data for one learner and one video."""
    max_height: int | None  # the learner's data saver cap
    capped_rung: str  # the rung a native HLS player is pointed at under the cap ("" : master)
    estimate: DataEstimate | None  # at the best rung the learner may get
    saver_estimate: DataEstimate | None  # at the lowest rung (what the data saver can reach)


def video_data_plan(user: User | None, module: Module) -> VideoDataPlan:
    max_height = data_saver_height(user)
    asset = playable_asset(module)
    rungs = ladder_of(asset)
    duration = float((asset.duration_seconds if asset else None) or module.duration_seconds or 0)
    allowed = capped_rungs(rungs, max_height)
    return VideoDataPlan(max_height=max_height,
                         capped_rung=allowed[-1].name if max_height and allowed else "",
                         estimate=estimate(rungs, max_height, duration),
                         saver_estimate=estimate(rungs, min(DATA_SAVER_HEIGHTS), duration))
