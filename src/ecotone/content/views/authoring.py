"""The author's pages: the draft workspace, lessons and quizzes, co-authors, review, publishing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecotone import authz
from ecotone.content import selectors
from ecotone.content.forms import CourseForm, CoverForm, LessonForm, QuestionForm, attach
from ecotone.content.models import Lesson, Question
from ecotone.content.services import authoring, health
from ecotone.content.views._common import refuse
from ecotone.kernel.errors import DomainError, NotFound
from ecotone.people import selectors as people_selectors


@require_http_methods(["GET", "POST"])
@login_required
def create(request: HttpRequest) -> HttpResponse:
    authz.require(request.user, "content.create_course")
    initial = {"title": request.GET.get("title", "")[:200]}
    form = CourseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = authoring.create_course(
                actor=request.user,
                title=data["title"],
                summary=data["summary"],
                audience=data["audience"],
                estimated_minutes=data["estimated_minutes"],
                tags=form.tag_list(),
                skills=form.skills(),
                review_by=data["review_by"],
            )
            messages.success(request, "Course started. Add its first lesson.")
            return redirect("content:edit", pk=course.pk)
        except DomainError as error:
            attach(form, error)
    return render(request, "content/course_form.html", {"form": form})


def _workspace(request: HttpRequest, course: Any, form: CourseForm | None = None) -> HttpResponse:
    skills = selectors.course_skills(course)
    can_edit = authz.can(request.user, "content.edit_course", course)
    return render(
        request,
        "content/course_edit.html",
        {
            "course": course,
            "form": form or CourseForm(initial=CourseForm.initial_for(course, skills)),
            "cover_form": CoverForm(),
            "skills": skills,
            "lessons": selectors.draft_lessons(course),
            "coauthors": selectors.coauthors(course),
            "comments": selectors.review_comments(course),
            "versions": selectors.versions(course),
            "suggested": selectors.suggested_reviewers(request.user, course) if can_edit else [],
            "can_edit": can_edit,
            "can_manage": authz.can(request.user, "content.manage_course", course),
            "is_reviewer": authz.can(request.user, "content.review_course", course),
            "picker_url": "/people/pick/",
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft workspace: description, lessons, co-authors, review and publishing."""
    course = selectors.draft_for(request.user, pk)
    if request.method == "POST":
        form = CourseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                authoring.update_course(
                    actor=request.user,
                    course=course,
                    title=data["title"],
                    summary=data["summary"],
                    audience=data["audience"],
                    estimated_minutes=data["estimated_minutes"],
                    tags=form.tag_list(),
                    skills=form.skills(),
                    review_by=data["review_by"] if data["review_by"] != course.review_by else None,
                )
                messages.success(request, "Draft saved.")
                return redirect("content:edit", pk=pk)
            except DomainError as error:
                if error.status in (403, 404):
                    raise
                attach(form, error)
        return _workspace(request, course, form)
    return _workspace(request, course)


@require_POST
@login_required
def cover(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.draft_for(request.user, pk)
    form = CoverForm(request.POST, request.FILES)
    if form.is_valid():
        upload = None if form.cleaned_data["remove"] else form.cleaned_data["cover"]
        if upload is None and not form.cleaned_data["remove"]:
            messages.error(request, "Choose an image.")
            return redirect("content:edit", pk=pk)
        try:
            authoring.set_cover(actor=request.user, course=course, upload=upload)
            messages.success(request, "Cover updated.")
        except DomainError as error:
            return refuse(request, error, "content:edit", pk)
    return redirect("content:edit", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def lesson_new(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.draft_for(request.user, pk)
    authz.require(request.user, "content.edit_course", course)
    initial = {"kind": request.GET.get("kind", Lesson.Kind.TEXT)}
    form = LessonForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lesson = authoring.add_lesson(
                actor=request.user,
                course=course,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                pass_mark=data["pass_mark"] if data["pass_mark"] is not None else 70,
                max_attempts=data["max_attempts"] or 0,
            )
            if lesson.kind == Lesson.Kind.QUIZ:
                messages.success(request, "Quiz added. Now add its questions.")
                return redirect("content:lesson_edit", pk=lesson.pk)
            messages.success(request, "Lesson added.")
            return redirect("content:edit", pk=pk)
        except DomainError as error:
            attach(form, error)
    return render(request, "content/lesson_form.html", {"course": course, "form": form})


def _lesson_page(
    request: HttpRequest,
    lesson: Lesson,
    form: LessonForm | None = None,
    question_form: QuestionForm | None = None,
) -> HttpResponse:
    course = lesson.course
    initial = {
        "title": lesson.title,
        "kind": lesson.kind,
        "body": lesson.body,
        "pass_mark": lesson.pass_mark,
        "max_attempts": lesson.max_attempts,
    }
    kind = request.GET.get("question_kind", Question.Kind.SINGLE)
    question_initial: dict[str, Any] = {"kind": kind}
    if kind == Question.Kind.TRUE_FALSE:
        question_initial |= {"choice_0": "True", "choice_1": "False"}
    return render(
        request,
        "content/lesson_form.html",
        {
            "course": course,
            "lesson": lesson,
            "form": form or LessonForm(initial=initial),
            "questions": list(lesson.questions.prefetch_related("choices")),
            "question_form": question_form or QuestionForm(initial=question_initial),
            "question_kinds": Question.Kind.choices,
            "can_edit": authz.can(request.user, "content.edit_course", course),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_for(request.user, pk)
    if request.method == "GET":
        return _lesson_page(request, lesson)
    if "prompt" in request.POST:
        question_form = QuestionForm(request.POST)
        if question_form.is_valid():
            try:
                authoring.add_question(
                    actor=request.user,
                    lesson=lesson,
                    kind=question_form.cleaned_data["kind"],
                    prompt=question_form.cleaned_data["prompt"],
                    choices=question_form.choices(),
                )
                messages.success(request, "Question added.")
                return redirect("content:lesson_edit", pk=pk)
            except DomainError as error:
                if error.status in (403, 404):
                    raise
                attach(question_form, error)
        return _lesson_page(request, lesson, question_form=question_form)
    form = LessonForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            authoring.update_lesson(
                actor=request.user,
                lesson=lesson,
                title=data["title"],
                body=data["body"],
                pass_mark=data["pass_mark"],
                max_attempts=data["max_attempts"],
            )
            messages.success(request, "Lesson saved.")
            return redirect("content:lesson_edit", pk=pk)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            attach(form, error)
    return _lesson_page(request, lesson, form=form)


@require_POST
@login_required
def lesson_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a lesson up or down, or delete it."""
    lesson = selectors.lesson_for(request.user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "delete":
            authoring.delete_lesson(actor=request.user, lesson=lesson)
            messages.success(request, f"Deleted “{lesson.title}” from the draft.")
        else:
            authoring.move_lesson(actor=request.user, lesson=lesson, direction=action)
    except DomainError as error:
        return refuse(request, error, "content:edit", lesson.course_id)
    return redirect("content:edit", pk=lesson.course_id)


@require_POST
@login_required
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = Question.objects.select_related("lesson__course").filter(pk=pk).first()
    if question is None:
        raise NotFound()
    lesson = selectors.lesson_for(request.user, question.lesson_id)
    try:
        authoring.delete_question(actor=request.user, question=question)
        messages.success(request, "Question deleted.")
    except DomainError as error:
        return refuse(request, error, "content:lesson_edit", lesson.pk)
    return redirect("content:lesson_edit", pk=lesson.pk)


@require_POST
@login_required
def authors(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or remove a co-author, or hand the course over."""
    course = selectors.draft_for(request.user, pk)
    action = request.POST.get("action", "")
    try:
        person = people_selectors.person_for(request.user, int(request.POST.get("person", "")))
    except (ValueError, DomainError):
        messages.error(request, "Choose a person.")
        return redirect("content:edit", pk=pk)
    try:
        if action == "add":
            authoring.add_coauthor(actor=request.user, course=course, person=person)
            messages.success(request, f"{person.display_name} can now edit this course.")
        elif action == "remove":
            authoring.remove_coauthor(actor=request.user, course=course, person=person)
            messages.success(request, f"{person.display_name} is no longer a co-author.")
        elif action == "transfer":
            authoring.transfer_ownership(actor=request.user, course=course, person=person)
            messages.success(request, f"{person.display_name} now owns this course.")
    except DomainError as error:
        return refuse(request, error, "content:edit", pk)
    return redirect("content:edit", pk=pk)


@require_POST
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a review, withdraw it, comment, approve or ask for changes."""
    course = selectors.draft_for(request.user, pk)
    action = request.POST.get("action", "")
    text = request.POST.get("comment", "")
    try:
        if action == "request":
            chosen = request.POST.get("reviewer", "")
            if not chosen.isdigit():
                messages.error(request, "Choose a reviewer.")
                return redirect("content:edit", pk=pk)
            reviewer = people_selectors.person_for(request.user, int(chosen))
            authoring.request_review(
                actor=request.user, course=course, reviewer=reviewer, message=text
            )
            messages.success(request, f"{reviewer.display_name} was asked to review the draft.")
        elif action == "withdraw":
            authoring.withdraw_review(actor=request.user, course=course)
        elif action == "comment":
            authoring.comment_on_draft(actor=request.user, course=course, body=text)
        elif action in ("approve", "changes"):
            authoring.resolve_review(
                actor=request.user, course=course, approve=action == "approve", comment=text
            )
            messages.success(request, "Your review was sent to the authors.")
    except ValueError:
        messages.error(request, "Choose a reviewer.")
    except DomainError as error:
        return refuse(request, error, "content:edit", pk)
    return redirect("content:edit", pk=pk)


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.draft_for(request.user, pk)
    try:
        version = authoring.publish_course(
            actor=request.user, course=course, changelog=request.POST.get("changelog", "")
        )
    except DomainError as error:
        return refuse(request, error, "content:edit", pk)
    messages.success(request, f"Version {version.number} is published.")
    return redirect("content:course", pk=pk)


@require_POST
@login_required
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    archived = request.POST.get("action") != "restore"
    try:
        authoring.archive_course(actor=request.user, course=course, archived=archived)
        messages.success(request, "Archived." if archived else "Back in the catalogue.")
    except DomainError as error:
        return refuse(request, error, "content:edit", pk)
    return redirect("content:edit", pk=pk)


@require_POST
@login_required
def mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.draft_for(request.user, pk)
    try:
        health.mark_reviewed(actor=request.user, course=course)
        messages.success(request, "Marked as reviewed: next review in a year.")
    except DomainError as error:
        return refuse(request, error, "content:edit", pk)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/learn/") else f"/learn/courses/{pk}/edit/")


@require_GET
@login_required
def attention(request: HttpRequest) -> HttpResponse:
    """The author's queue: courses that need attention, reviews and requests waiting."""
    return render(
        request,
        "content/attention.html",
        {
            "items": selectors.attention_queue(request.user),
            "reviews": list(selectors.reviews_for(request.user)),
            "assigned": list(selectors.assigned_to_me(request.user)),
            "drafts": [
                c for c in selectors.authored(request.user)[:50] if c.has_unpublished_changes
            ],
        },
    )
