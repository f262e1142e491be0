"""Serving a stored document's bytes (checked against its recorded hash first)."""

from __future__ import annotations

from django.http import HttpResponse

from concejo.core.errors import ApplicationError
from concejo.documents.services import document_content, document_verify


def document_download(document) -> HttpResponse:
    """The file as an attachment, or a plain-text 409 naming why it cannot be trusted."""
    try:
        document_verify(document=document)
    except ApplicationError as exc:
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(document_content(document), content_type=document.mime_type)
    response["Content-Disposition"] = f'attachment; filename="{document.file_name}"'
    return response
