"""Checking the signatures of an uploaded PDF: integrity, signer and signing time."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from concejo.core.errors import ValidationFailed
from concejo.core.sync import run_sync

MAX_BYTES = 30 * 1024 * 1024


@dataclass(frozen=True)
class SignatureReport:
    field: str
    signer: str
    signed_at: str | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    summary: str

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def trust_roots() -> list:
    """The CAs we trust: TRUSTED_CA_FILES plus the test CAs of the embedded mode."""
    paths = [Path(p) for p in settings.TRUSTED_CA_FILES]
    if not settings.PRODUCTION:
        paths += sorted(Path(settings.DATA_DIR).glob("pki/**/ca.pem"))
    return [load_cert_from_pemder(str(p)) for p in paths if p.exists()]


def pdf_signatures_verify(content: bytes) -> list[SignatureReport]:
    if len(content) > MAX_BYTES:
        raise ValidationFailed(
            _("El fichero supera el tamaño máximo."),
            code="file_too_large",
            fields={"file": _("Demasiado grande.")},
        )
    if not content.startswith(b"%PDF"):
        raise ValidationFailed(
            _("El fichero no es un PDF."),
            code="not_a_pdf",
            fields={"file": _("Suba un documento PDF.")},
        )
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ValidationFailed(
            _("No se puede leer el PDF."), code="unreadable_pdf", fields={"file": str(exc)[:200]}
        ) from exc
    if not embedded:
        raise ValidationFailed(
            _("El PDF no contiene firmas electrónicas."),
            code="no_signatures",
            fields={"file": _("Sin firmas.")},
        )
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    reports = []
    for signature in embedded:
        status = run_sync(async_validate_pdf_signature(signature, context))
        signer = status.signing_cert.subject.human_friendly if status.signing_cert else "?"
        signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else None
        whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
        if not status.intact:
            summary = _("El documento fue modificado después de firmarse.")
        elif not status.trusted:
            summary = _("Firma íntegra, pero el certificado no es de un prestador de confianza.")
        else:
            summary = _("Firma válida.")
        reports.append(
            SignatureReport(
                field=signature.field_name,
                signer=signer,
                signed_at=signed_at,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=whole,
                summary=str(summary),
            )
        )
    return reports
