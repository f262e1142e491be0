"""Public check of the signatures of an uploaded PDF (rate-limited)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from concejo.core.errors import field_error
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
