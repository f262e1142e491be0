"""Public REST API of the record of processing activities."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.throttling import ScopedRateThrottle

from concejo.api.permissions import PublicReadScopedWrite
from concejo.api.views import ServiceAPIView
from concejo.core.errors import field_error
from concejo.organization.selectors import entity_get_by_dir3
from concejo.privacy.models import ProcessingActivity
from concejo.privacy.selectors import processing_activities_public


class ProcessingActivitySerializer(serializers.ModelSerializer):
    entity = serializers.SlugRelatedField(slug_field="dir3_code", read_only=True)
    legal_bases = serializers.ListField(child=serializers.CharField(), read_only=True)
    legal_bases_display = serializers.ListField(
        source="get_legal_bases_display", child=serializers.CharField(), read_only=True
    )
    special_category_bases = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ProcessingActivity
        fields = (
            "id", "entity", "code", "name", "controller", "dpo_contact", "purposes",
            "legal_bases", "legal_bases_display", "special_category_bases", "legal_basis_detail",
            "data_subjects", "data_categories", "special_categories", "recipients",
            "international_transfers", "retention", "security_measures", "version", "updated_at",
        )  # fmt: skip


class ProcessingActivityListView(ServiceAPIView):
    permission_classes = [PublicReadScopedWrite]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "catalog"

    @extend_schema(
        summary="Registro de actividades de tratamiento de una entidad (público)",
        parameters=[OpenApiParameter("entity", str, required=True, description="Código DIR3")],
        responses=ProcessingActivitySerializer(many=True),
        auth=[],
    )
    def get(self, request):
        code = request.query_params.get("entity")
        if not code:
            raise field_error("entity", "Indique la entidad por su código DIR3.", code="required")
        activities = processing_activities_public(entity=entity_get_by_dir3(code))
        return self.paginate(activities.select_related("entity"), ProcessingActivitySerializer)
