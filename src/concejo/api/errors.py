"""One JSON shape for every API error: {"code", "message", "fields"}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from concejo.core.errors import ApplicationError

_DRF_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", "Hace falta una clave de API válida."),
    exceptions.AuthenticationFailed: ("authentication_failed", None),
    exceptions.PermissionDenied: ("permission_denied", None),
    exceptions.NotFound: ("not_found", "No se ha encontrado lo que busca."),
    exceptions.MethodNotAllowed: ("method_not_allowed", "Método no permitido."),
    exceptions.NotAcceptable: ("not_acceptable", None),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", None),
    exceptions.Throttled: ("throttled", "Demasiadas peticiones; inténtelo de nuevo más tarde."),
    exceptions.ParseError: ("malformed_request", "La petición está mal formada."),
}


def _flatten(detail) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for name, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    fields[f"{name}.{sub}"] = msgs
            elif isinstance(value, list):
                fields[name] = [str(v) for v in value if not isinstance(v, dict)] or [
                    str(m) for sub in value if isinstance(sub, dict) for m in _flatten(sub).values()
                ]
            else:
                fields[name] = [str(value)]
    return fields


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail) if isinstance(exc.detail, dict) else {}
        non_field = fields.pop("non_field_errors", None)
        if isinstance(exc.detail, list):
            non_field = [str(d) for d in exc.detail]
        message = (
            non_field or next(iter(fields.values()), ["Los datos enviados no son válidos."])
        )[0]
        body = {"code": "invalid", "message": message, "fields": fields}
        return Response(body, status=400)
    if isinstance(exc, exceptions.APIException):
        code, message = "error", None
        for klass, (klass_code, klass_message) in _DRF_CODES.items():
            if isinstance(exc, klass):
                code, message = klass_code, klass_message
                break
        if code == "permission_denied" and getattr(exc.detail, "code", None) == "missing_scope":
            code = "missing_scope"
        body = {"code": code, "message": message or str(exc.detail), "fields": {}}
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        return Response(body, status=exc.status_code, headers=headers)
    return None
