from __future__ import annotations

import datetime as dt

import pytest

from ecotone.content import selectors
from ecotone.content.models import ContentRequest, Course, CourseVersion, Enrolment, Reaction
from ecotone.people.seeding import seed_company
from ecotone.skills.models import Evidence

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def demo(db):
    return seed_company(size="small", seed=1, today=TODAY)


def test_the_demo_library_tells_a_story(demo):
    published = Course.objects.filter(status=Course.Status.PUBLISHED)
    assert 50 <= published.count() <= 70
    assert Course.objects.filter(review_state=Course.Review.REQUESTED).count() == 1
    assert published.filter(featured=True).count() == 2
    assert CourseVersion.objects.filter(number__gte=2).exists()
    assert set(published.values_list("freshness", flat=True)) == {"fresh", "due", "stale"}
    assert set(ContentRequest.objects.values_list("status", flat=True)) == set(
        ContentRequest.Status.values
    )
    completed = Enrolment.objects.filter(completed_at__isnull=False)
    assert completed.exists()
    assert Evidence.objects.filter(link_type="content.course").count() == completed.count()
    assert Reaction.objects.filter(kind=Reaction.Kind.OUTDATED).exists()
    assert (
        not selectors.catalogue(demo.logins and _user(demo, "learner"))
        .filter(title__icontains="Kotlin")
        .exists()
    )


def _user(demo, role):
    from ecotone.people.models import User

    login = next(item for item in demo.logins if item.role == role)
    return User.objects.get(email=login.email)
