"""Courses, their immutable versions, learning records, feedback and content requests.

The draft of a course lives in ``Course``, ``CourseSkill``, ``Lesson``, ``Question`` and
``Choice`` rows that its authors edit. Publishing freezes the draft into a ``CourseVersion``
snapshot (JSON); learners and quiz attempts pin a version. Lessons carry a ``key`` that stays the
same across versions, so progress, reactions and Q&A follow a lesson from one version to the next.
"""

from __future__ import annotations

import uuid

from django.db import models

from ecotone.people.models import Person
from ecotone.skills.models import MAX_LEVEL, MIN_LEVEL, Skill


class Freshness(models.TextChoices):
    FRESH = "fresh", "Fresh"
    DUE = "due", "Due for review"
    STALE = "stale", "Stale"


class Course(models.Model):
    """A course and its current draft. ``version`` is the published version learners get."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (never published)"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Review(models.TextChoices):
        NONE = "", "No review"
        REQUESTED = "requested", "Review requested"
        CHANGES = "changes", "Changes requested"
        APPROVED = "approved", "Approved"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        BEGINNER = "beginner", "Beginners"
        PRACTITIONER = "practitioner", "Practitioners"
        EXPERT = "expert", "Experts"
        MANAGER = "manager", "Managers"

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    audience = models.CharField(max_length=14, choices=Audience.choices, default="everyone")
    estimated_minutes = models.PositiveIntegerField(default=30)
    tags = models.JSONField(default=list, blank=True)
    cover = models.FileField(upload_to="courses/covers/", blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="courses_owned")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.ForeignKey(
        "CourseVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    featured = models.BooleanField(default=False, help_text="Written by an executive.")
    review_state = models.CharField(
        max_length=10, choices=Review.choices, default=Review.NONE, blank=True
    )
    reviewer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="courses_reviewing"
    )
    review_by = models.DateField(null=True, blank=True)
    draft_changed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Read model, rewritten by the services that change what it counts.
    lesson_count = models.PositiveIntegerField(default=0)
    enrolments = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    rating = models.FloatField(null=True, blank=True)
    ratings = models.PositiveIntegerField(default=0)
    reaction_score = models.IntegerField(default=0)
    outdated_reports = models.PositiveIntegerField(default=0)
    freshness = models.CharField(max_length=6, choices=Freshness.choices, default="fresh")
    freshness_reasons = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            # The catalogue's sorts: featured courses first, then the chosen order.
            models.Index(fields=["status", "-featured", "title"]),
            models.Index(fields=["status", "-featured", "-published_at"]),
            models.Index(fields=["status", "-featured", "-enrolments"]),
            models.Index(fields=["status", "-featured", "-rating"]),
            models.Index(fields=["status", "estimated_minutes"]),
            models.Index(fields=["status", "freshness"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="course_rating_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.version_id is not None

    @property
    def has_unpublished_changes(self) -> bool:
        if self.draft_changed_at is None:
            return False
        return self.published_at is None or self.draft_changed_at > self.published_at


class CourseAuthor(models.Model):
    """A co-author of a course (the owner is on the course itself)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="coauthors")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="courses_coauthored")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "added_at"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="coauthor_once"),
        ]
        indexes = [models.Index(fields=["person"])]

    def __str__(self) -> str:
        return f"{self.person} on {self.course}"


class CourseSkill(models.Model):
    """A skill the draft teaches, and the level a completer reaches."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="courses")
    level = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["course", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "skill"], name="course_teaches_skill_once"),
            models.CheckConstraint(
                condition=models.Q(level__gte=MIN_LEVEL, level__lte=MAX_LEVEL),
                name="course_skill_level_in_range",
            ),
        ]
        indexes = [models.Index(fields=["skill", "level"])]

    def __str__(self) -> str:
        return f"{self.course}: {self.skill} {self.level}"


class Lesson(models.Model):
    """A lesson of the draft: Markdown text, or a quiz (with questions)."""

    class Kind(models.TextChoices):
        TEXT = "text", "Lesson"
        QUIZ = "quiz", "Quiz"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.TEXT)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    pass_mark = models.PositiveSmallIntegerField(default=70, help_text="Percent to pass.")
    max_attempts = models.PositiveSmallIntegerField(default=0, help_text="0 for unlimited.")

    class Meta:
        ordering = ["course", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], name="lesson_key_once"),
            models.CheckConstraint(condition=models.Q(pass_mark__lte=100), name="pass_mark_pct"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        TRUE_FALSE = "true_false", "True or false"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    prompt = models.TextField()

    class Meta:
        ordering = ["lesson", "position", "id"]

    def __str__(self) -> str:
        return self.prompt[:60]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500)
    correct = models.BooleanField(default=False)
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.text


class CourseVersion(models.Model):
    """An immutable published snapshot of a course. Never edited."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changelog = models.TextField(blank=True)
    published_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["course", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="version_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.course} v{self.number}"


class ReviewComment(models.Model):
    """A comment on the draft, by the reviewer or an author."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="review_comments")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    lesson_key = models.UUIDField(null=True, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.course}"


class Enrolment(models.Model):
    """A learner in a course, pinned to the version they learn from."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolment_rows")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    version = models.ForeignKey(CourseVersion, on_delete=models.PROTECT, related_name="+")
    registration = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    done_keys = models.JSONField(default=list, blank=True)
    last_lesson_key = models.UUIDField(null=True, blank=True)
    enrolled_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="enrol_once"),
        ]
        indexes = [
            models.Index(fields=["person", "completed_at", "-last_activity_at"]),
            models.Index(fields=["course", "completed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.course}"


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    version = models.ForeignKey(CourseVersion, on_delete=models.PROTECT, related_name="+")
    lesson_key = models.UUIDField()
    number = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(help_text="Percent.")
    passed = models.BooleanField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["enrolment", "lesson_key", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson_key", "number"], name="attempt_number_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} attempt {self.number}: {self.score}%"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        HELPFUL = "helpful", "Helpful"
        UNCLEAR = "unclear", "Unclear"
        OUTDATED = "outdated", "Outdated"
        MISSING = "missing", "Missing something"
        QUESTION = "question", "Have a question"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reactions")
    lesson_key = models.UUIDField()
    version_number = models.PositiveIntegerField()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="content_reactions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "lesson_key", "kind"],
                condition=models.Q(resolved_at__isnull=True),
                name="react_once_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["course", "kind", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} on {self.course}"


class LessonQuestion(models.Model):
    """A question a learner asks on a lesson; an author or expert answers it."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    lesson_key = models.UUIDField()
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    accepted = models.ForeignKey(
        "Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["course", "lesson_key"])]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    question = models.ForeignKey(LessonQuestion, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.question}"


class Rating(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="rating_rows")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="rate_once"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="stars_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.stars} on {self.course}"


class ContentRequest(models.Model):
    """A content gap someone reported: the training-needs backlog is made of these."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DECLINED = "declined", "Declined"

    class Assignment(models.TextChoices):
        NONE = "", "Not assigned"
        PENDING = "pending", "Waiting for the expert"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined by the expert"

    class Origin(models.TextChoices):
        DIRECT = "direct", "Asked directly"
        SEARCH = "search", "A search with no results"
        LESSON = "lesson", "A lesson"
        GOAL = "goal", "A goal"

    topic = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    requester = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="content_requests")
    skills = models.ManyToManyField(Skill, blank=True, related_name="content_requests")
    origin = models.CharField(max_length=6, choices=Origin.choices, default=Origin.DIRECT)
    origin_course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="gap_reports"
    )
    blocks_label = models.CharField(max_length=200, blank=True, help_text="Goal or key result.")
    blocks_url = models.CharField(max_length=300, blank=True)
    blocks_priority = models.PositiveSmallIntegerField(
        default=0, help_text="Priority of the objective it blocks: 0 none … 3 critical."
    )
    status = models.CharField(max_length=11, choices=Status.choices, default=Status.OPEN)
    decline_reason = models.TextField(blank=True)
    assignee = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="content_assigned"
    )
    assignment = models.CharField(
        max_length=8, choices=Assignment.choices, default=Assignment.NONE, blank=True
    )
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    supporters = models.PositiveIntegerField(default=1, help_text="The requester and me-toos.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-supporters"]),
            models.Index(fields=["assignee", "assignment"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(blocks_priority__lte=3), name="blocks_priority_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.DECLINED)


class MeToo(models.Model):
    request = models.ForeignKey(ContentRequest, on_delete=models.CASCADE, related_name="me_toos")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="me_too_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} +1 {self.request}"
