"""What the platform holds about a person: the JSON of an access request and its PDF summary."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from concejo.audit.selectors import audit_reads_about
from concejo.cases.models import CaseParty
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
)
from concejo.notifications.models import Notification
from concejo.people.models import Person, Representation
from concejo.people.services import PERSON_FIELDS
from concejo.registry.models import RegistryEntry, RegistryInterested

SECTION_CAP = 500  # rows per section of the JSON; the total is always given
PDF_LINES = 40  # rows per section listed in the PDF summary

SECTION_TITLES = {
    "persons": "Datos de identificación y contacto",
    "representations": "Apoderamientos",
    "registry_entries": "Asientos registrales",
    "cases": "Expedientes en los que es parte",
    "notifications": "Notificaciones",
    "audit_reads": "Consultas de sus datos por el personal",
}


def _when(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _section(rows: QuerySet, item) -> dict:
    items = [item(row) for row in rows[:SECTION_CAP]]
    total = len(items) if len(items) < SECTION_CAP else rows.count()
    return {"total": total, "truncated": total > len(items), "items": items}


def _entry(entry: RegistryEntry, person_ids: set) -> dict:
    roles = [i.get_role_display() for i in entry.interested.all() if i.person_id in person_ids]
    if entry.representative_id in person_ids:
        roles.append("Representante")
    return {
        "registry_code": entry.registry_code, "direction": entry.get_direction_display(),
        "filed_at": _when(entry.filed_at), "subject": entry.subject, "roles": roles,
        "attachments": [
            {"name": a.name, "size": a.size, "mime_type": a.mime_type, "sha256": a.sha256}
            for a in entry.attachments.all()
        ],
    }  # fmt: skip


def access_export_data(*, entity, persons: QuerySet[Person], objects: dict) -> dict:
    """Everything the entity's platform holds about these persons, each section capped."""
    person_ids = set(persons.values_list("pk", flat=True))
    entries = (
        RegistryEntry.objects.filter(
            Q(pk__in=RegistryInterested.objects.filter(person__in=persons).values("entry_id"))
            | Q(representative__in=persons),
            entity=entity,
        )
        .prefetch_related("interested", "attachments")
        .order_by("filed_at", "id")
    )
    parties = CaseParty.objects.filter(person__in=persons).select_related("case")
    notifications = Notification.objects.filter(
        Q(addressee__in=persons) | Q(representative__in=persons), entity=entity
    ).order_by("made_available_at", "id")
    representations = Representation.objects.filter(
        Q(grantor__in=persons) | Q(representative__in=persons)
    ).select_related("grantor", "representative")
    return {
        "entity": {"name": entity.name, "dir3_code": entity.dir3_code, "nif": entity.nif},
        "generated_at": _when(timezone.now()),
        "section_cap": SECTION_CAP,
        "persons": _section(persons.order_by("created_at", "id"), _person),
        "representations": _section(representations.order_by("created_at", "id"), _power),
        "registry_entries": _section(entries, lambda e: _entry(e, person_ids)),
        "cases": _section(parties.order_by("case__created_at", "id"), _party),
        "notifications": _section(notifications, _notification),
        "audit_reads": _section(audit_reads_about(entity=entity, objects=objects), _read),
    }


def _person(p) -> dict:
    fixed = {"id_type": p.id_type, "id_number": p.id_number, "kind": p.kind}
    return (
        fixed | {f: getattr(p, f) for f in PERSON_FIELDS} | {"registered_at": _when(p.created_at)}
    )


def _power(r) -> dict:
    return {
        "grantor": str(r.grantor), "representative": str(r.representative),
        "scope": r.get_scope_display(), "valid_from": r.valid_from.isoformat(),
        "valid_to": r.valid_to.isoformat(), "status": str(r.status),
    }  # fmt: skip


def _party(p) -> dict:
    return {
        "case_code": p.case.case_code, "subject": p.case.subject, "role": p.get_role_display(),
        "status": p.case.get_status_display(), "started_at": _when(p.case.started_at),
    }  # fmt: skip


def _notification(n) -> dict:
    return {
        "subject": n.subject, "channel": n.get_channel_display(),
        "status": n.get_status_display(), "made_available_at": _when(n.made_available_at),
        "accessed_at": _when(n.accessed_at),
    }  # fmt: skip


def _read(a) -> dict:
    return {
        "at": _when(a.at), "who": a.actor, "action": a.action,
        "purpose": a.details.get("purpose", ""), "ip": a.ip,
    }  # fmt: skip


def render_access_summary(document) -> bytes:
    """Renderer of `privacy.access_summary`: the PDF summary of an access export."""
    from concejo.privacy.models import SubjectAccessExport
    from concejo.verification.services import verification_url

    export = SubjectAccessExport.objects.select_related("entity", "case").get(pk=document.source_id)
    data = export.data
    story = [
        Paragraph(esc(export.entity.name), BODY),
        Paragraph("Derecho de acceso a los datos personales (art. 15 RGPD)", TITLE),
        key_value_table([
            ("Interesado (documento)", export.id_number),
            ("Expediente", f"{export.case.case_code} · {export.case.subject}"),
            ("Datos a fecha de", moment_text(export.created_at)),
        ] + [
            (title, f"{data[key]['total']}" + (
                f" (la exportación incluye los {SECTION_CAP} primeros)"
                if data[key]["truncated"] else ""))
            for key, title in SECTION_TITLES.items()
        ]),
    ]  # fmt: skip
    for key, header, cells in (
        ("registry_entries", ["Número", "Fecha", "Asunto", "Anexos"],
         lambda e: [e["registry_code"], e["filed_at"][:10], e["subject"], str(len(e["attachments"]))]),
        ("cases", ["Expediente", "Asunto", "Papel", "Estado"],
         lambda c: [c["case_code"], c["subject"], c["role"], c["status"]]),
        ("notifications", ["Asunto", "Puesta a disposición", "Estado"],
         lambda n: [n["subject"], (n["made_available_at"] or "")[:10], n["status"]]),
        ("audit_reads", ["Fecha", "Quién", "Finalidad"],
         lambda a: [a["at"][:19].replace("T", " "), a["who"], a["purpose"]]),
    ):  # fmt: skip
        items = data[key]["items"][:PDF_LINES]
        if not items:
            continue
        story += [Paragraph(SECTION_TITLES[key], HEADING)]
        widths = [170 * mm / len(header)] * len(header)
        story.append(grid_table(header, [cells(i) for i in items], widths))
        if data[key]["total"] > len(items):
            story.append(Paragraph(
                f"Se muestran {len(items)} de {data[key]['total']}; el resto está en la "
                "exportación completa en formato JSON.", SMALL))  # fmt: skip
    story += [
        Spacer(1, 12),
        Paragraph(
            "Resumen de la información que la plataforma de administración electrónica conserva "
            "sobre el interesado. La exportación completa en formato estructurado (JSON) se "
            "entrega junto con este documento.",
            SMALL,
        ),
    ]
    return build_pdf(
        story, title=document.title, author=export.entity.name,
        footer=csv_footer(document.display_code, verification_url(document)),
    )  # fmt: skip
