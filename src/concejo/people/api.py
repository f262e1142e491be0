"""REST API of interesados and representations."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from concejo.api.actors import api_actor
from concejo.api.views import ServiceAPIView
from concejo.audit.services import audit_record_list_read
from concejo.core.errors import NotFound, field_error
from concejo.people import selectors, services
from concejo.people.models import (
    Channel,
    IdType,
    ObligedReason,
    Person,
    PersonKind,
    Representation,
    RepresentationScope,
)


def _entity(request):
    return request.auth.application.entity


class PersonSerializer(serializers.ModelSerializer):
    entity = serializers.SlugRelatedField(slug_field="dir3_code", read_only=True)
    display_name = serializers.CharField(read_only=True)
    obliged_electronic = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = (
            "id", "entity", "kind", "id_type", "id_number", "display_name", "first_name",
            "last_name_1", "last_name_2", "business_name", "email", "phone", "address",
            "postal_code", "municipality", "municipality_ine", "province", "country",
            "preferred_channel", "obliged_reason", "obliged_electronic", "created_at",
        )  # fmt: skip


class PersonWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PersonKind.choices)
    id_type = serializers.ChoiceField(choices=IdType.choices)
    id_number = serializers.CharField(max_length=30)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name_1 = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name_2 = serializers.CharField(max_length=100, required=False, allow_blank=True)
    business_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    municipality = serializers.CharField(max_length=100, required=False, allow_blank=True)
    municipality_ine = serializers.CharField(max_length=10, required=False, allow_blank=True)
    province = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    preferred_channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    obliged_reason = serializers.ChoiceField(choices=ObligedReason.choices, required=False)


class RepresentationSerializer(serializers.ModelSerializer):
    grantor = serializers.SlugRelatedField(slug_field="id_number", read_only=True)
    representative = serializers.SlugRelatedField(slug_field="id_number", read_only=True)
    procedure_codes = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Representation
        fields = (
            "id", "grantor", "representative", "scope", "procedure_codes", "valid_from",
            "valid_to", "status", "revoked_at", "revocation_reason", "created_at",
        )  # fmt: skip

    def get_procedure_codes(self, obj) -> list[str]:
        return [p.procedure_code for p in obj.procedures.all()]


class RepresentationCreateSerializer(serializers.Serializer):
    grantor = serializers.UUIDField()
    representative = serializers.UUIDField()
    scope = serializers.ChoiceField(choices=RepresentationScope.choices)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    procedure_codes = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=200
    )


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PersonListView(ServiceAPIView):
    required_scopes = {"GET": "people:read", "POST": "people:write"}

    @extend_schema(responses=PersonSerializer(many=True), summary="Interesados de la entidad")
    def get(self, request):
        actor = api_actor(request)
        people = selectors.person_list(actor=actor, entity=_entity(request))
        response = self.paginate(people.select_related("entity"), PersonSerializer)
        audit_record_list_read(
            actor=actor,
            entity=_entity(request),
            action="people.person.list",
            ids=[p["id"] for p in response.data["results"]],
        )
        return response

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def post(self, request):
        data = PersonWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_create(
            actor=api_actor(request), entity=_entity(request), **data.validated_data
        )
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)


class PersonDetailView(ServiceAPIView):
    required_scopes = {"GET": "people:read", "PATCH": "people:write"}

    @extend_schema(responses=PersonSerializer, summary="Un interesado (la consulta queda auditada)")
    def get(self, request, person_id):
        person = selectors.person_get(actor=api_actor(request), person_id=person_id, purpose="api")
        return Response(PersonSerializer(person).data)

    @extend_schema(request=PersonWriteSerializer(partial=True), responses=PersonSerializer)
    def patch(self, request, person_id):
        actor = api_actor(request)
        data = PersonWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        person = selectors.person_get(actor=actor, person_id=person_id, purpose="api-update")
        person = services.person_update(actor=actor, person=person, **data.validated_data)
        return Response(PersonSerializer(person).data)


class RepresentationListView(ServiceAPIView):
    required_scopes = {"GET": "people:read", "POST": "people:write"}

    @extend_schema(responses=RepresentationSerializer(many=True), summary="Apoderamientos")
    def get(self, request):
        reps = selectors.representation_list(actor=api_actor(request), entity=_entity(request))
        return self.paginate(reps, RepresentationSerializer)

    @extend_schema(
        request=RepresentationCreateSerializer, responses={201: RepresentationSerializer}
    )
    def post(self, request):
        data = RepresentationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        actor = api_actor(request)
        entity = _entity(request)
        people = selectors.person_list(actor=actor, entity=entity)
        found = {}
        for field in ("grantor", "representative"):
            found[field] = people.filter(pk=values.pop(field)).first()
            if found[field] is None:
                raise field_error(field, "No existe ese interesado.", code="unknown_person")
        rep = services.representation_grant(actor=actor, entity=entity, **found, **values)
        return Response(RepresentationSerializer(rep).data, status=status.HTTP_201_CREATED)


class RepresentationRevokeView(ServiceAPIView):
    required_scopes = {"POST": "people:write"}

    @extend_schema(request=RevokeSerializer, responses=RepresentationSerializer)
    def post(self, request, representation_id):
        actor = api_actor(request)
        rep = (
            selectors.representation_list(actor=actor, entity=_entity(request))
            .filter(pk=representation_id)
            .first()
        )
        if rep is None:
            raise NotFound("No existe ese apoderamiento.")
        data = RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rep = services.representation_revoke(
            actor=actor, representation=rep, reason=data.validated_data.get("reason", "")
        )
        return Response(RepresentationSerializer(rep).data)


class RepresentationCheckSerializer(serializers.Serializer):
    representative = serializers.CharField(max_length=20)
    grantor = serializers.CharField(max_length=20)
    procedure = serializers.CharField(max_length=40, required=False, allow_blank=True)
    date = serializers.DateField(required=False)


class RepresentationCheckView(ServiceAPIView):
    required_scopes = {"GET": "people:read"}

    @extend_schema(
        parameters=[
            OpenApiParameter("representative", str, required=True, description="Documento"),
            OpenApiParameter("grantor", str, required=True, description="Documento"),
            OpenApiParameter("procedure", str, description="Código SIA"),
            OpenApiParameter("date", str, description="Fecha (AAAA-MM-DD); hoy por defecto"),
        ],
        responses={200: dict},
        summary="¿Puede X actuar en nombre de Y (en el procedimiento P) en una fecha?",
    )
    def get(self, request):
        data = RepresentationCheckSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rep = selectors.representation_valid(
            representative_id_number=values["representative"],
            grantor_id_number=values["grantor"],
            entity=_entity(request),
            procedure_code=values.get("procedure") or None,
            on=values.get("date"),
        )
        own = rep is not None and rep.entity_id == _entity(request).pk
        return Response(
            {
                "may_act": rep is not None,
                "scope": rep.scope if rep else None,
                "valid_to": rep.valid_to if rep else None,
                # Another entity's register is not disclosed beyond the answer.
                "representation": str(rep.pk) if own else None,
            }
        )
