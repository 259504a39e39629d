"""The daily digest: one message per person, only what they have not read, never twice."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ecotone.notifications.models import Notification
from ecotone.notifications.services import mark_read, notify, update_preferences
from ecotone.notifications.tasks import send_daily_digests
from tests.factories import PersonFactory, UserFactory


def _notify(user, title, *, kind="tests.news", url="", age=timedelta(hours=1)):
    notification = notify(recipient=user, kind=kind, title=title, url=url)
    assert notification is not None
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - age)
    return notification


def test_digest_groups_each_persons_unread_notifications_in_one_message(db, mailoutbox, site):
    ana = PersonFactory(display_name="Ana", user__email="ana@example.com").user
    bo = UserFactory(email="bo@example.com")
    _notify(ana, "First", url="/one/", age=timedelta(hours=5))
    _notify(ana, "Second", age=timedelta(hours=2))
    _notify(bo, "Only one")

    assert send_daily_digests.call() == 2

    by_recipient = {tuple(m.to): m for m in mailoutbox}
    assert sorted(by_recipient) == [("ana@example.com",), ("bo@example.com",)]
    ana_mail = by_recipient[("ana@example.com",)]
    assert ana_mail.subject == "Your Ecotone digest: 2 new notifications"
    assert ana_mail.body.startswith("Hello Ana,")
    assert ana_mail.body.index("First") < ana_mail.body.index("Second")
    assert "https://learn.example.com/one/" in ana_mail.body
    html, mimetype = ana_mail.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://learn.example.com/one/">First</a>' in html
    assert by_recipient[("bo@example.com",)].subject == "Your Ecotone digest: 1 new notification"
    assert by_recipient[("bo@example.com",)].body.startswith("Hello bo@example.com,")
    assert Notification.objects.filter(digest_sent_at__isnull=True).count() == 0


def test_digest_is_idempotent(db, mailoutbox):
    user = UserFactory()
    _notify(user, "Once")
    assert send_daily_digests.call() == 1
    assert send_daily_digests.call() == 0
    assert len(mailoutbox) == 1

    _notify(user, "Later")
    assert send_daily_digests.call() == 1
    assert [m.subject for m in mailoutbox] == [
        "Your Ecotone digest: 1 new notification",
        "Your Ecotone digest: 1 new notification",
    ]
    assert "Later" in mailoutbox[1].body
    assert "Once" not in mailoutbox[1].body


def test_digest_leaves_out_read_old_immediate_off_and_people_who_left(db, mailoutbox):
    reader = UserFactory()
    _notify(reader, "Old news", age=timedelta(days=1, hours=1, minutes=1))
    mark_read(actor=reader, notification=_notify(reader, "Already read"))
    quiet = UserFactory()
    update_preferences(actor=quiet, email_mode="off")
    _notify(quiet, "Muted")
    eager = UserFactory()
    update_preferences(actor=eager, email_mode="immediate")
    _notify(eager, "Sent at once")
    picky = UserFactory(email="picky@example.com")
    update_preferences(
        actor=picky, email_mode="daily_digest", kind_overrides={"tests.noise": "off"}
    )
    _notify(picky, "Noise", kind="tests.noise")
    _notify(picky, "Signal", kind="tests.signal")
    leaver = UserFactory()
    _notify(leaver, "Too late")
    leaver.is_active = False
    leaver.save()

    assert send_daily_digests.call() == 1

    assert [m.to for m in mailoutbox] == [["picky@example.com"]]
    assert "Signal" in mailoutbox[0].body
    assert "Noise" not in mailoutbox[0].body


def test_digest_shows_times_in_the_persons_time_zone(db, mailoutbox):
    user = PersonFactory(time_zone="Asia/Tokyo").user
    notification = _notify(user, "Tokyo time", age=timedelta(0))
    send_daily_digests.call()
    local = timezone.localtime(
        Notification.objects.get(pk=notification.pk).created_at, ZoneInfo("Asia/Tokyo")
    )
    assert local.strftime("%H:%M") in mailoutbox[0].body


def test_digest_queries_do_not_grow_with_people(db, django_assert_num_queries, mailoutbox):
    for n in range(6):
        _notify(UserFactory(), f"News {n}")
    # candidates (with their person), preferences, one claiming UPDATE and its read-back
    with django_assert_num_queries(4):
        assert send_daily_digests.call() == 6
    assert len(mailoutbox) == 6


def test_a_failed_digest_releases_its_notifications(db, mailoutbox, monkeypatch):
    from ecotone.notifications import emails

    unlucky, lucky = UserFactory(email="unlucky@example.com"), UserFactory()
    _notify(unlucky, "Lost?")
    _notify(lucky, "Fine")
    real_send = emails.send_digest

    def flaky_send(user, notifications):
        if user.email == "unlucky@example.com":
            raise ConnectionError("mail server down")
        real_send(user, notifications)

    monkeypatch.setattr(emails, "send_digest", flaky_send)
    assert send_daily_digests.call() == 1
    assert Notification.objects.get(title="Lost?").digest_sent_at is None
    assert Notification.objects.get(title="Fine").digest_sent_at is not None

    monkeypatch.setattr(emails, "send_digest", real_send)
    assert send_daily_digests.call() == 1
    assert [m.to for m in mailoutbox][-1] == ["unlucky@example.com"]
