"""Video assets of modules: the uploaded source, its HLS ladder, poster and captions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.catalog.models import Module
from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db


class AssetStatus:
    AWAITING_UPLOAD = "awaiting_upload"  # S3: the browser is sending the source to the bucket
    UPLOADED = "uploaded"      # source stored, waiting for the worker
    PROCESSING = "processing"  # the worker is transcoding (see progress_percent)
    READY = "ready"            # the HLS ladder is stored and playable
    FAILED = "failed"          # error_code / error_message say why
    # Not ready yet: no learner session can point at it, so it may still be deleted.
    UNPLAYED = (AWAITING_UPLOAD, UPLOADED, PROCESSING, FAILED)


class VideoAsset(db.Model):
    """One upload for a video module. A module plays its newest ready asset.

    Storage layout (keys in the storage backend):
      source:  `sources/<asset id>/<original file name>`
      HLS:     `hls/<asset id>/master.m3u8`, `hls/<asset id>/<rendition>/index.m3u8`,
               `hls/<asset id>/<rendition>/seg_00000.ts` … (6 s segments aligned across renditions)
      poster:  `hls/<asset id>/poster.jpg`
      captions: `hls/<asset id>/captions/<language>.vtt`

    A ready asset is never deleted: playback sessions and their evidence point at it. A newer
    ready asset takes over the module; the older one stays for the sessions pinned to it.
    """

    __tablename__ = "video_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default=AssetStatus.UPLOADED)
    progress_percent: Mapped[int] = mapped_column(default=0)
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_message: Mapped[str | None] = mapped_column(Text)
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    source_key: Mapped[str] = mapped_column(String(500))
    source_bytes: Mapped[int | None] = mapped_column()
    hls_prefix: Mapped[str | None] = mapped_column(String(500))
    poster_key: Mapped[str | None] = mapped_column(String(500))
    duration_seconds: Mapped[float | None] = mapped_column()
    width: Mapped[int | None] = mapped_column()
    height: Mapped[int | None] = mapped_column()
    segment_seconds: Mapped[int] = mapped_column(default=6)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    module: Mapped[Module] = relationship()
    uploaded_by: Mapped[User | None] = relationship()
    renditions: Mapped[list["Rendition"]] = relationship(
        back_populates="asset", order_by="Rendition.height.desc()", cascade="all, delete-orphan")
    captions: Mapped[list["Caption"]] = relationship(
        back_populates="asset", order_by="Caption.language", cascade="all, delete-orphan")

    @property
    def is_ready(self) -> bool:
        return self.status == AssetStatus.READY


class Rendition(db.Model):
    """One rung of the ladder (720p, 480p, 360p, 240p): its playlist and segment count."""

    __tablename__ = "renditions"
    __table_args__ = (UniqueConstraint("asset_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("video_assets.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(20))  # e.g. "720p"; also its folder name
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    bandwidth: Mapped[int] = mapped_column()  # bits per second, as in the master playlist
    codecs: Mapped[str] = mapped_column(String(80), default="")
    segment_count: Mapped[int] = mapped_column(default=0)

    asset: Mapped[VideoAsset] = relationship(back_populates="renditions")


class Caption(db.Model):
    """A WebVTT caption track for one language (id or en), validated on upload."""

    __tablename__ = "captions"
    __table_args__ = (UniqueConstraint("asset_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("video_assets.id", ondelete="CASCADE"),
                                          index=True)
    language: Mapped[str] = mapped_column(String(5))
    storage_key: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    asset: Mapped[VideoAsset] = relationship(back_populates="captions")
