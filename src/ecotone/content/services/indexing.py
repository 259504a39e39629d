"""Keeping the search index in step with content writes.

Every service that changes what a course or a content request says, or who may find it, calls
these hooks inside its transaction (see ``content/search.py`` for what is indexed).
"""

from __future__ import annotations

from ecotone.content import search
from ecotone.content.models import ContentRequest, Course


def course_changed(course: Course) -> None:
    """Re-index a course and the lessons of its published version (or take them out)."""
    search.index_course(course)


def request_changed(request: ContentRequest) -> None:
    """Re-index a content request."""
    search.index_request(request)
