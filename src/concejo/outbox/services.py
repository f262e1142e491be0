"""Enqueue side effects inside the caller's transaction; run them after it commits.

In the embedded mode (OUTBOX_MODE=inline) a task runs in-process right after
the commit; with OUTBOX_MODE=deferred only `concejo sweep` (cron, Celery beat)
runs them. Either way a failure is recorded and retried with exponential
backoff (30 s, 1 min, 2 min … up to 1 h between tries, ten tries in all, about
three hours), never lost: after the last try the task stays in the admin,
where it can be retried by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from concejo.core.writes import Writes
from concejo.outbox.handlers import batch_handler_for, handler_for
from concejo.outbox.models import OutboxTask, TaskStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
BACKOFF_FIRST = dt.timedelta(seconds=30)
BACKOFF_MAX = dt.timedelta(hours=1)
BATCH_SIZE = 200


def outbox_enqueue(*, kind: str, payload: dict, writes: Writes | None = None) -> OutboxTask:
    """Queue a task; with `writes` its row is written when they are flushed."""
    task = OutboxTask(kind=kind, payload=payload)
    if writes is not None:
        writes.insert(task, returning=True)
    else:
        task.save(force_insert=True)
    if settings.OUTBOX_MODE == "inline":
        transaction.on_commit(lambda: outbox_run(task_id=task.pk), robust=True)
    return task


INLINE_MAX = 20


def outbox_enqueue_many(*, kind: str, payloads: list[dict]) -> None:
    """Many tasks at once. In the inline mode a handful run right after the commit, like
    outbox_enqueue; bulk work (more than INLINE_MAX) is always left to the sweep."""
    tasks = OutboxTask.objects.bulk_create(
        [OutboxTask(kind=kind, payload=p) for p in payloads], batch_size=2000
    )
    if settings.OUTBOX_MODE == "inline" and len(tasks) <= INLINE_MAX:
        for task in tasks:
            transaction.on_commit(lambda pk=task.pk: outbox_run(task_id=pk), robust=True)


def backoff(attempts: int) -> dt.timedelta:
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def _failed(task: OutboxTask, exc: BaseException, now: dt.datetime) -> None:
    log.warning("outbox task %s (%s) failed: %s", task.pk, task.kind, exc)
    task.status = TaskStatus.FAILED
    task.last_error = "".join(traceback.format_exception_only(exc)).strip()[:2000]
    task.next_attempt_at = now + backoff(task.attempts)


def _done(task: OutboxTask, now: dt.datetime) -> None:
    task.status = TaskStatus.DONE
    task.done_at = now
    task.last_error = ""
    task.next_attempt_at = None


FIELDS = ["status", "attempts", "last_error", "done_at", "next_attempt_at"]


def outbox_run(*, task_id: int, now: dt.datetime | None = None) -> bool:
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
            _failed(task, exc, now or timezone.now())
            task.save(update_fields=FIELDS)
            return False
        _done(task, now or timezone.now())
        task.save(update_fields=FIELDS)
        return True


def _run_batch(kind: str, ids: list[int], now: dt.datetime) -> tuple[int, int]:
    """Run tasks of a batch kind together (one SMTP connection for many notices)."""
    with transaction.atomic():
        tasks = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status__in=[TaskStatus.PENDING, TaskStatus.FAILED])
            .order_by("id")
        )
        if not tasks:
            return 0, 0
        try:
            results = batch_handler_for(kind)([t.payload for t in tasks])
        except Exception as exc:  # the whole batch failed (e.g. server unreachable)
            results = [exc] * len(tasks)
        succeeded = [t.pk for t, error in zip(tasks, results, strict=True) if error is None]
        OutboxTask.objects.filter(pk__in=succeeded).update(
            status=TaskStatus.DONE, attempts=F("attempts") + 1, done_at=now, last_error="",
            next_attempt_at=None,
        )  # fmt: skip
        failures = [(t, e) for t, e in zip(tasks, results, strict=True) if e is not None]
        for task, error in failures:
            task.attempts += 1
            _failed(task, error, now)
        OutboxTask.objects.bulk_update([t for t, _ in failures], FIELDS)
    return len(succeeded), len(failures)


def outbox_due(now: dt.datetime | None = None):
    now = now or timezone.now()
    return OutboxTask.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status__in=[TaskStatus.PENDING, TaskStatus.FAILED],
        attempts__lt=MAX_ATTEMPTS,
    )


def outbox_drain(*, limit: int = 1000, now: dt.datetime | None = None) -> tuple[int, int]:
    """Run the tasks that are due (oldest first); returns (done, failed)."""
    now = now or timezone.now()
    rows = list(outbox_due(now).order_by("id").values_list("pk", "kind")[:limit])
    batches: dict[str, list[int]] = defaultdict(list)
    done = failed = 0
    for task_id, kind in rows:
        if batch_handler_for(kind) is not None:
            batches[kind].append(task_id)
        elif outbox_run(task_id=task_id, now=now):
            done += 1
        else:
            failed += 1
    for kind, ids in batches.items():
        for start in range(0, len(ids), BATCH_SIZE):
            ok, ko = _run_batch(kind, ids[start : start + BATCH_SIZE], now)
            done, failed = done + ok, failed + ko
    return done, failed
