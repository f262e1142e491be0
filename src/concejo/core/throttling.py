"""Rate limits for plain Django views (the API uses DRF's throttles with the same rates)."""

from __future__ import annotations

from rest_framework.throttling import ScopedRateThrottle


class _Scope:
    def __init__(self, scope: str) -> None:
        self.throttle_scope = scope


class _KeyedThrottle(ScopedRateThrottle):
    """Counts per given identity (e.g. an API key) instead of per user or address."""

    def __init__(self, ident: str | None) -> None:
        super().__init__()
        self.ident = ident

    def get_cache_key(self, request, view):
        if self.ident is None:
            return super().get_cache_key(request, view)
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


def rate_allowed(request, scope: str, ident: str | None = None) -> tuple[bool, int | None]:
    """(allowed, seconds to wait) for one more request of `scope` from this client."""
    throttle = _KeyedThrottle(ident)
    allowed = throttle.allow_request(request, _Scope(scope))
    return allowed, None if allowed else int(throttle.wait() or 60)
