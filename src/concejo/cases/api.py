"""REST API of case files and their documents."""

from __future__ import annotations

import base64
import binascii

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from concejo.api.actors import api_actor
from concejo.api.views import ServiceAPIView
from concejo.cases import selectors, services
from concejo.cases.models import Case, CaseStatus, Confidentiality, PartyRole
from concejo.core.errors import NotFound, field_error
from concejo.documents import services as documents
from concejo.documents.models import Document, DocumentType, ElaborationState, Origin
from concejo.organization.selectors import unit_get_by_dir3
from concejo.procedures.models import Procedure
from concejo.registry.models import RegistryEntry


class PartyInSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices, default=PartyRole.APPLICANT)
    id_type = serializers.ChoiceField(choices=["nif", "nie", "passport", "cif"])
    id_number = serializers.CharField(max_length=30)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name_1 = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name_2 = serializers.CharField(max_length=100, required=False, allow_blank=True)
    business_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)


class CaseCreateSerializer(serializers.Serializer):
    registry_entry = serializers.UUIDField(
        required=False, help_text="Asiento de entrada (a solicitud)"
    )
    subject = serializers.CharField(max_length=250, required=False)
    procedure = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="Código SIA"
    )
    responsible_unit = serializers.CharField(max_length=21, required=False, allow_blank=True)
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, default=Confidentiality.RESTRICTED
    )
    parties = PartyInSerializer(many=True, required=False)


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = (
            "id", "eni_identifier", "title", "file_name", "mime_type", "size", "sha256", "organs",
            "captured_at", "origin", "elaboration_state", "origin_document", "document_type",
            "status", "version",
        )  # fmt: skip


class CaseSerializer(serializers.ModelSerializer):
    responsible_unit = serializers.SlugRelatedField(slug_field="dir3_code", read_only=True)
    handler = serializers.SlugRelatedField(slug_field="username", read_only=True)
    procedure = serializers.SlugRelatedField(slug_field="sia_code", read_only=True)
    procedure_version = serializers.SlugRelatedField(slug_field="number", read_only=True)
    silence_applies = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = (
            "id", "case_code", "eni_identifier", "year", "number", "subject", "procedure",
            "procedure_version", "classification", "responsible_unit", "handler",
            "confidentiality", "initiation", "origin_entry", "status", "eni_state", "started_at",
            "resolution_due", "silence_effect", "silence_applies", "created_at",
        )  # fmt: skip

    def get_silence_applies(self, case) -> bool:
        return services.silence_applies(case)


class CaseDetailSerializer(CaseSerializer):
    parties = serializers.SerializerMethodField()
    index = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = (*CaseSerializer.Meta.fields, "parties", "index", "tasks", "history")

    def get_parties(self, case) -> list[dict]:
        return [
            {"id_number": p.person.id_number, "name": p.person.display_name, "role": p.role}
            for p in case.parties.select_related("person")
        ]

    def get_index(self, case) -> list[dict]:
        return [
            {"position": line.position, "document": str(line.document_id), "title": line.document.title,
             "sha256": line.sha256, "added_at": line.added_at}
            for line in case.index.select_related("document")
        ]  # fmt: skip

    def get_tasks(self, case) -> list[dict]:
        return [
            {"id": str(t.pk), "title": t.title, "due_date": t.due_date, "status": t.status}
            for t in case.tasks.all()
        ]

    def get_history(self, case) -> list[dict]:
        return [
            {"kind": e.kind, "from": e.from_status, "to": e.to_status, "detail": e.detail,
             "author": e.author, "at": e.created_at}
            for e in case.events.all()
        ]  # fmt: skip


def _entity(request):
    return request.auth.application.entity


class CaseListView(ServiceAPIView):
    required_scopes = {"GET": "cases:read", "POST": "cases:write"}

    @extend_schema(
        summary="Expedientes",
        parameters=[
            OpenApiParameter("procedure", str, description="Código SIA"),
            OpenApiParameter("unit", str, description="DIR3 de la unidad responsable"),
            OpenApiParameter("status", str, enum=CaseStatus.values),
            OpenApiParameter("interested", str, description="NIF/NIE de un interesado"),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("q", str, description="Texto en asunto e interesados"),
        ],
        responses=CaseSerializer(many=True),
    )
    def get(self, request):
        params = request.query_params
        cases = selectors.case_search(
            selectors.cases_visible(actor=api_actor(request), entity=_entity(request)),
            procedure=params.get("procedure", ""),
            unit=params.get("unit", ""),
            status=params.get("status", ""),
            id_number=params.get("interested", ""),
            overdue=params.get("overdue", "").lower() in ("1", "true", "yes"),
            text=params.get("q", ""),
        ).select_related("responsible_unit", "handler", "procedure", "procedure_version")
        return self.paginate(cases, CaseSerializer)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseDetailSerializer})
    def post(self, request):
        data = CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor, entity = api_actor(request), _entity(request)
        unit = (
            unit_get_by_dir3(
                entity=entity, dir3_code=values["responsible_unit"], field="responsible_unit"
            )
            if values.get("responsible_unit")
            else None
        )
        if values.get("registry_entry"):
            entry = RegistryEntry.objects.filter(entity=entity, pk=values["registry_entry"]).first()
            if entry is None:
                raise field_error("registry_entry", "No existe ese asiento.", code="unknown_entry")
            case = services.case_open_from_entry(actor=actor, entry=entry, responsible_unit=unit)
        else:
            if not values.get("subject"):
                raise field_error(
                    "subject", "Indique el asunto o el asiento de origen.", code="required"
                )
            procedure = None
            if values.get("procedure"):
                procedure = Procedure.objects.filter(
                    entity=entity, sia_code=values["procedure"]
                ).first()
                if procedure is None:
                    raise field_error(
                        "procedure",
                        "La entidad no tiene ese procedimiento.",
                        code="procedure_not_available",
                    )
            case = services.case_open_ex_officio(
                actor=actor, entity=entity, subject=values["subject"], procedure=procedure,
                responsible_unit=unit, confidentiality=values["confidentiality"],
                parties_data=[dict(p) for p in values.get("parties", [])],
            )  # fmt: skip
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailView(ServiceAPIView):
    required_scopes = {"GET": "cases:read"}

    @extend_schema(
        summary="Un expediente con interesados, índice, trámites e historia",
        responses=CaseDetailSerializer,
    )
    def get(self, request, case_id):
        case = selectors.case_get(
            actor=api_actor(request), entity=_entity(request), case_id=case_id, purpose="api"
        )
        return Response(CaseDetailSerializer(case).data)


class TransitionSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=30)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CaseTransitionView(ServiceAPIView):
    required_scopes = {"POST": "cases:write"}

    @extend_schema(
        request=TransitionSerializer, responses=CaseDetailSerializer, summary="Cambia el estado"
    )
    def post(self, request, case_id):
        actor, entity = api_actor(request), _entity(request)
        case = selectors.case_get(actor=actor, entity=entity, case_id=case_id, purpose="transition")
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = data.validated_data["to"]
        if target == "closed":
            case = services.case_close(actor=actor, case=case)
        elif target == "archived":
            case = services.case_archive(actor=actor, case=case)
        else:
            case = services.case_transition(
                actor=actor,
                case=case,
                to_status=target,
                reason=data.validated_data.get("reason", ""),
            )
        return Response(CaseDetailSerializer(case).data)


class DocumentInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=250)
    file_name = serializers.CharField(max_length=255)
    content_base64 = serializers.CharField()
    document_type = serializers.ChoiceField(choices=DocumentType.choices)
    origin = serializers.ChoiceField(choices=Origin.choices, default=Origin.ADMINISTRATION)
    elaboration_state = serializers.ChoiceField(
        choices=ElaborationState.choices, default=ElaborationState.ORIGINAL
    )
    origin_document = serializers.CharField(max_length=60, required=False, allow_blank=True)


class CaseDocumentsView(ServiceAPIView):
    required_scopes = {"POST": "documents:write"}
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        request=DocumentInSerializer,
        responses={201: DocumentSerializer},
        summary="Incorpora un documento",
    )
    def post(self, request, case_id):
        actor, entity = api_actor(request), _entity(request)
        case = selectors.case_get(actor=actor, entity=entity, case_id=case_id, purpose="document")
        data = DocumentInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            content = base64.b64decode(values.pop("content_base64"), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise field_error(
                "content_base64", "El contenido no es base64 válido.", code="malformed_base64"
            ) from exc
        document = services.case_document_upload(actor=actor, case=case, content=content, **values)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDetailView(ServiceAPIView):
    required_scopes = {"GET": "documents:read"}

    def _document(self, request, document_id) -> Document:
        document = (
            selectors.documents_visible(actor=api_actor(request), entity=_entity(request))
            .filter(pk=document_id)
            .first()
        )
        if document is None:
            raise NotFound("No existe el documento o no tiene acceso a él.")
        return document

    @extend_schema(responses=DocumentSerializer, summary="Metadatos ENI de un documento")
    def get(self, request, document_id):
        return Response(DocumentSerializer(self._document(request, document_id)).data)


class DocumentContentView(DocumentDetailView):
    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(description="Contenido")}
    )
    def get(self, request, document_id):
        document = self._document(request, document_id)
        documents.document_verify(document=document)
        response = HttpResponse(
            documents.document_content(document), content_type=document.mime_type
        )
        response["Content-Disposition"] = f'attachment; filename="{document.file_name}"'
        return response


class ResolutionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    book_code = serializers.CharField()
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    case = serializers.CharField(source="case.case_code")
    document = serializers.CharField(source="document.eni_identifier")
    summary = serializers.CharField()
    signed_by = serializers.CharField()
    registered_at = serializers.DateTimeField()


class ResolutionInSerializer(serializers.Serializer):
    document = serializers.UUIDField()
    summary = serializers.CharField(max_length=500)


class CaseResolutionView(ServiceAPIView):
    required_scopes = {"POST": "cases:write"}

    @extend_schema(
        request=ResolutionInSerializer,
        responses={201: ResolutionSerializer},
        summary="Inscribe una resolución en el libro",
    )
    def post(self, request, case_id):
        actor, entity = api_actor(request), _entity(request)
        case = selectors.case_get(actor=actor, entity=entity, case_id=case_id, purpose="resolution")
        data = ResolutionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = (
            selectors.documents_visible(actor=actor, entity=entity)
            .filter(pk=data.validated_data["document"])
            .first()
        )
        if document is None:
            raise field_error("document", "No existe ese documento.", code="unknown_document")
        resolution = services.resolution_register(
            actor=actor, case=case, document=document, summary=data.validated_data["summary"]
        )
        return Response(ResolutionSerializer(resolution).data, status=status.HTTP_201_CREATED)


def _year(request) -> int | None:
    raw = request.query_params.get("year", "")
    if raw and not raw.isdigit():
        raise field_error("year", "Año no válido.", code="invalid_number")
    return int(raw) if raw else None


class ResolutionBookView(ServiceAPIView):
    required_scopes = {"GET": "cases:read"}

    @extend_schema(
        parameters=[OpenApiParameter("year", int)],
        responses=ResolutionSerializer(many=True),
        summary="Libro de resoluciones",
    )
    def get(self, request):
        book = selectors.resolution_book(
            actor=api_actor(request), entity=_entity(request), year=_year(request)
        )
        return self.paginate(book, ResolutionSerializer)


class ResolutionBookExportView(ServiceAPIView):
    required_scopes = {"GET": "cases:read"}

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses={(200, "text/csv"): OpenApiResponse(description="CSV")},
        summary="Exporta el libro de un año (CSV)",
    )
    def get(self, request):
        import csv
        import io

        year = _year(request)
        if year is None:
            raise field_error("year", "Indique el año.", code="required")
        book = selectors.resolution_book(
            actor=api_actor(request), entity=_entity(request), year=year
        ).order_by("number")
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["numero", "fecha", "expediente", "extracto", "firmada_por", "documento_eni"]
        )
        for r in book.iterator(chunk_size=1000):
            writer.writerow(
                [
                    r.book_code,
                    r.registered_at.isoformat(),
                    r.case.case_code,
                    r.summary,
                    r.signed_by,
                    r.document.eni_identifier,
                ]
            )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="libro-resoluciones-{year}.csv"'
        return response


class GenerateSerializer(serializers.Serializer):
    template = serializers.UUIDField()
    extra = serializers.DictField(child=serializers.CharField(max_length=2000), required=False)


class CaseGenerateView(ServiceAPIView):
    required_scopes = {"POST": "documents:write"}

    @extend_schema(
        request=GenerateSerializer,
        responses={201: DocumentSerializer},
        summary="Genera un documento desde una plantilla",
    )
    def post(self, request, case_id):
        from concejo.documents.models import DocumentTemplate

        actor, entity = api_actor(request), _entity(request)
        case = selectors.case_get(actor=actor, entity=entity, case_id=case_id, purpose="generate")
        data = GenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = DocumentTemplate.objects.filter(
            entity=entity, pk=data.validated_data["template"]
        ).first()
        if template is None:
            raise field_error("template", "No existe esa plantilla.", code="unknown_template")
        document = services.case_document_generate(
            actor=actor, case=case, template=template, extra=data.validated_data.get("extra")
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class AssignSerializer(serializers.Serializer):
    handler = serializers.CharField(
        max_length=150, allow_blank=True, help_text="Usuario; vacío para dejarlo sin asignar"
    )


class CaseAssignView(ServiceAPIView):
    required_scopes = {"POST": "cases:write"}

    @extend_schema(
        request=AssignSerializer, responses=CaseDetailSerializer, summary="Asigna el tramitador"
    )
    def post(self, request, case_id):
        from django.contrib.auth import get_user_model

        actor, entity = api_actor(request), _entity(request)
        case = selectors.case_get(actor=actor, entity=entity, case_id=case_id, purpose="assign")
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["handler"]
        handler = get_user_model().objects.filter(username=username).first() if username else None
        if username and handler is None:
            raise field_error("handler", "No existe ese usuario.", code="unknown_user")
        case = services.case_assign(actor=actor, case=case, handler=handler)
        return Response(CaseDetailSerializer(case).data)


class DocumentFinalizeView(DocumentDetailView):
    required_scopes = {"POST": "documents:write"}
    http_method_names = ["post", "options"]

    @extend_schema(
        request=None, responses=DocumentSerializer, summary="Marca el documento como definitivo"
    )
    def post(self, request, document_id):
        document = documents.document_finalize(
            actor=api_actor(request), document=self._document(request, document_id)
        )
        return Response(DocumentSerializer(document).data)


class CaseEniExportView(ServiceAPIView):
    required_scopes = {"GET": "cases:read"}

    @extend_schema(
        summary="Exporta un expediente cerrado como paquete ENI (zip)",
        responses={(200, "application/zip"): OpenApiResponse(description="Paquete ENI")},
    )
    def get(self, request, case_id):
        from concejo.cases.eni import case_eni_export

        actor, entity = api_actor(request), _entity(request)
        case = selectors.case_get(actor=actor, entity=entity, case_id=case_id, purpose="eni_export")
        bundle = case_eni_export(actor=actor, case=case)
        response = HttpResponse(bundle, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{case.eni_identifier}.zip"'
        return response


class CaseEniImportView(ServiceAPIView):
    required_scopes = {"POST": "cases:write"}
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Importa un expediente recibido como paquete ENI (zip)",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "bundle": {"type": "string", "format": "binary"},
                    "responsible_unit": {"type": "string", "description": "DIR3 de la unidad"},
                },
                "required": ["bundle"],
            }
        },
        responses={201: CaseDetailSerializer},
    )
    def post(self, request):
        from concejo.cases.eni import case_eni_import

        actor, entity = api_actor(request), _entity(request)
        upload = request.FILES.get("bundle")
        if upload is None:
            raise field_error("bundle", "Adjunte el paquete ENI (zip).", code="required")
        dir3 = request.data.get("responsible_unit", "")
        unit = (
            unit_get_by_dir3(entity=entity, dir3_code=dir3, field="responsible_unit")
            if dir3
            else entity.registry_unit
        )
        if unit is None:
            raise field_error("responsible_unit", "Indique la unidad responsable.", code="required")
        case = case_eni_import(actor=actor, entity=entity, raw=upload.read(), responsible_unit=unit)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)
