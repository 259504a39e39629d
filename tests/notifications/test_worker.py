from __future__ import annotations

from io import StringIO

from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from ecotone.notifications.models import RecurringJobRun
from ecotone.notifications.scheduler import registered
from ecotone.notifications.services import notify, update_preferences
from tests.factories import UserFactory


def test_worker_once_runs_an_enqueued_email_task_from_the_database(transactional_db, site):
    user = UserFactory(email="now@example.com")
    update_preferences(actor=user, email_mode="immediate")
    notification = notify(recipient=user, kind="tests.ping", title="Ping", url="/somewhere/")
    assert notification is not None
    pending = DBTaskResult.objects.get()
    assert pending.status == "READY"
    assert pending.task_path == "ecotone.notifications.tasks.send_notification_emails"
    assert mail.outbox == []

    out = StringIO()
    call_command("worker", "--once", stdout=out)

    pending.refresh_from_db()
    assert pending.status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [["now@example.com"]]
    assert mail.outbox[0].subject == "Ping"
    assert "Open it: https://learn.example.com/somewhere/" in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    # the e-mail, then the first run of every recurring job (the daily digest among them)
    assert f"ran {1 + len(registered())} task(s)" in out.getvalue()
    assert RecurringJobRun.objects.get(name="notifications.daily_digest").runs == 1


def test_worker_once_with_nothing_to_do_after_the_digest_ran(transactional_db):
    call_command("worker", "--once", stdout=StringIO())
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert out.getvalue() == "Enqueued 0 recurring job(s): none; ran 0 task(s).\n"


def test_the_scheduler_thread_stops_when_asked(transactional_db):
    from ecotone.notifications.management.commands.worker import SchedulerThread

    ticker = SchedulerThread(every=3600)
    ticker.start()
    ticker.stop.set()
    ticker.join(timeout=60)
    assert not ticker.is_alive()
    assert RecurringJobRun.objects.get(name="notifications.daily_digest").runs == 1
