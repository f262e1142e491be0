"""Reads of the catalog: what the public sees and what administrators manage."""

from __future__ import annotations

from django.db.models import QuerySet

from concejo.core.actors import Actor
from concejo.core.search import full_text_filter
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role
from concejo.procedures.models import Procedure, ProcedureVersion, VersionStatus


def _published(entity: Entity) -> QuerySet[ProcedureVersion]:
    return (
        ProcedureVersion.objects.filter(entity=entity, status=VersionStatus.PUBLISHED)
        .select_related("procedure", "responsible_unit", "entity")
        .prefetch_related("required_documents")
    )


def procedure_catalog(
    *, entity: Entity, query: str = "", category: str = "", audience: str = ""
) -> QuerySet[ProcedureVersion]:
    """Published procedures of an entity, filtered by free text, category and audience.

    On PostgreSQL the free text goes through the Spanish full-text
    configuration (stored tsvector, GIN index); on SQLite every word must
    appear in the normalised text.
    """
    versions = _published(entity)
    if category:
        versions = versions.filter(category=category)
    if audience:
        # JSON containment is not available on SQLite; the quoted value is unambiguous.
        versions = versions.filter(audience__icontains=f'"{audience}"')
    return full_text_filter(versions, query)


def procedure_categories(*, entity: Entity) -> list[str]:
    return sorted(set(_published(entity).exclude(category="").values_list("category", flat=True)))


def procedure_public_get(
    *, entity: Entity | None = None, procedure_id=None, sia_code: str = ""
) -> ProcedureVersion | None:
    """The published version of one procedure, by id or by (entity, SIA code)."""
    if procedure_id is not None:
        versions = ProcedureVersion.objects.filter(
            procedure_id=procedure_id, status=VersionStatus.PUBLISHED
        ).select_related("procedure", "responsible_unit", "entity")
        return versions.prefetch_related("required_documents").first()
    return _published(entity).filter(procedure__sia_code=sia_code).first()


def procedure_manage_list(*, actor: Actor, entity: Entity) -> QuerySet[Procedure]:
    require_role(actor, entity, Role.ADMINISTRATOR)
    return Procedure.objects.filter(entity=entity)


def procedure_versions(*, actor: Actor, procedure: Procedure) -> QuerySet[ProcedureVersion]:
    require_role(actor, procedure.entity, Role.ADMINISTRATOR)
    return procedure.versions.select_related("responsible_unit").prefetch_related(
        "required_documents"
    )
