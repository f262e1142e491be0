"""The shared file cache: entries as Django keeps them, its folder counted once an interval."""

import time

from django.conf import settings

from concejo.core import cache as shared
from concejo.core.cache import SharedFileCache


def files(folder) -> int:
    return len(list(folder.glob("*.djcache")))


def test_the_platform_uses_it():
    assert settings.CACHES["default"]["BACKEND"] == "concejo.core.cache.SharedFileCache"


def test_a_full_cache_drops_its_expired_entries_before_any_live_one(tmp_path):
    cache = SharedFileCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 10, "CHECK_SECONDS": 0}})
    for i in range(6):
        cache.set(f"old-{i}", i, timeout=0)  # already expired: still a file until read or culled
    for i in range(6):
        cache.set(f"live-{i}", i, timeout=300)
    # Full at the fifth live entry: the six expired ones went, no live one did
    # (Django's random cull deletes a third of the ten, live ones likely among them).
    assert [cache.get(f"live-{i}") for i in range(6)] == list(range(6))
    assert files(tmp_path) == 6


def test_a_cache_still_full_of_live_entries_culls_a_third_of_them(tmp_path):
    cache = SharedFileCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 9, "CHECK_SECONDS": 0}})
    for i in range(10):
        cache.set(f"live-{i}", i, timeout=300)
    assert files(tmp_path) == 9 - 9 // 3 + 1
    assert cache.get("live-9") == 9  # the entry being written is never the one culled


def test_the_folder_is_counted_once_an_interval_not_at_every_write(tmp_path, monkeypatch):
    cache = SharedFileCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 5, "CHECK_SECONDS": 60}})
    for i in range(20):
        cache.set(f"client-{i}", [i], timeout=300)
    # Counted at the first write only: it grew past its limit meanwhile, nothing lost.
    assert files(tmp_path) == 20
    again = SharedFileCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 5, "CHECK_SECONDS": 60}})
    again.set("client-20", [20], timeout=300)  # another thread of this process: not yet
    assert files(tmp_path) == 21

    later = time.monotonic() + 61
    monkeypatch.setattr(shared.time, "monotonic", lambda: later)
    cache.set("client-21", [21], timeout=300)  # a minute on: counted, and culled
    assert files(tmp_path) == 21 - 21 // 3 + 1
    assert cache.get("client-21") == [21]
