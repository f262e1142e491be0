"""REST API of signatures: the portafirmas and the public check of a signed PDF."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from concejo.api.actors import api_actor
from concejo.api.views import ServiceAPIView
from concejo.cases.selectors import case_get, documents_visible
from concejo.core.errors import NotFound, field_error
from concejo.signatures import selectors, services
from concejo.signatures.models import DocumentSignature, SignatureRequest, SigningMode
from concejo.signatures.verify import pdf_signatures_verify


class VerifySignaturesView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "csv"
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Comprueba las firmas de un PDF (integridad, firmante, fecha)",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses=dict,
        auth=[],
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise field_error("file", "Adjunte el PDF firmado.", code="required")
        reports = pdf_signatures_verify(upload.read())
        return Response({"signatures": [r.as_dict() for r in reports]})


class StepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    signer = serializers.CharField(source="signer.username")
    status = serializers.CharField()
    decided_at = serializers.DateTimeField()
    reason = serializers.CharField()


class RequestDocumentSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    id = serializers.UUIDField(source="document.id")
    eni_identifier = serializers.CharField(source="document.eni_identifier")
    title = serializers.CharField(source="document.title")
    status = serializers.CharField(source="document.status")
    version = serializers.IntegerField(source="document.version")
    sha256 = serializers.CharField(source="document.sha256")


class SignatureRequestSerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True, read_only=True)
    documents = RequestDocumentSerializer(many=True, read_only=True)
    case = serializers.SlugRelatedField(slug_field="case_code", read_only=True)

    class Meta:
        model = SignatureRequest
        fields = (
            "id", "subject", "mode", "status", "requested_by", "case", "created_at",
            "completed_at", "documents", "steps",
        )  # fmt: skip


class SignatureRequestInSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=250)
    documents = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=50)
    signers = serializers.ListField(
        child=serializers.CharField(max_length=150), min_length=1, max_length=10,
        help_text="Usuarios de los firmantes, en el orden de firma",
    )  # fmt: skip
    mode = serializers.ChoiceField(choices=SigningMode.choices, default=SigningMode.SEQUENTIAL)
    case = serializers.UUIDField(required=False)


def _entity(request):
    return request.auth.application.entity


class SignatureRequestListView(ServiceAPIView):
    required_scopes = {"GET": "signatures:read", "POST": "signatures:write"}
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Portafirmas del empleado de la clave (o lo pedido por la aplicación)",
        parameters=[OpenApiParameter("box", str, enum=selectors.BOXES, default="pending")],
        responses=SignatureRequestSerializer(many=True),
    )
    def get(self, request):
        box = request.query_params.get("box", "pending")
        if box not in selectors.BOXES:
            raise field_error("box", "Bandeja no válida.", code="invalid_choice")
        requests = selectors.signature_inbox(api_actor(request), _entity(request), box)
        return self.paginate(requests, SignatureRequestSerializer)

    @extend_schema(
        summary="Pide la firma de documentos a uno o varios empleados",
        request=SignatureRequestInSerializer,
        responses={201: SignatureRequestSerializer},
    )
    def post(self, request):
        data = SignatureRequestInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor, entity = api_actor(request), _entity(request)
        found = {
            d.pk: d
            for d in documents_visible(actor=actor, entity=entity).filter(
                pk__in=values["documents"]
            )
        }
        missing = [str(pk) for pk in values["documents"] if pk not in found]
        if missing:
            raise field_error(
                "documents", f"No existen estos documentos: {', '.join(missing)}",
                code="unknown_document",
            )  # fmt: skip
        case = None
        if values.get("case"):
            case = case_get(actor=actor, entity=entity, case_id=values["case"], purpose="sign")
        created = services.signature_request_create(
            actor=actor, entity=entity, subject=values["subject"],
            documents=[found[pk] for pk in values["documents"]],
            signers=services.users_by_username(entity, values["signers"]),
            mode=values["mode"], case=case,
        )  # fmt: skip
        return Response(
            SignatureRequestSerializer(
                selectors.signature_request_get(actor, entity, created.pk)
            ).data,
            status=status.HTTP_201_CREATED,
        )


class SignatureRequestDetailView(ServiceAPIView):
    required_scopes = {"GET": "signatures:read"}

    @extend_schema(summary="Una petición de firma", responses=SignatureRequestSerializer)
    def get(self, request, request_id):
        found = selectors.signature_request_get(api_actor(request), _entity(request), request_id)
        return Response(SignatureRequestSerializer(found).data)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class SignatureDecisionView(ServiceAPIView):
    """POST …/sign or …/reject, made by the signer (a personal key)."""

    required_scopes = {"POST": "signatures:write"}
    parser_classes = [JSONParser]
    decision = "sign"

    @extend_schema(
        summary="Firma o rechaza (el firmante, con su clave personal)",
        request=RejectSerializer,
        responses=SignatureRequestSerializer,
    )
    def post(self, request, request_id):
        actor, entity = api_actor(request), _entity(request)
        found = selectors.signature_request_get(actor, entity, request_id)
        if self.decision == "sign":
            services.signature_sign(actor=actor, request=found)
        elif self.decision == "reject":
            data = RejectSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.signature_reject(
                actor=actor, request=found, reason=data.validated_data["reason"]
            )
        else:
            services.signature_request_cancel(actor=actor, request=found)
        return Response(
            SignatureRequestSerializer(
                selectors.signature_request_get(actor, entity, found.pk)
            ).data
        )


class DocumentSignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentSignature
        fields = (
            "kind", "signature_format", "signer_name", "signer_identifier", "signed_at",
            "certificate_subject", "backend", "version", "sha256_before", "sha256_after",
        )  # fmt: skip


class DocumentSignaturesView(ServiceAPIView):
    required_scopes = {"GET": "signatures:read"}

    @extend_schema(summary="Las firmas aplicadas a un documento", responses=dict)
    def get(self, request, document_id):
        actor, entity = api_actor(request), _entity(request)
        document = documents_visible(actor=actor, entity=entity).filter(pk=document_id).first()
        if document is None:
            raise NotFound("No existe el documento o no tiene acceso a él.")
        signatures = DocumentSignatureSerializer(
            selectors.document_signatures(document), many=True
        ).data
        return Response(
            {
                "document": str(document.pk),
                "status": document.status,
                "csv": document.issued.display_code if document.issued_id else None,
                "signatures": signatures,
            }
        )
