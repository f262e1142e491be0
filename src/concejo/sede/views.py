"""Public pages of the sede electrónica."""

from __future__ import annotations

import uuid
from itertools import groupby

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

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
    results = {
        "versions": page[:CATALOG_PAGE],
        "next_version": page[CATALOG_PAGE - 1] if more else None,
        "query": query,
        "category": category,
    }
    htmx = request.htmx
    if htmx and not htmx.boosted and not htmx.history_restore_request:  # as the citizen types
        response = _page(request, "sede/_catalog_results.html", entity, **results)
    else:
        response = _page(
            request, "sede/catalog.html", entity,
            categories=procedures.procedure_categories(entity=entity), **results,
        )  # fmt: skip
    patch_vary_headers(response, ["HX-Request"])  # the list alone, or the whole page
    return response


def procedure_page(request, dir3_code: str, sia_code: str):
    entity = _entity(dir3_code)
    version = procedures.procedure_public_get(entity=entity, sia_code=sia_code)
    if version is None:
        raise Http404
    return _page(request, "sede/procedure.html", entity, version=version)


def edicts_board(request, dir3_code: str):
    """Tablón de edictos: what is published today, and what was published before."""
    from concejo.sede.edicts import edicts_current
    from concejo.sede.models import Edict

    entity = _entity(dir3_code)
    past = Edict.objects.filter(entity=entity, publish_to__lt=timezone.localdate()).select_related(
        "document__issued", "certificate", "unit"
    )[:CATALOG_PAGE]
    return _page(request, "sede/edicts.html", entity, current=edicts_current(entity), past=past)


def edict_document(request, dir3_code: str, edict_id):
    from django.http import HttpResponse

    from concejo.documents.services import document_content
    from concejo.sede.edicts import edicts_current

    entity = _entity(dir3_code)
    edict = edicts_current(entity).filter(pk=edict_id).first()
    if edict is None:
        raise Http404
    response = HttpResponse(document_content(edict.document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{edict.document.file_name}"'
    return response


INFO_PAGES = {
    "titularidad": "Titularidad de la sede",
    "sellos": "Sellos electrónicos y sus certificados",
    "accesibilidad": "Declaración de accesibilidad",
    "privacidad": "Protección de datos personales",
    "actividades-de-tratamiento": "Registro de actividades de tratamiento",
    "ayuda": "Ayuda",
}


def info_page(request, dir3_code: str, slug: str):
    """The information a sede must publish (RD 203/2021 art. 11; RD 1112/2018; RGPD)."""
    entity = _entity(dir3_code)
    if slug not in INFO_PAGES:
        raise Http404
    seal = None
    if slug == "sellos" and entity.seal_certificate_path:
        from concejo.core.errors import ApplicationError
        from concejo.signatures.seal import seal_signer

        try:
            cert = seal_signer(entity).signing_cert
            seal = {
                "subject": cert.subject.human_friendly,
                "issuer": cert.issuer.human_friendly,
                "serial": format(cert.serial_number, "X"),
                "valid_from": cert["tbs_certificate"]["validity"]["not_before"].native,
                "valid_to": cert["tbs_certificate"]["validity"]["not_after"].native,
            }
        except ApplicationError:
            seal = None
    activities = None
    if slug == "actividades-de-tratamiento":
        from concejo.privacy.selectors import processing_activities_public

        activities = processing_activities_public(entity=entity)
    return _page(
        request, f"sede/info_{slug}.html", entity, title=INFO_PAGES[slug], pages=INFO_PAGES,
        seal=seal, activities=activities,
    )  # fmt: skip
