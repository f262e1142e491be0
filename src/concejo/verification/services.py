"""Issuing documents with a CSV code and producing their content."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from concejo.core.csv_codes import new_csv_code
from concejo.core.filetypes import extension_for
from concejo.core.writes import Writes
from concejo.signatures.seal import seal_pdf
from concejo.verification.models import IssuedDocument
from concejo.verification.renderers import renderer_for

# Documents the platform itself produces (not citizens' files kept as copies).
SEALED_KINDS = {
    "registry.receipt",
    "notifications.proof",
    "notifications.paper",
    "revenue.payment_letter",
    "revenue.certificate",
}


def document_issue(
    *,
    entity,
    kind: str,
    title: str,
    source_type: str,
    source_id: str,
    mime_type: str = "application/pdf",
    writes: Writes | None = None,
) -> IssuedDocument:
    """Give a document its CSV code; its content is rendered after commit (outbox).

    With 120 random bits a repeated code is not a practical event; the unique
    constraint still guards it. With `writes` the row is queued there.
    """
    document = IssuedDocument(
        entity=entity,
        csv_code=new_csv_code(),
        kind=kind,
        title=title,
        source_type=source_type,
        source_id=source_id,
        issued_at=timezone.now(),
        mime_type=mime_type,
    )
    if writes is not None:
        writes.insert(document)
    else:
        document.save(force_insert=True)
    return document


def verification_url(document: IssuedDocument) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/verificar/{document.display_code}/"


def document_content(document: IssuedDocument) -> bytes:
    """The document's bytes, rendering and storing them the first time."""
    if document.file:
        with document.file.open("rb") as handle:
            return handle.read()
    return _rendered(document.pk, document)


RENDERED_FIELDS = ["file", "size", "sha256", "rendered_at", "updated_at"]


def _rendered(pk, document: IssuedDocument | None = None) -> bytes:
    """The bytes of the document `pk`, rendered and stored unless they already are;
    `document`, the caller's copy, gets the stored file's fields (no read back)."""
    with transaction.atomic():
        locked = (
            IssuedDocument.objects.select_for_update(of=("self",))
            .select_related("entity")  # its seal, below
            .get(pk=pk)
        )
        if locked.file:  # rendered meanwhile by another request
            with locked.file.open("rb") as handle:
                content = handle.read()
        else:
            content = _render_and_store(locked)
    if document is not None:
        document.file = locked.file.name
        for name in RENDERED_FIELDS[1:]:
            setattr(document, name, getattr(locked, name))
    return content


def _render_and_store(locked: IssuedDocument) -> bytes:
    content = renderer_for(locked.kind)(locked)
    if locked.mime_type == "application/pdf" and locked.kind in SEALED_KINDS:
        # Every PDF the platform issues carries the entity's seal when it has one.
        content = seal_pdf(
            locked.entity, content, reason=locked.title, csv_display=locked.display_code
        )
    extension = extension_for(locked.mime_type)
    locked.file.save(
        f"{locked.entity_id}/{locked.issued_at:%Y}/{locked.csv_code}.{extension}",
        ContentFile(content),
        save=False,
    )
    locked.size = len(content)
    locked.sha256 = hashlib.sha256(content).hexdigest()
    locked.rendered_at = timezone.now()
    locked.save(update_fields=RENDERED_FIELDS)
    return content


def document_rendering_reset(document: IssuedDocument) -> None:
    """The source changed (a new signature on a document): render it again when next asked.

    The stale file is removed once the transaction commits.
    """
    if not document.file:
        return
    stale = document.file.name
    storage = document.file.storage
    IssuedDocument.objects.filter(pk=document.pk).update(
        file="", size=None, sha256="", rendered_at=None, updated_at=timezone.now()
    )
    document.refresh_from_db()
    transaction.on_commit(lambda: storage.delete(stale))


def render_task(payload: dict) -> None:
    """Outbox handler: render and store an issued document now, not on first download."""
    _rendered(payload["document"])
