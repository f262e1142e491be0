"""Serving an issued document (with its CSV) as a download."""

from __future__ import annotations

from django.http import HttpResponse

from concejo.verification.models import IssuedDocument
from concejo.verification.services import document_content


def issued_download(document: IssuedDocument, filename: str) -> HttpResponse:
    """The document's bytes (rendered and stored the first time) as an attachment."""
    response = HttpResponse(document_content(document), content_type=document.mime_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
