"""The provider area's course list: own provider's courses (all for admins), their modules,
each video module's video state and a link to its upload page; pages and an empty state."""
from __future__ import annotations

from lms.catalog.models import ModuleKind
from lms.extensions import db
from lms.media.models import AssetStatus, VideoAsset
from tests import factories


def test_staff_see_their_providers_courses_with_a_way_into_each_video(client, auth, world):
    other_course = factories.course(world.other_staff.provider, slug="someone-elses")
    db.session.add(VideoAsset(module=world.module, status=AssetStatus.PROCESSING,
                              original_filename="a.mp4", source_key="sources/1/a.mp4"))
    db.session.commit()
    auth.login(world.staff.email)
    page = client.get("/provider/courses").get_data(as_text=True)
    assert f'data-course="{world.course.slug}"' in page
    assert other_course.slug not in page
    assert f'href="/provider/modules/{world.module.id}/video"' in page
    assert "Converting" in page and "No video yet" in page  # the second video module has none
    assert f'href="/provider/modules/{world.reading.id}/video"' not in page


def test_admins_see_every_providers_courses(client, auth, world):
    other_course = factories.course(world.other_staff.provider, slug="someone-elses")
    auth.login(world.admin.email)
    page = client.get("/provider/courses").get_data(as_text=True)
    assert world.course.slug in page and other_course.slug in page


def test_learners_are_refused(client, auth, world):
    auth.login(world.learner.email)
    assert client.get("/provider/courses").status_code == 403


def test_a_provider_without_courses_gets_an_explanation(client, auth, app):
    staff = factories.staff(factories.provider())
    auth.login(staff.email)
    page = client.get("/provider/courses").get_data(as_text=True)
    assert "No courses yet" in page


def test_many_courses_come_in_pages(client, auth):
    provider = factories.provider()
    for n in range(21):
        factories.course(provider, kinds=(ModuleKind.VIDEO,), slug=f"paged-{n:02d}")
    auth.login(factories.staff(provider).email)
    first = client.get("/provider/courses").get_data(as_text=True)
    assert first.count('class="card" data-course=') == 20 and "Page 1 of 2" in first
    second = client.get("/provider/courses?page=2").get_data(as_text=True)
    assert second.count('class="card" data-course=') == 1


def test_the_navigation_offers_my_courses_to_staff_only(client, auth, world):
    auth.login(world.staff.email)
    assert 'href="/provider/courses"' in client.get("/dashboard").get_data(as_text=True)
    auth.logout()
    auth.login(world.learner.email)
    assert 'href="/provider/courses"' not in client.get("/dashboard").get_data(as_text=True)
