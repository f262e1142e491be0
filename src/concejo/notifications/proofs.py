"""The notification's PDFs: the acuse (or proof of rejection) and the paper notification."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from reportlab.platypus import Paragraph

from concejo.core.actors import Actor
from concejo.core.pdf import (
    BODY,
    HEADING,
    TITLE,
    build_pdf,
    csv_footer,
    esc,
    key_value_table,
    moment_text,
    person_text,
)
from concejo.notifications.models import Completion, Notification
from concejo.verification.services import verification_url

PROOF_TITLES = {
    Completion.ACCESSED: _("Acuse de recibo de notificación electrónica"),
    Completion.REJECTED: _("Justificante de rechazo de notificación"),
    Completion.EXPIRED: _("Justificante de rechazo por falta de acceso en diez días"),
    Completion.PAPER_DELIVERED: _("Acuse de entrega de notificación en papel"),
    Completion.PAPER_REFUSED: _("Justificante de rechazo de notificación en papel"),
    Completion.BOE: _("Diligencia de notificación por anuncio en el BOE"),
}


def _notification(issued) -> Notification:
    return (
        Notification.objects.select_related(
            "entity", "case", "document", "document__issued", "addressee", "representative",
            "accessed_by",
        )
        .prefetch_related("deliveries", "events")
        .get(pk=issued.source_id)
    )  # fmt: skip


def _act_rows(n: Notification) -> list[tuple[str, str]]:
    act = n.document.title
    if n.document.issued_id:
        act += f" (CSV {n.document.issued.display_code})"
    rows = [
        (_("Entidad"), f"{n.entity.name} (DIR3 {n.entity.dir3_code})"),
        (_("Expediente"), f"{n.case.case_code} · {n.case.subject}"),
        (_("Asunto"), n.subject),
        (_("Acto notificado"), act),
        (_("Interesado"), person_text(n.addressee)),
    ]
    if n.representative:
        rows.append((_("Representante"), person_text(n.representative)))
    rows += [
        (_("Canal"), n.get_channel_display()),
        (_("Puesta a disposición"), moment_text(n.made_available_at)),
        (
            _("Pone fin a la vía administrativa"),
            _("Sí") if n.ends_administrative_route else _("No"),
        ),
    ]
    return rows


def render_proof(issued) -> bytes:
    n = _notification(issued)
    rows = _act_rows(n)
    for delivery in n.deliveries.all():
        rows.append(
            (_("Entrega en papel, intento %(n)d") % {"n": delivery.attempt},
             f"{delivery.get_outcome_display()} · {moment_text(delivery.at)}"
             + (f" · {delivery.receiver_name} {delivery.receiver_id}".rstrip() if delivery.receiver_name else ""))
        )  # fmt: skip
    if n.accessed_at:
        rows.append(
            (_("Acceso"), f"{moment_text(n.accessed_at)} · {person_text(n.accessed_by)}"
             + (f" · IP {n.accessed_ip}" if n.accessed_ip else ""))
        )  # fmt: skip
    rows += [
        (_("Resultado"), n.get_completion_display()),
        (_("Fecha de la notificación"), moment_text(n.completed_at)),
    ]
    if n.appeal_due:
        rows.append((_("Plazo para recurrir hasta"), f"{n.appeal_due:%d/%m/%Y}"))
    story = [
        Paragraph(esc(n.entity.name), BODY),
        Paragraph(esc(str(PROOF_TITLES.get(n.completion, issued.title))), TITLE),
        key_value_table(rows),
        Paragraph(_("Recursos"), HEADING),
        Paragraph(esc(n.appeals), BODY),
    ]
    return build_pdf(
        story, title=issued.title, author=n.entity.name,
        footer=csv_footer(issued.display_code, verification_url(issued)),
    )  # fmt: skip


def render_paper(issued) -> bytes:
    """The printable notification for postal delivery (cédula), with its CSV."""
    n = _notification(issued)
    recipient = n.representative or n.addressee
    sede = f"{settings.SITE_URL.rstrip('/')}/carpeta/notificaciones/"
    story = [
        Paragraph(esc(n.entity.name), BODY),
        Paragraph(esc(recipient.display_name), BODY),
        Paragraph(esc(n.postal_address).replace("\n", "<br/>"), BODY),
        Paragraph(_("Notificación"), TITLE),
        key_value_table(_act_rows(n)),
        Paragraph(
            esc(_("Se le notifica el acto indicado, cuya copia auténtica se acompaña y puede "
                  "comprobarse con su código seguro de verificación. Esta notificación también "
                  "está a su disposición en la sede electrónica (art. 42.1 Ley 39/2015): %(u)s")
                % {"u": sede}),
            BODY,
        ),
        Paragraph(_("Recursos"), HEADING),
        Paragraph(esc(n.appeals), BODY),
    ]  # fmt: skip
    return build_pdf(
        story, title=issued.title, author=n.entity.name,
        footer=csv_footer(issued.display_code, verification_url(issued)),
    )  # fmt: skip


def proof_task(payload: dict) -> None:
    """Outbox: issue and render the proof, keep it as a document of the case."""
    from concejo.cases.services import case_document_add
    from concejo.documents.models import DocumentStatus, DocumentType
    from concejo.documents.services import document_create
    from concejo.verification.services import document_content, document_issue

    system = Actor.system()
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("entity", "case")
            .get(pk=payload["notification"])
        )
        if n.proof_id is not None:
            return
        title = str(PROOF_TITLES[payload["how"]])
        issued = document_issue(
            entity=n.entity, kind="notifications.proof", title=f"{title}: {n.subject}"[:250],
            source_type=Notification._meta.label_lower, source_id=str(n.pk),
        )  # fmt: skip
        content = document_content(issued)
        n.proof = issued
        n.save(update_fields=["proof", "updated_at"])
        document = document_create(
            actor=system, entity=n.entity, title=issued.title, file_name=f"acuse-{n.pk.hex[:12]}.pdf",
            content=content, document_type=DocumentType.RECEIPT,
        )  # fmt: skip
        document.issued, document.status = issued, DocumentStatus.FINAL
        document.save(update_fields=["issued", "status", "updated_at"])
        if n.case.index_closed_at is None:
            case_document_add(actor=system, case=n.case, document=document)
