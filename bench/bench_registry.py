"""Registry throughput on a registry that already holds many entries.

Measures, in one run: entries/s and p50/p95 latency through the service
layer (one small PDF attachment each), through the HTTP API with 32
concurrent clients, and the bare SQL floor: the same locks, counter update
and inserts as plain SQL, one statement each, one transaction per entry.
The floor is measured twice: with every row the service writes (receipt CSV
row, entry, interested, attachment, movement, outbox task, audit row and
chain head), which is the target's reference, and with the entry's own
tables only, as reported before 2026-12-02. The service and both floors take
turns in four rounds of a quarter each, so that a drift in the machine's
speed falls on all three alike. Then it checks that the numbers are gapless
and unique. Receipts are left to the outbox worker during the
timed runs (OUTBOX_MODE=deferred) and their rendering rate is measured apart.
"""

from __future__ import annotations

import base64
import hashlib
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from bench.datasets import bench_entity, persons
from bench.run import Result
from bench.server import free_port, wait_ready

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" * 2000
CLIENTS = 32
WARMUP = 50
ROUNDS = 4


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def _prefill(entity, unit, count: int, year: int) -> None:
    """Bulk-load `count` entries (plain SQL; realistic size, not realistic content)."""
    from django.db import connection

    from concejo.registry.models import RegistryCounter, RegistryEntry

    have = RegistryEntry.objects.filter(entity=entity, year=year, direction="in").count()
    if have >= count:
        return
    postgres = connection.vendor == "postgresql"
    series = (
        f"SELECT g AS n FROM generate_series({have + 1}, {count}) AS g"
        if postgres
        else f"WITH RECURSIVE s(n) AS (SELECT {have + 1} UNION ALL SELECT n + 1 FROM s WHERE n < {count}) SELECT n FROM s"
    )
    new_id = "gen_random_uuid()" if postgres else "lower(hex(randomblob(16)))"
    now = "now()" if postgres else "datetime('now')"
    code = (
        f"'{year}-E-' || lpad(n::text, 8, '0')" if postgres else f"'{year}-E-' || printf('%08d', n)"
    )
    unit_id = str(unit.pk) if postgres else unit.pk.hex
    entity_id = str(entity.pk) if postgres else entity.pk.hex
    form = "'{}'::jsonb" if postgres else "'{}'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO registry_registryentry (id, created_at, updated_at, entity_id, direction,
                year, number, registry_code, filed_at, effective_at, subject, summary, expone, solicita,
                channel, origin_code, origin_name, destination_unit_id, destination_code,
                destination_name, form_data, registered_by, current_unit_id, distribution_status,
                search_text)
            SELECT {new_id}, {now}, {now}, %s, 'in', {year}, n, {code}, {now}, {now},
                'Solicitud ' || n, '', '', '', 'api', '', '', %s, '', '', {form}, 'bench', %s,
                'accepted', 'solicitud ' || n
            FROM ({series}) AS numbers""",
            [entity_id, unit_id, unit_id],
        )
    RegistryCounter.objects.update_or_create(
        entity=entity, direction="in", year=year, defaults={"last_number": count}
    )
    if postgres:
        # A registry that holds a million entries has them vacuumed, analysed and
        # on disk: the timed runs must not share the machine with the autovacuum
        # and the checkpoint that a bulk load of this size sets off.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE registry_registryentry")
            cursor.execute("CHECKPOINT")


def _sql_entry(entity, unit, person, year: int, i: int) -> None:
    """The same rows as plain SQL: counter update, entry, interested, attachment."""
    from django.db import connection, transaction

    postgres = connection.vendor == "postgresql"
    person_id = person.pk if postgres else person.pk.hex
    entity_id = entity.pk if postgres else entity.pk.hex
    unit_id = unit.pk if postgres else unit.pk.hex
    now = "now()" if postgres else "datetime('now')"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_registrycounter SET last_number = last_number + 1 "
            "WHERE entity_id = %s AND direction = 'in' AND year = %s RETURNING last_number",
            [entity_id, year],
        )
        number = cursor.fetchone()[0]
        entry_id = uuid.uuid4()
        entry_key = str(entry_id) if postgres else entry_id.hex
        cursor.execute(
            f"""INSERT INTO registry_registryentry (id, created_at, updated_at, entity_id,
                direction, year, number, registry_code, filed_at, effective_at, subject,
                summary, expone, solicita, channel, origin_code, origin_name,
                destination_unit_id, destination_code, destination_name, form_data,
                registered_by, current_unit_id, distribution_status, search_text)
            VALUES (%s, {now}, {now}, %s, 'in', %s, %s, %s, {now}, {now}, %s, '', '', '',
                'api', '', '', %s, '', '', '{{}}', 'bench', %s, 'pending', %s)""",
            [entry_key, entity_id, year, number, f"{year}-E-{number:08d}", f"SQL {i}",
             unit_id, unit_id, f"sql {i}"],
        )  # fmt: skip
        cursor.execute(
            "INSERT INTO registry_registryinterested (entry_id, person_id, position, role) "
            "VALUES (%s, %s, 1, 'applicant')",
            [entry_key, person_id],
        )
        cursor.execute(
            "INSERT INTO registry_registryattachment (entry_id, position, name, size, "
            "mime_type, sha256, validity, file) VALUES (%s, 1, 'anexo.pdf', %s, "
            "'application/pdf', %s, 'original', %s)",
            [entry_key, len(PDF), "0" * 64, f"registry/sql-{year}-{number}.pdf"],
        )


def _sql_entry_all(entity, unit, person, year: int, i: int) -> None:
    """Every row the service writes, as plain SQL, one statement each, in one transaction.

    The chain head is locked first and the counter second, as the service
    does; then the receipt's CSV row, the entry, its interested party,
    attachment and first movement, the outbox task for the receipt, an audit
    row and the head's new position. The audit rows go to a chain of their
    own, so the entity's real chain stays intact.
    """
    from django.db import connection, transaction

    postgres = connection.vendor == "postgresql"
    key = (lambda value: value) if postgres else (lambda value: value.hex)
    now = "now()" if postgres else "datetime('now')"
    lock = " FOR UPDATE" if postgres else ""
    chain = f"floor-{entity.pk}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT last_seq, last_hash FROM audit_auditchainhead WHERE chain = %s{lock}", [chain]
        )
        seq, last_hash = cursor.fetchone()
        cursor.execute(
            "UPDATE registry_registrycounter SET last_number = last_number + 1 "
            "WHERE entity_id = %s AND direction = 'in' AND year = %s RETURNING last_number",
            [key(entity.pk), year],
        )
        number = cursor.fetchone()[0]
        entry_id, receipt_id = uuid.uuid4(), uuid.uuid4()
        code = f"{year}-E-{number:08d}"
        cursor.execute(
            f"""INSERT INTO verification_issueddocument (id, created_at, updated_at, entity_id,
                csv_code, kind, title, source_type, source_id, issued_at, file, mime_type, sha256)
            VALUES (%s, {now}, {now}, %s, %s, 'registry_receipt', %s, 'registry.registryentry',
                %s, {now}, '', 'application/pdf', '')""",
            [key(receipt_id), key(entity.pk), uuid.uuid4().hex[:24].upper(),
             f"Justificante {code}", str(entry_id)],
        )  # fmt: skip
        cursor.execute(
            f"""INSERT INTO registry_registryentry (id, created_at, updated_at, entity_id,
                direction, year, number, registry_code, filed_at, effective_at, subject,
                summary, expone, solicita, channel, origin_code, origin_name,
                destination_unit_id, destination_code, destination_name, form_data,
                registered_by, current_unit_id, distribution_status, search_text, receipt_id)
            VALUES (%s, {now}, {now}, %s, 'in', %s, %s, %s, {now}, {now}, %s, '', '', '',
                'api', '', '', %s, '', '', '{{}}', 'bench', %s, 'pending', %s, %s)""",
            [key(entry_id), key(entity.pk), year, number, code, f"SQL {i}", key(unit.pk),
             key(unit.pk), f"sql {i}", key(receipt_id)],
        )  # fmt: skip
        cursor.execute(
            "INSERT INTO registry_registryinterested (entry_id, person_id, position, role) "
            "VALUES (%s, %s, 1, 'applicant')",
            [key(entry_id), key(person.pk)],
        )
        cursor.execute(
            "INSERT INTO registry_registryattachment (entry_id, position, name, size, "
            "mime_type, sha256, validity, file) VALUES (%s, 1, 'anexo.pdf', %s, "
            "'application/pdf', %s, 'original', %s)",
            [key(entry_id), len(PDF), "0" * 64, f"registry/sql-{year}-{number}.pdf"],
        )
        cursor.execute(
            f"INSERT INTO registry_registrymovement (entry_id, action, to_unit_id, reason, author, "
            f"created_at) VALUES (%s, 'delivered', %s, '', 'bench', {now})",
            [key(entry_id), key(unit.pk)],
        )
        cursor.execute(
            f"INSERT INTO outbox_outboxtask (kind, payload, status, attempts, last_error, "
            f"created_at) VALUES ('bench.floor', %s, 'done', 0, '', {now})",
            [json.dumps({"document": str(receipt_id)})],
        )
        digest = hashlib.sha256(f"{last_hash}{seq + 1}{entry_id}".encode()).hexdigest()
        cursor.execute(
            f"""INSERT INTO audit_auditentry (chain, seq, entity_id, at, actor, acting_for, action,
                object_type, object_id, outcome, details, prev_hash, hash)
            VALUES (%s, %s, %s, {now}, 'bench', '', 'registry.entry.create',
                'registry.registryentry', %s, 'success', %s, %s, %s)""",
            [chain, seq + 1, key(entity.pk), str(entry_id), json.dumps({"registry_code": code}),
             last_hash, digest],
        )  # fmt: skip
        cursor.execute(
            "UPDATE audit_auditchainhead SET last_seq = %s, last_hash = %s WHERE chain = %s",
            [seq + 1, digest, chain],
        )


WRITERS = 4


def _concurrently(write, count: int) -> tuple[float, float, float]:
    """`count` writes split over WRITERS forked processes; rate, p50 and p95 latency (ms)."""
    from django.db import connections

    connections.close_all()  # each child opens its own connection
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()

    def child(index: int) -> None:
        latencies = []
        for i in range(index, count, WRITERS):
            t0 = time.perf_counter()
            write(i)
            latencies.append(time.perf_counter() - t0)
        connections.close_all()
        queue.put(latencies)

    processes = [ctx.Process(target=child, args=(n,)) for n in range(WRITERS)]
    began = time.perf_counter()
    for process in processes:
        process.start()
    latencies = [t for _ in processes for t in queue.get(timeout=600)]
    for process in processes:
        process.join(timeout=60)
    elapsed = time.perf_counter() - began
    if len(latencies) != count or any(p.exitcode != 0 for p in processes):
        raise RuntimeError("a concurrent writer failed")
    p50, p95 = _percentiles(latencies)
    return count / elapsed, p50, p95


def _setup():
    from django.utils import timezone

    from concejo.core.actors import Actor
    from concejo.organization.models import Unit
    from concejo.organization.services import entity_update

    entity = bench_entity()
    unit = Unit.objects.filter(dir3_code="LA0470011").first()
    if unit is None:
        unit = Unit.objects.create(
            entity=entity, name="Registro General", dir3_code="LA0470011", level="service",
            valid_from=timezone.localdate(),
        )  # fmt: skip
        entity_update(actor=Actor.system(), entity=entity, name=entity.name, registry_unit=unit)
        entity.refresh_from_db()
    return entity, unit


def registry_throughput(options) -> list[Result]:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from concejo.audit.models import AuditChainHead
    from concejo.core.actors import Actor
    from concejo.outbox.services import outbox_drain
    from concejo.people.services import person_find_or_create
    from concejo.registry.attachments import AttachmentInput
    from concejo.registry.models import RegistryEntry
    from concejo.registry.services import registry_entry_create

    settings.OUTBOX_MODE = "deferred"
    postgres = connection.vendor == "postgresql"
    prefill = int((1_000_000 if postgres else 20_000) * options.scale)
    entity, unit = _setup()
    year = timezone.localdate().year
    start = time.perf_counter()
    _prefill(entity, unit, prefill, year)
    print(f"  prefilled {prefill} entries in {time.perf_counter() - start:.1f}s", file=sys.stderr)
    actor = Actor.system()
    people = [
        person_find_or_create(actor=actor, entity=entity, data=p)
        for p in persons(50, offset=900_000)
    ]
    label = f"{prefill:,} entries already, 1 PDF each"

    # 1. Service layer, one writer, and 2. the bare SQL floors, one transaction
    # each: every row the service writes (the target's reference) and the entry's
    # own tables only (as in earlier reports). The machine's speed drifts within
    # a run, so the three take turns in ROUNDS rounds and each rate is its total
    # over them. A server that has been filing for a while has its statements
    # prepared and its SQL built: the first WARMUP filings warm this process and
    # are not timed (they are in the gapless check below).
    count = int(1000 * options.scale)

    def file_one(i: int, subject: str = "Bench") -> None:
        registry_entry_create(
            actor=actor, entity=entity, subject=f"{subject} {i}", interested=[people[i % 50]],
            attachments=[AttachmentInput("anexo.pdf", PDF)],
        )  # fmt: skip

    for i in range(WARMUP):
        file_one(i, "Warm-up")
    AuditChainHead.objects.get_or_create(chain=f"floor-{entity.pk}")
    latencies: list[float] = []
    spent = {"service": 0.0, "full": 0.0, "tables": 0.0}
    for chunk in [range(r, count, ROUNDS) for r in range(ROUNDS)]:
        began = time.perf_counter()
        for i in chunk:
            t0 = time.perf_counter()
            file_one(i)
            latencies.append(time.perf_counter() - t0)
        spent["service"] += time.perf_counter() - began
        began = time.perf_counter()
        for i in chunk:
            _sql_entry_all(entity, unit, people[0], year, i)
        spent["full"] += time.perf_counter() - began
        began = time.perf_counter()
        for i in chunk:
            _sql_entry(entity, unit, people[0], year, i)
        spent["tables"] += time.perf_counter() - began
    service_rate, full_rate, sql_rate = (count / spent[k] for k in ("service", "full", "tables"))
    service_p50, service_p95 = _percentiles(latencies)

    # Receipts rendered by the outbox worker (what the timed runs deferred).
    began = time.perf_counter()
    rendered, render_failures = outbox_drain(limit=count)
    render_rate = rendered / (time.perf_counter() - began)

    # 3b. Both again with WRITERS processes at once (each with its own connection).
    conc_rate, conc_p50, conc_p95 = _concurrently(file_one, count)
    conc_full_rate, _, _ = _concurrently(
        lambda i: _sql_entry_all(entity, unit, people[0], year, count + i), count
    )
    conc_sql_rate, _, _ = _concurrently(
        lambda i: _sql_entry(entity, unit, people[0], year, count + i), count
    )
    outbox_drain(limit=100_000)

    # 4. HTTP API, 32 concurrent clients.
    http_rate, http_p50, http_p95, http_failures, http_count = _http_run(entity, options)
    outbox_drain(limit=100_000)

    # 5. Gapless and unique.
    numbers = RegistryEntry.objects.filter(entity=entity, direction="in", year=year)
    total = numbers.count()
    distinct = numbers.values("number").distinct().count()
    highest = max(numbers.order_by("-number").values_list("number", flat=True)[:1] or [0])
    gapless = total == distinct == highest
    return [
        Result("registry: service layer (1 writer)", label, service_rate, "entries/s"),
        Result("registry: service layer p50", label, service_p50, "ms"),
        Result("registry: service layer p95", label, service_p95, "ms"),
        Result("registry: receipts rendered by outbox worker", f"{rendered} receipts", render_rate, "receipts/s"),
        Result("registry: receipts that failed to render (must be 0)", f"{count} receipts", render_failures, "errors"),
        Result("registry: SQL floor, all its rows (1 writer)", label, full_rate, "entries/s"),
        Result("registry: service / SQL floor, all rows (1 writer)", label, 100 * service_rate / full_rate, "%"),
        Result("registry: SQL floor, entry tables only (1 writer)", label, sql_rate, "entries/s"),
        Result("registry: service / floor, entry tables (1 writer)", label, 100 * service_rate / sql_rate, "%"),
        Result(f"registry: service layer ({WRITERS} writers)", label, conc_rate, "entries/s"),
        Result(f"registry: service layer p50 ({WRITERS} writers)", label, conc_p50, "ms"),
        Result(f"registry: service layer p95 ({WRITERS} writers)", label, conc_p95, "ms"),
        Result(f"registry: SQL floor, all its rows ({WRITERS} writers)", label, conc_full_rate, "entries/s"),
        Result(
            f"registry: service / SQL floor, all rows ({WRITERS} writers)", label,
            100 * conc_rate / conc_full_rate, "%",
        ),
        Result(f"registry: SQL floor, entry tables only ({WRITERS} writers)", label, conc_sql_rate, "entries/s"),
        Result(
            f"registry: service / floor, entry tables ({WRITERS} writers)", label,
            100 * conc_rate / conc_sql_rate, "%",
        ),
        Result(f"registry: HTTP API ({CLIENTS} clients)", f"{http_count} POSTs", http_rate, "entries/s"),
        Result(f"registry: HTTP API p50 ({CLIENTS} clients)", f"{http_count} POSTs", http_p50, "ms"),
        Result(f"registry: HTTP API p95 ({CLIENTS} clients)", f"{http_count} POSTs", http_p95, "ms"),
        Result("registry: HTTP failed requests (must be 0)", f"{http_count} POSTs", http_failures, "errors"),
        Result("registry: numbers gapless and unique (must be 0)", f"{total:,} entries", 0 if gapless else 1, "errors"),
    ]  # fmt: skip


def _http_run(entity, options):
    from concejo.apikeys.services import api_key_issue
    from concejo.core.actors import Actor

    key = api_key_issue(
        actor=Actor.system(), entity=entity, name=f"bench-registry-{time.time_ns()}",
        scopes=["registry:write"],
    ).secret  # fmt: skip
    per_client = max(1, int(16 * options.scale))
    payload = json.dumps(
        {
            "subject": "Solicitud por la API",
            "interested_parties": [{"id_type": "nif", "id_number": "12345678Z", "name": "María", "surname": "García"}],
            "attachments": [{"name": "anexo.pdf", "content_base64": base64.b64encode(PDF).decode()}],
        }
    ).encode()  # fmt: skip
    port = free_port()
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "OUTBOX_MODE": "deferred"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "concejo.conf.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", "4", "--threads", "8", "--log-level", "warning"],
        cwd=root, env=env,
    )  # fmt: skip
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 30)

        def client() -> None:
            for _ in range(per_client):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/registry/entries", data=payload,
                    headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
                    method="POST",
                )  # fmt: skip
                t0 = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        ok = response.status == 201
                except urllib.error.HTTPError as exc:
                    ok = False
                    with lock:
                        failures.append(f"{exc.code} {exc.read()[:300]!r}")
                except OSError as exc:
                    ok = False
                    with lock:
                        failures.append(repr(exc))
                with lock:
                    if ok:
                        latencies.append(time.perf_counter() - t0)

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    if failures:
        print(f"  {len(failures)} failed, first: {failures[0]}", file=sys.stderr)
    p50, p95 = _percentiles(latencies) if latencies else (0.0, 0.0)
    return len(latencies) / elapsed, p50, p95, len(failures), CLIENTS * per_client


BENCHMARKS = [registry_throughput]
