"""Backoffice portafirmas, document downloads and the ENI export/import of cases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from concejo.backoffice.views import _entity, stay
from concejo.cases import selectors as cases
from concejo.cases.eni import case_eni_export, case_eni_import
from concejo.core.errors import ApplicationError
from concejo.documents.http import document_download as download_response
from concejo.organization import selectors as organization
from concejo.signatures import selectors, services

BOX_LABELS = {
    "pending": _("Pendientes"),
    "signed": _("Firmadas"),
    "rejected": _("Rechazadas"),
    "sent": _("Pedidas por mí"),
}
PAGE = 50


@login_required
def signature_inbox(request):
    actor, entity = _entity(request)
    box = request.GET.get("bandeja", "pending")
    if box not in selectors.BOXES:
        box = "pending"
    requests = list(selectors.signature_inbox(actor, entity, box)[:PAGE])
    rows = [(r, selectors.awaiting(r, request.user)) for r in requests]
    return render(
        request,
        "backoffice/signatures.html",
        {"entity": entity, "rows": rows, "box": box, "boxes": BOX_LABELS.items()},
    )


@login_required
def signature_decide(request, request_id):
    actor, entity = _entity(request)
    if request.method != "POST":
        raise Http404
    try:
        found = selectors.signature_request_get(actor, entity, request_id)
    except ApplicationError as exc:
        raise Http404 from exc
    try:
        if request.POST.get("action") == "sign":
            services.signature_sign(actor=actor, request=found)
            messages.success(request, _("Documentos firmados."))
        elif request.POST.get("action") == "reject":
            services.signature_reject(
                actor=actor, request=found, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Petición rechazada."))
        elif request.POST.get("action") == "cancel":
            services.signature_request_cancel(actor=actor, request=found)
            messages.success(request, _("Petición anulada."))
        else:
            raise ApplicationError(_("Acción no válida."), code="invalid")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return stay(request, "backoffice:signatures")


@login_required
def document_download(request, document_id):
    actor, entity = _entity(request)
    document = (
        cases.documents_visible(actor=actor, entity=entity).filter(pk=document_id).first()
        or selectors.documents_to_sign(actor, entity).filter(pk=document_id).first()
    )
    if document is None:
        raise Http404
    return download_response(document)


@login_required
def case_eni(request, case_id):
    actor, entity = _entity(request)
    try:
        case = cases.case_get(actor=actor, entity=entity, case_id=case_id, purpose="eni_export")
    except ApplicationError as exc:
        raise Http404 from exc
    try:
        bundle = case_eni_export(actor=actor, case=case)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return stay(request, "backoffice:case", case_id=case.pk)
    response = HttpResponse(bundle, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{case.eni_identifier}.zip"'
    return response


@login_required
def case_eni_upload(request):
    actor, entity = _entity(request)
    if request.method != "POST":
        raise Http404
    upload = request.FILES.get("bundle")
    try:
        if upload is None:
            raise ApplicationError(_("Elija el paquete ENI (zip)."), code="required")
        code = request.POST.get("unit", "")
        unit = (
            organization.unit_get_by_dir3(entity=entity, dir3_code=code, field="unit")
            if code
            else entity.registry_unit
        )
        if unit is None:
            raise ApplicationError(_("Elija la unidad responsable."), code="required")
        case = case_eni_import(actor=actor, entity=entity, raw=upload.read(), responsible_unit=unit)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return stay(request, "backoffice:cases")
    messages.success(request, _("Expediente %(c)s importado.") % {"c": case.case_code})
    return stay(request, "backoffice:case", case_id=case.pk)
