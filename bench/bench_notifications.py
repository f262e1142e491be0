"""Notifications in bulk: issue 100,000, sweep their ten-day rejection, deliver the notices.

The prefill (persons, cases with a signed resolution, parties) is written with
bulk inserts and not measured. Issuing goes through the service in batches of
5,000 (all checks, events, case history and the outbox notice per
notification); the sweep is `notifications_sweep`, as `concejo sweep` runs
it; notices are the outbox's e-mail tasks sent to a real SMTP server on
loopback (aiosmtpd, in its own process), and every one must arrive.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from bench.datasets import bench_entity, persons
from bench.run import Result

COUNT = 100_000
PER_CASE = 100
BATCH = 5_000


def _prefill(entity, count: int):
    from django.utils import timezone

    from concejo.cases.models import Case, CaseDocument, CaseParty
    from concejo.documents.models import Document
    from concejo.organization.models import Unit
    from concejo.people.models import Person
    from concejo.signatures.models import DocumentSignature

    unit, _ = Unit.objects.get_or_create(
        entity=entity, dir3_code="LA0471111",
        defaults={"name": "Gestión tributaria", "valid_from": dt.date(2020, 1, 1)},
    )  # fmt: skip
    now = timezone.now()
    people = Person.objects.bulk_create(
        [Person(entity=entity, **data) for data in persons(count, offset=800_000)], batch_size=5000
    )
    cases, documents = [], []
    for number in range(1, count // PER_CASE + 1):
        cases.append(
            Case(
                entity=entity,
                year=2026,
                number=number,
                case_code=f"2026/{number:06d}",
                eni_identifier=f"ES_{entity.dir3_code}_2026_EXP_{number:06d}",
                subject=f"Liquidación del IBI, lote {number}",
                responsible_unit=unit,
                initiation="ex_officio",
                status="resolved",
                started_at=now,
            )
        )
        documents.append(
            Document(
                entity=entity,
                eni_identifier=f"ES_{entity.dir3_code}_2026_BENCH{number:08d}",
                title=f"Resolución del lote {number}",
                file_name="resolucion.pdf",
                file="bench/resolucion.pdf",
                mime_type="application/pdf",
                size=1000,
                sha256=f"{number:064d}",
                captured_at=now,
                origin="administration",
                elaboration_state="EE01",
                document_type="TD01",
                status="final",
                created_by="bench",
            )
        )
    Case.objects.bulk_create(cases, batch_size=2000)
    Document.objects.bulk_create(documents, batch_size=2000)
    CaseDocument.objects.bulk_create(
        [CaseDocument(case=c, document=d, position=1, sha256=d.sha256, added_by="bench")
         for c, d in zip(cases, documents, strict=True)], batch_size=2000,
    )  # fmt: skip
    DocumentSignature.objects.bulk_create(
        [DocumentSignature(document=d, kind="seal", field_name="SelloEntidad",
                           signer_name=entity.name, certificate_subject="bench", backend="bench",
                           signed_at=now, version=1, sha256_before=d.sha256, sha256_after=d.sha256)
         for d in documents], batch_size=2000,
    )  # fmt: skip
    CaseParty.objects.bulk_create(
        [CaseParty(case=cases[i // PER_CASE], person=p, role="applicant")
         for i, p in enumerate(people)], batch_size=5000,
    )  # fmt: skip
    return [(cases[i // PER_CASE], documents[i // PER_CASE], p) for i, p in enumerate(people)]


def notifications_bulk(options) -> list[Result]:
    from django.conf import settings
    from django.db.models import F

    from concejo.core.actors import Actor
    from concejo.notifications.models import Notification, NotificationStatus
    from concejo.notifications.services import (
        IssueRequest,
        notifications_issue,
        notifications_sweep,
    )
    from concejo.notifications.tests.smtp import free_port, serve_in_subprocess
    from concejo.outbox.models import OutboxTask, TaskStatus
    from concejo.outbox.services import outbox_drain

    settings.OUTBOX_MODE = "deferred"
    count = int(COUNT * options.scale) or PER_CASE
    entity = bench_entity()
    targets = _prefill(entity, count)
    system = Actor.system()
    appeals = "Recurso potestativo de reposición en el plazo de un mes."
    start = time.perf_counter()
    for first in range(0, len(targets), BATCH):
        notifications_issue(
            actor=system, entity=entity,
            items=[IssueRequest(case=c, document=d, addressee=p, subject="Liquidación del IBI 2026",
                                appeals=appeals, appeal_amount=1, appeal_unit="months")
                   for c, d, p in targets[first:first + BATCH]],
        )  # fmt: skip
    issued = time.perf_counter() - start
    rows = [
        Result(
            "notifications: issued in bulk (service)",
            f"{count} notifications",
            count / issued,
            "notif./s",
        )
    ]

    # Ten days and a bit later: the sweep records every rejection.
    later = dt.timedelta(days=11)
    Notification.objects.filter(entity=entity).update(
        made_available_at=F("made_available_at") - later, expires_at=F("expires_at") - later
    )
    start = time.perf_counter()
    swept = notifications_sweep()
    elapsed = time.perf_counter() - start
    assert swept == count, (swept, count)
    assert not Notification.objects.filter(
        entity=entity, status=NotificationStatus.AVAILABLE
    ).exists()
    rows.append(
        Result(
            "notifications: ten-day rejection sweep",
            f"{count} rows in {elapsed:.1f} s",
            count / elapsed,
            "rows/s",
        )
    )

    port = free_port()
    inbox = Path(tempfile.mkdtemp(prefix="concejo-bench-smtp-")) / "received.txt"
    server = serve_in_subprocess(port, str(inbox))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    notices = OutboxTask.objects.filter(kind="notifications.notice")
    total = notices.count()
    # Proof PDFs (one per rejection) stay queued here; only the notices are delivered.
    proofs = OutboxTask.objects.filter(kind="notifications.proof", status=TaskStatus.PENDING)
    proofs.update(status=TaskStatus.DONE)
    start = time.perf_counter()
    while notices.exclude(status=TaskStatus.DONE).exists():
        _done, failed = outbox_drain(limit=5000)
        assert failed == 0
    elapsed = time.perf_counter() - start
    server.terminate()
    server.wait(timeout=30)
    received = len(inbox.read_text().splitlines())
    assert received == total, (received, total)
    OutboxTask.objects.filter(kind="notifications.proof").update(status=TaskStatus.PENDING)
    rows.append(
        Result(
            "notifications: e-mail notices to loopback SMTP",
            f"{total} sent, {received} received, {total - received} lost",
            total / elapsed,
            "notices/s",
        )
    )
    return rows


BENCHMARKS = [notifications_bulk]
