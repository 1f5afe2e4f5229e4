"""OCR benchmark: character accuracy, outline recovery and speed of the scanned-PDF reader on scans made
from known text.

A known Chinese policy text is typeset into a PDF (reportlab, the CJK font WenQuanYi Zen Hei; headings
and run-in titles in a faked bold, as printed in 黑体), each page rasterised (pdfium) and put back as an
image-only PDF, the way a scanner or a phone app makes one, with an optional app watermark as the only
text layer. `--degrade office` (the default of `--dev`) makes the image look like an office scan: a slight rotation,
blur, sensor noise and JPEG compression at 200 dpi; `--degrade poor` more of each at 150 dpi. The scan is then read by corpus.readers.pdf (OCR with
Tesseract chi_sim) and compared with the text it was made from:

    accuracy = 1 - CER,  CER = edit distance(recognised, known) / len(known)

over the characters that carry meaning (CJK, letters, digits, punctuation folded to one width; whitespace
ignored), and, with `--dev`, by OUTLINE: the numbered headings (sections and measures: 一、 （一） 1.
（1） 第X条 …) the parser finds in the recognised text against those it finds in the known text. A heading
is recovered when the OCR outline has one of the same numbering style and number whose title reads at
least 70% the same (a title's own OCR errors are character accuracy, not outline).

    python -m eval.ocrbench [--pages 2] [--dpi 200] [--source corpus/docs/shanghai-2025-33-open-source.txt]
    python -m eval.ocrbench --dev [--docs 037,015] [--pages 2] [--degrade office|poor|clean]
                            [--typeface sans|official] [--cache DIR]

With `--dev` the first pages of development-part documents of several numbering styles are typeset.
Tesseract's raw output is cached per page image (`--cache`, default ~/.cache/policykg/ocrbench), so a
change to the repair of OCR text is measured again in seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from genre import Genre, packaged

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
WATERMARK = "扫描全能王 创建"
_MEANINGFUL = re.compile(r"[\u4e00-\u9fff\u3001-\u303fA-Za-z0-9,.;:?!()%《》“”]")
CHARS_PER_LINE = 32
LINES_PER_PAGE = 34
INDENT = "\u3000\u3000"
DEVCORPUS = Path(__file__).parent / "devcorpus"
# development-part documents, one or two of each numbering style of the genre: 一、/（一） with run-in
# titles (037), 第X章/第X条 (015, 005), 一、/1./（1） (013), 一、/（一）/1. (041, 001), 一、 alone (046),
# （1） under 一、/1. (009)
DEV_DOCS = ("037", "015", "013", "041", "046", "009", "001", "005")
# what an office scanner gives: 200 dpi, a slight skew, blur, noise, JPEG; a poor scan (a fax, a copy of a
# copy, a phone app at low resolution): 150 dpi and more of each
DAMAGE = {
    "clean": None,
    "office": {"dpi": 200, "angle": 0.8, "blur": 0.5, "noise": 8.0, "jpeg": 60},
    "poor": {"dpi": 150, "angle": 0.8, "blur": 0.6, "noise": 12.0, "jpeg": 50},
}
# Tesseract's raw text per page image (cached_ocr), shared by the benchmarks that scan development text
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "policykg" / "ocrbench"
_NO_LINE_START = "，。、；：？！）》”’」』,.;:?!)"
_UNBROKEN = re.compile(r"[0-9A-Za-z.%][0-9A-Za-z.%]")
_RUN_IN = re.compile(r"[^。；，,\n]{2,24}[。；]")


def _before_unbroken_run(para: str, cut: int, floor: int) -> int:
    """`cut` moved back to the start of a number or Latin word it would break (2025年, 1.5%, RCEP): a
    typesetter moves the whole run to the next line. Unchanged when the run reaches back past `floor`."""
    run = cut
    while 0 < run < len(para) and _UNBROKEN.fullmatch(para[run - 1 : run + 1]):
        run -= 1
    return run if run > floor else cut


def layout(text: str, chars_per_line: int = CHARS_PER_LINE, lines_per_page: int = LINES_PER_PAGE) -> list[list[str]]:
    """Paragraphs wrapped into lines (first line indented two characters), lines into pages."""
    lines: list[str] = []
    for para in (p.strip() for p in text.splitlines()):
        if not para:
            continue
        para = INDENT + para
        while para:
            cut = chars_per_line
            while cut < len(para) and para[cut] in _NO_LINE_START and cut < chars_per_line + 2:
                cut += 1  # punctuation hangs in the margin, as typesetters do: no line opens with ，。
            cut = _before_unbroken_run(para, cut, chars_per_line // 2)
            lines.append(para[:cut])
            para = para[cut:]
    return [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]


def bold_prefix(line: str, genre: Genre) -> int:
    """How many characters of a paragraph's first line are printed bold: a whole short heading (一、总体
    要求, 第一章 总则), an article's number (第一条), a run-in title after its marker (（一）加强组织领导。)."""
    from corpus.grammar import grammar

    if not line.startswith(INDENT):
        return 0  # a wrapped line: bold only starts paragraphs
    body = line[len(INDENT):]
    marker = grammar(genre).match_marker(body)
    if marker is None:
        return 0
    rest = body[marker.end:]
    if marker.style.name in ("volume", "chapter", "part", "cn_dun") and not any(ch in rest for ch in "。；，"):
        return len(line)
    if marker.style.name == "article":
        return len(INDENT) + marker.end
    m = _RUN_IN.match(rest)
    return len(INDENT) + marker.end + m.end() if m else 0


def render_scan(path: Path, pages: list[list[str]], dpi: int = 200, watermark: str | None = WATERMARK,
                degrade: dict | None = None, bold: Callable[[str], int] | None = None,
                typeface: Callable[[str], list[Segment]] | None = None) -> Path:
    """An image-only PDF of the given pages of lines; `watermark` is drawn as the only text layer.

    `bold(line)`: how many leading characters of a line to print in a faked bold (WenQuanYi Zen Hei
    throughout); `typeface(line)`: the line's runs, each with its font (see `official_typeface`);
    `degrade`: the damage of a real scan (a value of DAMAGE), made the same every run (seeded by the
    page number)."""
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    _register_fonts()
    typeset = io.BytesIO()
    c = canvas.Canvas(typeset)
    for lines in pages:
        y = 780
        for line in lines:
            if typeface is None:
                _draw_bold(c, 60, y, line, bold(line) if bold else 0)
            else:
                _draw_line(c, 60, y, typeface(line))
            y -= 22
        c.showPage()
    c.save()
    width, height = 595.27, 841.89
    scan = canvas.Canvas(str(path), pagesize=(width, height))
    doc = pypdfium2.PdfDocument(typeset.getvalue())
    for i in range(len(doc)):
        image = doc[i].render(scale=dpi / 72, grayscale=True).to_pil()
        if degrade:
            image = degraded(image, seed=i, **{k: v for k, v in degrade.items() if k != "dpi"})
        scan.drawImage(ImageReader(image), 0, 0, width, height)
        if watermark:
            scan.setFont("Helvetica", 8) if watermark.isascii() else _cjk_font(scan)
            scan.drawString(width - 120, 20, watermark)
        scan.showPage()
    doc.close()
    scan.save()
    return path


@dataclass(frozen=True)
class Segment:
    """A run of a typeset line: its text, font (registered name) and whether it is faked bold."""

    text: str
    font: str
    bold: bool = False


# the faces of a printed government document where Debian's AR PL fonts are installed
# (fonts-arphic-uming, fonts-arphic-ukai): 宋体-like body, 黑体 for 一、 headings, 楷体 for （一）
FACES = {"SONG": Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
         "KAI": Path("/usr/share/fonts/truetype/arphic/ukai.ttc")}


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if "WQY" not in registered:
        pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    for name, path in FACES.items():
        if name not in registered and path.exists():
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))


def official_typeface(genre: Genre) -> Callable[[str], list[Segment]]:
    """Lines set the way a government document prints them: body in 宋体, 一、/第X章 headings and the
    number of 第X条 in 黑体, （一） headings and run-in titles in 楷体, other run-in titles in bold.
    Falls back to WenQuanYi Zen Hei where the AR PL fonts are missing."""
    from corpus.grammar import grammar

    g = grammar(genre)
    song = "SONG" if FACES["SONG"].exists() else "WQY"
    kai = "KAI" if FACES["KAI"].exists() else "WQY"

    def typeface(line: str) -> list[Segment]:
        body = line[len(INDENT):] if line.startswith(INDENT) else ""
        marker = g.match_marker(body) if body else None
        if marker is None:
            return [Segment(line, song)]
        rest = body[marker.end:]
        head = len(INDENT) + marker.end
        name = marker.style.name
        if name in ("volume", "chapter", "part", "cn_dun") and not any(ch in rest for ch in "。；，"):
            return [Segment(line, "WQY")]
        if name == "article":
            return [Segment(line[:head], "WQY"), Segment(line[head:], song)]
        m = _RUN_IN.match(rest)
        if name == "cn_paren":
            end = head + m.end() if m else (len(line) if not any(ch in rest for ch in "。；，") else head)
            return [Segment(line[:end], kai), Segment(line[end:], song)]
        end = head + m.end() if m else 0
        return [Segment(line[:end], song, True), Segment(line[end:], song)]

    return typeface


def _draw_line(c, x: float, y: float, segments: list[Segment]) -> None:
    """One line of 14-point text, run by run (a faked bold is fill and stroke)."""
    text = c.beginText(x, y)
    c.setLineWidth(0.6)
    for seg in segments:
        if seg.text:
            text.setFont(seg.font, 14)
            text.setTextRenderMode(2 if seg.bold else 0)
            text.textOut(seg.text)
    c.drawText(text)


def _draw_bold(c, x: float, y: float, line: str, bold: int) -> None:
    """One line of 14-point WenQuanYi Zen Hei, its first `bold` characters in a faked bold."""
    c.setFont("WQY", 14)
    if bold:
        text = c.beginText(x, y)
        text.setFont("WQY", 14)
        text.setTextRenderMode(2)
        c.setLineWidth(0.6)
        text.textOut(line[:bold])
        text.setTextRenderMode(0)
        text.textOut(line[bold:])
        c.drawText(text)
    else:
        c.drawString(x, y, line)


def degraded(image, seed: int = 0, angle: float = 0.8, blur: float = 0.6, noise: float = 12.0, jpeg: int = 50):
    """The page as an office scanner returns it: skewed by up to `angle` degrees, blurred, grey paper with
    sensor noise and a few specks, JPEG-compressed at quality `jpeg`."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    image = image.convert("L").rotate(rng.uniform(-angle, angle), resample=Image.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(blur))
    pixels = np.asarray(image, dtype=float) * 0.9 + 12  # grey paper, ink not quite black
    pixels += rng.normal(0, noise, pixels.shape)
    pixels[rng.random(pixels.shape) < 0.0003] = 30  # dust
    image = Image.fromarray(np.clip(pixels, 0, 255).astype("uint8"))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=jpeg)
    return Image.open(io.BytesIO(buf.getvalue()))


@contextlib.contextmanager
def cached_ocr(folder: Path) -> Iterator[None]:
    """Tesseract's raw text of each page image kept in `folder` (keyed by the image's pixels), so the
    repair of OCR text can be measured again without recognising the pages again."""
    from corpus.readers import ocr

    folder.mkdir(parents=True, exist_ok=True)
    original = ocr.tesseract_text

    def cached(image) -> str:
        gray = image.convert("L")
        key = hashlib.sha256(gray.tobytes() + repr(gray.size).encode()).hexdigest()[:32]
        f = folder / f"{key}.txt"
        if f.exists():
            return f.read_text("utf-8")
        text = original(gray)
        f.write_text(text, "utf-8")
        return text

    ocr.tesseract_text = cached
    try:
        yield
    finally:
        ocr.tesseract_text = original


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


@dataclass(frozen=True)
class Heading:
    """A numbered heading of an outline: a section's or a measure's marker and title."""

    style: str  # the grammar's numbering style (cn_dun, cn_paren, arabic, article ...)
    value: int | None
    number: str
    title: str
    kind: str  # section | measure


def headings(policy, genre: Genre) -> list[Heading]:
    """The numbered headings of a parsed policy, in document order."""
    from corpus.grammar import grammar

    g = grammar(genre)
    items = [(s.start, s.number, s.title, "section") for s in policy.all_sections()]
    items += [(m.start, m.number, m.title, "measure") for m in policy.measures()]
    out = []
    for _, number, title, kind in sorted(items, key=lambda t: t[0]):
        marker = g.match_marker(number) if number else None
        if marker is not None:
            out.append(Heading(marker.style.name, marker.value, number, title, kind))
    return out


@dataclass
class OutlineScore:
    """Headings of the known text found again in the recognised text."""

    known: list[Heading]
    found: list[Heading]
    recovered: list[Heading]

    @property
    def recall(self) -> float:
        return len(self.recovered) / max(1, len(self.known))

    @property
    def false(self) -> list[Heading]:
        """Headings of the OCR outline that match none of the known ones (numbering invented by OCR)."""
        return [h for h in self.found if not any(_same(h, k) for k in self.known)]

    @property
    def missed(self) -> list[Heading]:
        return [k for k in self.known if k not in self.recovered]


def _same(a: Heading, b: Heading) -> bool:
    return a.style == b.style and a.value == b.value and char_accuracy(a.title, b.title) >= 0.7


def outline_score(known: list[Heading], found: list[Heading]) -> OutlineScore:
    """Known headings matched in order to unused recognised ones of the same style, number and title."""
    used: set[int] = set()
    recovered = []
    for k in known:
        j = next((j for j, h in enumerate(found) if j not in used and _same(k, h)), None)
        if j is not None:
            used.add(j)
            recovered.append(k)
    return OutlineScore(known, found, recovered)


def dev_source(code: str) -> Path:
    """The development-corpus text document whose file name starts with `code` (e.g. 037)."""
    found = sorted((DEVCORPUS / "docs").glob(f"{code}_*.txt"))
    if not found:
        raise SystemExit(f"no development-corpus text document {code}_*.txt")
    return found[0]


def excerpt(path: Path, pages: int, genre: Genre) -> str:
    """The whole paragraphs of a document's cleaned text that fill its first `pages` typeset pages
    (tables and markdown left out: a scan prints them as drawings)."""
    from corpus.loader import load_text

    budget = pages * LINES_PER_PAGE
    kept = []
    for para in load_text(path, genre=genre).text.splitlines():
        para = para.strip().replace("**", "")
        if not para or para.startswith(("|", "#")):
            continue
        n = len(layout(para, lines_per_page=10**6)[0])
        if n > budget:
            break
        budget -= n
        kept.append(para)
    return "\n".join(kept)


@dataclass
class ScanResult:
    name: str
    pages: int
    chars: int
    accuracy: float
    outline: OutlineScore
    known_measures: int
    found_measures: int
    known_sections: int
    found_sections: int
    seconds: float
    text: str


def scan_dpi(degrade: dict | None, dpi: int = 0) -> int:
    """The resolution of a scan: `dpi` when given, else the damage's own, else 200."""
    return dpi or (degrade["dpi"] if degrade else 200)


def typeset_scan(path: Path, text: str, *, genre: Genre, dpi: int, degrade: dict | None,
                 official: bool = False) -> tuple[Path, int]:
    """`text` typeset (headings in bold, or a government document's faces) and scanned into `path`:
    the scan and its number of pages."""
    pages = layout(text)
    render_scan(path, pages, dpi=dpi, degrade=degrade, bold=lambda line: bold_prefix(line, genre),
                typeface=official_typeface(genre) if official else None)
    return path, len(pages)


def bench_document(name: str, text: str, *, genre: Genre, dpi: int, degrade: dict | None, cache: Path,
                   workdir: Path, official: bool = False) -> ScanResult:
    """Typeset `text`, scan it, read it back through the PDF reader; accuracy and outline recovery."""
    from corpus import parse_text
    from corpus.loader import text_to_loaded
    from corpus.readers.pdf import read_pdf
    from corpus.segment import segment

    pdf, pages = typeset_scan(workdir / f"{name}.pdf", text, genre=genre, dpi=dpi, degrade=degrade,
                              official=official)
    t0 = time.perf_counter()
    with cached_ocr(cache):
        reading = read_pdf(pdf.read_bytes(), str(pdf), genre=genre)
    seconds = time.perf_counter() - t0
    known_policy = parse_text(text, name, genre=genre)
    read_policy = segment(text_to_loaded(reading.text, name, reading.encoding, genre=genre), name, genre=genre)
    score = outline_score(headings(known_policy, genre), headings(read_policy, genre))
    return ScanResult(name, pages, len(meaningful(text)), char_accuracy(reading.text, text), score,
                      len(known_policy.measures()), len(read_policy.measures()),
                      len(known_policy.all_sections()), len(read_policy.all_sections()), seconds, reading.text)


@contextlib.contextmanager
def _numbering_repair(on: bool) -> Iterator[None]:
    """The OCR reader with or without its repair of damaged numbering markers (an ablation)."""
    from corpus.readers import ocr

    original = ocr.repair_numbering
    if not on:
        ocr.repair_numbering = lambda pages, genre: pages
    try:
        yield
    finally:
        ocr.repair_numbering = original


def _dev_main(args, genre: Genre) -> int:
    degrade = DAMAGE[args.degrade]
    dpi = scan_dpi(degrade, args.dpi)
    codes = [c.strip() for c in args.docs.split(",") if c.strip()] if args.docs else list(DEV_DOCS)
    results = []
    with tempfile.TemporaryDirectory(prefix="policykg-ocrbench-") as tmp:
        for code in codes:
            source = dev_source(code)
            r = bench_document(code, excerpt(source, args.pages, genre), genre=genre, dpi=dpi, degrade=degrade,
                               cache=args.cache, workdir=Path(tmp), official=args.typeface == "official")
            results.append(r)
            o = r.outline
            print(f"{source.name[:48]:48} pages {r.pages}  acc {r.accuracy:.3f}  headings {len(o.recovered)}/"
                  f"{len(o.known)} ({o.recall:.0%}), false {len(o.false)}  measures {r.found_measures}/"
                  f"{r.known_measures}  sections {r.found_sections}/{r.known_sections}  {r.seconds:.0f}s", flush=True)
            if args.verbose:
                for h in o.missed:
                    print(f"    missed  {h.kind:7} {h.style:9} {h.number}{h.title}")
                for h in o.false:
                    print(f"    false   {h.kind:7} {h.style:9} {h.number}{h.title}")
            if args.dump:
                args.dump.mkdir(parents=True, exist_ok=True)
                (args.dump / f"{code}.ocr.txt").write_text(r.text, "utf-8")
    known = sum(len(r.outline.known) for r in results)
    recovered = sum(len(r.outline.recovered) for r in results)
    chars = sum(r.chars for r in results)
    acc = sum(r.accuracy * r.chars for r in results) / max(1, chars)
    print(f"ALL {len(results)} documents, {sum(r.pages for r in results)} pages at {dpi} dpi "
          f"({args.degrade}, {args.typeface}): character accuracy {acc:.4f}; headings recovered {recovered}/{known} "
          f"({recovered / max(1, known):.1%}), false headings {sum(len(r.outline.false) for r in results)}; "
          f"measures {sum(r.found_measures for r in results)}/{sum(r.known_measures for r in results)}")
    return 0


def main(argv: list[str] | None = None, *, genre: Genre) -> int:
    from corpus.loader import split_front_matter
    from corpus.readers.pdf import read_pdf

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, default=Path("corpus/docs/shanghai-2025-33-open-source.txt"))
    ap.add_argument("--pages", type=int, default=2, help="pages of the source to render and read")
    ap.add_argument("--dpi", type=int, default=0, help="resolution of the simulated scan (default 200; 150 "
                    "with --degrade office)")
    ap.add_argument("--dev", action="store_true", help="typeset development-part documents and score outlines")
    ap.add_argument("--docs", help=f"with --dev: comma-separated document numbers (default: {','.join(DEV_DOCS)})")
    ap.add_argument("--degrade", choices=tuple(DAMAGE), default="office", help="with --dev: scan damage")
    ap.add_argument("--typeface", choices=("sans", "official"), default="sans",
                    help="with --dev: WenQuanYi Zen Hei throughout (bold headings), or a government document's "
                    "faces (宋体 body, 黑体 一、, 楷体 （一）; needs fonts-arphic-uming and fonts-arphic-ukai)")
    ap.add_argument("--cache", type=Path, default=CACHE, help="folder of cached Tesseract output")
    ap.add_argument("--dump", type=Path, help="with --dev: write each recognised text to this folder")
    ap.add_argument("--no-repair", action="store_true", help="with --dev: leave damaged numbering markers "
                    "as recognised (what the repair of OCR numbering contributes)")
    ap.add_argument("-v", "--verbose", action="store_true", help="with --dev: list missed and false headings")
    args = ap.parse_args(argv)
    if args.dev:
        with _numbering_repair(not args.no_repair):
            return _dev_main(args, genre)
    dpi = args.dpi or 200
    _, body = split_front_matter(args.source.read_text("utf-8"))
    pages = layout(body)[: args.pages]
    known = "\n".join("\n".join(p) for p in pages)
    with tempfile.TemporaryDirectory(prefix="policykg-ocrbench-") as tmp:
        pdf = render_scan(Path(tmp) / "scan.pdf", pages, dpi=dpi)
        data = pdf.read_bytes()
        t0, c0 = time.perf_counter(), _cpu()
        reading = read_pdf(data, str(pdf), genre=genre)
        seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    acc = char_accuracy(reading.text, known)
    print(f"source: {args.source} ({len(pages)} page(s), {len(meaningful(known))} characters, scan at {dpi} dpi)")
    print(f"text source: {reading.text_source}; reader: {reading.encoding}")
    print(f"character accuracy (1 - CER): {acc:.4f}")
    print(f"speed: {len(pages) / seconds:.3f} pages/s wall ({seconds:.1f} s for {len(pages)} page(s)); "
          f"{cpu / len(pages):.1f} CPU-s per page (this process and Tesseract; wall time depends on machine load)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(genre=packaged()))
