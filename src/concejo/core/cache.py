"""The cache the processes of one host share: Django's file cache, counted less often (ADR 0036).

Django's `FileBasedCache` lists its whole folder at every `set`, to see
whether it holds `MAX_ENTRIES` files yet. The rate-limit counters are written
at every throttled request, one file per client, and a file stays until it
is read after expiring or culled: with 10,000 clients counted that listing
costs 13–21 ms a request on two cores, with 100,000 more than 100 ms.

Here the folder is counted at most once every `CHECK_SECONDS` (60 by
default, an `OPTIONS` key) per process and folder, so between two counts it
may grow past `MAX_ENTRIES` by what is written meanwhile. When it is full,
the expired entries go first (each file is opened once for its expiry time);
only if it is still full does Django's random cull delete live ones.
Reading and writing entries is Django's, unchanged.
"""

from __future__ import annotations

import random
import threading
import time

from django.core.cache.backends.filebased import FileBasedCache

_NEXT_COUNT: dict[str, float] = {}  # cache folder -> when this process counts it again
_COUNTING = threading.Lock()


class SharedFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._check_seconds = float(params.get("OPTIONS", {}).get("CHECK_SECONDS", 60))

    def _cull(self) -> None:
        now = time.monotonic()
        with _COUNTING:
            if now < _NEXT_COUNT.get(self._dir, float("-inf")):
                return
            _NEXT_COUNT[self._dir] = now + self._check_seconds
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        live = [name for name in files if not self._expired(name)]
        if len(live) < self._max_entries:
            return
        if self._cull_frequency == 0:
            self.clear()
            return
        for name in random.sample(live, len(live) // self._cull_frequency):
            self._delete(name)

    def _expired(self, name: str) -> bool:
        """Whether the entry in file `name` has expired (then it is deleted, as Django does)."""
        try:
            with open(name, "rb") as handle:
                return self._is_expired(handle)
        except FileNotFoundError:  # deleted meanwhile by another process
            return True
