"""Checking and storing attachments: nothing half-written, nothing orphaned."""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import service_on_failure
from concejo.core import filetypes
from concejo.core.errors import ValidationFailed
from concejo.registry.models import Validity

MAX_ATTACHMENTS = 50
_VALIDITIES = frozenset(Validity.values)


@dataclass(frozen=True)
class AttachmentInput:
    name: str
    content: bytes
    validity: str = Validity.ORIGINAL


@dataclass(frozen=True)
class CheckedAttachment:
    name: str
    content: bytes
    validity: str
    mime_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_attachments(attachments: list[AttachmentInput]) -> list[CheckedAttachment]:
    """Validate every file before anything is written; errors name `attachments.N`."""
    errors: dict[str, str] = {}
    codes: list[str] = []
    checked: list[CheckedAttachment] = []
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(
            _("Como máximo %(n)s anexos por asiento.") % {"n": MAX_ATTACHMENTS},
            code="too_many_attachments",
            fields={"attachments": _("Demasiados anexos.")},
        )
    total = 0
    for index, item in enumerate(attachments):
        field = f"attachments.{index}"
        name = (item.name or "").strip().replace("/", "_").replace("\\", "_")[:255]
        size = len(item.content)
        total += size
        if not name or "." not in name:
            errors[field] = _("El anexo necesita un nombre con extensión (p. ej. «plano.pdf»).")
            codes.append("invalid_attachment_name")
            continue
        if item.validity not in _VALIDITIES:
            errors[field] = _("Validez no permitida: «%(v)s».") % {"v": item.validity}
            codes.append("invalid_choice")
            continue
        if size == 0:
            errors[field] = _("El fichero «%(n)s» está vacío.") % {"n": name}
            codes.append("empty_attachment")
            continue
        if size > settings.REGISTRY_MAX_FILE_BYTES:
            errors[field] = _("El fichero «%(n)s» supera el máximo de %(max)s por fichero.") % {
                "n": name,
                "max": _mb(settings.REGISTRY_MAX_FILE_BYTES),
            }
            codes.append("attachment_too_large")
            continue
        detected = filetypes.detect(item.content)
        extension = filetypes.extension_of(name)
        if detected is None:
            errors[field] = _("El formato de «%(n)s» no está admitido.") % {"n": name}
            codes.append("unsupported_format")
            continue
        if extension not in detected.extensions:
            errors[field] = _(
                "El contenido de «%(n)s» no corresponde a su extensión: es un fichero %(k)s."
            ) % {"n": name, "k": detected.key.upper()}
            codes.append("content_mismatch")
            continue
        checked.append(
            CheckedAttachment(
                name=name,
                content=item.content,
                validity=item.validity,
                mime_type=detected.mime,
                sha256=hashlib.sha256(item.content).hexdigest(),
            )
        )
    if total > settings.REGISTRY_MAX_ENTRY_BYTES and not errors:
        raise ValidationFailed(
            _("Los anexos suman más de %(max)s por asiento.")
            % {"max": _mb(settings.REGISTRY_MAX_ENTRY_BYTES)},
            code="entry_too_large",
            fields={"attachments": _("Demasiado tamaño en total.")},
        )
    if errors:
        code = codes[0] if len(set(codes)) == 1 else "invalid_attachments"
        raise ValidationFailed(next(iter(errors.values())), code=code, fields=errors)
    return checked


class StoredFiles:
    """Files written for one entry; removed again if the entry is not created.

    `save` writes a file at once. `save_soon` hands the write to a background
    thread and returns the path straight away, so that the file system works
    while the service waits for the database; `wait` (before the transaction
    commits) makes sure every file is written, and `discard` waits for them
    and removes them all, which happens by itself if the service call that
    made them fails, at its COMMIT too (`service_on_failure`): so they are
    made within a service call only.
    """

    def __init__(self, entity_id) -> None:
        self.entity_id = entity_id
        self.paths: list[str] = []
        self._pending: list[tuple[str, Future]] = []
        self._folder: str | None = None
        if not service_on_failure(self.discard):
            raise RuntimeError(
                "Files are stored by a service call, which removes them if it fails."
            )

    def _name(self, attachment: CheckedAttachment) -> str:
        extension = filetypes.extension_of(attachment.name)
        if self._folder is None:  # by month: no directory grows without end
            self._folder = f"registry/{self.entity_id}/{timezone.localdate():%Y/%m}"
        return f"{self._folder}/{uuid.uuid4().hex}.{extension}"

    def save(self, attachment: CheckedAttachment) -> str:
        self.paths.append(self._name(attachment))  # a file written only in part goes too
        self.paths[-1] = default_storage.save(self.paths[-1], ContentFile(attachment.content))
        return self.paths[-1]

    def save_soon(self, attachment: CheckedAttachment) -> str:
        name = self._name(attachment)
        future = _writer().submit(default_storage.save, name, ContentFile(attachment.content))
        self._pending.append((name, future))
        return name

    def wait(self) -> None:
        """Every file `save_soon` took is written under its name (or this raises)."""
        pending, self._pending = self._pending, []
        failure = None
        for name, future in pending:
            try:
                self.paths.append(future.result())
            except Exception as exc:  # the first failure is raised below
                failure = failure or exc
            else:
                if self.paths[-1] != name:  # the storage chose another name: not ours to keep
                    failure = failure or RuntimeError(f"{name} was stored as {self.paths[-1]}")
        if failure is not None:
            raise failure

    def discard(self) -> None:
        with contextlib.suppress(Exception):  # whatever was written is removed below
            self.wait()
        for path in self.paths:
            default_storage.delete(path)
        self.paths.clear()


_WRITERS: dict[int, ThreadPoolExecutor] = {}


def _writer() -> ThreadPoolExecutor:
    """This process's file-writing threads (a forked worker starts its own)."""
    pid = os.getpid()
    if pid not in _WRITERS:
        _WRITERS.clear()
        _WRITERS[pid] = ThreadPoolExecutor(max_workers=4, thread_name_prefix="concejo-files")
    return _WRITERS[pid]
