from __future__ import annotations

from django.conf import settings
from django.db import models

from ecotone.people.models import Person, Team

MIN_LEVEL = 1
MAX_LEVEL = 5


class SkillCategory(models.Model):
    """A node of the category tree that groups skills (engineering, data, sales, ...)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "skill categories"

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A skill of the framework. A merged skill keeps its row, pointing at the one it became."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        DEPRECATED = "deprecated", "Deprecated"
        MERGED = "merged", "Merged"

    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=180, unique=True)
    category = models.ForeignKey(
        SkillCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="skills"
    )
    description = models.TextField(blank=True)
    aliases = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=40, default="skill", blank=True)
    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="skill_not_merged_into_self"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProficiencyLevel(models.Model):
    """One step of the proficiency scale shared by every skill (1 = awareness … 5 = expert)."""

    level = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=60)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["level"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=MIN_LEVEL, level__lte=MAX_LEVEL),
                name="proficiency_level_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} · {self.name}"


class LevelDescriptor(models.Model):
    """What one level means for one skill ("level 3 in SQL: writes window functions")."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField()
    description = models.TextField()

    class Meta:
        ordering = ["skill", "level"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "level"], name="one_descriptor_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} {self.level}"


class EvidenceSource(models.TextChoices):
    SELF = "self", "Self-assessment"
    MANAGER = "manager", "Manager assessment"
    PEER = "peer", "Peer endorsement"
    ASSESSMENT = "assessment", "Course or quiz result"
    OPPORTUNITY = "opportunity", "Opportunity outcome"
    COURSE = "course", "Course completed"
    TALK = "talk", "Talk given"
    EVENT = "event", "Event attended"
    XAPI = "xapi", "External xAPI statement"


class Evidence(models.Model):
    """One piece of evidence of someone's skill. Never edited: newer evidence supersedes it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skill_evidence")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="evidence")
    source = models.CharField(max_length=12, choices=EvidenceSource.choices)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    link_type = models.CharField(max_length=60, blank=True)
    link_id = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "evidence"
        indexes = [
            models.Index(fields=["person", "skill", "occurred_at"]),
            models.Index(fields=["link_type", "link_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__isnull=True)
                | models.Q(level__gte=MIN_LEVEL, level__lte=MAX_LEVEL),
                name="evidence_level_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.skill} · {self.source}"


class SkillLevel(models.Model):
    """Read model: a person's derived level in a skill, rewritten by every ``record_evidence``.

    ``level`` is the derived current level (see README.md), ``validated_level`` the part of it
    that rests on validated or assessed evidence (what colleagues see), ``self_level`` the newest
    self-rating (what the person, their management chain and L&D see). ``team`` copies the
    person's team while they are active (``None`` once they leave), so that the org heatmap counts
    levels per team without joining people: people's services report moves and departures
    (``people.moves``) and ``services.sync_level_teams`` rewrites it.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skill_levels")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    validated_level = models.PositiveSmallIntegerField(null=True, blank=True)
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence = models.FloatField(default=0.0)
    endorsements = models.PositiveIntegerField(default=0)
    last_evidence_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["person", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="one_level_per_skill"),
        ]
        indexes = [
            models.Index(fields=["skill", "level"]),
            models.Index(fields=["skill", "validated_level", "validated_at"]),
            models.Index(fields=["skill", "level", "team"], name="skilllevel_heatmap"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.skill}: {self.level}"


class ValidationRequest(models.Model):
    """A learner asks their manager to validate a level, or a colleague to endorse it."""

    class Kind(models.TextChoices):
        VALIDATION = "validation", "Validation by the manager"
        ENDORSEMENT = "endorsement", "Endorsement by a colleague"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        VALIDATED = "validated", "Validated"
        ADJUSTED = "adjusted", "Adjusted"
        ENDORSED = "endorsed", "Endorsed"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="skill_validation_requests"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="validation_requests")
    level = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reviewer = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="skill_reviews_requested"
    )
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    resolved_level = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["reviewer", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "skill", "reviewer"],
                condition=models.Q(status="pending"),
                name="one_pending_request_per_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.skill} → {self.reviewer} ({self.status})"


class Interest(models.Model):
    """Wants to learn, teach or mentor a skill. ``hidden`` keeps it to the person alone."""

    class Kind(models.TextChoices):
        LEARN = "learn", "Wants to learn"
        TEACH = "teach", "Wants to teach"
        MENTOR = "mentor", "Wants to mentor"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skill_interests")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="interests")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["skill", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["person", "skill", "kind"], name="interest_once"),
        ]
        indexes = [models.Index(fields=["skill", "kind"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} {self.skill}"


class RoleProfile(models.Model):
    """A job role with the skills it needs and the target level of each."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleRequirement(models.Model):
    role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="role_requirements")
    target_level = models.PositiveSmallIntegerField()
    required = models.BooleanField(default=True, help_text="Required, or only nice to have.")

    class Meta:
        ordering = ["role", "-required", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="skill_required_once_per_role"),
            models.CheckConstraint(
                condition=models.Q(target_level__gte=MIN_LEVEL, target_level__lte=MAX_LEVEL),
                name="target_level_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.skill} {self.target_level}"


class RoleAssignment(models.Model):
    """The role profile a person is measured against (at most one)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="role_assignment")
    role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person"]

    def __str__(self) -> str:
        return f"{self.person} → {self.role}"
