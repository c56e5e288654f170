"""Factories for test data: each builds valid objects with sensible defaults and commits,
so pages served from another thread (the browser tests' live server) see them too."""
from __future__ import annotations

import itertools
from datetime import datetime

from werkzeug.security import generate_password_hash

from lms.accounts import services as accounts
from lms.accounts.models import Provider, Role, User
from lms.catalog import services as catalog
from lms.catalog.models import Course, ModuleKind, TrainingType
from lms.extensions import db
from lms.learning.models import CodeState, Enrollment, ModuleProgress, RedeemCode

PASSWORD = "correct horse battery"
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_seq = itertools.count(1)


def provider(slug: str | None = None, name: str | None = None) -> Provider:
    n = next(_seq)
    p = Provider(slug=slug or f"provider-{n}", name=name or f"Provider {n}")
    db.session.add(p)
    db.session.commit()
    return p


def user(role: str = Role.LEARNER, email: str | None = None, provider: Provider | None = None,
         name: str | None = None, **fields) -> User:
    n = next(_seq)
    u = User(email=email or f"{role}{n}@example.test", name=name or f"{role.title()} {n}",
             password_hash=_PASSWORD_HASH, role=role, provider=provider, **fields)
    db.session.add(u)
    db.session.commit()
    return u


def learner(**fields) -> User:
    return user(Role.LEARNER, **fields)


def admin(**fields) -> User:
    return user(Role.ADMIN, **fields)


def staff(provider_obj: Provider, **fields) -> User:
    return user(Role.PROVIDER, provider=provider_obj, **fields)


DEFAULT_MODULES = (ModuleKind.VIDEO, ModuleKind.VIDEO, ModuleKind.READING, ModuleKind.QUIZ)


def course(provider_obj: Provider | None = None, kinds=DEFAULT_MODULES, published: bool = True,
           slug: str | None = None, optional_positions: tuple[int, ...] = ()) -> Course:
    n = next(_seq)
    c = catalog.create_course(None, provider_obj or provider(), slug or f"course-{n}",
                              f"Course {n}", "A course made by the test factories.")
    for position, kind in enumerate(kinds, start=1):
        catalog.add_module(None, c, kind, f"Module {position} ({kind})",
                           required=position not in optional_positions,
                           duration_seconds=60.0 if kind == ModuleKind.VIDEO else None,
                           body="<p>Read this.</p>" if kind == ModuleKind.READING else "",
                           min_dwell_seconds=30 if kind == ModuleKind.READING else None)
    if published:
        catalog.publish_course(None, c)
    db.session.commit()
    return c


def code(course_obj: Course, state: str = CodeState.FRESH,
         training_type: str = TrainingType.SELF_PACED, transaction_cancelled: bool = False,
         text: str | None = None) -> RedeemCode:
    c = RedeemCode(code=text or f"TESTCODE{next(_seq):04d}", course=course_obj,
                   provider_id=course_obj.provider_id, training_type=training_type, state=state,
                   transaction_cancelled=transaction_cancelled)
    db.session.add(c)
    db.session.commit()
    return c


def enrollment(user_obj: User, course_obj: Course, finish_by: datetime | None = None) -> Enrollment:
    e = Enrollment(user=user_obj, course=course_obj, version=course_obj.current_version,
                   finish_by=finish_by)
    db.session.add(e)
    db.session.commit()
    return e


def complete_module(enrollment_obj: Enrollment, position: int) -> ModuleProgress:
    """Mark a module complete directly (for tests of what follows completion, not of pacing)."""
    module = enrollment_obj.version.modules[position - 1]
    progress = ModuleProgress(enrollment=enrollment_obj, module=module,
                              frontier_seconds=module.duration_seconds or 0,
                              completed_at=datetime.now().astimezone())
    db.session.add(progress)
    db.session.commit()
    return progress


def api_token(user_obj: User) -> dict[str, str]:
    token = accounts.create_api_token(user_obj, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}
