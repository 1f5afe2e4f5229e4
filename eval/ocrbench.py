"""OCR benchmark: character accuracy and speed of the scanned-PDF reader on a scan made from known text.

A known Chinese policy text is typeset into a PDF (reportlab, the CJK font WenQuanYi Zen Hei), each page
rasterised (pdfium) and put back as an image-only PDF, the way a scanner or a phone app makes one, with
an optional app watermark as the only text layer. The scan is then read by corpus.readers.pdf (OCR with
Tesseract chi_sim) and compared with the text it was made from:

    accuracy = 1 - CER,  CER = edit distance(recognised, known) / len(known)

over the characters that carry meaning (CJK, letters, digits, punctuation folded to one width; whitespace
ignored).

    python -m eval.ocrbench [--pages 2] [--dpi 200] [--source corpus/docs/shanghai-2025-33-open-source.txt]
"""

from __future__ import annotations

import argparse
import io
import re
import tempfile
import time
import unicodedata
from pathlib import Path

from genre import Genre, packaged

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
WATERMARK = "扫描全能王 创建"
_MEANINGFUL = re.compile(r"[\u4e00-\u9fff\u3001-\u303fA-Za-z0-9,.;:?!()%《》“”]")
CHARS_PER_LINE = 32
LINES_PER_PAGE = 34


def layout(text: str, chars_per_line: int = CHARS_PER_LINE, lines_per_page: int = LINES_PER_PAGE) -> list[list[str]]:
    """Paragraphs wrapped into lines (first line indented two characters), lines into pages."""
    lines: list[str] = []
    for para in (p.strip() for p in text.splitlines()):
        if not para:
            continue
        para = "\u3000\u3000" + para
        while para:
            lines.append(para[:chars_per_line])
            para = para[chars_per_line:]
    return [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]


def render_scan(path: Path, pages: list[list[str]], dpi: int = 200, watermark: str | None = WATERMARK) -> Path:
    """An image-only PDF of the given pages of lines; `watermark` is drawn as the only text layer."""
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    typeset = io.BytesIO()
    c = canvas.Canvas(typeset)
    for lines in pages:
        c.setFont("WQY", 14)
        y = 780
        for line in lines:
            c.drawString(60, y, line)
            y -= 22
        c.showPage()
    c.save()
    width, height = 595.27, 841.89
    scan = canvas.Canvas(str(path), pagesize=(width, height))
    doc = pypdfium2.PdfDocument(typeset.getvalue())
    for i in range(len(doc)):
        image = doc[i].render(scale=dpi / 72, grayscale=True).to_pil()
        scan.drawImage(ImageReader(image), 0, 0, width, height)
        if watermark:
            scan.setFont("Helvetica", 8) if watermark.isascii() else _cjk_font(scan)
            scan.drawString(width - 120, 20, watermark)
        scan.showPage()
    doc.close()
    scan.save()
    return path


def _cpu() -> float:
    """User + system CPU seconds of this process and its finished children (the tesseract runs)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _cjk_font(c) -> None:
    c.setFont("WQY", 8)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one row at a time (O(len(a)·len(b)) time, O(len(b)) memory)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def meaningful(text: str) -> str:
    """The characters compared, width-folded (NFKC: ， and , are one character printed two ways)."""
    return "".join(_MEANINGFUL.findall(unicodedata.normalize("NFKC", text)))


def char_accuracy(recognised: str, known: str) -> float:
    """1 - CER over the meaningful characters."""
    r, k = meaningful(recognised), meaningful(known)
    return 1 - edit_distance(r, k) / max(1, len(k))


def main(argv: list[str] | None = None, *, genre: Genre) -> int:
    from corpus.loader import split_front_matter
    from corpus.readers.pdf import read_pdf

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, default=Path("corpus/docs/shanghai-2025-33-open-source.txt"))
    ap.add_argument("--pages", type=int, default=2, help="pages of the source to render and read")
    ap.add_argument("--dpi", type=int, default=200, help="resolution of the simulated scan")
    args = ap.parse_args(argv)
    _, body = split_front_matter(args.source.read_text("utf-8"))
    pages = layout(body)[: args.pages]
    known = "\n".join("\n".join(p) for p in pages)
    with tempfile.TemporaryDirectory(prefix="policykg-ocrbench-") as tmp:
        pdf = render_scan(Path(tmp) / "scan.pdf", pages, dpi=args.dpi)
        data = pdf.read_bytes()
        t0, c0 = time.perf_counter(), _cpu()
        reading = read_pdf(data, str(pdf), genre=genre)
        seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    acc = char_accuracy(reading.text, known)
    print(f"source: {args.source} ({len(pages)} page(s), {len(meaningful(known))} characters, scan at {args.dpi} dpi)")
    print(f"text source: {reading.text_source}; reader: {reading.encoding}")
    print(f"character accuracy (1 - CER): {acc:.4f}")
    print(f"speed: {len(pages) / seconds:.3f} pages/s wall ({seconds:.1f} s for {len(pages)} page(s)); "
          f"{cpu / len(pages):.1f} CPU-s per page (this process and Tesseract; wall time depends on machine load)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(genre=packaged()))
