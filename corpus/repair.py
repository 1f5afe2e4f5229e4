"""Repair text damaged by PDF extraction, keeping a map from every cleaned character back to the raw text.

What is repaired (all rules come from the grammar, none from a particular document):
- lines broken in the middle of a word or sentence (`市经济信息\\n\\n化委`, `对2024\\n\\n年底前`, a sentence cut
  across a page break) are joined; a line that ends a sentence, a heading line, or a line followed by a
  structural marker keeps its paragraph break;
- stray page numbers (`- 3 -`, `— 12 —`, lone digits, `第 3 页`) are dropped;
- letter-spaced words (`上海市 财 政 局`) are closed up, and so is a space a wrapped line left inside a
  word of running text (`给予企 业100万元奖 励`);
- web and database residue in text saved from portals (【法宝引证码】/原文链接 lines, breadcrumbs, menus,
  share and print widgets, footers, the related-news tail; genre/data/web_residue.yaml) is dropped;
- half-width punctuation in numbering markers and responsibility blocks is written full width
  (`(一)` -> `（一）`, `1．` -> `1.`, `(责任单位:…)` -> `（责任单位：…）`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.grammar import Grammar, grammar
from genre import Genre, derived

_SPACES = " \t\u3000\u00a0\ufeff\r\f\v"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MD_HEADING = re.compile(r"#{1,6}\s")
_NUMERAL = re.compile(r"[一二三四五六七八九十百]{1,4}|\d{1,3}")
_SPACED_ARTICLE = re.compile(r"第[\s\d]{1,8}条")
_SENTENCE_MARK = re.compile(r"[，。；]")


@dataclass
class _Line:
    """One non-empty line of the raw text: its characters and their raw offsets."""

    chars: list[str]
    index: list[int]

    @property
    def text(self) -> str:
        return "".join(self.chars)


def repair(raw: str, *, genre: Genre) -> tuple[str, list[int]]:
    """Cleaned text and offset_map (offset_map[i] = index in `raw` of cleaned character i)."""
    g = grammar(genre)
    lines = _content_lines(raw, g, genre=genre)
    chars: list[str] = []
    index: list[int] = []
    width = wrap_width([len(line.chars) for line in lines])
    paragraph = ""  # the paragraph built so far: joins are decided on it, not on its last line
    for i, line in enumerate(lines):
        if i:
            prev = lines[i - 1]
            full = width is not None and len(prev.chars) >= 0.85 * width
            if not _cells(prev.text, line.text) and should_join(paragraph, line.text, g, full_line=full, genre=genre):
                if _needs_space(paragraph, line.text):
                    chars.append(" ")
                    index.append(prev.index[-1] + 1)
                paragraph += line.text
            else:
                paragraph = line.text
                _emit_break(raw, prev.index[-1] + 1, line.index[0], chars, index)
        else:
            paragraph = line.text
        chars.extend(line.chars)
        index.extend(line.index)
    text = "".join(chars)
    return _unify_punctuation(text, g), index


def _emit_break(raw: str, start: int, end: int, chars: list[str], index: list[int]) -> None:
    """A paragraph break: a blank line when the raw gap had one (page furniture aside), else a newline."""
    gap = raw[start:end]
    inner = gap.split("\n")[1:-1]
    breaks = 2 if any(not part.strip() for part in inner) else 1
    newlines = [start + i for i, ch in enumerate(gap) if ch == "\n"] or [start]
    for k in range(breaks):
        chars.append("\n")
        index.append(newlines[min(k, len(newlines) - 1)])


def should_join(a: str, b: str, g: Grammar | None = None, full_line: bool = False, *, genre: Genre) -> bool:
    """Whether line `b` continues paragraph `a` (a break inside a word or sentence, not a paragraph break).

    `full_line`: the last line of `a` runs to the right margin of a hard-wrapped (PDF) text.
    """
    g = g or grammar(genre)
    if full_line and a and b and a[-1] in "。；;" and b[0] in "（(" and \
            (g.responsibility.match(b) or g.role_block.match(b)):
        return True  # the measure's own （…牵头，…负责） block, wrapped to the next line at the margin
    if a and b and a[-1] in "：:" and _unbalanced(a, g) and not g.match_marker(b):
        return True  # a colon inside an open bracket introduces the bracket's own content, no list: a
        # （责任单位： wrapped after its label goes on with the departments and the closing bracket
    if not a or not b or a[-1] in g.terminators or _MD_HEADING.match(a) or _MD_HEADING.match(b):
        return False
    if a.startswith("|") or b.startswith("|"):
        return False  # pipe table rows (docx, html and PDF tables): one row per line
    unbalanced = _unbalanced(a, g)
    if g.match_marker(b) or g.period_line.fullmatch(b) or g.date_line.fullmatch(b) or _CONTENTS.fullmatch(b)\
            or _stands_alone(b, g):
        return False
    if not unbalanced and (g.responsibility_line.match(b) or g.blocks.deadline_line.match(b)
                           or (b[0] in "（(" and g.responsibility.match(b))):
        return False
    if _closes_responsibility(a, g) or g.doc_no.match(a) or g.date_line.fullmatch(a):
        return False  # a block that ends a measure, a 文号 line (签发人 may follow), a date line
    marker = g.match_marker(a)
    body = a[marker.end :] if marker else a
    sentence = any(ch in g.prose_marks for ch in body) and (
        full_line or (marker is not None and marker.style.name in g.leaf_styles and any(ch in "，," for ch in body)))
    if marker and not any(ch in g.terminators for ch in body) and len(body) <= 30 and not sentence:
        return False  # a heading on its own line (not a numbered sentence wrapped at the right margin, nor
        # an article's provision: 第一条为规范政务数据资源管理，促进… goes on in the next line)
    return unbalanced or full_line or any(ch in g.prose_marks for ch in body)


def _stands_alone(b: str, g: Grammar) -> bool:
    """A header or signature line never continues the line before it: a 文号 line (穗府办规〔2024〕13号),
    a dated signature (2018年7月30日签发 / 2018年8月3日发布)."""
    m = g.doc_no.match(b)
    if m and len(b) - m.end() <= 2:
        return True
    d = g.date_line.match(b)
    return bool(d) and b[d.end() :].strip() in ("签发", "发布", "印发", "公布")


def wrap_width(lengths: list[int]) -> int | None:
    """The right margin of a hard-wrapped text (PDF), or None when lines are whole paragraphs.

    Wrapped text has most of its lines at nearly the same, short length; paragraph-per-line text does not.
    """
    lengths = sorted(n for n in lengths if n >= 8)
    if len(lengths) < 5:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    near = sum(1 for n in lengths if n >= 0.85 * width)
    return width if width <= 80 and near >= 0.4 * len(lengths) else None


def _closes_responsibility(line: str, g: Grammar) -> bool:
    """The line ends with the closing bracket of a responsibility block."""
    if line[-1] not in "）)":
        return False
    m = list(g.responsibility.finditer(line))
    return bool(m) and m[-1].end() == len(line)


def _unbalanced(line: str, g: Grammar) -> bool:
    """More brackets opened than closed: the sentence goes on in the next line."""
    depth = 0
    for ch in line:
        if ch in g.open_brackets:
            depth += 1
        elif ch in g.close_brackets:
            depth = max(0, depth - 1)
    return depth > 0


def _needs_space(a: str, b: str) -> bool:
    return a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()


def _content_lines(raw: str, g: Grammar, *, genre: Genre) -> list[_Line]:
    """Non-empty lines, stripped, without page furniture, letter-spacing closed up."""
    kept: list[tuple[str, int]] = []
    pos = 0
    for piece in raw.splitlines(keepends=True):
        body = piece.rstrip("\r\n")
        lead = len(body) - len(body.lstrip(_SPACES))
        stripped = body.strip(_SPACES)
        start = pos + lead
        pos += len(piece)
        if stripped:
            kept.append((stripped, start))
    kept = kept[: _footer_start(kept, g, genre=genre)]
    while kept and _residue(genre)[3].match(kept[-1][0]):  # 来源：中国政府网 under the article
        kept.pop()
    out: list[_Line] = []
    for i, (stripped, start) in enumerate(kept):
        if (g.is_page_furniture(stripped) and not _table_cell(kept, i)) or is_web_residue(stripped, genre=genre):
            continue
        marker = g.match_marker(stripped)
        out.append(_close_letter_spacing(stripped, start, marker.end if marker else 0))
    return _without_repeats(_without_page_chrome(out, g, genre=genre), g)


def _footer_start(lines: list[tuple[str, int]], g: Grammar, *, genre: Genre) -> int:
    """Where a saved page's footer begins: its first footer-only line (copyright, ICP/公网安备
    registration, site code, footer link labels) in the last 40% of the text, drawn back over the link
    labels, separators and widgets right before it. Nothing of the document follows a portal's footer;
    len(lines) when there is none."""
    footer = _residue(genre)[2]
    first = next((k for k in range(int(len(lines) * 0.6), len(lines)) if footer.match(lines[k][0])), None)
    if first is None:
        return len(lines)
    while first > 0 and _footer_link(lines[first - 1][0], g, genre=genre):
        first -= 1
    return first


def _footer_link(text: str, g: Grammar, *, genre: Genre) -> bool:
    """A link label, separator or widget of a page's footer zone (关于我们, |, 打印页面): short, or residue."""
    return (len(text) <= 4 and _menu_like(text, g)) or is_web_residue(text, genre=genre)


def _without_repeats(lines: list[_Line], g: Grammar) -> list[_Line]:
    """Text that extraction gave twice, kept once: a heading drawn twice on one line (一、总体要求一、总体
    要求 — a PDF's fake bold, two text runs at one place) and a heading or sentence repeated on the next
    line (the same run written twice, a web print doubling its headings). Short lines may repeat in a
    table (约束性 / 约束性), so only numbered headings and lines of 8 characters or more count."""
    out: list[_Line] = []
    for line in lines:
        text = line.text
        half = len(text) // 2
        if len(text) % 2 == 0 and half >= 4 and text[:half] == text[half:] and _repeatable(text[:half], g):
            line = _Line(line.chars[:half], line.index[:half])
        key = line.text.replace(" ", "")
        if out and key == out[-1].text.replace(" ", "") and _repeatable(line.text, g):
            continue
        out.append(line)
    return out


def _repeatable(text: str, g: Grammar) -> bool:
    """A line whose repetition is damage, not content: a numbered heading, or 8+ characters of text."""
    return bool(g.match_marker(text)) or (len(text) >= 8 and bool(_CJK.search(text)))


@derived
def _residue(genre: Genre) -> tuple[re.Pattern, tuple[str, ...], re.Pattern, re.Pattern]:
    data = genre.data("web_residue")
    footer = data.get("footer") or [r"(?!)"]
    credits = data.get("credits") or [r"(?!)"]
    return (re.compile("(?:" + "|".join(data["lines"]) + ")"), tuple(data["tail_headings"]),
            re.compile("(?:" + "|".join(footer) + ")"), re.compile("(?:" + "|".join(credits) + ")"))


def is_web_residue(line: str, *, genre: Genre) -> bool:
    """A line a portal or legal database added (citation code, link, breadcrumb, share/print widget)."""
    return bool(_residue(genre)[0].match(line))


def _menu_like(text: str, g: Grammar) -> bool:
    """A page's link label (首页, 政务公开, 长者专区): short, no punctuation, no numbering, not 目录."""
    if len(text) > 8 or re.search(r"[\d。，、；：:,.（）()]", text) or g.match_marker(text):
        return False
    return not re.match(r"第\s*[一二三四五六七八九十百零〇\d]+\s*[章节篇条部]|目\s*[录次]", text)


def _without_page_chrome(lines: list[_Line], g: Grammar, *, genre: Genre) -> list[_Line]:
    """Drop a saved page's menus (runs of 4+ short link labels before the text) and its tail of
    related items (相关新闻/相关解读 … near the end)."""
    if not lines:
        return lines
    first_sentence = next((i for i, ln in enumerate(lines) if "。" in ln.text), len(lines))
    first_sentence = min(first_sentence, 40)  # page menus stand at the top, not in a table further on
    keep = [True] * len(lines)
    i = 0
    while i < first_sentence:
        j = i
        while j < first_sentence and _menu_like(lines[j].text, g):
            j += 1
        if j - i >= 4:
            keep[i:j] = [False] * (j - i)
        i = max(j, i + 1)
    tails = _residue(genre)[1]
    for k in range(int(len(lines) * 0.6), len(lines)):
        t = lines[k].text.strip("【】[] ")
        if t in tails or (t.startswith(tails) and len(t) <= 12):
            keep[k:] = [False] * (len(lines) - k)
            break
    return [ln for ln, ok in zip(lines, keep, strict=True) if ok]


_BARE_NUMBER = re.compile(r"\d{1,4}")
_CONTENTS = re.compile(r"目\s*[录次]")  # the title of a table of contents stands on its own line


def _table_cell(lines: list[tuple[str, int]], i: int) -> bool:
    """A bare number between two short cell-like lines is a cell of a table flattened one cell per line
    (an indicator table: 指标 / 单位 / 2020 年 / 45), not a page number: page numbers sit between the
    prose of two pages."""
    if not _BARE_NUMBER.fullmatch(lines[i][0]) or i == 0:
        return False
    before = _cell_like(lines[i - 1][0])
    after = i + 1 < len(lines) and _cell_like(lines[i + 1][0])
    inside = i >= 2 and _cell_like(lines[i - 2][0])  # the last cell of a row: two cells before it
    return before and (after or inside)


_NUMERIC_CELL = re.compile(r"[<>≤≥＜＞~～\-—.%％，,、\d\sⅠ-Ⅻ]+")


def _cells(a: str, b: str) -> bool:
    """Two short lines of which one is a numeric cell (<150，≥50; 200~100): cells of a table flattened one
    cell per line, never one paragraph, though a cell may hold a comma. Prose wrapped by a PDF has a long
    line before its short last one."""
    if len(a) > 16 or len(b) > 16:
        return False
    return any(_NUMERIC_CELL.fullmatch(x.strip()) and any(ch.isdigit() for ch in x) for x in (a, b))


def _cell_like(line: str) -> bool:
    return len(line) <= 16 and not any(ch in "。；;，," for ch in line)


def _close_letter_spacing(line: str, start: int, marker_end: int = 0) -> _Line:
    """Drop spaces inside letter-spaced CJK words (上海市 财 政 局) and the one space a wrapped line left
    between two characters of a sentence; keep spaces between real words and the space after the
    line's numbering marker (`marker_end`: 第一条 为了…, by the grammar's styles)."""
    tokens = [(m.group(0), m.start()) for m in re.finditer(rf"[^{_SPACES}]+", line)]
    singles = sum(1 for t, _ in tokens if len(t) == 1 and _CJK.match(t))
    article = _SPACED_ARTICLE.match(line)  # 第 2 6 条: one article number, spaced out
    # a sentence (it has a comma, a full stop or a semicolon) is never spaced between two characters:
    # one space there is where the source wrapped a line (战略新 兴, 奖 励). Spaces in a line without such
    # marks separate names and titles (组长：王清宪 省长) and stay; so does the space after a marker.
    prose = bool(_SENTENCE_MARK.search(line))
    chars: list[str] = []
    index: list[int] = []
    for k, (tok, at) in enumerate(tokens):
        if k:
            prev = tokens[k - 1][0]
            spaced = singles >= 2 and (len(prev) == 1 or len(tok) == 1)
            marker = (k == 1 and _NUMERAL.fullmatch(prev) and tok[0] in "、.．") or (  # 二 、支持范围
                article is not None and at < article.end())
            wrapped = (prose and line[at - 1] == " " and tokens[k - 1][1] + len(prev) == at - 1
                       and at - 1 != marker_end)
            if not ((spaced or wrapped) and _CJK.match(prev[-1]) and _CJK.match(tok[0])) and not marker:
                gap_at = tokens[k - 1][1] + len(prev)
                chars.extend(line[gap_at:at])
                index.extend(range(start + gap_at, start + at))
        chars.extend(tok)
        index.extend(range(start + at, start + at + len(tok)))
    return _Line(chars, index)


def _unify_punctuation(text: str, g: Grammar) -> str:
    """Write markers and responsibility blocks full width; every replacement is one character for one."""
    out = list(text)
    pos = 0
    for para in text.split("\n"):
        lead = len(para) - len(para.lstrip("# "))
        marker = g.match_marker(para[lead:])
        if marker and marker.number:
            start = pos + lead
            out[start : start + len(marker.number)] = list(marker.number)
        pos += len(para) + 1
    for m in g.responsibility.finditer(text):
        for i in (m.start(), m.end() - 1):
            out[i] = g.fullwidth.get(out[i], out[i])
        colon = m.start("body") - 1
        while colon > m.start() and out[colon] not in ":：":
            colon -= 1
        out[colon] = g.fullwidth.get(out[colon], out[colon])
    return "".join(out)
