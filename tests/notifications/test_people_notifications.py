"""The first real notifications: people services call notify inside their transaction."""

from __future__ import annotations

from ecotone.notifications.models import Notification
from ecotone.people import services


def _inbox(person):
    return list(
        Notification.objects.filter(recipient=person.user).values_list("kind", "title", "url")
    )


def test_granting_a_role_notifies_the_person(org):
    learner, admin = org.people["learner"], org.people["admin"]
    services.grant_role(actor=admin.user, person=learner, role="ld")
    assert _inbox(learner) == [
        (
            "people.role_granted",
            "You were given the L&D facilitator role",
            f"/people/{learner.pk}/",
        )
    ]
    assert Notification.objects.get().actor_id == admin.user.pk
    services.grant_role(actor=admin.user, person=learner, role="ld")  # already held
    assert Notification.objects.count() == 1


def test_changing_a_manager_notifies_the_person_and_the_new_manager(org):
    learner, outsider = org.people["learner"], org.people["outsider"]
    services.change_manager(actor=org.people["admin"].user, person=learner, manager=outsider)
    url = f"/people/{learner.pk}/"
    assert _inbox(learner) == [("people.manager_changed", "You now report to Otto Outsider", url)]
    assert _inbox(outsider) == [("people.report_added", "Leo Learner now reports to you", url)]
    assert _inbox(org.people["manager"]) == []


def test_an_unchanged_manager_notifies_no_one(org):
    learner = org.people["learner"]
    services.change_manager(
        actor=org.people["admin"].user, person=learner, manager=org.people["manager"]
    )
    assert Notification.objects.count() == 0


def test_removing_a_manager_notifies_only_the_person(org):
    learner = org.people["learner"]
    services.change_manager(actor=org.people["admin"].user, person=learner, manager=None)
    assert [kind for kind, _, _ in _inbox(learner)] == ["people.manager_changed"]
    assert Notification.objects.count() == 1
