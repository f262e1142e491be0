"""REST API of the registry: file entries, list and read them, get the receipt."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from concejo.api.actors import api_actor
from concejo.api.views import ServiceAPIView
from concejo.audit.services import audit_record_list_read
from concejo.core.errors import NotFound, ValidationFailed, field_error
from concejo.organization.models import Office
from concejo.organization.selectors import unit_get_by_dir3
from concejo.procedures.models import Procedure
from concejo.registry import selectors, services, sicres
from concejo.registry.attachments import AttachmentInput
from concejo.registry.models import Channel, Direction, RegistryEntry, Validity
from concejo.verification.services import document_content


class PartySerializer(serializers.Serializer):
    id_type = serializers.ChoiceField(choices=["nif", "nie", "passport", "cif"])
    id_number = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    surname = serializers.CharField(max_length=100, required=False, allow_blank=True)
    second_surname = serializers.CharField(max_length=100, required=False, allow_blank=True)
    business_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    municipality = serializers.CharField(max_length=100, required=False, allow_blank=True)
    municipality_ine = serializers.CharField(max_length=10, required=False, allow_blank=True)
    province = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def to_person_data(self, data: dict) -> dict:
        mapping = {"name": "first_name", "surname": "last_name_1", "second_surname": "last_name_2"}
        return {mapping.get(k, k): v for k, v in data.items()}


class ExternalBodySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=21, required=False, allow_blank=True)
    name = serializers.CharField(max_length=250, required=False, allow_blank=True)


class AttachmentInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    content_base64 = serializers.CharField()
    validity = serializers.ChoiceField(choices=Validity.choices, default=Validity.ORIGINAL)


class EntryCreateSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.IN)
    subject = serializers.CharField(max_length=250)
    summary = serializers.CharField(required=False, allow_blank=True)
    expone = serializers.CharField(required=False, allow_blank=True)
    solicita = serializers.CharField(required=False, allow_blank=True)
    interested_parties = PartySerializer(many=True, allow_empty=True)
    representative = PartySerializer(required=False, allow_null=True)
    destination_unit = serializers.CharField(max_length=21, required=False, allow_blank=True)
    destination = ExternalBodySerializer(required=False)
    origin = ExternalBodySerializer(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    office = serializers.CharField(max_length=21, required=False, allow_blank=True)
    procedure = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="Código SIA"
    )
    form_data = serializers.JSONField(required=False)
    attachments = AttachmentInSerializer(many=True, required=False)


class AttachmentSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    mime_type = serializers.CharField()
    sha256 = serializers.CharField()
    validity = serializers.CharField()


class EntrySerializer(serializers.ModelSerializer):
    csv = serializers.SerializerMethodField()
    receipt_url = serializers.SerializerMethodField()
    destination_unit = serializers.SlugRelatedField(slug_field="dir3_code", read_only=True)
    current_unit = serializers.SlugRelatedField(slug_field="dir3_code", read_only=True)
    interested_parties = serializers.SerializerMethodField()
    representative = serializers.SlugRelatedField(slug_field="id_number", read_only=True)
    procedure = serializers.SlugRelatedField(slug_field="sia_code", read_only=True)
    procedure_version = serializers.SlugRelatedField(slug_field="number", read_only=True)
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = RegistryEntry
        fields = (
            "id", "number", "year", "direction", "registry_code", "filed_at", "effective_at",
            "csv", "receipt_url", "subject", "summary", "expone", "solicita", "channel",
            "office", "origin_code", "origin_name", "destination_unit", "destination_code",
            "destination_name", "current_unit", "distribution_status", "procedure",
            "procedure_version", "interested_parties", "representative", "attachments",
        )  # fmt: skip

    def get_csv(self, entry) -> str | None:
        return entry.receipt.display_code if entry.receipt_id else None

    def get_receipt_url(self, entry) -> str:
        return f"/api/v1/registry/entries/{entry.pk}/receipt"

    def get_interested_parties(self, entry) -> list[dict]:
        return [
            {"id_number": i.person.id_number, "name": i.person.display_name, "role": i.role}
            for i in entry.interested.all()
        ]


def _decode(attachments: list[dict]) -> list[AttachmentInput]:
    decoded = []
    for index, item in enumerate(attachments):
        try:
            content = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise field_error(
                f"attachments.{index}.content_base64",
                "El contenido del anexo no es base64 válido.",
                code="malformed_base64",
            ) from exc
        decoded.append(
            AttachmentInput(item["name"], content, item.get("validity", Validity.ORIGINAL))
        )
    return decoded


def _multipart(request) -> tuple[dict, list[AttachmentInput]]:
    try:
        data = json.loads(request.data.get("data") or "{}")
    except json.JSONDecodeError as exc:
        raise field_error(
            "data", "El campo «data» debe contener JSON.", code="malformed_json"
        ) from exc
    if not isinstance(data, dict):
        raise field_error("data", "El campo «data» debe ser un objeto JSON.", code="malformed_json")
    validities = data.pop("attachments_validity", [])
    if not isinstance(validities, list) or not all(isinstance(v, str) for v in validities):
        raise field_error(
            "attachments_validity", "Debe ser una lista de validez por fichero.", code="invalid"
        )
    files = request.FILES.getlist("attachments")
    inputs = [
        AttachmentInput(
            f.name, f.read(), validities[i] if i < len(validities) else Validity.ORIGINAL
        )
        for i, f in enumerate(files)
    ]
    return data, inputs


API_PARTY_NAMES = {"first_name": "name", "last_name_1": "surname", "last_name_2": "second_surname"}


def _with_api_field_names(service, **kwargs):
    """Errors about parties name the API's fields (name, surname), not the model's."""
    try:
        return service(**kwargs)
    except ValidationFailed as exc:
        renamed = {}
        for key, messages in exc.fields.items():
            head, _sep, last = key.rpartition(".")
            renamed[f"{head}.{API_PARTY_NAMES.get(last, last)}" if head else key] = messages
        raise ValidationFailed(exc.message, code=exc.code, fields=renamed) from exc


class EntryListView(ServiceAPIView):
    required_scopes = {"GET": "registry:read", "POST": "registry:write"}
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        summary="Asientos del registro",
        parameters=[
            OpenApiParameter("direction", str, enum=Direction.values),
            OpenApiParameter("year", int),
            OpenApiParameter("unit", str, description="DIR3 de la unidad destinataria o actual"),
            OpenApiParameter("from", str, description="Presentados desde (AAAA-MM-DD)"),
            OpenApiParameter("to", str, description="Presentados hasta (AAAA-MM-DD, incluido)"),
            OpenApiParameter(
                "interested", str, description="NIF/NIE del interesado o representante"
            ),
            OpenApiParameter("q", str, description="Texto en asunto, extracto, expone o solicita"),
        ],
        responses=EntrySerializer(many=True),
    )
    def get(self, request):
        params = request.query_params
        entity = request.auth.application.entity
        dates = {}
        for name in ("from", "to"):
            if params.get(name):
                day = parse_date(params[name]) if len(params[name]) == 10 else None
                if day is None:
                    raise field_error(name, "Fecha no válida (AAAA-MM-DD).", code="invalid_date")
                dates[name] = day
        year = params.get("year")
        if year and not year.isdigit():
            raise field_error("year", "Año no válido.", code="invalid_number")
        zone = timezone.get_current_timezone()
        entries = selectors.registry_entry_search(
            selectors.registry_entries(actor=api_actor(request), entity=entity),
            direction=params.get("direction", ""),
            year=int(year) if year else None,
            unit_code=params.get("unit", ""),
            filed_from=dt.datetime.combine(dates["from"], dt.time(), zone)
            if "from" in dates
            else None,
            filed_to=dt.datetime.combine(dates["to"] + dt.timedelta(days=1), dt.time(), zone)
            if "to" in dates
            else None,
            id_number=params.get("interested", ""),
            text=params.get("q", ""),
        )
        entries = entries.select_related(
            "receipt", "destination_unit", "current_unit", "representative", "procedure",
            "procedure_version", "office",
        ).prefetch_related("interested__person", "attachments")  # fmt: skip
        response = self.paginate(entries, EntrySerializer)
        audit_record_list_read(
            actor=api_actor(request),
            entity=entity,
            action="registry.entry.list",
            ids=[e["id"] for e in response.data["results"]],
        )
        return response

    @extend_schema(
        summary="Presenta un asiento (JSON con anexos en base64, o multipart con «data» y ficheros «attachments»)",
        request={"application/json": EntryCreateSerializer, "multipart/form-data": dict},
        responses={201: EntrySerializer},
    )
    def post(self, request):
        if request.content_type.startswith("multipart/"):
            raw, attachments = _multipart(request)
        else:
            raw, attachments = request.data, None
        data = EntryCreateSerializer(data=raw)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if attachments is None:
            attachments = _decode(values.get("attachments", []))
        actor = api_actor(request)
        entity = request.auth.application.entity
        to_person = PartySerializer().to_person_data
        entry = _with_api_field_names(
            services.registry_entry_file,
            actor=actor,
            entity=entity,
            interested_data=[to_person(p) for p in values["interested_parties"]],
            representative_data=(
                to_person(values["representative"]) if values.get("representative") else None
            ),
            direction=values["direction"],
            subject=values["subject"],
            summary=values.get("summary", ""),
            expone=values.get("expone", ""),
            solicita=values.get("solicita", ""),
            destination_unit=(
                unit_get_by_dir3(
                    entity=entity,
                    dir3_code=values["destination_unit"],
                    field="destination_unit",
                )
                if values.get("destination_unit")
                else None
            ),
            destination_code=values.get("destination", {}).get("code", ""),
            destination_name=values.get("destination", {}).get("name", ""),
            origin_code=values.get("origin", {}).get("code", ""),
            origin_name=values.get("origin", {}).get("name", ""),
            channel=values["channel"],
            office=_office(entity, values.get("office")),
            procedure=_procedure(entity, values.get("procedure")),
            attachments=attachments,
            form_data=values.get("form_data") or {},
        )
        # The entry as the service wrote it, its parties and attachments included:
        # nothing to read back.
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


def _office(entity, code: str | None):
    if not code:
        return None
    office = Office.objects.filter(entity=entity, code=code.strip().upper()).first()
    if office is None:
        raise field_error("office", "La entidad no tiene esa oficina.", code="unknown_office")
    return office


def _procedure(entity, sia_code: str | None):
    if not sia_code:
        return None
    procedure = Procedure.objects.filter(entity=entity, sia_code=sia_code.strip()).first()
    if procedure is None:
        raise field_error(
            "procedure", "La entidad no tiene ese procedimiento.", code="procedure_not_available"
        )
    return procedure


class EntryDetailSerializer(EntrySerializer):
    annotations = serializers.SerializerMethodField()
    movements = serializers.SerializerMethodField()

    class Meta(EntrySerializer.Meta):
        fields = (*EntrySerializer.Meta.fields, "annotations", "movements")

    def get_annotations(self, entry) -> list[dict]:
        return [
            {"text": a.text, "author": a.author, "created_at": a.created_at}
            for a in entry.annotations.all()
        ]

    def get_movements(self, entry) -> list[dict]:
        return [
            {"action": m.action, "to_unit": m.to_unit.dir3_code if m.to_unit else None,
             "reason": m.reason, "author": m.author, "created_at": m.created_at}
            for m in entry.movements.all()
        ]  # fmt: skip


class EntryDetailView(ServiceAPIView):
    required_scopes = {"GET": "registry:read"}

    @extend_schema(
        summary="Un asiento con anotaciones y movimientos (la consulta queda auditada)",
        responses=EntryDetailSerializer,
    )
    def get(self, request, entry_id):
        entry = selectors.registry_entry_get(
            actor=api_actor(request),
            entity=request.auth.application.entity,
            entry_id=entry_id,
            purpose="api",
        )
        return Response(EntryDetailSerializer(entry).data)


class EntryReceiptView(ServiceAPIView):
    required_scopes = {"GET": "registry:read"}

    @extend_schema(
        summary="Justificante en PDF",
        responses={(200, "application/pdf"): OpenApiResponse(description="PDF")},
    )
    def get(self, request, entry_id):
        entry = selectors.registry_entry_get(
            actor=api_actor(request),
            entity=request.auth.application.entity,
            entry_id=entry_id,
            purpose="receipt",
        )
        content = document_content(entry.receipt)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="justificante-{entry.registry_code}.pdf"'
        )
        return response


class EntryAttachmentView(ServiceAPIView):
    required_scopes = {"GET": "registry:read"}

    @extend_schema(
        summary="Descarga un anexo",
        responses={(200, "application/octet-stream"): OpenApiResponse(description="Fichero")},
    )
    def get(self, request, entry_id, position):
        entry = selectors.registry_entry_get(
            actor=api_actor(request),
            entity=request.auth.application.entity,
            entry_id=entry_id,
            purpose="attachment",
        )
        attachment = next((a for a in entry.attachments.all() if a.position == position), None)
        if attachment is None:
            raise NotFound("No existe ese anexo.")
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
            content_type=attachment.mime_type,
        )  # fmt: skip


class MoveSerializer(serializers.Serializer):
    to_unit = serializers.CharField(max_length=21, required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


class EntryMoveView(ServiceAPIView):
    required_scopes = {"POST": "registry:write"}
    action = ""

    @extend_schema(
        request=MoveSerializer, responses=EntrySerializer, summary="Aceptar, reenviar o devolver"
    )
    def post(self, request, entry_id):
        actor = api_actor(request)
        entity = request.auth.application.entity
        entry = selectors.registry_entry_get(
            actor=actor, entity=entity, entry_id=entry_id, purpose="distribution"
        )
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if self.action == "accept":
            entry = services.registry_entry_accept(actor=actor, entry=entry)
        elif self.action == "forward":
            unit = unit_get_by_dir3(
                entity=entity, dir3_code=values.get("to_unit", ""), field="to_unit"
            )
            entry = services.registry_entry_forward(
                actor=actor, entry=entry, to_unit=unit, reason=values.get("reason", "")
            )
        else:
            entry = services.registry_entry_return(
                actor=actor, entry=entry, reason=values.get("reason", "")
            )
        return Response(
            EntrySerializer(
                selectors.registry_entry_get(actor=actor, entity=entity, entry_id=entry.pk)
            ).data
        )


class AnnotationSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class EntryAnnotationView(ServiceAPIView):
    required_scopes = {"POST": "registry:write"}

    @extend_schema(
        request=AnnotationSerializer, responses={201: dict}, summary="Añade una anotación"
    )
    def post(self, request, entry_id):
        actor = api_actor(request)
        entry = selectors.registry_entry_get(
            actor=actor, entity=request.auth.application.entity, entry_id=entry_id
        )
        data = AnnotationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.registry_entry_annotate(
            actor=actor, entry=entry, text=data.validated_data["text"]
        )
        return Response(
            {
                "id": note.pk,
                "text": note.text,
                "author": note.author,
                "created_at": note.created_at,
            },
            status=201,
        )


class EntrySicresView(ServiceAPIView):
    required_scopes = {"GET": "registry:read"}

    @extend_schema(
        summary="El asiento como fichero de intercambio SICRES 3.0",
        responses={
            (200, "application/xml"): OpenApiResponse(description="Fichero_Intercambio_SICRES_3")
        },
    )
    def get(self, request, entry_id):
        entry = selectors.registry_entry_get(
            actor=api_actor(request),
            entity=request.auth.application.entity,
            entry_id=entry_id,
            purpose="sicres",
        )
        response = HttpResponse(sicres.entry_to_sicres(entry), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{entry.registry_code}.sicres.xml"'
        return response


class SicresImportView(ServiceAPIView):
    required_scopes = {"POST": "registry:write"}
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Registra como entrada (canal SIR) un fichero de intercambio SICRES 3.0",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={201: EntrySerializer},
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise field_error("file", "Adjunte el fichero de intercambio.", code="required")
        entry = sicres.sicres_import(
            actor=api_actor(request), entity=request.auth.application.entity, content=upload.read()
        )
        entry = RegistryEntry.objects.select_related(
            "receipt", "destination_unit", "current_unit"
        ).get(pk=entry.pk)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)
