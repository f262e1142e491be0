"""The signer interface of the portafirmas.

Employees' signatures are applied by a backend named in the SIGNATURE_BACKEND
setting. The default signs on the server with the entity's seal certificate and
records the employee's identity in the signature (name, reason) and in its
visible stamp; an external signing service (a centralised-signature platform
holding each employee's own certificate) replaces it by implementing the same
method.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from concejo.core.errors import Conflict


@dataclass(frozen=True)
class SignerIdentity:
    name: str
    identifier: str  # NIF or username: what identifies the signer in the stamp
    position: str = ""


@dataclass(frozen=True)
class AppliedSignature:
    content: bytes
    field_name: str
    certificate_subject: str


class SignatureBackend(Protocol):
    name: str

    def sign_pdf(
        self, *, entity, content: bytes, signer: SignerIdentity, reason: str, csv_display: str
    ) -> AppliedSignature: ...


class ServerSealBackend:
    """Applies the signature on the server with the entity's seal plus the signer's identity."""

    name = "server-seal"

    def sign_pdf(
        self, *, entity, content: bytes, signer: SignerIdentity, reason: str, csv_display: str
    ) -> AppliedSignature:
        from concejo.signatures.seal import seal_signer, sign_pdf_with, signature_count

        seal = seal_signer(entity)
        if seal is None:
            raise Conflict(
                _("La entidad no tiene certificado de sello configurado: no se puede firmar."),
                code="seal_required",
            )
        field_name = f"Firma{signature_count(content) + 1}"
        who = signer.name.replace("%", "%%")
        stamp = _("Firmado por %(n)s") % {"n": who}
        if signer.identifier:
            stamp += f"\n{signer.identifier}"
        stamp += "\n%(ts)s\nCSV " + csv_display
        signed = sign_pdf_with(
            seal, content, field_name=field_name, reason=reason, location=entity.name,
            name=signer.name, stamp_text=stamp,
        )  # fmt: skip
        subject = seal.signing_cert.subject.human_friendly
        return AppliedSignature(signed, field_name, subject[:300])


@lru_cache(maxsize=4)
def _backend(path: str) -> SignatureBackend:
    return import_string(path)()


def signature_backend() -> SignatureBackend:
    return _backend(settings.SIGNATURE_BACKEND)
