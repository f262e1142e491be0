"""Backoffice editor of the edicts board."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from concejo.backoffice.views import _denied, _entity, stay
from concejo.core.errors import ApplicationError, PermissionDenied
from concejo.organization import selectors as organization
from concejo.sede.edicts import EDITORS, edict_publish
from concejo.sede.models import Edict


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError as exc:
        raise ApplicationError(
            _("Fecha no válida en «%(f)s».") % {"f": field}, code="invalid"
        ) from exc


@login_required
def edicts(request):
    try:
        actor, entity = _entity(request, *EDITORS)
    except PermissionDenied:
        return _denied(request)
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            if upload is None:
                raise ApplicationError(_("Elija el PDF del edicto."), code="required")
            edict = edict_publish(
                actor=actor, entity=entity,
                unit=organization.unit_get_by_dir3(
                    entity=entity, dir3_code=request.POST.get("unit", ""), field="unit"
                ),
                title=request.POST.get("title", ""), summary=request.POST.get("summary", ""),
                file_name=upload.name, content=upload.read(),
                publish_from=_date(request.POST.get("publish_from"), _("desde")),
                publish_to=_date(request.POST.get("publish_to"), _("hasta")),
            )  # fmt: skip
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Edicto «%(t)s» publicado.") % {"t": edict.title})
        return stay(request, "backoffice:edicts")
    return render(
        request, "backoffice/edicts.html",
        {"entity": entity, "edicts": Edict.objects.filter(entity=entity).select_related(
            "unit", "document__issued", "certificate")[:100],
         "units": organization.unit_list(entity=entity).order_by("name")},
    )  # fmt: skip
