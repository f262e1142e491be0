"""Public CSV verification: GET /api/v1/csv/<code> (metadata) and /content (the file)."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from concejo.core.errors import NotFound
from concejo.core.filetypes import extension_for
from concejo.verification.selectors import document_by_csv
from concejo.verification.services import document_content, verification_url

NOT_FOUND = "No existe ningún documento con ese código."


class VerifiedDocumentSerializer(serializers.Serializer):
    csv = serializers.CharField(source="display_code")
    title = serializers.CharField()
    kind = serializers.CharField()
    entity = serializers.CharField(source="entity.name")
    entity_dir3 = serializers.CharField(source="entity.dir3_code")
    issued_at = serializers.DateTimeField()
    mime_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    verification_url = serializers.SerializerMethodField()
    content_url = serializers.SerializerMethodField()

    def get_verification_url(self, document) -> str:
        return verification_url(document)

    def get_content_url(self, document) -> str:
        return f"/api/v1/csv/{document.display_code}/content"


class CsvView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "csv"

    def document(self, code: str):
        document = document_by_csv(code)
        if document is None:
            raise NotFound(NOT_FOUND)
        document_content(document)  # make sure size and hash are there
        return document


class CsvDocumentView(CsvView):
    @extend_schema(
        summary="Verifica un CSV (público)", responses=VerifiedDocumentSerializer, auth=[]
    )
    def get(self, request, code: str):
        return Response(VerifiedDocumentSerializer(self.document(code)).data)


class CsvContentView(CsvView):
    @extend_schema(
        summary="Descarga el documento de un CSV (público)",
        responses={(200, "application/pdf"): OpenApiResponse(description="El documento")},
        auth=[],
    )
    def get(self, request, code: str):
        document = self.document(code)
        response = HttpResponse(document_content(document), content_type=document.mime_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{document.csv_code}.{extension_for(document.mime_type)}"'
        )
        return response
