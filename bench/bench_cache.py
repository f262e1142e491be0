"""Writing a rate-limit counter to the shared file cache while many clients are counted.

Every throttled request (the CSV check, the deadline and catalog APIs, the
sede's report form) rewrites its client's counter. The folder is filled with
one counter per client first, then counters are rewritten in turns: by the
platform's cache (ADR 0036) and, for comparison, by Django's FileBasedCache,
which lists the whole folder at every write. Bounded: a fixed number of
writes, in a temporary folder removed afterwards.
"""

from __future__ import annotations

import tempfile
import time

from bench.run import Result
from bench.server import percentile

CLIENTS = 10_000
WRITES = 2_000
STOCK_WRITES = 200  # Django's own backend is slow here: fewer writes give its figure


def _timed(cache, writes: int) -> list[float]:
    took = []
    for i in range(writes):
        began = time.perf_counter()
        cache.set(f"throttle_csv_client-{i % CLIENTS}", [time.time()] * 3, 60)
        took.append(time.perf_counter() - began)
    return took


def counter_writes(options) -> list[Result]:
    from django.core.cache.backends.filebased import FileBasedCache

    from concejo.core.cache import SharedFileCache

    clients = max(100, int(CLIENTS * options.scale))
    params = {"OPTIONS": {"MAX_ENTRIES": 100_000}}
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        ours = SharedFileCache(folder, params)
        for i in range(clients):
            ours.set(f"throttle_csv_client-{i}", [0.0], 60)
        dataset = f"{clients:,} clients counted, {WRITES} writes"
        took = _timed(ours, WRITES)
        rows += [
            Result("cache: counter write, shared file cache p50", dataset, percentile(took, 0.5) * 1000, "ms"),
            Result("cache: counter write, shared file cache p99", dataset, percentile(took, 0.99) * 1000, "ms"),
        ]  # fmt: skip
        stock = _timed(FileBasedCache(folder, params), STOCK_WRITES)
        rows.append(
            Result(
                "cache: counter write, Django's FileBasedCache p50",
                f"{clients:,} clients counted, {STOCK_WRITES} writes",
                percentile(stock, 0.5) * 1000,
                "ms",
            )
        )
    return rows


BENCHMARKS = [counter_writes]
