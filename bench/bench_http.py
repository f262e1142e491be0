"""A dozen simultaneous API clients writing through gunicorn (loopback only, bounded)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.datasets import bench_entity, persons
from bench.run import Result
from bench.server import free_port, wait_ready

CLIENTS = 12
REQUEST_TIMEOUT = 30


def concurrent_api_writers(options) -> list[Result]:
    from concejo.apikeys.services import api_key_issue
    from concejo.core.actors import Actor
    from concejo.people.models import Person

    entity = bench_entity()
    key = api_key_issue(
        actor=Actor.system(), entity=entity, name=f"bench-{time.time_ns()}",
        scopes=["people:write"],
    ).secret  # fmt: skip
    per_client = int(25 * options.scale)
    data = list(persons(CLIENTS * per_client, offset=Person.objects.count() + 500000))
    port = free_port()
    root = Path(__file__).resolve().parents[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "concejo.conf.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "3", "--threads", "4",
         "--log-level", "warning"],
        cwd=root, env=os.environ.copy(),
    )  # fmt: skip
    failures: list[str] = []
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 30)

        def client(index: int) -> None:
            for values in data[index * per_client : (index + 1) * per_client]:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/people/persons",
                    data=json.dumps(values).encode(),
                    headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
                    method="POST",
                )
                try:
                    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                        if response.status != 201:
                            failures.append(str(response.status))
                except urllib.error.HTTPError as exc:
                    failures.append(f"{exc.code} {exc.read()[:200]!r}")
                except OSError as exc:
                    failures.append(repr(exc))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = CLIENTS * per_client
    if failures:
        print(f"  {len(failures)} failed requests, first: {failures[0]}", file=sys.stderr)
    dataset = f"{total} POSTs, {CLIENTS} clients, gunicorn 3x4"
    return [
        Result("http: POST /people/persons throughput", dataset, total / elapsed, "req/s"),
        Result("http: failed requests (must be 0)", dataset, len(failures), "errors"),
    ]


BENCHMARKS = [concurrent_api_writers]
