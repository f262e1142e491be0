"""The PDFs revenue issues with a CSV: the payment letter and the certificate of being
up to date with payments (certificado de estar al corriente)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from concejo.core.actors import Actor
from concejo.core.errors import Conflict
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
    person_text,
)
from concejo.people.models import Person
from concejo.sectors.revenue import rules
from concejo.sectors.revenue.models import Receipt, ReceiptStatus
from concejo.sectors.revenue.selectors import debt, executive_debts
from concejo.verification.models import IssuedDocument
from concejo.verification.services import document_issue, verification_url

LETTER = "revenue.payment_letter"
CERTIFICATE = "revenue.certificate"


def _source(pk, on: dt.date) -> str:
    return f"{pk}:{on.isoformat()}"


def _parse_source(source_id: str) -> tuple[str, dt.date]:
    pk, day = source_id.split(":")
    return pk, dt.date.fromisoformat(day)


def _issued(entity, kind: str, title: str, source_type: str, source_id: str) -> IssuedDocument:
    """One document per object and day: asking again the same day gives the same CSV."""
    with transaction.atomic():
        found = IssuedDocument.objects.filter(
            entity=entity, kind=kind, source_type=source_type, source_id=source_id
        ).first()
        return found or document_issue(
            entity=entity, kind=kind, title=title, source_type=source_type, source_id=source_id
        )


def payment_letter(actor: Actor, *, receipt: Receipt, on: dt.date) -> IssuedDocument:
    """The payment letter (carta de pago) of what the receipt owes on `on`."""
    if receipt.status != ReceiptStatus.PENDING:
        raise Conflict(
            _("El recibo no está pendiente de pago: no hay carta de pago que emitir."),
            code="receipt_not_pending",
        )
    if not receipt.reference:
        raise Conflict(
            _("La liquidación aún no está notificada: no tiene plazo ni referencia de pago."),
            code="not_notified",
        )
    return _issued(
        receipt.entity, LETTER, _("Carta de pago %(r)s") % {"r": receipt}, "revenue.receipt",
        _source(receipt.pk, on),
    )  # fmt: skip


def render_payment_letter(issued: IssuedDocument) -> bytes:
    pk, on = _parse_source(issued.source_id)
    receipt = Receipt.objects.select_related("entity", "taxpayer", "mandate").get(pk=pk)
    from concejo.sectors.revenue.services import revenue_settings

    issuer = revenue_settings(receipt.entity).issuer_code
    state = debt(receipt, on=on)
    rows = [
        (_("Entidad"), f"{receipt.entity.name} (DIR3 {receipt.entity.dir3_code})"),
        (_("Obligado al pago"), person_text(receipt.taxpayer)),
        (_("Tributo y ejercicio"), f"{receipt.get_tax_display()} {receipt.year}"),
        (_("Objeto tributario"), receipt.object_label),
        (_("Recibo"), f"{receipt.get_kind_display()} nº {receipt.number}"),
    ]
    story = [
        Paragraph(esc(_("Carta de pago")), TITLE),
        key_value_table(rows),
        Paragraph(esc(_("Desglose")), HEADING),
        grid_table([_("Concepto"), _("Importe")], receipt.breakdown, [120 * mm, 50 * mm]),
    ]
    due_rows = [(_("Principal pendiente"), rules.euros(state.outstanding_cents))]
    if state.executive is not None:
        due_rows.append((state.executive.label, rules.euros(state.executive.surcharge_cents)))
        if state.executive.interest_cents:
            due_rows.append((_("Intereses de demora"), rules.euros(state.executive.interest_cents)))
        valid_until = on
        period = _("Periodo ejecutivo (art. 161 LGT)")
        amount = state.total_due_cents
        # Outside the voluntary period the bank code carries the day's amount and the date.
        identification = rules.c60_identification(
            receipt.identification[1:4] or "0", receipt.year, on
        )
        base = int(receipt.reference[:10]) if receipt.reference else receipt.number
        reference = rules.c60_reference(issuer, base, identification, amount)
    else:
        valid_until = receipt.voluntary_due
        period = _("Periodo voluntario")
        amount = state.outstanding_cents
        identification, reference = receipt.identification, receipt.reference
    due_rows += [
        (_("Total a ingresar"), rules.euros(amount)),
        (_("Periodo"), str(period)),
        (_("Fecha límite de pago"), f"{valid_until:%d/%m/%Y}"),
    ]
    if receipt.mandate_id and state.executive is None:
        due_rows.append((_("Domiciliado"), _("Sí: se cargará en la cuenta de la domiciliación")))
    story += [
        Paragraph(esc(_("Importe a pagar")), HEADING),
        key_value_table(due_rows),
        Paragraph(esc(_("Pago en entidad colaboradora (cuaderno 60, modalidad 2)")), HEADING),
        key_value_table(
            [
                (_("Emisora"), issuer),
                (_("Referencia"), reference),
                (_("Identificación"), identification),
                (_("Importe"), rules.euros(amount)),
            ]
        ),
        Spacer(1, 4 * mm),
    ]
    code = rules.c60_barcode(issuer, reference, identification, amount)
    story += [
        Code128("\xf1" + code, barHeight=14 * mm, barWidth=0.3 * mm, quiet=1, humanReadable=False),
        Paragraph(esc(f"(90){code[2:]}"), SMALL),
        Spacer(1, 4 * mm),
        Paragraph(
            esc(_("También puede pagar en línea en la sede electrónica: %(u)s")
                % {"u": f"{settings.SITE_URL.rstrip('/')}/{receipt.entity.dir3_code}/tributos/"}),
            BODY,
        ),
    ]  # fmt: skip
    return build_pdf(
        story, title=issued.title, author=receipt.entity.name,
        footer=csv_footer(issued.display_code, verification_url(issued)),
    )  # fmt: skip


def certificate(actor: Actor, *, person: Person, on: dt.date) -> IssuedDocument:
    """The certificate of being up to date: refused (naming the debts) while any is overdue."""
    overdue = executive_debts(person, on)
    if overdue:
        names = ", ".join(f"{r} ({rules.euros(s.total_due_cents)})" for r, s in overdue[:5])
        raise Conflict(
            _("No se puede certificar que está al corriente: tiene deudas en periodo "
              "ejecutivo: %(d)s.") % {"d": names},
            code="has_overdue_debts",
        )  # fmt: skip
    return _issued(
        person.entity, CERTIFICATE,
        _("Certificado de estar al corriente de pago: %(p)s") % {"p": person.display_name},
        "people.person", _source(person.pk, on),
    )  # fmt: skip


def render_certificate(issued: IssuedDocument) -> bytes:
    pk, on = _parse_source(issued.source_id)
    person = Person.objects.select_related("entity").get(pk=pk)
    text = _(
        "Consultados los datos de recaudación de %(entity)s, %(person)s no tiene, a fecha "
        "%(day)s, deudas con esta entidad en periodo ejecutivo de pago. Este certificado se "
        "expide a petición del interesado y tiene carácter informativo; no afecta a deudas "
        "que no consten en estos datos."
    ) % {
        "entity": person.entity.name,
        "person": person_text(person),
        "day": f"{on:%d/%m/%Y}",
    }
    story = [
        Paragraph(esc(_("Certificado de estar al corriente de pago")), TITLE),
        Paragraph(esc(text), BODY),
    ]
    return build_pdf(
        story, title=issued.title, author=person.entity.name,
        footer=csv_footer(issued.display_code, verification_url(issued)),
    )  # fmt: skip
