"""Enqueue side effects inside the caller's transaction; run them after it commits.

In the embedded mode (OUTBOX_MODE=inline) a task runs in-process right after
the commit; with OUTBOX_MODE=deferred only `concejo sweep` (cron, Celery beat)
runs them. Either way a failure is recorded and retried, never lost.
"""

from __future__ import annotations

import logging
import traceback

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from concejo.outbox.handlers import handler_for
from concejo.outbox.models import OutboxTask, TaskStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


def outbox_enqueue(*, kind: str, payload: dict) -> OutboxTask:
    task = OutboxTask.objects.create(kind=kind, payload=payload)
    if settings.OUTBOX_MODE == "inline":
        transaction.on_commit(lambda: outbox_run(task_id=task.pk), robust=True)
    return task


def outbox_run(*, task_id: int) -> bool:
    """Run one task if it is still pending; True when it is done."""
    with transaction.atomic():
        task = (
            OutboxTask.objects.select_for_update()
            .filter(pk=task_id, status__in=[TaskStatus.PENDING, TaskStatus.FAILED])
            .first()
        )
        if task is None:
            return False
        task.attempts += 1
        try:
            with transaction.atomic():
                handler_for(task.kind)(task.payload)
        except Exception as exc:  # any failure is kept for retry, not raised
            log.warning("outbox task %s (%s) failed: %s", task.pk, task.kind, exc)
            task.status = TaskStatus.FAILED
            task.last_error = "".join(traceback.format_exception_only(exc)).strip()[:2000]
            task.save(update_fields=["status", "attempts", "last_error"])
            return False
        task.status = TaskStatus.DONE
        task.done_at = timezone.now()
        task.last_error = ""
        task.save(update_fields=["status", "attempts", "last_error", "done_at"])
        return True


def outbox_drain(*, limit: int = 1000) -> tuple[int, int]:
    """Run pending and failed tasks (oldest first); returns (done, failed)."""
    ids = list(
        OutboxTask.objects.filter(
            status__in=[TaskStatus.PENDING, TaskStatus.FAILED], attempts__lt=MAX_ATTEMPTS
        )
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    done = sum(1 for task_id in ids if outbox_run(task_id=task_id))
    return done, len(ids) - done
