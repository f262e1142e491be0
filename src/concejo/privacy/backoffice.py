"""The data-protection desk of the backoffice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from concejo.backoffice.views import _denied, _entity
from concejo.core.errors import ApplicationError, PermissionDenied
from concejo.privacy import selectors


@login_required
def access_report(request):
    try:
        actor, entity = _entity(request, *selectors.ACCESS_REPORT_READERS)
    except PermissionDenied:
        return _denied(request)
    id_number = request.GET.get("nif", "").strip()
    report = None
    if id_number:
        try:
            report = selectors.person_access_report(
                actor=actor, entity=entity, id_number=id_number, cursor=request.GET.get("antes", "")
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "privacy/access_report.html",
        {"entity": entity, "id_number": id_number, "report": report},
    )
