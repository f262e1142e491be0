import base64
import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from lxml import etree
from stdnum.es import cif

from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed
from concejo.organization.models import Role
from concejo.organization.services import entity_update
from concejo.organization.tests.factories import MembershipFactory, UnitFactory
from concejo.people.models import IdType, Person, PersonKind
from concejo.people.services import representation_grant
from concejo.people.tests.factories import PersonFactory
from concejo.registry import services
from concejo.registry.attachments import AttachmentInput
from concejo.registry.models import RegistryEntry
from concejo.registry.sicres import entry_to_sicres, sicres_import, sicres_schema_path
from concejo.registry.tests.conftest import PDF, PNG, stored_files

pytestmark = pytest.mark.django_db


def official_schema() -> etree.XMLSchema:
    path = sicres_schema_path()
    if not path.is_file():
        pytest.skip(
            f"SICRES 3.0 schema not found at {path}: the official XSDs live in "
            "../shared/reference/xsd/sicres3 (outside the repository)"
        )
    return etree.XMLSchema(etree.parse(str(path)))


def valid_cif(n: int) -> str:
    digits = f"{4700000 + n:07d}"
    return next(
        "B" + digits + c
        for c in cif.calc_check_digits("B" + digits)
        if cif.is_valid("B" + digits + c)
    )


def texts(root, path: str) -> list[str]:
    return [node.text or "" for node in root.findall(path)]


@pytest.fixture
def clerk(council):
    return Actor(user=MembershipFactory(entity=council, role=Role.REGISTRY_CLERK).user)


@pytest.fixture
def neighbour(other_entity):
    """The receiving council, with its own general registry and a planning unit."""
    general = UnitFactory(entity=other_entity, dir3_code="LA0000091", name="Registro Vecino")
    planning = UnitFactory(entity=other_entity, dir3_code="LA0000092", name="Urbanismo")
    entity_update(
        actor=Actor.system(), entity=other_entity, name=other_entity.name, registry_unit=general
    )
    other_entity.refresh_from_db()
    clerk = Actor(user=MembershipFactory(entity=other_entity, role=Role.REGISTRY_CLERK).user)
    return {"entity": other_entity, "general": general, "planning": planning, "clerk": clerk}


@pytest.fixture
def parties(council):
    company = PersonFactory(
        entity=council, kind=PersonKind.LEGAL, id_type=IdType.CIF, id_number=valid_cif(1),
        business_name="Construcciones Pisuerga SL", first_name="", last_name_1="",
    )  # fmt: skip
    neighbour_person = PersonFactory(
        entity=council, first_name="Lucía", last_name_1="Martín", last_name_2="Sanz",
        address="Calle Santiago 1", postal_code="47001", municipality_ine="47186",
        phone="983 000 000",
    )  # fmt: skip
    agent = PersonFactory(entity=council, first_name="Andrés", last_name_1="Gestor")
    return {"company": company, "neighbour": neighbour_person, "agent": agent}


def grant(entity, grantor, representative, scope="entity"):
    today = timezone.localdate()
    return representation_grant(
        actor=Actor.system(), entity=entity, grantor=grantor, representative=representative,
        scope=scope, valid_from=today - dt.timedelta(days=365),
        valid_to=today + dt.timedelta(days=365),
    )  # fmt: skip


def file_entry(actor, entity, parties, **kw):
    values = {
        "subject": "Licencia de obra mayor en la calle Santiago",
        "interested": [parties["company"], parties["neighbour"]],
        "representative": parties["agent"],
        "channel": "office",
        "expone": "Que la empresa quiere reformar el edificio.",
        "solicita": "Licencia de obra mayor.",
        "attachments": [
            AttachmentInput("memoria.pdf", PDF, "authentic_copy"),
            AttachmentInput("plano.png", PNG),
        ],
    }
    values.update(kw)
    return services.registry_entry_create(actor=actor, entity=entity, **values)


def outgoing(clerk, council, parties, **kw):
    values = {
        "direction": "out",
        "destination_code": "L01478888",
        "destination_name": "Ayuntamiento Vecino",
    }
    values.update(kw)
    return file_entry(clerk, council, parties, **values)


def test_an_entry_exports_as_a_sicres_file_the_official_schema_accepts(
    clerk, council, registry_setup, parties
):
    schema = official_schema()
    grant(council, parties["company"], parties["agent"])
    entry = file_entry(clerk, council, parties, destination_unit=registry_setup["licences"])

    content = entry_to_sicres(entry)

    assert content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(content)
    schema.assertValid(root)
    filed = timezone.localtime(entry.filed_at).strftime("%Y%m%d%H%M%S")
    assert texts(root, "De_Origen_o_Remitente/*") == [
        "L01479999", "Ayuntamiento de Pruebas", entry.registry_code, filed,
    ]  # fmt: skip
    assert texts(root, "De_Destino/Codigo_Unidad_Tramitacion_Destino") == ["LA0000031"]
    assert texts(root, "De_Interesado/Tipo_Documento_Identificacion_Interesado") == ["C", "N"]
    assert texts(root, "De_Interesado/Documento_Identificacion_Interesado") == [
        parties["company"].id_number,
        parties["neighbour"].id_number,
    ]
    first, second = root.findall("De_Interesado")
    assert texts(first, "Razon_Social_Interesado") == ["Construcciones Pisuerga SL"]
    assert texts(first, "Documento_Identificacion_Representante") == [parties["agent"].id_number]
    assert texts(first, "Nombre_Representante") == ["Andrés"]
    assert second.find("Documento_Identificacion_Representante") is None
    assert texts(second, "Municipio_Interesado") == ["47186"]
    assert texts(second, "Codigo_Postal_Interesado") == ["47001"]
    assert texts(root, "De_Asunto/Resumen") == [entry.subject]
    assert texts(root, "De_Formulario_Generico/*") == [entry.expone, entry.solicita]
    exchange_id = f"L01479999_{entry.year % 100:02d}_0{entry.number:07d}"
    assert texts(root, "De_Internos_Control/Identificador_Intercambio") == [exchange_id]
    assert texts(root, "De_Internos_Control/Tipo_Registro") == ["0"]
    assert texts(root, "De_Internos_Control/Indicador_Prueba") == ["0"]
    annexes = root.findall("De_Anexo")
    assert [texts(a, "Nombre_Fichero_Anexado")[0] for a in annexes] == ["memoria.pdf", "plano.png"]
    assert [texts(a, "Validez_Documento")[0] for a in annexes] == ["02", "04"]
    assert [texts(a, "Identificador_Fichero")[0] for a in annexes] == [
        f"{exchange_id}_01_0001.pdf",
        f"{exchange_id}_01_0002.png",
    ]
    for annex, original in zip(annexes, (PDF, PNG), strict=True):
        assert base64.b64decode(texts(annex, "Anexo")[0]) == original
        assert base64.b64decode(texts(annex, "Hash")[0]) == hashlib.sha256(original).digest()


def test_long_values_are_cut_to_the_sicres_lengths_and_still_validate(
    clerk, council, registry_setup, parties
):
    schema = official_schema()
    long_name = PersonFactory(
        entity=council, first_name="María de las Mercedes Inmaculada Concepción"
    )
    entry = file_entry(
        clerk, council, parties, subject="Solicitud " + "muy larga " * 24, interested=[long_name],
        representative=None, attachments=[AttachmentInput("a" * 120 + ".pdf", PDF)],
        direction="out", destination_code="L01478888", destination_name="Vecino " * 20,
    )  # fmt: skip

    root = etree.fromstring(entry_to_sicres(entry, test=True))

    schema.assertValid(root)
    assert len(texts(root, "De_Asunto/Resumen")[0]) <= 240
    assert texts(root, "De_Interesado/Nombre_Interesado") == [long_name.first_name[:30].strip()]
    name = texts(root, "De_Anexo/Nombre_Fichero_Anexado")[0]
    assert len(name) == 80 and name.endswith(".pdf")
    assert texts(root, "De_Internos_Control/Tipo_Registro") == ["1"]
    assert texts(root, "De_Internos_Control/Indicador_Prueba") == ["1"]


def test_an_outgoing_entry_without_a_dir3_destination_cannot_be_sent(
    clerk, council, registry_setup, parties
):
    entry = outgoing(clerk, council, parties, destination_code="", representative=None)
    with pytest.raises(ValidationFailed) as err:
        entry_to_sicres(entry)
    assert err.value.code == "sicres_missing_destination"


def test_round_trip_from_one_council_to_another(
    clerk, council, registry_setup, parties, neighbour, isolated_media
):
    grant(council, parties["company"], parties["agent"])  # known only to the sender
    sent = outgoing(clerk, council, parties)

    received = sicres_import(
        actor=neighbour["clerk"], entity=neighbour["entity"], content=entry_to_sicres(sent)
    )

    received.refresh_from_db()
    assert received.entity == neighbour["entity"]
    assert (received.direction, received.channel) == ("in", "sir")
    assert received.subject == sent.subject
    assert (received.expone, received.solicita) == (sent.expone, sent.solicita)
    assert (received.origin_code, received.origin_name) == ("L01479999", "Ayuntamiento de Pruebas")
    assert received.destination_unit == neighbour["general"]  # addressed to the council itself
    people = [i.person for i in received.interested.order_by("position")]
    assert [p.id_number for p in people] == [
        parties["company"].id_number,
        parties["neighbour"].id_number,
    ]
    assert all(p.entity == neighbour["entity"] for p in people)
    assert people[1].municipality_ine == "47186"
    rows = list(received.attachments.values_list("name", "sha256", "validity"))
    assert rows == [
        ("memoria.pdf", hashlib.sha256(PDF).hexdigest(), "authentic_copy"),
        ("plano.png", hashlib.sha256(PNG).hexdigest(), "original"),
    ]
    sicres = received.form_data["sicres"]
    assert sicres["origin_registry_number"] == sent.registry_code
    assert sicres["exchange_id"].startswith("L01479999_")
    assert dt.datetime.fromisoformat(sicres["origin_filed_at"]) == sent.filed_at.replace(
        microsecond=0
    )
    # Without a power on record in the receiving council, the representative is noted only.
    assert received.representative is None
    assert sicres["representative"]["id_number"] == parties["agent"].id_number


def test_a_general_power_lets_the_receiver_keep_the_representative(
    clerk, council, registry_setup, parties, neighbour
):
    grant(council, parties["company"], parties["agent"], scope="general")
    sent = outgoing(clerk, council, parties)

    received = sicres_import(
        actor=neighbour["clerk"], entity=neighbour["entity"], content=entry_to_sicres(sent)
    )

    assert received.representative.id_number == parties["agent"].id_number
    assert received.representative.entity == neighbour["entity"]


def test_the_destination_unit_comes_from_its_dir3_code(
    clerk, council, registry_setup, parties, neighbour
):
    sent = outgoing(clerk, council, parties, destination_code="LA0000092", representative=None)
    received = sicres_import(
        actor=neighbour["clerk"], entity=neighbour["entity"], content=entry_to_sicres(sent)
    )
    assert received.destination_unit == neighbour["planning"]

    unknown = outgoing(clerk, council, parties, destination_code="LA9999999", representative=None)
    with pytest.raises(ValidationFailed) as err:
        sicres_import(
            actor=neighbour["clerk"], entity=neighbour["entity"], content=entry_to_sicres(unknown)
        )
    assert err.value.code == "unknown_unit"
    assert "destination_unit" in err.value.fields
    assert RegistryEntry.objects.filter(entity=neighbour["entity"]).count() == 1


def edited(content: bytes, path: str, value: str | None) -> bytes:
    """The file with one element's text changed (or the element removed when value is None)."""
    root = etree.fromstring(content)
    node = root.find(path)
    if value is None:
        node.getparent().remove(node)
    else:
        node.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_bad_files_are_refused_with_a_stable_code_and_leave_nothing_behind(
    clerk, council, registry_setup, parties, neighbour, isolated_media
):
    official_schema()
    content = entry_to_sicres(outgoing(clerk, council, parties, representative=None))
    files_before = stored_files(isolated_media)
    people_before = Person.objects.filter(entity=neighbour["entity"]).count()
    cases = [
        (b"esto no es un fichero XML", "invalid_sicres"),
        (b"<?xml version='1.0'?><Otro/>", "invalid_sicres"),
        (edited(content, "De_Internos_Control/Tipo_Registro", "E"), "invalid_sicres"),
        (edited(content, "De_Asunto", None), "invalid_sicres"),
        (edited(content, "De_Anexo/Nombre_Fichero_Anexado", "memoria.jpg"), "content_mismatch"),
        (
            edited(content, "De_Anexo/Hash", base64.b64encode(b"\x00" * 32).decode()),
            "attachment_hash_mismatch",
        ),
    ]
    for bad, code in cases:
        with pytest.raises(ValidationFailed) as err:
            sicres_import(actor=neighbour["clerk"], entity=neighbour["entity"], content=bad)
        assert err.value.code == code, bad[:200]
        if code == "invalid_sicres":
            assert "file" in err.value.fields
    assert not RegistryEntry.objects.filter(entity=neighbour["entity"]).exists()
    assert Person.objects.filter(entity=neighbour["entity"]).count() == people_before
    assert stored_files(isolated_media) == files_before


def test_a_file_with_an_entity_declaration_is_refused(neighbour):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaa">]>'
        b"<Fichero_Intercambio_SICRES_3>&a;</Fichero_Intercambio_SICRES_3>"
    )
    with pytest.raises(ValidationFailed) as err:
        sicres_import(actor=neighbour["clerk"], entity=neighbour["entity"], content=bomb)
    assert err.value.code == "invalid_sicres"


def test_the_same_exchange_is_registered_once(clerk, council, registry_setup, parties, neighbour):
    content = entry_to_sicres(outgoing(clerk, council, parties, representative=None))
    sicres_import(actor=neighbour["clerk"], entity=neighbour["entity"], content=content)
    with pytest.raises(Conflict) as err:
        sicres_import(actor=neighbour["clerk"], entity=neighbour["entity"], content=content)
    assert err.value.code == "duplicate_exchange"
    assert RegistryEntry.objects.filter(entity=neighbour["entity"]).count() == 1


def test_without_the_schema_files_are_still_parsed_strictly(
    clerk, council, registry_setup, parties, neighbour, settings, tmp_path
):
    settings.SICRES_XSD_DIR = tmp_path / "no-schema-here"
    assert not sicres_schema_path().exists()
    content = entry_to_sicres(outgoing(clerk, council, parties, representative=None))

    for bad in (b"<Fichero_Intercambio_SICRES_3>", edited(content, "De_Asunto", None)):
        with pytest.raises(ValidationFailed) as err:
            sicres_import(actor=neighbour["clerk"], entity=neighbour["entity"], content=bad)
        assert err.value.code == "invalid_sicres"

    received = sicres_import(actor=neighbour["clerk"], entity=neighbour["entity"], content=content)
    assert received.channel == "sir"


def test_only_registry_staff_import(clerk, council, registry_setup, parties, neighbour):
    content = entry_to_sicres(outgoing(clerk, council, parties, representative=None))
    handler = Actor(user=MembershipFactory(entity=neighbour["entity"], role=Role.CASE_HANDLER).user)
    with pytest.raises(PermissionDenied):
        sicres_import(actor=handler, entity=neighbour["entity"], content=content)
