"""The command line of the public interface (docs/http-api.md)."""
from __future__ import annotations

from lms.accounts.models import User
from lms.catalog.models import Course
from lms.demo.seed import COURSE_SLUG
from lms.extensions import db
from lms.learning.models import RedeemCode
from tests import factories


def test_seed_demo_twice_leaves_exactly_one_demo_course(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert db.session.query(Course).filter_by(slug=COURSE_SLUG).count() == 1
    assert db.session.query(User).count() == 3
    for text in ("admin@alur.test", "staf@alur.test", "peserta@alur.test", COURSE_SLUG):
        assert text in second.output
    course = db.session.query(Course).filter_by(slug=COURSE_SLUG).one()
    kinds = [m.kind for m in course.current_version.modules]
    assert kinds.count("video") >= 3 and {"reading", "quiz", "assignment"} <= set(kinds)


def test_users_create_makes_each_role(runner):
    provider = factories.provider(slug="lpk-a")
    result = runner.invoke(args=["users", "create", "staff@lpk.id", "--password", "long-enough-1",
                                 "--role", "provider", "--provider", "lpk-a"])
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(email="staff@lpk.id").one()
    assert user.role == "provider" and user.provider_id == provider.id


def test_users_create_explains_bad_input_without_a_traceback(runner):
    for args, message in [
        (["users", "create", "a@b.id", "--password", "short"], "at least 8 characters"),
        (["users", "create", "a@b.id", "--password", "long-enough-1", "--role", "provider"],
         "must belong to a provider"),
        (["users", "create", "a@b.id", "--password", "long-enough-1", "--role", "provider",
          "--provider", "nope"], "No provider with that slug"),
    ]:
        result = runner.invoke(args=args)
        assert result.exit_code != 0
        assert message in result.output
        assert "Traceback" not in result.output
    factories.learner(email="taken@b.id")
    taken = runner.invoke(args=["users", "create", "taken@b.id", "--password", "long-enough-1"])
    assert taken.exit_code == 1 and "already exists" in taken.output


def test_codes_generate_prints_fresh_single_use_codes(runner):
    course = factories.course()
    result = runner.invoke(args=["codes", "generate", course.slug, "--count", "25"])
    assert result.exit_code == 0, result.output
    codes = result.output.split()
    assert len(codes) == 25 == len(set(codes))
    assert db.session.query(RedeemCode).filter_by(state="fresh").count() == 25
    missing = runner.invoke(args=["codes", "generate", "no-such-course", "--count", "2"])
    assert missing.exit_code == 1 and "No such course" in missing.output


def test_tokens_create_prints_a_working_token(runner, client):
    user = factories.learner()
    result = runner.invoke(args=["tokens", "create", user.email])
    token = result.output.strip()
    response = client.get("/api/v1/enrollments/1", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404  # authenticated: the enrollment simply does not exist
