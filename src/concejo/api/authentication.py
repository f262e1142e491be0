"""`Authorization: Token <key>` for API applications."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from concejo.apikeys.services import api_key_authenticate


class ApiPrincipal:
    """What `request.user` is for a request made with an API key."""

    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_active = True

    def __init__(self, application):
        self.application = application
        self.pk = f"api-{application.pk}"  # the throttling key of this client

    def get_username(self) -> str:
        return f"api:{self.application.name}"

    def __str__(self) -> str:
        return self.get_username()


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] != self.keyword:
            raise exceptions.AuthenticationFailed("Cabecera Authorization mal formada.")
        key = api_key_authenticate(parts[1])
        if key is None:
            raise exceptions.AuthenticationFailed("La clave de la API no es válida.")
        request._request.api_application = key.application
        return ApiPrincipal(key.application), key

    def authenticate_header(self, request):
        return self.keyword
