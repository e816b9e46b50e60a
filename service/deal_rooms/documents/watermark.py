"""Watermarking a downloaded PDF: the viewer's name, organisation and the time on every page.

One reportlab overlay per distinct page size is drawn in IPAexGothic (vendored beside this module
with its licence, so Japanese names render on a machine without Debian's font packages; reportlab
embeds only the glyphs used, as a subset), then pypdf merges it onto each page. CPU-bound: call
:func:`watermark_pdf` through ``anyio.to_thread.run_sync``.

>>> from pypdf import PdfWriter
>>> blank = io.BytesIO()
>>> writer = PdfWriter()
>>> _ = writer.add_blank_page(595, 842)
>>> _ = writer.write(blank)
>>> marked = watermark_pdf(blank.getvalue(), "山田 花子 · 米子信用金庫 · 2026-11-29 21:00 JST")
>>> "山田 花子" in PdfReader(io.BytesIO(marked)).pages[0].extract_text()
True
"""

from __future__ import annotations

import io
import threading
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_NAME = "IPAexGothic"
FONT_PATH = Path(__file__).parent / "fonts" / "ipaexg.ttf"
_registered = threading.Lock()


class UnreadablePdf(ValueError):
    """The stored file starts like a PDF but pypdf cannot read it (or it is encrypted)."""


def _font() -> str:
    # Parsing the 6 MB font takes ~0.1 s: once per process.
    with _registered:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH)))
    return FONT_NAME


def _overlay(width: float, height: float, label: str) -> PdfReader:
    font = _font()
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=(width, height))
    size = max(6.0, min(9.0, width / 70))
    sheet.setFont(font, size)
    sheet.setFillColor(Color(0.35, 0.35, 0.35, alpha=0.9))
    sheet.drawString(18, 14, label)
    sheet.drawString(18, height - 14 - size, label)
    # A faint diagonal line across the middle: hard to crop away.
    big = max(10.0, min(22.0, width / 30))
    sheet.setFont(font, big)
    sheet.setFillColor(Color(0.5, 0.5, 0.5, alpha=0.18))
    sheet.saveState()
    sheet.translate(width / 2, height / 2)
    sheet.rotate(35)
    sheet.drawCentredString(0, 0, label)
    sheet.restoreState()
    sheet.showPage()
    sheet.save()
    return PdfReader(io.BytesIO(out.getvalue()))


def watermark_pdf(data: bytes, label: str) -> bytes:
    """``data`` with ``label`` drawn on every page (top, bottom and diagonally across)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadablePdf("encrypted")
        writer = PdfWriter(clone_from=reader)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UnreadablePdf(str(exc)) from exc
    overlays: dict[tuple[Decimal, Decimal], PdfReader] = {}
    for page in writer.pages:
        box = page.mediabox
        key = (Decimal(str(box.width)), Decimal(str(box.height)))
        if key not in overlays:
            overlays[key] = _overlay(float(box.width), float(box.height), label)
        page.merge_translated_page(overlays[key].pages[0], float(box.left), float(box.bottom), over=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(data: bytes) -> int | None:
    """Pages of a PDF, or ``None`` when pypdf cannot read it."""
    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError):
        return None


__all__ = ["FONT_NAME", "FONT_PATH", "UnreadablePdf", "page_count", "watermark_pdf"]
