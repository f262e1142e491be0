"""Run the real server (gunicorn on a free loopback port) for the HTTP benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not become ready")


@contextlib.contextmanager
def gunicorn(workers: int, threads: int, **env: str) -> Iterator[str]:
    """Yield the base URL of a running gunicorn; it is stopped on the way out."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "concejo.conf.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
         "--log-level", "warning"],
        cwd=Path(__file__).resolve().parents[1], env={**os.environ, **env},
    )  # fmt: skip
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 30)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
