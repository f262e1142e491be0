"""Loads the Valladolid demo through the services; running it again changes nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from concejo.core.actors import Actor
from concejo.deadlines.models import LocalCalendar
from concejo.deadlines.services import local_calendar_set
from concejo.demo import catalog, data
from concejo.documents.models import DocumentTemplate
from concejo.documents.services import document_template_save
from concejo.organization import services as organization
from concejo.organization.models import Entity, Membership, Office, Unit
from concejo.people import services as people
from concejo.people.dates import add_years
from concejo.people.models import Person, Representation
from concejo.procedures import services as procedures
from concejo.procedures.models import Procedure

SYSTEM = Actor.system()


def _entity(spec: dict, parent: Entity | None = None) -> Entity:
    found = Entity.objects.filter(dir3_code=spec["dir3_code"]).first()
    return found or organization.entity_create(actor=SYSTEM, parent=parent, **spec)


def _units(entity: Entity, tree, parent: Unit | None, valid_from) -> None:
    for code, name, level, children in tree:
        unit = Unit.objects.filter(dir3_code=code).first() or organization.unit_create(
            actor=SYSTEM,
            entity=entity,
            name=name,
            dir3_code=code,
            level=level,
            parent=parent,
            valid_from=valid_from,
        )
        _units(entity, children, unit, valid_from)


def _user(username, first, last, entity, unit, role):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = organization.employee_create(
            actor=SYSTEM,
            username=username,
            password=data.DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.concejo.example",
            entity=entity,
            role=role,
            unit=unit,
        )
    elif not Membership.objects.filter(user=user, entity=entity, role=role).exists():
        organization.membership_grant(actor=SYSTEM, user=user, entity=entity, role=role, unit=unit)
    return user


@transaction.atomic
def seed_demo() -> dict[str, list[str]]:
    """Create what is missing; returns the demo accounts for printing."""
    valid_from = timezone.localdate().replace(month=1, day=1)
    council = _entity(data.COUNCIL)
    entities = {council.dir3_code: council}
    for spec in data.FOUNDATIONS:
        entities[spec["dir3_code"]] = _entity(spec, parent=council)
    _units(council, data.COUNCIL_UNITS, None, valid_from)
    for code, tree in data.FOUNDATION_UNITS.items():
        _units(entities[code], tree, None, valid_from)
    for code, unit_code in data.REGISTRY_UNITS.items():
        entity = entities[code]
        if entity.registry_unit_id is None:
            organization.entity_update(
                actor=SYSTEM,
                entity=entity,
                name=entity.name,
                short_name=entity.short_name,
                sede_title=entity.sede_title,
                primary_color=entity.primary_color,
                registry_unit=Unit.objects.get(dir3_code=unit_code),
            )
            entity.refresh_from_db()
    for code, offices in data.OFFICES.items():
        for spec in offices:
            if not Office.objects.filter(code=spec["code"]).exists():
                organization.office_create(actor=SYSTEM, entity=entities[code], **spec)

    accounts = {"empleados": [], "ciudadanos": []}
    admin = _user("admin", "Ana", "Administradora Sánchez", council, None, "administrator")
    if not admin.is_superuser:
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
    for username, first, last, code, unit_code, role in data.EMPLOYEES:
        unit = Unit.objects.get(dir3_code=unit_code) if unit_code else None
        _user(username, first, last, entities[code], unit, role)
        accounts["empleados"].append(f"{username} ({role}, {code})")

    for spec in data.CITIZENS:
        spec = dict(spec)
        username = spec.pop("username", None)
        person = Person.objects.filter(entity=council, id_number=spec["id_number"]).first()
        if person is None:
            person = people.person_create(actor=SYSTEM, entity=council, **spec)
        if username:
            name = person.first_name or person.business_name
            user = _user(username, name, person.last_name_1, council, None, "citizen")
            if person.user_id != user.pk:
                Person.objects.filter(pk=person.pk).update(user=user)
            accounts["ciudadanos"].append(f"{username} ({person.display_name})")

    today = timezone.localdate()
    for grantor_id, rep_id, scope, years in data.REPRESENTATIONS:
        grantor = Person.objects.get(entity=council, id_number=grantor_id)
        representative = Person.objects.get(entity=council, id_number=rep_id)
        if not Representation.objects.filter(
            grantor=grantor, representative=representative, revoked_at__isnull=True
        ).exists():
            people.representation_grant(
                actor=SYSTEM,
                entity=council,
                grantor=grantor,
                representative=representative,
                scope=scope,
                valid_from=today,
                valid_to=add_years(today, years),
            )
    for year in catalog.LOCAL_HOLIDAY_YEARS:
        if not LocalCalendar.objects.filter(municipality_ine="47186", year=year).exists():
            local_calendar_set(
                actor=SYSTEM,
                municipality_ine="47186",
                municipality_name="Valladolid",
                year=year,
                holidays=catalog.valladolid_holidays(year),
            )
    for entity in entities.values():
        _procedure(entity, catalog.GENERAL)
        _procedure(entity, catalog.DATA_RIGHTS)
    for spec in catalog.VALLADOLID:
        _procedure(council, spec)
    for entity in entities.values():
        for spec in catalog.TEMPLATES:
            if not DocumentTemplate.objects.filter(entity=entity, name=spec["name"]).exists():
                document_template_save(actor=SYSTEM, entity=entity, **spec)
    for entity in entities.values():
        if not entity.seal_certificate_path:
            _test_seal(entity)
    _registry_and_cases(council)
    from concejo.sectors.cleaning.demo import seed_cleaning

    seed_cleaning(council)
    from concejo.sectors.revenue.demo import seed_revenue

    seed_revenue(council, timezone.localdate())
    from concejo.privacy.demo import seed_privacy

    seed_privacy(council)
    return accounts


def _test_seal(entity: Entity) -> None:
    """Demo entities seal their documents with a test certificate (clearly named so)."""
    from pathlib import Path

    from django.conf import settings

    from concejo.signatures.pki import create_test_pki

    _ca, seal = create_test_pki(
        directory=Path(settings.DATA_DIR) / "pki" / entity.dir3_code,
        entity_name=entity.name,
        nif=entity.nif,
        password=settings.SEAL_PASSWORD,
    )
    organization.entity_seal_set(actor=SYSTEM, entity=entity, path=str(seal))


def _demo_pdf(title: str, text: str) -> bytes:
    from reportlab.platypus import Paragraph

    from concejo.core.pdf import BODY, TITLE, build_pdf

    return build_pdf(
        [Paragraph(title, TITLE), Paragraph(text, BODY)],
        title=title,
        author="Demo",
        footer=lambda canvas, doc: None,
    )


def _registry_and_cases(council: Entity) -> None:
    """A few filings and a case in progress, so that the desk and inbox show something."""
    from concejo.cases import services as cases
    from concejo.registry.attachments import AttachmentInput
    from concejo.registry.models import RegistryEntry
    from concejo.registry.services import registry_entry_file

    if RegistryEntry.objects.filter(entity=council).exists():
        return
    maria = {"id_type": "nif", "id_number": "12345678Z"}
    works = registry_entry_file(
        actor=SYSTEM,
        entity=council,
        interested_data=[maria],
        subject="Licencia de obra menor: reforma de cocina en calle Santiago, 10",
        expone="Que deseo reformar la cocina de mi vivienda sin afectar a la estructura.",
        solicita="Que se me conceda licencia de obra menor.",
        channel="sede",
        procedure=Procedure.objects.get(entity=council, sia_code="2045001"),
        attachments=[
            AttachmentInput(
                "presupuesto.pdf",
                _demo_pdf("Presupuesto", "Reforma de cocina: 4.800 euros (IVA incluido)."),
            )
        ],
    )
    registry_entry_file(
        actor=SYSTEM,
        entity=council,
        interested_data=[{"id_type": "nie", "id_number": "X1234567L"}],
        subject="Queja por el ruido de la recogida de contenedores de madrugada",
        expone="Que la recogida de contenedores en la calle Gamazo se hace a las 3:00.",
        solicita="Que se cambie el horario de recogida.",
        channel="sede",
        procedure=Procedure.objects.get(entity=council, sia_code="2045008"),
    )
    registry_entry_file(
        actor=SYSTEM,
        entity=council,
        interested_data=[{"id_type": "cif", "id_number": "B47123450"}],
        representative_data={"id_type": "nif", "id_number": "09876543K"},
        subject="Solicitud de ocupación de la vía pública con un contenedor de obra",
        expone="Que vamos a realizar obras en Paseo de Zorrilla, 100.",
        solicita="Autorización para un contenedor de 6 m² durante 10 días.",
        channel="office",
        office=Office.objects.filter(entity=council).first(),
        procedure=Procedure.objects.get(entity=council, sia_code="2045002"),
    )
    case = cases.case_open_from_entry(actor=SYSTEM, entry=works)
    case = cases.case_transition(actor=SYSTEM, case=case, to_status="in_progress")
    cases.task_create(
        actor=SYSTEM,
        case=case,
        title="Informe técnico de la obra",
        business_days=10,
        assigned_unit=case.responsible_unit,
    )
    _signature_waiting(council, case)
    _notified_case(council)


def _signature_waiting(council: Entity, case) -> None:
    """A proposal in the portafirmas: the unit head signs first, then the signing officer."""
    from django.contrib.auth import get_user_model

    from concejo.cases import services as cases
    from concejo.signatures.services import signature_request_create

    proposal = cases.case_document_upload(
        actor=SYSTEM, case=case, title="Propuesta de resolución: licencia de obra menor",
        file_name="propuesta-resolucion.pdf", document_type="TD01",
        content=_demo_pdf(
            "Propuesta de resolución",
            "Se propone conceder la licencia de obra menor para la reforma de cocina en "
            "calle Santiago, 10, conforme al informe técnico favorable.",
        ),
    )  # fmt: skip
    users = get_user_model().objects.filter(username__in=["jefe", "firmante"])
    by_name = {u.username: u for u in users}
    signature_request_create(
        actor=SYSTEM, entity=council, subject="Licencia de obra menor: propuesta de resolución",
        documents=[proposal], signers=[by_name["jefe"], by_name["firmante"]], case=case,
    )  # fmt: skip


def _procedure(entity: Entity, spec: dict) -> None:
    if Procedure.objects.filter(entity=entity, sia_code=spec["sia_code"]).exists():
        return
    values = dict(spec)
    unit_code = values.pop("unit")
    unit = (
        Unit.objects.get(dir3_code=unit_code)
        if unit_code
        else Unit.objects.filter(entity=entity, parent=None).order_by("dir3_code").first()
    )
    version = procedures.procedure_create(
        actor=SYSTEM, entity=entity, responsible_unit=unit, **values
    )
    procedures.procedure_publish(actor=SYSTEM, procedure=version.procedure)


def _notified_case(council: Entity) -> None:
    """A vado licence granted by a sealed resolution and notified to María García."""
    from concejo.cases import services as cases
    from concejo.documents.services import document_finalize
    from concejo.notifications.services import STANDARD_APPEALS, IssueRequest, notification_issue

    maria = Person.objects.get(entity=council, id_number="12345678Z")
    case = cases.case_open(
        actor=SYSTEM, entity=council, subject="Licencia de vado permanente en calle Santiago, 10",
        parties=[(maria, "applicant")], responsible_unit=Unit.objects.get(dir3_code="LA0007031"),
    )  # fmt: skip
    case = cases.case_transition(actor=SYSTEM, case=case, to_status="in_progress")
    resolution = cases.case_document_generate(
        actor=SYSTEM, case=case,
        template=DocumentTemplate.objects.get(entity=council, name="Resolución de concesión"),
        extra={"motivo": "el informe técnico es favorable y se ha abonado la tasa"},
    )  # fmt: skip
    resolution = document_finalize(actor=SYSTEM, document=resolution)
    cases.resolution_register(
        actor=SYSTEM, case=case, document=resolution,
        summary="Conceder licencia de vado permanente en calle Santiago, 10",
    )  # fmt: skip
    notification_issue(
        actor=SYSTEM,
        item=IssueRequest(
            case=case, document=resolution, addressee=maria,
            subject="Concesión de licencia de vado permanente", appeals=STANDARD_APPEALS,
            ends_administrative_route=True, appeal_amount=1, appeal_unit="months",
        ),
    )  # fmt: skip
