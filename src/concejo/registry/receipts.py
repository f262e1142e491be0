"""The justificante de registro (art. 16.3 Ley 39/2015) as a PDF."""

from __future__ import annotations

from django.db.models import Prefetch
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from concejo.core.pdf import (
    BODY,
    HEADING,
    SMALL,
    TITLE,
    build_pdf,
    csv_footer,
    esc,
    grid_table,
    key_value_table,
    moment_text,
    person_text,
)
from concejo.registry.models import Direction, RegistryEntry, RegistryInterested
from concejo.verification.services import verification_url


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.2f} MB"


def render_receipt(document) -> bytes:
    entry = (
        RegistryEntry.objects.select_related(
            "entity", "office", "destination_unit", "procedure_version", "representative"
        )
        .prefetch_related(
            Prefetch("interested", RegistryInterested.objects.select_related("person")),
            "attachments",
        )
        .get(pk=document.source_id)
    )
    incoming = entry.direction == Direction.IN
    rows = [
        ("Entidad", f"{entry.entity.name} (DIR3 {entry.entity.dir3_code}, NIF {entry.entity.nif})"),
        ("Oficina", entry.office.name if entry.office else "Registro electrónico general"),
        ("Número de registro", entry.registry_code),
        ("Sentido", entry.get_direction_display()),
        ("Fecha y hora de presentación", moment_text(entry.filed_at)),
        ("Fecha y hora a efectos de plazos", moment_text(entry.effective_at)),
        ("Canal", entry.get_channel_display()),
        ("Asunto", entry.subject),
    ]
    rows += [(f"Interesado {i.position}", person_text(i.person)) for i in entry.interested.all()]
    if entry.representative:
        rows.append(("Representante", person_text(entry.representative)))
    if incoming:
        unit = entry.destination_unit
        rows.append(("Unidad destinataria", f"{unit.name} (DIR3 {unit.dir3_code})"))
    else:
        rows.append(("Destino", f"{entry.destination_name} {entry.destination_code}".strip()))
    if entry.origin_name or entry.origin_code:
        rows.append(("Órgano remitente", f"{entry.origin_name} {entry.origin_code}".strip()))
    if entry.procedure_version:
        version = entry.procedure_version
        rows.append(("Procedimiento", f"{version.name} (versión {version.number})"))
    story = [
        Paragraph(esc(entry.entity.name), BODY),
        Paragraph("Justificante de presentación en el registro", TITLE),
        key_value_table(rows),
    ]
    if entry.summary:
        story += [Paragraph("Extracto", HEADING), Paragraph(esc(entry.summary), BODY)]
    if entry.expone:
        story += [Paragraph("Expone", HEADING), Paragraph(esc(entry.expone), BODY)]
    if entry.solicita:
        story += [Paragraph("Solicita", HEADING), Paragraph(esc(entry.solicita), BODY)]
    attachments = list(entry.attachments.all())
    story.append(Paragraph("Documentos anexos", HEADING))
    if attachments:
        story.append(
            grid_table(
                ["Nº", "Nombre", "Tamaño", "Validez", "Huella SHA-256"],
                [
                    [str(a.position), a.name, _size(a.size), a.get_validity_display(), a.sha256]
                    for a in attachments
                ],
                [9 * mm, 48 * mm, 18 * mm, 22 * mm, 73 * mm],
            )
        )
    else:
        story.append(Paragraph("Sin documentos anexos.", BODY))
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            "Este justificante acredita la presentación con el número, la fecha y la hora "
            "indicados (art. 16.3 de la Ley 39/2015). Si se presentó en día inhábil, a efectos "
            "del cómputo de plazos se entiende realizada en la primera hora del primer día hábil "
            "siguiente (art. 31.2.b).",
            SMALL,
        ),
    ]
    return build_pdf(
        story,
        title=document.title,
        author=entry.entity.name,
        footer=csv_footer(document.display_code, verification_url(document)),
    )
