"""What a file really is, from its bytes: never trust the client's name or MIME type."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    key: str
    mime: str
    extensions: tuple[str, ...]


TYPES = {
    t.key: t
    for t in (
        FileType("pdf", "application/pdf", ("pdf",)),
        FileType("jpeg", "image/jpeg", ("jpg", "jpeg")),
        FileType("png", "image/png", ("png",)),
        FileType("tiff", "image/tiff", ("tif", "tiff")),
        FileType("gif", "image/gif", ("gif",)),
        FileType("odt", "application/vnd.oasis.opendocument.text", ("odt",)),
        FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
        FileType("odp", "application/vnd.oasis.opendocument.presentation", ("odp",)),
        FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
        FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
        FileType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)),
        FileType("zip", "application/zip", ("zip",)),
        FileType("xml", "application/xml", ("xml", "xsig")),
        FileType("txt", "text/plain", ("txt", "csv")),
    )
}  # fmt: skip

_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
_OOXML = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                kind = _ODF.get(archive.read("mimetype").strip())
                if kind:
                    return kind
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except (zipfile.BadZipFile, KeyError, ValueError):
        return ""
    return "zip"


def _is_text(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return False
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sample's end is still text.
        if exc.start < len(data[:65536]) - 4:
            try:
                data[:65536].decode("latin-1")
                return all(b >= 0x09 for b in data[:4096])
            except UnicodeDecodeError:
                return False
    return True


def detect(data: bytes) -> FileType | None:
    """The type of a file from its content, or None when it is none we accept."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return TYPES["pdf"]
    if head.startswith(b"\xff\xd8\xff"):
        return TYPES["jpeg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return TYPES["png"]
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TYPES["tiff"]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return TYPES["gif"]
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
        return TYPES.get(kind) if kind else None
    if not data:
        return None
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<?xml") or (stripped.startswith(b"<") and _is_text(data)):
        return TYPES["xml"]
    if _is_text(data):
        return TYPES["txt"]
    return None


def extension_for(mime: str) -> str:
    """The usual extension of a MIME type we accept ("bin" for any other)."""
    return next((t.extensions[0] for t in TYPES.values() if t.mime == mime), "bin")


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""
