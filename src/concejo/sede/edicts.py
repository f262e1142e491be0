"""The edicts board: publish a document for a period; a diligencia certifies it at the end."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.platypus import Paragraph

from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import field_error
from concejo.core.filetypes import detect
from concejo.core.pdf import BODY, TITLE, build_pdf, csv_footer, esc, key_value_table
from concejo.documents.models import DocumentStatus
from concejo.documents.services import document_create
from concejo.organization.models import Entity, Role, Unit
from concejo.organization.selectors import require_role
from concejo.sede.models import Edict

EDITORS = (Role.REGISTRY_CLERK, Role.UNIT_HEAD, Role.ADMINISTRATOR)


def edicts_current(entity: Entity, today: dt.date | None = None) -> QuerySet[Edict]:
    today = today or timezone.localdate()
    return Edict.objects.filter(
        entity=entity, publish_from__lte=today, publish_to__gte=today
    ).select_related("document", "document__issued", "unit")


@audited_service("sede.edict.publish")
def edict_publish(
    *,
    actor: Actor,
    entity: Entity,
    unit: Unit,
    title: str,
    summary: str,
    file_name: str,
    content: bytes,
    publish_from: dt.date,
    publish_to: dt.date,
) -> Edict:
    """Publish a PDF on the board: it becomes a final document with its CSV."""
    from concejo.verification.services import document_issue

    require_role(actor, entity, *EDITORS)
    if not (title or "").strip():
        raise field_error("title", _("Indique el título del edicto."), code="required")
    if unit.entity_id != entity.pk:
        raise field_error("unit", _("La unidad no es de esta entidad."), code="unknown_unit")
    if publish_from < timezone.localdate():
        raise field_error("publish_from", _("No se publica con fecha pasada."), code="invalid_date")
    if publish_to < publish_from:
        raise field_error(
            "publish_to", _("El final del periodo es anterior a su inicio."), code="invalid_date"
        )
    detected = detect(content)
    if detected is None or detected.mime != "application/pdf":  # checked before storing
        raise field_error("file", _("El edicto se publica en PDF."), code="not_a_pdf")
    document = document_create(
        actor=Actor.system(), entity=entity, title=title.strip(), file_name=file_name,
        content=content, document_type="TD08",
    )  # fmt: skip
    document.issued = document_issue(
        entity=entity, kind="documents.generated", title=document.title,
        source_type=document._meta.label_lower, source_id=str(document.pk),
    )  # fmt: skip
    document.status = DocumentStatus.FINAL
    document.save(update_fields=["issued", "status", "updated_at"])
    edict = Edict.objects.create(
        entity=entity, unit=unit, title=title.strip()[:250], summary=(summary or "").strip(),
        document=document, publish_from=publish_from, publish_to=publish_to,
        published_by=actor.label,
    )  # fmt: skip
    audit_record(actor=actor, action="sede.edict.publish", entity=entity, target=edict)
    return edict


def edicts_certify(now: dt.datetime | None = None) -> int:
    """Sweep: a diligencia (certificate of publication, with CSV) for every finished period."""
    from concejo.verification.services import document_issue

    today = timezone.localdate(now or timezone.now())
    done = 0
    for edict in Edict.objects.filter(
        publish_to__lt=today, certificate__isnull=True
    ).select_related("entity"):
        edict.certificate = document_issue(
            entity=edict.entity, kind="sede.edict_certificate",
            title=_("Diligencia de publicación: %(t)s") % {"t": edict.title},
            source_type=Edict._meta.label_lower, source_id=str(edict.pk),
        )  # fmt: skip
        edict.save(update_fields=["certificate", "updated_at"])
        done += 1
    return done


def render_certificate(issued) -> bytes:
    from concejo.verification.services import verification_url

    edict = Edict.objects.select_related("entity", "unit", "document__issued").get(
        pk=issued.source_id
    )
    rows = [
        (_("Entidad"), edict.entity.name),
        (_("Edicto"), edict.title),
        (_("Órgano"), edict.unit.name),
        (
            _("Documento publicado"),
            f"{edict.document.title} (CSV {edict.document.issued.display_code})",
        ),
        (_("Publicado desde"), f"{edict.publish_from:%d/%m/%Y}"),
        (_("Publicado hasta"), f"{edict.publish_to:%d/%m/%Y}"),
    ]
    story = [
        Paragraph(esc(edict.entity.name), BODY),
        Paragraph(_("Diligencia de publicación en el tablón de edictos"), TITLE),
        Paragraph(esc(_(
            "Se hace constar que el documento indicado ha estado expuesto en el tablón de edictos "
            "de la sede electrónica durante todo el periodo señalado."
        )), BODY),
        key_value_table(rows),
    ]  # fmt: skip
    return build_pdf(
        story, title=issued.title, author=edict.entity.name,
        footer=csv_footer(issued.display_code, verification_url(issued)),
    )  # fmt: skip
