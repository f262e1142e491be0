"""Session policy: idle timeout, sign-out everywhere, and a second factor where required."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

EXEMPT = ("/backoffice/entrar/", "/backoffice/salir/", "/backoffice/doble-factor/", "/static/")
LAST_SEEN = "last_seen"
LAST_SEEN_RESOLUTION = 60  # seconds; the idle timeout is measured to the minute


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from concejo.accounts.services import (
            SESSION_EPOCH,
            VERIFIED,
            security_of,
            two_factor_required,
        )

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(LAST_SEEN, now)
            security = security_of(user)
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or request.session.get(SESSION_EPOCH, security.session_epoch)
                != security.session_epoch
            ):
                logout(request)
                return redirect(f"{settings.LOGIN_URL}?next={request.path}")
            if now - seen >= LAST_SEEN_RESOLUTION or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now  # not on every request: no session write each time
            request.session.setdefault(SESSION_EPOCH, security.session_epoch)
            if (
                request.path.startswith(("/backoffice/", "/admin/"))
                and not request.path.startswith(EXEMPT)
                and not request.session.get(VERIFIED)
                and (security.two_factor or two_factor_required(user))
            ):
                return redirect("/backoffice/doble-factor/")
        return self.get_response(request)
