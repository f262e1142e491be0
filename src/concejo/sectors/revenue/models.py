"""Revenue: tax objects, yearly ordinance parameters, rolls, receipts and their accounts.

Money is held in integer euro cents. Every rate, tariff and coefficient is data
(`TaxParameters`, `InterestRate`), never a constant in code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import BaseModel, EntityScopedModel, YearCounter


class Tax(models.TextChoices):
    IBI_URBAN = "ibi_urban", _("IBI urbana")
    IBI_RUSTIC = "ibi_rustic", _("IBI rústica")
    IVTM = "ivtm", _("Impuesto sobre vehículos (IVTM)")
    IAE = "iae", _("Impuesto sobre actividades económicas (IAE)")
    WASTE = "waste", _("Tasa de recogida de basuras")


class RevenueSettings(EntityScopedModel):
    """The entity as a tax collector: its Cuaderno 60 issuer code and SEPA creditor data."""

    issuer_code = models.CharField(_("código de emisora (cuaderno 60)"), max_length=6)
    creditor_name = models.CharField(_("acreedor SEPA"), max_length=70)
    creditor_identifier = models.CharField(_("identificador de acreedor SEPA"), max_length=35)
    creditor_iban = models.CharField(_("IBAN de la cuenta de cobro"), max_length=34)
    creditor_bic = models.CharField(_("BIC de la cuenta de cobro"), max_length=11)

    class Meta:
        verbose_name = _("configuración de recaudación")
        verbose_name_plural = _("configuraciones de recaudación")
        ordering = ("entity",)
        constraints = [models.UniqueConstraint(fields=["entity"], name="revenue_settings_once")]

    def __str__(self) -> str:
        return f"{self.creditor_name} ({self.issuer_code})"


class TaxParameters(EntityScopedModel):
    """One tax's ordinance for one fiscal year: rates, tariffs, coefficients, bonuses."""

    tax = models.CharField(_("tributo"), max_length=12, choices=Tax.choices)
    year = models.PositiveSmallIntegerField(_("ejercicio"))
    concept_code = models.CharField(_("código de tributo (cuaderno 60)"), max_length=3)
    parameters = models.JSONField(_("parámetros de la ordenanza"))
    ordinance = models.CharField(_("ordenanza fiscal"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("parámetros de ordenanza fiscal")
        verbose_name_plural = _("parámetros de ordenanzas fiscales")
        ordering = ("entity", "-year", "tax")
        constraints = [
            models.UniqueConstraint(fields=["entity", "tax", "year"], name="tax_parameters_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_tax_display()} {self.year}"


class InterestRate(BaseModel):
    """The late-payment interest rate (interés de demora, LGT art. 26.6) from a date on."""

    valid_from = models.DateField(_("vigente desde"), unique=True)
    percent = models.DecimalField(_("tipo anual (%)"), max_digits=7, decimal_places=4)
    source = models.CharField(_("norma"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tipo de interés de demora")
        verbose_name_plural = _("tipos de interés de demora")
        ordering = ("valid_from",)

    def __str__(self) -> str:
        return f"{self.percent} % desde {self.valid_from:%d/%m/%Y}"


class PropertyKind(models.TextChoices):
    URBAN = "urban", _("urbano")
    RUSTIC = "rustic", _("rústico")


class Property(EntityScopedModel):
    """A property (bien inmueble) for IBI and the waste collection fee."""

    cadastral_reference = models.CharField(_("referencia catastral"), max_length=20)
    kind = models.CharField(_("clase"), max_length=10, choices=PropertyKind.choices)
    address = models.CharField(_("dirección"), max_length=250)
    use = models.CharField(_("uso"), max_length=30, default="residential")
    cadastral_value_cents = models.BigIntegerField(_("valor catastral (céntimos)"))
    owner = models.ForeignKey(
        "people.Person", verbose_name=_("titular"), on_delete=models.PROTECT, related_name="+"
    )
    owner_share = models.DecimalField(
        _("porcentaje de titularidad"), max_digits=6, decimal_places=3, default=100
    )
    bonus = models.CharField(_("bonificación concedida"), max_length=40, blank=True)
    exempt = models.BooleanField(_("exento"), default=False)
    waste_fee = models.BooleanField(_("sujeto a la tasa de basuras"), default=True)
    active = models.BooleanField(_("de alta"), default=True)

    class Meta:
        verbose_name = _("inmueble")
        verbose_name_plural = _("inmuebles")
        ordering = ("entity", "cadastral_reference")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "cadastral_reference"], name="property_reference_once"
            )
        ]
        indexes = [models.Index(fields=["owner"])]

    def __str__(self) -> str:
        return f"{self.cadastral_reference} · {self.address}"


class VehicleClass(models.TextChoices):
    CAR = "car", _("turismo")
    BUS = "bus", _("autobús")
    TRUCK = "truck", _("camión")
    TRACTOR = "tractor", _("tractor")
    TRAILER = "trailer", _("remolque o semirremolque")
    MOPED = "moped", _("ciclomotor")
    MOTORCYCLE = "motorcycle", _("motocicleta")


class Vehicle(EntityScopedModel):
    """A vehicle registered in the municipality (IVTM)."""

    plate = models.CharField(_("matrícula"), max_length=12)
    vehicle_class = models.CharField(_("clase"), max_length=12, choices=VehicleClass.choices)
    fiscal_hp = models.DecimalField(
        _("potencia fiscal (CVF)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    seats = models.PositiveSmallIntegerField(_("plazas"), null=True, blank=True)
    payload_kg = models.PositiveIntegerField(_("carga útil (kg)"), null=True, blank=True)
    engine_cc = models.PositiveIntegerField(_("cilindrada (cc)"), null=True, blank=True)
    first_registration = models.DateField(_("primera matriculación"))
    removal = models.DateField(_("baja definitiva"), null=True, blank=True)
    owner = models.ForeignKey(
        "people.Person", verbose_name=_("titular"), on_delete=models.PROTECT, related_name="+"
    )
    exempt = models.BooleanField(_("exento"), default=False)

    class Meta:
        verbose_name = _("vehículo")
        verbose_name_plural = _("vehículos")
        ordering = ("entity", "plate")
        constraints = [models.UniqueConstraint(fields=["entity", "plate"], name="vehicle_once")]
        indexes = [models.Index(fields=["owner"])]

    def __str__(self) -> str:
        return f"{self.plate} ({self.get_vehicle_class_display()})"


class Activity(EntityScopedModel):
    """A business activity in the IAE roll (matrícula)."""

    holder = models.ForeignKey(
        "people.Person", verbose_name=_("titular"), on_delete=models.PROTECT, related_name="+"
    )
    epigraph = models.CharField(_("epígrafe"), max_length=10)
    description = models.CharField(_("actividad"), max_length=200)
    address = models.CharField(_("dirección"), max_length=250)
    tariff_quota_cents = models.BigIntegerField(_("cuota de tarifa (céntimos)"))
    turnover_cents = models.BigIntegerField(_("importe neto de la cifra de negocios"), null=True)
    street_category = models.CharField(_("categoría fiscal de la calle"), max_length=4)
    started_on = models.DateField(_("alta"))
    ended_on = models.DateField(_("baja"), null=True, blank=True)

    class Meta:
        verbose_name = _("actividad económica")
        verbose_name_plural = _("actividades económicas")
        ordering = ("entity", "epigraph", "created_at")
        indexes = [models.Index(fields=["holder"])]

    def __str__(self) -> str:
        return f"{self.epigraph} · {self.description}"


class RollStatus(models.TextChoices):
    DRAFT = "draft", _("en preparación")
    APPROVED = "approved", _("aprobado")


class Roll(EntityScopedModel):
    """The yearly roll (padrón) of one tax: one receipt per taxpayer and object."""

    tax = models.CharField(_("tributo"), max_length=12, choices=Tax.choices)
    year = models.PositiveSmallIntegerField(_("ejercicio"))
    status = models.CharField(
        _("estado"), max_length=10, choices=RollStatus.choices, default=RollStatus.DRAFT
    )
    voluntary_start = models.DateField(_("inicio del periodo voluntario"))
    voluntary_end = models.DateField(_("fin del periodo voluntario"))
    direct_debit_date = models.DateField(_("fecha de cargo de las domiciliaciones"), null=True)
    receipt_count = models.PositiveIntegerField(_("recibos"), default=0)
    total_cents = models.BigIntegerField(_("importe total (céntimos)"), default=0)
    generated_at = models.DateTimeField(_("generado el"), null=True, blank=True)
    approved_at = models.DateTimeField(_("aprobado el"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aprobado por"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("padrón")
        verbose_name_plural = _("padrones")
        ordering = ("entity", "-year", "tax")
        constraints = [
            models.UniqueConstraint(fields=["entity", "tax", "year"], name="roll_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.get_tax_display()} {self.year}"


class ReceiptCounter(YearCounter):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "year"], name="receipt_counter_once")
        ]


class ReceiptKind(models.TextChoices):
    ROLL = "roll", _("recibo de padrón")
    ASSESSMENT = "assessment", _("liquidación")
    SELF_ASSESSMENT = "self_assessment", _("autoliquidación")


class ReceiptStatus(models.TextChoices):
    DRAFT = "draft", _("en padrón no aprobado")
    PENDING = "pending", _("pendiente")
    PAID = "paid", _("pagado")
    CANCELLED = "cancelled", _("anulado")


class Receipt(EntityScopedModel):
    """A debt of one taxpayer for one object and year, with its Cuaderno 60 reference.

    Its account is the principal plus its movements (`Movement`); amounts due
    in the executive period are derived from dates when read (see `debt`).
    """

    # The composite indexes below cover these three foreign keys (fewer indexes, faster rolls).
    entity = models.ForeignKey(
        "organization.Entity", verbose_name=_("entidad"), on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )  # fmt: skip
    number = models.PositiveIntegerField(_("número"))  # within its roll, or per year
    year = models.PositiveSmallIntegerField(_("ejercicio"))
    tax = models.CharField(_("tributo"), max_length=12, choices=Tax.choices)
    kind = models.CharField(_("clase"), max_length=16, choices=ReceiptKind.choices)
    roll = models.ForeignKey(
        Roll, verbose_name=_("padrón"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="receipts", db_index=False,
    )  # fmt: skip
    taxpayer = models.ForeignKey(
        "people.Person", verbose_name=_("obligado al pago"), on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )  # fmt: skip
    object_type = models.CharField(_("tipo de objeto"), max_length=20, blank=True)
    object_id = models.UUIDField(_("objeto"), null=True, blank=True)
    object_label = models.CharField(_("objeto tributario"), max_length=250)
    breakdown = models.JSONField(_("desglose"), default=list)
    principal_cents = models.BigIntegerField(_("principal (céntimos)"))
    status = models.CharField(_("estado"), max_length=10, choices=ReceiptStatus.choices)
    voluntary_start = models.DateField(_("inicio del periodo voluntario"), null=True)
    voluntary_due = models.DateField(_("fin del periodo voluntario"), null=True)
    notified_on = models.DateField(_("notificada el"), null=True, blank=True)
    enforcement_notified_on = models.DateField(
        _("providencia de apremio notificada el"), null=True, blank=True
    )
    reference = models.CharField(_("referencia (cuaderno 60)"), max_length=12)
    identification = models.CharField(_("identificación (cuaderno 60)"), max_length=10)
    mandate = models.ForeignKey(
        "revenue.Mandate", verbose_name=_("domiciliación"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    paid_on = models.DateField(_("pagado el"), null=True, blank=True)
    # Art. 27.5 LGT: how much of a late-filing surcharge is forgiven if all is paid in time.
    reducible_cents = models.BigIntegerField(_("reducción posible (céntimos)"), default=0)

    class Meta:
        verbose_name = _("recibo")
        verbose_name_plural = _("recibos")
        ordering = ("entity", "-year", "number")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "year", "tax", "kind", "number"], name="receipt_number_once"
            )
        ]
        indexes = [
            models.Index(fields=["taxpayer", "year"]),
            models.Index(fields=["roll", "number"]),
            models.Index(fields=["entity", "reference"]),
            models.Index(fields=["entity", "status", "voluntary_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_tax_display()} {self.year} nº {self.number}"


class MovementKind(models.TextChoices):
    PAYMENT = "payment", _("cobro")
    SURCHARGE = "surcharge", _("recargo")
    INTEREST = "interest", _("intereses de demora")
    CANCELLATION = "cancellation", _("anulación")
    REDUCTION = "reduction", _("reducción del recargo (art. 27.5 LGT)")
    DEBIT_RETURN = "debit_return", _("devolución de domiciliación")


# Kinds that add to the debt; the others reduce it.
CHARGE_KINDS = {MovementKind.SURCHARGE, MovementKind.INTEREST, MovementKind.DEBIT_RETURN}


class PaymentChannel(models.TextChoices):
    DESK = "desk", _("caja municipal")
    ONLINE = "online", _("pago en línea")
    BANK = "bank", _("entidad colaboradora")
    DIRECT_DEBIT = "direct_debit", _("domiciliación bancaria")


class Movement(BaseModel):
    """One line of a receipt's account. Append-only: a mistake is corrected by another line."""

    receipt = models.ForeignKey(
        Receipt, verbose_name=_("recibo"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("concepto"), max_length=14, choices=MovementKind.choices)
    amount_cents = models.BigIntegerField(_("importe (céntimos)"))
    on = models.DateField(_("fecha valor"))
    channel = models.CharField(
        _("canal"), max_length=14, choices=PaymentChannel.choices, blank=True
    )
    operation = models.CharField(_("referencia de la operación"), max_length=80, blank=True)
    note = models.CharField(_("observaciones"), max_length=500, blank=True)
    actor = models.CharField(_("registrado por"), max_length=200)

    class Meta:
        verbose_name = _("movimiento")
        verbose_name_plural = _("movimientos")
        ordering = ("receipt", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_cents / 100:.2f} €"

    @property
    def signed_cents(self) -> int:
        return self.amount_cents if self.kind in CHARGE_KINDS else -self.amount_cents


class MandateStatus(models.TextChoices):
    ACTIVE = "active", _("vigente")
    CANCELLED = "cancelled", _("revocada")


class Mandate(EntityScopedModel):
    """A SEPA Core direct-debit mandate of a taxpayer (orden de domiciliación)."""

    debtor = models.ForeignKey(
        "people.Person", verbose_name=_("deudor"), on_delete=models.PROTECT, related_name="+"
    )
    account_holder = models.CharField(_("titular de la cuenta"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    reference = models.CharField(_("referencia de la orden"), max_length=35)
    signed_on = models.DateField(_("fecha de firma"))
    status = models.CharField(
        _("estado"), max_length=10, choices=MandateStatus.choices, default=MandateStatus.ACTIVE
    )
    first_collected_on = models.DateField(_("primer cargo"), null=True, blank=True)
    cancelled_on = models.DateField(_("revocada el"), null=True, blank=True)

    class Meta:
        verbose_name = _("domiciliación")
        verbose_name_plural = _("domiciliaciones")
        ordering = ("entity", "-signed_on")
        constraints = [
            models.UniqueConstraint(fields=["entity", "reference"], name="mandate_reference_once")
        ]
        indexes = [models.Index(fields=["debtor", "status"])]

    def __str__(self) -> str:
        return self.reference


class RemittanceStatus(models.TextChoices):
    GENERATED = "generated", _("generada")
    SETTLED = "settled", _("cargada")


class Remittance(EntityScopedModel):
    """A SEPA direct-debit remittance (pain.008) sent to the collecting bank."""

    number = models.PositiveIntegerField(_("número"))
    message_id = models.CharField(_("identificador del mensaje"), max_length=35, unique=True)
    collection_date = models.DateField(_("fecha de cargo"))
    status = models.CharField(
        _("estado"), max_length=10, choices=RemittanceStatus.choices,
        default=RemittanceStatus.GENERATED,
    )  # fmt: skip
    item_count = models.PositiveIntegerField(_("adeudos"), default=0)
    total_cents = models.BigIntegerField(_("importe total (céntimos)"), default=0)
    file = models.FileField(_("fichero pain.008"), upload_to="revenue/remittances/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    settled_on = models.DateField(_("cargada el"), null=True, blank=True)

    class Meta:
        verbose_name = _("remesa de domiciliaciones")
        verbose_name_plural = _("remesas de domiciliaciones")
        ordering = ("entity", "-number")
        constraints = [
            models.UniqueConstraint(fields=["entity", "number"], name="remittance_number_once")
        ]

    def __str__(self) -> str:
        return self.message_id


class SequenceType(models.TextChoices):
    FIRST = "FRST", _("primer adeudo")
    RECURRENT = "RCUR", _("adeudo recurrente")


class RemittanceItem(models.Model):
    """One debit of a remittance; a returned debit reopens its receipt."""

    id = models.BigAutoField(primary_key=True)
    remittance = models.ForeignKey(Remittance, on_delete=models.PROTECT, related_name="items")
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="+")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="+")
    amount_cents = models.BigIntegerField(_("importe (céntimos)"))
    sequence_type = models.CharField(_("secuencia"), max_length=4, choices=SequenceType.choices)
    end_to_end_id = models.CharField(_("referencia del adeudo"), max_length=35)
    returned_on = models.DateField(_("devuelto el"), null=True, blank=True)
    return_reason = models.CharField(_("motivo de devolución"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("adeudo")
        verbose_name_plural = _("adeudos")
        ordering = ("remittance", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["remittance", "end_to_end_id"], name="remittance_item_once"
            )
        ]
        indexes = [models.Index(fields=["receipt"])]

    def __str__(self) -> str:
        return self.end_to_end_id


class BankFile(EntityScopedModel):
    """A collection file from a collaborating bank, applied whole (never in part)."""

    name = models.CharField(_("fichero"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    bank_code = models.CharField(_("entidad"), max_length=4)
    collected_on = models.DateField(_("fecha de cobro"))
    payment_count = models.PositiveIntegerField(_("cobros"))
    total_cents = models.BigIntegerField(_("importe total (céntimos)"))
    imported_by = models.CharField(_("importado por"), max_length=200)

    class Meta:
        verbose_name = _("fichero de cobros bancarios")
        verbose_name_plural = _("ficheros de cobros bancarios")
        ordering = ("entity", "-created_at")
        constraints = [models.UniqueConstraint(fields=["entity", "sha256"], name="bank_file_once")]

    def __str__(self) -> str:
        return self.name
