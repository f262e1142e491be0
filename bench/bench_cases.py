"""Case-file reads through the HTTP API on a large dataset (PostgreSQL only).

Prefills 1,000,000 cases with 3,000,000 documents in their indexes (plain
SQL), then measures p50/p95 of: a unit's open cases (first page), case
detail, and full-text search, each through gunicorn and the real API.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.datasets import bench_entity
from bench.run import Result
from bench.server import free_port, wait_ready

UNITS = 20
WORDS = ["terraza", "vado", "licencia", "obra", "contenedor", "andamio", "ruido", "arbolado",
         "fachada", "cocina", "piscina", "toldo", "rotulo", "garaje", "local", "aparcamiento"]  # fmt: skip
STREETS = ["Santiago", "Zorrilla", "Gamazo", "Mayor", "Real", "Platerias", "Cadena", "Labradores"]
REQUESTS = 200


def _prefill(entity, count: int) -> list:
    from django.db import connection
    from django.utils import timezone

    from concejo.cases.models import Case
    from concejo.organization.models import Unit
    from concejo.people.models import Person

    units = []
    for i in range(UNITS):
        unit, _ = Unit.objects.get_or_create(
            dir3_code=f"LA048{i:04d}",
            defaults={"entity": entity, "name": f"Servicio {i}", "level": "service", "valid_from": timezone.localdate()},
        )  # fmt: skip
        units.append(unit)
    have = Case.objects.filter(entity=entity).count()
    if have >= count:
        return units
    persons = list(Person.objects.filter(entity=entity).values_list("pk", flat=True)[:1000])
    if len(persons) < 1000:
        from bench.datasets import persons as person_data
        from concejo.core.actors import Actor
        from concejo.people.services import person_find_or_create

        for data in person_data(1000, offset=700_000):
            person_find_or_create(actor=Actor.system(), entity=entity, data=data)
        persons = list(Person.objects.filter(entity=entity).values_list("pk", flat=True)[:1000])
    words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
    streets = "ARRAY[" + ",".join(f"'{s}'" for s in STREETS) + "]"
    unit_ids = "ARRAY[" + ",".join(f"'{u.pk}'::uuid" for u in units) + "]"
    person_ids = "ARRAY[" + ",".join(f"'{p}'::uuid" for p in persons) + "]"
    statuses = "ARRAY['open','in_progress','in_progress','awaiting_correction','resolved','closed']"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO cases_case (id, created_at, updated_at, entity_id, year, number, case_code,
                eni_identifier, subject, classification, responsible_unit_id, confidentiality,
                initiation, status, eni_state, started_at, resolution_due, silence_effect,
                paused_days, search_text)
            SELECT gen_random_uuid(), now() - (n || ' seconds')::interval, now(), %s, 2020, n,
                '2020/' || lpad(n::text, 7, '0'), 'ES_{entity.dir3_code}_2020_EXP_' || n,
                initcap(w) || ' en calle ' || s || ', ' || (n %% 200), '', u, 'restricted',
                'on_request', st, 'E01', now(), current_date + (n %% 90), 'approval', 0,
                w || ' en calle ' || lower(s) || ' ' || (n %% 200)
            FROM (
                SELECT n, ({words})[1 + n %% {len(WORDS)}] AS w, ({streets})[1 + n %% {len(STREETS)}] AS s,
                       ({unit_ids})[1 + n %% {UNITS}] AS u, ({statuses})[1 + n %% 6] AS st
                FROM generate_series({have + 1}, {count}) AS n
            ) AS g""",
            [entity.pk],
        )  # fmt: skip
        cursor.execute(
            f"""INSERT INTO cases_caseparty (case_id, person_id, role)
            SELECT c.id, ({person_ids})[1 + c.number %% {len(persons)}], 'applicant'
            FROM cases_case c WHERE c.entity_id = %s AND c.year = 2020 AND c.number > %s""",
            [entity.pk, have],
        )  # fmt: skip
        cursor.execute(
            f"""INSERT INTO documents_document (id, created_at, updated_at, entity_id, eni_identifier,
                title, file_name, file, mime_type, size, sha256, organs, captured_at, origin,
                elaboration_state, origin_document, document_type, status, version, created_by)
            SELECT gen_random_uuid(), now(), now(), %s,
                'ES_{entity.dir3_code}_2020_' || upper(substr(md5(c.number || '-' || k), 1, 30)),
                'Documento ' || k || ' del expediente ' || c.case_code, 'documento.pdf',
                'bench/documento.pdf', 'application/pdf', 1000, md5(c.number || '-' || k) || md5(k || '-' || c.number),
                '[]'::jsonb, now(), 'administration', 'EE01', '', 'TD99', 'final', 1, 'bench'
            FROM cases_case c CROSS JOIN generate_series(1, 3) AS k
            WHERE c.entity_id = %s AND c.year = 2020 AND c.number > %s""",
            [entity.pk, entity.pk, have],
        )  # fmt: skip
        cursor.execute(
            f"""INSERT INTO cases_casedocument (case_id, document_id, position, sha256, added_at, added_by)
            SELECT c.id, d.id, k, d.sha256, now(), 'bench'
            FROM cases_case c CROSS JOIN generate_series(1, 3) AS k
            JOIN documents_document d
              ON d.eni_identifier = 'ES_{entity.dir3_code}_2020_' || upper(substr(md5(c.number || '-' || k), 1, 30))
            WHERE c.entity_id = %s AND c.year = 2020 AND c.number > %s""",
            [entity.pk, have],
        )  # fmt: skip
        cursor.execute("ANALYZE")
    return units


def _phrase(rng: random.Random) -> str:
    """Two words that occur together in the dataset (a word and its street)."""
    index = rng.randrange(len(WORDS))
    return f"{WORDS[index]}+{STREETS[index % len(STREETS)].lower()}"


def _timed_get(url: str, key: str) -> tuple[float, int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {key}"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        status = response.status
    return time.perf_counter() - start, status, json.loads(body)


def _p(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def case_reads(options) -> list[Result]:
    from django.db import connection

    if connection.vendor != "postgresql":
        print("  bench_cases: PostgreSQL only (skipped on SQLite)", file=sys.stderr)
        return []
    from concejo.apikeys.services import api_key_issue
    from concejo.cases.models import Case
    from concejo.core.actors import Actor

    entity = bench_entity()
    count = int(1_000_000 * options.scale)
    began = time.perf_counter()
    units = _prefill(entity, count)
    print(
        f"  prefilled {count:,} cases / {3 * count:,} documents in {time.perf_counter() - began:.0f}s",
        file=sys.stderr,
    )
    key = api_key_issue(
        actor=Actor.system(),
        entity=entity,
        name=f"bench-cases-{time.time_ns()}",
        scopes=["cases:read"],
    ).secret
    rng = random.Random(5)
    sample_ids = [
        str(pk)
        for pk in Case.objects.filter(entity=entity)
        .order_by("?")
        .values_list("pk", flat=True)[:REQUESTS]
    ]
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "concejo.conf.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "2", "--log-level", "warning"],
        cwd=Path(__file__).resolve().parents[1], env=os.environ.copy(),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1/cases"
    results = {"list": [], "detail": [], "search": []}
    errors = 0
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 30)
        for i in range(REQUESTS):
            unit = units[i % len(units)].dir3_code
            for kind, url in (
                ("list", f"{base}?unit={unit}&status=in_progress&page_size=50"),
                ("detail", f"{base}/{sample_ids[i % len(sample_ids)]}"),
                ("search", f"{base}?q={_phrase(rng)}&page_size=50"),
            ):
                elapsed, status, body = _timed_get(url, key)
                if status != 200 or (kind != "detail" and not body.get("results")):
                    errors += 1
                    if errors <= 3:
                        print(f"  {kind} {status} {url} {str(body)[:120]}", file=sys.stderr)
                results[kind].append(elapsed)
    finally:
        server.terminate()
        server.wait(timeout=30)
    dataset = f"{count:,} cases, {3 * count:,} documents"
    rows = []
    for kind, label in (
        ("list", "unit's open cases, first page"),
        ("detail", "case detail"),
        ("search", "full-text search"),
    ):
        p50, p95 = _p(results[kind])
        rows += [
            Result(f"cases: {label} p50", dataset, p50, "ms"),
            Result(f"cases: {label} p95", dataset, p95, "ms"),
        ]
    rows.append(
        Result(
            "cases: failed or empty answers (must be 0)",
            f"{3 * REQUESTS} requests",
            errors,
            "errors",
        )
    )
    return rows


BENCHMARKS = [case_reads]
