"""Writes of data protection: the record of processing activities, data-subject requests."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import NotFound, field_error
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role
from concejo.privacy.models import (
    LegalBasis,
    ProcessingActivity,
    SpecialCategoryBasis,
)

ACTIVITY_EDITORS = (Role.DPO,)  # and administrators
ACTIVITY_TEXTS = (
    "name", "controller", "dpo_contact", "purposes", "data_subjects", "data_categories",
    "recipients", "international_transfers", "retention", "security_measures",
)  # fmt: skip
ACTIVITY_OPTIONAL_TEXTS = ("legal_basis_detail", "special_categories")
ACTIVITY_FIELDS = (
    *ACTIVITY_TEXTS, *ACTIVITY_OPTIONAL_TEXTS, "legal_bases", "special_category_bases", "active"
)  # fmt: skip


def _codes(values, choices, field: str) -> list[str]:
    codes = sorted({str(v) for v in values or []})
    unknown = [c for c in codes if c not in choices.values]
    if unknown:
        raise field_error(
            field, _("Valor no permitido: «%(v)s».") % {"v": unknown[0]}, code="invalid_choice"
        )
    return codes


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Check a whole activity; the values as they will be stored."""
    clean: dict[str, Any] = {}
    for field in ACTIVITY_TEXTS:
        text = (values.get(field) or "").strip()
        if not text:
            raise field_error(field, _("Este dato es obligatorio en el registro."), code="required")
        clean[field] = text
    if len(clean["name"]) > 200:
        raise field_error("name", _("El nombre admite 200 caracteres."), code="too_long")
    for field in ACTIVITY_OPTIONAL_TEXTS:
        clean[field] = (values.get(field) or "").strip()
    clean["legal_bases"] = _codes(values.get("legal_bases"), LegalBasis, "legal_bases")
    if not clean["legal_bases"]:
        raise field_error(
            "legal_bases", _("Indique al menos una base jurídica del art. 6 RGPD."),
            code="required",
        )  # fmt: skip
    clean["special_category_bases"] = _codes(
        values.get("special_category_bases"), SpecialCategoryBasis, "special_category_bases"
    )
    if clean["special_categories"] and not clean["special_category_bases"]:
        raise field_error(
            "special_category_bases",
            _(
                "Si se tratan categorías especiales de datos, indique la excepción del art. 9.2 RGPD."
            ),
            code="required",
        )
    if clean["special_category_bases"] and not clean["special_categories"]:
        raise field_error(
            "special_categories",
            _("Indique qué categorías especiales de datos se tratan."),
            code="required",
        )
    clean["active"] = bool(values.get("active", True))
    return clean


@audited_service("privacy.activity.create")
def processing_activity_create(
    *, actor: Actor, entity: Entity, code: str = "", **values: Any
) -> ProcessingActivity:
    """Add an activity to the entity's record of processing activities."""
    require_role(actor, entity, *ACTIVITY_EDITORS)
    clean = _clean(values)
    code = slugify(code or clean["name"])[:60]
    if ProcessingActivity.objects.filter(entity=entity, code=code).exists():
        raise field_error(
            "code", _("Ya hay una actividad con el código «%(c)s».") % {"c": code},
            code="duplicate_code",
        )  # fmt: skip
    activity = ProcessingActivity.objects.create(entity=entity, code=code, **clean)
    audit_record(
        actor=actor, action="privacy.activity.create", entity=entity, target=activity,
        details={"version": activity.version},
    )  # fmt: skip
    return activity


@audited_service("privacy.activity.update")
def processing_activity_update(
    *, actor: Actor, activity: ProcessingActivity, **values: Any
) -> ProcessingActivity:
    """Change an activity; the record keeps its version and the audit trail what changed."""
    activity = (
        ProcessingActivity.objects.select_for_update()
        .select_related("entity")
        .filter(pk=activity.pk)
        .first()
    )
    if activity is None:
        raise NotFound(_("No existe la actividad de tratamiento."))
    require_role(actor, activity.entity, *ACTIVITY_EDITORS)
    merged = {f: getattr(activity, f) for f in ACTIVITY_FIELDS} | values
    clean = _clean(merged)
    changed = sorted(f for f, v in clean.items() if getattr(activity, f) != v)
    if not changed:
        return activity
    for field in changed:
        setattr(activity, field, clean[field])
    activity.version += 1
    activity.save()
    audit_record(
        actor=actor, action="privacy.activity.update", entity=activity.entity, target=activity,
        details={"version": activity.version, "changed": changed},
    )  # fmt: skip
    return activity
