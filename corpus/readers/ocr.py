"""OCR of scanned pages: each page rendered at 300 dpi (pdfium through pdfplumber) and read by Tesseract.

Tesseract with its simplified-Chinese model (Debian: tesseract-ocr, tesseract-ocr-chi-sim) is called
through pytesseract, page by page, reporting progress. Nothing is cached: the images live in memory and
pytesseract's temporary files are removed as it goes.

The recognised text is repaired here, and only here, because only here is it known to be OCR output:
Tesseract's spaces between Chinese characters go (`tidy`), and the numbering markers it damages are
restored where the layout makes the reading certain (`repair_numbering`): 一 read as — or -, （一） as
(-), 十 as +, 、 as ，, the dot of `1.` lost or spaced, a bracket dropped, a speck read as 。 or ” before
a heading. A marker is only restored at the start of a paragraph and when it is the next number of its
style in the document (二、 after 一、, （三） after （二）), so running text never gains a heading.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from corpus.grammar import Grammar
from corpus.model import LoadError
from corpus.readers import ProgressFn
from genre import Genre

LANG = "chi_sim"
DPI = 300  # Tesseract's models are trained on text of about 300 dpi; lower loses small 仿宋 strokes
_INSTALL = "install Tesseract and its Chinese model (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
_SPACE_NEAR_CJK_PUNCT = re.compile(r"[ \t]+(?=[，。、；：！？）》」”])|(?<=[（《「“])[ \t]+|(?<=[\u4e00-\u9fff])[ \t]+(?=[,;:?!)])")
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%])[ \t]+(?=[{_CJK}])")
_HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])[,;:?!)]")
_OPEN_BEFORE_CJK = re.compile(rf"\([ \t]*(?=[{_CJK}])")
# The year of a 文号 is always in 〔〕; OCR reads those brackets as 【】, [], () or a mix.
_DOC_NO_YEAR = re.compile(r"[【\[(（〔［]\s*((?:19|20)\d\d)\s*[\]】)）〕］](?=\s*\d{1,4}\s*号)")


def check_tesseract(path: str) -> None:
    """LoadError saying what to install when Tesseract or its chi_sim model is missing."""
    import pytesseract

    try:
        langs = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise LoadError(f"{path}: scanned PDF (no text layer) needs OCR, but Tesseract is not installed; "
                        f"{_INSTALL}") from exc
    if LANG not in langs:
        raise LoadError(f"{path}: scanned PDF (no text layer) needs OCR, but Tesseract has no simplified-Chinese "
                        f"model ({LANG}); {_INSTALL}")


def ocr_pages(data: bytes, path: str, pages: list[int], total: int,
              progress: ProgressFn | None = None, *, genre: Genre | None = None,
              drop: Callable[[str], bool] | None = None) -> dict[int, str]:
    """Recognised text of the given pages (0-based), page by page; with `genre`, numbering markers
    damaged by recognition repaired across the pages (a list goes on over a page break), after the
    lines `drop` tells (a watermark drawn on the image) and page numbers at a page's edges are taken
    out: they are no lines of the text, and a short line is a heading's shape."""
    import pdfplumber

    check_tesseract(path)
    out: dict[int, str] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for done, i in enumerate(pages, 1):
            page = pdf.pages[i]
            image = page.to_image(resolution=DPI).original
            out[i] = _without_furniture(recognise(image), drop, genre)
            page.close()
            if progress:
                progress("ocr", done, len(pages))
    if genre is not None:
        fixed = repair_numbering([out[i] for i in pages], genre=genre)
        out = dict(zip(pages, fixed, strict=True))
    return out


def _without_furniture(text: str, drop: Callable[[str], bool] | None, genre: Genre | None) -> str:
    """The page's text without the lines `drop` tells and page numbers among its first or last two lines."""
    from corpus.grammar import grammar

    g = grammar(genre) if genre is not None else None
    lines = text.split("\n")
    filled = [k for k, line in enumerate(lines) if line.strip()]
    edges = set(filled[:2] + filled[-2:])
    kept = [line for k, line in enumerate(lines)
            if not (line.strip() and ((drop and drop(line)) or (g and k in edges and g.is_page_furniture(line.strip()))))]
    return "\n".join(kept).strip()


def recognise(image) -> str:
    """Tesseract's text of one page image, with the spaces it puts between Chinese characters removed."""
    return tidy(tesseract_text(image))


def tesseract_text(image) -> str:
    """Tesseract's raw text of one page image (the benchmark caches this call: OCR is slow)."""
    import pytesseract

    return pytesseract.image_to_string(image.convert("L"), lang=LANG, config="--psm 3")


def tidy(text: str) -> str:
    """Tesseract's Chinese made ordinary: no spaces between CJK characters (it separates every glyph) or
    between them and digits; ASCII punctuation next to Chinese written full width, as it was printed;
    the 〔〕 of a 文号's year restored; blank-line runs collapsed.

    Tesseract often reads a Chinese mark as its ASCII look-alike with spaces around it (`。 (责任单位 :
    省住建厅, 省财政厅)`); once written full width the mark is CJK, so the spaces beside it go in a second
    pass, or the text, its chunks and its quotes keep them (`（责任单位： 省住建厅`, `（九） 其他`)."""
    lines = []
    for line in text.splitlines():
        line = _SPACE_NEAR_CJK_PUNCT.sub("", _SPACE_IN_CJK.sub("", line.strip()))
        line = _SPACE_CJK_DIGIT.sub("", line)
        line = _HALF_AFTER_CJK.sub(lambda m: _HALF[m.group(0)], _OPEN_BEFORE_CJK.sub("（", line))
        line = _SPACE_IN_CJK.sub("", line)
        line = _DOC_NO_YEAR.sub(r"〔\1〕", line)
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


# -- numbering markers damaged by recognition --------------------------------------------------------

# what Tesseract reads for a Chinese numeral in a marker (the stroke of 一 as a dash, 二 as =, 十 as +)
_CN_CONFUSED = str.maketrans({"—": "一", "-": "一", "－": "一", "–": "一", "_": "一", "=": "二", "+": "十"})
_AR_CONFUSED = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0", "o": "0"})
_CN = "一二三四五六七八九十"
_CN_LIKE = _CN + "—\\-－–_=+"
_NOISE = "。，、．.,·•'\"“”‘’`:：;；_~|丨"  # specks and stains read as punctuation before a heading
_TITLE_START = re.compile(r"\s*[\u4e00-\u9fff“《]")
_TRAILING_SPECKS = re.compile(r"[\sA-Za-z0-9_~|'\"“”‘’`·•,.]+$")
# damaged forms of the genre's markers at the start of a line; `strong`: the marker's own punctuation or
# brackets survive, so its shape alone says it is a marker; weak forms need the paragraph to be a heading
_DAMAGED = (
    ("cn_paren", True, re.compile(rf"[（(《]\s*([{_CN_LIKE}]{{1,3}})\s*[）)]\s*")),  # （ read as 《 too
    ("cn_paren", True, re.compile(rf"[（(《]\s*([{_CN_LIKE}]{{1,3}})\s+(?=[\u4e00-\u9fff])")),
    ("cn_paren", True, re.compile(rf"([{_CN}]{{1,3}})\s*[）)]\s*")),
    ("cn_paren", True, re.compile(r"[（(《]\s*(\S{1,2}?)\s*[）)]\s*")),  # numeral unreadable (入, 丸): by sequence
    ("cn_paren", True, re.compile(r"()[）)]\s*")),  # numeral and opening bracket lost: by sequence
    ("cn_dun", True, re.compile(rf"([{_CN_LIKE}]{{1,3}})\s*[、，,丶．.·]\s*")),
    ("cn_dun", False, re.compile(r"()[、丶]\s*")),  # numeral lost: by sequence, before a heading
    ("cn_dun", False, re.compile(rf"([{_CN}]{{1,3}})\s*(?=[\u4e00-\u9fff])")),
    ("article", True, re.compile(rf"第\s*([{_CN_LIKE}百零〇]{{1,4}})\s*条\s*")),
    ("chapter", True, re.compile(rf"第\s*([{_CN_LIKE}百零〇]{{1,4}})\s*章\s*")),
    ("ar_paren", True, re.compile(r"[（(]\s*([0-9lI|]{1,2})\s*[）)]\s*")),
    ("arabic", True, re.compile(r"([0-9]{1,2}|[lI|])\s*[.．,，、丶·]\s*(?![0-9])")),
    ("arabic", False, re.compile(r"([0-9]{1,2})(?=[\u4e00-\u9fff])(?![年月日时号个家名人万亿元倍次天岁])")),
)
_BARE_MARKER = re.compile(rf"((?:[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[）)]|第[{_CN}百零〇]{{1,4}}[章条]))\s*[A-Za-z0-9]{{1,2}}")
_RUN_IN_HEADS = {"volume", "chapter", "part", "cn_dun"}
_RUN_TOGETHER = re.compile(rf"[\s{_NOISE}]*([\u4e00-\u9fff]{{1,15}}?)[\s{_NOISE}]*(?=第[{_CN}百零〇]{{1,4}}条|[（(][{_CN}]{{1,3}}[）)])")
_REPEATABLE = {"cn_dun", "cn_paren"}  # numerals a lost stroke turns into the one before (三→二, 二→一)
_CONTINUOUS = {"chapter", "article"}  # 第八条 follows 第七条 across a 第二章
_CANON = {"cn_paren": "（{}）", "cn_dun": "{}、", "article": "第{}条", "chapter": "第{}章", "ar_paren": "（{}）",
          "arabic": "{}."}


@dataclass
class _Numbering:
    """The numbering seen so far in the document: each style's last value. A heading restarts the count
    of the styles below it in the genre's hierarchy (the grammar's order of styles: 第X章 over 一、 over
    （一） over 1. …), except articles and chapters, numbered through the whole document. The genre's
    order, not the document's order of first use, since the first heading may be the one OCR lost — but
    a style of another chain that the document used first stands above it there (第1条 articles under
    一、 sections restart no 一、 count)."""

    rank: dict[str, int]
    last: dict[str, int]
    g: Grammar | None = None
    first: dict[str, int] = field(default_factory=dict)  # style -> order of its first heading

    def see(self, style: str, value: int) -> None:
        self.first.setdefault(style, len(self.first))
        for other in self.rank:
            if self.rank[other] > self.rank.get(style, 0) and other not in _CONTINUOUS \
                    and not self._above_here(other, style):
                self.last[other] = 0
        self.last[style] = value

    def _above_here(self, other: str, style: str) -> bool:
        """`other` is no style of `style`'s chain and the document used it first: it stands above."""
        if self.g is None or other not in self.first or self.first[other] > self.first[style]:
            return False
        return not (self.g.above(style, other) or self.g.above(other, style))

    def seen(self, style: str) -> bool:
        return style in self.last

    def expected(self, style: str) -> int:
        return self.last.get(style, 0) + 1


def repair_numbering(pages: list[str], *, genre: Genre) -> list[str]:
    """Each page's recognised text with the numbering markers that recognition damaged restored.

    A damaged marker is restored only (1) at the start of a paragraph: the line before ends a sentence
    or a heading, or is a paragraph's short last line; (2) followed by heading text (a Chinese
    character, 《 or “); (3) when its number is the next one of its style. A marker whose brackets or
    punctuation survived may also restart its style (1) or skip one or two numbers (the heading before
    it lost beyond repair); one reduced to a bare numeral must be exactly the next, from 2 on, and
    before a heading-like title. An unreadable numeral or a lost opening bracket is read as the number
    the sequence expects, once the style has been counted."""
    from corpus.grammar import grammar

    g = grammar(genre)
    numbering = _Numbering({style.name: i for i, style in enumerate(g.styles)}, {}, g)
    lines = [page.split("\n") for page in pages]
    flat = [line for page in lines for line in page]
    width = _line_width(flat)
    prev = ""
    out_pages = []
    for page in lines:
        out = []
        for line in page:
            fixed = _heading_tail(_repair_line(line, prev, width, numbering, g), width, g)
            for part in _split_run_together(fixed, numbering, g):
                marker = g.match_marker(part) if part else None
                if marker is not None and marker.value is not None and \
                        (_starts_paragraph(prev, width, g) or len(part) < 0.75 * width):
                    numbering.see(marker.style.name, marker.value)  # a heading, whatever came before it
                out.append(part)
                prev = part
        out_pages.append(out)
    flat = [line for page in out_pages for line in page]
    restore_lost_headings(flat, width, g)
    it = iter(flat)
    return ["\n".join(next(it) for _ in page) for page in out_pages]


def restore_lost_headings(lines: list[str], width: int, g: Grammar) -> None:
    """Headings recognition left without a readable marker (总体要求 / 、总体要求 / 丑、保障措施), restored from
    the numbering around them, in place, and only where a later heading of the style has a greater
    number, so that the document itself says the number was there:
    - sequence: between 一、 and 四、 stand two lost headings; when exactly that many lines between them
      can be headings (a marker's shape with its numeral unreadable: 人、 / 、 / 第入条; or, but for the
      first heading of a style, a short title on a line of its own), they are those headings;
    - hierarchy: a style's items restarting (（一） again after （三）) with no heading of the style above
      them in between (一、 > （一） in the genre's hierarchy) means that heading was lost; so does a
      first （一） before a first 二、. The lost heading is the short heading-like line just before the
      restarted items, and its number the next of its style."""
    _fill_gaps(lines, width, g)
    heads = _headings(lines, width, g)
    used = {marker.style.name for _, marker in heads}
    for style in sorted(used, key=lambda name: [s.name for s in g.styles].index(name)):
        changed = False
        parent = _parent_style(style, used, g)
        if parent is None or style in _CONTINUOUS:
            continue
        last, at = 0, -1  # the parent's last number (lost ones restored included) and its line
        ran = False  # items of `style` met since the parent's last heading
        for k, (i, marker) in enumerate(heads):
            name = marker.style.name
            if name == parent:
                last, at, ran = marker.value, i, False
                continue
            if g.above(name, style) and g.above(name, parent):
                last, at, ran = 0, i, False  # a heading above both restarts the parent
                continue
            if name != style:
                continue
            later = next((m.value for _, m in heads[k + 1 :] if m.style.name == parent), None)
            if marker.value == 1 and later is not None and later > last + 1:
                # the items restart (or start before the first parent heading): their heading was there,
                # restored here or lost beyond repair; items starting right under a parent heading
                # that has text of its own are the lost heading's only when its line is a short title
                strict = not ran and last > 0
                if ran or last == 0 or _has_text(lines, at, i, g):
                    last += 1
                    changed = _restore_before(lines, i, parent, last, width, g, strict=strict) or changed
            ran = True
        if changed:
            heads = _headings(lines, width, g)


# a style's marker with its numeral unreadable (人、 / 、 / 丑，; （入）; 第入条): its shape is left
_SHAPES = {
    "cn_dun": re.compile(r"(?P<n>[^\s，。；：、（(]{0,2})\s*[、，,丶．.·]\s*"),
    "cn_paren": re.compile(r"[（(《]\s*(?P<n>\S{0,2}?)\s*[）)]\s*"),
    "article": re.compile(r"第\s*(?P<n>\S{1,3}?)\s*条\s*"),
    "chapter": re.compile(r"第\s*(?P<n>\S{1,3}?)\s*章\s*"),
    "arabic": re.compile(r"(?P<n>[0-9lI|]{1,2})\s*[.．,，、丶·]?\s*"),  # its dot lost: 1申报单位…
}
_SENTENCES = {"article", "arabic"}  # styles whose items are sentences, not short titles
_TITLED = {"cn_dun", "cn_paren"}  # styles whose headings may stand as a bare title, their marker lost
_SPECKS = "".join(ch for ch in _NOISE if ch not in "、，,．.·") + " "  # specks, not a marker's punctuation
_MAX_LOST = 2  # headings lost in a row that the sequence may restore


def _fill_gaps(lines: list[str], width: int, g: Grammar) -> None:
    """Lost headings restored where a style's numbers skip (一、 then 四、, or 2. first under its heading):
    see restore_lost_headings. A heading of a style above it in its chain starts the count again."""
    heads = _headings(lines, width, g)
    for style in _SHAPES:
        counted = [(i, m.value if m.style.name == style else 0) for i, m in heads if m.style.name == style
                   or (style not in _CONTINUOUS and g.above(m.style.name, style))]
        for (a, va), (b, vb) in itertools.pairwise([(-1, 0), *counted]):
            missing = vb - va - 1
            if not 1 <= missing <= _MAX_LOST or (style in _CONTINUOUS and va == 0):
                continue
            found = _gap_candidates(lines, a + 1, b, style, width, g, first=a == -1)
            if len(found) == missing and all(v in (None, va + k) for k, (_, _, v) in enumerate(found, 1)):
                for k, (j, title, _) in enumerate(found, 1):
                    lines[j] = _CANON[style].format(_numeral(style, va + k)) + title


def _gap_candidates(lines: list[str], start: int, end: int, style: str, width: int, g: Grammar,
                    first: bool) -> list[tuple[int, str, int | None]]:
    """Lines between `start` and `end` that can be lost headings of `style`: (index, title, the number
    still readable in it). A marker's shape with its numeral unreadable or its punctuation lost, at the
    start of a paragraph — or anywhere when it opens with the marker's punctuation (、 never opens a line
    of Chinese text); besides, for 一、 and （一） headings but the first of the document (its header
    lines are short titles too), a short title on a line of its own."""
    out: list[tuple[int, str, int | None]] = []
    for j in range(start, end):
        line = lines[j].strip()
        if not line or g.match_marker(line):
            continue
        opening = _starts_paragraph(lines[j - 1] if j else "", width, g)
        body = line.lstrip(_SPECKS)
        shape = _SHAPES[style].match(body)
        if shape:
            title = body[shape.end():]
            if (opening or line[0] in "、，,") and _TITLE_START.match(title) and \
                    (style in _SENTENCES or _lost_heading(line, title, width, g)):
                out.append((j, title, _readable(style, shape.group("n"))))
                continue
        if not first and opening and style in _TITLED and _bare_title(line, width, g) and \
                (j + 1 >= len(lines) or not lines[j + 1].strip() or lines[j + 1][:1] not in "，、；。："):
            out.append((j, line, None))
    return out


def _readable(style: str, raw: str) -> int | None:
    """The number a damaged marker still shows, None when it shows none."""
    from genre.numerals import numeral_value

    if style == "arabic":
        return numeral_value(raw.translate(_AR_CONFUSED))
    return numeral_value(raw.translate(_CN_CONFUSED)) if raw else None


def _headings(lines: list[str], width: int, g: Grammar) -> list[tuple[int, object]]:
    """(index, marker) of the lines that are numbered headings: a marker with a number at the start of a
    paragraph or on a short line."""
    out = []
    prev = ""
    for i, line in enumerate(lines):
        marker = g.match_marker(line) if line else None
        if marker is not None and marker.value is not None and \
                (_starts_paragraph(prev, width, g) or len(line) < 0.75 * width):
            out.append((i, marker))
        prev = line
    return out


def _parent_style(style: str, used: set[str], g: Grammar) -> str | None:
    """The style of the document right above `style` in its chain of the genre's hierarchy."""
    for chain in g.hierarchy:
        if style in chain:
            above = [s for s in chain[: chain.index(style)] if s in used]
            return above[-1] if above else None
    return None


def _has_text(lines: list[str], start: int, end: int, g: Grammar) -> bool:
    """A sentence ends between lines `start` and `end`: the heading at `start` has text of its own."""
    return any(line.rstrip()[-1:] in g.terminators for line in lines[start + 1 : end] if line.strip())


def _restore_before(lines: list[str], i: int, style: str, value: int, width: int, g: Grammar,
                    strict: bool = False) -> bool:
    """The short heading-like line before line `i` (its items) written as heading `value` of `style`.
    Between them may stand the heading's own introduction (a paragraph ending a sentence), never
    another heading. `strict`: only a short title that introduces no list (申请人应符合下列条件 whose
    colon was lost introduces the items, it is not their heading)."""
    for j in range(i - 1, max(-1, i - 4), -1):
        line = lines[j].strip()
        if not line or g.match_marker(line):
            return False
        bare = _LOST_MARKER.sub("", line, count=1)
        title = _without_numeral(bare, style, value)
        if strict and (len(title) > 15 or _INTRODUCES.search(title)):
            return False
        shaped = bare != line or title != bare  # what is left of a marker stood before the title
        heading = _lost_heading(line, title, width, g) if shaped else _bare_title(line, width, g)
        if heading and _starts_paragraph(lines[j - 1] if j else "", width, g):
            lines[j] = _CANON[style].format(_numeral(style, value)) + title
            return True
        if line[-1] not in g.terminators:
            return False  # a line of running text, not a paragraph of the heading's introduction
    return False


# a sentence announcing the items after it (its colon lost): 符合下列条件 / 包括以下内容 / 主要有
_INTRODUCES = re.compile(r"下列|以下|如下|包括|主要有|分别为|具体为")
# what is left of a marker recognition could not read: specks, letters, a numeral or a character with
# the marker's punctuation (、 丑、 —， 一.), or a numeral run into the title
_LOST_MARKER = re.compile(rf"^[\s{_NOISE}A-Za-z0-9]*(?:[^\s{_NOISE}]{{0,2}}\s*[、，,丶．.·]|[{_CN_LIKE}]\s+)?[\s{_NOISE}]*")


def _without_numeral(title: str, style: str, value: int) -> str:
    """The title without the heading's own numeral run into it (一总体要求 / —总体要求 for 一、)."""
    if style not in ("cn_dun", "cn_paren"):
        return title
    numeral = _numeral(style, value)
    head = title[: len(numeral)].translate(_CN_CONFUSED)
    return title[len(numeral) :].lstrip() if head == numeral and len(title) > len(numeral) + 1 else title


_PLAIN_TITLE = re.compile(r"[\u4e00-\u9fff“”《》、]+")


def _bare_title(line: str, width: int, g: Grammar) -> bool:
    """A line with no marker left at all that can only be a heading: a short title of words alone (no
    figures, brackets or formula signs: 年度考评分值=（上半年… is a line of text), announcing no list
    (申请人应符合下列条件, its colon lost, introduces the items after it)."""
    return bool(_PLAIN_TITLE.fullmatch(line)) and not _INTRODUCES.search(line) and _lost_heading(line, line, width, g)


def _lost_heading(line: str, title: str, width: int, g: Grammar) -> bool:
    """A line that can only be a heading: short, a Chinese title, no sentence punctuation in it."""
    if not title or not _TITLE_START.match(title) or not 2 <= len(title) <= 30:
        return False
    if width and len(line) >= 0.75 * width:
        return False
    if g.appendix.fullmatch(title) or g.box.fullmatch(title) or title[-1] in g.terminators:
        return False
    return not any(ch in title for ch in "，,。；;：:")


def _split_run_together(line: str, numbering: _Numbering, g) -> list[str]:
    """A heading and the item after it read as one line (第一章总则第一条为规范… / 一、总体要求（一）指导
    思想: the gap between them was lost with Tesseract's spaces) made two lines again: a chapter or
    一、 heading, a short title without punctuation, then the next item's marker (第X条 / （X）) whose
    number is the first or the next of its style."""
    marker = g.match_marker(line)
    if marker is None or marker.value is None or marker.style.name not in _RUN_IN_HEADS:
        return [line]
    m = _RUN_TOGETHER.match(line, marker.end)
    if m is None:
        return [line]
    rest = line[m.end() :]
    sub = g.match_marker(rest)
    if sub is None or sub.value is None or sub.style.name == marker.style.name:
        return [line]
    expected = numbering.expected(sub.style.name) if sub.style.name in _CONTINUOUS else 1
    if sub.value != expected:
        return [line]
    return [line[: marker.end] + m.group(1), rest]


def _line_width(lines: list[str]) -> int:
    """The length of a full line of the page (most lines of running text reach the right margin)."""
    lengths = sorted(len(x) for x in lines if len(x) >= 8)
    return lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0


def _starts_paragraph(prev: str, width: int, g) -> bool:
    """The line after `prev` opens a paragraph: `prev` is blank, ends a sentence (stray specks read as
    letters or quotes after it aside), or is a heading or a paragraph's last line (shorter than the
    measure of the page)."""
    body = _TRAILING_SPECKS.sub("", prev)
    if not body:
        return True
    if body[-1] in g.terminators or (len(body) >= 2 and body[-2] in g.terminators and body[-1] in "，、"):
        return True  # 。， : a speck after the full stop
    return bool(width) and len(prev.strip()) < 0.75 * width


def _repair_line(line: str, prev: str, width: int, numbering: _Numbering, g) -> str:
    """The line with a damaged marker at its start restored, or unchanged."""
    stripped = line.strip()
    if not stripped or not _starts_paragraph(prev, width, g):
        return line
    body = stripped.lstrip(_NOISE + " ")
    marker = g.match_marker(body) if body else None
    if marker is not None and marker.value is not None:
        style, rest = marker.style.name, body[marker.end :].lstrip()
        if marker.value in (1, numbering.expected(style)):
            return marker.number + rest  # specks before it, spaces after it dropped
        if marker.value == numbering.last.get(style) and style in _REPEATABLE and _heading_like(rest):
            # the number of the heading before, again: a stroke lost (三 read as 二); the sequence reads it
            return _CANON[style].format(_numeral(style, numbering.expected(style))) + rest
        return line
    return _restored(body, numbering) or _restored(stripped, numbering) or line


def _restored(body: str, numbering: _Numbering) -> str | None:
    """`body` with the damaged marker at its start written as the genre writes it, or None."""
    for style, strong, pattern in _DAMAGED:
        m = pattern.match(body)
        if m is None or not _TITLE_START.match(body, m.end()):
            continue
        value = _value(style, m.group(1), numbering)
        if value is None:
            continue
        rest = body[m.end() :].lstrip()
        if strong:  # the next number, a restart, or one or two headings later (the one before lost)
            ok = value == 1 or numbering.expected(style) <= value <= numbering.expected(style) + 2
        else:  # no bracket, no punctuation left: only the next number of a style seen, before a title
            ok = value >= 2 and value == numbering.expected(style) and (style == "arabic" or _heading_like(rest))
        if ok:
            return _CANON[style].format(_numeral(style, value)) + rest
    return None


def _value(style: str, raw: str, numbering: _Numbering) -> int | None:
    """The number a damaged marker stands for; for an unreadable or lost one, the number the sequence
    expects: a lost numeral (、考评结果应用 / ） 加强…) once the style has been counted in the document,
    an unreadable one (（思） / （人八）) only inside a running list."""
    from genre.numerals import numeral_value

    if style in ("arabic", "ar_paren"):
        return numeral_value(raw.translate(_AR_CONFUSED))
    if not raw:
        return numbering.expected(style) if numbering.seen(style) else None
    value = numeral_value(raw.translate(_CN_CONFUSED))
    if value is None and style == "cn_paren" and numbering.last.get(style):
        return numbering.expected(style)
    return value


def _heading_tail(line: str, width: int, g) -> str:
    """A short heading line without the specks read after it (三、重点任务， / 三、0): trailing commas
    go, and letters or digits when nothing else is left of the title."""
    if not width or len(line) >= 0.75 * width:
        return line
    marker = g.match_marker(line)
    bare = _BARE_MARKER.fullmatch(line)  # 三、0: the title lost but for a speck
    if bare and (marker is None or marker.end > len(bare.group(1))):
        return bare.group(1)
    if marker is None or marker.value is None:
        return line
    title = line[marker.end :]
    if any(ch in title.rstrip("，、,. ") for ch in "，、,;；："):
        return line  # a sentence, not a heading
    return line[: marker.end] + title.rstrip("，、,. ")


def _numeral(style: str, value: int) -> str:
    if style in ("arabic", "ar_paren"):
        return str(value)
    import cn2an

    return cn2an.an2cn(value)


def _heading_like(rest: str) -> bool:
    """Text after a marker that lost all its punctuation reads as a heading: a short title on its own
    line, or a run-in title closed by 。 within a short span."""
    head = re.split(r"[。；]", rest, maxsplit=1)[0].rstrip("，、,. ")
    return len(head) <= 24 and not any(ch in head for ch in "，,、：:")
