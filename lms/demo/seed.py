"""The demo course and accounts, created once and safe to run again (idempotent)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms.accounts import services as accounts
from lms.accounts.models import Provider, Role
from lms.catalog import review, services as catalog
from lms.catalog.models import Course, ModuleKind
from lms.demo.assessments import seed_assessments
from lms.extensions import db
from lms.learning import services as learning
from lms.learning.models import CodeState, RedeemCode

PROVIDER_SLUG = "lpk-nusantara"
COURSE_SLUG = "pemasaran-digital-umkm"
ACCOUNTS = (
    ("admin@alur.test", "alur-admin-2026", Role.ADMIN, "Admin Program"),
    ("staf@alur.test", "alur-staf-2026", Role.PROVIDER, "Staf LPK Nusantara"),
    ("peserta@alur.test", "alur-peserta-2026", Role.LEARNER, "Siti Peserta"),
)
READING = (
    "<h2>Mengenal pelanggan</h2><p>Sebelum berjualan daring, kenali siapa pelanggan Anda: "
    "usia, kebiasaan belanja, dan media sosial yang mereka pakai. Tuliskan tiga ciri "
    "pelanggan utama usaha Anda.</p><p>Know your customers before you sell online: their "
    "age, shopping habits and the social networks they use.</p>"
)
# (kind, title, seconds of video or None)
MODULES = (
    (ModuleKind.QUIZ, "Pre-test", None),
    (ModuleKind.VIDEO, "Video 1: Apa itu pemasaran digital?", 24),
    (ModuleKind.VIDEO, "Video 2: Membuat katalog produk", 30),
    (ModuleKind.READING, "Bacaan: Mengenal pelanggan", None),
    (ModuleKind.QUIZ, "Kuis modul", None),
    (ModuleKind.VIDEO, "Video 3: Beriklan di media sosial", 36),
    (ModuleKind.QUIZ, "Post-test", None),
    (ModuleKind.ASSIGNMENT, "Unjuk keterampilan: rencana pemasaran", None),
)


# The demo's clips last 90 s, not the programme's 9 hours: the demo course is checked against
# this lower minimum of its own, and seed-demo says so when it runs.
DEMO_MIN_VIDEO_HOURS = 1 / 60


@dataclass
class DemoResult:
    accounts: tuple[tuple[str, str, str, str], ...]
    course_slug: str
    codes: list[str]
    created: bool
    min_video_hours: float = DEMO_MIN_VIDEO_HOURS
    problems: tuple[str, ...] = ()  # what the programme's checklist still names


def seed_demo(prepare_video=None) -> DemoResult:
    """Create what is missing; `prepare_video(module, seconds)` makes a module's video
    playable (the media pipeline). Flushes; the command commits."""
    provider = db.session.scalar(select(Provider).where(Provider.slug == PROVIDER_SLUG)) \
        or accounts.create_provider(None, PROVIDER_SLUG, "LPK Nusantara Digital")
    for email, password, role, name in ACCOUNTS:
        if accounts.find_user(email) is None:
            accounts.create_user(None, email, password, role, name,
                                 PROVIDER_SLUG if role == Role.PROVIDER else None)
    course = db.session.scalar(select(Course).where(Course.slug == COURSE_SLUG))
    created = course is None
    if created:
        course = catalog.create_course(
            None, provider, COURSE_SLUG, "Pemasaran Digital untuk UMKM",
            "Kursus mandiri: memasarkan usaha kecil secara daring, dari katalog produk "
            "hingga iklan media sosial.")
        for kind, title, seconds in MODULES:
            catalog.add_module(None, course, kind, title, body=READING if kind == "reading" else "",
                               min_dwell_seconds=20 if kind == ModuleKind.READING else None,
                               duration_seconds=float(seconds) if seconds else None)
    if prepare_video is not None:
        for module, (_, _, seconds) in zip(course.versions[-1].modules, MODULES):
            if seconds:
                prepare_video(module, seconds)
    seed_assessments(course)
    checks = review.checklist_for(course, course.versions[-1], min_hours=DEMO_MIN_VIDEO_HOURS) \
        if prepare_video is not None else None
    catalog.publish_course(None, course)
    fresh = list(db.session.scalars(select(RedeemCode.code).where(
        RedeemCode.course_id == course.id, RedeemCode.state == CodeState.FRESH).limit(3)))
    if len(fresh) < 3:
        fresh += learning.generate_codes(None, course, 3 - len(fresh))
    return DemoResult(ACCOUNTS, COURSE_SLUG, fresh, created,
                      problems=tuple(p.code for p in checks.blocking) if checks else ())
