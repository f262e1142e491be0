"""Public pages of the sede electrónica."""

from __future__ import annotations

import uuid
from itertools import groupby

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from concejo.core.errors import ValidationFailed
from concejo.deadlines import computation
from concejo.deadlines.selectors import calendar_for
from concejo.organization import selectors as organization
from concejo.procedures import selectors as procedures

CATALOG_PAGE = 50
MONTHS = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "septiembre", "octubre", "noviembre", "diciembre",
]  # fmt: skip


def _entity(dir3_code: str):
    entity = organization.entity_list().filter(dir3_code=dir3_code.upper()).first()
    if entity is None:
        raise Http404
    return entity


def _page(request, template: str, entity, **context):
    return render(request, template, {"entity": entity, "now": timezone.localtime(), **context})


def home(request):
    return render(
        request,
        "sede/home.html",
        {"entities": organization.entity_list(), "now": timezone.localtime()},
    )


def entity_home(request, dir3_code: str):
    entity = _entity(dir3_code)
    return _page(
        request,
        "sede/entity_home.html",
        entity,
        offices=organization.office_list(entity=entity),
        dependents=organization.entity_list().filter(parent=entity),
    )


def calendar_page(request, dir3_code: str):
    """Required content of a sede: the non-business days of this year and the next."""
    entity = _entity(dir3_code)
    calendar = calendar_for(entity)
    this_year = timezone.localdate().year
    years = []
    for year in (this_year, this_year + 1):
        try:
            days = computation.non_business_days(year=year, calendar=calendar)
        except ValidationFailed:
            years.append({"year": year, "loaded": False, "months": []})
            continue
        months = [
            {"name": MONTHS[month - 1], "days": list(items)}
            for month, items in groupby(days, key=lambda d: d.date.month)
        ]
        years.append({"year": year, "loaded": True, "months": months})
    return _page(request, "sede/calendar.html", entity, years=years)


def catalog(request, dir3_code: str):
    entity = _entity(dir3_code)
    query = request.GET.get("q", "").strip()[:200]
    category = request.GET.get("categoria", "")
    versions = procedures.procedure_catalog(entity=entity, query=query, category=category)
    after_name, after_id = request.GET.get("desde", ""), request.GET.get("id", "")
    if after_name and after_id:
        try:
            after_uuid = uuid.UUID(after_id)
        except ValueError:
            after_uuid = None
        versions = (
            versions.filter(Q(name__gt=after_name) | Q(name=after_name, id__gt=after_uuid))
            if after_uuid
            else versions.none()
        )
    page = list(versions.order_by("name", "id")[: CATALOG_PAGE + 1])
    more = page[CATALOG_PAGE] if len(page) > CATALOG_PAGE else None
    return _page(
        request,
        "sede/catalog.html",
        entity,
        versions=page[:CATALOG_PAGE],
        next_version=page[CATALOG_PAGE - 1] if more else None,
        query=query,
        category=category,
        categories=procedures.procedure_categories(entity=entity),
    )


def procedure_page(request, dir3_code: str, sia_code: str):
    entity = _entity(dir3_code)
    version = procedures.procedure_public_get(entity=entity, sia_code=sia_code)
    if version is None:
        raise Http404
    return _page(request, "sede/procedure.html", entity, version=version)
