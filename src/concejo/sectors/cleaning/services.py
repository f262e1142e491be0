"""Writes of street-cleaning reports: create, route, move through the workflow, merge."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import (
    audit_chain_lock_and_number_later,
    audit_flush_with,
    audit_record,
    audited_service,
    service_on_failure,
)
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, ValidationFailed, field_error, require_choice
from concejo.core.writes import Writes, entity_row_save
from concejo.deadlines.computation import deadline_compute
from concejo.deadlines.selectors import calendar_for
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role
from concejo.sectors.cleaning.addresses import number_key, street_key, street_type_of
from concejo.sectors.cleaning.config import route, snapshot
from concejo.sectors.cleaning.models import (
    Crew,
    District,
    Report,
    ReportCounter,
    ReportPhoto,
    ReportStatus,
    ReportUpdate,
    RoutingRule,
    ServiceCategory,
)

S = ReportStatus
TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.CONFIRMED, S.IN_TRIAGE, S.DUPLICATE, S.NOT_RESPONSIBLE},
    S.CONFIRMED: {S.IN_TRIAGE, S.ASSIGNED, S.DUPLICATE, S.NOT_RESPONSIBLE},
    S.IN_TRIAGE: {S.ASSIGNED, S.DUPLICATE, S.NOT_RESPONSIBLE},
    S.ASSIGNED: {S.SCHEDULED, S.IN_PROGRESS, S.FIXED, S.IN_TRIAGE},
    S.SCHEDULED: {S.IN_PROGRESS, S.FIXED},
    S.IN_PROGRESS: {S.FIXED},
    S.FIXED: {S.CLOSED, S.REOPENED},
    S.CLOSED: {S.REOPENED},
    S.REOPENED: {S.IN_TRIAGE, S.ASSIGNED},
    S.DUPLICATE: set(),
    S.NOT_RESPONSIBLE: set(),
}
OPEN311_CLOSED = {S.FIXED, S.CLOSED, S.DUPLICATE, S.NOT_RESPONSIBLE}
WORKERS = (Role.CASE_HANDLER, Role.UNIT_HEAD)
MAX_DESCRIPTION = 4000
HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def point_in(boundary: list, lat: float, lon: float) -> bool:
    """Ray casting on a [lat, long] ring (districts are small: the plane is good enough)."""
    inside = False
    count = len(boundary)
    for i in range(count):
        lat1, lon1 = boundary[i]
        lat2, lon2 = boundary[(i + 1) % count]
        if (lon1 > lon) != (lon2 > lon):
            crossing = lat1 + (lon - lon1) * (lat2 - lat1) / (lon2 - lon1)
            if lat < crossing:
                inside = not inside
    return inside


def district_at(entity: Entity, lat: float, lon: float) -> District | None:
    for district in snapshot(entity.pk).districts:
        if point_in(district.boundary, lat, lon):
            return district
    return None


def _coordinate(value, name: str, low: float, high: float) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise field_error(name, _("Coordenada no válida."), code="invalid_location") from exc
    if not (low <= number <= high):
        raise field_error(name, _("Coordenada fuera de rango."), code="invalid_location")
    return number.quantize(Decimal("0.000001"))


def clean_attributes(category: ServiceCategory, given: dict) -> dict:
    """The category's Open311 attributes: required ones present, list values from the list."""
    values = {}
    for spec in category.attributes:
        code = spec["code"]
        raw = given.get(code)
        if raw in (None, "", []):
            if spec.get("required") and spec.get("variable", True):
                raise field_error(
                    f"attribute[{code}]",
                    _("Falta el dato «%(d)s».") % {"d": spec.get("description", code)},
                    code="required",
                )
            continue
        allowed = {str(v["key"]) for v in spec.get("values", [])}
        if spec.get("datatype") in ("singlevaluelist", "multivaluelist") and allowed:
            chosen = raw if isinstance(raw, list) else [raw]
            if any(str(v) not in allowed for v in chosen):
                raise field_error(
                    f"attribute[{code}]", _("Valor no permitido."), code="invalid_choice"
                )
            raw = chosen if spec["datatype"] == "multivaluelist" else chosen[0]
        if spec.get("datatype") == "number":
            try:
                raw = float(raw)
            except (TypeError, ValueError) as exc:
                raise field_error(
                    f"attribute[{code}]", _("Debe ser un número."), code="invalid"
                ) from exc
        values[code] = raw
    return values


def clean_photo(content: bytes) -> tuple[bytes, str]:
    """Check it is an image and re-encode it without metadata (no EXIF location published)."""
    from PIL import Image, UnidentifiedImageError

    if len(content) > MAX_PHOTO_BYTES:
        raise field_error("media", _("La foto supera los 10 MB."), code="file_too_large")
    try:
        image = Image.open(io.BytesIO(content))
        image.verify()
        image = Image.open(io.BytesIO(content))
        kind = image.format
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise field_error("media", _("El fichero no es una imagen."), code="not_an_image") from exc
    if kind not in ("JPEG", "PNG", "WEBP"):
        raise field_error("media", _("Use una foto JPEG, PNG o WebP."), code="not_an_image")
    clean = Image.frombytes(image.mode, image.size, image.tobytes())  # pixels only
    if image.mode == "P" and image.getpalette():
        clean.putpalette(image.getpalette())
    out = io.BytesIO()
    clean.save(out, format=kind)  # a fresh image: no EXIF, no GPS, no comments
    return out.getvalue(), f"image/{kind.lower()}"


@dataclass
class NewReport:
    category: ServiceCategory
    latitude: object
    longitude: object
    description: str
    address: str = ""
    address_id: str = ""
    attributes: dict = field(default_factory=dict)
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    media_url: str = ""
    photo: bytes | None = None
    reporter_user: object = None


def _place(entity: Entity, data: NewReport):
    """Where the report is: its point, its gazetteer address if any, and the address as text.

    Latitude and longitude, when given, are the place; an `address_id` is then
    still checked and kept, and the typed address is kept as text. Without
    them the place is the gazetteer address named by `address_id` or matched
    from the typed address.
    """
    from concejo.sectors.cleaning.selectors import address_get, address_match

    typed = (data.address or "").strip()
    street = address_get(entity, data.address_id) if (data.address_id or "").strip() else None
    given_lat, given_lon = str(data.latitude or "").strip(), str(data.longitude or "").strip()
    if given_lat or given_lon:
        lat = _coordinate(given_lat, "lat", -90, 90) if given_lat else None
        lon = _coordinate(given_lon, "long", -180, 180) if given_lon else None
        if lat is None or lon is None:
            raise field_error(
                "long" if lon is None else "lat", _("Indique la latitud y la longitud, las dos."),
                code="invalid_location",
            )  # fmt: skip
        return lat, lon, street, typed or (street.label if street else "")
    if street is None and typed:
        street = address_match(entity, typed)
    if street is None:
        raise field_error(
            "lat", _("Indique el lugar: latitud y longitud, o una dirección del callejero."),
            code="required",
        )  # fmt: skip
    return street.latitude, street.longitude, street, street.label


def sla_due(category: ServiceCategory, start: dt.datetime) -> dt.datetime:
    end = deadline_compute(
        start=start, amount=category.sla_amount, unit=category.sla_unit,
        calendar=calendar_for(category.entity, strict=False),
    ).end  # fmt: skip
    if isinstance(end, dt.datetime):
        return end
    return dt.datetime.combine(end, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


@audited_service("cleaning.report.create")
def report_create(*, actor: Actor, entity: Entity, data: NewReport, source: str) -> Report:
    """A report from the sede, the backoffice or an Open311 client: checked, placed, routed."""
    category = data.category
    if category.entity_id != entity.pk or not category.active:
        raise field_error("service_code", _("Categoría desconocida."), code="unknown_category")
    lat, lon, street, address = _place(entity, data)
    district = district_at(entity, float(lat), float(lon))
    if district is None:
        raise field_error(
            "lat", _("El lugar está fuera del término municipal."), code="outside_municipality"
        )
    description = (data.description or "").strip()
    if not description:
        raise field_error("description", _("Describa el problema."), code="required")
    if len(description) > MAX_DESCRIPTION:
        raise field_error(
            "description", _("La descripción admite 4.000 caracteres."), code="too_long"
        )
    if HTML.search(description):
        raise field_error(
            "description", _("La descripción no admite HTML."), code="html_not_allowed"
        )
    attributes = clean_attributes(category, data.attributes or {})
    if data.email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(data.email)
        except ValidationError as exc:
            raise field_error("email", _("Correo no válido."), code="invalid_email") from exc
    photo = clean_photo(data.photo) if data.photo else None
    unit, crew = route(category, district)
    now = timezone.now()
    year = timezone.localtime(now).year
    due_at = sla_due(category, now)
    # The whole service is one transaction (audited_service); its rows go out together.
    # They are built, and the photo stored, while the server takes the locks and the number.
    writes = Writes()
    with audit_chain_lock_and_number_later(
        entity, ReportCounter, entity=entity, year=year
    ) as taken:
        report = Report(
            entity=entity, token=secrets.token_hex(16),
            category=category, latitude=lat, longitude=lon, address=address[:250],
            street_address=street, district=district, description=description,
            attributes=attributes,
            media_url=(data.media_url or "")[:500], reporter_user=data.reporter_user,
            email=data.email, first_name=data.first_name[:100], last_name=data.last_name[:150],
            phone=data.phone[:20], source=source[:100], unit=unit, crew=crew, due_at=due_at,
        )  # fmt: skip
        writes.insert(report)
        if photo is not None:
            content, mime = photo
            path = default_storage.save(
                f"cleaning/{entity.pk}/{report.pk.hex}.{mime.split('/')[1]}", ContentFile(content)
            )
            service_on_failure(lambda: default_storage.delete(path))  # also if the commit fails
            writes.insert(
                ReportPhoto(
                    report=report, file=path, mime_type=mime, size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                )
            )  # fmt: skip
        report.tracking_number = f"AV-{year}-{taken():06d}"
    writes.insert(
        ReportUpdate(
            report=report, public=True, to_status=S.SUBMITTED, author=actor.label,
            text=_("Aviso recibido"),
        )
    )  # fmt: skip
    audit_record(actor=actor, action="cleaning.report.create", entity=entity, target=report)
    audit_flush_with(writes)
    return report


@audited_service("cleaning.report.transition")
def report_transition(
    *, actor: Actor, report: Report, to_status: str, note: str = "", public: bool = True
) -> Report:
    report = (
        Report.objects.select_for_update(of=("self",)).select_related("entity").get(pk=report.pk)
    )
    require_role(actor, report.entity, *WORKERS)
    if to_status not in ReportStatus.values:
        raise field_error("status", _("Estado desconocido."), code="invalid_choice")
    if to_status not in TRANSITIONS[S(report.status)]:
        raise Conflict(
            _("Un aviso «%(a)s» no puede pasar a «%(b)s».")
            % {"a": S(report.status).label, "b": S(to_status).label},
            code="invalid_transition",
        )
    before = report.status
    report.status = to_status
    report.status_notes = (note or "")[:500] if public else report.status_notes
    # Fixed then closed keeps the first moment it was done (the dashboard's time to fix).
    report.closed_at = (report.closed_at or timezone.now()) if to_status in OPEN311_CLOSED else None
    report.save()
    ReportUpdate.objects.create(
        report=report, public=public, from_status=before, to_status=to_status,
        text=(note or "").strip(), author=actor.label,
    )  # fmt: skip
    if public:
        _notify_reporter(report, (note or "").strip())
    audit_record(
        actor=actor, action="cleaning.report.transition", entity=report.entity, target=report,
        details={"from": before, "to": to_status},
    )  # fmt: skip
    return report


@audited_service("cleaning.report.merge")
def report_merge(*, actor: Actor, duplicate: Report, into: Report) -> Report:
    """Triage: a duplicate joins a nearby report of the same category (its reporter follows it)."""
    if duplicate.pk == into.pk or duplicate.category_id != into.category_id:
        raise ValidationFailed(
            _("Solo se fusiona con otro aviso de la misma categoría."), code="invalid_merge"
        )
    if into.status in OPEN311_CLOSED:
        raise Conflict(_("El aviso destino ya está cerrado."), code="invalid_merge")
    report = report_transition(
        actor=actor, report=duplicate, to_status=S.DUPLICATE,
        note=_("Duplicado de %(n)s") % {"n": into.tracking_number},
    )  # fmt: skip
    Report.objects.filter(pk=report.pk).update(parent=into)
    report.parent = into
    return report


def _notify_reporter(report: Report, text: str) -> None:
    """E-mail the reporter (and the duplicates' reporters) on a public change (outbox)."""
    from concejo.outbox.services import outbox_enqueue

    targets = [report, *report.duplicates.all()]
    for target in targets:
        if target.email:
            outbox_enqueue(
                kind="cleaning.status_mail", payload={"report": str(target.pk), "text": text[:500]}
            )


def status_mail(payload: dict) -> None:
    """Outbox: the e-mail itself (tracking link; after fixing, the "was it fixed?" link)."""
    from django.conf import settings
    from django.core.mail import send_mail

    report = Report.objects.select_related("entity", "category", "parent").get(pk=payload["report"])
    if report.status == S.DUPLICATE and report.parent is not None:
        report = report.parent  # a duplicate's reporter follows the report that is attended
    link = f"{settings.SITE_URL.rstrip('/')}/{report.entity.dir3_code}/avisos/{report.tracking_number}/"
    body = _("Su aviso %(n)s («%(c)s») está ahora: %(s)s.") % {
        "n": report.tracking_number, "c": report.category.name, "s": report.get_status_display(),
    }  # fmt: skip
    if payload.get("text"):
        body += "\n\n" + payload["text"]
    if report.status in (S.FIXED, S.CLOSED):
        body += "\n\n" + _("¿Se ha resuelto? Díganoslo aquí: %(u)s?token=%(t)s") % {
            "u": link, "t": report.token,
        }  # fmt: skip
    else:
        body += "\n\n" + _("Puede seguirlo en %(u)s") % {"u": link}
    send_mail(
        _("%(e)s · aviso %(n)s") % {"e": report.entity.name, "n": report.tracking_number},
        body, None, [report.email],
    )  # fmt: skip


def report_feedback(*, report: Report, fixed: bool, comment: str = "") -> Report:
    """The reporter answers "was it fixed?": yes closes it, no reopens it."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status not in (S.FIXED, S.CLOSED):
            raise Conflict(_("El aviso aún no está resuelto."), code="not_fixed")
        target = S.CLOSED if fixed else S.REOPENED
        if report.status == target:
            return report
        before = report.status
        report.status = target
        report.closed_at = timezone.now() if fixed else None
        report.save()
        ReportUpdate.objects.create(
            report=report, public=True, from_status=before, to_status=target,
            text=(_("El vecino confirma que está resuelto.") if fixed
                  else _("El vecino indica que sigue sin resolver.")) + (f" {comment.strip()[:500]}" if comment.strip() else ""),
            author="vecino",
        )  # fmt: skip
    return report


@audited_service("cleaning.report.recategorise")
def report_recategorise(*, actor: Actor, report: Report, category: ServiceCategory) -> Report:
    """Triage: another category, routed and timed again."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("entity", "district")
        .get(pk=report.pk)
    )
    require_role(actor, report.entity, *WORKERS)
    if category.entity_id != report.entity_id or not category.active:
        raise field_error("category", _("Categoría desconocida."), code="unknown_category")
    before = report.category.name
    report.category = category
    report.unit, report.crew = route(category, report.district)
    report.due_at = sla_due(category, report.created_at)
    report.save()
    ReportUpdate.objects.create(
        report=report, public=False, author=actor.label,
        text=_("Recategorizado: %(a)s → %(b)s") % {"a": before, "b": category.name},
    )  # fmt: skip
    audit_record(
        actor=actor, action="cleaning.report.recategorise", entity=report.entity, target=report
    )
    return report


@audited_service("cleaning.workorders.plan")
def work_orders_plan(*, actor: Actor, entity: Entity, day: dt.date) -> list:
    """The day's work orders: assigned reports grouped by crew (each crew has its district)."""
    from concejo.sectors.cleaning.models import WorkOrder

    require_role(actor, entity, *WORKERS)
    pending = (
        Report.objects.select_for_update(of=("self",))
        .filter(
            entity=entity,
            status=S.ASSIGNED,
            crew__isnull=False,
            work_order__isnull=True,
        )
        .select_related("crew")
    )
    orders: dict = {}
    for report in pending:
        if report.crew_id not in orders:
            order, _created = WorkOrder.objects.get_or_create(
                entity=entity,
                crew=report.crew,
                day=day,
                defaults={"district": report.crew.district},
            )
            # A crew whose order for the day is already done gets the report another day.
            orders[report.crew_id] = order if order.done_at is None else None
        order = orders[report.crew_id]
        if order is None:
            continue
        before = report.status
        report.work_order, report.status = order, S.SCHEDULED
        report.save(update_fields=["work_order", "status", "updated_at"])
        ReportUpdate.objects.create(
            report=report, public=True, from_status=before, to_status=S.SCHEDULED, author=actor.label,
            text=_("Programado para el %(d)s") % {"d": f"{day:%d/%m/%Y}"},
        )  # fmt: skip
    audit_record(actor=actor, action="cleaning.workorders.plan", entity=entity,
                 details={"day": day.isoformat(), "orders": len(orders)})  # fmt: skip
    return [order for order in orders.values() if order is not None]


@audited_service("cleaning.workorder.done")
def work_order_done(*, actor: Actor, order, notes: str = "", photo: bytes | None = None):
    """The crew finished: its reports become fixed (their reporters are told)."""
    from concejo.sectors.cleaning.models import WorkOrder

    order = (
        WorkOrder.objects.select_for_update(of=("self",)).select_related("entity").get(pk=order.pk)
    )
    require_role(actor, order.entity, *WORKERS)
    if order.done_at is not None:
        raise Conflict(_("El parte ya estaba terminado."), code="already_done")
    if photo:
        content, mime = clean_photo(photo)
        path = default_storage.save(
            f"cleaning/{order.entity_id}/parte-{order.pk.hex}.{mime.split('/')[1]}",
            ContentFile(content),
        )
        service_on_failure(lambda: default_storage.delete(path))  # also if the commit fails
        order.photo = path
    order.notes, order.done_at = (notes or "").strip(), timezone.now()
    order.save()
    for report in order.reports.filter(status__in=[S.SCHEDULED, S.IN_PROGRESS]):
        report_transition(
            actor=actor, report=report, to_status=S.FIXED, note=order.notes or _("Hecho")
        )
    audit_record(actor=actor, action="cleaning.workorder.done", entity=order.entity, target=order)
    return order


@audited_service("cleaning.report.split")
def report_split(
    *, actor: Actor, report: Report, category: ServiceCategory, description: str
) -> Report:
    """Triage: one report that describes two problems becomes two (same place and reporter)."""
    report = Report.objects.select_related("entity", "district", "street_address").get(pk=report.pk)
    require_role(actor, report.entity, *WORKERS)
    if report.status in OPEN311_CLOSED:
        raise Conflict(_("Un aviso cerrado no se divide."), code="invalid_split")
    # The new report keeps whatever extra answers its own category also asks for.
    codes = {a.get("code") for a in category.attributes or []}
    new = report_create(
        actor=actor, entity=report.entity, source=report.source,
        data=NewReport(
            category=category, latitude=report.latitude, longitude=report.longitude,
            description=description, address=report.address, email=report.email,
            address_id=report.street_address.address_id if report.street_address else "",
            first_name=report.first_name, last_name=report.last_name, phone=report.phone,
            reporter_user=report.reporter_user, media_url=report.media_url,
            attributes={k: v for k, v in (report.attributes or {}).items() if k in codes},
        ),
    )  # fmt: skip
    ReportUpdate.objects.create(
        report=report, public=True, author=actor.label,
        text=_("Dividido: la otra parte se atiende en el aviso %(n)s") % {"n": new.tracking_number},
    )  # fmt: skip
    ReportUpdate.objects.create(
        report=new, public=True, author=actor.label,
        text=_("Procede del aviso %(n)s") % {"n": report.tracking_number},
    )  # fmt: skip
    return new


# -- Setting up the service: districts, categories, crews, routing rules, the gazetteer ------
# Each is the entity administrator's (or a superuser's) and is audited; the admin calls them.

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


def _required_text(value, name: str, length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise field_error(name, _("Este campo es obligatorio."), code="required")
    if len(text) > length:
        raise field_error(
            name, _("Admite como mucho %(n)d caracteres.") % {"n": length}, code="too_long"
        )
    return text


def _own(entity: Entity, obj, name: str):
    """A related row (unit, crew, district, category) must be the entity's own."""
    if obj is not None and obj.entity_id != entity.pk:
        raise field_error(name, _("Pertenece a otra entidad."), code="other_entity")
    return obj


def _code(value, name: str = "code") -> str:
    code = (value or "").strip()
    if not SLUG.match(code):
        raise field_error(
            name,
            _(
                "Use de 1 a 40 minúsculas sin tildes, cifras, «_» o «-» (empezando por letra o cifra)."
            ),
            code="invalid_service_code",
        )
    return code


def _boundary(value) -> list:
    """A ring of at least three [lat, long] points in WGS84 degrees."""
    message = _("Indique una lista de al menos tres puntos [latitud, longitud] en grados WGS84.")
    if not isinstance(value, list) or len(value) < 3:
        raise field_error("boundary", message, code="invalid_boundary")
    ring = []
    for point in value:
        if not (isinstance(point, list | tuple) and len(point) == 2):
            raise field_error("boundary", message, code="invalid_boundary")
        try:
            lat, lon = float(point[0]), float(point[1])
        except (TypeError, ValueError) as exc:
            raise field_error("boundary", message, code="invalid_boundary") from exc
        if isinstance(point[0], bool) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise field_error("boundary", message, code="invalid_boundary")
        ring.append([lat, lon])
    return ring


@audited_service("cleaning.district.save")
def district_save(
    *, actor: Actor, entity: Entity, code: str, name: str, boundary: list,
    district: District | None = None,
) -> District:  # fmt: skip
    """Create a district, or change one (its code, name or boundary)."""
    require_role(actor, entity)
    values = {"code": _required_text(code, "code", 20), "name": _required_text(name, "name", 120),
              "boundary": _boundary(boundary)}  # fmt: skip
    taken = District.objects.filter(entity=entity, code=values["code"])
    if taken.exclude(pk=district.pk if district else None).exists():
        raise field_error("code", _("Ya hay un distrito con ese código."), code="duplicate")
    return _save(actor, entity, District, district, values, "cleaning.district.save")


def _save(actor: Actor, entity: Entity, model, obj, values: dict, action: str):
    obj = entity_row_save(model, entity=entity, obj=obj, values=values)
    audit_record(actor=actor, action=action, entity=entity, target=obj)
    return obj


@audited_service("cleaning.crew.save")
def crew_save(
    *, actor: Actor, entity: Entity, name: str, shift: str = "", district: District | None = None,
    active: bool = True, crew: Crew | None = None,
) -> Crew:  # fmt: skip
    require_role(actor, entity)
    values = {"name": _required_text(name, "name", 120), "shift": (shift or "").strip()[:40],
              "district": _own(entity, district, "district"), "active": bool(active)}  # fmt: skip
    return _save(actor, entity, Crew, crew, values, "cleaning.crew.save")


def clean_attribute_specs(value) -> list:
    """The Open311 attributes of a category, as its service definition will list them."""

    def refuse(message: str):
        raise field_error("attributes", message, code="invalid_attributes")

    if value in (None, ""):
        return []
    if not isinstance(value, list):
        refuse(_("Los atributos son una lista JSON de objetos."))
    specs, codes = [], set()
    for position, spec in enumerate(value, start=1):
        if not isinstance(spec, dict):
            refuse(_("El atributo %(n)d no es un objeto JSON.") % {"n": position})
        code = str(spec.get("code", "")).strip()
        if not SLUG.match(code) or code in codes:
            refuse(_("El atributo %(n)d necesita un «code» propio (minúsculas, cifras, «_»).")
                   % {"n": position})  # fmt: skip
        codes.add(code)
        if spec.get("datatype") not in DATATYPES:
            refuse(_("El atributo «%(c)s» tiene un «datatype» desconocido (use %(d)s).")
                   % {"c": code, "d": ", ".join(DATATYPES)})  # fmt: skip
        values = spec.get("values") or []
        listed = spec["datatype"] in ("singlevaluelist", "multivaluelist")
        keys = [str(v.get("key", "")).strip() if isinstance(v, dict) else "" for v in values]
        if listed and (not values or not all(keys) or len(set(keys)) != len(keys)
                       or not all(str(v.get("name", "")).strip() for v in values)):  # fmt: skip
            refuse(_("El atributo «%(c)s» es una lista: dé sus «values» con «key» distintas y «name».")
                   % {"c": code})  # fmt: skip
        if not isinstance(spec.get("order", position), int):
            refuse(_("El «order» del atributo «%(c)s» debe ser un número entero.") % {"c": code})
        specs.append({
            "code": code, "datatype": spec["datatype"], "required": bool(spec.get("required")),
            "variable": bool(spec.get("variable", True)),
            "description": str(spec.get("description") or code).strip(),
            "datatype_description": str(spec.get("datatype_description") or "").strip(),
            "order": spec.get("order", position),
            "values": [{"key": k, "name": str(v["name"]).strip()} for k, v in zip(keys, values, strict=True)]
            if listed else [],
        })  # fmt: skip
    return specs


@dataclass
class CategoryData:
    code: str
    name: str
    responsible_unit: object
    sla_amount: int
    sla_unit: str
    description: str = ""
    group: str = "Limpieza viaria"
    keywords: str = ""
    crew: Crew | None = None
    attributes: list = field(default_factory=list)
    active: bool = True


@audited_service("cleaning.category.save")
def category_save(
    *, actor: Actor, entity: Entity, data: CategoryData, category: ServiceCategory | None = None
) -> ServiceCategory:
    """Create a category (an Open311 service) or change one; its code is its service_code."""
    from concejo.sectors.cleaning.models import SlaUnit

    require_role(actor, entity)
    if data.responsible_unit is None:
        raise field_error("responsible_unit", _("Este campo es obligatorio."), code="required")
    require_choice(data.sla_unit, SlaUnit, "sla_unit")
    if not isinstance(data.sla_amount, int) or not 1 <= data.sla_amount <= 365:
        raise field_error("sla_amount", _("Indique un plazo entre 1 y 365."), code="invalid_amount")
    values = {
        "code": _code(data.code), "name": _required_text(data.name, "name", 120),
        "description": (data.description or "").strip()[:500],
        "group": _required_text(data.group, "group", 80),
        "keywords": (data.keywords or "").strip()[:200],
        "responsible_unit": _own(entity, data.responsible_unit, "responsible_unit"),
        "crew": _own(entity, data.crew, "crew"), "sla_amount": data.sla_amount,
        "sla_unit": data.sla_unit, "attributes": clean_attribute_specs(data.attributes),
        "active": bool(data.active),
    }  # fmt: skip
    taken = ServiceCategory.objects.filter(entity=entity, code=values["code"])
    if taken.exclude(pk=category.pk if category else None).exists():
        raise field_error("code", _("Ya hay una categoría con ese código."), code="duplicate")
    return _save(actor, entity, ServiceCategory, category, values, "cleaning.category.save")


@audited_service("cleaning.category.delete")
def category_delete(*, actor: Actor, entity: Entity, category: ServiceCategory) -> None:
    """Only a category nobody has used goes away (with its rules); others are deactivated."""
    require_role(actor, entity)
    category = ServiceCategory.objects.select_for_update().get(pk=category.pk, entity=entity)
    if category.reports.exists():
        raise Conflict(
            _("La categoría «%(c)s» tiene avisos y no se puede borrar: desactívela.")
            % {"c": category.name},
            code="category_in_use",
        )
    audit_record(actor=actor, action="cleaning.category.delete", entity=entity, target=category,
                 details={"code": category.code})  # fmt: skip
    category.rules.all().delete()
    category.delete()


@audited_service("cleaning.routing_rule.save")
def routing_rule_save(
    *, actor: Actor, entity: Entity, category: ServiceCategory, unit, district: District | None = None,
    crew: Crew | None = None, rule: RoutingRule | None = None,
) -> RoutingRule:  # fmt: skip
    """Who takes a category's reports in a district (or in any district, without one)."""
    require_role(actor, entity)
    for name, value in (("category", category), ("unit", unit)):
        if value is None:
            raise field_error(name, _("Este campo es obligatorio."), code="required")
    values = {"category": _own(entity, category, "category"), "unit": _own(entity, unit, "unit"),
              "district": _own(entity, district, "district"), "crew": _own(entity, crew, "crew")}  # fmt: skip
    same = RoutingRule.objects.filter(entity=entity, category=category, district=district)
    if same.exclude(pk=rule.pk if rule else None).exists():
        raise field_error(
            "district", _("Ya hay una regla para esa categoría y ese distrito."), code="duplicate"
        )
    return _save(actor, entity, RoutingRule, rule, values, "cleaning.routing_rule.save")


@audited_service("cleaning.routing_rule.delete")
def routing_rule_delete(*, actor: Actor, entity: Entity, rule: RoutingRule) -> None:
    """Reports already routed keep their unit and crew; new ones fall back to the next rule."""
    require_role(actor, entity)
    rule = RoutingRule.objects.select_for_update().get(pk=rule.pk, entity=entity)
    audit_record(actor=actor, action="cleaning.routing_rule.delete", entity=entity, target=rule,
                 details={"category": str(rule.category_id), "district": str(rule.district_id or "")})  # fmt: skip
    rule.delete()


ADDRESS_COLUMNS = ("address_id", "street_type", "street_name", "number", "postcode", "district",
                   "lat", "long")  # fmt: skip
POSTCODE = re.compile(r"^\d{5}$")


def _address_row(line: int, row: dict, districts: dict, entity: Entity) -> dict:
    """One CSV row of the gazetteer, checked; a refusal names the line and the column."""

    def refuse(column: str, message: str):
        raise field_error(
            "file", _("Línea %(l)d, %(c)s: %(m)s") % {"l": line, "c": column, "m": message},
            code="invalid_address_row",
        )  # fmt: skip

    value = {name: (row.get(name) or "").strip() for name in ADDRESS_COLUMNS}
    if not value["address_id"] or len(value["address_id"]) > 40:
        refuse("address_id", _("obligatorio, de hasta 40 caracteres."))
    street_type = street_type_of(value["street_type"])
    if street_type is None:
        refuse("street_type", _("tipo de vía desconocido «%(t)s».") % {"t": value["street_type"]})
    if (
        not value["street_name"]
        or len(value["street_name"]) > 150
        or not street_key(value["street_name"])
    ):
        refuse("street_name", _("obligatorio, de hasta 150 caracteres."))
    if not number_key(value["number"]) or len(value["number"]) > 12:
        refuse("number", _("obligatorio, de hasta 12 caracteres."))
    if not POSTCODE.match(value["postcode"]):
        refuse("postcode", _("cinco cifras."))
    point = []
    for column, low, high in (("lat", -90, 90), ("long", -180, 180)):
        try:
            number = Decimal(value[column])
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not low <= number <= high:
            refuse(column, _("grados WGS84 con punto decimal."))
        point.append(number.quantize(Decimal("0.000001")))
    lat, lon = float(point[0]), float(point[1])
    if value["district"]:
        district = districts.get(value["district"])
        if district is None:
            refuse("district", _("no hay un distrito «%(d)s».") % {"d": value["district"]})
        if not point_in(district.boundary, lat, lon):
            refuse("lat", _("el punto no está dentro del distrito «%(d)s».") % {"d": district.code})
    else:
        district = next((d for d in districts.values() if point_in(d.boundary, lat, lon)), None)
        if district is None:
            refuse("lat", _("el punto está fuera del término municipal."))
    return {
        "address_id": value["address_id"], "street_type": street_type,
        "street_name": value["street_name"], "number": value["number"],
        "postcode": value["postcode"], "district": district, "latitude": point[0],
        "longitude": point[1], "street_key": street_key(value["street_name"]),
        "number_key": number_key(value["number"]),
    }  # fmt: skip


@audited_service("cleaning.addresses.load")
def street_addresses_load(*, actor: Actor, entity: Entity, csv_text: str) -> dict:
    """Load the street gazetteer from CSV (columns in ADDRESS_COLUMNS; "," or ";").

    New `address_id`s are added and known ones updated in place, so reports keep
    pointing at them; addresses missing from the file stay. All or nothing.
    """
    import csv
    import io

    from concejo.sectors.cleaning.models import StreetAddress

    require_role(actor, entity)
    text = (csv_text or "").lstrip("\ufeff")
    header = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if ";" in header else ",")
    missing = [c for c in ADDRESS_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise field_error(
            "file", _("Faltan las columnas: %(c)s.") % {"c": ", ".join(missing)},
            code="missing_columns",
        )  # fmt: skip
    districts = {d.code: d for d in District.objects.filter(entity=entity)}
    rows, seen = [], set()
    for line, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        checked = _address_row(line, row, districts, entity)
        if checked["address_id"] in seen:
            raise field_error(
                "file", _("Línea %(l)d, address_id: «%(a)s» está repetido.")
                % {"l": line, "a": checked["address_id"]}, code="invalid_address_row",
            )  # fmt: skip
        seen.add(checked["address_id"])
        rows.append(checked)
    known = {
        a.address_id: a for a in StreetAddress.objects.select_for_update().filter(entity=entity)
    }
    new = [StreetAddress(entity=entity, **r) for r in rows if r["address_id"] not in known]
    changed = []
    for row in rows:
        address = known.get(row["address_id"])
        if address is not None:
            for name, value in row.items():
                setattr(address, name, value)
            changed.append(address)
    StreetAddress.objects.bulk_create(new, batch_size=1000)
    now = timezone.now()
    for address in changed:
        address.updated_at = now
    fields = [n for n in rows[0] if n != "address_id"] + ["updated_at"] if rows else []
    StreetAddress.objects.bulk_update(changed, fields, batch_size=1000)
    counts = {"created": len(new), "updated": len(changed)}
    audit_record(actor=actor, action="cleaning.addresses.load", entity=entity, details=counts)
    return counts
