"""SICRES 3.0 interchange files (SIR): export an entry, import one another registry sent.

The file is `Fichero_Intercambio_SICRES_3` (SICRES3_INTERCAMBIO_APL.xsd): no
namespace, seven segments in a fixed order. Every value is cut to the
schema's maximum length on export, so what we produce always validates.
Imports are parsed strictly (no DTD, no entities, no network) and validated
against the official schema when it is available (`SICRES_XSD_DIR`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import re
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from concejo.audit.services import audited_service
from concejo.core import filetypes
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, ValidationFailed, field_error
from concejo.organization.models import Entity, Office, Unit
from concejo.organization.selectors import require_role, unit_get_by_dir3
from concejo.people.models import Channel as PersonChannel
from concejo.people.models import IdType, Person, PersonKind
from concejo.people.selectors import representation_valid
from concejo.people.services import person_find_or_create
from concejo.registry.attachments import AttachmentInput
from concejo.registry.models import (
    Channel,
    Direction,
    RegistryAttachment,
    RegistryEntry,
    Validity,
)
from concejo.registry.services import REGISTRY_WRITERS, registry_entry_create

REPO_ROOT = Path(__file__).resolve().parents[3]
SCHEMA_FILE = "SICRES3_INTERCAMBIO_APL.xsd"
ROOT = "Fichero_Intercambio_SICRES_3"
DATE_FORMAT = "%Y%m%d%H%M%S"  # Fecha_Hora_Entrada: 14 digits, local (Spanish) time
SPAIN = "724"  # ISO 3166-1 numeric code of Spain, as SIR nodes use for Pais_*

# Identity document types: ours -> SICRES. SICRES also has "X" (other document
# of a natural person) and "O" (an administration's own code): we hold neither.
ID_TYPE_TO_SICRES = {IdType.NIF: "N", IdType.NIE: "E", IdType.PASSPORT: "P", IdType.CIF: "C"}
ID_TYPE_FROM_SICRES = {v: k for k, v in ID_TYPE_TO_SICRES.items()}

# Validez_Documento: 01 copy, 02 certified ("compulsada") copy, 03 "original
# copy", 04 original. An authentic copy (art. 27 Ley 39/2015) is the certified
# copy of older rules. On import, 03 is treated as an authentic copy, and a
# document without a stated validity as a simple copy: nothing is presumed original.
VALIDITY_TO_SICRES = {
    Validity.SIMPLE_COPY: "01",
    Validity.AUTHENTIC_COPY: "02",
    Validity.ORIGINAL: "04",
}
VALIDITY_FROM_SICRES = {
    "01": Validity.SIMPLE_COPY,
    "02": Validity.AUTHENTIC_COPY,
    "03": Validity.AUTHENTIC_COPY,
    "04": Validity.ORIGINAL,
}

# Fixed control values of what we send (required by the schema, not held per entry):
# Tipo_Anotacion: "02", a first sending ("01" pending, "03" resend, "04" rejection).
ANNOTATION_SEND = "02"
REGISTRY_TYPE = {Direction.IN: "0", Direction.OUT: "1"}  # Tipo_Registro (the schema allows 0/1)
NO_PHYSICAL_DOCUMENTS = "3"  # Documentacion_Fisica: the registry is electronic; paper is scanned
ATTACHED_DOCUMENT = "02"  # Tipo_Documento: a document attached to the form (01 form, 03 technical)
FILE_TYPE_CODE = "01"  # the <type> part of Identificador_Fichero
CHANNEL_POSTAL, CHANNEL_SEDE = "01", "03"  # Canal_Preferente_Comunicacion_*: postal / sede

# Digest length -> algorithm, to check a received Hash (SICRES does not fix the algorithm).
HASH_BY_LENGTH = {20: "sha1", 32: "sha256", 48: "sha384", 64: "sha512"}

# Element order of one De_Interesado (the schema's sequence).
PARTY_NAME_FIELDS = (
    "Tipo_Documento_Identificacion_{}",
    "Documento_Identificacion_{}",
    "Razon_Social_{}",
    "Nombre_{}",
    "Primer_Apellido_{}",
    "Segundo_Apellido_{}",
)
PARTY_CONTACT_FIELDS = (
    "Pais_{}",
    "Provincia_{}",
    "Municipio_{}",
    "Direccion_{}",
    "Codigo_Postal_{}",
    "Correo_Electronico_{}",
    "Telefono_Contacto_{}",
    "Direccion_Electronica_Habilitada_{}",
    "Canal_Preferente_Comunicacion_{}",
)
INTERESTED, REPRESENTATIVE = "Interesado", "Representante"

_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAX_EXCHANGE_NUMBER = 10_000_000  # seven digits after the direction digit
_SCHEMA_LOCK = threading.Lock()  # one XMLSchema object (and its error log) per validation


def sicres_schema_path() -> Path:
    configured = getattr(settings, "SICRES_XSD_DIR", None)
    folder = (
        Path(configured)
        if configured
        else REPO_ROOT.parent / "shared" / "reference" / "xsd" / "sicres3"
    )
    return folder / SCHEMA_FILE


def _parser() -> etree.XMLParser:
    # huge_tree: attachment contents are long base64 texts; entities stay unresolved.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


@functools.lru_cache(maxsize=4)
def _schema(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path, _parser()))


def _clean(value: Any) -> str:
    return _NOT_XML_CHARS.sub("", str(value or "")).strip()


def _cut(value: Any, length: int) -> str:
    return _clean(value)[:length].strip()


def _put(parent: etree._Element, name: str, value: str) -> etree._Element:
    node = etree.SubElement(parent, name)
    node.text = value
    return node


def _opt(parent: etree._Element, name: str, value: str | None) -> None:
    if value:
        _put(parent, name, value)


# --------------------------------------------------------------------------- export


def exchange_identifier(entry: RegistryEntry) -> str:
    """<registry entity code>_<YY>_<8 digits>, at most 33 characters.

    The schema only fixes the length; the shape is the one SIR nodes check.
    The sequence is our own entry number, after a digit for the direction
    (0 in, 1 out), so that incoming and outgoing entries of one year never
    share an identifier and exporting the same entry twice gives the same one.
    """
    if entry.number >= _MAX_EXCHANGE_NUMBER:
        raise Conflict(
            _("El número del asiento no cabe en un identificador de intercambio SICRES."),
            code="sicres_number_overflow",
        )
    direction_digit = REGISTRY_TYPE[entry.direction]
    return f"{entry.entity.dir3_code}_{entry.year % 100:02d}_{direction_digit}{entry.number:07d}"


def _id_document(person: Person, field: str) -> tuple[str, str]:
    code = ID_TYPE_TO_SICRES.get(person.id_type)
    number = _clean(person.id_number)
    if code is None or len(number) > 17:
        # Cutting an identifier would send somebody else's: refuse instead.
        raise field_error(
            field,
            _("El documento de %(name)s no se puede expresar en SICRES 3.0.")
            % {"name": person.display_name},
            code="sicres_unrepresentable",
        )
    return code, number


def _party_values(person: Person, role: str, field: str) -> tuple[dict, dict]:
    """(identity, contact) values of one person as interesado or representante."""
    code, number = _id_document(person, field)
    names: dict[str, str] = {
        f"Tipo_Documento_Identificacion_{role}": code,
        f"Documento_Identificacion_{role}": number,
    }
    if person.kind == PersonKind.LEGAL:
        names[f"Razon_Social_{role}"] = _cut(person.business_name, 80)
    else:
        names[f"Nombre_{role}"] = _cut(person.first_name, 30)
        names[f"Primer_Apellido_{role}"] = _cut(person.last_name_1, 30)
        names[f"Segundo_Apellido_{role}"] = _cut(person.last_name_2, 30)
    contact: dict[str, str] = {}
    ine = _clean(person.municipality_ine)
    if (person.country or "ES").upper() == "ES":
        contact[f"Pais_{role}"] = SPAIN
        if len(ine) == 5 and ine.isdigit():
            # The province is the first two digits of the municipality's INE code;
            # the municipality goes with its full five-digit code (what we hold).
            contact[f"Provincia_{role}"] = ine[:2]
            contact[f"Municipio_{role}"] = ine
    address = _cut(person.address, 160)
    contact[f"Direccion_{role}"] = address
    postal_code = _clean(person.postal_code)
    if len(postal_code) == 5 and postal_code.isdigit():
        contact[f"Codigo_Postal_{role}"] = postal_code
    email = _clean(person.email)
    if len(email) <= 160:  # a longer address is left out rather than cut
        contact[f"Correo_Electronico_{role}"] = email
    contact[f"Telefono_Contacto_{role}"] = _cut(person.phone, 20)
    if person.preferred_channel == PersonChannel.POSTAL:
        # SIR nodes ask for an address with a postal channel; without one, say nothing.
        contact[f"Canal_Preferente_Comunicacion_{role}"] = CHANNEL_POSTAL if address else ""
    else:
        contact[f"Canal_Preferente_Comunicacion_{role}"] = CHANNEL_SEDE
    return names, contact


def _add_interested(root, people: list[Person], representative: Person | None) -> None:
    for index, person in enumerate(people):
        names, contact = _party_values(person, INTERESTED, f"interested_parties.{index}")
        if index == 0 and representative is not None:
            rep_names, rep_contact = _party_values(representative, REPRESENTATIVE, "representative")
        else:
            rep_names, rep_contact = {}, {}
        segment = etree.SubElement(root, "De_Interesado")
        for template in PARTY_NAME_FIELDS:
            _opt(segment, template.format(INTERESTED), names.get(template.format(INTERESTED)))
        for template in PARTY_NAME_FIELDS:
            key = template.format(REPRESENTATIVE)
            _opt(segment, key, rep_names.get(key))
        for template in PARTY_CONTACT_FIELDS:
            _opt(segment, template.format(INTERESTED), contact.get(template.format(INTERESTED)))
        for template in PARTY_CONTACT_FIELDS:
            key = template.format(REPRESENTATIVE)
            _opt(segment, key, rep_contact.get(key))


def _attachment_name(name: str, extension: str) -> str:
    """Nombre_Fichero_Anexado admits 80 characters: shorten the stem, keep the extension."""
    name = _clean(name)
    if len(name) <= 80:
        return name
    suffix = f".{extension}" if extension else ""
    return name[: 80 - len(suffix)] + suffix


def _attachment_content(attachment: RegistryAttachment) -> bytes:
    with attachment.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != attachment.sha256:
        raise Conflict(
            _("El fichero del anexo «%(n)s» no coincide con su huella registrada.")
            % {"n": attachment.name},
            code="attachment_integrity",
        )
    return content


def _add_attachments(root, attachments: list[RegistryAttachment], exchange_id: str) -> None:
    for attachment in attachments:
        extension = filetypes.extension_of(attachment.name) or "bin"
        content = _attachment_content(attachment)
        segment = etree.SubElement(root, "De_Anexo")
        _put(segment, "Nombre_Fichero_Anexado", _attachment_name(attachment.name, extension))
        # <exchange id>_<type>_<4-digit sequence>.<extension>: at most 46 of the 50 allowed.
        _put(
            segment,
            "Identificador_Fichero",
            f"{exchange_id}_{FILE_TYPE_CODE}_{attachment.position:04d}.{extension[:4]}",
        )
        _opt(segment, "Validez_Documento", VALIDITY_TO_SICRES.get(attachment.validity))
        _put(segment, "Tipo_Documento", ATTACHED_DOCUMENT)
        _put(segment, "Hash", base64.b64encode(bytes.fromhex(attachment.sha256)).decode("ascii"))
        # Tipo_MIME admits 20 characters: office formats' long types are left out.
        _opt(segment, "Tipo_MIME", attachment.mime_type if len(attachment.mime_type) <= 20 else "")
        _put(segment, "Anexo", base64.b64encode(content).decode("ascii"))


def entry_to_sicres(entry: RegistryEntry, *, test: bool = False) -> bytes:
    """The entry as a SICRES 3.0 interchange file (UTF-8 XML with its declaration).

    `test` sets Indicador_Prueba, for exchanges with a SIR test node.
    """
    entity = entry.entity
    exchange_id = exchange_identifier(entry)
    zone = timezone.get_default_timezone()
    root = etree.Element(ROOT)

    origin = etree.SubElement(root, "De_Origen_o_Remitente")
    # The sending registry is the entity (its DIR3 code); SIR strictly names an
    # office (O...) here, which we would take from the office once offices are in DIR3.
    _put(origin, "Codigo_Entidad_Registral_Origen", _cut(entity.dir3_code, 21))
    _opt(origin, "Decodificacion_Entidad_Registral_Origen", _cut(entity.name, 80))
    _put(origin, "Numero_Registro_Entrada", _cut(entry.registry_code, 20))
    _put(
        origin, "Fecha_Hora_Entrada", timezone.localtime(entry.filed_at, zone).strftime(DATE_FORMAT)
    )

    destination = etree.SubElement(root, "De_Destino")
    if entry.direction == Direction.IN:
        # An entrada is addressed to one of our units: the registry is ours.
        _put(destination, "Codigo_Entidad_Registral_Destino", _cut(entity.dir3_code, 21))
        _opt(destination, "Decodificacion_Entidad_Registral_Destino", _cut(entity.name, 80))
        unit = entry.destination_unit
        if unit is not None:
            _put(destination, "Codigo_Unidad_Tramitacion_Destino", _cut(unit.dir3_code, 21))
            _opt(destination, "Decodificacion_Unidad_Tramitacion_Destino", _cut(unit.name, 80))
    else:
        code = _cut(entry.destination_code, 21)
        if not code:
            raise field_error(
                "destination_code",
                _("Para enviar la salida por SIR hace falta el código DIR3 del destino."),
                code="sicres_missing_destination",
            )
        name = _cut(entry.destination_name, 80)
        # We hold one DIR3 code for the addressee: it names both the registry that
        # receives and the unit that handles it (a unit code, as DIR3 gives for bodies).
        _put(destination, "Codigo_Entidad_Registral_Destino", code)
        _opt(destination, "Decodificacion_Entidad_Registral_Destino", name)
        _put(destination, "Codigo_Unidad_Tramitacion_Destino", code)
        _opt(destination, "Decodificacion_Unidad_Tramitacion_Destino", name)

    people = [i.person for i in entry.interested.select_related("person").order_by("position")]
    _add_interested(root, people, entry.representative)

    subject = etree.SubElement(root, "De_Asunto")
    _put(subject, "Resumen", _cut(entry.subject, 240))
    procedure = entry.procedure
    if entry.direction == Direction.IN and procedure is not None and len(procedure.sia_code) <= 16:
        _put(subject, "Codigo_Asunto_Segun_Destino", procedure.sia_code)

    _add_attachments(root, list(entry.attachments.order_by("position")), exchange_id)

    control = etree.SubElement(root, "De_Internos_Control")
    _opt(control, "Nombre_Usuario", _cut(entry.registered_by, 80))
    _put(control, "Identificador_Intercambio", exchange_id)
    _put(control, "Tipo_Anotacion", ANNOTATION_SEND)
    _put(control, "Tipo_Registro", REGISTRY_TYPE[entry.direction])
    _put(control, "Documentacion_Fisica", NO_PHYSICAL_DOCUMENTS)
    _put(control, "Indicador_Prueba", "1" if test else "0")
    # The registry where the exchange started: us, since we send the first annotation.
    _put(control, "Codigo_Entidad_Registral_Inicio", _cut(entity.dir3_code, 21))
    _opt(control, "Decodificacion_Entidad_Registral_Inicio", _cut(entity.name, 80))

    form = etree.SubElement(root, "De_Formulario_Generico")
    _put(form, "Expone", _cut(entry.expone, 4000))
    _put(form, "Solicita", _cut(entry.solicita, 4000))

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --------------------------------------------------------------------------- import


def _invalid(detail: str) -> ValidationFailed:
    message = _("El fichero no es un intercambio SICRES 3.0 válido.")
    return ValidationFailed(message, code="invalid_sicres", fields={"file": f"{message} {detail}"})


def _max_file_bytes() -> int:
    # Attachments travel in base64 (4/3) inside the XML, plus the rest of the file.
    return settings.REGISTRY_MAX_ENTRY_BYTES * 4 // 3 + 1024 * 1024


def _parse(content: bytes) -> etree._Element:
    if not isinstance(content, bytes | bytearray) or not content.strip():
        raise _invalid(_("Está vacío."))
    if len(content) > _max_file_bytes():
        raise ValidationFailed(
            _("El fichero de intercambio es demasiado grande."),
            code="entry_too_large",
            fields={"file": _("Demasiado tamaño en total.")},
        )
    if b"<!DOCTYPE" in content:
        # Refused before parsing: no entity of any kind is ever expanded.
        raise _invalid(_("No admite declaraciones DOCTYPE."))
    try:
        root = etree.fromstring(bytes(content), _parser())
    except etree.XMLSyntaxError as exc:
        raise _invalid(_("No es XML bien formado (%(e)s).") % {"e": exc.msg}) from exc
    if root.getroottree().docinfo.doctype:
        raise _invalid(_("No admite declaraciones DOCTYPE."))
    if root.tag != ROOT:
        raise _invalid(_("El elemento raíz debe ser %(root)s.") % {"root": ROOT})
    path = sicres_schema_path()
    if path.is_file():
        with _SCHEMA_LOCK:
            schema = _schema(str(path))
            error = None if schema.validate(root) else schema.error_log.last_error
        if error is not None:
            raise _invalid(
                _("No cumple el esquema (línea %(line)s: %(msg)s).")
                % {"line": error.line, "msg": error.message}
            )
    return root


def _text(parent: etree._Element | None, name: str) -> str:
    node = parent.find(name) if parent is not None else None
    return _clean(node.text) if node is not None else ""


def _raw(parent: etree._Element, name: str) -> str:
    """A base64 text as received, without whitespace (no other cleaning of megabytes)."""
    node = parent.find(name)
    return "".join((node.text or "").split()) if node is not None else ""


def _segment(root: etree._Element, name: str) -> etree._Element:
    node = root.find(name)
    if node is None:
        raise _invalid(_("Falta el segmento %(s)s.") % {"s": name})
    return node


def _required(parent: etree._Element, name: str) -> str:
    value = _text(parent, name)
    if not value:
        raise _invalid(_("Falta %(e)s.") % {"e": name})
    return value


def _origin_filed_at(value: str) -> dt.datetime:
    if len(value) != 14 or not value.isdigit():
        raise _invalid(_("Fecha_Hora_Entrada debe tener la forma AAAAMMDDHHMMSS."))
    try:
        naive = dt.datetime.strptime(value, DATE_FORMAT)  # local time, made aware below
    except ValueError as exc:
        raise _invalid(_("Fecha_Hora_Entrada no es una fecha válida.")) from exc
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _destination(entity: Entity, segment: etree._Element) -> tuple[Office | None, Unit | None]:
    """Our office and unit the file is addressed to; None means the general registry."""
    registral = _text(segment, "Codigo_Entidad_Registral_Destino").upper()
    unit_code = _text(segment, "Codigo_Unidad_Tramitacion_Destino").upper()
    office = Office.objects.filter(entity=entity, code=registral).first() if registral else None
    code = unit_code or ("" if office is not None else registral)
    if not code or code == entity.dir3_code.upper():
        return office, None
    return office, unit_get_by_dir3(entity=entity, dir3_code=code, field="destination_unit")


def _attachments(root: etree._Element) -> list[AttachmentInput]:
    inputs = []
    for index, segment in enumerate(root.findall("De_Anexo")):
        field = f"attachments.{index}"
        name = _text(segment, "Nombre_Fichero_Anexado")
        raw = _raw(segment, "Anexo")
        if not raw:
            raise field_error(
                field,
                _("El anexo «%(n)s» llega sin contenido.") % {"n": name},
                code="missing_attachment_content",
            )
        try:
            content = base64.b64decode(raw, validate=True)
            digest = base64.b64decode(_raw(segment, "Hash"), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _invalid(_("El anexo %(i)s no está en base64.") % {"i": index + 1}) from exc
        algorithm = HASH_BY_LENGTH.get(len(digest))
        if algorithm and hashlib.new(algorithm, content).digest() != digest:
            raise field_error(
                field,
                _("El contenido del anexo «%(n)s» no coincide con su huella.") % {"n": name},
                code="attachment_hash_mismatch",
            )
        validity = VALIDITY_FROM_SICRES.get(
            _text(segment, "Validez_Documento"), Validity.SIMPLE_COPY
        )
        inputs.append(AttachmentInput(name, content, validity))
    return inputs


def _phone(value: str) -> str:
    kept = "".join(c for c in value if c.isdigit() or c in "+ ").strip()
    return kept if any(c.isdigit() for c in kept) else ""


def _party_data(segment, role: str, field: str, discarded: list[dict]) -> dict | None:
    """Person data (as person_find_or_create takes it) of the interesado or representante."""
    code = _text(segment, f"Tipo_Documento_Identificacion_{role}").upper()
    number = _text(segment, f"Documento_Identificacion_{role}")
    if not code and not number:
        return None
    id_type = ID_TYPE_FROM_SICRES.get(code)
    if id_type is None:
        raise field_error(
            field,
            _("Tipo de documento «%(t)s» no admitido: se aceptan NIF, NIE, pasaporte y CIF.")
            % {"t": code},
            code="unsupported_id_type",
        )
    data: dict[str, str] = {
        "id_type": id_type,
        "id_number": number,
        "first_name": _text(segment, f"Nombre_{role}"),
        "last_name_1": _text(segment, f"Primer_Apellido_{role}"),
        "last_name_2": _text(segment, f"Segundo_Apellido_{role}"),
        "business_name": _text(segment, f"Razon_Social_{role}"),
        "address": _text(segment, f"Direccion_{role}"),
    }

    def keep(name: str, value: str, ok: bool) -> None:
        # Contact data our records would refuse is set aside, not a reason to reject the filing.
        if value and ok:
            data[name] = value
        elif value:
            discarded.append({"field": f"{field}.{name}", "value": value})

    postal_code = _text(segment, f"Codigo_Postal_{role}")
    keep("postal_code", postal_code, len(postal_code) == 5 and postal_code.isdigit())
    email = _text(segment, f"Correo_Electronico_{role}")
    try:
        validate_email(email)
        email_ok = True
    except DjangoValidationError:
        email_ok = False
    keep("email", email, email_ok)
    phone = _text(segment, f"Telefono_Contacto_{role}")
    keep("phone", _phone(phone) or phone, bool(_phone(phone)))
    country = _text(segment, f"Pais_{role}")
    keep("country", "ES" if country == SPAIN else country, country == SPAIN)
    province = _text(segment, f"Provincia_{role}")
    municipality = _text(segment, f"Municipio_{role}")
    if len(municipality) == 5 and municipality.isdigit():
        data["municipality_ine"] = municipality
    elif municipality.isdigit() and len(province) == 2 and province.isdigit():
        # A code within the province (3 digits, or 4 with a control digit).
        data["municipality_ine"] = province + municipality[:3].zfill(3)
    else:
        keep("municipality_ine", municipality, False)
    if id_type != IdType.CIF:  # legal persons are always electronic (art. 14.2)
        channel = _text(segment, f"Canal_Preferente_Comunicacion_{role}")
        if channel == CHANNEL_POSTAL:
            data["preferred_channel"] = PersonChannel.POSTAL
        elif channel:
            data["preferred_channel"] = PersonChannel.ELECTRONIC
    return data


def _person(actor: Actor, entity: Entity, data: dict, field: str) -> Person:
    try:
        return person_find_or_create(actor=actor, entity=entity, data=data)
    except ValidationFailed as exc:
        raise ValidationFailed(
            exc.message, code=exc.code, fields={f"{field}.{k}": v for k, v in exc.fields.items()}
        ) from exc


def _display(data: dict) -> str:
    if data["business_name"]:
        return data["business_name"]
    return " ".join(p for p in (data["first_name"], data["last_name_1"], data["last_name_2"]) if p)


@audited_service("registry.entry.sicres_import")
def sicres_import(*, actor: Actor, entity: Entity, content: bytes) -> RegistryEntry:
    """Record a SICRES 3.0 file received from another registry as an entrada (channel SIR).

    The sender's number, date and exchange identifier are kept in
    `form_data["sicres"]`; our entry gets its own number and the time of arrival.
    """
    require_role(actor, entity, *REGISTRY_WRITERS)
    root = _parse(content)
    origin = _segment(root, "De_Origen_o_Remitente")
    destination = _segment(root, "De_Destino")
    subject = _segment(root, "De_Asunto")
    control = _segment(root, "De_Internos_Control")
    form = _segment(root, "De_Formulario_Generico")
    parties = root.findall("De_Interesado")

    exchange_id = _required(control, "Identificador_Intercambio")
    origin_code = _required(origin, "Codigo_Entidad_Registral_Origen")
    origin_number = _required(origin, "Numero_Registro_Entrada")
    origin_filed_at = _origin_filed_at(_required(origin, "Fecha_Hora_Entrada"))
    if RegistryEntry.objects.filter(
        entity=entity, form_data__sicres__exchange_id=exchange_id
    ).exists():
        raise Conflict(
            _("El intercambio %(id)s ya está registrado.") % {"id": exchange_id},
            code="duplicate_exchange",
        )
    office, destination_unit = _destination(entity, destination)
    attachments = _attachments(root)

    discarded: list[dict] = []
    people_data = []
    for index, segment in enumerate(parties):
        field = f"interested_parties.{index}"
        data = _party_data(segment, INTERESTED, field, discarded)
        if data is None:
            raise field_error(
                field,
                _("El interesado %(n)s no tiene documento de identidad.") % {"n": index + 1},
                code="unsupported_interested",
            )
        people_data.append(data)
    if not people_data:
        raise field_error(
            "interested_parties", _("Indique al menos un interesado."), code="missing_interested"
        )
    try:
        representative_data = _party_data(parties[0], REPRESENTATIVE, "representative", discarded)
        unsupported_representative = ""
    except ValidationFailed:  # a document type we cannot hold: noted below, not refused
        representative_data = None
        unsupported_representative = _text(parties[0], "Documento_Identificacion_Representante")
    for index, segment in enumerate(parties[1:], 1):
        # One representative per entry: those of later interesados are only recorded.
        other = _text(segment, "Documento_Identificacion_Representante")
        if other:
            discarded.append(
                {"field": f"interested_parties.{index}.representative", "value": other}
            )

    interested = [
        _person(actor, entity, data, f"interested_parties.{i}")
        for i, data in enumerate(people_data)
    ]
    sicres: dict[str, Any] = {
        "exchange_id": exchange_id,
        "origin_registry_number": origin_number,
        "origin_filed_at": origin_filed_at.isoformat(),
        "origin_unit_code": _text(origin, "Codigo_Unidad_Tramitacion_Origen"),
        "origin_unit_name": _text(origin, "Decodificacion_Unidad_Tramitacion_Origen"),
        "origin_direction": Direction.OUT
        if _text(control, "Tipo_Registro") == REGISTRY_TYPE[Direction.OUT]
        else Direction.IN,
        "initial_registry_code": _text(control, "Codigo_Entidad_Registral_Inicio"),
        "annotation_type": _text(control, "Tipo_Anotacion"),
        "test": _text(control, "Indicador_Prueba") == "1",
        "subject_code": _text(subject, "Codigo_Asunto_Segun_Destino"),
        "external_reference": _text(subject, "Referencia_Externa"),
        "case_number": _text(subject, "Numero_Expediente"),
    }
    representative = None
    if representative_data is not None:
        power = representation_valid(
            representative_id_number=representative_data["id_number"],
            grantor_id_number=interested[0].id_number,
            entity=entity,
        )
        if power is not None:
            representative = _person(actor, entity, representative_data, "representative")
        else:
            # The power was checked by the sender; without one on record here the
            # entry is still registered (art. 16 Ley 39/2015) and the representative noted.
            sicres["representative"] = {
                "id_type": representative_data["id_type"],
                "id_number": representative_data["id_number"],
                "name": _display(representative_data),
                "verified": False,
            }
    if unsupported_representative:
        sicres["representative"] = {
            "id_type": _text(parties[0], "Tipo_Documento_Identificacion_Representante"),
            "id_number": unsupported_representative,
            "verified": False,
        }
    if discarded:
        sicres["discarded"] = discarded

    return registry_entry_create(
        actor=actor,
        entity=entity,
        direction=Direction.IN,
        channel=Channel.SIR,
        subject=_text(subject, "Resumen"),
        interested=interested,
        representative=representative,
        destination_unit=destination_unit,
        office=office,
        origin_code=origin_code[:21],
        origin_name=_text(origin, "Decodificacion_Entidad_Registral_Origen")[:250],
        expone=_text(form, "Expone"),
        solicita=_text(form, "Solicita"),
        attachments=attachments,
        form_data={"sicres": sicres},
    )
