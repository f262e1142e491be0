"""The employees' desk: home, the registry desk and the unit inbox."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from concejo.backoffice.desk import desk_sections
from concejo.backoffice.forms import AnnotationForm, MoveForm, RegistryDeskForm
from concejo.core.actors import Actor
from concejo.core.admin_forms import show_on_form
from concejo.core.errors import ApplicationError, PermissionDenied
from concejo.organization import selectors as organization
from concejo.organization.models import Role
from concejo.people.selectors import person_find
from concejo.people.services import PERSON_FIELDS
from concejo.procedures.selectors import procedure_catalog
from concejo.registry import selectors as registry
from concejo.registry import services as registry_services
from concejo.registry.attachments import AttachmentInput
from concejo.verification.services import document_content

PERSON_FORM_FIELDS = (
    "id_type",
    "id_number",
    *[
        f
        for f in PERSON_FIELDS
        if f not in ("country", "preferred_channel", "obliged_reason", "province")
    ],
)


@login_required
def home(request):
    memberships = organization.memberships_for_user(request.user)
    if not memberships.exists() and not request.user.is_superuser:
        return _denied(request)  # a citizen's account: the desk is for employees
    try:
        actor, entity = _entity(request)
    except Http404:  # an administrator of no entity yet
        actor, entity = None, None
    sections = desk_sections(actor=actor, entity=entity) if entity is not None else []
    return render(
        request,
        "backoffice/home.html",
        {"memberships": memberships, "entity": entity, "sections": sections},
    )


def _entity(request, *roles):
    """The entity the employee works in now (?entidad=DIR3 picks among several)."""
    actor = Actor.from_request(request)
    entities = organization.entities_for_actor(actor)
    code = request.GET.get("entidad") or request.POST.get("entidad")
    if code:
        request.session["desk_entity"] = code  # the choice stays for the next pages
    code = code or request.session.get("desk_entity")
    entity = (entities.filter(dir3_code=code) if code else entities).order_by("created_at").first()
    if entity is None and code:
        entity = entities.order_by("created_at").first()
    if entity is None:
        raise Http404
    if roles:
        organization.require_role(actor, entity, *roles)
    return actor, entity


def stay(request, name: str, **kwargs):
    """Redirect within the backoffice keeping the entity the employee works in."""
    url = reverse(name, kwargs=kwargs)
    entity = request.GET.get("entidad") or request.POST.get("entidad")
    return redirect(f"{url}?{urlencode({'entidad': entity})}" if entity else url)


def _denied(request):
    return render(request, "backoffice/denied.html", status=403)


@login_required
def registry_desk(request):
    try:
        actor, entity = _entity(request, Role.REGISTRY_CLERK)
    except PermissionDenied:
        return _denied(request)
    options = {
        "units": organization.unit_list(entity=entity).order_by("name"),
        "procedures": procedure_catalog(entity=entity).order_by("name"),
        "offices": organization.office_list(entity=entity),
    }
    if request.method == "POST":
        form = RegistryDeskForm(request.POST, request.FILES, **options)
        if form.is_valid():
            try:
                entry = _file(actor, entity, form.cleaned_data)
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(
                    request, _("Asiento %(c)s registrado.") % {"c": entry.registry_code}
                )
                return stay(request, "backoffice:registry-entry", entry_id=entry.pk)
    else:
        initial = {}
        found = person_find(entity=entity, id_number=request.GET.get("buscar", "")).first()
        if found is not None:
            initial = {f: getattr(found, f) for f in PERSON_FORM_FIELDS}
        elif request.GET.get("buscar"):
            messages.info(
                request, _("No hay ningún interesado con ese documento: rellene sus datos.")
            )
            initial = {"id_number": request.GET["buscar"]}
        form = RegistryDeskForm(initial=initial, **options)
    return render(request, "backoffice/registry_desk.html", {"form": form, "entity": entity})


def _file(actor, entity, data):
    from concejo.organization.models import Office
    from concejo.procedures.models import Procedure

    unit = (
        organization.unit_get_by_dir3(
            entity=entity, dir3_code=data["destination_unit"], field="destination_unit"
        )
        if data["destination_unit"]
        else None
    )
    return registry_services.registry_entry_file(
        actor=actor,
        entity=entity,
        interested_data=[{f: data.get(f, "") for f in PERSON_FORM_FIELDS}],
        subject=data["subject"],
        expone=data["expone"],
        solicita=data["solicita"],
        destination_unit=unit,
        channel="office",
        office=Office.objects.filter(entity=entity, code=data["office"]).first(),
        procedure=Procedure.objects.filter(entity=entity, sia_code=data["procedure"]).first()
        if data["procedure"]
        else None,
        attachments=[
            AttachmentInput(f.name, f.read(), data["validity"]) for f in data["attachments"]
        ],
    )


@login_required
def registry_entry(request, entry_id):
    actor, entity = _entity(request)
    try:
        entry = registry.registry_entry_get(
            actor=actor, entity=entity, entry_id=entry_id, purpose="backoffice"
        )
    except PermissionDenied:
        return _denied(request)
    except ApplicationError as exc:
        raise Http404 from exc
    annotation_form = AnnotationForm()
    if request.method == "POST":
        try:
            if "text" in request.POST:
                annotation_form = AnnotationForm(request.POST)
                if annotation_form.is_valid():
                    registry_services.registry_entry_annotate(
                        actor=actor, entry=entry, text=annotation_form.cleaned_data["text"]
                    )
                    messages.success(request, _("Anotación añadida."))
                    return stay(request, "backoffice:registry-entry", entry_id=entry.pk)
            else:
                _move(actor, entity, entry, MoveForm(request.POST))
                return stay(request, "backoffice:inbox")
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "backoffice/registry_entry.html",
        {
            "entry": entry,
            "entity": entity,
            "annotation_form": annotation_form,
            "units": organization.unit_list(entity=entity).order_by("name"),
            "can_annotate": organization.actor_has_role(actor, entity, [Role.REGISTRY_CLERK]),
        },
    )


def _move(actor, entity, entry, form: MoveForm) -> None:
    if not form.is_valid():
        raise ApplicationError(_("Acción no válida."), code="invalid")
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    if action == "accept":
        registry_services.registry_entry_accept(actor=actor, entry=entry)
    elif action == "forward":
        unit = organization.unit_get_by_dir3(
            entity=entity, dir3_code=form.cleaned_data["to_unit"], field="to_unit"
        )
        registry_services.registry_entry_forward(
            actor=actor, entry=entry, to_unit=unit, reason=reason
        )
    else:
        registry_services.registry_entry_return(actor=actor, entry=entry, reason=reason)


@login_required
def registry_receipt(request, entry_id):
    actor, entity = _entity(request)
    try:
        entry = registry.registry_entry_get(
            actor=actor, entity=entity, entry_id=entry_id, purpose="receipt"
        )
    except PermissionDenied:
        return _denied(request)
    except ApplicationError as exc:
        raise Http404 from exc
    response = HttpResponse(document_content(entry.receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="justificante-{entry.registry_code}.pdf"'
    return response


@login_required
def inbox(request):
    actor, entity = _entity(request)
    entries = registry.unit_inbox(actor=actor, entity=entity).order_by("filed_at", "id")[:200]
    return render(request, "backoffice/inbox.html", {"entries": entries, "entity": entity})
