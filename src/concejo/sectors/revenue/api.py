"""REST API of revenue: tax objects, receipts with their accounts, and payments."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from concejo.api.actors import api_actor
from concejo.api.views import ServiceAPIView
from concejo.audit.services import audit_record_read
from concejo.core.errors import NotFound
from concejo.organization.selectors import require_role
from concejo.people.models import Person
from concejo.sectors.revenue import selectors, services
from concejo.sectors.revenue.models import (
    Activity,
    PaymentChannel,
    Property,
    PropertyKind,
    Receipt,
    ReceiptStatus,
    Tax,
    Vehicle,
    VehicleClass,
)


def _entity(request):
    return request.auth.application.entity


def _officer(request):
    actor, entity = api_actor(request), _entity(request)
    require_role(actor, entity, *selectors.OFFICERS)
    return actor, entity


def _taxpayer(entity, id_number: str) -> Person:
    person = Person.objects.filter(entity=entity, id_number__iexact=id_number.strip()).first()
    if person is None:
        raise NotFound("No hay ninguna persona con ese NIF en la entidad.", code="unknown_person")
    return person


class PropertySerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.id_number", read_only=True)

    class Meta:
        model = Property
        fields = (
            "id", "cadastral_reference", "kind", "address", "use", "cadastral_value_cents",
            "owner", "owner_share", "bonus", "exempt", "waste_fee", "active", "created_at",
        )  # fmt: skip


class PropertyInSerializer(serializers.Serializer):
    cadastral_reference = serializers.CharField(max_length=24)
    kind = serializers.ChoiceField(choices=PropertyKind.choices)
    address = serializers.CharField(max_length=250)
    use = serializers.CharField(max_length=30, default="residential")
    cadastral_value_cents = serializers.IntegerField(min_value=0)
    owner = serializers.CharField(max_length=20, help_text="NIF/NIE/CIF del titular")
    owner_share = serializers.DecimalField(
        max_digits=6, decimal_places=3, min_value=0, max_value=100, default=100
    )
    bonus = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class VehicleSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.id_number", read_only=True)

    class Meta:
        model = Vehicle
        fields = (
            "id", "plate", "vehicle_class", "fiscal_hp", "seats", "payload_kg", "engine_cc",
            "first_registration", "removal", "owner", "exempt", "created_at",
        )  # fmt: skip


class VehicleInSerializer(serializers.Serializer):
    plate = serializers.CharField(max_length=12)
    vehicle_class = serializers.ChoiceField(choices=VehicleClass.choices)
    fiscal_hp = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    seats = serializers.IntegerField(min_value=1, max_value=500, required=False, allow_null=True)
    payload_kg = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False, allow_null=True
    )
    engine_cc = serializers.IntegerField(
        min_value=1, max_value=100_000, required=False, allow_null=True
    )
    first_registration = serializers.DateField()
    owner = serializers.CharField(max_length=20, help_text="NIF/NIE/CIF del titular")


class ActivitySerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="holder.id_number", read_only=True)

    class Meta:
        model = Activity
        fields = (
            "id", "holder", "epigraph", "description", "address", "tariff_quota_cents",
            "turnover_cents", "street_category", "started_on", "ended_on", "created_at",
        )  # fmt: skip


class ActivityInSerializer(serializers.Serializer):
    holder = serializers.CharField(max_length=20, help_text="NIF/CIF del titular")
    epigraph = serializers.CharField(max_length=10)
    description = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=250)
    tariff_quota_cents = serializers.IntegerField(min_value=1)
    turnover_cents = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    street_category = serializers.CharField(max_length=4)
    started_on = serializers.DateField()


class ReceiptSerializer(serializers.ModelSerializer):
    taxpayer = serializers.CharField(source="taxpayer.id_number", read_only=True)

    class Meta:
        model = Receipt
        fields = (
            "id", "year", "tax", "kind", "number", "taxpayer", "object_label", "principal_cents",
            "status", "voluntary_start", "voluntary_due", "reference", "identification",
            "paid_on", "created_at",
        )  # fmt: skip


class AccountLineSerializer(serializers.Serializer):
    on = serializers.DateField(allow_null=True)
    concept = serializers.CharField()
    charge = serializers.IntegerField()
    credit = serializers.IntegerField()
    balance = serializers.IntegerField()


class ReceiptDetailSerializer(ReceiptSerializer):
    breakdown = serializers.JSONField()
    account = serializers.SerializerMethodField()
    due_today = serializers.SerializerMethodField()

    class Meta(ReceiptSerializer.Meta):
        fields = (*ReceiptSerializer.Meta.fields, "breakdown", "account", "due_today")

    @extend_schema_field(AccountLineSerializer(many=True))
    def get_account(self, receipt) -> list:
        return AccountLineSerializer(selectors.account_lines(receipt), many=True).data

    @extend_schema_field({"type": "object"})
    def get_due_today(self, receipt) -> dict:
        state = selectors.debt(receipt)
        executive = state.executive
        return {
            "period": state.period,
            "outstanding_cents": state.outstanding_cents,
            "surcharge_percent": executive.percent if executive else 0,
            "surcharge_cents": executive.surcharge_cents if executive else 0,
            "interest_cents": executive.interest_cents if executive else 0,
            "total_cents": state.total_due_cents,
        }


class PaymentInSerializer(serializers.Serializer):
    amount_cents = serializers.IntegerField(min_value=1)
    on = serializers.DateField()
    channel = serializers.ChoiceField(
        choices=[(c, PaymentChannel(c).label) for c in ("desk", "bank")], default="bank"
    )
    operation = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class TaxObjectListView(ServiceAPIView):
    """The entity's objects of one kind (optionally one holder's), and registering one.

    Subclasses name the model, its serializers, the holder field and the service,
    and keep their own documented `get` and `post`.
    """

    required_scopes = {"GET": "revenue:read", "POST": "revenue:write"}
    parser_classes = [JSONParser]
    model = None
    serializer_class = None
    in_serializer_class = None
    holder = "owner"
    register = None

    def listed(self, request):
        _actor, entity = _officer(request)
        found = self.model.objects.filter(entity=entity).select_related(self.holder)
        if request.query_params.get(self.holder):
            found = found.filter(
                **{f"{self.holder}__id_number__iexact": request.query_params[self.holder]}
            )
        return self.paginate(found, self.serializer_class)

    def created(self, request):
        actor, entity = _officer(request)
        data = self.in_serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values[self.holder] = _taxpayer(entity, values[self.holder])
        created = type(self).register(actor, entity=entity, **values)
        return Response(self.serializer_class(created).data, status=status.HTTP_201_CREATED)


class PropertyListView(TaxObjectListView):
    model, serializer_class, in_serializer_class = (
        Property,
        PropertySerializer,
        PropertyInSerializer,
    )
    register = staticmethod(services.property_register)

    @extend_schema(
        summary="Inmuebles (IBI y tasa de basuras)",
        parameters=[OpenApiParameter("owner", str, description="NIF del titular")],
        responses=PropertySerializer(many=True),
    )
    def get(self, request):
        return self.listed(request)

    @extend_schema(
        summary="Da de alta un inmueble", request=PropertyInSerializer,
        responses={201: PropertySerializer},
    )  # fmt: skip
    def post(self, request):
        return self.created(request)


class VehicleListView(TaxObjectListView):
    model, serializer_class, in_serializer_class = Vehicle, VehicleSerializer, VehicleInSerializer
    register = staticmethod(services.vehicle_register)

    @extend_schema(
        summary="Vehículos (IVTM)",
        parameters=[OpenApiParameter("owner", str, description="NIF del titular")],
        responses=VehicleSerializer(many=True),
    )
    def get(self, request):
        return self.listed(request)

    @extend_schema(
        summary="Da de alta un vehículo", request=VehicleInSerializer,
        responses={201: VehicleSerializer},
    )  # fmt: skip
    def post(self, request):
        return self.created(request)


class ActivityListView(TaxObjectListView):
    model, serializer_class = Activity, ActivitySerializer
    in_serializer_class, holder = ActivityInSerializer, "holder"
    register = staticmethod(services.activity_register)

    @extend_schema(
        summary="Actividades económicas (IAE)",
        parameters=[OpenApiParameter("holder", str, description="NIF del titular")],
        responses=ActivitySerializer(many=True),
    )
    def get(self, request):
        return self.listed(request)

    @extend_schema(
        summary="Da de alta una actividad", request=ActivityInSerializer,
        responses={201: ActivitySerializer},
    )  # fmt: skip
    def post(self, request):
        return self.created(request)


class ReceiptListView(ServiceAPIView):
    required_scopes = {"GET": "revenue:read"}

    @extend_schema(
        summary="Recibos y liquidaciones",
        parameters=[
            OpenApiParameter("taxpayer", str, description="NIF del obligado al pago"),
            OpenApiParameter("year", int),
            OpenApiParameter("tax", str, enum=Tax.values),
            OpenApiParameter("status", str, enum=ReceiptStatus.values),
            OpenApiParameter("reference", str, description="Referencia del cuaderno 60"),
        ],
        responses=ReceiptSerializer(many=True),
    )
    def get(self, request):
        _actor, entity = _officer(request)
        params = request.query_params
        found = Receipt.objects.filter(entity=entity).select_related("taxpayer")
        if params.get("taxpayer"):
            found = found.filter(taxpayer__id_number__iexact=params["taxpayer"])
        if params.get("year", "").isdigit():
            found = found.filter(year=int(params["year"]))
        for name in ("tax", "status", "reference"):
            if params.get(name):
                found = found.filter(**{name: params[name]})
        return self.paginate(found, ReceiptSerializer)


def _receipt(entity, receipt_id) -> Receipt:
    found = (
        Receipt.objects.filter(entity=entity, pk=receipt_id)
        .select_related("entity", "taxpayer")
        .first()
    )
    if found is None:
        raise NotFound("No existe ese recibo.")
    return found


class ReceiptDetailView(ServiceAPIView):
    required_scopes = {"GET": "revenue:read"}

    @extend_schema(
        summary="Un recibo con su desglose, su cuenta y lo que se debe hoy",
        responses=ReceiptDetailSerializer,
    )
    def get(self, request, receipt_id):
        actor, entity = _officer(request)
        receipt = _receipt(entity, receipt_id)
        audit_record_read(actor=actor, entity=entity, target=receipt, purpose="revenue.api")
        return Response(ReceiptDetailSerializer(receipt).data)


class ReceiptPaymentView(ServiceAPIView):
    required_scopes = {"POST": "revenue:write"}
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Registra un cobro del recibo (en periodo ejecutivo, la deuda entera)",
        request=PaymentInSerializer,
        responses={201: ReceiptDetailSerializer},
    )
    def post(self, request, receipt_id):
        actor, entity = _officer(request)
        data = PaymentInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = _receipt(entity, receipt_id)
        services.payment_record(actor, receipt=receipt, **data.validated_data)
        receipt.refresh_from_db()
        return Response(ReceiptDetailSerializer(receipt).data, status=status.HTTP_201_CREATED)
