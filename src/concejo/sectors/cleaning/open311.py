"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the street reports.

JSON or XML by the URL's extension, errors as the spec's list of {code,
description}, form-encoded POST with an `api_key` (a platform API key with
the scope open311:write). Public reads carry no personal data.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from concejo.apikeys.services import api_key_authenticate
from concejo.core.actors import Actor, client_ip
from concejo.core.errors import ApplicationError
from concejo.core.throttling import rate_allowed
from concejo.organization.models import Entity
from concejo.sectors.cleaning.config import snapshot
from concejo.sectors.cleaning.models import Report, ReportPhoto, ReportStatus, ServiceCategory
from concejo.sectors.cleaning.services import OPEN311_CLOSED, NewReport, report_create

WINDOW_DAYS = 90
MAX_RECORDS = 1000
ITEM_NAMES = {"services": "service", "service_requests": "request", "errors": "error",
              "attributes": "attribute", "values": "value", "endpoints": "endpoint",
              "formats": "format"}  # fmt: skip


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _xml(root: str, data) -> bytes:
    def fill(parent, value, name):
        if isinstance(value, list):
            for item in value:
                fill(ET.SubElement(parent, ITEM_NAMES.get(name, "item")), item, name)
        elif isinstance(value, dict):
            for key, inner in value.items():
                if isinstance(inner, list):
                    fill(ET.SubElement(parent, key), inner, key)
                else:
                    fill(ET.SubElement(parent, key), inner, key)
        elif value is not None:
            parent.text = str(value).lower() if isinstance(value, bool) else str(value)

    element = ET.Element(root)
    fill(element, data, root)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8")


def _respond(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(_xml(root, data), status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _errors(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(fmt, "errors", [{"code": status, "description": description}], status)


def open311_view(fn):
    """Run the view, turning any refusal into the spec's error list."""

    def wrapper(request, *args, fmt: str, **kwargs):
        if fmt not in ("json", "xml"):
            return _errors("json", 404, "Formato no admitido: use .json o .xml")
        if request.method == "GET":  # POSTs are limited per API key in _create
            allowed, wait = rate_allowed(request, "open311_read")
            if not allowed:
                return _errors(fmt, 429, f"Demasiadas consultas seguidas: espere {wait} s")
        try:
            return fn(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return _errors(fmt, exc.status, exc.description)
        except ApplicationError as exc:
            field = next(iter(exc.fields), "")
            detail = f"{field}: {exc.message}" if field else exc.message
            return _errors(fmt, exc.status, detail)

    wrapper.__name__ = fn.__name__
    return csrf_exempt(wrapper)


def _jurisdiction(request, key_entity: Entity | None = None) -> Entity:
    code = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if key_entity is not None and (not code or code.upper() == key_entity.dir3_code.upper()):
        return key_entity  # the key's own entity: already read with the key
    if not code:
        code = getattr(settings, "OPEN311_JURISDICTION", "")
    entities = Entity.objects.filter(active=True)
    entity = (
        entities.filter(dir3_code__iexact=code).first()
        if code
        else entities.filter(parent__isnull=True).order_by("created_at").first()
    )
    if entity is None or (key_entity is not None and entity.pk != key_entity.pk):
        raise Open311Error(404, "jurisdiction_id desconocido")
    return entity


def _service(category: ServiceCategory) -> dict:
    return {
        "service_code": category.code, "service_name": category.name,
        "description": category.description, "metadata": bool(category.attributes),
        "type": "realtime", "keywords": category.keywords, "group": category.group,
    }  # fmt: skip


@require_http_methods(["GET"])
@open311_view
def discovery(request, fmt):
    base = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": "2026-11-25T00:00:00Z", "contact": "Concejo · limpieza viaria",
        "key_service": "Claves de API: administración de la entidad (scope open311:write)",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-25T00:00:00Z", "type": "production",
                       "formats": ["application/json", "text/xml"]}],
    }  # fmt: skip
    return _respond(fmt, "discovery", data)


@require_http_methods(["GET"])
@open311_view
def services(request, fmt):
    entity = _jurisdiction(request)
    rows = ServiceCategory.objects.filter(entity=entity, active=True).order_by("group", "name")
    return _respond(fmt, "services", [_service(c) for c in rows])


@require_http_methods(["GET"])
@open311_view
def service_definition(request, code, fmt):
    entity = _jurisdiction(request)
    category = ServiceCategory.objects.filter(entity=entity, code=code, active=True).first()
    if category is None:
        raise Open311Error(404, "service_code desconocido")
    attributes = [
        {"variable": a.get("variable", True), "code": a["code"], "datatype": a["datatype"],
         "required": bool(a.get("required")), "datatype_description": a.get("datatype_description", ""),
         "order": a.get("order", i + 1), "description": a.get("description", a["code"]),
         "values": [{"key": v["key"], "name": v["name"]} for v in a.get("values", [])]}
        for i, a in enumerate(category.attributes)
    ]  # fmt: skip
    return _respond(
        fmt, "service_definition", {"service_code": category.code, "attributes": attributes}
    )


def _iso(moment, zone) -> str | None:
    return moment.astimezone(zone).replace(microsecond=0).isoformat() if moment else None


FIELDS = (
    "tracking_number", "status", "status_notes", "category__name", "category__code",
    "description", "unit__name", "created_at", "updated_at", "due_at", "address", "latitude",
    "longitude", "media_url", "has_photo", "entity__dir3_code", "street_address__address_id",
    "street_address__postcode",
)  # fmt: skip


def _with_photo(reports):
    return reports.annotate(has_photo=Exists(ReportPhoto.objects.filter(report=OuterRef("pk"))))


def _media_url(row: dict) -> str:
    """The client's own media_url, or the published (EXIF-free) photo taken with the report."""
    if row["media_url"] or not row["has_photo"]:
        return row["media_url"]
    path = reverse(
        "sede:cleaning:photo",
        kwargs={"dir3_code": row["entity__dir3_code"], "number": row["tracking_number"]},
    )
    return settings.SITE_URL.rstrip("/") + path


def _requests(rows) -> list[dict]:
    """Service requests as the spec lists them, from values() rows (up to a thousand a page).

    The time zone and the status labels are looked up once per page, not per row.
    """
    zone = timezone.get_current_timezone()
    labels = {value: str(label) for value, label in ReportStatus.choices}
    return [_request(row, zone, labels) for row in rows]


def _request(row: dict, zone, labels: dict[str, str]) -> dict:
    return {
        "service_request_id": row["tracking_number"],
        "status": "closed" if row["status"] in OPEN311_CLOSED else "open",
        "status_notes": row["status_notes"] or labels[row["status"]],
        "service_name": row["category__name"], "service_code": row["category__code"],
        "description": row["description"], "agency_responsible": row["unit__name"],
        "service_notice": "", "requested_datetime": _iso(row["created_at"], zone),
        "updated_datetime": _iso(row["updated_at"], zone),
        "expected_datetime": _iso(row["due_at"], zone),
        "address": row["address"], "address_id": row["street_address__address_id"] or "",
        "zipcode": row["street_address__postcode"] or "",
        "lat": float(row["latitude"]), "long": float(row["longitude"]),
        "media_url": _media_url(row),
    }  # fmt: skip


def _date(value: str, name: str) -> dt.datetime:
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name} no es una fecha ISO 8601")
    return moment if moment.tzinfo else timezone.make_aware(moment)


def _attributes(post) -> dict:
    values: dict = {}
    for key in post:
        if key.startswith("attribute[") and key.endswith("]"):
            code = key[len("attribute[") : -1]
            if code.endswith("]["):
                code = code[:-2]
            listed = post.getlist(key)
            values[code] = listed if key.endswith("[]") or len(listed) > 1 else listed[0]
    return values


@require_http_methods(["GET", "POST"])
@open311_view
def requests_collection(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    entity = _jurisdiction(request)
    reports = Report.objects.filter(entity=entity)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        reports = reports.filter(tracking_number__in=ids[:MAX_RECORDS])
    else:
        end = (
            _date(request.GET["end_date"], "end_date")
            if request.GET.get("end_date")
            else timezone.now()
        )
        start = (
            _date(request.GET["start_date"], "start_date")
            if request.GET.get("start_date")
            else end - dt.timedelta(days=WINDOW_DAYS)
        )
        if start > end:
            raise Open311Error(400, "start_date es posterior a end_date")
        reports = reports.filter(created_at__gte=start, created_at__lte=end)
        if request.GET.get("service_code"):
            codes = [c.strip() for c in request.GET["service_code"].split(",")]
            reports = reports.filter(category__code__in=codes)
        status = request.GET.get("status", "")
        if status == "open":  # a positive list, so the (entity, status, created_at) index serves
            reports = reports.filter(
                status__in=[s for s in ReportStatus if s not in OPEN311_CLOSED]
            )
        elif status == "closed":
            reports = reports.filter(status__in=OPEN311_CLOSED)
        elif status:
            raise Open311Error(400, "status debe ser open o closed")
    rows = _with_photo(reports).order_by("-created_at").values(*FIELDS)[:MAX_RECORDS]
    return _respond(fmt, "service_requests", _requests(rows))


def _create(request, fmt):
    secret = request.POST.get("api_key", "")
    key = api_key_authenticate(secret) if secret else None
    if key is None:
        raise Open311Error(403, "api_key ausente o no válida")
    if not key.application.has_scope("open311:write"):
        raise Open311Error(403, "La clave no tiene el permiso open311:write")
    allowed, wait = rate_allowed(request, "open311", ident=f"key-{key.prefix}")
    if not allowed:
        raise Open311Error(429, f"Demasiados avisos seguidos: espere {wait} s")
    entity = _jurisdiction(request, key.application.entity)
    code = request.POST.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code es obligatorio")
    category = snapshot(entity.pk).categories.get(code)
    if category is None:
        raise Open311Error(404, "service_code desconocido")
    report = report_create(
        actor=Actor(api_application=key.application, ip=client_ip(request)), entity=entity,
        data=NewReport(
            category=category, latitude=request.POST.get("lat", ""),
            longitude=request.POST.get("long", ""),
            description=request.POST.get("description", ""),
            address=request.POST.get("address_string", ""),
            address_id=request.POST.get("address_id", ""), attributes=_attributes(request.POST),
            email=request.POST.get("email", "").strip(),
            first_name=request.POST.get("first_name", "").strip(),
            last_name=request.POST.get("last_name", "").strip(),
            phone=request.POST.get("phone", "").strip(),
            media_url=request.POST.get("media_url", "").strip(),
        ),
        source=f"open311:{key.application.name}",
    )  # fmt: skip
    notice = f"Plazo objetivo: {timezone.localtime(report.due_at):%d/%m/%Y %H:%M}"
    return _respond(
        fmt, "service_requests",
        [{"service_request_id": report.tracking_number, "token": report.token,
          "service_notice": notice, "account_id": None}],
        status=201,
    )  # fmt: skip


@require_http_methods(["GET"])
@open311_view
def request_detail(request, request_id, fmt):
    entity = _jurisdiction(request)
    row = (
        _with_photo(Report.objects.filter(entity=entity, tracking_number=request_id))
        .values(*FIELDS)
        .first()
    )
    if row is None:
        raise Open311Error(404, "service_request_id desconocido")
    return _respond(fmt, "service_requests", _requests([row]))


@require_http_methods(["GET"])
@open311_view
def token_detail(request, token, fmt):
    entity = _jurisdiction(request)
    report = Report.objects.filter(entity=entity, token=token).first()
    if report is None:
        raise Open311Error(404, "token desconocido")
    return _respond(
        fmt, "service_requests", [{"service_request_id": report.tracking_number, "token": token}]
    )
