"""REST API of notifications for the back office (the citizen's folder is in the sede)."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from concejo.api.actors import api_actor
from concejo.api.views import ServiceAPIView
from concejo.cases.selectors import case_get
from concejo.core.errors import NotFound, field_error
from concejo.deadlines.computation import DeadlineUnit
from concejo.documents.models import Document
from concejo.notifications import selectors, services
from concejo.notifications.models import Channel, DeliveryOutcome, Notification, NotificationStatus
from concejo.people.models import Person
from concejo.people.selectors import compact_id


class NotificationSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.case_code")
    case_id = serializers.UUIDField(source="case.pk")
    document = serializers.CharField(source="document.eni_identifier")
    addressee = serializers.CharField(source="addressee.id_number")
    addressee_name = serializers.CharField(source="addressee.display_name")
    representative = serializers.CharField(
        source="representative.id_number", default=None, allow_null=True
    )
    status = serializers.SerializerMethodField()
    completion = serializers.SerializerMethodField()
    completed_at = serializers.SerializerMethodField()
    appeal_due = serializers.SerializerMethodField()
    proof_csv = serializers.CharField(source="proof.display_code", default=None, allow_null=True)

    class Meta:
        model = Notification
        fields = (
            "id", "case", "case_id", "document", "addressee", "addressee_name", "representative",
            "channel", "subject", "ends_administrative_route", "appeals", "appeal_amount",
            "appeal_unit", "status", "completion", "completed_at", "appeal_due",
            "made_available_at", "expires_at", "accessed_at", "proof_csv",
        )  # fmt: skip

    def _effective(self, n):
        cache = self.context.setdefault("effective", {})
        if n.pk not in cache:
            cache[n.pk] = selectors.effective(n)
        return cache[n.pk]

    def get_status(self, n) -> str:
        return self._effective(n).status

    def get_completion(self, n) -> str:
        return self._effective(n).completion

    def get_completed_at(self, n):
        value = self._effective(n).completed_at
        return serializers.DateTimeField().to_representation(value) if value else None

    def get_appeal_due(self, n):
        value = self._effective(n).appeal_due
        return value.isoformat() if value else None


class NotificationDetailSerializer(NotificationSerializer):
    trail = serializers.SerializerMethodField()
    paper_deliveries = serializers.SerializerMethodField()
    announcement = serializers.SerializerMethodField()
    accessed_by = serializers.CharField(source="accessed_by.id_number", default=None)
    accessed_ip = serializers.IPAddressField(default=None)
    paper_csv = serializers.CharField(
        source="paper_document.display_code", default=None, allow_null=True
    )

    class Meta(NotificationSerializer.Meta):
        fields = (
            *NotificationSerializer.Meta.fields, "accessed_by", "accessed_ip", "paper_csv",
            "paper_deliveries", "announcement", "trail",
        )  # fmt: skip

    def get_trail(self, n) -> list[dict]:
        moment = serializers.DateTimeField()
        return [
            {"kind": e.kind, "at": moment.to_representation(e.at), "detail": e.detail,
             "author": e.author, "ip": e.ip}
            for e in n.events.all()
        ]  # fmt: skip

    def get_paper_deliveries(self, n) -> list[dict]:
        return [
            {"attempt": d.attempt, "outcome": d.outcome, "at": d.at,
             "receiver_name": d.receiver_name, "notes": d.notes}
            for d in n.deliveries.all()
        ]  # fmt: skip

    def get_announcement(self, n) -> dict | None:
        a = getattr(n, "announcement", None)
        if a is None:
            return None
        return {"requested_at": a.requested_at, "published_on": a.published_on,
                "reference": a.reference}  # fmt: skip


class IssueSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    document = serializers.UUIDField(help_text="El acto firmado, del índice del expediente")
    addressee = serializers.CharField(max_length=20, help_text="NIF/NIE del interesado")
    representative = serializers.CharField(max_length=20, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    subject = serializers.CharField(max_length=250)
    ends_administrative_route = serializers.BooleanField(default=False)
    appeals = serializers.CharField(max_length=4000)
    appeal_amount = serializers.IntegerField(min_value=1, max_value=120, required=False)
    appeal_unit = serializers.ChoiceField(choices=DeadlineUnit.choices, required=False)


def _entity(request):
    return request.auth.application.entity


def _person(entity, id_number: str, field: str) -> Person:
    person = Person.objects.filter(entity=entity, id_number=compact_id(id_number)).first()
    if person is None:
        raise field_error(field, "No existe ese interesado en la entidad.", code="unknown_person")
    return person


class NotificationListView(ServiceAPIView):
    required_scopes = {"GET": "notifications:read", "POST": "notifications:write"}
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Notificaciones (por expediente, estado o persona)",
        parameters=[
            OpenApiParameter("case", str, description="Id del expediente"),
            OpenApiParameter("status", str, enum=NotificationStatus.values),
            OpenApiParameter("person", str, description="NIF/NIE del interesado o representante"),
        ],
        responses=NotificationSerializer(many=True),
    )
    def get(self, request):
        actor, entity = api_actor(request), _entity(request)
        params = request.query_params
        status_filter = params.get("status", "")
        if status_filter and status_filter not in NotificationStatus.values:
            raise field_error("status", "Estado no válido.", code="invalid_choice")
        case = None
        if params.get("case"):
            try:
                uuid.UUID(params["case"])
            except ValueError as exc:
                raise field_error(
                    "case", "Identificador de expediente no válido.", code="invalid"
                ) from exc
            case = case_get(actor=actor, entity=entity, case_id=params["case"], purpose="notify")
        found = selectors.notifications_for_staff(
            actor=actor, entity=entity, case=case, status=status_filter,
            id_number=params.get("person", ""),
        )  # fmt: skip
        return self.paginate(found, NotificationSerializer)

    @extend_schema(
        summary="Emite una notificación de un acto firmado",
        request=IssueSerializer,
        responses={201: NotificationDetailSerializer},
    )
    def post(self, request):
        actor, entity = api_actor(request), _entity(request)
        data = IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        case = case_get(actor=actor, entity=entity, case_id=values["case"], purpose="notify")
        document = Document.objects.filter(entity=entity, pk=values["document"]).first()
        if document is None:
            raise field_error("document", "No existe ese documento.", code="unknown_document")
        notification = services.notification_issue(
            actor=actor,
            item=services.IssueRequest(
                case=case, document=document,
                addressee=_person(entity, values["addressee"], "addressee"),
                representative=_person(entity, values["representative"], "representative")
                if values.get("representative") else None,
                channel=values.get("channel"), subject=values["subject"],
                ends_administrative_route=values["ends_administrative_route"],
                appeals=values["appeals"], appeal_amount=values.get("appeal_amount"),
                appeal_unit=values.get("appeal_unit", ""),
            ),
        )  # fmt: skip
        found = selectors.notification_for_staff(actor=actor, entity=entity, pk=notification.pk)
        return Response(NotificationDetailSerializer(found).data, status=status.HTTP_201_CREATED)


class NotificationDetailView(ServiceAPIView):
    required_scopes = {"GET": "notifications:read"}

    @extend_schema(
        summary="Una notificación con todo su rastro de pruebas",
        responses=NotificationDetailSerializer,
    )
    def get(self, request, notification_id):
        found = selectors.notification_for_staff(
            actor=api_actor(request), entity=_entity(request), pk=notification_id
        )
        return Response(NotificationDetailSerializer(found).data)


class PaperOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DeliveryOutcome.choices)
    at = serializers.DateTimeField()
    receiver_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    receiver_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class NotificationActionView(ServiceAPIView):
    """POST a record on one notification (paper outcome, BOE); answers with its full trail."""

    required_scopes = {"POST": "notifications:write"}
    parser_classes = [JSONParser]
    input_serializer: type[serializers.Serializer]
    service = None

    def post(self, request, notification_id):
        actor, entity = api_actor(request), _entity(request)
        found = selectors.notification_for_staff(actor=actor, entity=entity, pk=notification_id)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        type(self).service(actor=actor, notification=found, **data.validated_data)
        found = selectors.notification_for_staff(actor=actor, entity=entity, pk=notification_id)
        return Response(NotificationDetailSerializer(found).data)


class PaperOutcomeView(NotificationActionView):
    input_serializer = PaperOutcomeSerializer
    service = services.notification_paper_outcome

    @extend_schema(
        summary="Anota el resultado de un intento de entrega en papel",
        request=PaperOutcomeSerializer,
        responses=NotificationDetailSerializer,
    )
    def post(self, request, notification_id):
        return super().post(request, notification_id)


class BoeSerializer(serializers.Serializer):
    published_on = serializers.DateField()
    reference = serializers.CharField(max_length=40)


class BoePublishedView(NotificationActionView):
    input_serializer = BoeSerializer
    service = services.notification_boe_published

    @extend_schema(
        summary="Anota la publicación del anuncio en el BOE (art. 44)",
        request=BoeSerializer,
        responses=NotificationDetailSerializer,
    )
    def post(self, request, notification_id):
        return super().post(request, notification_id)


class PaperPdfView(ServiceAPIView):
    required_scopes = {"GET": "notifications:read"}

    @extend_schema(
        summary="La notificación en papel para imprimir (PDF con CSV)",
        responses={(200, "application/pdf"): OpenApiResponse(description="PDF")},
    )
    def get(self, request, notification_id):
        from concejo.verification.services import document_content

        found = selectors.notification_for_staff(
            actor=api_actor(request), entity=_entity(request), pk=notification_id
        )
        if found.paper_document is None:
            raise NotFound("Esta notificación no tiene versión en papel.")
        response = HttpResponse(
            document_content(found.paper_document), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="notificacion-{found.pk}.pdf"'
        return response
