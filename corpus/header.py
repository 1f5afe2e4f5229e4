"""What a document says about itself: the header (issuing bodies, 文号, date, title) and closing provisions.

Government documents open with a header block (`上海市人民政府办公厅文件`, the 文号 line, a covering notice
`关于印发《…》的通知` with its addressees, signature and date) before the document's own title and
preamble; they close with provisions on when they take effect (`自…起施行`) and how long they stay valid
(`有效期至…`). Unseen documents have no sidecar, so all of this is read from the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.grammar import Grammar, add_years, all_dates, grammar, numeral_value, parse_date
from corpus.model import DocumentMeta
from genre import Genre

_MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_ORG_SUFFIXES = (
    "委员会",
    "办公室",
    "办公厅",
    "人民政府",
    "政府",
    "局",
    "委",
    "办",
    "厅",
    "管委会",
    "中心",
    "院",
    "部",
)


@dataclass
class Para:
    """A paragraph (one line of the cleaned text) and its offsets."""

    start: int
    end: int
    text: str


@dataclass
class Header:
    """The header read from the text: metadata and where the document body starts."""

    meta: DocumentMeta
    body_start: int  # index of the first paragraph after the header and title
    first_marker: int  # index of the first numbered paragraph (len(paras) if none)
    title_index: int | None = None


def paragraphs(text: str) -> list[Para]:
    """Non-empty lines of the cleaned text with their offsets (whitespace trimmed)."""
    out: list[Para] = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        if body:
            out.append(Para(m.start() + lead, m.start() + lead + len(body), body))
    return out


def heading_text(text: str) -> str:
    """A paragraph without markdown heading marks."""
    m = _MD_HEADING.match(text)
    return m.group(1).strip() if m else text


def read_header(paras: list[Para], g: Grammar | None = None, *, genre: Genre) -> Header:
    """Metadata and body start from the paragraphs before the first numbered one."""
    g = g or grammar(genre)
    first_marker = next(
        (
            i
            for i, p in enumerate(paras)
            if g.match_marker(heading_text(p.text)) and not _is_header_line(p.text, g)
        ),
        len(paras),
    )
    meta = DocumentMeta()
    head = paras[:first_marker]
    wrapper = None
    title_index = None
    last_header = -1
    sentences = 0  # paragraphs of running text seen so far: the header is over after the covering notice
    for i, p in enumerate(head):
        text = p.text
        if sentences > (1 if wrapper else 0):
            break
        if _MD_HEADING.match(text):
            title_index = i
            continue
        if "。" in text:
            sentences += 1
            continue
        doc_no = g.doc_no.match(text)
        if doc_no and not meta.doc_no and len(text) - doc_no.end() <= 20:  # 沪府办〔2025〕33号 签发人：…
            meta.doc_no = re.sub(r"\s+", "", doc_no.group(0))
            last_header = i
        elif g.date_line.fullmatch(text):
            meta.issued = meta.issued or parse_date(text)
            last_header = i
            meta.issuers = meta.issuers or _signature(head[:i], g)
        elif g.publicity_note.fullmatch(text):
            last_header = i
        elif g.issuer_line_suffix.search(text) and not _is_prose(text, g):
            meta.issuers = _masthead(head, i, g)
            last_header = i
        elif w := g.wrapper_title.search(text):
            wrapper = w.group(1)
            last_header = i
        elif _is_salutation(text, g):
            last_header = i
        elif _is_title(text, g) and not (
            title_index is not None and _MD_HEADING.match(head[title_index].text)
        ):
            title_index = i
    body_start = last_header + 1
    if title_index is not None and title_index >= last_header:
        first = title_index
        while first - 1 > last_header and _title_part(head[first - 1].text, g):
            first -= 1  # a title set on two lines: 上海市关于促进智算云产业创新发展的 / 实施意见
        meta.title = "".join(heading_text(p.text) for p in head[first:title_index]) + _title_with_period(
            head, title_index, g
        )
        body_start = title_index + 1
        if body_start < len(head) and g.period_line.fullmatch(head[body_start].text):
            body_start += 1
    elif wrapper:
        meta.title = re.sub(r"\s+", "", wrapper)
    meta.period = period_of(meta.title, g, genre=genre)
    return Header(
        meta=meta,
        body_start=min(body_start, first_marker),
        first_marker=first_marker,
        title_index=title_index,
    )


def period_of(title: str, g: Grammar | None = None, *, genre: Genre) -> str | None:
    """Plan period written in a title: （2023-2025年） -> 2023-2025."""
    g = g or grammar(genre)
    m = g.period_in_title.search(title or "")
    return f"{m.group(1)}-{m.group(2)}" if m else None


def closing_dates(text: str, g: Grammar | None = None, *, genre: Genre) -> dict[str, str | bool]:
    """effective / expiry from one closing provision; effective_on_issue when it takes effect on issue."""
    g = g or grammar(genre)
    out: dict[str, str | bool] = {}
    for p in g.effective:
        m = p.search(text)
        if m and (d := all_dates(m.group(0))):
            out["effective"] = d[0]
            break
    if "effective" not in out and any(p.search(text) for p in g.effective_on_issue):
        out["effective_on_issue"] = True
    for p in g.expiry:
        m = p.search(text)
        if m and (d := all_dates(m.group(0))):
            out["expiry"] = d[-1]
            if len(d) > 1 and "effective" not in out:
                out["effective"] = d[0]
            break
    if "expiry" not in out:
        for p in g.validity_years:
            m = p.search(text)
            if m and (years := numeral_value(m.group(1))):
                out["validity_years"] = str(years)
                break
    return out


def apply_closing(meta: DocumentMeta, provisions: list[str], g: Grammar | None = None, *, genre: Genre) -> None:
    """Fill effective/expiry from closing provisions, resolving 自发布之日起 and 有效期N年."""
    g = g or grammar(genre)
    found: dict[str, str | bool] = {}
    for text in provisions:
        for k, v in closing_dates(text, g, genre=genre).items():
            found.setdefault(k, v)
    if found.get("effective"):
        meta.effective = str(found["effective"])
    elif found.get("effective_on_issue"):
        meta.effective = meta.published or meta.issued
    if found.get("expiry"):
        meta.expiry = str(found["expiry"])
    elif found.get("validity_years") and meta.effective:
        meta.expiry = add_years(meta.effective, int(found["validity_years"]))


def _is_header_line(text: str, g: Grammar) -> bool:
    return bool(g.doc_no.fullmatch(text) or g.date_line.fullmatch(text) or g.period_line.fullmatch(text))


def _is_prose(text: str, g: Grammar) -> bool:
    return any(ch in g.prose_marks for ch in text)


def _title_part(text: str, g: Grammar) -> bool:
    """The first line of a title set on two lines: short, no punctuation, not a header line."""
    return (
        len(text) <= 40
        and not _is_prose(text, g)
        and not _is_title(text, g)
        and not _is_header_line(text, g)
        and not g.publicity_note.fullmatch(text)
        and not is_org_line(text, g)
        and not text.endswith("文件")
    )


def _is_salutation(text: str, g: Grammar) -> bool:
    """The addressees of a notice: 各区人民政府，市政府有关委、办、局："""
    return len(text) <= 60 and text[-1] in "：:" and not _is_title(text[:-1], g)


def _is_title(text: str, g: Grammar) -> bool:
    """A title line: no sentence punctuation, ends with a document-type word (optionally a period)."""
    if _is_prose(text, g) or len(text) > 80:
        return False
    core = g.period_line.sub("", text).strip().rstrip("》")
    return core.endswith(g.title_suffixes) and not g.wrapper_title.search(text)


def _title_with_period(head: list[Para], i: int, g: Grammar) -> str:
    title = heading_text(head[i].text)
    if i + 1 < len(head) and (m := g.period_line.fullmatch(head[i + 1].text)):
        title += f"（{m.group(1)}-{m.group(2)}年）"
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", title)


def _is_org(text: str) -> bool:
    return len(text) <= 40 and text.endswith(_ORG_SUFFIXES)


def _masthead(head: list[Para], i: int, g: Grammar) -> list[str]:
    """Issuing bodies of the masthead: the `…文件` line and the body names stacked around it."""
    lo = i
    while lo > 0 and is_org_line(head[lo - 1].text, g):
        lo -= 1
    hi = i + 1
    while hi < len(head) and is_org_line(head[hi].text, g):
        hi += 1
    out: list[str] = []
    for p in head[lo:hi]:
        out.extend(s for s in re.split(r"\s+", g.issuer_line_suffix.sub("", p.text)) if s)
    return out


def is_org_line(text: str, g: Grammar) -> bool:
    """A line naming only issuing bodies (a masthead or signature line)."""
    parts = [s for s in re.split(r"\s+", g.issuer_line_suffix.sub("", text)) if s]
    return bool(parts) and not _is_prose(text, g) and all(_is_org(s) for s in parts)


def _signature(lines: list[Para], g: Grammar) -> list[str]:
    """Issuing bodies signed just above the date line of a covering notice."""
    out: list[str] = []
    for p in reversed(lines):
        if not is_org_line(p.text, g) or g.issuer_line_suffix.search(p.text):
            break
        out = [s for s in re.split(r"\s+", p.text) if s] + out
    return out
