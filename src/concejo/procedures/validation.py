"""Checks on a procedure version's content, field by field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, SchemaError

from concejo.core.errors import ValidationFailed
from concejo.deadlines.computation import DeadlineUnit
from concejo.organization.models import Entity, Unit
from concejo.procedures.models import Audience, Initiation, SilenceEffect

MAX_RESOLUTION = {
    DeadlineUnit.BUSINESS_DAYS: 500,
    DeadlineUnit.NATURAL_DAYS: 730,
    DeadlineUnit.MONTHS: 24,
    DeadlineUnit.YEARS: 2,
}
FILE_FORMATS = {
    "pdf", "jpg", "jpeg", "png", "tif", "tiff", "odt", "ods", "odp", "doc", "docx", "xls",
    "xlsx", "txt", "rtf", "xml", "xsig", "csig", "zip", "dwg", "dxf", "kml", "gml", "shp",
}  # fmt: skip
CONTENT_FIELDS = (
    "name", "summary", "description", "category", "responsible_unit", "initiation",
    "max_resolution_amount", "max_resolution_unit", "silence_effect", "legal_basis", "fees",
    "electronic_only", "representation_required", "form_schema", "audience",
)  # fmt: skip


def _text(data, field, errors, *, required=False, max_length=None) -> str:
    value = data.get(field) or ""
    if not isinstance(value, str):
        errors[field] = _("Debe ser un texto.")
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = _("Este campo es obligatorio.")
    if max_length and len(value) > max_length:
        errors[field] = _("Como máximo %(n)s caracteres.") % {"n": max_length}
    return value


def clean_form_schema(schema: Any) -> dict:
    if schema in (None, ""):
        return {}
    if not isinstance(schema, dict):
        raise ValueError(_("El formulario debe ser un objeto JSON Schema."))
    if not schema:
        return {}
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.path) or "raíz"
        raise ValueError(
            _("El formulario no es un JSON Schema válido (%(where)s): %(msg)s")
            % {"where": where, "msg": exc.message}
        ) from exc
    if schema.get("type") != "object":
        raise ValueError(_("El formulario debe describir un objeto («type»: «object»)."))
    return schema


def clean_fees(fees: Any) -> list[dict]:
    if not fees:
        return []
    if not isinstance(fees, list):
        raise ValueError(_("Las tasas son una lista de conceptos con importe."))
    cleaned = []
    for fee in fees:
        if not isinstance(fee, dict) or not str(fee.get("concept", "")).strip():
            raise ValueError(_("Cada tasa necesita un concepto."))
        try:
            amount = Decimal(str(fee.get("amount")))
        except InvalidOperation as exc:
            raise ValueError(
                _("Importe de tasa no válido: %(a)s.") % {"a": fee.get("amount")}
            ) from exc
        if not amount.is_finite() or amount < 0 or amount > Decimal("1000000"):
            raise ValueError(_("Importe de tasa no válido: %(a)s.") % {"a": fee.get("amount")})
        cleaned.append({"concept": str(fee["concept"]).strip(), "amount": f"{amount:.2f}"})
    return cleaned


def clean_required_documents(documents: Any) -> list[dict]:
    if not documents:
        return []
    if not isinstance(documents, list):
        raise ValueError(_("Los documentos requeridos son una lista."))
    cleaned = []
    for doc in documents:
        if not isinstance(doc, dict) or not str(doc.get("name", "")).strip():
            raise ValueError(_("Cada documento requerido necesita un nombre."))
        formats = sorted(
            {str(f).strip().lower().lstrip(".") for f in doc.get("accepted_formats") or ["pdf"]}
        )
        unknown = [f for f in formats if f not in FILE_FORMATS]
        if unknown:
            raise ValueError(_("Formatos no admitidos: %(f)s.") % {"f": ", ".join(unknown)})
        cleaned.append(
            {
                "name": str(doc["name"]).strip()[:250],
                "mandatory": bool(doc.get("mandatory", True)),
                "accepted_formats": formats,
            }
        )
    return cleaned


def clean_content(*, entity: Entity, data: dict[str, Any]) -> dict[str, Any]:
    """Validated content of a version; ValidationFailed names every bad field."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {
        "name": _text(data, "name", errors, required=True, max_length=250),
        "summary": _text(data, "summary", errors, max_length=300),
        "description": _text(data, "description", errors),
        "category": _text(data, "category", errors, max_length=80),
        "legal_basis": _text(data, "legal_basis", errors),
        "electronic_only": bool(data.get("electronic_only", False)),
        "representation_required": bool(data.get("representation_required", True)),
    }
    unit = data.get("responsible_unit")
    if not isinstance(unit, Unit):
        errors["responsible_unit"] = _("Indique la unidad responsable.")
    elif unit.entity_id != entity.pk:
        errors["responsible_unit"] = _("La unidad responsable pertenece a otra entidad.")
    clean["responsible_unit"] = unit
    for field, choices, default in (
        ("initiation", Initiation, Initiation.ON_REQUEST),
        ("silence_effect", SilenceEffect, None),
        ("max_resolution_unit", DeadlineUnit, DeadlineUnit.MONTHS),
    ):
        value = data.get(field) or default
        if value not in choices.values:
            errors[field] = _("Valor no permitido: «%(v)s».") % {"v": value}
        clean[field] = value
    if clean["max_resolution_unit"] == DeadlineUnit.HOURS:
        errors["max_resolution_unit"] = _("El plazo de resolución no se fija en horas.")
    amount = data.get("max_resolution_amount", 3)
    limit = MAX_RESOLUTION.get(clean["max_resolution_unit"])
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or amount < 1
        or (limit and amount > limit)
    ):
        errors["max_resolution_amount"] = _(
            "El plazo máximo de resolución debe estar entre 1 y %(max)s."
        ) % {"max": limit or "—"}
    clean["max_resolution_amount"] = amount
    audience = data.get("audience") or [Audience.CITIZENS]
    if not isinstance(audience, list) or any(a not in Audience.values for a in audience):
        errors["audience"] = _("Destinatarios no válidos: use %(v)s.") % {
            "v": ", ".join(Audience.values)
        }
    else:
        audience = sorted(set(audience))
    clean["audience"] = audience
    for field, cleaner in (
        ("form_schema", clean_form_schema),
        ("fees", clean_fees),
        ("required_documents", clean_required_documents),
    ):
        try:
            clean[field] = cleaner(data.get(field))
        except ValueError as exc:
            errors[field] = str(exc)
    if errors:
        codes = {
            "form_schema": "invalid_json_schema",
            "responsible_unit": "unknown_unit",
            "max_resolution_amount": "invalid_amount",
        }
        code = (
            codes.get(next(iter(errors)), "invalid_procedure")
            if len(errors) == 1
            else "invalid_procedure"
        )
        raise ValidationFailed(next(iter(errors.values())), code=code, fields=errors)
    return clean
