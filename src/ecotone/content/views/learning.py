"""The learner's pages: catalogue, course, lesson player, quizzes, Q&A, certificate."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecotone import authz
from ecotone.content import selectors
from ecotone.content.forms import AskForm, RatingForm, ReactionForm
from ecotone.content.models import Course, Freshness, Reaction
from ecotone.content.services import feedback, learning
from ecotone.content.views._common import int_param, refuse
from ecotone.kernel.errors import DomainError, NotFound
from ecotone.kernel.pagination import paginate
from ecotone.skills import selectors as skill_selectors


def _fragment(request: HttpRequest, template: str, fragment: str) -> str:
    return f"{template}#{fragment}" if getattr(request, "htmx", False) else template


@require_GET
@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    skills = list(skill_selectors.skills(request.user).only("id", "name", "slug", "category"))
    skill_slug = request.GET.get("skill", "")
    skill = next((s for s in skills if s.slug == skill_slug), None)
    level = int_param(request, "level")
    filters = selectors.CatalogueFilters(
        query=request.GET.get("q", "").strip()[:100],
        skill=skill,
        level=level if level and 1 <= level <= 5 else None,
        duration=request.GET.get("duration", ""),
        freshness=request.GET.get("freshness", ""),
        min_rating=int_param(request, "rating"),
        sort=request.GET.get("sort", "popular"),
    )
    page = paginate(
        selectors.catalogue(request.user, filters), page=int_param(request, "page") or 1, size=24
    )
    params = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {
        "page": page,
        "filters": filters,
        "skills": skills,
        "skill_slug": skill_slug,
        "base_query": urlencode(params),
        "freshness_choices": Freshness.choices,
        "sorts": [
            ("popular", "Most popular"),
            ("rating", "Best rated"),
            ("new", "Newest"),
            ("title", "Title"),
        ],
        "continue": selectors.continue_learning(request.user, limit=3),
        "request_url": "/learn/requests/new/?"
        + urlencode({"topic": filters.query, "origin": "search"}),
    }
    return render(request, _fragment(request, "content/catalogue.html", "results"), context)


@require_GET
@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    enrolments = list(selectors.my_enrolments(request.user)[:100])
    return render(
        request,
        "content/my_learning.html",
        {
            "in_progress": [e for e in enrolments if e.completed_at is None],
            "completed": [e for e in enrolments if e.completed_at is not None],
            "authored": selectors.authored(request.user)[:100],
        },
    )


@require_GET
@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    if course.version is None:
        return redirect("content:edit", pk=course.pk)
    enrolment = selectors.enrolment_of(request.user, course)
    version = enrolment.version if enrolment else course.version
    lessons = version.snapshot["lessons"]
    context: dict[str, Any] = {
        "course": course,
        "version": version,
        "lessons": lessons,
        "skills": version.snapshot["skills"],
        "enrolment": enrolment,
        "can_edit": authz.can(request.user, "content.edit_course", course),
        "can_learn": authz.can(request.user, "content.learn", course),
        "reactions": selectors.reaction_summary(course),
        "ratings": selectors.ratings(course),
        "my_rating": selectors.my_rating(request.user, course),
        "rating_form": RatingForm(),
    }
    if enrolment:
        context["done"] = set(enrolment.done_keys)
        context["resume"] = selectors.resume_key(enrolment)
        context["progress"] = selectors.progress(enrolment)
        context["newer"] = (
            selectors.newer_versions(enrolment) if enrolment.completed_at is None else []
        )
    return render(request, "content/course_detail.html", context)


@require_POST
@login_required
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    try:
        enrolment = learning.enrol(actor=request.user, course=course)
    except DomainError as error:
        return refuse(request, error, "content:course", pk)
    first = selectors.resume_key(enrolment)
    return (
        redirect("content:lesson", pk=pk, key=first) if first else redirect("content:course", pk=pk)
    )


@require_POST
@login_required
def switch_version(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    enrolment = selectors.enrolment_of(request.user, course)
    if enrolment is None:
        raise NotFound()
    try:
        learning.switch_version(actor=request.user, enrolment=enrolment)
        messages.success(request, "You now follow the latest version; your progress came along.")
    except DomainError as error:
        return refuse(request, error, "content:course", pk)
    return redirect("content:course", pk=pk)


@require_POST
@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose from one to five stars.")
        return redirect("content:course", pk=pk)
    try:
        feedback.rate_course(
            actor=request.user,
            course=course,
            stars=form.cleaned_data["stars"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, "Thank you for rating this course.")
    except DomainError as error:
        return refuse(request, error, "content:course", pk)
    return redirect("content:course", pk=pk)


def _lesson_context(request: HttpRequest, course: Course, key: str) -> dict[str, Any]:
    enrolment = selectors.enrolment_of(request.user, course)
    version = enrolment.version if enrolment else course.version
    if version is None:
        raise NotFound()
    lessons = version.snapshot["lessons"]
    index = next((i for i, item in enumerate(lessons) if item["key"] == key), None)
    if index is None:
        raise NotFound("This lesson is not part of your version of the course.")
    lesson = lessons[index]
    attempts = selectors.attempts(enrolment, key) if enrolment and lesson["kind"] == "quiz" else []
    passed = any(a.passed for a in attempts)
    attempts_left = (
        None if not lesson["max_attempts"] else max(0, lesson["max_attempts"] - len(attempts))
    )
    return {
        "course": course,
        "version": version,
        "enrolment": enrolment,
        "lessons": lessons,
        "lesson": lesson,
        "index": index,
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
        "done": set(enrolment.done_keys) if enrolment else set(),
        "attempts": attempts,
        "passed": passed,
        "attempts_left": attempts_left,
        "reaction_kinds": Reaction.Kind.choices,
        "reactions": selectors.reaction_summary(course, key),
        "mine": selectors.my_reactions(request.user, course, key),
        "threads": selectors.lesson_threads(request.user, course, key),
        "can_learn": authz.can(request.user, "content.learn", course),
        "ask_form": AskForm(),
        "request_url": "/learn/requests/new/?"
        + urlencode({"topic": lesson["title"], "origin": "lesson", "course": course.pk}),
    }


@require_GET
@login_required
def lesson(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    context = _lesson_context(request, course, str(key))
    return render(request, "content/lesson.html", context)


@require_POST
@login_required
def complete_lesson(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    enrolment = selectors.enrolment_of(request.user, course)
    if enrolment is None:
        messages.error(request, "Enrol in the course first.")
        return redirect("content:course", pk=pk)
    try:
        learning.complete_lesson(actor=request.user, enrolment=enrolment, lesson_key=str(key))
    except DomainError as error:
        return refuse(request, error, "content:lesson", pk, key)
    if enrolment.completed_at is not None and str(enrolment.last_lesson_key) == str(key):
        messages.success(request, "Course completed. Well done!")
        return redirect("content:course", pk=pk)
    return redirect("content:lesson", pk=pk, key=str(enrolment.last_lesson_key))


@require_POST
@login_required
def submit_quiz(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    enrolment = selectors.enrolment_of(request.user, course)
    if enrolment is None:
        messages.error(request, "Enrol in the course first.")
        return redirect("content:course", pk=pk)
    answers = {
        name[1:]: [int(v) for v in request.POST.getlist(name) if v.isdigit()]
        for name in request.POST
        if name.startswith("q") and name[1:].isdigit()
    }
    try:
        attempt, results = learning.submit_quiz(
            actor=request.user, enrolment=enrolment, lesson_key=str(key), answers=answers
        )
    except DomainError as error:
        return refuse(request, error, "content:lesson", pk, key)
    context = _lesson_context(request, course, str(key))
    context.update({"attempt": attempt, "results": results})
    if enrolment.completed_at is not None:
        messages.success(request, "Course completed. Well done!")
    return render(request, "content/lesson.html", context)


@require_POST
@login_required
def react(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    form = ReactionForm(request.POST)
    if form.is_valid():
        try:
            if request.POST.get("withdraw"):
                reaction = selectors.my_reaction(
                    request.user, course, str(key), form.cleaned_data["kind"]
                )
                if reaction is not None:
                    feedback.withdraw_reaction(actor=request.user, reaction=reaction)
            else:
                feedback.react(
                    actor=request.user,
                    course=course,
                    lesson_key=str(key),
                    kind=form.cleaned_data["kind"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, "Thanks: the authors see your reaction.")
        except DomainError as error:
            return refuse(request, error, "content:lesson", pk, key)
    return redirect("content:lesson", pk=pk, key=key)


@require_POST
@login_required
def ask(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    form = AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write your question first.")
        return redirect("content:lesson", pk=pk, key=key)
    try:
        question = feedback.ask_question(
            actor=request.user,
            course=course,
            lesson_key=str(key),
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
    except DomainError as error:
        return refuse(request, error, "content:lesson", pk, key)
    return redirect(f"/learn/courses/{pk}/lessons/{key}/#question-{question.pk}")


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for(request.user, pk)
    back = f"/learn/courses/{question.course_id}/lessons/{question.lesson_key}/#question-{pk}"
    try:
        if "accept" in request.POST:
            chosen = question.answers.filter(
                pk=int_or_none(request.POST.get("accept")) or 0
            ).first()
            feedback.accept_answer(actor=request.user, question=question, answer=chosen)
        else:
            feedback.answer_question(
                actor=request.user, question=question, body=request.POST.get("body", "")
            )
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    return redirect(back)


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    enrolment = selectors.certificate(request.user, course)
    return render(
        request,
        "content/certificate.html",
        {"course": course, "enrolment": enrolment, "snapshot": enrolment.version.snapshot},
    )


@require_http_methods(["GET"])
@login_required
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    """The version history, and the changes between two versions."""
    course = selectors.course_for(request.user, pk)
    history = selectors.versions(course)
    if not history:
        raise NotFound()
    newest = history[0].number
    new_number = int_param(request, "to") or newest
    old_number = int_param(request, "from") or max(1, new_number - 1)
    change = None
    if old_number != new_number:
        change = selectors.diff(
            selectors.version_for(request.user, course, old_number),
            selectors.version_for(request.user, course, new_number),
        )
    return render(
        request,
        "content/versions.html",
        {
            "course": course,
            "history": history,
            "change": change,
            "old_number": old_number,
            "new_number": new_number,
        },
    )
