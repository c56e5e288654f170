from __future__ import annotations

from flask import Blueprint, jsonify

from lms.catalog import services as catalog
from lms.http import page_arg

bp = Blueprint("courses", __name__)


@bp.get("/courses")
def list_courses():
    page = catalog.published_courses(page=page_arg(), per_page=100)
    items = []
    for course in page.items:
        version = course.current_version
        items.append({
            "slug": course.slug,
            "title": course.title,
            "provider_name": course.provider.name,
            "hours": round(version.content_seconds / 3600, 2) if version else 0,
            "modules_count": len(version.modules) if version else 0,
        })
    return jsonify({"items": items, "page": page.page, "pages": page.pages, "total": page.total})
