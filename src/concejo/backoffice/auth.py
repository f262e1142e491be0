"""The employees' sign-in form: says so when too many attempts locked it."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from concejo.core.actors import client_ip
from concejo.core.login_guard import lockout_seconds


class GuardedAuthenticationForm(AuthenticationForm):
    def clean(self):
        wait = lockout_seconds(self.data.get("username", ""), client_ip(self.request))
        if wait:
            minutes = max(1, round(wait / 60))
            raise forms.ValidationError(
                f"Demasiados intentos fallidos. Espere {minutes} minuto(s) y vuelva a intentarlo.",
                code="locked",
            )
        return super().clean()
