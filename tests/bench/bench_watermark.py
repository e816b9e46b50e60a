"""Watermarking cost: `uv run python tests/bench/bench_watermark.py`.

Times the data room's PDF watermark (a reportlab overlay with the vendored IPAexGothic subset,
merged by pypdf) for 1, 20 and 200 pages, against the floor of merely reading and writing the
same PDF with pypdf, measured in the same run. Prints seconds per document and per page.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

from pypdf import PdfReader, PdfWriter

from service.deal_rooms.documents.watermark import watermark_pdf
from tests.service.deal_rooms.documents_support import pdf_bytes

LABEL = "山田 花子（みらい電機株式会社）2026-11-29 21:00 JST 閲覧用・複製禁止"
RUNS = 7


def _copy(document: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _median(fn: Callable[[bytes], object], document: bytes) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn(document)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    started = time.perf_counter()
    watermark_pdf(pdf_bytes(1), LABEL)
    print(f"first call (parses the font once per process): {time.perf_counter() - started:.3f} s")
    print(f"{'pages':>6} {'watermark s':>12} {'copy s':>8} {'ratio':>6} {'ms/page':>8}")
    for pages in (1, 20, 200):
        document = pdf_bytes(pages)
        marked = _median(lambda d: watermark_pdf(d, LABEL), document)
        floor = _median(_copy, document)
        print(f"{pages:>6} {marked:>12.4f} {floor:>8.4f} {marked / floor:>6.1f} {1000 * marked / pages:>8.2f}")


if __name__ == "__main__":
    main()
