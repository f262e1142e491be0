"""Who is doing something: the first argument of every service and selector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass(frozen=True)
class Actor:
    """An employee, an API application, a citizen or the system itself.

    `acting_for` is the person an employee or citizen acts on behalf of
    (a representative acting for the grantor), when any.
    """

    user: Any = None
    api_application: Any = None
    ip: str | None = None
    acting_for: Any = None
    is_system: bool = False
    via: str = ""  # "sede": the platform files on a signed-in citizen's behalf

    @classmethod
    def system(cls) -> Actor:
        return cls(is_system=True)

    @classmethod
    def sede(cls, user, ip: str | None = None, acting_for=None) -> Actor:
        """The sede filing for a citizen: the platform's rights, the citizen's name."""
        return cls(user=user, ip=ip, acting_for=acting_for, is_system=True, via="sede")

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = getattr(request, "user", None)
        app = getattr(request, "api_application", None)
        if user is not None and not getattr(user, "is_authenticated", False):
            user = None
        if user is not None and getattr(user, "application", None) is not None:
            user = None  # an API key's principal, not an employee
        return cls(user=user, api_application=app, ip=client_ip(request))

    @property
    def label(self) -> str:
        if self.is_system:
            return f"{self.via}:{self.user.get_username()}" if self.via and self.user else "system"
        if self.api_application is not None:
            return f"api:{self.api_application.name}"
        if self.user is not None:
            return f"user:{self.user.get_username()}"
        return "anonymous"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind N trusted reverse proxies (setting NUM_PROXIES)
    it is the N-th address from the right of X-Forwarded-For; the rest of that
    header is written by the client and never trusted."""
    from django.conf import settings

    proxies = getattr(settings, "NUM_PROXIES", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None
