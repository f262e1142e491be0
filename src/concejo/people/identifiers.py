"""Validation of Spanish identity documents (python-stdnum), with messages per field."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from stdnum.es import cif, dni, nie, nif
from stdnum.exceptions import InvalidChecksum, ValidationError

from concejo.core.errors import field_error
from concejo.people.models import IdType, PersonKind

PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")

_NATURAL_TYPES = {IdType.NIF, IdType.NIE, IdType.PASSPORT}


def _check(validator, value: str, label: str, field: str) -> str:
    try:
        return validator.validate(value)
    except InvalidChecksum as exc:
        raise field_error(
            field,
            _("La letra o el dígito de control del %(label)s no es correcto.") % {"label": label},
            code="invalid_id_number",
        ) from exc
    except ValidationError as exc:
        raise field_error(
            field,
            _("El formato del %(label)s no es válido.") % {"label": label},
            code="invalid_id_number",
        ) from exc


def _compact(value: str) -> str:
    return (value or "").strip().upper().replace("-", "").replace(" ", "").replace(".", "")


def clean_identifier(kind: str, id_type: str, value: str, *, field: str = "id_number") -> str:
    """The normalised number, or a ValidationFailed naming the field."""
    raw = _compact(value)
    if not raw:
        raise field_error(field, _("Este campo es obligatorio."), code="required")
    if kind == PersonKind.LEGAL and id_type != IdType.CIF:
        raise field_error(
            "id_type",
            _("Una persona jurídica se identifica con su NIF de persona jurídica."),
            code="invalid_id_type",
        )
    if kind == PersonKind.NATURAL and id_type not in _NATURAL_TYPES:
        raise field_error(
            "id_type",
            _("Una persona física se identifica con NIF, NIE o pasaporte."),
            code="invalid_id_type",
        )
    if id_type == IdType.NIF:
        # DNI, or the special K/L/M NIFs of natural persons without DNI.
        if raw[:1] in "KLM":
            return _check(nif, raw, "NIF", field)
        return _check(dni, raw, "DNI", field)
    if id_type == IdType.NIE:
        return _check(nie, raw, "NIE", field)
    if id_type == IdType.CIF:
        return _check(cif, raw, "NIF de la persona jurídica", field)
    if id_type == IdType.PASSPORT:
        if not PASSPORT_RE.match(raw):
            raise field_error(
                field,
                _("El número de pasaporte debe tener entre 5 y 20 letras o cifras."),
                code="invalid_id_number",
            )
        return raw
    raise field_error("id_type", _("Tipo de documento no válido."), code="invalid_choice")


def identify(value: str, *, field: str = "id_number") -> tuple[str, str, str]:
    """(kind, id_type, number) of a Spanish tax identifier given alone: NIF, NIE or CIF.

    Used where only the number is known (an identity provider's claim); the
    number is then checked like any other with `clean_identifier`.
    """
    raw = _compact(value)
    if raw.startswith("ES") and len(raw) == 11:  # the European form, ES12345678Z
        raw = raw[2:]
    first = raw[:1]
    if first in ("X", "Y", "Z"):
        kind, id_type = PersonKind.NATURAL, IdType.NIE
    elif first.isalpha() and first not in ("K", "L", "M"):
        kind, id_type = PersonKind.LEGAL, IdType.CIF
    else:
        kind, id_type = PersonKind.NATURAL, IdType.NIF
    return kind, id_type, clean_identifier(kind, id_type, raw, field=field)
