"""Keeping the search index in step with content writes.

Every service that changes what a course, lesson or content request says calls these hooks in
its transaction. Without a search backend they do nothing.
"""

from __future__ import annotations

from ecotone.content.models import ContentRequest, Course


def course_changed(course: Course) -> None:
    """Re-index a course and the lessons of its published version (or drop them)."""


def request_changed(request: ContentRequest) -> None:
    """Re-index a content request."""
