"""Only the recipient sees or marks a notification."""

from __future__ import annotations

from ecotone.authz.testing import check_matrix
from ecotone.notifications.services import notify


def test_notifications_matrix(org):
    notification = notify(
        recipient=org.people["learner"].user, kind="tests.ping", title="For the learner"
    )
    check_matrix(
        """
        actor      permission                target  allowed
        learner    notifications.view        mine    yes
        learner    notifications.mark_read   mine    yes
        peer       notifications.view        mine    no
        peer       notifications.mark_read   mine    no
        manager    notifications.view        mine    no
        manager    notifications.mark_read   mine    no
        admin      notifications.view        mine    no
        admin      notifications.mark_read   mine    no
        anonymous  notifications.view        mine    no
        anonymous  notifications.mark_read   mine    no
        """,
        actors=org.users,
        targets={"mine": notification},
    )
