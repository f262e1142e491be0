"""Brute-force protection for every sign-in form: lockout with back-off, logged.

After LOGIN_FAILURES_ALLOWED failures for a username (from any address), or
four times as many from one address (an office behind one NAT shares it), within
the window, further attempts are refused for a time that doubles with each new
lockout, up to LOGIN_LOCKOUT_MAX_SECONDS.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

log = logging.getLogger("concejo.security")
WINDOW = 15 * 60


def _keys(username: str, ip: str | None) -> list[str]:
    digest = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    keys = [f"login:user:{digest}"]
    if ip:
        keys.append(f"login:ip:{ip}")
    return keys


def lockout_seconds(username: str, ip: str | None) -> int:
    """0 when sign-in may be tried; otherwise how long the caller must wait."""
    for key in _keys(username, ip):
        until = cache.get(f"{key}:locked")
        if until:
            return int(until)
    return 0


def record_failure(username: str, ip: str | None) -> None:
    for key in _keys(username, ip):
        failures = cache.get(key, 0) + 1
        cache.set(key, failures, WINDOW)
        allowed = settings.LOGIN_FAILURES_ALLOWED * (4 if key.startswith("login:ip:") else 1)
        if failures >= allowed:
            level = cache.get(f"{key}:level", 0) + 1
            seconds = min(
                settings.LOGIN_LOCKOUT_SECONDS * 2 ** (level - 1),
                settings.LOGIN_LOCKOUT_MAX_SECONDS,
            )
            cache.set(f"{key}:level", level, 24 * 3600)
            cache.set(f"{key}:locked", seconds, seconds)
            cache.delete(key)
            log.warning(
                "sign-in locked for %ss (%s) after repeated failures", seconds, key.split(":")[1]
            )


def record_success(username: str, ip: str | None) -> None:
    for key in _keys(username, ip)[:1]:
        cache.delete(key)


@receiver(user_login_failed)
def _on_failure(sender, credentials, request=None, **kwargs):
    from concejo.core.actors import client_ip

    username = credentials.get("username", "")
    ip = client_ip(request) if request is not None else None
    log.info("sign-in failed for %r from %s", username, ip)
    record_failure(username, ip)
