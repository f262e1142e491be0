"""Open311 on a city with 1,000,000 historical street reports (PostgreSQL).

Prefill by SQL (not measured); then 32 concurrent Open311 clients POST new
requests through gunicorn, and GET requests.json filtered by status and a
date window is timed. Loopback only, a bounded number of requests.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from bench.datasets import bench_entity
from bench.run import Result
from bench.server import gunicorn, percentile

HISTORY = 1_000_000
CLIENTS = 32
POSTS = 1_600
GETS = 200
BOX = [[41.55, -4.85], [41.55, -4.60], [41.75, -4.60], [41.75, -4.85]]


def _prefill(entity, count: int) -> None:
    from django.db import connection

    from concejo.organization.models import Unit
    from concejo.sectors.cleaning.models import District, Report, ServiceCategory

    unit, _ = Unit.objects.get_or_create(
        entity=entity, dir3_code="LA0473333",
        defaults={"name": "Limpieza (bench)", "valid_from": "2020-01-01"},
    )  # fmt: skip
    district, _ = District.objects.get_or_create(
        entity=entity, code="B1", defaults={"name": "Todo el término (bench)", "boundary": BOX}
    )
    categories = []
    for code in ("basura", "contenedor_lleno", "pintadas", "excrementos"):
        category, _ = ServiceCategory.objects.get_or_create(
            entity=entity, code=code,
            defaults={"name": code, "responsible_unit": unit, "sla_amount": 2, "sla_unit": "business_days"},
        )  # fmt: skip
        categories.append(category)
    have = Report.objects.filter(entity=entity).count()
    if have >= count:
        return
    ids = "ARRAY[" + ",".join(f"'{c.pk}'::uuid" for c in categories) + "]"
    statuses = (
        "ARRAY['submitted','confirmed','assigned','in_progress','fixed','closed','closed','closed']"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO cleaning_report (id, created_at, updated_at, entity_id, tracking_number,
                token, category_id, latitude, longitude, address, district_id, description,
                attributes, media_url, email, first_name, last_name, phone, source, status,
                priority, unit_id, due_at, status_notes)
            SELECT gen_random_uuid(), now() - (n * interval '30 seconds'), now(), %s,
                'HB-' || n, md5(n::text), ({ids})[1 + n %% 4], 41.6 + (n %% 1000) / 10000.0,
                -4.75 + (n %% 997) / 10000.0, 'Calle ' || (n %% 300), %s, 'Aviso histórico ' || n,
                '{{}}'::jsonb, '', '', '', '', '', 'bench', ({statuses})[1 + n %% 8], 'normal', %s,
                now() - (n * interval '30 seconds') + interval '2 days', ''
            FROM generate_series({have + 1}, {count}) AS n""",
            [entity.pk, district.pk, unit.pk],
        )  # fmt: skip
        cursor.execute("ANALYZE cleaning_report")


def open311_load(options) -> list[Result]:
    from django.db import connection

    from concejo.apikeys.services import api_key_issue
    from concejo.core.actors import Actor
    from concejo.sectors.cleaning.models import Report

    if connection.vendor != "postgresql":
        return []
    entity = bench_entity()
    _prefill(entity, int(HISTORY * options.scale) or 1000)
    key = api_key_issue(
        actor=Actor.system(), entity=entity, name=f"open311-{time.time_ns()}", scopes=["open311:write"]
    ).secret  # fmt: skip
    before = Report.objects.filter(entity=entity).count()
    posts = max(CLIENTS, int(POSTS * options.scale))
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    with gunicorn(4, 8, OUTBOX_MODE="deferred") as base:
        body = urllib.parse.urlencode({
            "api_key": key, "jurisdiction_id": entity.dir3_code, "service_code": "contenedor_lleno",
            "lat": "41.6520", "long": "-4.7240", "description": "Contenedor lleno (bench)",
            "email": "bench@example.org",
        }).encode()  # fmt: skip

        def poster(index: int) -> None:
            for _ in range(index, posts, CLIENTS):
                start = time.perf_counter()
                try:
                    request = urllib.request.Request(f"{base}/open311/v2/requests.json", data=body)
                    with urllib.request.urlopen(request, timeout=60) as response:
                        ok = (
                            response.status == 201
                            and json.loads(response.read())[0]["service_request_id"]
                        )
                except (OSError, urllib.error.HTTPError) as exc:
                    ok = False
                    with lock:
                        failures.append(repr(exc)[:200])
                with lock:
                    if ok:
                        latencies.append(time.perf_counter() - start)

        threads = [threading.Thread(target=poster, args=(i,)) for i in range(CLIENTS)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        elapsed = time.perf_counter() - start
        reads = []
        for i in range(GETS):
            status = "open" if i % 2 else "closed"
            days = 1 + i % 30
            query = urllib.parse.urlencode({
                "jurisdiction_id": entity.dir3_code, "status": status,
                "start_date": f"2026-{1 + i % 10:02d}-01T00:00:00+01:00",
                "end_date": f"2026-{1 + i % 10:02d}-{days:02d}T23:59:59+01:00",
            })  # fmt: skip
            begin = time.perf_counter()
            with urllib.request.urlopen(
                f"{base}/open311/v2/requests.json?{query}", timeout=60
            ) as response:
                response.read()
            reads.append(time.perf_counter() - begin)
    stored = Report.objects.filter(entity=entity).count() - before
    history = f"{before:,} reports".replace(",", ".")
    return [
        Result(
            "open311: POST requests (32 clients)",
            f"{posts} POSTs over {history}",
            len(latencies) / elapsed,
            "req/s",
        ),
        Result("open311: POST p95", f"{posts} POSTs", percentile(latencies, 0.95) * 1000, "ms"),
        Result("open311: failed POSTs (must be 0)", f"{stored} stored", len(failures), "errors"),
        Result(
            "open311: GET requests.json p50 (status+dates)",
            f"{GETS} GETs over {history}",
            percentile(reads, 0.5) * 1000,
            "ms",
        ),
        Result(
            "open311: GET requests.json p95 (status+dates)",
            f"{GETS} GETs over {history}",
            percentile(reads, 0.95) * 1000,
            "ms",
        ),
    ]


BENCHMARKS = [open311_load]
