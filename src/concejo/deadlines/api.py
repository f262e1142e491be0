"""Public API of the business-day calendar and deadline computation."""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from concejo.core.errors import ValidationFailed, field_error
from concejo.deadlines import computation
from concejo.deadlines.computation import DeadlineUnit
from concejo.deadlines.selectors import calendar_for
from concejo.organization.selectors import entity_get_by_dir3


def parse_moment(raw: str | None, field: str) -> dt.date | dt.datetime:
    if not raw:
        raise field_error(field, "Este parámetro es obligatorio.", code="required")
    try:
        moment = parse_datetime(raw) if "T" in raw or " " in raw else parse_date(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise field_error(
            field,
            "Fecha no válida: use AAAA-MM-DD o AAAA-MM-DDTHH:MM[:SS][±HH:MM].",
            code="invalid_date",
        )
    return moment


def parse_int(raw: str | None, field: str) -> int:
    if raw is None or raw == "":
        raise field_error(field, "Este parámetro es obligatorio.", code="required")
    try:
        return int(raw)
    except ValueError as exc:
        raise field_error(field, "Debe ser un número entero.", code="invalid_number") from exc


def _iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


class PublicCalendarView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "deadlines"

    def calendar(self, request):
        entity = entity_get_by_dir3(request.query_params.get("entity", ""))
        residence = request.query_params.get("residence") or None
        if residence and not (len(residence) == 5 and residence.isdigit()):
            raise field_error(
                "residence", "El código INE del municipio tiene 5 cifras.", code="invalid_ine"
            )
        return calendar_for(entity, residence_ine=residence)


ENTITY = OpenApiParameter("entity", str, required=True, description="Código DIR3 de la entidad")
RESIDENCE = OpenApiParameter(
    "residence",
    str,
    description="Código INE del municipio de residencia del interesado (art. 30.6)",
)


class NonBusinessDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=["weekend", "national", "regional", "local"])
    municipality = serializers.CharField(allow_null=True)


class DeadlineComputeView(PublicCalendarView):
    @extend_schema(
        summary="Calcula el vencimiento de un plazo (art. 30 Ley 39/2015)",
        parameters=[
            ENTITY,
            OpenApiParameter("start", str, required=True, description="Fecha o fecha y hora ISO"),
            OpenApiParameter("amount", int, required=True),
            OpenApiParameter(
                "unit", str, enum=DeadlineUnit.values, description="business_days por defecto"
            ),
            RESIDENCE,
        ],
        responses=inline_serializer(
            "Deadline",
            {
                "start": serializers.CharField(),
                "end": serializers.CharField(),
                "unit": serializers.CharField(),
                "amount": serializers.IntegerField(),
                "non_business_days_skipped": NonBusinessDaySerializer(many=True),
            },
        ),
        auth=[],
    )
    def get(self, request):
        params = request.query_params
        start = parse_moment(params.get("start"), "start")
        amount = parse_int(params.get("amount"), "amount")
        unit = params.get("unit") or DeadlineUnit.BUSINESS_DAYS
        result = computation.deadline_compute(
            start=start, amount=amount, unit=unit, calendar=self.calendar(request)
        )
        return Response(
            {
                "start": _iso(result.start),
                "end": _iso(result.end),
                "unit": result.unit,
                "amount": result.amount,
                "non_business_days_skipped": [
                    d.as_dict() for d in result.non_business_days_skipped
                ],
            }
        )


class CalendarView(PublicCalendarView):
    @extend_schema(
        summary="Días inhábiles de un año (fiestas nacionales, autonómicas y locales)",
        parameters=[ENTITY, OpenApiParameter("year", int, required=True), RESIDENCE],
        responses=inline_serializer(
            "NonBusinessCalendar",
            {
                "entity": serializers.CharField(),
                "year": serializers.IntegerField(),
                "weekends": serializers.CharField(),
                "days": NonBusinessDaySerializer(many=True),
            },
        ),
        auth=[],
    )
    def get(self, request):
        year = parse_int(request.query_params.get("year"), "year")
        days = computation.non_business_days(year=year, calendar=self.calendar(request))
        return Response(
            {
                "entity": request.query_params["entity"].upper(),
                "year": year,
                "weekends": "Los sábados y domingos son inhábiles.",
                "days": [d.as_dict() for d in days],
            }
        )


class BusinessDaysView(PublicCalendarView):
    @extend_schema(
        summary="Días hábiles entre dos fechas, y si una fecha es hábil",
        parameters=[
            ENTITY,
            OpenApiParameter("from", str, required=True, description="AAAA-MM-DD"),
            OpenApiParameter(
                "to", str, description="AAAA-MM-DD; sin él, solo se dice si «from» es hábil"
            ),
            RESIDENCE,
        ],
        responses=dict,
        auth=[],
    )
    def get(self, request):
        try:
            return self._get(request)
        except ValidationFailed as exc:
            names = {"start": "from", "amount": "to"}
            raise ValidationFailed(
                exc.message,
                code=exc.code,
                fields={names.get(k, k): v for k, v in exc.fields.items()},
            ) from exc

    def _get(self, request):
        calendar = self.calendar(request)
        first = parse_moment(request.query_params.get("from"), "from")
        if isinstance(first, dt.datetime):
            first = first.date()
        why = computation.is_business_day(day=first, calendar=calendar)
        body = {
            "from": first.isoformat(),
            "is_business_day": why is None,
            "reason": why.as_dict() if why else None,
        }
        if request.query_params.get("to"):
            last = parse_moment(request.query_params.get("to"), "to")
            if isinstance(last, dt.datetime):
                last = last.date()
            body["to"] = last.isoformat()
            body["business_days"] = computation.business_days_between(
                start=first, end=last, calendar=calendar
            )
        return Response(body)
