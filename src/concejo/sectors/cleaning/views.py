"""Sede pages of street cleaning: report a problem, the public map and list, tracking."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.core.actors import Actor, client_ip
from concejo.core.errors import ApplicationError
from concejo.core.throttling import rate_allowed
from concejo.sectors.cleaning import selectors, services
from concejo.sectors.cleaning.models import Report, ReportPhoto, ServiceCategory
from concejo.sede.views import _entity

MAX_PHOTO_UPLOAD = services.MAX_PHOTO_BYTES


def _context(entity, **extra) -> dict:
    return {
        "entity": entity, "now": timezone.localtime(), "tile_url": settings.MAP_TILE_URL,
        "map_center": settings.MAP_CENTER, **extra,
    }  # fmt: skip


def report_new(request, dir3_code: str):
    entity = _entity(dir3_code)
    categories = ServiceCategory.objects.filter(entity=entity, active=True).order_by("name")
    values = request.POST if request.method == "POST" else {}
    errors: dict = {}
    if request.method == "POST":
        allowed, wait = rate_allowed(request, "reports")
        if not allowed:
            messages.error(
                request, _("Ha enviado muchos avisos seguidos: espere %(s)d s.") % {"s": wait}
            )
            return render(
                request, "cleaning/report_new.html",
                _context(entity, categories=categories, values=values, errors={}), status=429,
            )  # fmt: skip
        category = categories.filter(code=request.POST.get("service_code", "")).first()
        photo = request.FILES.get("photo")
        try:
            if category is None:
                raise ApplicationError(
                    _("Elija qué ocurre."),
                    code="required",
                    fields={"service_code": _("Elija una categoría.")},
                )
            if photo is not None and photo.size > MAX_PHOTO_UPLOAD:
                raise ApplicationError(
                    _("La foto supera los 10 MB."),
                    code="file_too_large",
                    fields={"media": _("Demasiado grande.")},
                )
            user = request.user if request.user.is_authenticated else None
            email = request.POST.get("email", "").strip() or (user.email if user else "")
            if not email and user is None:
                raise ApplicationError(
                    _("Indique un correo para informarle, o entre en su carpeta."),
                    code="required", fields={"email": _("Obligatorio si no se identifica.")},
                )  # fmt: skip
            report = services.report_create(
                actor=Actor(user=user, ip=client_ip(request)),
                entity=entity,
                data=services.NewReport(
                    category=category, latitude=request.POST.get("lat", ""),
                    longitude=request.POST.get("long", ""),
                    description=request.POST.get("description", ""),
                    address=request.POST.get("address", ""),
                    attributes={k[5:]: v for k, v in request.POST.items() if k.startswith("attr-")},
                    email=email, first_name=request.POST.get("first_name", "").strip(),
                    photo=photo.read() if photo is not None else None, reporter_user=user,
                ),
                source="sede",
            )  # fmt: skip
        except ApplicationError as exc:
            messages.error(request, exc.message)
            errors = {name: " ".join(texts) for name, texts in exc.fields.items()}
        else:
            return redirect(
                "sede:cleaning:track", dir3_code=entity.dir3_code, number=report.tracking_number
            )
    return render(
        request, "cleaning/report_new.html",
        _context(entity, categories=categories, values=values, errors=errors),
    )  # fmt: skip


def reports_public(request, dir3_code: str):
    entity = _entity(dir3_code)
    rows = list(selectors.public_reports(entity)[:500])
    points = [
        {"lat": float(r.latitude), "lng": float(r.longitude), "title": r.category.name,
         "status": r.get_status_display(), "number": r.tracking_number}
        for r in rows
    ]  # fmt: skip
    return render(
        request, "cleaning/reports_public.html", _context(entity, rows=rows[:100], points=points)
    )


def track(request, dir3_code: str, number: str):
    entity = _entity(dir3_code)
    report = (
        Report.objects.filter(entity=entity, tracking_number=number)
        .select_related("category", "district", "parent")
        .first()
    )
    if report is None:
        raise Http404
    if request.method == "POST" and request.POST.get("token") == report.token:
        try:
            services.report_feedback(
                report=report, fixed=request.POST.get("fixed") == "yes",
                comment=request.POST.get("comment", ""),
            )  # fmt: skip
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Gracias por su valoración."))
        return redirect("sede:cleaning:track", dir3_code=entity.dir3_code, number=number)
    return render(
        request, "cleaning/track.html",
        _context(entity, report=report, updates=report.updates.filter(public=True),
                 feedback_token=request.GET.get("token", "")),
    )  # fmt: skip


def photo(request, dir3_code: str, number: str):
    """The report's photo as published: re-encoded without EXIF when it was received."""
    entity = _entity(dir3_code)
    found = (
        ReportPhoto.objects.filter(report__entity=entity, report__tracking_number=number)
        .order_by("created_at")
        .first()
    )
    if found is None or not default_storage.exists(found.file.name):
        raise Http404
    response = FileResponse(
        default_storage.open(found.file.name, "rb"), content_type=found.mime_type
    )
    response["Content-Disposition"] = f'inline; filename="{number}.{found.mime_type.split("/")[1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
