from __future__ import annotations

from django.conf import settings
from django.db import models

from ecotone.people.models import Person, Team
from ecotone.skills.models import MAX_LEVEL, MIN_LEVEL, Skill


class Cycle(models.Model):
    """A period objectives belong to: a quarter, a half, or custom dates."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", "Quarter"
        HALF = "half", "Half-year"
        CUSTOM = "custom", "Custom dates"

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.QUARTER)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cycle_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Priority(models.IntegerChoices):
    CRITICAL = 1, "Critical"
    HIGH = 2, "High"
    MEDIUM = 3, "Medium"
    LOW = 4, "Low"


class Objective(models.Model):
    """A company, team or personal objective of a cycle, aligned to parent objectives."""

    class Level(models.TextChoices):
        COMPANY = "company", "Company"
        TEAM = "team", "Team"
        PERSONAL = "personal", "Personal"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="objectives")
    level = models.CharField(max_length=8, choices=Level.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="objectives")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="objectives"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    parents = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="children",
        through="Alignment",
        through_fields=("child", "parent"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "level", "priority", "title"]
        indexes = [models.Index(fields=["cycle", "level", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(level="team") | models.Q(team__isnull=False),
                name="team_objective_has_team",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Alignment(models.Model):
    """``child`` contributes to ``parent``. The alignment graph never has a cycle."""

    child = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "parent"], name="align_once"),
            models.CheckConstraint(
                condition=~models.Q(child=models.F("parent")), name="not_aligned_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} → {self.parent_id}"


class KeyResult(models.Model):
    """A measurable result of an objective: from ``start_value`` to ``target_value`` by a date."""

    class Metric(models.TextChoices):
        NUMBER = "number", "Number"
        PERCENTAGE = "percentage", "Percentage"
        CURRENCY = "currency", "Currency"
        BOOLEAN = "boolean", "Yes / no"
        MILESTONES = "milestones", "Milestones"

    class Direction(models.TextChoices):
        INCREASE = "increase", "Increase to"
        DECREASE = "decrease", "Decrease to"

    class Confidence(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="key_results"
    )
    metric = models.CharField(max_length=10, choices=Metric.choices, default=Metric.NUMBER)
    unit = models.CharField(max_length=12, blank=True, help_text="Currency code or unit.")
    direction = models.CharField(
        max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    start_value = models.FloatField(default=0)
    target_value = models.FloatField(default=1)
    current_value = models.FloatField(default=0)
    milestones = models.JSONField(default=list, blank=True)
    due_on = models.DateField(null=True, blank=True)
    confidence = models.CharField(max_length=9, choices=Confidence.choices, blank=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["objective", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def progress(self) -> float:
        """0 to 1, from the start value towards the target (milestones: the share done)."""
        if self.metric == self.Metric.MILESTONES:
            items = self.milestones or []
            return sum(1 for item in items if item.get("done")) / len(items) if items else 0.0
        if self.metric == self.Metric.BOOLEAN:
            return 1.0 if self.current_value >= 1 else 0.0
        span = self.target_value - self.start_value
        if span == 0:
            return 1.0
        return max(0.0, min(1.0, (self.current_value - self.start_value) / span))


class SkillDemand(models.Model):
    """An objective (or one of its key results) needs ``needed`` people at ``min_level``."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="demands")
    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.CASCADE, related_name="demands"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="demands")
    min_level = models.PositiveSmallIntegerField()
    needed = models.PositiveIntegerField(default=1)
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="skill_demands",
        help_text="The team that should supply them; anyone in the company when empty.",
    )

    class Meta:
        ordering = ["objective", "skill"]
        indexes = [models.Index(fields=["skill"])]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "skill", "team"], name="demand_once_per_team"
            ),
            models.CheckConstraint(
                condition=models.Q(min_level__gte=MIN_LEVEL, min_level__lte=MAX_LEVEL),
                name="demand_level_in_range",
            ),
            models.CheckConstraint(condition=models.Q(needed__gte=1), name="demand_needs_someone"),
        ]

    def __str__(self) -> str:
        return f"{self.objective}: {self.needed} people at {self.skill} {self.min_level}"


class LearningGoal(models.Model):
    """A person's measurable learning goal. Skill and completion goals progress from evidence."""

    class Kind(models.TextChoices):
        SKILL = "skill", "Reach a level in a skill"
        COURSE = "course", "Complete a course"
        PATH = "path", "Complete a learning path"
        TALK = "talk", "Give a talk"
        MENTOR = "mentor", "Mentor someone"
        CUSTOM = "custom", "Custom metric"

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Me and my managers"
        TEAM = "team", "My team"
        EVERYONE = "everyone", "Everyone"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PROPOSED = "proposed", "Proposed by my manager"
        ACTIVE = "active", "Active"
        ACHIEVED = "achieved", "Achieved"
        ABANDONED = "abandoned", "Abandoned"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="learning_goals")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=200)
    motivation = models.TextField(blank=True)
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="goals"
    )
    target_level = models.PositiveSmallIntegerField(null=True, blank=True)
    start_level = models.PositiveSmallIntegerField(default=0)
    target_ref = models.CharField(
        max_length=120, blank=True, help_text="What a completion goal completes (course:12)."
    )
    target_value = models.FloatField(null=True, blank=True)
    current_value = models.FloatField(default=0)
    unit = models.CharField(max_length=30, blank=True)
    due_on = models.DateField(null=True, blank=True)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.ACTIVE)
    progress = models.FloatField(default=0.0)
    progress_changed_at = models.DateTimeField(null=True, blank=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cosigned_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    achieved_at = models.DateTimeField(null=True, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="linked_goals")
    key_results = models.ManyToManyField(KeyResult, blank=True, related_name="learning_goals")
    objectives = models.ManyToManyField(Objective, blank=True, related_name="learning_goals")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["person", "status"]),
            models.Index(fields=["status", "skill"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="skill")
                | models.Q(skill__isnull=False, target_level__gte=MIN_LEVEL)
                & models.Q(target_level__lte=MAX_LEVEL),
                name="skill_goal_has_skill_and_level",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=1), name="goal_progress_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.PROPOSED, self.Status.ACTIVE)


class CheckIn(models.Model):
    """A check-in on a key result or a learning goal: a value, a confidence, a comment."""

    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.CASCADE, related_name="check_ins"
    )
    goal = models.ForeignKey(
        LearningGoal, null=True, blank=True, on_delete=models.CASCADE, related_name="check_ins"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.FloatField(null=True, blank=True)
    confidence = models.CharField(max_length=9, choices=KeyResult.Confidence.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(key_result__isnull=True, goal__isnull=False)
                | models.Q(key_result__isnull=False, goal__isnull=True),
                name="check_in_on_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_result or self.goal}: {self.value} ({self.confidence})"


class GoalComment(models.Model):
    """A comment on a learning goal, by the person or their manager."""

    goal = models.ForeignKey(LearningGoal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.goal}"
