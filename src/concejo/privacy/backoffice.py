"""The data-protection desk of the backoffice: access report, requests, retention."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record_read
from concejo.backoffice.views import _denied, _entity, stay
from concejo.cases.workflow import FINISHED
from concejo.core.errors import ApplicationError, NotFound, PermissionDenied
from concejo.privacy import selectors, services
from concejo.privacy.models import RetentionRule, SubjectAccessExport, SubjectRequestExtension
from concejo.privacy.retention import RETENTION_LIMIT, RETENTION_READERS, retention_due


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


REQUEST_PAGE = 100


@login_required
def subject_requests(request):
    try:
        actor, entity = _entity(request, *selectors.SUBJECT_REQUEST_READERS)
    except PermissionDenied:
        return _denied(request)
    state = request.GET.get("estado", "open")
    if state not in selectors.REQUEST_STATES:
        state = "open"
    cases = list(selectors.subject_requests(actor=actor, entity=entity, state=state)[:REQUEST_PAGE])
    today = timezone.localdate()
    soon = today + dt.timedelta(days=selectors.DUE_SOON_DAYS)
    rows = [
        {"case": c, "right": selectors.subject_request_right(c),
         "overdue": c.gdpr_due is not None and c.gdpr_due < today and c.status not in FINISHED,
         "due_soon": c.gdpr_due is not None and today <= c.gdpr_due <= soon}
        for c in cases
    ]  # fmt: skip
    return render(
        request, "privacy/subject_requests.html",
        {"entity": entity, "rows": rows, "state": state, "page": REQUEST_PAGE},
    )  # fmt: skip


@login_required
def subject_request(request, case_id):
    try:
        actor, entity = _entity(request, *selectors.SUBJECT_REQUEST_READERS)
        case = selectors.subject_request_get(actor=actor, entity=entity, case_id=case_id)
    except PermissionDenied:
        return _denied(request)
    except NotFound as exc:
        raise Http404 from exc
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "extend":
                months = request.POST.get("months", "")
                extension = services.subject_request_extend(
                    actor=actor, case=case, months=int(months) if months.isdigit() else 0,
                    reason=request.POST.get("reason", ""),
                )  # fmt: skip
                messages.success(
                    request,
                    _("Plazo prorrogado hasta el %(d)s.") % {"d": f"{extension.new_due:%d/%m/%Y}"},
                )
            elif action == "export":
                services.subject_access_export(actor=actor, case=case)
                messages.success(request, _("Exportación generada."))
            elif action == "attach":
                export = _export(entity, case, request.POST.get("export", ""))
                services.subject_access_export_attach(actor=actor, export=export)
                messages.success(request, _("Resumen incorporado al expediente."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return stay(request, "privacy_desk:subject-request", case_id=case.pk)
    return render(
        request, "privacy/subject_request.html",
        {"entity": entity, "case": case, "right": selectors.subject_request_right(case),
         "extension": SubjectRequestExtension.objects.filter(case=case).first(),
         "exports": SubjectAccessExport.objects.filter(case=case).select_related(
             "issued", "document").order_by("-created_at")[:20],
         "parties": case.parties.select_related("person")},
    )  # fmt: skip


def _export(entity, case, export_id) -> SubjectAccessExport:
    try:
        return SubjectAccessExport.objects.get(entity=entity, case=case, pk=export_id)
    except (SubjectAccessExport.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("No existe la exportación.")) from exc


@login_required
def export_download(request, case_id, export_id):
    """The JSON export, for whoever may work on the request."""
    try:
        actor, entity = _entity(request, *services.REQUEST_WORKERS)
        case = selectors.subject_request_get(actor=actor, entity=entity, case_id=case_id)
        export = _export(entity, case, export_id)
    except PermissionDenied:
        return _denied(request)
    except NotFound as exc:
        raise Http404 from exc
    audit_record_read(
        actor=actor, entity=entity, target=export, purpose=_("Descarga de la exportación")
    )
    response = HttpResponse(
        json.dumps(export.data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="derecho-de-acceso-{case.case_code.replace("/", "-")}.json"'
    )
    return response


@login_required
def retention(request):
    try:
        actor, entity = _entity(request, *RETENTION_READERS)
    except PermissionDenied:
        return _denied(request)
    listing = retention_due(actor=actor, entity=entity)
    return render(
        request, "privacy/retention.html",
        {"entity": entity, "listing": listing, "limit": RETENTION_LIMIT,
         "rules": RetentionRule.objects.filter(entity=entity).select_related("procedure")},
    )  # fmt: skip
