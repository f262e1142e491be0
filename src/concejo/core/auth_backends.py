"""The model backend, refusing sign-in while a username or address is locked out."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from concejo.core.actors import client_ip
from concejo.core.login_guard import lockout_seconds, record_success


class GuardedModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        ip = client_ip(request) if request is not None else None
        if lockout_seconds(username or "", ip):
            # PermissionDenied stops Django trying other backends and counts as a failure.
            raise PermissionDenied("locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            record_success(username or "", ip)
        return user
