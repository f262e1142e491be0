"""An application form checked against its procedure's JSON Schema, in Spanish.

The validator's own messages are English and technical ("5 is not of type
'string'"); a citizen or a clerk gets one Spanish sentence per field instead.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

TYPES = {
    "string": "un texto",
    "number": "un número",
    "integer": "un número entero",
    "boolean": "sí o no",
    "array": "una lista",
    "object": "un grupo de datos",
    "null": "vacío",
}


def form_errors(schema: dict, data: Any) -> dict[str, str]:
    """Spanish messages keyed by the field's dotted path ("" for the form as a whole).

    A missing required field is named by its own path, not its parent's.
    """
    errors: dict[str, str] = {}
    for error in sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path)):
        path = [str(p) for p in error.path]
        if error.validator == "required":
            present = error.instance if isinstance(error.instance, dict) else {}
            for name in error.validator_value:
                if name not in present:
                    errors.setdefault(".".join([*path, name]), _("Este dato es obligatorio."))
            continue
        errors.setdefault(".".join(path), _message(error))
    return errors


def _message(error: ValidationError) -> str:
    value = error.validator_value
    match error.validator:
        case "type":
            kinds = value if isinstance(value, list) else [value]
            return _("Debe ser %(t)s.") % {"t": _(" o ").join(TYPES.get(k, k) for k in kinds)}
        case "minimum":
            return _("Debe ser como mínimo %(v)s.") % {"v": value}
        case "exclusiveMinimum":
            return _("Debe ser mayor que %(v)s.") % {"v": value}
        case "maximum":
            return _("Debe ser como máximo %(v)s.") % {"v": value}
        case "exclusiveMaximum":
            return _("Debe ser menor que %(v)s.") % {"v": value}
        case "minLength":
            return _("Escriba al menos %(v)s caracteres.") % {"v": value}
        case "maxLength":
            return _("Admite como máximo %(v)s caracteres.") % {"v": value}
        case "enum":
            return _("Elija uno de estos valores: %(v)s.") % {"v": ", ".join(map(str, value))}
        case "const":
            return _("Solo admite el valor %(v)s.") % {"v": value}
        case "pattern" | "format":
            return _("No tiene el formato esperado.")
        case "minItems":
            return _("Indique al menos %(v)s.") % {"v": value}
        case "maxItems":
            return _("Indique como máximo %(v)s.") % {"v": value}
        case "additionalProperties":
            return _("El formulario trae datos que el procedimiento no pide.")
    return _("El valor no es válido.")
