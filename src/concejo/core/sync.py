"""Run a library's coroutine (pyHanko signs and validates asynchronously) from sync code.

`asyncio.run` refuses to work inside a thread that already has a running event
loop (an ASGI server, a test driving a browser); then the coroutine runs in a
short-lived worker thread with its own loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
