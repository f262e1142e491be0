import hashlib

import pytest

from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed
from concejo.documents import services
from concejo.documents.models import DocumentStatus
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.registry.tests.conftest import PDF, PNG, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler(council):
    return Actor(user=MembershipFactory(entity=council, role=Role.CASE_HANDLER).user)


def test_a_document_gets_eni_metadata_type_and_hash(handler, council):
    document = services.document_create(
        actor=handler, entity=council, title="Informe técnico", file_name="informe.pdf", content=PDF,
        document_type="TD13",
    )  # fmt: skip
    assert document.eni_identifier.startswith(f"ES_{council.dir3_code}_")
    assert len(document.eni_identifier.rsplit("_", 1)[1]) == 30
    assert (document.mime_type, document.sha256) == (
        "application/pdf",
        hashlib.sha256(PDF).hexdigest(),
    )
    assert (document.elaboration_state, document.origin, document.organs) == (
        "EE01",
        "administration",
        [council.dir3_code],
    )


def test_drafts_keep_their_versions_and_final_documents_never_change(handler, council):
    document = services.document_create(
        actor=handler,
        entity=council,
        title="Propuesta",
        file_name="propuesta.pdf",
        content=PDF,
        document_type="TD01",
    )
    document = services.document_replace_content(
        actor=handler, document=document, file_name="propuesta-v2.pdf", content=PDF + b"%v2"
    )
    assert document.version == 2
    assert [(v.version, v.sha256) for v in document.versions.all()] == [
        (1, hashlib.sha256(PDF).hexdigest())
    ]
    document = services.document_finalize(actor=handler, document=document)
    assert document.status == DocumentStatus.FINAL
    with pytest.raises(Conflict) as err:
        services.document_replace_content(
            actor=handler, document=document, file_name="x.pdf", content=PDF
        )
    assert err.value.code == "document_final"


def test_copies_need_their_origin_and_wrong_content_is_refused(handler, council, isolated_media):
    with pytest.raises(ValidationFailed) as err:
        services.document_create(
            actor=handler, entity=council, title="Copia", file_name="c.pdf", content=PDF,
            document_type="TD99", elaboration_state="EE02",
        )  # fmt: skip
    assert err.value.code == "required"
    with pytest.raises(ValidationFailed) as err:
        services.document_create(
            actor=handler,
            entity=council,
            title="Foto",
            file_name="foto.png",
            content=PDF,
            document_type="TD99",
        )
    assert err.value.code == "content_mismatch"
    assert stored_files(isolated_media) == []


def test_a_clerk_makes_an_authentic_copy_of_paper_with_its_own_csv(client, council, handler):
    clerk = Actor(user=MembershipFactory(entity=council, role=Role.REGISTRY_CLERK).user)
    with pytest.raises(PermissionDenied):
        services.authentic_copy_create(
            actor=handler,
            entity=council,
            title="Escritura",
            file_name="e.png",
            content=PNG,
            document_type="TD99",
        )
    copy = services.authentic_copy_create(
        actor=clerk, entity=council, title="Escritura de propiedad", file_name="escritura.png", content=PNG,
        document_type="TD99", paper_reference="Escritura n.º 123 del notario X",
    )  # fmt: skip
    assert (copy.elaboration_state, copy.status) == ("EE03", DocumentStatus.FINAL)
    metadata = client.get(f"/api/v1/csv/{copy.issued.display_code}").json()
    assert metadata["mime_type"] == "image/png"
    assert client.get(metadata["content_url"]).content == PNG
