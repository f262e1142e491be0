"""Backoffice of revenue: rolls, receipts and their accounts, remittances, bank files,
tax objects and the collection report."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record_read
from concejo.backoffice.views import _denied, _entity, stay
from concejo.core.errors import ApplicationError, PermissionDenied, field_error
from concejo.people.models import Person
from concejo.sectors.revenue import documents, selectors, services
from concejo.sectors.revenue.models import (
    Activity,
    Property,
    Receipt,
    ReceiptStatus,
    Tax,
    Vehicle,
    VehicleClass,
)
from concejo.verification.http import issued_download

PAGE = 100


def tax_desk(view):
    """A page of the tax office: signed in, a tax officer of the entity worked in."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            actor, entity = _entity(request, *selectors.OFFICERS)
        except PermissionDenied:
            return _denied(request)
        return view(request, actor, entity, *args, **kwargs)

    return wrapper


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise field_error(field, _("Fecha no válida."), code="invalid_date") from None


def _cents(value: str, field: str) -> int:
    """'1.234,56' or '1234.56' → 123456."""
    text = (value or "").strip().replace(" ", "").replace("€", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise field_error(field, _("Importe no válido."), code="invalid_amount") from None
    if amount != amount.quantize(Decimal("0.01")):
        raise field_error(field, _("Importe con más de dos decimales."), code="invalid_amount")
    return int(amount * 100)


def _number(value: str | None, field: str, whole: bool = False):
    """An optional positive number from a form ('11,5' → Decimal('11.5'))."""
    if not (value or "").strip():
        return None
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        raise field_error(field, _("Número no válido."), code="invalid_number") from None
    if number <= 0 or (whole and number != number.to_integral_value()):
        raise field_error(field, _("Número no válido."), code="invalid_number")
    return int(number) if whole else number


def _run(request, action, message) -> None:
    """Run a service from a form: its result makes the success message (`message` is a
    text or a function of the result); its error becomes the page's error message."""
    try:
        result = action()
    except ApplicationError as exc:
        detail = "; ".join(m for msgs in exc.fields.values() for m in msgs)
        messages.error(request, f"{exc.message} {detail}".strip())
        return
    messages.success(request, message(result) if callable(message) else message)


@tax_desk
def desk(request, actor, entity):
    if request.method == "POST":
        data, action = request.POST, request.POST.get("action")
        if action == "generate":
            _run(request, lambda: services.roll_generate(
                actor, entity=entity, tax=data.get("tax", ""),
                year=int(data["year"]) if data.get("year", "").isdigit() else 0,
                voluntary_start=_date(data.get("voluntary_start"), "voluntary_start"),
                voluntary_end=_date(data.get("voluntary_end"), "voluntary_end"),
                direct_debit_date=_date(data["direct_debit_date"], "direct_debit_date")
                if data.get("direct_debit_date") else None,
            ), lambda roll: _("Padrón %(r)s generado con %(n)d recibos.")
                % {"r": roll, "n": roll.receipt_count})  # fmt: skip
        elif action == "approve":
            roll = selectors.rolls_of(actor, entity).filter(pk=data.get("roll") or None).first()
            if roll is None:
                raise Http404
            _run(request, lambda: services.roll_approve(actor, roll=roll),
                 lambda r: _("Padrón %(r)s aprobado.") % {"r": r})  # fmt: skip
        elif action == "remit":
            _run(request, lambda: services.remittance_generate(
                actor, entity=entity,
                collection_date=_date(data.get("collection_date"), "collection_date"),
            ), lambda r: _("Remesa %(m)s generada con %(n)d adeudos.")
                % {"m": r.message_id, "n": r.item_count})  # fmt: skip
        elif action == "bank_file":
            upload = request.FILES.get("file")
            _run(request, lambda: services.bank_file_import(
                actor, entity=entity, name=upload.name if upload else "",
                content=upload.read() if upload else b"",
            ), lambda f: _("Fichero de cobros aplicado: %(n)d cobros.")
                % {"n": f.payment_count})  # fmt: skip
        return stay(request, "revenue_desk:desk")
    return render(
        request, "revenue/desk.html",
        {"entity": entity, "rolls": selectors.rolls_of(actor, entity),
         "remittances": selectors.remittances_of(actor, entity)[:20], "taxes": Tax.choices,
         "year": timezone.localdate().year, "now": timezone.now()},
    )  # fmt: skip


@tax_desk
def receipts(request, actor, entity):
    found = selectors.receipt_search(
        actor, entity, text=request.GET.get("q", ""), status=request.GET.get("estado", "")
    )[:PAGE]
    return render(
        request, "revenue/receipts.html",
        {"entity": entity, "receipts": found, "statuses": ReceiptStatus.choices,
         "params": request.GET},
    )  # fmt: skip


@tax_desk
def receipt_view(request, actor, entity, receipt_id):
    receipt = (
        Receipt.objects.filter(entity=entity, pk=receipt_id)
        .select_related("taxpayer", "roll", "mandate")
        .first()
    )
    if receipt is None:
        raise Http404
    today = timezone.localdate()
    if request.method == "POST":
        data, action = request.POST, request.POST.get("action")
        if action == "letter":
            try:
                issued = documents.payment_letter(actor, receipt=receipt, on=today)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                return issued_download(issued, f"carta-de-pago-{receipt.reference}.pdf")
        elif action == "pay":
            _run(request, lambda: services.payment_record(
                actor, receipt=receipt, amount_cents=_cents(data.get("amount"), "amount"),
                on=_date(data.get("on"), "on"), channel=data.get("channel", "desk"),
                operation=data.get("operation", ""),
            ), _("Cobro registrado."))  # fmt: skip
        elif action == "cancel":
            _run(
                request,
                lambda: services.receipt_cancel(
                    actor, receipt=receipt, reason=data.get("reason", "")
                ),
                _("Recibo anulado."),
            )
        elif action == "enforcement":
            _run(request, lambda: services.enforcement_notified(
                actor, receipt=receipt, on=_date(data.get("on"), "on")),
                _("Notificación de la providencia de apremio anotada."))  # fmt: skip
        elif action == "notified":
            _run(request, lambda: services.assessment_notified(
                actor, receipt=receipt, on=_date(data.get("on"), "on")),
                _("Notificación de la liquidación anotada."))  # fmt: skip
        return stay(request, "revenue_desk:receipt", receipt_id=receipt.pk)
    receipt.refresh_from_db()
    audit_record_read(actor=actor, entity=entity, target=receipt, purpose="revenue.desk")
    return render(
        request, "revenue/receipt.html",
        {"entity": entity, "receipt": receipt, "state": selectors.debt(receipt, on=today),
         "lines": selectors.account_lines(receipt), "today": today},
    )  # fmt: skip


@tax_desk
def remittance_view(request, actor, entity, remittance_id):
    remittance = selectors.remittances_of(actor, entity).filter(pk=remittance_id).first()
    if remittance is None:
        raise Http404
    if request.method == "POST":
        data, action = request.POST, request.POST.get("action")
        if action == "download":
            response = FileResponse(remittance.file.open("rb"), content_type="application/xml")
            response["Content-Disposition"] = f'attachment; filename="{remittance.message_id}.xml"'
            return response
        if action == "settle":
            _run(request, lambda: services.remittance_settle(
                actor, remittance=remittance, on=_date(data.get("on"), "on")),
                _("Remesa cargada: sus recibos constan pagados."))  # fmt: skip
        elif action == "returns":
            returns = [
                tuple(part.strip() for part in line.split(";", 1)) if ";" in line
                else (line.strip(), "MS02")
                for line in data.get("returns", "").splitlines() if line.strip()
            ]  # fmt: skip
            _run(request, lambda: services.remittance_returns(
                actor, remittance=remittance, returns=returns, on=_date(data.get("on"), "on")),
                lambda n: _("%(n)d devoluciones anotadas.") % {"n": n})  # fmt: skip
        return stay(request, "revenue_desk:remittance", remittance_id=remittance.pk)
    return render(
        request, "revenue/remittance.html",
        {"entity": entity, "remittance": remittance,
         "returned": remittance.items.exclude(returned_on=None).select_related("receipt")[:PAGE],
         "today": timezone.localdate()},
    )  # fmt: skip


@tax_desk
def objects(request, actor, entity):
    if request.method == "POST":
        data, action = request.POST, request.POST.get("action")
        owner = Person.objects.filter(
            entity=entity, id_number__iexact=data.get("owner", "").strip()
        ).first()
        if owner is None:
            messages.error(request, _("No hay ninguna persona con ese NIF en la entidad."))
        elif action == "property":
            _run(request, lambda: services.property_register(
                actor, entity=entity, cadastral_reference=data.get("cadastral_reference", ""),
                kind=data.get("kind", "urban"), address=data.get("address", ""),
                cadastral_value_cents=_cents(data.get("cadastral_value"), "cadastral_value"),
                owner=owner, use=data.get("use") or "residential", bonus=data.get("bonus", ""),
            ), lambda p: _("Inmueble %(p)s dado de alta.") % {"p": p})  # fmt: skip
        elif action == "vehicle":
            _run(request, lambda: services.vehicle_register(
                actor, entity=entity, plate=data.get("plate", ""),
                vehicle_class=data.get("vehicle_class", ""), owner=owner,
                first_registration=_date(data.get("first_registration"), "first_registration"),
                fiscal_hp=_number(data.get("fiscal_hp"), "fiscal_hp"),
                seats=_number(data.get("seats"), "seats", whole=True),
                payload_kg=_number(data.get("payload_kg"), "payload_kg", whole=True),
                engine_cc=_number(data.get("engine_cc"), "engine_cc", whole=True),
            ), lambda v: _("Vehículo %(v)s dado de alta.") % {"v": v})  # fmt: skip
        elif action == "activity":
            _run(request, lambda: services.activity_register(
                actor, entity=entity, holder=owner, epigraph=data.get("epigraph", ""),
                description=data.get("description", ""), address=data.get("address", ""),
                tariff_quota_cents=_cents(data.get("tariff_quota"), "tariff_quota"),
                turnover_cents=_cents(data["turnover"], "turnover")
                if data.get("turnover", "").strip() else None,
                street_category=data.get("street_category", ""),
                started_on=_date(data.get("started_on"), "started_on"),
            ), lambda a: _("Actividad %(a)s dada de alta.") % {"a": a})  # fmt: skip
        return stay(request, "revenue_desk:objects")
    text = request.GET.get("q", "").strip()
    properties = Property.objects.filter(entity=entity).select_related("owner")
    vehicles = Vehicle.objects.filter(entity=entity).select_related("owner")
    if text:
        properties = properties.filter(cadastral_reference__icontains=text) | properties.filter(
            owner__id_number__iexact=text
        )
        vehicles = vehicles.filter(plate__icontains=text) | vehicles.filter(
            owner__id_number__iexact=text
        )
    activities = Activity.objects.filter(entity=entity).select_related("holder")
    if text:
        activities = activities.filter(epigraph__startswith=text) | activities.filter(
            holder__id_number__iexact=text
        )
    return render(
        request, "revenue/objects.html",
        {"entity": entity, "properties": properties[:PAGE], "vehicles": vehicles[:PAGE],
         "activities": activities[:PAGE], "classes": VehicleClass.choices, "q": text},
    )  # fmt: skip


@tax_desk
def report(request, actor, entity):
    today = timezone.localdate()
    try:
        start = _date(request.GET["desde"], "desde") if request.GET.get("desde") else today.replace(
            month=1, day=1)  # fmt: skip
        end = _date(request.GET["hasta"], "hasta") if request.GET.get("hasta") else today
    except ApplicationError as exc:
        messages.error(request, exc.message)
        start, end = today.replace(month=1, day=1), today
    rows = selectors.collection_report(actor, entity, start=start, end=end)
    for row in rows:
        row["tax_label"] = Tax(row["tax"]).label
    return render(
        request, "revenue/report.html",
        {"entity": entity, "rows": rows, "start": start, "end": end,
         "total": sum(r["collected"] for r in rows)},
    )  # fmt: skip
