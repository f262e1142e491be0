"""Applying online from the sede, and the rest of the citizen's folder."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concejo.core.actors import Actor, client_ip
from concejo.core.errors import ApplicationError, NotFound
from concejo.procedures import selectors as procedures
from concejo.registry.attachments import AttachmentInput
from concejo.sede import citizens, services
from concejo.sede.folder_views import LOGIN, demo_people
from concejo.sede.models import ApplicationDraft
from concejo.sede.views import _entity


def _plain(value) -> str:
    """A form value as the browser expects it (4800.5, not the localised 4.800,5)."""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_fields(schema: dict, data: dict, problems: dict) -> list[dict]:
    """What the template needs to draw each field of the procedure's JSON Schema."""
    required = set(schema.get("required") or [])
    fields = []
    for name, spec in (schema.get("properties") or {}).items():
        kind = spec.get("type", "string")
        widget = "text"
        if "enum" in spec:
            widget = "select"
        elif kind in ("number", "integer"):
            widget = "number"
        elif kind == "boolean":
            widget = "checkbox"
        elif spec.get("format") == "date":
            widget = "date"
        elif spec.get("format") == "email":
            widget = "email"
        elif spec.get("maxLength", 0) > 200 or name in (
            "descripcion",
            "motivo",
            "descripcion_obra",
        ):
            widget = "textarea"
        fields.append({
            "name": name, "label": spec.get("title") or name.replace("_", " ").capitalize(),
            "help": spec.get("description", ""), "widget": widget, "choices": spec.get("enum", []),
            "required": name in required, "value": _plain(data.get(name, "")),
            "error": problems.get(name, ""), "step": "any" if kind == "number" else "1",
        })  # fmt: skip
    return fields


def _now_context(**context):
    return {"now": timezone.localtime(), **context}


@login_required(login_url=LOGIN)
def apply_start(request, dir3_code: str, sia_code: str):
    entity = _entity(dir3_code)
    version = procedures.procedure_public_get(entity=entity, sia_code=sia_code)
    if version is None:
        raise Http404
    draft = services.draft_for(user=request.user, procedure=version.procedure)
    return redirect("sede:draft", draft_id=draft.pk)


def _draft(request, draft_id) -> ApplicationDraft:
    draft = (
        ApplicationDraft.objects.select_related("procedure", "entity")
        .filter(pk=draft_id, user=request.user)
        .first()
    )
    if draft is None:
        raise Http404
    return draft


@login_required(login_url=LOGIN)
def draft_page(request, draft_id):
    draft = _draft(request, draft_id)
    try:
        version = services.published_version(draft)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("sede:folder")
    problems: dict = {}
    if request.method == "POST":
        action = "remove" if request.POST.get("remove") else request.POST.get("action", "save")
        try:
            if action == "upload":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ApplicationError(_("Elija un fichero."), code="required")
                slot = request.POST.get("slot", "0")
                services.draft_attach(
                    draft=draft, slot=int(slot) if slot.isdigit() else -1,
                    name=upload.name, content=upload.read(),
                )  # fmt: skip
                if request.headers.get("X-Requested-With") == "fetch":
                    return JsonResponse({"ok": True})
            elif action == "remove":
                services.draft_save(draft=draft, values=request.POST)
                raw = request.POST.get("remove", "")
                services.draft_detach(draft=draft, attachment_id=int(raw) if raw.isdigit() else 0)
            else:
                services.draft_save(draft=draft, values=request.POST)
                for key, upload in request.FILES.items():  # without JavaScript: files come here
                    if key.startswith("slot-") and key[5:].isdigit():
                        services.draft_attach(
                            draft=draft, slot=int(key[5:]), name=upload.name, content=upload.read()
                        )
                if action == "review":
                    problems = services.draft_problems(draft)
                    if not problems:
                        return redirect("sede:draft-review", draft_id=draft.pk)
                    messages.error(request, _("Revise los datos marcados."))
                else:
                    messages.success(request, _("Borrador guardado. Puede seguir más tarde."))
                    return redirect("sede:draft", draft_id=draft.pk)
        except ApplicationError as exc:
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse(exc.as_dict(), status=exc.status)
            messages.error(request, exc.message)
            return redirect("sede:draft", draft_id=draft.pk)
        if action in ("upload", "remove"):
            return redirect("sede:draft", draft_id=draft.pk)
    options = citizens.acting_options(request.user, draft.entity, draft.procedure.sia_code)
    acting = next((p for p in options if p.id_number == draft.acting_for), None)
    documents = list(version.required_documents.all())
    files = list(draft.files.all())
    slots = [
        {"position": i, "name": d.name, "mandatory": d.mandatory, "formats": d.accepted_formats,
         "files": [f for f in files if f.slot == i], "error": problems.get(f"slot-{i}", "")}
        for i, d in enumerate(documents, start=1)
    ]  # fmt: skip
    slots.append({"position": 0, "name": _("Otros documentos"), "mandatory": False,
                  "formats": [], "files": [f for f in files if f.slot == 0], "error": ""})  # fmt: skip
    return render(
        request, "sede/apply.html",
        _now_context(
            entity=draft.entity, draft=draft, version=version, options=options,
            acting=acting, problems=problems, slots=slots,
            fields=form_fields(version.form_schema or {}, draft.form_data, problems),
            obliged=bool(acting and acting.obliged_electronic),
        ),
    )  # fmt: skip


@login_required(login_url=LOGIN)
def draft_review(request, draft_id):
    if request.method == "POST":  # the submission reads (and checks) the draft itself
        try:
            actor = Actor.sede(request.user, ip=client_ip(request))
            entry = services.application_submit(actor=actor, draft_id=draft_id)
        except NotFound as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("sede:draft", draft_id=draft_id)
        return redirect("sede:submitted", entry_id=entry.pk)
    draft = _draft(request, draft_id)
    try:
        version = services.published_version(draft)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("sede:folder")
    if services.draft_problems(draft):
        return redirect("sede:draft", draft_id=draft.pk)
    options = {p.id_number: p for p in citizens.acting_options(request.user, draft.entity)}
    fields = form_fields(version.form_schema or {}, draft.form_data, {})
    return render(
        request, "sede/apply_review.html",
        _now_context(entity=draft.entity, draft=draft, version=version, fields=fields,
                     acting=options.get(draft.acting_for), files=draft.files.all()),
    )  # fmt: skip


@login_required(login_url=LOGIN)
def submitted(request, entry_id):
    entry = citizens.my_submission(request.user, entry_id)
    if entry is None:
        raise Http404
    opening = entry.case_id is None and entry.opens_case
    return render(
        request, "sede/apply_done.html",
        _now_context(entity=entry.entity, entry=entry, case_opening=opening),
    )  # fmt: skip


@login_required(login_url=LOGIN)
def folder_home(request):
    user = request.user
    return render(
        request, "sede/folder_home.html",
        _now_context(
            submissions=citizens.my_submissions(user)[:50],
            cases=citizens.my_cases(user)[:50],
            drafts=ApplicationDraft.objects.filter(user=user).select_related("procedure"),
            representations=citizens.valid_representations(user),
            persons=citizens.my_persons(user),
        ),
    )  # fmt: skip


@login_required(login_url=LOGIN)
def folder_case(request, case_id):
    case = citizens.my_cases(request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if request.method == "POST":
        files = [AttachmentInput(f.name, f.read()) for f in request.FILES.getlist("files")]
        try:
            entry = services.correction_answer(
                actor=Actor.sede(request.user, ip=client_ip(request)), case=case,
                text=request.POST.get("text", ""), files=files,
            )  # fmt: skip
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Subsanación presentada con el asiento %(n)s.") % {"n": entry.registry_code},
            )
        return redirect("sede:folder-case", case_id=case.pk)
    from concejo.notifications.models import Notification

    notifications = Notification.objects.filter(case=case).select_related("document", "proof")
    mine = citizens.my_persons(request.user)
    notifications = notifications.filter(addressee__in=mine) | notifications.filter(
        representative__in=mine
    )
    origin_documents = list(case.origin_entry.attachments.all()) if case.origin_entry_id else []
    requirement = (
        case.events.filter(to_status="awaiting_correction").order_by("-created_at").first()
    )
    return render(
        request, "sede/folder_case.html",
        _now_context(case=case, notifications=notifications.distinct(),
                     origin_documents=origin_documents, requirement=requirement),
    )  # fmt: skip


@login_required(login_url=LOGIN)
def receipt(request, entry_id):
    from concejo.verification.http import issued_download

    entry = citizens.my_submission(request.user, entry_id)
    if entry is None or entry.receipt is None:
        raise Http404
    return issued_download(
        entry.receipt, f"justificante-{entry.registry_code.replace('/', '-')}.pdf"
    )


@require_POST
def demo_login(request):
    """The embedded mode's identity provider: enter as one of the demo citizens."""
    from django.conf import settings

    if not settings.DEMO_IDENTITY:
        raise Http404
    person = demo_people().filter(pk=request.POST.get("person") or None).first()
    if person is None:
        raise Http404
    user = get_user_model().objects.get(pk=person.user_id)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    target = request.POST.get("next") or "/carpeta/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/carpeta/"
    return redirect(target)
