"""ENI interchange of case files (NTI de Expediente electrónico and Documento electrónico).

A bundle is a zip with `expediente.xml` (the index, its signature and the case's
metadata) and one `documentos/<identifier>.xml` per document, each carrying its
content in base64. The index signature is a detached CMS (CAdES, TF04) made with
the entity's seal over the exclusive canonical form of the IndiceContenido
element; ValorHuella is the base64 SHA-256 of each document's content.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from lxml import etree

from concejo.audit.services import audit_chain_lock_and_number, audit_record, audited_service
from concejo.cases.models import (
    Case,
    CaseCounter,
    CaseDocument,
    CaseEvent,
    CaseParty,
    CaseStatus,
    EniState,
    Initiation,
    PartyRole,
)
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, ValidationFailed
from concejo.core.filetypes import extension_for
from concejo.core.sync import run_sync
from concejo.documents.models import Document, DocumentStatus, Origin
from concejo.documents.services import document_content, document_create, document_verify
from concejo.organization.models import Entity, Unit
from concejo.organization.selectors import require_role

logger = logging.getLogger(__name__)

BASE = "http://administracionelectronica.gob.es/ENI/XSD/v1.0/"
NS = {
    "eniexp": BASE + "expediente-e",
    "eniexpind": BASE + "expediente-e/indice-e",
    "eniconexpind": BASE + "expediente-e/indice-e/contenido",
    "eniexpmeta": BASE + "expediente-e/metadatos",
    "enids": BASE + "firma",
    "enidoc": BASE + "documento-e",
    "enifile": BASE + "documento-e/contenido",
    "enidocmeta": BASE + "documento-e/metadatos",
}
INDEX_ID = "INDICE_CONTENIDO"
HASH_FUNCTION = "SHA256"
CSV_REGULATION = "Ley 40/2015, art. 42; Real Decreto 203/2021, art. 20"
MAX_BUNDLE_BYTES = 1024 * 1024 * 1024  # uncompressed
MAX_MEMBERS = 5000
EXPORTABLE = {EniState.CLOSED, EniState.INDEX_CLOSED}
CASE_IMPORTERS = ("case_handler", "unit_head", "registry_clerk")


def _el(parent, prefix: str, name: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", **attrs)
    if text is not None:
        element.text = text
    return element


def _when(value: dt.datetime) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _huella(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


def _moment(text: str | None) -> dt.datetime | None:
    try:
        return parse_datetime(text) if text else None
    except ValueError as exc:
        raise _bad(_("Fecha no válida: %(t)s") % {"t": text[:40]}, "invalid_xml") from exc


def _bad(message: str, code: str, detail: str = "") -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={"bundle": detail or message})


# --- export ------------------------------------------------------------------


def _document_xml(document: Document, content: bytes, signed: bool) -> bytes:
    root = etree.Element(f"{{{NS['enidoc']}}}documento", nsmap=NS, Id=f"DOC_{document.pk.hex}")
    contenido = _el(root, "enifile", "contenido", Id=f"CONTENIDO_{document.pk.hex}")
    _el(contenido, "enifile", "ValorBinario", base64.b64encode(content).decode())
    _el(contenido, "enifile", "NombreFormato", extension_for(document.mime_type).upper())
    meta = _el(root, "enidocmeta", "metadatos")
    _el(meta, "enidocmeta", "VersionNTI", NS["enidoc"])
    _el(meta, "enidocmeta", "Identificador", document.eni_identifier)
    for organ in document.organs or [document.entity.dir3_code]:
        _el(meta, "enidocmeta", "Organo", organ)
    _el(meta, "enidocmeta", "FechaCaptura", _when(document.captured_at))
    _el(
        meta, "enidocmeta", "OrigenCiudadanoAdministracion",
        "true" if document.origin == Origin.ADMINISTRATION else "false",
    )  # fmt: skip
    state = _el(meta, "enidocmeta", "EstadoElaboracion")
    _el(state, "enidocmeta", "ValorEstadoElaboracion", document.elaboration_state)
    if document.origin_document:
        _el(state, "enidocmeta", "IdentificadorDocumentoOrigen", document.origin_document)
    _el(meta, "enidocmeta", "TipoDocumental", document.document_type)
    if signed or document.issued_id:
        firmas = _el(root, "enids", "firmas")
        if signed:  # PAdES: the signatures travel inside the content
            firma = _el(firmas, "enids", "firma", ref=f"#CONTENIDO_{document.pk.hex}")
            _el(firma, "enids", "TipoFirma", "TF06")
            con_cert = _el(_el(firma, "enids", "ContenidoFirma"), "enids", "FirmaConCertificado")
            _el(con_cert, "enids", "ReferenciaFirma", f"#CONTENIDO_{document.pk.hex}")
        if document.issued_id:
            firma = _el(firmas, "enids", "firma")
            _el(firma, "enids", "TipoFirma", "TF01")
            csv = _el(_el(firma, "enids", "ContenidoFirma"), "enids", "CSV")
            _el(csv, "enids", "ValorCSV", document.issued.csv_code)
            _el(csv, "enids", "RegulacionGeneracionCSV", CSV_REGULATION)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _index_signature(entity: Entity, data: bytes) -> bytes:
    from concejo.signatures.seal import seal_signer

    signer = seal_signer(entity)
    if signer is None:
        raise Conflict(
            _("La entidad no tiene certificado de sello: no se puede firmar el índice."),
            code="seal_required",
        )
    signed = run_sync(signer.async_sign_general_data(data, "sha256", detached=True))
    return signed.dump()


@audited_service("cases.case.eni_export")
def case_eni_export(*, actor: Actor, case: Case) -> bytes:
    """The ENI bundle (zip) of a closed case, its index signed with the entity's seal."""
    from concejo.signatures.models import DocumentSignature

    require_role(actor, case.entity, "case_handler", "unit_head", "auditor")
    if case.eni_state not in EXPORTABLE:
        raise Conflict(
            _("Solo se exporta un expediente cerrado (su índice ya no cambia)."),
            code="case_not_closed",
        )
    lines = list(case.index.select_related("document", "document__issued", "document__entity"))
    signed = set(
        DocumentSignature.objects.filter(document__in=[line.document for line in lines])
        .values_list("document_id", flat=True)
    )  # fmt: skip
    root = etree.Element(f"{{{NS['eniexp']}}}expediente", nsmap=NS, Id="EXPEDIENTE")
    indice = _el(root, "eniexpind", "indice", Id="INDICE")
    contenido = _el(indice, "eniexpind", "IndiceContenido", Id=INDEX_ID)
    _el(contenido, "eniconexpind", "FechaIndiceElectronico", _when(case.index_closed_at))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for line in lines:
            document = line.document
            document_verify(document=document)
            if document.sha256 != line.sha256:
                raise Conflict(
                    _("El documento %(n)s no coincide con el índice.") % {"n": line.position},
                    code="hash_mismatch",
                )
            content = document_content(document)
            entry = _el(contenido, "eniconexpind", "DocumentoIndizado")
            _el(entry, "eniconexpind", "IdentificadorDocumento", document.eni_identifier)
            _el(entry, "eniconexpind", "ValorHuella", _huella(line.sha256))
            _el(entry, "eniconexpind", "FuncionResumen", HASH_FUNCTION)
            _el(entry, "eniconexpind", "FechaIncorporacionExpediente", _when(line.added_at))
            _el(entry, "eniconexpind", "OrdenDocumentoExpediente", str(line.position))
            bundle.writestr(
                f"documentos/{document.eni_identifier}.xml",
                _document_xml(document, content, document.pk in signed),
            )
        signature = _index_signature(
            case.entity, etree.tostring(contenido, method="c14n", exclusive=True)
        )
        firma = _el(_el(indice, "enids", "firmas"), "enids", "firma", ref=f"#{INDEX_ID}")
        _el(firma, "enids", "TipoFirma", "TF04")
        con_cert = _el(_el(firma, "enids", "ContenidoFirma"), "enids", "FirmaConCertificado")
        _el(con_cert, "enids", "FirmaBase64", base64.b64encode(signature).decode())
        meta = _el(root, "eniexpmeta", "metadatosExp")
        _el(meta, "eniexpmeta", "VersionNTI", NS["eniexp"])
        _el(meta, "eniexpmeta", "Identificador", case.eni_identifier)
        _el(meta, "eniexpmeta", "Organo", case.responsible_unit.dir3_code)
        _el(meta, "eniexpmeta", "FechaAperturaExpediente", _when(case.started_at))
        _el(meta, "eniexpmeta", "Clasificacion", case.classification or case.case_code)
        _el(meta, "eniexpmeta", "Estado", case.eni_state)
        for party in case.parties.select_related("person"):
            _el(meta, "eniexpmeta", "Interesado", party.person.id_number)
        bundle.writestr(
            "expediente.xml", etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        )
    audit_record(actor=actor, action="cases.case.eni_export", entity=case.entity, target=case)
    CaseEvent.objects.create(
        case=case, kind="eni_export", author=actor.label,
        detail=_("Exportado en formato ENI con %(n)d documentos") % {"n": len(lines)},
    )  # fmt: skip
    return out.getvalue()


# --- import ------------------------------------------------------------------


@lru_cache(maxsize=4)
def _schema(directory: str, name: str) -> etree.XMLSchema | None:
    path = Path(directory) / name
    if not path.exists():
        return None
    return etree.XMLSchema(etree.parse(str(path)))


def _validated(data: bytes, name: str, schema_file: str) -> etree._Element:
    try:
        root = etree.fromstring(
            data, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as exc:
        raise _bad(
            _("%(n)s no es XML bien formado.") % {"n": name}, "invalid_xml", str(exc)
        ) from exc
    schema = _schema(settings.ENI_XSD_DIR, schema_file)
    if schema is None:
        logger.warning(
            "ENI schemas not found in %s: %s checked for structure only", settings.ENI_XSD_DIR, name
        )
    elif not schema.validate(root):
        error = schema.error_log.last_error
        raise _bad(
            _("%(n)s no cumple el esquema ENI.") % {"n": name},
            "eni_schema_invalid",
            f"{name}:{error.line}: {error.message}" if error else name,
        )
    return root


def _text(element, path: str, name: str) -> str:
    found = element.find(path, NS) if element is not None else None
    if found is None or not (found.text or "").strip():
        raise _bad(_("Falta %(p)s en %(n)s.") % {"p": path, "n": name}, "eni_incomplete")
    return found.text.strip()


@dataclass
class _Incoming:
    identifier: str
    sha256: str
    position: int
    added_at: dt.datetime | None
    content: bytes
    metadata: etree._Element
    file_format: str


def _read_bundle(raw: bytes) -> zipfile.ZipFile:
    try:
        bundle = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise _bad(_("El fichero no es un paquete ENI (zip)."), "invalid_bundle") from exc
    members = bundle.infolist()
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_BUNDLE_BYTES:
        raise _bad(_("El paquete es demasiado grande."), "bundle_too_large")
    if "expediente.xml" not in bundle.namelist():
        raise _bad(_("Falta expediente.xml en el paquete."), "eni_incomplete")
    return bundle


def _check_index_signature(root) -> str:
    """The index signature must be intact; returns who signed it (and whether we trust them)."""
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko_certvalidator import ValidationContext

    from concejo.signatures.verify import trust_roots

    contenido = root.find("eniexpind:indice/eniexpind:IndiceContenido", NS)
    signature = root.find(
        "eniexpind:indice/enids:firmas/enids:firma/enids:ContenidoFirma/"
        "enids:FirmaConCertificado/enids:FirmaBase64", NS,
    )  # fmt: skip
    if contenido is None or signature is None or not (signature.text or "").strip():
        raise _bad(_("El índice no tiene firma con certificado."), "index_signature_invalid")
    try:
        signed = cms.ContentInfo.load(base64.b64decode(signature.text, validate=False))["content"]
        status = run_sync(
            async_validate_detached_cms(
                etree.tostring(contenido, method="c14n", exclusive=True), signed,
                signer_validation_context=ValidationContext(
                    trust_roots=trust_roots(), allow_fetching=False
                ),
            )
        )  # fmt: skip
    except (ValueError, TypeError, KeyError, binascii.Error) as exc:
        raise _bad(_("La firma del índice no se puede leer."), "index_signature_invalid") from exc
    if not status.intact:
        raise _bad(
            _("La firma del índice no corresponde a su contenido: el índice fue alterado."),
            "index_signature_invalid",
        )
    subject = status.signing_cert.subject.human_friendly if status.signing_cert else "?"
    return subject + ("" if status.trusted else _(" (certificado no reconocido)"))


def _incoming_documents(bundle: zipfile.ZipFile, root) -> list[_Incoming]:
    documents = []
    entries = root.findall(
        "eniexpind:indice/eniexpind:IndiceContenido/eniconexpind:DocumentoIndizado", NS
    )
    for number, entry in enumerate(entries, start=1):
        identifier = _text(entry, "eniconexpind:IdentificadorDocumento", "expediente.xml")
        name = f"documentos/{identifier}.xml"
        if name not in bundle.namelist():
            raise _bad(
                _("Falta el documento %(i)s en el paquete.") % {"i": identifier}, "eni_incomplete"
            )
        if (
            _text(entry, "eniconexpind:FuncionResumen", "expediente.xml").upper().replace("-", "")
            != HASH_FUNCTION
        ):
            raise _bad(
                _("Función resumen no admitida en %(i)s.") % {"i": identifier}, "eni_unsupported"
            )
        try:
            expected = base64.b64decode(
                _text(entry, "eniconexpind:ValorHuella", "expediente.xml"), validate=True
            ).hex()
        except binascii.Error as exc:
            raise _bad(
                _("ValorHuella no válido en %(i)s.") % {"i": identifier}, "hash_mismatch"
            ) from exc
        doc_root = _validated(bundle.read(name), name, "documentoEni.xsd")
        binary = doc_root.find("enifile:contenido/enifile:ValorBinario", NS)
        if binary is None:
            raise _bad(_("%(n)s no lleva su contenido en base64.") % {"n": name}, "eni_unsupported")
        try:
            content = base64.b64decode(binary.text or "", validate=True)
        except binascii.Error as exc:
            raise _bad(
                _("El contenido de %(n)s no es base64 válido.") % {"n": name}, "invalid_xml"
            ) from exc
        if hashlib.sha256(content).hexdigest() != expected:
            raise _bad(
                _("La huella del documento %(i)s no coincide con el índice.") % {"i": identifier},
                "hash_mismatch",
            )
        metadata = doc_root.find("enidocmeta:metadatos", NS)
        if metadata is None or metadata.find("enidocmeta:EstadoElaboracion", NS) is None:
            raise _bad(_("Faltan metadatos ENI en %(n)s.") % {"n": name}, "eni_incomplete")
        if _text(metadata, "enidocmeta:Identificador", name) != identifier:
            raise _bad(
                _("%(n)s no es el documento que indica el índice.") % {"n": name}, "eni_incomplete"
            )
        order = entry.findtext("eniconexpind:OrdenDocumentoExpediente", namespaces=NS) or ""
        added = entry.findtext("eniconexpind:FechaIncorporacionExpediente", namespaces=NS)
        documents.append(
            _Incoming(
                identifier=identifier, sha256=expected,
                position=int(order) if order.strip().isdigit() else number,
                added_at=_moment(added), content=content,
                metadata=metadata, file_format=doc_root.findtext("enifile:contenido/enifile:NombreFormato", namespaces=NS) or "bin",
            )
        )  # fmt: skip
    if len({d.position for d in documents}) != len(documents):
        raise _bad(_("El índice repite un número de orden."), "eni_incomplete")
    return documents


def _store_documents(actor, entity, case, incoming: list[_Incoming], stored: list[str]) -> None:
    for item in sorted(incoming, key=lambda d: d.position):
        metadata = item.metadata
        state_el = metadata.find("enidocmeta:EstadoElaboracion", NS)
        captured = _moment(_text(metadata, "enidocmeta:FechaCaptura", item.identifier))
        document = document_create(
            actor=actor, entity=entity, title=item.identifier,
            file_name=f"{item.identifier}.{item.file_format.lower()}", content=item.content,
            document_type=_text(metadata, "enidocmeta:TipoDocumental", item.identifier),
            origin=Origin.ADMINISTRATION
            if metadata.findtext("enidocmeta:OrigenCiudadanoAdministracion", namespaces=NS) in ("true", "1")
            else Origin.CITIZEN,
            elaboration_state=state_el.findtext("enidocmeta:ValorEstadoElaboracion", namespaces=NS),
            origin_document=state_el.findtext("enidocmeta:IdentificadorDocumentoOrigen", default="", namespaces=NS),
            organs=[o.text for o in metadata.findall("enidocmeta:Organo", NS)],
            captured_at=captured, eni_identifier=item.identifier,
        )  # fmt: skip
        stored.append(document.file.name)
        Document.objects.filter(pk=document.pk).update(status=DocumentStatus.FINAL)
        CaseDocument.objects.create(
            case=case, document=document, position=item.position, sha256=document.sha256,
            added_by=actor.label,
        )  # fmt: skip
        if item.added_at:
            CaseDocument.objects.filter(case=case, document=document).update(added_at=item.added_at)


@audited_service("cases.case.eni_import")
def case_eni_import(*, actor: Actor, entity: Entity, raw: bytes, responsible_unit: Unit) -> Case:
    """Recreate a case received as an ENI bundle, with the same identifiers and hashes.

    Everything is checked before anything is written: the schemas, the index
    signature and every document's hash. The case arrives closed (as it was sent).
    """
    require_role(actor, entity, *CASE_IMPORTERS)
    if responsible_unit.entity_id != entity.pk:
        raise _bad(_("La unidad responsable no es de esta entidad."), "unknown_unit")
    bundle = _read_bundle(raw)
    root = _validated(bundle.read("expediente.xml"), "expediente.xml", "expedienteEni.xsd")
    signer = _check_index_signature(root)
    meta = root.find("eniexpmeta:metadatosExp", NS)
    if meta is None:
        raise _bad(_("Faltan los metadatos del expediente."), "eni_incomplete")
    identifier = _text(meta, "eniexpmeta:Identificador", "expediente.xml")
    if Case.objects.filter(entity=entity, eni_identifier=identifier).exists():
        raise Conflict(
            _("El expediente %(i)s ya está en esta entidad.") % {"i": identifier},
            code="already_imported",
        )
    incoming = _incoming_documents(bundle, root)
    held = list(
        Document.objects.filter(
            entity=entity, eni_identifier__in=[d.identifier for d in incoming]
        ).values_list("eni_identifier", flat=True)[:5]
    )
    if held:
        raise Conflict(
            _("La entidad ya tiene documentos con esos identificadores: %(i)s")
            % {"i": ", ".join(held)},
            code="document_exists",
        )
    opened = _moment(_text(meta, "eniexpmeta:FechaAperturaExpediente", "expediente.xml"))
    state = _text(meta, "eniexpmeta:Estado", "expediente.xml")
    index_date = _moment(
        _text(
            root,
            "eniexpind:indice/eniexpind:IndiceContenido/eniconexpind:FechaIndiceElectronico",
            "expediente.xml",
        )
    )
    from concejo.registry.attachments import AttachmentInput, check_attachments

    for item in incoming:  # every file acceptable before the first one is stored
        check_attachments(
            [AttachmentInput(f"{item.identifier}.{item.file_format.lower()}", item.content)]
        )
    year = timezone.localtime(timezone.now()).year
    number = audit_chain_lock_and_number(entity, CaseCounter, entity=entity, year=year)
    from concejo.cases.services import case_code

    case = Case.objects.create(
        entity=entity, year=year, number=number, case_code=case_code(year, number),
        eni_identifier=identifier,
        subject=_("Expediente recibido %(i)s") % {"i": identifier},
        classification=_text(meta, "eniexpmeta:Clasificacion", "expediente.xml")[:40],
        responsible_unit=responsible_unit, initiation=Initiation.EX_OFFICIO,
        status=CaseStatus.CLOSED, eni_state=state if state in EniState.values else EniState.CLOSED,
        started_at=opened or timezone.now(), index_closed_at=index_date or timezone.now(),
    )  # fmt: skip
    stored: list[str] = []
    try:
        _store_documents(actor, entity, case, incoming, stored)
    except BaseException:
        from django.core.files.storage import default_storage

        for path in stored:
            default_storage.delete(path)
        raise
    interested = [i.text.strip() for i in meta.findall("eniexpmeta:Interesado", NS) if i.text]
    from concejo.people.models import Person

    known = {p.id_number: p for p in Person.objects.filter(entity=entity, id_number__in=interested)}
    CaseParty.objects.bulk_create(
        CaseParty(case=case, person=person, role=PartyRole.INTERESTED) for person in known.values()
    )
    unknown = [i for i in interested if i not in known]
    detail = _("Recibido en formato ENI: %(n)d documentos; índice firmado por %(s)s.") % {
        "n": len(incoming), "s": signer,
    }  # fmt: skip
    if unknown:
        detail += " " + _("Interesados sin alta en esta entidad: %(u)s.") % {
            "u": ", ".join(unknown)
        }
    CaseEvent.objects.create(
        case=case, kind="eni_import", detail=detail, author=actor.label, to_status=CaseStatus.CLOSED
    )
    audit_record(actor=actor, action="cases.case.eni_import", entity=entity, target=case,
                 details={"identifier": identifier, "documents": len(incoming)})  # fmt: skip
    return case
