import pytest

from concejo.audit.models import AuditEntry
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory, UnitFactory
from concejo.procedures import selectors, services
from concejo.procedures.models import Procedure, ProcedureVersion, VersionStatus
from concejo.procedures.tests.factories import content

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(council):
    return Actor(user=MembershipFactory(entity=council, role=Role.ADMINISTRATOR).user)


def test_create_makes_a_draft_that_the_public_does_not_see(admin, council):
    version = services.procedure_create(
        actor=admin, entity=council, sia_code="2045001", **content(council)
    )
    assert (version.number, version.status) == (1, VersionStatus.DRAFT)
    assert version.fees == [{"concept": "Tasa", "amount": "60.00"}]
    assert [d.accepted_formats for d in version.required_documents.all()] == [["jpg", "pdf"]]
    assert not selectors.procedure_catalog(entity=council).exists()


def test_publishing_freezes_and_editing_opens_a_new_draft(admin, council):
    v1 = services.procedure_create(
        actor=admin, entity=council, sia_code="2045001", **content(council)
    )
    services.procedure_publish(actor=admin, procedure=v1.procedure)
    v2 = services.procedure_update(actor=admin, procedure=v1.procedure, max_resolution_amount=2)
    assert (v2.number, v2.status, v2.max_resolution_amount) == (2, VersionStatus.DRAFT, 2)
    v1.refresh_from_db()
    assert (v1.status, v1.max_resolution_amount) == (VersionStatus.PUBLISHED, 3)
    assert [d.name for d in v2.required_documents.all()] == ["Presupuesto"]
    # A second edit changes the same draft, not a third version.
    again = services.procedure_update(
        actor=admin, procedure=v1.procedure, name="Licencia de obra menor (nueva)"
    )
    assert again.pk == v2.pk
    assert selectors.procedure_catalog(entity=council).get().number == 1
    services.procedure_publish(actor=admin, procedure=v1.procedure)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED
    public = selectors.procedure_catalog(entity=council).get()
    assert (public.number, public.name) == (2, "Licencia de obra menor (nueva)")
    actions = list(
        AuditEntry.objects.filter(action__startswith="procedures.").values_list("action", flat=True)
    )
    assert actions.count("procedures.procedure.publish") == 2


def test_withdrawn_procedures_leave_the_catalog_and_cannot_be_withdrawn_twice(admin, council):
    v1 = services.procedure_create(actor=admin, entity=council, sia_code="X1", **content(council))
    with pytest.raises(Conflict) as err:
        services.procedure_withdraw(actor=admin, procedure=v1.procedure)
    assert err.value.code == "not_published"
    services.procedure_publish(actor=admin, procedure=v1.procedure)
    services.procedure_withdraw(actor=admin, procedure=v1.procedure)
    assert not selectors.procedure_catalog(entity=council).exists()
    with pytest.raises(Conflict):
        services.procedure_publish(actor=admin, procedure=v1.procedure)
    # It can come back as a new version.
    services.procedure_update(actor=admin, procedure=v1.procedure, summary="De nuevo")
    assert services.procedure_publish(actor=admin, procedure=v1.procedure).number == 2


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"form_schema": {"type": "object", "properties": {"x": {"type": "texto"}}}}, "form_schema", "invalid_json_schema"),
        ({"form_schema": {"type": "string"}}, "form_schema", "invalid_json_schema"),
        ({"form_schema": "no es un esquema"}, "form_schema", "invalid_json_schema"),
        ({"max_resolution_amount": 10000, "max_resolution_unit": "years"}, "max_resolution_amount", "invalid_amount"),
        ({"max_resolution_amount": -1}, "max_resolution_amount", "invalid_amount"),
        ({"max_resolution_unit": "hours", "max_resolution_amount": 2}, "max_resolution_unit", "invalid_procedure"),
        ({"silence_effect": "quizás"}, "silence_effect", "invalid_procedure"),
        ({"audience": ["marcianos"]}, "audience", "invalid_procedure"),
        ({"fees": [{"concept": "Tasa", "amount": "gratis"}]}, "fees", "invalid_procedure"),
        ({"required_documents": [{"name": "Plano", "accepted_formats": ["exe"]}]}, "required_documents", "invalid_procedure"),
        ({"name": ""}, "name", "invalid_procedure"),
    ],
)  # fmt: skip
def test_bad_content_is_rejected_naming_the_field(admin, council, override, field, code):
    with pytest.raises(ValidationFailed) as err:
        services.procedure_create(
            actor=admin, entity=council, sia_code="X1", **content(council, **override)
        )
    assert err.value.code == code
    assert field in err.value.fields
    assert not Procedure.objects.exists()
    assert not ProcedureVersion.objects.exists()


def test_a_unit_of_another_entity_is_an_unknown_unit(admin, council, other_entity):
    with pytest.raises(ValidationFailed) as err:
        services.procedure_create(
            actor=admin, entity=council, sia_code="X1",
            **content(council, responsible_unit=UnitFactory(entity=other_entity)),
        )  # fmt: skip
    assert err.value.code == "unknown_unit"


def test_sia_codes_are_unique_per_entity(admin, council, other_entity):
    services.procedure_create(actor=admin, entity=council, sia_code="2045001", **content(council))
    with pytest.raises(ValidationFailed) as err:
        services.procedure_create(
            actor=admin, entity=council, sia_code="2045001", **content(council)
        )
    assert err.value.code == "duplicate_procedure"
    services.procedure_create(
        actor=Actor.system(), entity=other_entity, sia_code="2045001", **content(other_entity)
    )


def test_only_administrators_manage_the_catalog(council):
    handler = Actor(user=MembershipFactory(entity=council, role=Role.CASE_HANDLER).user)
    with pytest.raises(PermissionDenied):
        services.procedure_create(actor=handler, entity=council, sia_code="X1", **content(council))


def test_catalog_search_ignores_accents_and_case(admin, council):
    v = services.procedure_create(
        actor=admin, entity=council, sia_code="A", **content(council, name="Bonificación del IBI")
    )
    services.procedure_publish(actor=admin, procedure=v.procedure)
    w = services.procedure_create(
        actor=admin,
        entity=council,
        sia_code="B",
        **content(
            council,
            name="Tarjeta de residente",
            category="Movilidad",
            description="Aparcamiento ORA",
        ),
    )
    services.procedure_publish(actor=admin, procedure=w.procedure)
    assert [
        x.name for x in selectors.procedure_catalog(entity=council, query="bonificacion ibi")
    ] == ["Bonificación del IBI"]
    assert [x.name for x in selectors.procedure_catalog(entity=council, query="TARJETA")] == [
        "Tarjeta de residente"
    ]
    assert [x.name for x in selectors.procedure_catalog(entity=council, category="Movilidad")] == [
        "Tarjeta de residente"
    ]
    assert not selectors.procedure_catalog(entity=council, query="piscina").exists()


@pytest.mark.postgres_only
def test_postgres_search_uses_spanish_stemming(admin, council):
    v = services.procedure_create(
        actor=admin,
        entity=council,
        sia_code="A",
        **content(council, name="Licencia de obra menor", description="Obras de reforma"),
    )
    services.procedure_publish(actor=admin, procedure=v.procedure)
    # «licencias» and «obras» stem to the same lexemes as «licencia» and «obra».
    assert selectors.procedure_catalog(entity=council, query="licencias de obras").count() == 1
    assert selectors.procedure_catalog(entity=council, query="reformas").count() == 1
    assert selectors.procedure_catalog(entity=council, query="licencia -obra").count() == 0
