import datetime as dt

from django.utils import timezone

from ecotone.notifications.scheduler import registered
from ecotone.skills import services
from ecotone.skills.models import SkillLevel
from ecotone.skills.tasks import refresh_skill_levels


def test_the_level_refresh_is_a_nightly_recurring_job():
    job = registered()["skills.refresh_levels"]
    assert job.daily_at == dt.time(2, 30)
    assert job.task is refresh_skill_levels


def test_the_nightly_refresh_rewrites_every_derived_level(org, framework):
    learner = org.people["learner"]
    services.record_evidence(
        actor=learner.user,
        person=learner,
        skill=framework.skills["python"],
        source="self",
        level=3,
        occurred_at=timezone.now() - dt.timedelta(days=400),
    )
    SkillLevel.objects.filter(person=learner).update(level=1)
    assert refresh_skill_levels.call() == 1
    assert SkillLevel.objects.get(person=learner).level != 1
