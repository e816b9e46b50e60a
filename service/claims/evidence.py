"""What an evidence file may be: at most 10 MB, and a PDF, PNG, JPEG, CSV or XLSX judged by its
bytes (magic numbers), not by the name or the Content-Type the client sent."""

from __future__ import annotations

import io
import zipfile

from service.claims.messages import MESSAGES
from service.errors import DomainError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
PDF, PNG, JPEG, CSV = "application/pdf", "image/png", "image/jpeg", "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED_TYPES = (PDF, PNG, JPEG, CSV, XLSX)
#: Declared types that say nothing (browsers send these for unknown files).
_GENERIC = {"", "application/octet-stream", "binary/octet-stream"}
#: Declared types browsers use for CSV.
_CSV_ALIASES = {CSV, "text/plain", "application/csv", "application/vnd.ms-excel", "text/comma-separated-values"}


class TooLarge(DomainError):
    status_code = 413


class UnsupportedType(DomainError):
    status_code = 415


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _is_csv(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text)
    return False


def sniff(data: bytes) -> str | None:
    """The media type ``data`` really is, among the allowed ones, or ``None``."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return XLSX if _is_xlsx(data) else None
    return CSV if _is_csv(data) else None


def check_evidence(data: bytes, declared_type: str | None, filename: str | None) -> tuple[str, str]:
    """Validate an upload; returns ``(media type, safe file name)`` or raises a 4xx naming ``file``."""
    if len(data) > MAX_EVIDENCE_BYTES:
        raise MESSAGES.error(
            TooLarge, "evidence.too_large", errors=[MESSAGES.field("file", "evidence.too_large#field")]
        )
    if not data:
        raise MESSAGES.invalid("file", "evidence.empty")
    name = (filename or "evidence").replace("\\", "/").rsplit("/", 1)[-1].strip() or "evidence"
    if "\x00" in name or any(ord(ch) < 32 for ch in name):
        raise MESSAGES.invalid("file", "evidence.bad_filename")
    media_type = sniff(data)
    declared = (declared_type or "").split(";")[0].strip().lower()
    mismatch = declared not in _GENERIC and not (
        declared == media_type or (media_type == CSV and declared in _CSV_ALIASES)
    )
    if media_type is None or mismatch:
        allowed = "PDF, PNG, JPEG, CSV, XLSX"
        raise MESSAGES.error(
            UnsupportedType,
            "evidence.unsupported_type",
            content=media_type or MESSAGES.text("evidence.unsupported_type#unknown"),
            declared=declared or MESSAGES.text("evidence.unsupported_type#nothing"),
            allowed=allowed,
            errors=[MESSAGES.field("file", "evidence.unsupported_type#field", allowed=allowed)],
        )
    return media_type, name[:255]
