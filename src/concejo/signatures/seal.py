"""Sealing PDFs with the entity's seal certificate: PAdES-B-B with pyHanko."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
from pyhanko.stamp import TextStampStyle

from concejo.core.errors import ValidationFailed
from concejo.core.sync import run_sync

# Room kept in the PDF for the CMS container (RSA-2048 seal + its chain is ~4 KB):
# reserving it avoids pyHanko's dry-run signature to estimate the size.
SIGNATURE_BYTES = 16384


class SealSigner(signers.SimpleSigner):
    """SimpleSigner that parses its private key once instead of on every signature."""

    _loaded_key = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        if algorithm not in ("rsassa_pkcs1v15", "sha256_rsa", "sha384_rsa", "sha512_rsa"):
            return super().sign_raw(data, digest_algorithm)
        if self._loaded_key is None:
            self._loaded_key = serialization.load_der_private_key(
                self.signing_key.dump(), password=None
            )
        return self._loaded_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


def _failure(message: str) -> ValidationFailed:
    return ValidationFailed(
        message, code="seal_unavailable", fields={"seal_certificate_path": message}
    )


@lru_cache(maxsize=32)
def _signer(path: str, password: str, mtime: float) -> SealSigner:
    try:
        loaded = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() or None)
    except (ValueError, OSError) as exc:
        raise _failure(_("No se puede abrir el certificado de sello (¿contraseña?).")) from exc
    if loaded is None:
        raise _failure(_("No se puede abrir el certificado de sello (¿contraseña?)."))
    return SealSigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )


def seal_signer(entity) -> SealSigner | None:
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


# The signature stamps share the strip under each page's CSV footer text:
# FOOTER_SLOTS boxes side by side, 40-190 mm from the left, 3-15 mm from the bottom.
FOOTER_SLOTS = 4
_MM = 72 / 25.4


def footer_box(slot: int) -> tuple[int, int, int, int] | None:
    """Where the visible stamp of the slot-th signature goes (None: no room left)."""
    if slot >= FOOTER_SLOTS:
        return None
    left, width = 40 * _MM, 150 * _MM / FOOTER_SLOTS
    x1 = left + slot * width
    return (round(x1), round(3 * _MM), round(x1 + width - 2 * _MM), round(15 * _MM))


def signature_count(content: bytes) -> int:
    """How many signatures a PDF already carries (to place the next stamp)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    return len(PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures)


def sign_pdf_with(
    signer: signers.Signer,
    content: bytes,
    *,
    field_name: str,
    reason: str,
    location: str,
    name: str | None = None,
    stamp_text: str | None = None,
) -> bytes:
    """One PAdES-B-B signature; with `stamp_text` it is visible in the next footer slot.

    The stamp text may use %(ts)s for the signing time.
    """
    box = footer_box(signature_count(content)) if stamp_text else None
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    metadata = PdfSignatureMetadata(
        field_name=field_name,
        name=name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    style = None
    spec = None
    if box is not None:
        style = TextStampStyle(
            stamp_text=stamp_text,
            border_width=0,
            timestamp_format="%d/%m/%Y %H:%M:%S %Z",
            text_box_style=TextBoxStyle(font_size=5),
        )
        spec = fields.SigFieldSpec(field_name, on_page=-1, box=box)
    out = io.BytesIO()
    pdf_signer = signers.PdfSigner(metadata, signer=signer, stamp_style=style, new_field_spec=spec)
    run_sync(pdf_signer.async_sign_pdf(writer, output=out, bytes_reserved=SIGNATURE_BYTES))
    return out.getvalue()


def seal_pdf(entity, content: bytes, *, reason: str, csv_display: str = "") -> bytes:
    """Add the entity's PAdES-B-B seal to a PDF (unchanged when no seal is configured).

    The seal is visible in the footer: who sealed it, when, and the CSV when given.
    """
    signer = seal_signer(entity)
    if signer is None:
        return content
    stamp = _("Sellado electrónicamente por %(e)s") % {"e": entity.name.replace("%", "%%")}
    stamp += "\n%(ts)s"
    if csv_display:
        stamp += "\nCSV " + csv_display
    return sign_pdf_with(
        signer, content, field_name="SelloEntidad", reason=reason, location=entity.name,
        stamp_text=stamp,
    )  # fmt: skip
