"""notify / notify_many and the e-mail preferences, on a real database."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ecotone.kernel.errors import DomainError, NotFound
from ecotone.notifications.models import Notification, NotificationPreference
from ecotone.notifications.services import (
    mark_all_read,
    mark_read,
    notify,
    notify_many,
    update_preferences,
)
from tests.factories import UserFactory


def test_notify_writes_an_inbox_row_and_sends_nothing_by_default(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    actor = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(
            recipient=user,
            kind="people.role_granted",
            title="  You were given a role ",
            body="Details",
            url="/people/1/",
            actor=actor,
        )
    assert notification is not None
    row = Notification.objects.get()
    assert (row.recipient_id, row.kind, row.title, row.body, row.url, row.actor_id) == (
        user.pk,
        "people.role_granted",
        "You were given a role",
        "Details",
        "/people/1/",
        actor.pk,
    )
    assert (row.read_at, row.emailed_at, row.digest_sent_at) == (None, None, None)
    assert callbacks == []
    assert mailoutbox == []


def test_immediate_preference_sends_one_mail_after_commit(
    db, mailoutbox, django_capture_on_commit_callbacks, immediate_tasks, site
):
    user = UserFactory(email="now@example.com")
    update_preferences(actor=user, email_mode="immediate")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(
            recipient=user, kind="tests.ping", title="Ping", body="Hello there", url="/x/"
        )
    assert notification is not None
    assert len(callbacks) == 1
    assert mailoutbox == []  # nothing before the commit

    callbacks[0]()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["now@example.com"]
    assert message.from_email == "Ecotone <ecotone@example.com>"
    assert message.subject == "Ping"
    assert "Hello there" in message.body
    assert "https://learn.example.com/x/" in message.body
    assert "https://learn.example.com/notifications/preferences/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://learn.example.com/x/">Ping</a>' in html
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_immediate_mail_is_enqueued_once_in_the_database_backend(
    db, django_capture_on_commit_callbacks
):
    user = UserFactory()
    update_preferences(actor=user, email_mode="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=user, kind="tests.ping", title="Ping")
    assert notification is not None
    task = DBTaskResult.objects.get()
    assert task.task_path == "ecotone.notifications.tasks.send_notification_emails"
    assert task.args_kwargs == {"args": [[notification.pk]], "kwargs": {}}


def test_a_rolled_back_action_sends_no_mail(
    db, mailoutbox, django_capture_on_commit_callbacks, immediate_tasks
):
    user = UserFactory()
    update_preferences(actor=user, email_mode="immediate")

    def failing_service() -> None:
        with transaction.atomic():
            notify(recipient=user, kind="tests.ping", title="Ping")
            raise RuntimeError("the calling service failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_service()
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_off_sends_no_mail(db, mailoutbox, django_capture_on_commit_callbacks, immediate_tasks):
    user = UserFactory()
    update_preferences(actor=user, email_mode="off")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipient=user, kind="tests.ping", title="Ping")
    assert callbacks == []
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=user).count() == 1


def test_a_kind_override_beats_the_general_mode(
    db, mailoutbox, django_capture_on_commit_callbacks, immediate_tasks
):
    user = UserFactory()
    update_preferences(actor=user, email_mode="immediate", kind_overrides={"tests.noisy": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, kind="tests.noisy", title="Noise")
        notify(recipient=user, kind="tests.signal", title="Signal")
    assert [m.subject for m in mailoutbox] == ["Signal"]


def test_people_who_left_get_nothing(db, mailoutbox, django_capture_on_commit_callbacks):
    gone = UserFactory(is_active=False)
    update_preferences(actor=UserFactory(), email_mode="immediate")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify(recipient=gone, kind="tests.ping", title="Ping") is None
        assert notify_many(recipients=[gone], kind="tests.ping", title="Ping") == []
    assert Notification.objects.count() == 0
    assert callbacks == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "nodots"}, "kind"),
        ({"kind": "Bad.Kind"}, "kind"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "//evil.example/"}, "url"),
        ({"url": "/" + "a" * 500}, "url"),
    ],
)
def test_notify_validates(db, kwargs, field):
    arguments = {"kind": "tests.ping", "title": "Ping", "url": ""} | kwargs
    with pytest.raises(DomainError) as error:
        notify(recipient=UserFactory(), **arguments)
    assert error.value.field == field
    assert Notification.objects.count() == 0


def test_notify_many_inserts_in_bulk_with_constant_queries(
    db, django_assert_num_queries, django_capture_on_commit_callbacks
):
    users = [UserFactory() for _ in range(5)]
    update_preferences(actor=users[0], email_mode="immediate")
    update_preferences(actor=users[1], email_mode="off")
    gone = UserFactory(is_active=False)
    # one insert, one preference query (the e-mail task is enqueued after commit)
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(2):
        created = notify_many(recipients=[*users, users[0], gone], kind="tests.news", title="News")
    assert sorted(n.recipient_id for n in created) == sorted(u.pk for u in users)
    assert all(n.pk for n in created)
    assert Notification.objects.count() == 5
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [[created[0].pk]]


def test_mark_read_is_for_the_recipient_only(db):
    owner, other = UserFactory(), UserFactory()
    notification = notify(recipient=owner, kind="tests.ping", title="Ping")
    assert notification is not None
    with pytest.raises(NotFound):
        mark_read(actor=other, notification=notification)
    assert Notification.objects.get().read_at is None

    first = mark_read(actor=owner, notification=notification).read_at
    assert first is not None
    again = mark_read(actor=owner, notification=Notification.objects.get())
    assert again.read_at == first


def test_mark_all_read_touches_only_ones_own_unread(db):
    owner, other = UserFactory(), UserFactory()
    for n in range(3):
        notify(recipient=owner, kind="tests.ping", title=f"Ping {n}")
    notify(recipient=other, kind="tests.ping", title="Theirs")
    assert mark_all_read(actor=owner) == 3
    assert mark_all_read(actor=owner) == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_update_preferences_validates_and_keeps_one_row(db):
    user = UserFactory()
    with pytest.raises(DomainError) as error:
        update_preferences(actor=user, email_mode="hourly")
    assert error.value.field == "email_mode"
    with pytest.raises(DomainError) as error:
        update_preferences(actor=user, email_mode="off", kind_overrides={"tests.x": "loud"})
    assert error.value.field == "kind_overrides"

    update_preferences(actor=user, email_mode="off", kind_overrides={"tests.x": "immediate"})
    preference = update_preferences(actor=user, email_mode="immediate")
    assert (preference.email_mode, preference.kind_overrides) == (
        "immediate",
        {"tests.x": "immediate"},
    )
    assert NotificationPreference.objects.filter(user=user).count() == 1
