"""REST API of the organisation: entities and units."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from concejo.api.actors import api_actor
from concejo.api.views import ServiceAPIView
from concejo.core.errors import field_error
from concejo.organization import selectors, services
from concejo.organization.models import Entity, Unit, UnitLevel


class EntitySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="dir3_code", read_only=True, allow_null=True)

    class Meta:
        model = Entity
        fields = (
            "id",
            "name",
            "short_name",
            "entity_type",
            "nif",
            "dir3_code",
            "ine_code",
            "parent",
        )


class UnitSerializer(serializers.ModelSerializer):
    entity = serializers.SlugRelatedField(slug_field="dir3_code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="dir3_code", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ("id", "entity", "dir3_code", "name", "level", "parent", "valid_from", "valid_to")


class UnitCreateSerializer(serializers.Serializer):
    entity = serializers.CharField(max_length=9)
    dir3_code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=UnitLevel.choices)
    parent = serializers.CharField(max_length=20, required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False)
    valid_to = serializers.DateField(required=False, allow_null=True)


class EntityListView(ServiceAPIView):
    @extend_schema(responses=EntitySerializer(many=True), summary="Entidades de la plataforma")
    def get(self, request):
        return self.paginate(selectors.entity_list(), EntitySerializer)


class UnitListView(ServiceAPIView):
    required_scopes = {"POST": "organization:write"}

    @extend_schema(
        parameters=[OpenApiParameter("entity", str, required=True, description="Código DIR3")],
        responses=UnitSerializer(many=True),
        summary="Unidades orgánicas de una entidad",
    )
    def get(self, request):
        code = request.query_params.get("entity")
        if not code:
            raise field_error("entity", "Indique la entidad por su código DIR3.", code="required")
        entity = selectors.entity_get_by_dir3(code)
        return self.paginate(selectors.unit_list(entity=entity), UnitSerializer)

    @extend_schema(request=UnitCreateSerializer, responses={201: UnitSerializer})
    def post(self, request):
        data = UnitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        entity = selectors.entity_get_by_dir3(values.pop("entity"))
        parent_code = values.pop("parent", "")
        parent = (
            selectors.unit_get_by_dir3(entity=entity, dir3_code=parent_code, field="parent")
            if parent_code
            else None
        )
        unit = services.unit_create(
            actor=api_actor(request), entity=entity, parent=parent, **values
        )
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)
