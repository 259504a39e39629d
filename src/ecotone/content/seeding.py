"""Seed steps of the content app (400-499): about sixty courses by Larkspur's own experts.

Courses are written for the demo company's skill domains by the people with the best validated
level in the skill; each has lessons, a quiz, one to three published versions, enrolments and
completions spread over months, reactions, questions with answers, ratings, and content requests
in every state. Rows are bulk-inserted; completions record skill evidence like the service does.
Freshness and reaction scores are computed by the same functions the services use.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from ecotone.content.models import (
    Answer,
    Choice,
    ContentRequest,
    Course,
    CourseAuthor,
    CourseSkill,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonQuestion,
    MeToo,
    Question,
    QuizAttempt,
    Rating,
    Reaction,
)
from ecotone.content.services import feedback, health
from ecotone.content.services.authoring import snapshot_of
from ecotone.people.models import Person
from ecotone.people.seeding import SeedContext, register_step
from ecotone.skills.demo_framework import CATEGORIES
from ecotone.skills.models import Evidence, EvidenceSource, Skill, SkillLevel
from ecotone.skills.services import refresh_level

PER_CATEGORY = 5
TECHNICAL = {
    "Software engineering",
    "Infrastructure and operations",
    "Data and analytics",
    "Security",
}
TITLES = (
    "{skill} fundamentals",
    "Practical {skill} at Larkspur",
    "{skill}: from first steps to confident practice",
    "A field guide to {skill}",
    "{skill} for busy teams",
)
LESSON_PLANS = (
    ("Why {skill} matters here", "why"),
    ("The core ideas", "ideas"),
    ("Working through an example", "example"),
    ("Common mistakes and how to avoid them", "mistakes"),
    ("Putting it into practice", "practice"),
)
CHANGELOGS = (
    "Clearer example and an extra checklist.",
    "Updated for the new tooling; fixed two typos.",
    "Added a lesson on common mistakes after learner feedback.",
)
COMMENTS = {
    Reaction.Kind.HELPFUL: ("Exactly what I needed.", "Great example.", ""),
    Reaction.Kind.UNCLEAR: ("The second half lost me.", "Could use a diagram.", ""),
    Reaction.Kind.OUTDATED: ("The screenshots show the old tool.", "This changed last quarter."),
    Reaction.Kind.MISSING: ("Nothing about edge cases.", "How does this work for contractors?"),
}
QUESTIONS = (
    ("Does this apply to the mobile team too?", "Yes, with one difference: see lesson 3."),
    ("Where do I find the template?", "It is linked at the end of the last lesson."),
    ("Is there a recording of the workshop?", "Not yet; the course covers the same ground."),
    ("How often should we do this?", "Every sprint is a good default; adjust to your team."),
)
REQUEST_TOPICS = (
    ("Kotlin coroutines in practice", "Kotlin", 2),
    ("Writing runbooks people actually use", "Incident management", 3),
    ("Reading an A/B test result without a statistician", "Experimentation", 2),
    ("Negotiating multi-year contracts", "Negotiation", 1),
    ("Accessible forms", "Accessibility engineering", 2),
    ("Terraform modules for beginners", "Terraform", 1),
    ("Giving feedback across cultures", "Feedback", 1),
    ("Threat modelling a new feature", "Threat modelling", 3),
    ("Forecasting headcount cost", "Financial planning", 0),
    ("Interviewing for potential, not polish", "Structured interviewing", 0),
    ("Churn analysis with SQL", "SQL", 2),
    ("Spark job tuning", "Spark", 0),
)


def _body(skill: str, description: str, part: str, technical: bool, rng: random.Random) -> str:
    if part == "why":
        return (
            f"# Why {skill} matters here\n\n{description}\n\n"
            f"At Larkspur, good {skill.lower()} saves time for the people who depend on our work: "
            "clinicians, patients and the colleagues downstream.\n\n"
            "## What you will be able to do\n\n"
            f"- explain the main ideas of {skill.lower()} to a colleague;\n"
            "- apply them to a real piece of work this week;\n"
            "- know where to go when you get stuck.\n"
        )
    if part == "ideas":
        rows = "\n".join(
            f"| {name} | {meaning} |"
            for name, meaning in rng.sample(
                [
                    ("Start small", "Begin with the simplest thing that could work."),
                    ("Make it visible", "Share progress early so others can help."),
                    ("Measure", "Decide up front how you will know it worked."),
                    ("Iterate", "Improve in small, safe steps."),
                    ("Write it down", "Leave notes the next person can follow."),
                ],
                3,
            )
        )
        return (
            "# The core ideas\n\nThree ideas carry most of the weight.\n\n"
            f"| Idea | In one sentence |\n|---|---|\n{rows}\n\n"
            f"> The experts in {skill.lower()} here agree: most problems come from "
            "skipping the first one.\n"
        )
    if part == "example":
        if technical:
            sample = (
                "```python\n"
                "def review(change):\n"
                '    """Small, focused, explained: the three checks before anything else."""\n'
                "    return change.is_small and change.has_tests and change.description\n"
                "```\n"
            )
        else:
            sample = (
                "1. Write down the outcome you want in one sentence.\n"
                "2. List who is affected and what they need to know.\n"
                "3. Agree on the next step and who owns it.\n"
            )
        return (
            "# Working through an example\n\n"
            f"Here is how a team at Larkspur applied {skill.lower()} last quarter.\n\n{sample}\n"
            "Try it on your own work before the next lesson.\n"
        )
    if part == "mistakes":
        return (
            "# Common mistakes and how to avoid them\n\n"
            "- **Doing it alone.** Ask for a second pair of eyes.\n"
            "- **Skipping the basics.** The fundamentals matter more than the tools.\n"
            "- **Not following up.** Put a date in the calendar to check the result.\n"
        )
    return (
        "# Putting it into practice\n\n"
        "Pick one piece of work this week and apply what you learnt. "
        "Then tell a colleague what changed. "
        "The [skills page](/skills/) lists people who can help.\n"
    )


def _experts(skill_ids: list[int]) -> dict[int, list[int]]:
    """The three best validated people per skill (one window query)."""
    ranked = (
        SkillLevel.objects.filter(
            skill_id__in=skill_ids,
            validated_level__gte=3,
            person__status=Person.Status.ACTIVE,
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("skill_id")],
                order_by=[F("validated_level").desc(), F("id").asc()],
            )
        )
        .filter(rank__lte=3)
        .values_list("skill_id", "person_id")
    )
    result: dict[int, list[int]] = defaultdict(list)
    for skill_id, person_id in ranked:
        result[skill_id].append(person_id)
    return result


@register_step("content_library", label="Writing the course library", order=400)
def write_library(context: SeedContext) -> None:
    if Course.objects.exists():
        return  # seeding again adds nothing twice
    rng = random.Random(context.seed * 31 + 4)
    skills: dict[str, Skill] = context.extras.get("skills") or {
        s.name: s for s in Skill.objects.all()
    }
    active = [p for p in context.people if p.is_active and p.id is not None]
    left = [p for p in context.people if not p.is_active and p.id is not None]
    if not active:
        return
    demo = context.extras.get("demo_people", {})
    executive = demo.get("executive")
    now = dt.datetime.combine(context.today, dt.time(8), tzinfo=dt.UTC)
    chosen: list[tuple[str, Skill, str, bool]] = []
    for category, (_, entries) in CATEGORIES.items():
        picks = [entry for entry in entries if entry[0] in skills][:PER_CATEGORY]
        for name, _, description in picks:
            chosen.append((category, skills[name], description, category in TECHNICAL))
    # Leave a few skills without a course: the demo searches for one of them.
    uncovered = {"Kotlin", "Threat modelling", "Incident management"}
    chosen = [item for item in chosen if item[1].name not in uncovered]
    experts = _experts([skill.pk for _, skill, _, _ in chosen])
    ids = [p.id for p in active if p.id is not None]
    context.progress.start("Courses", len(chosen))
    courses: list[Course] = []
    for index, (_category, skill, description, technical) in enumerate(chosen):
        context.progress.advance()
        pool = experts.get(skill.pk) or [rng.choice(ids)]
        owner_id = pool[0]
        if index in (7, 29) and left:
            owner_id = left[index % len(left)].id or owner_id
        if index in (0, 12) and executive is not None and executive.id:
            owner_id = executive.id
        published = now - dt.timedelta(days=rng.randint(20, 500))
        course = Course.objects.create(
            title=TITLES[index % len(TITLES)].format(skill=skill.name),
            summary=f"{description} A short, practical course by colleagues who do it every day.",
            audience=rng.choice(["everyone", "beginner", "practitioner"]),
            estimated_minutes=rng.choice([15, 25, 40, 60, 90, 150]),
            tags=[skill.name.lower()],
            owner_id=owner_id,
            featured=executive is not None and owner_id == executive.id,
            review_by=(published + dt.timedelta(days=365)).date(),
            draft_changed_at=published,
        )
        CourseSkill.objects.create(course=course, skill=skill, level=rng.choice([2, 2, 3, 3, 4]))
        if len(pool) > 1 and rng.random() < 0.5:
            CourseAuthor.objects.create(course=course, person_id=pool[1])
        plans = LESSON_PLANS[: rng.randint(3, 5)]
        Lesson.objects.bulk_create(
            [
                Lesson(
                    course=course,
                    position=position,
                    title=title.format(skill=skill.name),
                    # The page shows the title; the body starts below it.
                    body=_body(skill.name, description, part, technical, rng).split("\n\n", 1)[1],
                )
                for position, (title, part) in enumerate(plans, start=1)
            ]
        )
        quiz = Lesson.objects.create(
            course=course,
            position=len(plans) + 1,
            kind=Lesson.Kind.QUIZ,
            title="Check your understanding",
            body="Two quick questions. You need 50% to pass.",
            pass_mark=50,
            max_attempts=3,
        )
        first = Question.objects.create(
            lesson=quiz, position=1, kind=Question.Kind.SINGLE, prompt="What should you do first?"
        )
        second = Question.objects.create(
            lesson=quiz,
            position=2,
            kind=Question.Kind.TRUE_FALSE,
            prompt=f"{skill.name} is best learnt alone.",
        )
        Choice.objects.bulk_create(
            [
                Choice(
                    question=first, position=1, text="Start small", correct=True, feedback="Yes."
                ),
                Choice(question=first, position=2, text="Buy a tool", feedback="Tools come later."),
                Choice(question=first, position=3, text="Wait for approval", feedback="No need."),
                Choice(question=second, position=1, text="True", feedback="Ask colleagues!"),
                Choice(question=second, position=2, text="False", correct=True, feedback="Right."),
            ]
        )
        versions = rng.choice([1, 1, 2, 3])
        last = None
        for number in range(1, versions + 1):
            moment = published + dt.timedelta(days=(number - 1) * rng.randint(15, 60))
            last = CourseVersion.objects.create(
                course=course,
                number=number,
                snapshot=snapshot_of(course),
                changelog="First version." if number == 1 else CHANGELOGS[(index + number) % 3],
                published_by_id=owner_id,
                published_at=min(moment, now),
            )
        assert last is not None
        course.version = last
        course.status = Course.Status.PUBLISHED
        course.published_at = last.published_at
        course.draft_changed_at = last.published_at
        course.lesson_count = len(plans) + 1
        if index % 9 == 4:
            course.review_by = context.today - dt.timedelta(days=rng.choice([5, 120]))
        elif index % 9 == 6:
            course.review_by = context.today + dt.timedelta(days=7)
        else:
            course.review_by = (last.published_at + dt.timedelta(days=365)).date()
            if course.review_by <= context.today:
                course.review_by = context.today + dt.timedelta(days=rng.randint(30, 300))
        course.save()
        courses.append(course)
    # A draft in review, to show the review loop.
    if courses and len(ids) > 2:
        draft_owner, reviewer = ids[1], ids[2]
        draft = Course.objects.create(
            title="Pairing with people outside your team",
            summary="How to learn from colleagues in other departments.",
            owner_id=draft_owner,
            reviewer_id=reviewer,
            review_state=Course.Review.REQUESTED,
            draft_changed_at=now,
        )
        Lesson.objects.create(
            course=draft, position=1, title="Find a partner", body="# Find a partner\n\nAsk."
        )
    context.extras["courses"] = courses
    context.added["courses"] += len(courses)


@register_step("content_learning", label="Writing enrolments, feedback and requests", order=410)
def write_learning(context: SeedContext) -> None:
    courses: list[Course] = context.extras.get("courses") or []
    if not courses:
        return
    rng = random.Random(context.seed * 31 + 41)
    now = dt.datetime.combine(context.today, dt.time(8), tzinfo=dt.UTC)
    active = [p.id for p in context.people if p.is_active and p.id is not None]
    demo = context.extras.get("demo_people", {})
    learner = demo.get("learner")
    versions = {
        v.course_id: v for v in CourseVersion.objects.filter(course__in=courses).order_by("number")
    }
    first_versions = {
        v.course_id: v for v in CourseVersion.objects.filter(course__in=courses, number=1)
    }
    enrolments: list[Enrolment] = []
    completions: list[tuple[Enrolment, Course]] = []
    audience = max(3, min(40, len(active) // 6))
    for course in courses:
        version = versions[course.pk]
        keys = [lesson["key"] for lesson in version.snapshot["lessons"]]
        people = rng.sample(active, min(len(active), rng.randint(2, audience)))
        if learner is not None and learner.id and course is courses[2]:
            people = [learner.id, *[p for p in people if p != learner.id]]
        for person_id in people:
            if person_id == course.owner_id:
                continue
            started = max(course.published_at or now, now - dt.timedelta(days=rng.randint(1, 300)))
            pinned = version if rng.random() < 0.8 else first_versions[course.pk]
            pinned_keys = [lesson["key"] for lesson in pinned.snapshot["lessons"]]
            finished = rng.random() < 0.55 and not (learner and person_id == learner.id)
            done = pinned_keys if finished else pinned_keys[: rng.randint(0, len(pinned_keys) - 1)]
            enrolment = Enrolment(
                course=course,
                person_id=person_id,
                version=pinned,
                done_keys=done,
                last_lesson_key=uuid.UUID(done[-1]) if done else None,
                enrolled_at=started,
                last_activity_at=min(now, started + dt.timedelta(days=rng.randint(0, 20))),
                completed_at=min(now, started + dt.timedelta(days=rng.randint(1, 25)))
                if finished
                else None,
            )
            enrolments.append(enrolment)
            if finished:
                completions.append((enrolment, course))
        del keys
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    context.added["enrolments"] += len(enrolments)
    _write_attempts_and_evidence(completions)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for enrolment in enrolments:
        counts[enrolment.course_id][0] += 1
        counts[enrolment.course_id][1] += enrolment.completed_at is not None
    for course in courses:
        course.enrolments, course.completions = counts[course.pk]
    Course.objects.bulk_update(courses, ["enrolments", "completions"])
    _write_feedback(context, rng, courses, enrolments, now)
    _write_requests(context, rng, courses, now)
    for course in courses:
        feedback.refresh_reaction_score(course)
    health.refresh_many(
        Course.objects.filter(pk__in=[c.pk for c in courses]).select_related("owner")
    )


def _write_attempts_and_evidence(completions: list[tuple[Enrolment, Course]]) -> None:
    attempts: list[QuizAttempt] = []
    evidence: list[Evidence] = []
    taught = {
        cs.course_id: cs
        for cs in CourseSkill.objects.filter(course__in={c.pk for _, c in completions})
    }
    for enrolment, course in completions:
        quiz = enrolment.version.snapshot["lessons"][-1]
        assert enrolment.completed_at is not None
        attempts.append(
            QuizAttempt(
                enrolment=enrolment,
                version=enrolment.version,
                lesson_key=quiz["key"],
                number=1,
                answers={"0": [0], "1": [1]},
                score=100,
                passed=True,
                created_at=enrolment.completed_at,
            )
        )
        skill = taught.get(course.pk)
        if skill is not None:
            evidence.append(
                Evidence(
                    person_id=enrolment.person_id,
                    skill_id=skill.skill_id,
                    source=EvidenceSource.ASSESSMENT,
                    level=skill.level,
                    occurred_at=enrolment.completed_at,
                    note=f"Completed “{course.title}” (version {enrolment.version.number})",
                    link_type="content.course",
                    link_id=str(course.pk),
                )
            )
    QuizAttempt.objects.bulk_create(attempts, batch_size=1000)
    Evidence.objects.bulk_create(evidence, batch_size=1000)
    for person_id, skill_id in {(e.person_id, e.skill_id) for e in evidence}:
        refresh_level(person_id=person_id, skill_id=skill_id)


def _write_feedback(
    context: SeedContext,
    rng: random.Random,
    courses: list[Course],
    enrolments: list[Enrolment],
    now: dt.datetime,
) -> None:
    by_course: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in enrolments:
        by_course[enrolment.course_id].append(enrolment)
    reactions: list[Reaction] = []
    ratings: list[Rating] = []
    for index, course in enumerate(courses):
        learners = by_course[course.pk]
        for enrolment in learners:
            keys = [lesson["key"] for lesson in enrolment.version.snapshot["lessons"]]
            kind: Any = rng.choices(
                [Reaction.Kind.HELPFUL, Reaction.Kind.UNCLEAR, Reaction.Kind.MISSING, None],
                weights=[5, 1, 1, 3],
            )[0]
            if index % 9 == 2 and rng.random() < 0.6:
                kind = Reaction.Kind.OUTDATED
            if kind is not None:
                reactions.append(
                    Reaction(
                        course=course,
                        lesson_key=rng.choice(keys),
                        version_number=enrolment.version.number,
                        person_id=enrolment.person_id,
                        kind=kind,
                        comment=rng.choice(COMMENTS.get(kind, ("",))),
                    )
                )
            if enrolment.completed_at is not None and rng.random() < 0.6:
                ratings.append(
                    Rating(
                        course=course,
                        person_id=enrolment.person_id,
                        stars=rng.choices([5, 4, 3, 2], weights=[5, 4, 2, 1])[0],
                        comment=rng.choice(["", "", "Useful and short.", "Would recommend."]),
                    )
                )
        if learners and index % 3 == 0:
            asker = rng.choice(learners)
            prompt, reply = QUESTIONS[index % len(QUESTIONS)]
            key = rng.choice([lesson["key"] for lesson in asker.version.snapshot["lessons"]])
            question = LessonQuestion.objects.create(
                course=course, lesson_key=key, author_id=asker.person_id, title=prompt
            )
            if index % 2 == 0:
                answer = Answer.objects.create(
                    question=question, author_id=course.owner_id, body=reply
                )
                question.accepted = answer
                question.save(update_fields=["accepted"])
    Reaction.objects.bulk_create(reactions, batch_size=1000, ignore_conflicts=True)
    Rating.objects.bulk_create(ratings, batch_size=1000)
    summary: dict[int, list[int]] = defaultdict(list)
    for rating in ratings:
        summary[rating.course_id].append(rating.stars)
    for course in courses:
        stars = summary.get(course.pk)
        course.rating = round(sum(stars) / len(stars), 2) if stars else None
        course.ratings = len(stars or [])
    Course.objects.bulk_update(courses, ["rating", "ratings"])
    context.added["reactions"] += len(reactions)
    context.added["ratings"] += len(ratings)


def _write_requests(
    context: SeedContext, rng: random.Random, courses: list[Course], now: dt.datetime
) -> None:
    skills = {s.name: s for s in Skill.objects.filter(name__in=[t[1] for t in REQUEST_TOPICS])}
    active = [p.id for p in context.people if p.is_active and p.id is not None]
    experts = _experts([s.pk for s in skills.values()])
    states = [
        ContentRequest.Status.OPEN,
        ContentRequest.Status.OPEN,
        ContentRequest.Status.OPEN,
        ContentRequest.Status.PLANNED,
        ContentRequest.Status.IN_PROGRESS,
        ContentRequest.Status.DONE,
        ContentRequest.Status.DECLINED,
    ]
    created = 0
    for index, (topic, skill_name, priority) in enumerate(REQUEST_TOPICS):
        status = states[index % len(states)]
        requester = rng.choice(active)
        skill = skills.get(skill_name)
        candidates = experts.get(skill.pk, []) if skill else []
        expert = candidates[0] if candidates else rng.choice(active)
        request = ContentRequest.objects.create(
            topic=topic,
            description=f"I keep running into {topic.lower()} and could not find anything here.",
            requester_id=requester,
            origin=rng.choice(["direct", "search", "lesson"]),
            blocks_label="Cut incident recovery time by half" if priority == 3 else "",
            blocks_url="",
            blocks_priority=priority,
            status=status,
            decline_reason="Covered by the vendor's certification programme."
            if status == ContentRequest.Status.DECLINED
            else "",
            assignee_id=expert if status in ("planned", "in_progress", "done") else None,
            assignment={
                "planned": ContentRequest.Assignment.PENDING,
                "in_progress": ContentRequest.Assignment.ACCEPTED,
                "done": ContentRequest.Assignment.ACCEPTED,
            }.get(status, ""),
            course=courses[index % len(courses)] if status == ContentRequest.Status.DONE else None,
        )
        ContentRequest.objects.filter(pk=request.pk).update(
            created_at=now - dt.timedelta(days=rng.randint(3, 120))
        )
        if skill:
            request.skills.set([skill])
        supporters = rng.sample(active, min(len(active), rng.randint(0, 9)))
        rows = [MeToo(request=request, person_id=p) for p in supporters if p != requester]
        MeToo.objects.bulk_create(rows)
        ContentRequest.objects.filter(pk=request.pk).update(supporters=1 + len(rows))
        created += 1
    context.added["content requests"] += created
