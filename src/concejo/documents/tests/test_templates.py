import io

import pytest
from pypdf import PdfReader

from concejo.cases import services as cases
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, ValidationFailed
from concejo.demo.catalog import TEMPLATES
from concejo.documents.services import document_replace_content, document_template_save
from concejo.people.tests.factories import PersonFactory
from concejo.registry.tests.conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(council, registry_setup):
    person = PersonFactory(
        entity=council, first_name="María", last_name_1="García", id_number="12345678Z"
    )
    return cases.case_open(
        actor=Actor.system(), entity=council, subject="Licencia de obra menor en calle Santiago",
        parties=[(person, "applicant")], responsible_unit=registry_setup["licences"],
    )  # fmt: skip


def test_a_requirement_is_generated_with_the_case_data_its_csv_and_joins_the_index(
    case, council, client
):
    template = document_template_save(actor=Actor.system(), entity=council, **TEMPLATES[0])
    document = cases.case_document_generate(
        actor=Actor.system(), case=case, template=template, extra={"motivo": "falta el presupuesto"}
    )
    assert document.title == f"Requerimiento de subsanación · expediente {case.case_code}"
    assert (document.document_type, document.mime_type) == ("TD06", "application/pdf")
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(document.file.open("rb").read())).pages
    )
    flat = " ".join(text.split())
    for expected in (
        "María García",
        "12345678Z",
        "falta el presupuesto",
        "diez días hábiles",
        document.issued.display_code,
    ):
        assert expected in flat, expected
    assert case.index.get().document == document
    verified = client.get(f"/api/v1/csv/{document.issued.display_code}").json()
    assert verified["sha256"] == document.sha256
    with pytest.raises(Conflict) as err:
        document_replace_content(
            actor=Actor.system(), document=document, file_name="x.pdf", content=PDF
        )
    assert err.value.code == "document_issued"


def test_templates_are_checked_and_cannot_escape_their_context(council, case):
    with pytest.raises(ValidationFailed) as err:
        document_template_save(
            actor=Actor.system(), entity=council, name="Rota", document_type="TD01", title="T",
            body="{% if %}",
        )  # fmt: skip
    assert err.value.code == "invalid_template"
    with pytest.raises(ValidationFailed):
        document_template_save(
            actor=Actor.system(), entity=council, name="Carga", document_type="TD01", title="T",
            body="{% load static %}{% static 'x' %}",
        )  # fmt: skip
    sneaky = document_template_save(
        actor=Actor.system(), entity=council, name="Datos", document_type="TD11", title="T",
        body="{{ case.entity.memberships.all }} <script>alert(1)</script> {{ extra.motivo }}",
    )  # fmt: skip
    document = cases.case_document_generate(
        actor=Actor.system(), case=case, template=sneaky, extra={"motivo": "<b>x</b>"}
    )
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(document.file.open("rb").read())).pages
    )
    assert "<b>x</b>" in text  # shown as text, not taken as markup
    assert "QuerySet" not in text  # models are not reachable from a template
