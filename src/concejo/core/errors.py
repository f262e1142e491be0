"""The one error tree of Concejo.

Services raise these; the API handler and the web views turn them into HTTP
responses with a stable `code`, a Spanish `message` and per-field messages.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status = 400
    code = "error"
    default_message = _("No se ha podido completar la operación.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: Mapping[str, str | list[str]] | None = None,
    ) -> None:
        self.message = str(message if message is not None else self.default_message)
        if code:
            self.code = code
        self.fields = {
            name: [str(m) for m in (msgs if isinstance(msgs, list | tuple) else [msgs])]
            for name, msgs in (fields or {}).items()
        }
        super().__init__(self.message)

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class ValidationFailed(ApplicationError):
    status = 400
    code = "invalid"
    default_message = _("Los datos enviados no son válidos.")


class NotAuthenticated(ApplicationError):
    status = 401
    code = "not_authenticated"
    default_message = _("Hace falta identificarse.")


class PermissionDenied(ApplicationError):
    status = 403
    code = "permission_denied"
    default_message = _("No tiene permiso para realizar esta operación.")


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    default_message = _("No se ha encontrado lo que busca.")


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    default_message = _("La operación no es posible en el estado actual.")


class Throttled(ApplicationError):
    status = 429
    code = "throttled"
    default_message = _("Demasiadas peticiones; inténtelo de nuevo más tarde.")


def require_choice(value, choices, field: str):
    """`value` must be one of a TextChoices' values; otherwise a field error."""
    if value not in choices.values:
        raise field_error(
            field, _("Valor no permitido: «%(v)s».") % {"v": value}, code="invalid_choice"
        )
    return value


def field_error(field: str, message: str, *, code: str = "invalid") -> ValidationFailed:
    """A validation error about one field, with a specific stable code."""
    return ValidationFailed(message, code=code, fields={field: message})
