"""Sealing PDFs with the entity's seal certificate: PAdES-B-B with pyHanko."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata

from concejo.core.errors import ValidationFailed


def _failure(message: str) -> ValidationFailed:
    return ValidationFailed(
        message, code="seal_unavailable", fields={"seal_certificate_path": message}
    )


@lru_cache(maxsize=32)
def _signer(path: str, password: str, mtime: float) -> signers.SimpleSigner:
    try:
        signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() or None)
    except (ValueError, OSError) as exc:
        raise _failure(_("No se puede abrir el certificado de sello (¿contraseña?).")) from exc
    if signer is None:
        raise _failure(_("No se puede abrir el certificado de sello (¿contraseña?)."))
    return signer


def seal_signer(entity) -> signers.SimpleSigner | None:
    """The entity's seal, or None when it has none configured."""
    path = (entity.seal_certificate_path or "").strip()
    if not path:
        return None
    file = Path(path)
    if not file.exists():
        raise _failure(_("No existe el certificado de sello %(p)s.") % {"p": path})
    signer = _signer(str(file), settings.SEAL_PASSWORD, file.stat().st_mtime)
    not_after = signer.signing_cert["tbs_certificate"]["validity"]["not_after"].native
    if not_after < dt.datetime.now(dt.UTC):
        raise _failure(
            _("El certificado de sello caducó el %(d)s.") % {"d": f"{not_after:%d/%m/%Y}"}
        )
    return signer


def seal_pdf(entity, content: bytes, *, reason: str) -> bytes:
    """Add the entity's PAdES-B-B seal to a PDF (unchanged when no seal is configured)."""
    signer = seal_signer(entity)
    if signer is None:
        return content
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    metadata = PdfSignatureMetadata(
        field_name="SelloEntidad",
        reason=reason,
        location=entity.name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = io.BytesIO()
    signers.PdfSigner(metadata, signer=signer).sign_pdf(writer, output=out)
    return out.getvalue()
