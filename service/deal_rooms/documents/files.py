"""What a data-room file may be: at most ``settings.document_max_bytes``, and a type judged by its
bytes — the evidence types (:func:`service.claims.evidence.sniff`: PDF, PNG, JPEG, CSV, XLSX) plus
Word and PowerPoint files (OOXML archives), which data rooms hold as often as PDFs."""

from __future__ import annotations

import io
import zipfile

from service.claims.evidence import TooLarge, UnsupportedType, sniff
from service.deal_rooms.documents.messages import MESSAGES

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ALLOWED = "PDF, PNG, JPEG, CSV, XLSX, DOCX, PPTX"


def _ooxml(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("ppt/") for n in names):
        return PPTX
    return None


def sniff_document(data: bytes) -> str | None:
    """The media type ``data`` really is, among the accepted ones, or ``None``."""
    found = sniff(data)
    if found is None and data.startswith(b"PK\x03\x04"):
        return _ooxml(data)
    return found


def check_document(data: bytes, filename: str | None, limit: int) -> tuple[str, str]:
    """``(media type, safe file name)`` of an upload, or a 4xx naming ``file``."""
    if len(data) > limit:
        raise MESSAGES.error(
            TooLarge,
            "deal_room_document.too_large",
            limit=limit,
            errors=[MESSAGES.field("file", "deal_room_document.too_large", limit=limit)],
        )
    if not data:
        raise MESSAGES.invalid("file", "deal_room_document.empty")
    name = (filename or "document").replace("\\", "/").rsplit("/", 1)[-1].strip() or "document"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise MESSAGES.invalid("file", "deal_room_document.bad_filename")
    media_type = sniff_document(data)
    if media_type is None:
        unknown = MESSAGES.text("deal_room_document.unsupported_type#unknown")
        raise MESSAGES.error(
            UnsupportedType,
            "deal_room_document.unsupported_type",
            content=unknown,
            allowed=ALLOWED,
            errors=[MESSAGES.field("file", "deal_room_document.unsupported_type", content=unknown, allowed=ALLOWED)],
        )
    return media_type, name[:255]
