"""The studio speaks Bahasa Indonesia by default."""
from __future__ import annotations

from tests import factories


def test_the_studio_pages_are_in_indonesian(client, auth):
    course = factories.course(published=False)
    auth.login(factories.staff(course.provider).email)
    page = client.get(f"/provider/courses/{course.id}", headers={"Accept-Language": "id"})
    text = page.get_data(as_text=True)
    assert "Daftar periksa program" in text and "Ajukan untuk ditinjau" in text
    assert "Naikkan" in text and "Tambah modul" in text
