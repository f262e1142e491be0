"""Backoffice of street cleaning: triage queue, report view, work orders, dashboard."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.backoffice.views import _denied, _entity, stay
from concejo.core.errors import ApplicationError, PermissionDenied
from concejo.sectors.cleaning import selectors, services
from concejo.sectors.cleaning.models import (
    District,
    Report,
    ReportStatus,
    ServiceCategory,
    WorkOrder,
)

PAGE = 100


def _desk(request):
    return _entity(request, *services.WORKERS)


@login_required
def queue(request):
    try:
        _actor, entity = _desk(request)
    except PermissionDenied:
        return _denied(request)
    params = request.GET
    reports = selectors.reports_queue(
        entity, status=params.get("estado", "open"), category=params.get("categoria", ""),
        district=params.get("distrito", ""), sla=params.get("plazo", ""), text=params.get("q", ""),
    )[:PAGE]  # fmt: skip
    reports = list(reports)
    points = [
        {"lat": float(r.latitude), "lng": float(r.longitude), "title": r.category.name,
         "status": r.get_status_display(), "number": r.tracking_number}
        for r in reports
    ]  # fmt: skip
    return render(
        request, "cleaning/backoffice_queue.html",
        {"entity": entity, "reports": reports, "points": points, "statuses": ReportStatus.choices,
         "categories": ServiceCategory.objects.filter(entity=entity).order_by("name"),
         "districts": District.objects.filter(entity=entity), "params": params,
         "tile_url": settings.MAP_TILE_URL, "map_center": settings.MAP_CENTER,
         "now": timezone.now()},
    )  # fmt: skip


def _category(entity, code: str) -> ServiceCategory:
    category = ServiceCategory.objects.filter(entity=entity, code=code).first()
    if category is None:
        raise ApplicationError(_("Elija una categoría."), code="required")
    return category


@login_required
def report_view(request, number):
    try:
        actor, entity = _desk(request)
    except PermissionDenied:
        return _denied(request)
    report = (
        Report.objects.filter(entity=entity, tracking_number=number)
        .select_related("category", "district", "crew", "unit", "parent", "work_order")
        .first()
    )
    if report is None:
        raise Http404
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "transition":
                services.report_transition(
                    actor=actor, report=report, to_status=request.POST.get("to", ""),
                    note=request.POST.get("note", ""), public=request.POST.get("public") == "1",
                )  # fmt: skip
            elif action == "merge":
                into = Report.objects.filter(
                    entity=entity, tracking_number=request.POST.get("into", "").strip()
                ).first()
                if into is None:
                    raise ApplicationError(_("No existe ese aviso."), code="not_found")
                services.report_merge(actor=actor, duplicate=report, into=into)
            elif action == "recategorise":
                category = _category(entity, request.POST.get("category", ""))
                services.report_recategorise(actor=actor, report=report, category=category)
            elif action == "split":
                category = _category(entity, request.POST.get("category", ""))
                new = services.report_split(
                    actor=actor, report=report, category=category,
                    description=request.POST.get("description", ""),
                )  # fmt: skip
                messages.success(request, _("Nuevo aviso %(n)s.") % {"n": new.tracking_number})
                return stay(request, "cleaning_desk:report", number=new.tracking_number)
            else:
                raise ApplicationError(_("Acción no válida."), code="invalid")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Hecho."))
        return stay(request, "cleaning_desk:report", number=number)
    nearby = (
        Report.objects.filter(entity=entity, category=report.category, district=report.district)
        .exclude(pk=report.pk)
        .exclude(status__in=services.OPEN311_CLOSED)
        .order_by("-created_at")[:10]
    )
    return render(
        request, "cleaning/backoffice_report.html",
        {"entity": entity, "report": report, "updates": report.updates.all(),
         "next_statuses": [(s, ReportStatus(s).label) for s in services.TRANSITIONS[ReportStatus(report.status)]],
         "categories": ServiceCategory.objects.filter(entity=entity, active=True).order_by("name"),
         "nearby": nearby, "photos": report.photos.all()},
    )  # fmt: skip


@login_required
def work_orders(request):
    try:
        actor, entity = _desk(request)
    except PermissionDenied:
        return _denied(request)
    try:
        day = dt.date.fromisoformat(request.GET.get("dia") or request.POST.get("dia") or "")
    except ValueError:
        day = timezone.localdate()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "plan":
                planned = services.work_orders_plan(actor=actor, entity=entity, day=day)
                messages.success(request, _("Partes del día: %(n)d.") % {"n": len(planned)})
            else:
                order = WorkOrder.objects.filter(
                    entity=entity, pk=request.POST.get("order") or None
                ).first()
                if order is None:
                    raise ApplicationError(_("No existe ese parte."), code="not_found")
                photo = request.FILES.get("photo")
                services.work_order_done(
                    actor=actor, order=order, notes=request.POST.get("notes", ""),
                    photo=photo.read() if photo else None,
                )  # fmt: skip
                messages.success(request, _("Parte terminado."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return stay(request, "cleaning_desk:work-orders")
    orders = WorkOrder.objects.filter(entity=entity, day=day).select_related("crew", "district")
    return render(
        request,
        "cleaning/backoffice_work_orders.html",
        {"entity": entity, "day": day, "orders": orders},
    )


@login_required
def dashboard(request):
    try:
        _actor, entity = _desk(request)
    except PermissionDenied:
        return _denied(request)
    return render(
        request,
        "cleaning/backoffice_dashboard.html",
        {"entity": entity, "data": selectors.dashboard(entity)},
    )
