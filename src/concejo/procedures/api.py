"""REST API of the procedure catalog: public reading, administration with a scope."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from concejo.api.actors import api_actor
from concejo.api.permissions import PublicReadScopedWrite
from concejo.api.views import ServiceAPIView
from concejo.core.errors import NotFound, field_error
from concejo.deadlines.computation import DeadlineUnit
from concejo.organization.selectors import entity_get_by_dir3, unit_get_by_dir3
from concejo.procedures import selectors, services
from concejo.procedures.models import (
    Audience,
    Initiation,
    Procedure,
    ProcedureVersion,
    SilenceEffect,
)


class RequiredDocumentSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=250)
    mandatory = serializers.BooleanField(default=True)
    accepted_formats = serializers.ListField(
        child=serializers.CharField(max_length=10), default=list
    )


class FeeSerializer(serializers.Serializer):
    concept = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, coerce_to_string=True
    )


class ProcedureVersionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="procedure_id", read_only=True)
    entity = serializers.SlugRelatedField(slug_field="dir3_code", read_only=True)
    sia_code = serializers.CharField(source="procedure.sia_code", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    responsible_unit = serializers.SlugRelatedField(slug_field="dir3_code", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)
    required_documents = RequiredDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = ProcedureVersion
        fields = (
            "id", "entity", "sia_code", "version", "status", "name", "summary", "description",
            "category", "responsible_unit", "responsible_unit_name", "initiation",
            "max_resolution_amount", "max_resolution_unit", "silence_effect", "legal_basis",
            "fees", "electronic_only", "representation_required", "form_schema", "audience",
            "required_documents", "published_at",
        )  # fmt: skip


class ProcedureWriteSerializer(serializers.Serializer):
    sia_code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=250)
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    category = serializers.CharField(max_length=80, required=False, allow_blank=True)
    responsible_unit = serializers.CharField(max_length=20, help_text="Código DIR3 de la unidad")
    initiation = serializers.ChoiceField(choices=Initiation.choices, required=False)
    max_resolution_amount = serializers.IntegerField(required=False)
    max_resolution_unit = serializers.ChoiceField(choices=DeadlineUnit.choices, required=False)
    silence_effect = serializers.ChoiceField(choices=SilenceEffect.choices)
    legal_basis = serializers.CharField(required=False, allow_blank=True)
    fees = FeeSerializer(many=True, required=False)
    electronic_only = serializers.BooleanField(required=False)
    representation_required = serializers.BooleanField(required=False)
    form_schema = serializers.JSONField(required=False)
    audience = serializers.ListField(
        child=serializers.ChoiceField(choices=Audience.choices), required=False
    )
    required_documents = RequiredDocumentSerializer(many=True, required=False)


def _content(request, data: dict) -> dict:
    values = dict(data)
    values.pop("sia_code", None)
    if "responsible_unit" in values:
        values["responsible_unit"] = unit_get_by_dir3(
            entity=request.auth.application.entity,
            dir3_code=values["responsible_unit"],
            field="responsible_unit",
        )
    if "fees" in values:
        values["fees"] = [dict(f) for f in values["fees"]]
    if "required_documents" in values:
        values["required_documents"] = [dict(d) for d in values["required_documents"]]
    return values


class CatalogView(ServiceAPIView):
    permission_classes = [PublicReadScopedWrite]
    required_scopes = {"POST": "procedures:write", "PATCH": "procedures:write"}
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "catalog"


class ProcedureListView(CatalogView):
    @extend_schema(
        summary="Catálogo de procedimientos publicados de una entidad (público)",
        parameters=[
            OpenApiParameter("entity", str, required=True, description="Código DIR3"),
            OpenApiParameter("q", str, description="Búsqueda de texto libre"),
            OpenApiParameter("category", str),
            OpenApiParameter("audience", str, enum=Audience.values),
        ],
        responses=ProcedureVersionSerializer(many=True),
        auth=[],
    )
    def get(self, request):
        code = request.query_params.get("entity")
        if not code:
            raise field_error("entity", "Indique la entidad por su código DIR3.", code="required")
        versions = selectors.procedure_catalog(
            entity=entity_get_by_dir3(code),
            query=request.query_params.get("q", ""),
            category=request.query_params.get("category", ""),
            audience=request.query_params.get("audience", ""),
        )
        return self.paginate(versions, ProcedureVersionSerializer)

    @extend_schema(request=ProcedureWriteSerializer, responses={201: ProcedureVersionSerializer})
    def post(self, request):
        data = ProcedureWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.procedure_create(
            actor=api_actor(request),
            entity=request.auth.application.entity,
            sia_code=data.validated_data["sia_code"],
            **_content(request, data.validated_data),
        )
        return Response(ProcedureVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class ProcedureDetailView(CatalogView):
    def _procedure(self, request, procedure_id) -> Procedure:
        procedure = (
            selectors.procedure_manage_list(
                actor=api_actor(request), entity=request.auth.application.entity
            )
            .filter(pk=procedure_id)
            .first()
        )
        if procedure is None:
            raise NotFound("No existe ese procedimiento.")
        return procedure

    @extend_schema(
        summary="Un procedimiento publicado (público)",
        responses=ProcedureVersionSerializer,
        auth=[],
    )
    def get(self, request, procedure_id):
        version = selectors.procedure_public_get(procedure_id=procedure_id)
        if version is None:
            raise NotFound("No existe ese procedimiento o no está publicado.")
        return Response(ProcedureVersionSerializer(version).data)

    @extend_schema(
        summary="Modifica el borrador (o crea uno nuevo desde la versión publicada)",
        request=ProcedureWriteSerializer(partial=True),
        responses=ProcedureVersionSerializer,
    )
    def patch(self, request, procedure_id):
        procedure = self._procedure(request, procedure_id)
        data = ProcedureWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if "sia_code" in data.validated_data:
            raise field_error("sia_code", "El código SIA no se puede cambiar.", code="immutable")
        version = services.procedure_update(
            actor=api_actor(request), procedure=procedure, **_content(request, data.validated_data)
        )
        return Response(ProcedureVersionSerializer(version).data)


class ProcedureActionView(ProcedureDetailView):
    http_method_names = ["post", "options"]
    required_scopes = {"GET": "procedures:write", "POST": "procedures:write"}
    permission_classes = ServiceAPIView.permission_classes
    action = ""

    @extend_schema(request=None, responses=ProcedureVersionSerializer)
    def post(self, request, procedure_id):
        procedure = self._procedure(request, procedure_id)
        service = {"publish": services.procedure_publish, "withdraw": services.procedure_withdraw}
        version = service[self.action](actor=api_actor(request), procedure=procedure)
        return Response(ProcedureVersionSerializer(version).data)


class ProcedureVersionsView(ProcedureDetailView):
    http_method_names = ["get", "head", "options"]
    required_scopes = {"GET": "procedures:write"}
    permission_classes = ServiceAPIView.permission_classes

    @extend_schema(
        summary="Todas las versiones (administración)",
        responses=ProcedureVersionSerializer(many=True),
    )
    def get(self, request, procedure_id):
        procedure = self._procedure(request, procedure_id)
        versions = selectors.procedure_versions(actor=api_actor(request), procedure=procedure)
        return self.paginate(versions, ProcedureVersionSerializer)
