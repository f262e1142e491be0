"""Backoffice pages for case files: my unit's cases, my tasks and the case view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from concejo.backoffice.views import _denied, _entity, stay
from concejo.cases import selectors, services
from concejo.cases.models import CaseStatus
from concejo.cases.workflow import TRANSITIONS
from concejo.core.errors import ApplicationError, PermissionDenied
from concejo.documents.models import DocumentTemplate, DocumentType
from concejo.documents.services import document_finalize
from concejo.notifications.services import STANDARD_APPEALS
from concejo.organization import selectors as organization
from concejo.registry import selectors as registry

PAGE = 50


@login_required
def case_list(request):
    actor, entity = _entity(request)
    cases = selectors.case_search(
        selectors.cases_visible(actor=actor, entity=entity),
        status=request.GET.get("estado", ""),
        text=request.GET.get("q", ""),
        overdue=request.GET.get("vencidos") == "1",
    ).select_related("responsible_unit", "handler")
    before = parse_datetime(request.GET.get("antes", "") or "")
    if before:
        cases = cases.filter(created_at__lt=before)
    page = list(cases.order_by("-created_at", "-id")[: PAGE + 1])
    return render(
        request,
        "backoffice/cases.html",
        {
            "entity": entity,
            "cases": page[:PAGE],
            "more": page[PAGE - 1].created_at.isoformat() if len(page) > PAGE else None,
            "statuses": CaseStatus.choices,
            "q": request.GET.get("q", ""),
            "units": organization.unit_list(entity=entity).order_by("name"),
        },
    )


@login_required
def my_tasks(request):
    actor, entity = _entity(request)
    tasks = selectors.tasks_for(actor=actor, entity=entity)
    return render(
        request,
        "backoffice/tasks.html",
        {
            "entity": entity,
            "overdue": selectors.overdue(tasks)[:PAGE],
            "due_soon": selectors.due_soon(tasks)[:PAGE],
            "tasks": tasks.order_by("due_date")[:PAGE],
        },
    )


@login_required
def case_open_from_entry(request, entry_id):
    actor, entity = _entity(request)
    if request.method != "POST":
        raise Http404
    try:
        entry = registry.registry_entry_get(
            actor=actor, entity=entity, entry_id=entry_id, purpose="open-case"
        )
        case = services.case_open_from_entry(actor=actor, entry=entry)
    except PermissionDenied:
        return _denied(request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return stay(request, "backoffice:registry-entry", entry_id=entry_id)
    messages.success(request, _("Expediente %(c)s abierto.") % {"c": case.case_code})
    return stay(request, "backoffice:case", case_id=case.pk)


@login_required
def case_view(request, case_id):
    actor, entity = _entity(request)
    try:
        case = selectors.case_get(actor=actor, entity=entity, case_id=case_id, purpose="backoffice")
    except ApplicationError as exc:
        raise Http404 from exc
    if request.method == "POST":
        try:
            _act(request, actor, case)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Hecho."))
        return stay(request, "backoffice:case", case_id=case.pk)
    return render(
        request,
        "backoffice/case.html",
        {
            "entity": entity,
            "case": case,
            "silence": services.silence_applies(case),
            "next_statuses": [
                (s, CaseStatus(s).label) for s in TRANSITIONS[CaseStatus(case.status)]
            ],
            "units": organization.unit_list(entity=entity).order_by("name"),
            "document_types": DocumentType.choices,
            "templates": DocumentTemplate.objects.filter(entity=entity, active=True),
            "parties": case.parties.select_related("person"),
            "index": _index_with_signatures(case),
            "signers": organization.employees_of(entity),
            "signer_slots": range(1, 5),
            "notifications": _notifications(case),
            "standard_appeals": STANDARD_APPEALS,
            "exportable": case.eni_state in ("E02", "E03"),
            "tasks": case.tasks.all(),
            "events": case.events.all(),
        },
    )


def _index_with_signatures(case) -> list:
    """Each index line with the signatures applied to its document (the signature panel)."""
    from concejo.signatures.models import DocumentSignature

    lines = list(case.index.select_related("document", "document__issued"))
    found: dict = {}
    for signature in DocumentSignature.objects.filter(
        document__in=[line.document_id for line in lines]
    ).order_by("signed_at"):
        found.setdefault(signature.document_id, []).append(signature)
    for line in lines:
        line.signatures = found.get(line.document_id, [])
    return lines


def _request_signature(request, actor, case) -> None:
    from concejo.signatures.services import signature_request_create, users_by_username

    positions = [p for p in request.POST.getlist("documents") if p.isdigit()]
    lines = list(case.index.select_related("document").filter(position__in=positions))
    if not lines:
        raise ApplicationError(_("Marque los documentos que se firman."), code="required")
    signature_request_create(
        actor=actor, entity=case.entity,
        subject=request.POST.get("subject") or _("Firma en el expediente %(c)s") % {"c": case.case_code},
        documents=[line.document for line in lines],
        signers=users_by_username(case.entity, [u for u in request.POST.getlist("signers") if u]),
        mode=request.POST.get("mode", "sequential"), case=case,
    )  # fmt: skip


def _notifications(case) -> list:
    from concejo.notifications.selectors import effective

    rows = []
    for n in case.notifications.select_related("addressee", "proof", "paper_document").order_by(
        "created_at"
    ):
        n.effective = effective(n)
        rows.append(n)
    return rows


def _notify(request, actor, case) -> None:
    from concejo.notifications.services import IssueRequest, notifications_issue

    line = (
        case.index.select_related("document")
        .filter(position=request.POST.get("document") or 0)
        .first()
    )
    if line is None:
        raise ApplicationError(_("Elija el acto que se notifica."), code="required")
    chosen = request.POST.getlist("addressees")
    parties = [
        p.person for p in case.parties.select_related("person") if str(p.person_id) in chosen
    ]
    if not parties:
        raise ApplicationError(_("Marque a quién se notifica."), code="required")
    amount = request.POST.get("appeal_amount", "")
    items = [
        IssueRequest(
            case=case,
            document=line.document,
            addressee=person,
            subject=request.POST.get("subject", ""),
            appeals=request.POST.get("appeals", ""),
            ends_administrative_route=request.POST.get("ends_route") == "1",
            appeal_amount=int(amount) if amount.isdigit() else None,
            appeal_unit=request.POST.get("appeal_unit", "months"),
            channel=request.POST.get("channel") or None,
        )
        for person in parties
    ]
    notifications_issue(actor=actor, entity=case.entity, items=items)


def _paper(request, actor, case) -> None:
    import datetime as dt

    from concejo.notifications import services as notifications

    found = case.notifications.filter(pk=request.POST.get("notification") or None).first()
    if found is None:
        raise ApplicationError(_("Esa notificación no es de este expediente."), code="not_found")
    if request.POST.get("action") == "boe":
        try:
            day = dt.date.fromisoformat(request.POST.get("published_on", ""))
        except ValueError as exc:
            raise ApplicationError(_("Fecha de publicación no válida."), code="invalid") from exc
        notifications.notification_boe_published(
            actor=actor, notification=found, published_on=day,
            reference=request.POST.get("reference", ""),
        )  # fmt: skip
        return
    moment = parse_datetime(request.POST.get("at", "") or "")
    if moment is None:
        raise ApplicationError(_("Indique la fecha y hora del intento."), code="invalid")
    if moment.tzinfo is None:
        from django.utils import timezone

        moment = timezone.make_aware(moment)
    notifications.notification_paper_outcome(
        actor=actor, notification=found, outcome=request.POST.get("outcome", ""), at=moment,
        receiver_name=request.POST.get("receiver_name", ""),
    )  # fmt: skip


def _act(request, actor, case) -> None:
    action = request.POST.get("action")
    if action == "request_signature":
        _request_signature(request, actor, case)
    elif action == "notify":
        _notify(request, actor, case)
    elif action in ("paper_outcome", "boe"):
        _paper(request, actor, case)
    elif action == "transition":
        target = request.POST.get("to", "")
        if target == CaseStatus.CLOSED:
            services.case_close(actor=actor, case=case)
        elif target == CaseStatus.ARCHIVED:
            services.case_archive(actor=actor, case=case)
        else:
            services.case_transition(
                actor=actor, case=case, to_status=target, reason=request.POST.get("reason", "")
            )
    elif action == "document":
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError(_("Elija el fichero."), code="required")
        services.case_document_upload(
            actor=actor, case=case, title=request.POST.get("title") or upload.name,
            file_name=upload.name, content=upload.read(),
            document_type=request.POST.get("document_type", "TD99"),
        )  # fmt: skip
    elif action == "task":
        days = request.POST.get("days", "")
        unit_code = request.POST.get("unit", "")
        services.task_create(
            actor=actor, case=case, title=request.POST.get("title", ""),
            business_days=int(days) if days.isdigit() else 0,
            assigned_unit=organization.unit_get_by_dir3(entity=case.entity, dir3_code=unit_code, field="unit") if unit_code else None,
            assigned_user=None if unit_code else actor.user,
        )  # fmt: skip
    elif action == "generate":
        template = DocumentTemplate.objects.filter(
            entity=case.entity, pk=request.POST.get("template") or None, active=True
        ).first()
        if template is None:
            raise ApplicationError(_("Elija una plantilla."), code="required")
        services.case_document_generate(
            actor=actor,
            case=case,
            template=template,
            extra={"motivo": request.POST.get("motivo", "")},
        )
    elif action == "finalize":
        line = (
            case.index.select_related("document")
            .filter(position=request.POST.get("position") or 0)
            .first()
        )
        if line is None:
            raise ApplicationError(_("Ese documento no está en el índice."), code="not_found")
        document_finalize(actor=actor, document=line.document)
    elif action == "resolve":
        line = (
            case.index.select_related("document")
            .filter(position=request.POST.get("position") or 0)
            .first()
        )
        if line is None:
            raise ApplicationError(_("Ese documento no está en el índice."), code="not_found")
        services.resolution_register(
            actor=actor, case=case, document=line.document, summary=request.POST.get("summary", "")
        )
    elif action == "take":
        services.case_assign(actor=actor, case=case, handler=actor.user)
    elif action == "task_done":
        task = case.tasks.filter(pk=request.POST.get("task")).first()
        if task is None:
            raise ApplicationError(_("Ese trámite no existe."), code="not_found")
        services.task_complete(actor=actor, task=task)
    else:
        raise ApplicationError(_("Acción no válida."), code="invalid")
