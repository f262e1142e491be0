"""The outbox: side effects recorded first, retried until done, never lost."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from concejo.outbox.handlers import register
from concejo.outbox.models import OutboxTask, TaskStatus
from concejo.outbox.services import MAX_ATTEMPTS, outbox_drain, outbox_enqueue, outbox_run

pytestmark = pytest.mark.django_db
CALLS: list[dict] = []


def flaky(payload: dict) -> None:
    CALLS.append(payload)
    if payload.get("fail_times", 0) >= len(CALLS):
        raise ConnectionError("mail server down")


register("test.flaky", flaky)


def test_a_failed_side_effect_is_kept_and_retried_by_the_sweep(
    settings, django_capture_on_commit_callbacks
):
    CALLS.clear()
    settings.OUTBOX_MODE = "inline"
    with django_capture_on_commit_callbacks(execute=True):
        task = outbox_enqueue(kind="test.flaky", payload={"fail_times": 1})
    task.refresh_from_db()
    assert (task.status, task.attempts) == (TaskStatus.FAILED, 1)
    assert "mail server down" in task.last_error
    # The retry waits its backoff: not before 30 seconds, then it runs.
    assert task.next_attempt_at - task.created_at >= dt.timedelta(seconds=29)
    assert outbox_drain() == (0, 0)
    assert outbox_drain(now=task.next_attempt_at) == (1, 0)
    task.refresh_from_db()
    assert (task.status, task.attempts, task.next_attempt_at) == (TaskStatus.DONE, 2, None)


def test_backoff_grows_and_gives_up_after_ten_tries_leaving_the_task_for_the_admin(settings):
    CALLS.clear()
    settings.OUTBOX_MODE = "deferred"
    task = outbox_enqueue(kind="test.flaky", payload={"fail_times": 100})
    now = timezone.now()
    waits = []
    for _ in range(MAX_ATTEMPTS):
        assert outbox_drain(now=now) == (0, 1)
        task.refresh_from_db()
        waits.append(task.next_attempt_at - now)
        now = task.next_attempt_at
    assert waits[0] == dt.timedelta(seconds=30) and waits[1] == dt.timedelta(minutes=1)
    assert waits[-1] == dt.timedelta(hours=1)
    assert outbox_drain(now=now + dt.timedelta(days=1)) == (0, 0)  # no more automatic tries
    assert task.status == TaskStatus.FAILED and task.attempts == MAX_ATTEMPTS
    CALLS.clear()
    task.payload = {"fail_times": 0}
    task.save()
    assert outbox_run(task_id=task.pk)  # the admin's "retry now"


def test_deferred_mode_leaves_tasks_to_the_sweep_which_reports_failures(
    settings, django_capture_on_commit_callbacks
):
    CALLS.clear()
    settings.OUTBOX_MODE = "deferred"
    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue(kind="test.flaky", payload={"fail_times": 5})
    assert OutboxTask.objects.get().status == TaskStatus.PENDING
    assert CALLS == []
    with pytest.raises(CommandError, match="fallaron"):
        call_command("sweep")
