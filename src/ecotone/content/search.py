"""Courses, lessons and content requests in the search index (registered at app start).

- ``content.courses``: published courses as their current version says (title, summary, tags,
  skills), faceted by skill, for every member; drafts never published, as the draft says, for
  their authors and reviewer only (audience tokens ``person:<id>``).
- ``content.lessons``: the lessons of each course's published version (title and text without
  markup), keyed ``<course id>:<lesson key>``.
- ``content.requests``: content requests (topic, description, skills), faceted by status.

Lessons are indexed from published versions only. The content services call
``indexing.course_changed`` and ``indexing.request_changed`` in their transactions; ``ecotone
reindex`` fills the index for existing rows. A search with no results offers "Request this
content", prefilled with the query.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ecotone import authz
from ecotone.content.models import ContentRequest, Course, CourseVersion
from ecotone.content.policies import author_ids
from ecotone.kernel import search
from ecotone.kernel.markdown import plain_text
from ecotone.people.roles import person_of

COURSES = "content.courses"
LESSONS = "content.lessons"
REQUESTS = "content.requests"
LESSON_TEXT = 20_000


def _course_document(course: Course, version: CourseVersion) -> search.Document:
    snapshot = version.snapshot
    skills = [item["name"] for item in snapshot.get("skills", [])]
    return search.Document(
        key=str(course.pk),
        title=snapshot["title"],
        body=snapshot.get("summary", ""),
        tags=[*snapshot.get("tags", []), *skills],
        facets={"skill": skills},
        updated_at=version.published_at,
    )


def _draft_document(course: Course) -> search.Document:
    skills = [item.skill.name for item in course.skills.select_related("skill")]
    people = author_ids(course) | ({course.reviewer_id} if course.reviewer_id else set())
    return search.Document(
        key=str(course.pk),
        title=course.title,
        body=course.summary,
        tags=[*course.tags, *skills],
        facets={"skill": skills},
        audience=[f"person:{pk}" for pk in sorted(people)],
        updated_at=course.updated_at,
    )


def _lesson_documents(course: Course, version: CourseVersion) -> Iterator[search.Document]:
    for lesson in version.snapshot["lessons"]:
        yield search.Document(
            key=f"{course.pk}:{lesson['key']}",
            title=lesson["title"],
            body=plain_text(lesson["body"], limit=LESSON_TEXT),
            tags=[version.snapshot["title"]],
            facets={"course": version.snapshot["title"]},
            updated_at=version.published_at,
        )


def _request_document(request: ContentRequest) -> search.Document:
    skills = [skill.name for skill in request.skills.all()]
    return search.Document(
        key=str(request.pk),
        title=request.topic,
        body=request.description,
        tags=skills,
        facets={"status": request.get_status_display()},
        updated_at=request.updated_at,
    )


def _index(source: str, document: search.Document) -> None:
    search.index_document(
        source,
        document.key,
        title=document.title,
        body=document.body,
        tags=document.tags,
        facets=document.facets,
        audience=document.audience,
        updated_at=document.updated_at,
    )


def index_course(course: Course) -> None:
    """Index a published course and its version's lessons; take anything else out."""
    keys: set[str] = set()
    for snapshot in CourseVersion.objects.filter(course=course).values_list("snapshot", flat=True):
        keys |= {f"{course.pk}:{lesson['key']}" for lesson in snapshot["lessons"]}
    version = course.version if course.is_published else None
    current: set[str] = set()
    if version is not None:
        _index(COURSES, _course_document(course, version))
        for document in _lesson_documents(course, version):
            current.add(document.key)
            _index(LESSONS, document)
    elif course.status == Course.Status.DRAFT:
        _index(COURSES, _draft_document(course))
    else:
        search.remove_document(COURSES, str(course.pk))
    for key in keys - current:
        search.remove_document(LESSONS, key)


def index_request(request: ContentRequest) -> None:
    _index(REQUESTS, _request_document(request))


def _published() -> Any:
    return (
        Course.objects.filter(status=Course.Status.PUBLISHED, version__isnull=False)
        .select_related("version")
        .order_by("pk")
    )


def all_courses() -> Iterator[search.Document]:
    for course in _published().iterator(chunk_size=500):
        assert course.version is not None
        yield _course_document(course, course.version)
    drafts = Course.objects.filter(status=Course.Status.DRAFT).order_by("pk")
    for course in drafts.iterator(chunk_size=500):
        yield _draft_document(course)


def all_lessons() -> Iterator[search.Document]:
    for course in _published().iterator(chunk_size=200):
        assert course.version is not None
        yield from _lesson_documents(course, course.version)


def all_requests() -> Iterator[search.Document]:
    for request in (
        ContentRequest.objects.prefetch_related("skills").order_by("pk").iterator(chunk_size=500)
    ):
        yield _request_document(request)


def _visible(viewer: Any) -> search.Visibility:
    return search.PUBLIC if authz.can(viewer, "content.browse") else search.NOTHING


def _course_visible(viewer: Any) -> search.Visibility:
    """Published courses for members; drafts for the people named in their audience."""
    person = person_of(viewer)
    if person is None or not authz.can(viewer, "content.browse"):
        return search.NOTHING
    return search.PUBLIC.with_tokens([f"person:{person.pk}"])


def _lesson_url(key: str) -> str:
    course_id, _, lesson_key = key.partition(":")
    return f"/learn/courses/{course_id}/lessons/{lesson_key}/"


def register() -> None:
    search.register_source(
        COURSES,
        label="Courses",
        url_for=lambda key: f"/learn/courses/{key}/",
        visible=_course_visible,
        facets={"skill": "Skill"},
        documents=all_courses,
        order=30,
        dated=True,
    )
    search.register_source(
        LESSONS,
        label="Lessons",
        url_for=_lesson_url,
        visible=_visible,
        facets={"course": "Course"},
        documents=all_lessons,
        order=40,
        dated=True,
    )
    search.register_source(
        REQUESTS,
        label="Content requests",
        url_for=lambda key: f"/learn/requests/{key}/",
        visible=_visible,
        facets={"status": "Status"},
        documents=all_requests,
        order=50,
    )
    search.register_no_results_action(
        "Request this content",
        "content:request_new",
        query_param="topic",
        visible=lambda viewer: authz.can(viewer, "content.create_request"),
    )
