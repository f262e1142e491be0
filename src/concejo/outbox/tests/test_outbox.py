"""The outbox: side effects recorded first, retried until done, never lost."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from concejo.outbox.handlers import register
from concejo.outbox.models import OutboxTask, TaskStatus
from concejo.outbox.services import outbox_drain, outbox_enqueue

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
    assert outbox_drain() == (1, 0)
    task.refresh_from_db()
    assert (task.status, task.attempts) == (TaskStatus.DONE, 2)


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
