"""Revenue writes: objects, ordinances, rolls, assessments, payments, mandates, remittances.

Every service takes the actor first, checks the tax-officer role (or the
citizen's own debt for the sede), runs in one transaction and records itself
in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.files import File
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.es import referenciacatastral

from concejo.audit.services import audit_record
from concejo.core.actors import Actor
from concejo.core.bulk import batches, insert_rows
from concejo.core.counters import next_number
from concejo.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    field_error,
)
from concejo.deadlines.computation import add_months
from concejo.deadlines.selectors import calendar_for
from concejo.organization.models import Entity
from concejo.organization.selectors import require_role
from concejo.people.models import Person, PersonKind
from concejo.sectors.revenue import rules, sepa
from concejo.sectors.revenue.models import (
    Activity,
    BankFile,
    InterestRate,
    Mandate,
    MandateStatus,
    Movement,
    MovementKind,
    PaymentChannel,
    Property,
    PropertyKind,
    Receipt,
    ReceiptCounter,
    ReceiptKind,
    ReceiptStatus,
    Remittance,
    RemittanceItem,
    RemittanceStatus,
    RevenueSettings,
    Roll,
    RollStatus,
    SequenceType,
    Tax,
    TaxParameters,
    Vehicle,
    VehicleClass,
)
from concejo.sectors.revenue.selectors import OFFICERS, debt, interest_rates

BATCH = 5000
# The first digit of a Cuaderno 60 reference says where the number comes from.
REFERENCE_PREFIX = {
    ReceiptKind.ROLL: "1",
    ReceiptKind.ASSESSMENT: "2",
    ReceiptKind.SELF_ASSESSMENT: "3",
}
ROLL_REFERENCE_BASE = int(REFERENCE_PREFIX[ReceiptKind.ROLL]) * 10**9
# The columns a roll writes for each receipt (see roll_generate).
RECEIPT_ROW = (
    "id", "created_at", "updated_at", "entity", "number", "year", "tax", "kind", "roll",
    "taxpayer", "object_type", "object_id", "object_label", "breakdown", "principal_cents",
    "status", "voluntary_start", "voluntary_due", "reference", "identification", "mandate",
    "reducible_cents",
)  # fmt: skip


def revenue_settings(entity: Entity) -> RevenueSettings:
    found = RevenueSettings.objects.filter(entity=entity).first()
    if found is None:
        raise Conflict(
            _("La entidad no tiene configurada la recaudación (emisora y acreedor SEPA)."),
            code="revenue_not_configured",
        )
    return found


def parameters_for(entity: Entity, tax: str, year: int) -> TaxParameters:
    found = TaxParameters.objects.filter(entity=entity, tax=tax, year=year).first()
    if found is None:
        raise Conflict(
            _("No hay parámetros de la ordenanza fiscal de %(tax)s para %(year)s.")
            % {"tax": Tax(tax).label, "year": year},
            code="parameters_missing",
        )
    return found


# --- Tax objects ----------------------------------------------------------------------------


def property_register(
    actor: Actor,
    *,
    entity: Entity,
    cadastral_reference: str,
    kind: str,
    address: str,
    cadastral_value_cents: int,
    owner: Person,
    use: str = "residential",
    owner_share=100,
    bonus: str = "",
    exempt: bool = False,
) -> Property:
    require_role(actor, entity, *OFFICERS)
    reference = cadastral_reference.replace(" ", "").upper()
    if not referenciacatastral.is_valid(reference) or len(reference) != 20:
        raise field_error(
            "cadastral_reference",
            _("La referencia catastral «%(r)s» no es válida (20 caracteres con sus dos "
              "caracteres de control).") % {"r": cadastral_reference},
            code="invalid_cadastral_reference",
        )  # fmt: skip
    if kind not in PropertyKind.values:
        raise field_error("kind", _("Clase de inmueble no válida."), code="invalid_choice")
    if cadastral_value_cents < 0:
        raise field_error(
            "cadastral_value", _("El valor catastral no puede ser negativo."), code="invalid_amount"
        )
    if owner.entity_id != entity.pk:
        raise NotFound(_("No existe esa persona."))
    if Property.objects.filter(entity=entity, cadastral_reference=reference).exists():
        raise Conflict(_("Ya existe el inmueble %(r)s.") % {"r": reference}, code="property_exists")
    prop = Property.objects.create(
        entity=entity, cadastral_reference=reference, kind=kind, address=address,
        cadastral_value_cents=cadastral_value_cents, owner=owner, use=use,
        owner_share=owner_share, bonus=bonus, exempt=exempt,
    )  # fmt: skip
    audit_record(actor=actor, action="revenue.property.register", entity=entity, target=prop)
    return prop


def vehicle_register(
    actor: Actor,
    *,
    entity: Entity,
    plate: str,
    vehicle_class: str,
    owner: Person,
    first_registration: dt.date,
    fiscal_hp=None,
    seats: int | None = None,
    payload_kg: int | None = None,
    engine_cc: int | None = None,
) -> Vehicle:
    require_role(actor, entity, *OFFICERS)
    if vehicle_class not in VehicleClass.values:
        raise field_error("vehicle_class", _("Clase de vehículo no válida."), code="invalid_choice")
    measure = rules.VEHICLE_MEASURES[vehicle_class]
    values = {
        "fiscal_hp": fiscal_hp,
        "seats": seats,
        "payload_kg": payload_kg,
        "engine_cc": engine_cc,
    }
    if measure and values[measure] is None:
        raise field_error(
            measure,
            _("Para un %(c)s hace falta indicar %(m)s.")
            % {"c": VehicleClass(vehicle_class).label, "m": rules.MEASURE_LABELS[measure]},
            code="missing_measure",
        )
    plate = plate.replace(" ", "").replace("-", "").upper()
    if Vehicle.objects.filter(entity=entity, plate=plate).exists():
        raise Conflict(_("Ya existe el vehículo %(p)s.") % {"p": plate}, code="vehicle_exists")
    vehicle = Vehicle.objects.create(
        entity=entity, plate=plate, vehicle_class=vehicle_class, owner=owner,
        first_registration=first_registration, **values,
    )  # fmt: skip
    audit_record(actor=actor, action="revenue.vehicle.register", entity=entity, target=vehicle)
    return vehicle


def vehicle_remove(actor: Actor, *, vehicle: Vehicle, on: dt.date) -> Vehicle:
    """Permanent removal (baja definitiva): later years owe nothing, this one is prorated."""
    require_role(actor, vehicle.entity, *OFFICERS)
    if on < vehicle.first_registration:
        raise field_error(
            "removal", _("La baja no puede ser anterior a la matriculación."), code="invalid_date"
        )
    vehicle.removal = on
    vehicle.save(update_fields=["removal", "updated_at"])
    audit_record(
        actor=actor, action="revenue.vehicle.remove", entity=vehicle.entity, target=vehicle,
        details={"on": on.isoformat()},
    )  # fmt: skip
    return vehicle


def activity_register(
    actor: Actor,
    *,
    entity: Entity,
    holder: Person,
    epigraph: str,
    description: str,
    address: str,
    tariff_quota_cents: int,
    street_category: str,
    started_on: dt.date,
    turnover_cents: int | None = None,
) -> Activity:
    """A business activity in the IAE roll (alta en la matrícula)."""
    require_role(actor, entity, *OFFICERS)
    errors = {}
    if not re.fullmatch(r"\d{1,4}(\.\d{1,2})?", epigraph.strip()):
        errors["epigraph"] = _("El epígrafe se escribe con cifras, p. ej. 659.2.")
    if tariff_quota_cents <= 0:
        errors["tariff_quota_cents"] = _("La cuota de tarifa debe ser positiva.")
    if turnover_cents is not None and turnover_cents < 0:
        errors["turnover_cents"] = _("La cifra de negocios no puede ser negativa.")
    if not street_category.strip():
        errors["street_category"] = _("Indique la categoría fiscal de la calle.")
    if not description.strip():
        errors["description"] = _("Describa la actividad.")
    if errors:
        raise ValidationFailed(fields=errors)
    if holder.entity_id != entity.pk:
        raise NotFound(_("No existe esa persona."))
    activity = Activity.objects.create(
        entity=entity, holder=holder, epigraph=epigraph.strip(), description=description[:200],
        address=address[:250], tariff_quota_cents=tariff_quota_cents,
        turnover_cents=turnover_cents, street_category=street_category.strip()[:4],
        started_on=started_on,
    )  # fmt: skip
    audit_record(actor=actor, action="revenue.activity.register", entity=entity, target=activity)
    return activity


# --- Rolls ------------------------------------------------------------------------------------


@dataclass
class _Line:
    taxpayer_id: uuid.UUID
    object_type: str
    object_id: uuid.UUID
    label: str
    quota: rules.Quota


def _ibi_lines(entity: Entity, tax: str, params: dict) -> Iterator[_Line]:
    kind = PropertyKind.URBAN if tax == Tax.IBI_URBAN else PropertyKind.RUSTIC
    minimum = int(params.get("minimum_quota_cents", 0))
    rows = (
        Property.objects.filter(entity=entity, kind=kind, active=True, exempt=False)
        .order_by("cadastral_reference")
        .values_list(
            "id", "owner_id", "cadastral_reference", "address", "cadastral_value_cents",
            "owner_share", "bonus",
        )
    )  # fmt: skip
    for pk, owner, reference, address, value, share, bonus in rows.iterator(chunk_size=BATCH):
        quota = rules.ibi_quota(
            cadastral_value_cents=value, owner_share=share, bonus=bonus, params=params
        )
        if quota.amount_cents > 0 and quota.amount_cents >= minimum:
            yield _Line(owner, "property", pk, f"{reference} · {address}", quota)


def _waste_lines(entity: Entity, params: dict) -> Iterator[_Line]:
    rows = (
        Property.objects.filter(entity=entity, active=True, waste_fee=True)
        .order_by("cadastral_reference")
        .values_list("id", "owner_id", "cadastral_reference", "address", "use")
    )
    for pk, owner, reference, address, use in rows.iterator(chunk_size=BATCH):
        quota = rules.waste_quota(use=use, params=params)
        if quota.amount_cents > 0:
            yield _Line(owner, "property", pk, f"{reference} · {address}", quota)


def _ivtm_lines(entity: Entity, year: int, params: dict) -> Iterator[_Line]:
    vehicles = (
        Vehicle.objects.filter(entity=entity, exempt=False, first_registration__year__lte=year)
        .exclude(removal__lt=dt.date(year, 1, 1))
        .order_by("plate")
    )
    for vehicle in vehicles.iterator(chunk_size=BATCH):
        quota = rules.ivtm_quota(vehicle=vehicle, year=year, params=params)
        if quota.amount_cents > 0:
            yield _Line(vehicle.owner_id, "vehicle", vehicle.pk, str(vehicle), quota)


def _iae_lines(entity: Entity, year: int, params: dict) -> Iterator[_Line]:
    activities = (
        Activity.objects.filter(entity=entity, started_on__year__lte=year)
        .exclude(ended_on__lt=dt.date(year, 1, 1))
        .select_related("holder")
        .order_by("epigraph", "created_at")
    )
    for activity in activities.iterator(chunk_size=BATCH):
        natural = activity.holder.kind == PersonKind.NATURAL
        if rules.iae_exempt(activity=activity, holder_is_natural_person=natural, params=params):
            continue
        quota = rules.iae_quota(activity=activity, year=year, params=params)
        if quota.amount_cents > 0:
            label = f"{activity.epigraph} · {activity.description} · {activity.address}"
            yield _Line(activity.holder_id, "activity", activity.pk, label, quota)


def _roll_lines(entity: Entity, tax: str, year: int, params: dict) -> Iterator[_Line]:
    if tax in (Tax.IBI_URBAN, Tax.IBI_RUSTIC):
        return _ibi_lines(entity, tax, params)
    if tax == Tax.WASTE:
        return _waste_lines(entity, params)
    if tax == Tax.IVTM:
        return _ivtm_lines(entity, year, params)
    return _iae_lines(entity, year, params)


def _check_voluntary_period(start: dt.date, end: dt.date) -> None:
    """Art. 62.3 LGT: a collective voluntary period lasts at least two months."""
    if end < add_months(start, 2) - dt.timedelta(days=1):
        raise field_error(
            "voluntary_end",
            _("El periodo voluntario de un padrón no puede ser inferior a dos meses "
              "(art. 62.3 LGT)."),
            code="voluntary_period_too_short",
        )  # fmt: skip


def roll_generate(
    actor: Actor,
    *,
    entity: Entity,
    tax: str,
    year: int,
    voluntary_start: dt.date,
    voluntary_end: dt.date,
    direct_debit_date: dt.date | None = None,
) -> Roll:
    """Generate (or generate again) the roll of a tax and year from the current objects.

    While the roll is a draft, generating again replaces its receipts with the
    same result for the same objects; once approved it cannot change: later
    changes are individual assessments or cancellations.
    """
    require_role(actor, entity, *OFFICERS)
    if tax not in Tax.values:
        raise field_error("tax", _("Tributo no válido."), code="invalid_choice")
    _check_voluntary_period(voluntary_start, voluntary_end)
    if direct_debit_date and not voluntary_start <= direct_debit_date <= voluntary_end:
        raise field_error(
            "direct_debit_date",
            _("La fecha de cargo de las domiciliaciones debe caer dentro del periodo voluntario."),
            code="invalid_date",
        )
    settings_row = revenue_settings(entity)
    params = parameters_for(entity, tax, year)
    with transaction.atomic():
        roll, _created = Roll.objects.select_for_update().get_or_create(
            entity=entity, tax=tax, year=year,
            defaults={"voluntary_start": voluntary_start, "voluntary_end": voluntary_end},
        )  # fmt: skip
        if roll.status == RollStatus.APPROVED:
            raise Conflict(
                _("El padrón %(r)s ya está aprobado: los cambios se hacen con liquidaciones "
                  "o anulaciones.") % {"r": roll},
                code="roll_approved",
            )  # fmt: skip
        Receipt.objects.filter(roll=roll).delete()  # a draft's receipts were never issued
        identification = rules.c60_identification(params.concept_code, year, voluntary_end)
        now = timezone.now()
        totals = {"count": 0, "total": 0}

        def rows():
            for chunk in batches(_roll_lines(entity, tax, year, params.parameters), BATCH):
                mandates = dict(
                    Mandate.objects.filter(
                        entity=entity, status=MandateStatus.ACTIVE,
                        debtor_id__in={line.taxpayer_id for line in chunk},
                    ).order_by("signed_on").values_list("debtor_id", "id")
                )  # fmt: skip
                for line in chunk:
                    totals["count"] += 1
                    number, amount = totals["count"], line.quota.amount_cents
                    totals["total"] += amount
                    reference = rules.c60_reference(
                        settings_row.issuer_code, ROLL_REFERENCE_BASE + number, identification,
                        amount,
                    )  # fmt: skip
                    yield (
                        uuid.uuid4(), now, now, entity.pk, number, year, tax, ReceiptKind.ROLL,
                        roll.pk, line.taxpayer_id, line.object_type, line.object_id,
                        line.label[:250], line.quota.lines, amount, ReceiptStatus.DRAFT,
                        voluntary_start, voluntary_end, reference, identification,
                        mandates.get(line.taxpayer_id), 0,
                    )  # fmt: skip

        with rules.label_cache():
            insert_rows(Receipt, RECEIPT_ROW, rows())
        count, total = totals["count"], totals["total"]
        roll.voluntary_start, roll.voluntary_end = voluntary_start, voluntary_end
        roll.direct_debit_date = direct_debit_date
        roll.receipt_count, roll.total_cents, roll.generated_at = count, total, now
        roll.save()
        audit_record(
            actor=actor, action="revenue.roll.generate", entity=entity, target=roll,
            details={"receipts": count, "total_cents": total},
        )  # fmt: skip
    return roll


def roll_approve(actor: Actor, *, roll: Roll) -> Roll:
    require_role(actor, roll.entity, *OFFICERS)
    with transaction.atomic():
        roll = Roll.objects.select_for_update().get(pk=roll.pk)
        if roll.status != RollStatus.DRAFT or roll.generated_at is None:
            raise Conflict(
                _("Solo se aprueba un padrón generado y sin aprobar."), code="roll_state"
            )
        Receipt.objects.filter(roll=roll, status=ReceiptStatus.DRAFT).update(
            status=ReceiptStatus.PENDING, updated_at=timezone.now()
        )
        roll.status, roll.approved_at = RollStatus.APPROVED, timezone.now()
        roll.approved_by = actor.user
        roll.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
        audit_record(actor=actor, action="revenue.roll.approve", entity=roll.entity, target=roll)
    return roll


# --- Individual assessments ---------------------------------------------------------------------


def _next_business_day(entity: Entity):
    calendar = calendar_for(entity, strict=False)
    return calendar.next_business_day


def assessment_issue(
    actor: Actor,
    *,
    entity: Entity,
    tax: str,
    year: int,
    taxpayer: Person,
    object_label: str,
    principal_cents: int,
    lines: list[list[str]] | None = None,
    notified_on: dt.date | None = None,
) -> Receipt:
    """An individual assessment (liquidación): payable from notification to the art. 62.2 date."""
    require_role(actor, entity, *OFFICERS)
    if principal_cents <= 0:
        raise field_error("principal", _("El importe debe ser positivo."), code="invalid_amount")
    if taxpayer.entity_id != entity.pk:
        raise NotFound(_("No existe esa persona."))
    params = parameters_for(entity, tax, year)
    issuer = revenue_settings(entity).issuer_code
    with transaction.atomic():
        number = next_number(ReceiptCounter, entity=entity, year=year)
        receipt = Receipt(
            entity=entity, number=number, year=year, tax=tax, kind=ReceiptKind.ASSESSMENT,
            taxpayer=taxpayer, object_label=object_label[:250],
            breakdown=lines or [[_("Cuota"), rules.euros(principal_cents)]],
            principal_cents=principal_cents, status=ReceiptStatus.PENDING,
        )  # fmt: skip
        _set_due(receipt, issuer, params.concept_code, notified_on)
        receipt.save()
        audit_record(actor=actor, action="revenue.assessment.issue", entity=entity, target=receipt)
    return receipt


def _set_due(receipt: Receipt, issuer: str, concept_code: str, notified_on: dt.date | None) -> None:
    if notified_on is None:
        receipt.reference = receipt.identification = ""
        return
    receipt.notified_on = notified_on
    receipt.voluntary_start = notified_on
    receipt.voluntary_due = rules.assessment_due(notified_on, _next_business_day(receipt.entity))
    receipt.identification = rules.c60_identification(
        concept_code, receipt.year, receipt.voluntary_due
    )
    base = int(REFERENCE_PREFIX[receipt.kind]) * 10**9 + receipt.number
    receipt.reference = rules.c60_reference(
        issuer, base, receipt.identification, receipt.principal_cents
    )


def assessment_notified(actor: Actor, *, receipt: Receipt, on: dt.date) -> Receipt:
    require_role(actor, receipt.entity, *OFFICERS)
    if receipt.kind != ReceiptKind.ASSESSMENT or receipt.notified_on:
        raise Conflict(_("La liquidación ya estaba notificada."), code="already_notified")
    params = parameters_for(receipt.entity, receipt.tax, receipt.year)
    _set_due(receipt, revenue_settings(receipt.entity).issuer_code, params.concept_code, on)
    receipt.save()
    audit_record(
        actor=actor, action="revenue.assessment.notified", entity=receipt.entity, target=receipt
    )
    return receipt


def enforcement_notified(actor: Actor, *, receipt: Receipt, on: dt.date) -> Receipt:
    """The providencia de apremio was notified on `on` (art. 62.5 period starts)."""
    require_role(actor, receipt.entity, *OFFICERS)
    if receipt.status != ReceiptStatus.PENDING or not receipt.voluntary_due:
        raise Conflict(_("El recibo no está pendiente de pago."), code="receipt_not_pending")
    if on <= receipt.voluntary_due:
        raise field_error(
            "on",
            _("La providencia de apremio se dicta cuando ha terminado el periodo voluntario "
              "(%(d)s).") % {"d": f"{receipt.voluntary_due:%d/%m/%Y}"},
            code="still_voluntary",
        )  # fmt: skip
    receipt.enforcement_notified_on = on
    receipt.save(update_fields=["enforcement_notified_on", "updated_at"])
    audit_record(
        actor=actor, action="revenue.enforcement.notified", entity=receipt.entity, target=receipt
    )
    return receipt


# --- Payments and cancellations -----------------------------------------------------------------


def _lock(receipt: Receipt) -> Receipt:
    return (
        Receipt.objects.select_for_update(of=("self",)).select_related("entity").get(pk=receipt.pk)
    )


def _may_pay(actor: Actor, receipt: Receipt) -> None:
    """Officers record any payment; the sede's online payment acts for the citizen."""
    if actor.via == "sede":
        return
    require_role(actor, receipt.entity, *OFFICERS)


def payment_record(
    actor: Actor,
    *,
    receipt: Receipt,
    amount_cents: int,
    on: dt.date,
    channel: str,
    operation: str = "",
) -> Movement:
    """Record a payment. In the executive period the art. 28 surcharge (and any
    interest) is charged first and only the whole amount due is accepted."""
    _may_pay(actor, receipt)
    if channel not in PaymentChannel.values:
        raise field_error("channel", _("Canal de cobro no válido."), code="invalid_choice")
    if amount_cents <= 0:
        raise field_error("amount", _("El importe debe ser positivo."), code="invalid_amount")
    with transaction.atomic():
        receipt = _lock(receipt)
        if receipt.status != ReceiptStatus.PENDING:
            raise Conflict(
                _("El recibo %(r)s no está pendiente de pago (%(s)s).")
                % {"r": receipt, "s": receipt.get_status_display()},
                code="receipt_not_pending",
            )
        state = debt(receipt, on=on)
        if amount_cents > state.total_due_cents:
            raise field_error(
                "amount",
                _("El pago (%(p)s) supera la deuda del recibo %(r)s (%(d)s).")
                % {"p": rules.euros(amount_cents), "r": receipt,
                   "d": rules.euros(state.total_due_cents)},
                code="payment_exceeds_debt",
            )  # fmt: skip
        label = actor.label
        if state.executive is not None:
            if amount_cents != state.total_due_cents:
                raise field_error(
                    "amount",
                    _("En periodo ejecutivo se paga la deuda entera: %(d)s.")
                    % {"d": rules.euros(state.total_due_cents)},
                    code="executive_partial_payment",
                )
            Movement.objects.create(
                receipt=receipt, kind=MovementKind.SURCHARGE, on=on, actor=label,
                amount_cents=state.executive.surcharge_cents, note=state.executive.label,
            )  # fmt: skip
            if state.executive.interest_cents:
                Movement.objects.create(
                    receipt=receipt, kind=MovementKind.INTEREST, on=on, actor=label,
                    amount_cents=state.executive.interest_cents,
                )  # fmt: skip
        if state.reduction_cents and amount_cents == state.total_due_cents:
            Movement.objects.create(
                receipt=receipt, kind=MovementKind.REDUCTION, on=on, actor=label,
                amount_cents=state.reduction_cents,
                note=_("Ingreso total en plazo: recargo reducido un 25 %"),
            )  # fmt: skip
        payment = Movement.objects.create(
            receipt=receipt, kind=MovementKind.PAYMENT, amount_cents=amount_cents, on=on,
            channel=channel, operation=operation[:80], actor=label,
        )  # fmt: skip
        if amount_cents == state.total_due_cents:
            receipt.status, receipt.paid_on = ReceiptStatus.PAID, on
            receipt.save(update_fields=["status", "paid_on", "updated_at"])
        audit_record(
            actor=actor, action="revenue.payment.record", entity=receipt.entity, target=receipt,
            details={"amount_cents": amount_cents, "channel": channel, "on": on.isoformat()},
        )  # fmt: skip
    return payment


def receipt_cancel(actor: Actor, *, receipt: Receipt, reason: str) -> Receipt:
    """Cancel what is still owed (anulación), with its reason, keeping the account."""
    require_role(actor, receipt.entity, *OFFICERS)
    if not reason.strip():
        raise field_error("reason", _("Indique el motivo de la anulación."), code="required")
    with transaction.atomic():
        receipt = _lock(receipt)
        if receipt.status not in (ReceiptStatus.PENDING, ReceiptStatus.DRAFT):
            raise Conflict(_("Solo se anula un recibo pendiente."), code="receipt_not_pending")
        if receipt.status == ReceiptStatus.DRAFT:
            raise Conflict(
                _("Un recibo de un padrón sin aprobar se corrige generando de nuevo el padrón."),
                code="roll_not_approved",
            )
        outstanding = debt(receipt, on=timezone.localdate()).outstanding_cents
        Movement.objects.create(
            receipt=receipt, kind=MovementKind.CANCELLATION, amount_cents=outstanding,
            on=timezone.localdate(), note=reason[:500], actor=actor.label,
        )  # fmt: skip
        receipt.status = ReceiptStatus.CANCELLED
        receipt.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor, action="revenue.receipt.cancel", entity=receipt.entity, target=receipt,
            details={"reason": reason[:500]},
        )  # fmt: skip
    return receipt


# --- Direct debit -------------------------------------------------------------------------------


def mandate_create(
    actor: Actor,
    *,
    entity: Entity,
    debtor: Person,
    iban: str,
    account_holder: str,
    signed_on: dt.date,
) -> Mandate:
    """A SEPA mandate; the debtor's pending roll receipts still in time are debited with it."""
    if actor.via != "sede":
        require_role(actor, entity, *OFFICERS)
    clean = sepa.iban_clean(iban)
    if clean is None:
        raise field_error(
            "iban", _("El IBAN «%(i)s» no es válido.") % {"i": iban}, code="invalid_iban"
        )
    if not account_holder.strip():
        raise field_error("account_holder", _("Indique el titular de la cuenta."), code="required")
    if debtor.entity_id != entity.pk:
        raise NotFound(_("No existe esa persona."))
    with transaction.atomic():
        previous = list(
            Mandate.objects.select_for_update().filter(
                entity=entity, debtor=debtor, status=MandateStatus.ACTIVE
            )
        )
        for old in previous:
            old.status, old.cancelled_on = MandateStatus.CANCELLED, signed_on
            old.save(update_fields=["status", "cancelled_on", "updated_at"])
        mandate = Mandate.objects.create(
            entity=entity, debtor=debtor, iban=clean, account_holder=account_holder[:70],
            reference=f"{entity.dir3_code}-{uuid.uuid4().hex[:16].upper()}", signed_on=signed_on,
        )  # fmt: skip
        Receipt.objects.filter(
            entity=entity, taxpayer=debtor, kind=ReceiptKind.ROLL,
            status__in=[ReceiptStatus.DRAFT, ReceiptStatus.PENDING],
            voluntary_due__gte=signed_on,
        ).exclude(
            Exists(RemittanceItem.objects.filter(receipt=OuterRef("pk"), returned_on=None))
        ).update(mandate=mandate, updated_at=timezone.now())  # fmt: skip
        audit_record(actor=actor, action="revenue.mandate.create", entity=entity, target=mandate)
    return mandate


def mandate_cancel(actor: Actor, *, mandate: Mandate) -> Mandate:
    if actor.via != "sede":
        require_role(actor, mandate.entity, *OFFICERS)
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if mandate.status != MandateStatus.ACTIVE:
            raise Conflict(_("La domiciliación ya estaba revocada."), code="mandate_cancelled")
        mandate.status, mandate.cancelled_on = MandateStatus.CANCELLED, timezone.localdate()
        mandate.save(update_fields=["status", "cancelled_on", "updated_at"])
        Receipt.objects.filter(mandate=mandate, status=ReceiptStatus.PENDING).exclude(
            Exists(RemittanceItem.objects.filter(receipt=OuterRef("pk"), returned_on=None))
        ).update(mandate=None, updated_at=timezone.now())
        audit_record(
            actor=actor, action="revenue.mandate.cancel", entity=mandate.entity, target=mandate
        )
    return mandate


def _debtor_name(first: str, last1: str, last2: str, business: str, kind: str) -> str:
    if kind == PersonKind.LEGAL:
        return business
    return " ".join(p for p in (first, last1, last2) if p)


def _check_remittable(entity: Entity, receipt_ids: list, collection_date: dt.date) -> None:
    """Each receipt asked for by name must be debitable; the first that is not is named."""
    found = {
        r.pk: r
        for r in Receipt.objects.filter(entity=entity, pk__in=receipt_ids).select_related("mandate")
    }
    remitted = set(
        RemittanceItem.objects.filter(receipt_id__in=receipt_ids).values_list(
            "receipt_id", flat=True
        )
    )
    for position, pk in enumerate(receipt_ids, start=1):
        receipt = found.get(pk)
        why = None
        if receipt is None:
            why = _("no existe")
        elif receipt.status != ReceiptStatus.PENDING:
            why = _("no está pendiente de pago")
        elif receipt.mandate is None or receipt.mandate.status != MandateStatus.ACTIVE:
            why = _("no tiene una domiciliación vigente")
        elif receipt.voluntary_due is None or receipt.voluntary_due < collection_date:
            why = _("su periodo voluntario acaba antes de la fecha de cargo")
        elif pk in remitted:
            why = _("ya está en otra remesa")
        elif receipt.movements.exists():
            why = _("tiene cobros o anulaciones anotados")
        if why:
            raise field_error(
                "receipts",
                _("Recibo %(n)d de la lista (%(r)s): %(w)s.")
                % {"n": position, "r": receipt or pk, "w": why},
                code="receipt_not_debitable",
            )


def remittance_generate(
    actor: Actor, *, entity: Entity, collection_date: dt.date, receipt_ids: list | None = None
) -> Remittance:
    """Put the domiciled receipts still unpaid and in their voluntary period into one
    pain.008 remittance (FRST for a mandate's first debit, RCUR after): all of them, or
    those of `receipt_ids`, each of which must be debitable."""
    require_role(actor, entity, *OFFICERS)
    creditor_row = revenue_settings(entity)
    with transaction.atomic():
        RevenueSettings.objects.select_for_update().get(pk=creditor_row.pk)
        if receipt_ids is not None:
            _check_remittable(entity, list(receipt_ids), collection_date)
        eligible = (
            Receipt.objects.filter(
                entity=entity, status=ReceiptStatus.PENDING, mandate__isnull=False,
                mandate__status=MandateStatus.ACTIVE, voluntary_due__gte=collection_date,
            )
            .exclude(Exists(Movement.objects.filter(receipt=OuterRef("pk"))))
            .exclude(Exists(RemittanceItem.objects.filter(receipt=OuterRef("pk"))))
            .filter(**({"pk__in": receipt_ids} if receipt_ids is not None else {}))
            .order_by("year", "tax", "number")
            .values_list("id", "principal_cents", "mandate_id", "mandate__first_collected_on",
                         "reference")
        )  # fmt: skip
        last = Remittance.objects.filter(entity=entity).order_by("-number").first()
        number = (last.number if last else 0) + 1
        message_id = f"{entity.dir3_code}-{collection_date:%Y%m%d}-{number:05d}"[:35]
        remittance = Remittance.objects.create(
            entity=entity, number=number, message_id=message_id, collection_date=collection_date
        )
        batch: list[RemittanceItem] = []
        for receipt_id, amount, mandate_id, first_collected, reference in eligible.iterator(
            chunk_size=BATCH
        ):
            sequence = SequenceType.RECURRENT if first_collected else SequenceType.FIRST
            batch.append(
                RemittanceItem(
                    remittance=remittance, receipt_id=receipt_id, mandate_id=mandate_id,
                    amount_cents=amount, sequence_type=sequence,
                    end_to_end_id=f"{number:05d}{reference}{receipt_id.hex[:8]}".upper(),
                )
            )  # fmt: skip
            if len(batch) >= BATCH:
                RemittanceItem.objects.bulk_create(batch)
                batch = []
        RemittanceItem.objects.bulk_create(batch)
        totals = {
            row["sequence_type"]: row
            for row in remittance.items.order_by()
            .values("sequence_type")
            .annotate(count=Count("id"), total=Sum("amount_cents"))
        }
        count = sum(r["count"] for r in totals.values())
        if not count:
            raise Conflict(
                _("No hay recibos domiciliados pendientes de cargo para esa fecha."),
                code="nothing_to_remit",
            )
        creditor = sepa.Creditor(
            creditor_row.creditor_name, creditor_row.creditor_identifier,
            creditor_row.creditor_iban, creditor_row.creditor_bic,
        )  # fmt: skip
        batches = [
            sepa.Batch(
                f"{message_id}-{seq}"[:35],
                seq,
                totals[seq]["count"],
                totals[seq]["total"],
                _debits(remittance, seq),
            )
            for seq in (SequenceType.FIRST, SequenceType.RECURRENT)
            if seq in totals
        ]
        with tempfile.TemporaryFile() as out:
            sepa.write_pain008(
                out, message_id=message_id, created_at=timezone.now(), creditor=creditor,
                collection_date=collection_date, batches=batches,
            )  # fmt: skip
            out.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: out.read(1 << 20), b""):
                digest.update(chunk)
            out.seek(0)
            remittance.file.save(
                f"{entity.pk}/{message_id}.xml", File(out, name=f"{message_id}.xml"), save=False
            )
        stored = remittance.file
        try:  # a failure after storing must not leave the file behind
            remittance.item_count = count
            remittance.total_cents = sum(r["total"] for r in totals.values())
            remittance.sha256 = digest.hexdigest()
            remittance.save()
            audit_record(
                actor=actor, action="revenue.remittance.generate", entity=entity,
                target=remittance,
                details={"items": count, "total_cents": remittance.total_cents},
            )  # fmt: skip
        except Exception:
            stored.storage.delete(stored.name)
            raise
    return remittance


def _debits(remittance: Remittance, sequence: str) -> Iterator[sepa.Debit]:
    rows = (
        remittance.items.filter(sequence_type=sequence)
        .order_by("id")
        .values_list(
            "end_to_end_id", "amount_cents", "mandate__reference", "mandate__signed_on",
            "mandate__account_holder", "mandate__iban", "receipt__tax", "receipt__year",
            "receipt__reference", "receipt__object_label",
        )
    )  # fmt: skip
    for e2e, amount, mref, signed, holder, iban, tax, year, ref, label in rows.iterator(
        chunk_size=BATCH
    ):
        yield sepa.Debit(
            e2e, amount, mref, signed, holder, iban,
            f"{Tax(tax).label} {year} ref {ref} {label}",
        )  # fmt: skip


def remittance_settle(actor: Actor, *, remittance: Remittance, on: dt.date) -> Remittance:
    """The bank charged the remittance: every debit not returned pays its receipt."""
    require_role(actor, remittance.entity, *OFFICERS)
    with transaction.atomic():
        remittance = Remittance.objects.select_for_update().get(pk=remittance.pk)
        if remittance.status != RemittanceStatus.GENERATED:
            raise Conflict(_("La remesa ya estaba cargada."), code="remittance_settled")
        label = actor.label
        items = remittance.items.filter(returned_on=None).values_list(
            "receipt_id", "amount_cents", "end_to_end_id", "mandate_id"
        )
        batch: list[Movement] = []
        now = timezone.now()
        for receipt_id, amount, e2e, _mandate in items.iterator(chunk_size=BATCH):
            batch.append(
                Movement(
                    receipt_id=receipt_id, kind=MovementKind.PAYMENT, amount_cents=amount, on=on,
                    channel=PaymentChannel.DIRECT_DEBIT, operation=e2e, actor=label,
                    created_at=now, updated_at=now,
                )
            )  # fmt: skip
            if len(batch) >= BATCH:
                Movement.objects.bulk_create(batch)
                batch = []
        Movement.objects.bulk_create(batch)
        charged = remittance.items.filter(returned_on=None)
        Receipt.objects.filter(Exists(charged.filter(receipt=OuterRef("pk")))).update(
            status=ReceiptStatus.PAID, paid_on=on, updated_at=now
        )
        Mandate.objects.filter(
            Exists(charged.filter(mandate=OuterRef("pk"))), first_collected_on=None
        ).update(first_collected_on=on, updated_at=now)
        remittance.status, remittance.settled_on = RemittanceStatus.SETTLED, on
        remittance.save(update_fields=["status", "settled_on", "updated_at"])
        audit_record(
            actor=actor, action="revenue.remittance.settle", entity=remittance.entity,
            target=remittance,
        )  # fmt: skip
    return remittance


def remittance_returns(
    actor: Actor, *, remittance: Remittance, returns: list[tuple[str, str]], on: dt.date
) -> int:
    """Returned debits (R-transactions): each reopens its receipt. All or none are applied."""
    require_role(actor, remittance.entity, *OFFICERS)
    with transaction.atomic():
        remittance = Remittance.objects.select_for_update().get(pk=remittance.pk)
        wanted = {e2e: reason for e2e, reason in returns}
        items = {
            item.end_to_end_id: item
            for item in remittance.items.filter(end_to_end_id__in=wanted).select_related("receipt")
        }
        for position, (e2e, _reason) in enumerate(returns, start=1):
            item = items.get(e2e)
            if item is None:
                raise field_error(
                    "returns",
                    _("Devolución %(n)d: el adeudo %(e)s no está en la remesa %(m)s.")
                    % {"n": position, "e": e2e, "m": remittance.message_id},
                    code="unknown_debit",
                )
            if item.returned_on:
                raise Conflict(
                    _("Devolución %(n)d: el adeudo %(e)s ya estaba devuelto.")
                    % {"n": position, "e": e2e},
                    code="already_returned",
                )
        for e2e, reason in returns:
            item = items[e2e]
            item.returned_on, item.return_reason = on, reason[:4]
            item.save(update_fields=["returned_on", "return_reason"])
            receipt = item.receipt
            if remittance.status == RemittanceStatus.SETTLED:
                Movement.objects.create(
                    receipt=receipt, kind=MovementKind.DEBIT_RETURN, amount_cents=item.amount_cents,
                    on=on, channel=PaymentChannel.DIRECT_DEBIT, operation=e2e,
                    note=_("Motivo %(r)s") % {"r": reason}, actor=actor.label,
                )  # fmt: skip
                receipt.status, receipt.paid_on = ReceiptStatus.PENDING, None
                receipt.save(update_fields=["status", "paid_on", "updated_at"])
        audit_record(
            actor=actor, action="revenue.remittance.returns", entity=remittance.entity,
            target=remittance, details={"returned": len(returns)},
        )  # fmt: skip
    return len(returns)


# --- Bank collection files ------------------------------------------------------------------------


@dataclass(frozen=True)
class _BankPayment:
    line: int
    reference: str
    identification: str
    amount_cents: int
    on: dt.date
    operation: str


def _parse_date(text: str, line: int) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise _file_error(line, _("fecha «%(t)s» no válida") % {"t": text}) from None


def _file_error(line: int, what: str) -> ValidationFailed:
    return field_error(
        "file", _("Fichero de cobros, línea %(n)d: %(w)s.") % {"n": line, "w": what},
        code="bank_file_invalid",
    )  # fmt: skip


def _parse_bank_file(content: bytes, issuer: str):
    try:
        text = content.decode("latin-1")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes any byte
        raise _file_error(1, _("no es texto")) from None
    lines = [raw.rstrip("\r") for raw in text.split("\n") if raw.strip()]
    if not lines or not lines[0].startswith("0"):
        raise _file_error(1, _("falta la cabecera (registro 0)"))
    head = lines[0]
    if len(head) < 19 or head[5:11] != issuer:
        raise _file_error(
            1, _("la emisora de la cabecera no es la de esta entidad (%(e)s)") % {"e": issuer}
        )
    bank, collected_on = head[1:5], _parse_date(head[11:19], 1)
    payments: list[_BankPayment] = []
    total_line = None
    for number, line in enumerate(lines[1:], start=2):
        if line.startswith("2"):
            if total_line is not None:
                raise _file_error(number, _("hay cobros después del registro de totales"))
            if len(line) < 43 or not line[1:43].isdigit():
                raise _file_error(number, _("el registro de cobro no tiene el formato esperado"))
            payments.append(
                _BankPayment(
                    number, line[1:13], line[13:23], int(line[23:35]),
                    _parse_date(line[35:43], number), line[43:59].strip(),
                )
            )  # fmt: skip
        elif line.startswith("9"):
            total_line = (number, line)
        else:
            raise _file_error(number, _("tipo de registro desconocido «%(t)s»") % {"t": line[:1]})
    if total_line is None:
        raise _file_error(len(lines), _("falta el registro de totales (registro 9)"))
    number, line = total_line
    try:
        declared_count, declared_total = int(line[1:9]), int(line[9:23])
    except ValueError:
        raise _file_error(
            number, _("el registro de totales no tiene el formato esperado")
        ) from None
    if declared_count != len(payments):
        raise _file_error(
            number,
            _("el registro de totales declara %(d)d cobros y el fichero trae %(n)d")
            % {"d": declared_count, "n": len(payments)},
        )
    actual = sum(p.amount_cents for p in payments)
    if declared_total != actual:
        raise _file_error(
            number,
            _("el registro de totales declara %(d)s y los cobros suman %(s)s")
            % {"d": rules.euros(declared_total), "s": rules.euros(actual)},
        )
    return bank, collected_on, payments


def bank_file_import(actor: Actor, *, entity: Entity, name: str, content: bytes) -> BankFile:
    """Apply a bank's collection file whole, or nothing of it (see docs/revenue.md)."""
    require_role(actor, entity, *OFFICERS)
    issuer = revenue_settings(entity).issuer_code
    bank, collected_on, payments = _parse_bank_file(content, issuer)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        if BankFile.objects.filter(entity=entity, sha256=digest).exists():
            raise Conflict(
                _("Ese fichero de cobros ya se había importado."), code="already_imported"
            )
        for payment in payments:
            receipt = Receipt.objects.filter(
                entity=entity, reference=payment.reference, identification=payment.identification
            ).first()
            if receipt is None:
                raise _file_error(
                    payment.line,
                    _("no hay ningún recibo con referencia %(r)s e identificación %(i)s")
                    % {"r": payment.reference, "i": payment.identification},
                )
            try:
                payment_record(
                    actor, receipt=receipt, amount_cents=payment.amount_cents, on=payment.on,
                    channel=PaymentChannel.BANK, operation=payment.operation or name,
                )  # fmt: skip
            except (ValidationFailed, Conflict) as exc:
                raise _file_error(payment.line, exc.message) from exc
        bank_file = BankFile.objects.create(
            entity=entity, name=name[:200], sha256=digest, bank_code=bank,
            collected_on=collected_on, payment_count=len(payments),
            total_cents=sum(p.amount_cents for p in payments), imported_by=actor.label,
        )  # fmt: skip
        audit_record(
            actor=actor, action="revenue.bank_file.import", entity=entity, target=bank_file
        )
    return bank_file


def late_self_assessment(
    actor: Actor,
    *,
    entity: Entity,
    tax: str,
    year: int,
    taxpayer: Person,
    object_label: str,
    principal_cents: int,
    due: dt.date,
    filed_on: dt.date,
) -> Receipt:
    """A self-assessment filed after its deadline: the receipt carries the art. 27 surcharge."""
    require_role(actor, entity, *OFFICERS)
    if principal_cents <= 0:
        raise field_error("principal", _("El importe debe ser positivo."), code="invalid_amount")
    late = rules.late_filing(
        principal_cents=principal_cents, due=due, filed_on=filed_on, rates=interest_rates()
    )
    lines = [[_("Cuota autoliquidada"), rules.euros(principal_cents)]]
    total = principal_cents
    if late.percent:
        lines.append([
            _("Recargo por presentación extemporánea (art. 27 LGT, %(p)d %%, %(m)d meses)")
            % {"p": late.percent, "m": late.months_late},
            rules.euros(late.surcharge_cents),
        ])  # fmt: skip
        total += late.surcharge_cents
        lines.append([
            _("Recargo reducido si se ingresa todo en plazo (art. 27.5 LGT, −25 %)"),
            rules.euros(late.reduced_surcharge_cents),
        ])  # fmt: skip
        if late.interest_cents:
            lines.append([_("Intereses de demora"), rules.euros(late.interest_cents)])
            total += late.interest_cents
    params = parameters_for(entity, tax, year)
    issuer = revenue_settings(entity).issuer_code
    with transaction.atomic():
        number = next_number(ReceiptCounter, entity=entity, year=year)
        # The surcharge is assessed and notified on filing: the art. 62.2 period runs from it.
        pay_by = rules.assessment_due(filed_on, _next_business_day(entity))
        receipt = Receipt(
            entity=entity, number=number, year=year, tax=tax, kind=ReceiptKind.SELF_ASSESSMENT,
            taxpayer=taxpayer, object_label=object_label[:250], breakdown=lines,
            principal_cents=total, status=ReceiptStatus.PENDING, voluntary_start=filed_on,
            voluntary_due=pay_by, notified_on=filed_on,
            reducible_cents=late.surcharge_cents - late.reduced_surcharge_cents,
        )  # fmt: skip
        receipt.identification = rules.c60_identification(params.concept_code, year, pay_by)
        receipt.reference = rules.c60_reference(
            issuer, int(REFERENCE_PREFIX[receipt.kind]) * 10**9 + number,
            receipt.identification, total,
        )  # fmt: skip
        receipt.save()
        audit_record(
            actor=actor, action="revenue.self_assessment.late", entity=entity, target=receipt,
            details={"percent": late.percent, "months": late.months_late},
        )  # fmt: skip
    return receipt


# --- Configuration: the collector's data, ordinances and interest rates --------------------------


def _bands_ok(bands) -> bool:
    if not isinstance(bands, list) or not bands or bands[-1][0] is not None:
        return False
    uppers = [b[0] for b in bands[:-1]]
    return all(isinstance(b, list) and len(b) == 2 for b in bands) and all(
        isinstance(u, int | float) for u in uppers
    ) and uppers == sorted(uppers)  # fmt: skip


def _decimal_in(value, low: str, high: str) -> bool:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError):
        return False
    return Decimal(low) <= number <= Decimal(high)


def parameters_problems(tax: str, params) -> list[str]:
    """What is wrong with an ordinance's parameters (empty when they are usable)."""
    if not isinstance(params, dict):
        return [_("Los parámetros deben ser un objeto JSON.")]
    problems = []
    if tax in (Tax.IBI_URBAN, Tax.IBI_RUSTIC):
        if not _decimal_in(params.get("rate_percent"), "0.01", "2"):
            problems.append(_("rate_percent: tipo de gravamen entre 0,01 y 2 (%)."))
        for code, spec in (params.get("bonuses") or {}).items():
            if (
                not isinstance(spec, dict)
                or not spec.get("name")
                or not _decimal_in(spec.get("percent"), "0", "95")
            ):
                problems.append(
                    _("bonuses.%(c)s: hace falta name y percent (0 a 95).") % {"c": code}
                )
    elif tax == Tax.IVTM:
        if not _decimal_in(params.get("coefficient"), "1", "2"):
            problems.append(_("coefficient: coeficiente entre 1 y 2 (art. 95.4)."))
        tariffs = params.get("tariffs") or {}
        for vehicle_class in VehicleClass.values:
            if not _bands_ok(tariffs.get(vehicle_class)):
                problems.append(
                    _("tariffs.%(c)s: tramos [[límite, céntimos], …, [null, céntimos]] "
                      "ordenados.") % {"c": vehicle_class}
                )  # fmt: skip
    elif tax == Tax.IAE:
        if not _bands_ok(params.get("weighting")):
            problems.append(_("weighting: tramos [[cifra de negocios, coeficiente], …]."))
        if not _decimal_in(params.get("weighting_without_turnover"), "1", "2"):
            problems.append(_("weighting_without_turnover: coeficiente de ponderación."))
        location = params.get("location")
        if (
            not isinstance(location, dict)
            or not location
            or not all(_decimal_in(v, "0.4", "3.8") for v in location.values())
        ):
            problems.append(_("location: coeficientes de situación entre 0,4 y 3,8 (art. 87)."))
    elif tax == Tax.WASTE:
        fees = params.get("fees")
        if (
            not isinstance(fees, dict)
            or "default" not in fees
            or not all(isinstance(v, int) and v >= 0 for v in fees.values())
        ):
            problems.append(_("fees: tarifas en céntimos por uso, con una «default»."))
    return problems


def tax_parameters_set(
    actor: Actor,
    *,
    entity: Entity,
    tax: str,
    year: int,
    concept_code: str,
    parameters: dict,
    ordinance: str = "",
) -> TaxParameters:
    """Set a tax's ordinance for a year; refused once that year's roll is approved."""
    require_role(actor, entity, *OFFICERS)
    if tax not in Tax.values:
        raise field_error("tax", _("Tributo no válido."), code="invalid_choice")
    if not (concept_code.isdigit() and len(concept_code) == 3):
        raise field_error(
            "concept_code", _("El código de tributo son tres cifras."), code="invalid_concept"
        )
    problems = parameters_problems(tax, parameters)
    if problems:
        raise ValidationFailed(
            _("Los parámetros de la ordenanza no son válidos."),
            code="invalid_parameters",
            fields={"parameters": problems},
        )
    if Roll.objects.filter(entity=entity, tax=tax, year=year, status=RollStatus.APPROVED).exists():
        raise Conflict(
            _("El padrón de ese año ya está aprobado: su ordenanza no puede cambiar."),
            code="roll_approved",
        )
    with transaction.atomic():
        row, _created = TaxParameters.objects.update_or_create(
            entity=entity, tax=tax, year=year,
            defaults={"concept_code": concept_code, "parameters": parameters,
                      "ordinance": ordinance[:250]},
        )  # fmt: skip
        audit_record(actor=actor, action="revenue.parameters.set", entity=entity, target=row)
    return row


def revenue_settings_set(
    actor: Actor,
    *,
    entity: Entity,
    issuer_code: str,
    creditor_name: str,
    creditor_identifier: str,
    creditor_iban: str,
    creditor_bic: str,
) -> RevenueSettings:
    require_role(actor, entity, *OFFICERS)
    errors = {}
    if not (issuer_code.isdigit() and len(issuer_code) == 6):
        errors["issuer_code"] = _("La emisora son seis cifras.")
    if not sepa.creditor_identifier_valid(creditor_identifier):
        errors["creditor_identifier"] = _("El identificador de acreedor SEPA no es válido.")
    iban = sepa.iban_clean(creditor_iban)
    if iban is None:
        errors["creditor_iban"] = _("El IBAN no es válido.")
    if not re.fullmatch(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?", creditor_bic.strip().upper()):
        errors["creditor_bic"] = _("El BIC no es válido (8 u 11 caracteres).")
    if not creditor_name.strip():
        errors["creditor_name"] = _("Indique el nombre del acreedor.")
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        row, _created = RevenueSettings.objects.update_or_create(
            entity=entity,
            defaults={"issuer_code": issuer_code, "creditor_name": creditor_name[:70],
                      "creditor_identifier": creditor_identifier.replace(" ", "").upper(),
                      "creditor_iban": iban, "creditor_bic": creditor_bic.strip().upper()},
        )  # fmt: skip
        audit_record(actor=actor, action="revenue.settings.set", entity=entity, target=row)
    return row


def interest_rate_set(actor: Actor, *, valid_from: dt.date, percent, source: str) -> InterestRate:
    """A late-payment interest rate from a date (national law: administrators only)."""
    if not (actor.is_system or (actor.user is not None and actor.user.is_superuser)):
        raise PermissionDenied()
    if not _decimal_in(percent, "0", "20"):
        raise field_error("percent", _("Tipo anual entre 0 y 20 %."), code="invalid_rate")
    with transaction.atomic():
        row, _created = InterestRate.objects.update_or_create(
            valid_from=valid_from, defaults={"percent": Decimal(str(percent)), "source": source}
        )
        audit_record(actor=actor, action="revenue.interest_rate.set", target=row)
    return row
