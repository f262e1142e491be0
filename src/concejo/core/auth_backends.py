"""The model backend, refusing sign-in while a username or address is locked out."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError

from concejo.core.actors import client_ip
from concejo.core.login_guard import lockout_seconds, record_success
from concejo.core.reads import columns, prepared_value, read_models


@cache
def _user_sql() -> str:
    from concejo.accounts.models import AccountSecurity

    user, security = get_user_model()._meta.db_table, AccountSecurity._meta.db_table
    return (
        f"SELECT {columns(get_user_model(), 'u')}, {columns(AccountSecurity, 's')} "  # noqa: S608 - names from the models
        f"FROM {user} u LEFT JOIN {security} s ON s.user_id = u.id WHERE u.id = %s"
    )


class GuardedModelBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user of a request, with their account security (the session
        policy reads it on every request), in one prepared statement."""
        from concejo.accounts.models import AccountSecurity

        model = get_user_model()
        try:
            key = prepared_value(model, "id", model._meta.pk.to_python(user_id))
        except ValidationError:  # a session holding a key of another form
            return None
        rows = read_models(_user_sql(), [key], [(model, "u"), (AccountSecurity, "s")])
        if not rows:
            return None
        user, security = rows[0]
        if security is not None:
            user.security = security
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        ip = client_ip(request) if request is not None else None
        if lockout_seconds(username or "", ip):
            # PermissionDenied stops Django trying other backends and counts as a failure.
            raise PermissionDenied("locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            record_success(username or "", ip)
        return user
