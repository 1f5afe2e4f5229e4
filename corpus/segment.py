"""Parse cleaned text into Policy -> Section -> Measure using the numbering grammar.

How the tree is decided, for any document of the genre:
- every paragraph that starts with a numbering marker opens a node; a style's level is fixed by the order
  in which styles first appear (a style already open closes back to that level), so 一、/（一）/1.,
  第X章/第X条, （一）/1. mixes and bold run-in headings all nest without a fixed hierarchy — except that
  a style never nests under a lower style of its chain in the genre's hierarchy (一、 > （一） > 1.): met
  after （一）（二） whose 一、 was lost (a scan's damaged numbering), it closes back to their level;
- a node with numbered children is a Section, a node without is a Measure (the deepest numbered level
  that carries sentences); enumerations such as （1）/① inside a measure that already has sentences of
  its own stay part of it;
- unnumbered paragraphs belong to the open measure, unless that measure was already closed by its
  （责任单位：…） block: then they are section text, or closing provisions at the end of the document;
  a paragraph that is only a 责任单位 block attaches to the open measure even across blank lines;
- unnumbered text of a section outside its numbered items becomes `intro` measures, so it stays
  answerable;
- text before the first marker (after the header and title) is the preamble; goals, safeguards and
  closing sections are recognised by their titles (genre/data/grammar.yaml) and give their measures the
  kinds goal / safeguard / closing; a document with no numbering at all becomes paragraph measures;
- an attachment line after the body (附件1：…) starts a numbering context of its own: an `appendix`
  section whose content is parsed like a document.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from corpus.aliases import read_aliases
from corpus.docmeta import PrintedMeta, read_printed, readable_file_title, validity_status
from corpus.grammar import Grammar, Marker, SectionKind, Style, grammar, numeral_value, parse_date
from corpus.header import (
    Para,
    apply_closing,
    heading_text,
    is_org_line,
    paragraphs,
    period_of,
    read_header,
)
from corpus.jurisdiction import from_file_name, qualify_body
from corpus.jurisdiction import resolve as resolve_jurisdiction
from corpus.meta import city_code, merge_meta, resolve_city
from corpus.model import DocumentMeta, LoadedText, Measure, Policy, Section
from corpus.title import title_from_preamble
from genre import Genre

_TITLE_MAX = 30
_CLAUSE_MAX = 30


@dataclass
class _Node:
    """A numbered paragraph and everything that belongs to it, before it becomes a Section or Measure."""

    marker: Marker
    paras: list[Para]
    level: int
    children: list[_Node] = field(default_factory=list)
    closed: bool = False  # its responsibility block has been seen

    @property
    def start(self) -> int:
        return self.paras[0].start

    @property
    def end(self) -> int:
        return max([p.end for p in self.paras] + [c.end for c in self.children])


@dataclass
class _Parsed:
    preamble: list[Para]
    roots: list[_Node]
    trailing: list[Para]
    appendices: list[tuple[Para, _Parsed]] = field(default_factory=list)  # (附件 line, its content)
    documents: list[tuple[Para, _Parsed]] = field(default_factory=list)  # (title line, its content)
    table: list[Para] = field(default_factory=list)  # an appendix that is a table (附表2 …标准表): its cells
    listing: bool = False  # a list of the attachments that follow (附表：1.…表 2.…表): closing text


def segment(loaded: LoadedText, name: str = "", *, genre: Genre) -> Policy:
    """The Policy tree of a loaded document; metadata from the text, overridden by front matter/sidecar."""
    g = grammar(genre)
    text = loaded.text
    paras = drop_contents(paragraphs(text), g)
    header = read_header(paras, g, genre=genre)
    parsed = _parse_body(paras[header.body_start :], g)
    printed = read_printed(paras, g)
    meta = merge_meta(_with_printed(header.meta, printed), loaded.meta)
    _derive_title(meta, printed, loaded.path or name)
    meta.period = meta.period or period_of(meta.title, g, genre=genre)
    _apply_jurisdiction(meta, loaded.meta, text, genre=genre)
    _title_from_preamble(meta, [p.text for p in paras], g, genre=genre)
    pid = policy_id(meta, text, genre=genre)
    sections = _build(parsed, text, pid, g)
    _apply_signature(meta, parsed.trailing, g)
    _apply_closing_meta(meta, loaded.meta, sections, text, g, genre=genre)
    if not loaded.meta.effective and (printed.effective or printed.closing_seen):
        meta.effective = printed.effective  # 自印发之日起 with no 印发 date printed: unknown, not a guess
    if not loaded.meta.expiry and printed.expiry:
        meta.expiry = printed.expiry
    meta.status = validity_status(meta.effective, meta.expiry, printed.status, meta.issued)
    preamble = (
        text[parsed.preamble[0].start : parsed.preamble[-1].end] if parsed.preamble and parsed.roots else ""
    )
    return Policy(
        id=pid,
        meta=meta,
        text=text,
        sections=sections,
        path=loaded.path or name,
        sha256=loaded.sha256,
        preamble=preamble,
        aliases=read_aliases(text),
    )


def _with_printed(meta: DocumentMeta, printed: PrintedMeta) -> DocumentMeta:
    """The header reader's fields, replaced by what the metadata reader found printed in the text."""
    out = merge_meta(meta, DocumentMeta())
    for name in ("title", "doc_no", "issued", "published", "index_no"):
        value = getattr(printed, name)
        if value:
            setattr(out, name, value)
    if printed.issuers:
        out.issuers = list(printed.issuers)
    return out


def _derive_title(meta: DocumentMeta, printed: PrintedMeta, path: str) -> None:
    """A document that prints no title is shown by its first heading line or its file name, marked as
    derived so that no answer claims the text prints it."""
    meta.extra["file_title"] = readable_file_title(path) if path else "未命名文件"
    if meta.title:
        return
    if printed.heading:
        meta.title, meta.extra["title_source"] = printed.heading, "derived"
    else:
        meta.title, meta.extra["title_source"] = meta.extra["file_title"], "file"


def _title_from_preamble(meta: DocumentMeta, texts: list[str], g: Grammar, *, genre: Genre) -> None:
    """A document with neither a printed title nor a heading is named from its preamble as the genre
    names documents (corpus/title.py), never by its file name when the text says what it is."""
    if meta.extra.get("title_source") != "file":
        return
    place = meta.jurisdiction.name if meta.jurisdiction and meta.jurisdiction.level != "national" else None
    derived = title_from_preamble(texts, g.title_suffixes, place, genre=genre)
    if derived:
        meta.title, meta.extra["title_source"] = derived, "derived"


def _apply_jurisdiction(meta: DocumentMeta, given: DocumentMeta, text: str, *, genre: Genre) -> None:
    """Jurisdiction from issuers, title, 文号 or body (jionlp gazetteer); `city` kept for existing readers."""
    title = meta.title if meta.extra.get("title_source") is None else None
    meta.jurisdiction = resolve_jurisdiction(meta.issuers, title, meta.doc_no, text, given.city, genre=genre)
    if meta.jurisdiction is None and not given.city:  # the text names no place: the file name may say it
        meta.jurisdiction = from_file_name(meta.extra.get("file_title"), genre=genre)
    j = meta.jurisdiction
    meta.issuers = list(dict.fromkeys(qualify_body(i, j, genre=genre) or i for i in meta.issuers))  # 市经济信息委 -> 重庆市…
    if given.city:
        meta.city = given.city
    elif j is not None and j.level != "national":
        meta.city = j.short_city
    elif j is None:
        meta.city = resolve_city(meta, genre=genre)
    else:
        meta.city = "全国"  # a national document is labelled so, never as any city's


def policy_id(meta: DocumentMeta, text: str, *, genre: Genre) -> str:
    """Stable ASCII id: city code, year and number of the 文号 plus a short hash; else a hash of the title."""
    code = city_code(meta.city, genre=genre) or "x"
    if meta.doc_no:
        doc_no = re.sub(r"\s+", "", meta.doc_no)
        m = grammar(genre).doc_no.search(doc_no)
        stem = f"{m.group(1)}-{m.group(2)}-" if m else ""
        return f"{code}-{stem}{_hash(doc_no, 6)}"
    return f"{code}-{_hash(meta.title or text, 10)}"


def _hash(s: str, n: int) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()[:n]


# -- tables of contents ----------------------------------------------------------------------------

_CONTENTS_TITLE = re.compile(r"目\s*[录次]|contents", re.IGNORECASE)
_LEADER = re.compile(r"(?:[.．。…·・‥⋯_\-—\s]{3,})\s*\d{1,4}\s*$|\s\d{1,4}$")


def drop_contents(paras: list[Para], g: Grammar) -> list[Para]:
    """The paragraphs without a table of contents: the lines after a 目录 title that are headings or end
    with dot leaders and a page number, up to the body (the first entry written again, or prose); and
    any run of three or more dot-leader lines. A table of contents is navigation, never a second outline."""
    drop: set[int] = set()
    for i, p in enumerate(paras):
        if _CONTENTS_TITLE.fullmatch(p.text.strip()):
            entries = _contents_run(paras, i + 1, g)
            if len(entries) >= 3:
                drop.update([i, *entries])
    run: list[int] = []
    for i, p in enumerate([*paras, None]):
        if p is not None and _LEADER.search(p.text) and len(p.text) <= 80 and "。" not in p.text \
                and not _LEADER.fullmatch(p.text):
            run.append(i)
            continue
        if len(run) >= 3:
            drop.update(run)
        run = []
    return [p for i, p in enumerate(paras) if i not in drop]


def _contents_run(paras: list[Para], start: int, g: Grammar) -> list[int]:
    out: list[int] = []
    first = None
    for j in range(start, len(paras)):
        text = paras[j].text.strip()
        key = _LEADER.sub("", text).replace(" ", "")
        if first is not None and key == first:
            break  # the first entry again: the body begins
        heading = (len(text) <= 40 or (len(text) <= 100 and bool(_LEADER.search(text)))) and not any(
            ch in text for ch in "。；;")
        if not heading:
            break
        first = first or key
        out.append(j)
    return out


# -- parsing paragraphs into nodes ------------------------------------------------------------------


def _parse_body(body: list[Para], g: Grammar) -> _Parsed:
    """The main text, then each attachment (附件) after it as a numbering context of its own."""
    body = split_glued(body, g)
    markers = [_marker(p, g) for p in body]
    first = next((i for i, m in enumerate(markers) if m), len(body))
    appendix = [i for i in range(first + 1, len(body)) if _is_appendix(body[i].text, g)]
    limit = appendix[0] if appendix else len(body)
    documents = [i for i in range(first + 1, limit) if _is_subdocument(body, markers, i, g)]
    cuts = sorted(appendix + documents)
    parsed = _parse_part(body[: cuts[0]] if cuts else body, g)
    # the name each attachment gives: on its own line (附件2：…表), else on the line after a bare 附件
    heads = [_appendix_name(body[i].text) or (_appendix_name(body[i + 1].text) if i + 1 < len(body) else "")
             for i in appendix]
    for k, cut in enumerate(cuts):
        end = cuts[k + 1] if k + 1 < len(cuts) else len(body)
        content = body[cut + 1 : end]
        if cut in documents:
            parsed.documents.append((body[cut], _parse_part(content, g)))
        elif _lists_attachments(body[cut], content, heads[appendix.index(cut) + 1 :], g) \
                or _continues_list(body[cut], content, g):
            parsed.appendices.append((body[cut], _Parsed([], [], content, listing=True)))
        elif _is_table_head(body[cut].text) and _mostly_cells(content, g):
            parsed.appendices.append((body[cut], _Parsed([], [], [], table=content)))
        else:
            parsed.appendices.append((body[cut], _parse_part(content, g)))
    return parsed


def _appendix_name(text: str) -> str:
    """The name an attachment line gives, without 附件2： or a list number: 浙江省…整治计划表."""
    name = re.sub(r"^\s*附\s*[件表录]\s*[0-9一二三四五六七八九十]{0,3}\s*[:：]?", "", text)
    return re.sub(r"^\s*[（(]?[0-9一二三四五六七八九十]{1,3}[）)]?\s*[.．、]?\s*", "", name).replace(" ", "").strip("。；;")


def _lists_attachments(head: Para, content: list[Para], later: list[str], g: Grammar) -> bool:
    """附表：1.…表 / 2.…表 at the end of the body: a list naming the attachments that follow, not one
    (also 附件：/ its name, written again above the attachment itself)."""
    names = [n for n in (_appendix_name(p.text) for p in [head, *content]) if n]
    return bool(content) and bool(names) and len(names) <= len(later) and all(n in later for n in names)


def _mostly_cells(paras: list[Para], g: Grammar) -> bool:
    """Content that is a flattened table: at least half of it cells, hardly any sentence ends."""
    cells = sum(_cell(p, g) for p in paras)
    sentences = sum(p.text.rstrip().endswith("。") for p in paras)
    return bool(paras) and 2 * cells >= len(paras) and 5 * sentences < len(paras)


def _is_table_head(text: str) -> bool:
    """附表3 …汇总表: an attachment that is a table (its rows are cells, not numbered provisions)."""
    t = text.replace(" ", "").strip("。；;")
    return bool(re.match(r"附\s*表", t) or t.endswith("表"))


def _is_subdocument(body: list[Para], markers: list, i: int, g: Grammar) -> bool:
    """A title line inside the body (…行动计划（2021-2023年）) after which numbering starts again at 1:
    a second document the same notice carries."""
    text = body[i].text.strip()
    if markers[i] or len(text) > 60 or any(ch in text for ch in "。；;：:，,"):
        return False
    bare = g.subdocument_period.sub("", text).strip()
    if not bare.endswith(g.title_suffixes):
        return False
    nxt = next((m for m in markers[i + 1:] if m), None)
    return nxt is not None and nxt.value == 1


def split_glued(paras: list[Para], g: Grammar) -> list[Para]:
    """Paragraphs that extraction ran together are cut where a responsibility block closes one item and
    the next item's marker follows at once: （人民银行负责）3.2018年要… is two items when 3 is the next
    number of a style in use. A table row (| cell | cell |) is never cut: a cell lists its own
    items (服务内容 | 1．… 2．… 5．…), whose numbers are not the document's."""
    last: dict[str, int] = {}
    out: list[Para] = []
    for p in paras:
        if p.text.startswith("|"):
            out.append(p)
            continue
        cur = p
        while True:
            mk = _marker(cur, g)
            if mk and mk.value is not None:
                last[mk.style.name] = mk.value
            cut = _glued_cut(cur.text, g, last)
            if cut is None:
                out.append(cur)
                break
            head = cur.text[:cut].rstrip()
            rest = cur.text[cut:]
            lead = len(rest) - len(rest.lstrip())
            out.append(Para(cur.start, cur.start + len(head), head))
            cur = Para(cur.start + cut + lead, cur.end, rest.strip())
    return out


def _glued_cut(text: str, g: Grammar, last: dict[str, int]) -> int | None:
    """Where the next item's marker follows inside one paragraph: after a block's closing bracket, after
    a sentence end or an introducing colon, or right after a heading (二、营造宽松发展环境（四）…) — only when the marker is the
    next number of a style already in use, so a reference such as 第3条 or 1.5 never cuts."""
    ends = [m.end() for m in [*g.responsibility.finditer(text), *g.role_block.finditer(text)]]
    ends += [m.end() for m in re.finditer(r"[。）)：:]", text)]
    own = g.match_marker(text)
    own_heads: set[int] = set()
    if own:  # a heading run together with the next item: marker + a short title, no punctuation
        head = re.match(r"[^。，,；;：:（(]{1,30}", text[own.end:])
        if head:
            own_heads.add(own.end + head.end())
            # 第一章总则　　第一条　为规范…: the heading ends where a space does
            own_heads |= {own.end + m.end() for m in re.finditer(r"[\s\u3000\u2002]+", head.group(0))
                          if m.start() > 0}
            ends += sorted(own_heads)
    for end in sorted(set(ends)):
        rest = text[end:]
        lead = len(rest) - len(rest.lstrip())
        rest = rest.lstrip()
        if not rest:
            continue
        mk = g.match_marker(rest)
        if (mk is None or mk.value is None or rest[mk.end:mk.end + 1] in _REFERENCE_NEXT
                or text[:end].rstrip().endswith(("第", "条", "款"))):
            continue  # 第五条（二）、（三）项, 第五条第（二）（四）项: numbers cited in a sentence, not items
        expected = mk.style.name in last and mk.value == last[mk.style.name] + 1
        # a first item (一、总体要求) after a sentence: a short heading of a style not seen yet
        first = mk.style.name not in last and mk.value == 1 and text[end - 1] == "。" and bool(
            re.match(r"[^。，,；;]{1,20}(?:[。]|$|(?=[（(]))", rest[mk.end:]))
        # a heading run together with the item after it: 三、促进就业创业（八）鼓励…, also after the
        # notice's opening that introduces it (现提出以下意见：一、指导思想和主要目标（一）…)
        heading = text[end - 1] in "。）)：:" and bool(
            re.match(r"[^。，,；;：:（(]{1,20}(?=[（(][一二三四五六七八九十百\d]{1,4}[）)])", rest[mk.end:]))
        if expected or first or heading or (end in own_heads and mk.style.name != own.style.name):
            return end + lead if end + lead < len(text) else None
    return None


_REFERENCE_NEXT = ("、", "，", ",", "项", "款", "和", "及", "至", "或")


# 附件：1.“智能机器人”重点专项2018年度项目申报指南（…）: a notice's list of attachments, written on the
# label's line from its first entry on, however long the names
ATTACHMENT_LIST = re.compile(r"^\s*附\s*件\s*[:：]\s*1\s*[.．、]")


def _is_appendix(text: str, g: Grammar) -> bool:
    return "。" not in text and (bool(g.appendix.fullmatch(text)) or bool(ATTACHMENT_LIST.match(text)))


def _continues_list(head: Para, content: list[Para], g: Grammar) -> bool:
    """附件：1.… on the label's line and 2.… next: the attachments are listed, not given."""
    first = next((p for p in content if p.text.strip()), None)
    mk = _marker(first, g) if first is not None else None
    return bool(ATTACHMENT_LIST.match(head.text)) and mk is not None and mk.value == 2


# 注：1. … under a table: the notes' own list, whose 2. 3. … are no provisions of the document
NOTE_LIST = re.compile(r"^\s*(?:注|说明|备注)\s*[:：]\s*")


def _note_items(body: list[Para], markers: list[Marker | None], g: Grammar) -> list[Marker | None]:
    """Markers with the items of a note list (注：1.… 2.… 3.…) taken out: they continue the note."""
    out = list(markers)
    for i, p in enumerate(body):
        note = NOTE_LIST.match(p.text)
        first = g.match_marker(p.text[note.end():]) if note else None
        if first is None or first.value != 1:
            continue
        expected = 2
        for j in range(i + 1, len(body)):
            mk = out[j]
            if mk is None or mk.style.name != first.style.name or mk.value != expected:
                break
            out[j] = None
            expected += 1
    return out


def _parse_part(body: list[Para], g: Grammar) -> _Parsed:
    markers = _note_items(body, [_marker(p, g) for p in body], g)
    last_marker = max((i for i, m in enumerate(markers) if m), default=-1)
    tail = _trailing_flags(body, last_marker, g)
    preamble: list[Para] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    pending: list[Para] = []  # unattached paragraphs after a closed measure
    beside: dict[int, Marker] = {}  # id of an open box -> the marker of the measure it was set beside
    used: set[str] = set()  # numbering styles met so far
    for i, (p, mk) in enumerate(zip(body, markers, strict=True)):
        box_at = next((k for k, n in enumerate(stack) if n.marker.style.name == "box"), None)
        if mk and box_at is not None and _closes_box(mk, stack, box_at, beside):
            _flush(pending, stack)
            del stack[box_at:]  # numbering of the text goes on: the box ends here
        if not mk and _is_box(p.text, g):
            _flush(pending, stack)
            if box_at is not None:
                del stack[box_at:]  # a box right after a box
            style = None
            if stack and not stack[-1].children:
                style = stack.pop().marker  # a box sits beside the measure before it
            node = _Node(marker=_box_marker(p.text, g), paras=[p], level=len(stack) + 1)
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
            if style:
                beside[id(node)] = style
            continue
        if mk and not (_enumeration(mk, stack, g) and not _carries_block(p.text, g)):
            _flush(pending, stack)
            names = [n.marker.style.name for n in stack]
            if mk.style.name in names:
                del stack[names.index(mk.style.name) :]
            elif mk.style.name not in used:
                del stack[_lost_level(mk, names, g) :]
            used.add(mk.style.name)
            node = _Node(marker=mk, paras=[p], level=len(stack) + 1, closed=_ends_with_block(p.text, g))
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        elif not stack:
            preamble.append(p)
        elif _is_block(p.text, g):
            stack[-1].paras.append(p)
            stack[-1].closed = True
        elif stack[-1].closed and not pending and g.blocks.deadline_line.match(p.text) \
                and _is_block(stack[-1].paras[-1].text, g):
            stack[-1].paras.append(p)  # 完成时限：2024年6月 under the block lines: the task's own deadline
        elif stack[-1].closed or pending or (tail[i] and _has_sentences(stack[-1], g)):
            pending.append(p)  # a bare heading (第X条 施行日期) keeps its closing text as its body
        else:
            stack[-1].paras.append(p)
            stack[-1].closed = _ends_with_block(p.text, g)
    tasks = [k for k, p in enumerate(pending) if _carries_block(p.text, g) or _is_block(p.text, g)]
    if tasks and stack:  # tasks closed by their own blocks belong to the open provision, not the closing
        holder = stack[-2] if len(stack) > 1 and stack[-1].closed else stack[-1]
        holder.paras.extend(pending[: tasks[-1] + 1])
        pending = pending[tasks[-1] + 1 :]
    return _Parsed(preamble=preamble, roots=roots, trailing=pending)


def _lost_level(mk: Marker, names: list[str], g: Grammar) -> int:
    """Where a style met for the first time stands among the open nodes: below all of them, unless a
    lower style of its chain is open — （一）（二） read before any 一、, whose first headings were lost
    (a scan's damaged numbering) — then at that lower style's level: a higher heading never stands
    under a lower one of its chain in the genre's hierarchy."""
    return next((k for k, name in enumerate(names) if g.above(mk.style.name, name)), len(names))


_BOX_STYLE = Style(name="box", code="y", regex=re.compile("专栏"))


def _closes_box(mk: Marker, stack: list[_Node], box_at: int, beside: dict[int, Marker]) -> bool:
    """A marker ends the open box when it continues the numbering outside it: a style open above the
    box, or the style of the measure the box was set beside. Other numbering (1. 2. inside 专栏8) is
    the box's own list."""
    outside = {n.marker.style.name for n in stack[:box_at]}
    if mk.style.name in outside:
        return True
    by = beside.get(id(stack[box_at]))
    if by is None or mk.style.name != by.style.name:
        return False
    # the box's own list in the same style (专栏1 with 1. 2. … beside item 1.): it goes on while its
    # numbers follow its own last item; a number that follows the item the box sits beside closes it
    own = [c.marker.value for c in stack[box_at].children if c.marker.style.name == mk.style.name]
    if mk.value is not None and by.value is not None:
        if own and own[-1] is not None and mk.value == own[-1] + 1:
            return False
        return mk.value == by.value + 1 or (not own and mk.value != 1)
    return True


def _is_box(text: str, g: Grammar) -> bool:
    return len(text) <= 60 and bool(g.box.fullmatch(text.strip()))


def _box_marker(text: str, g: Grammar) -> Marker:
    m = g.box.fullmatch(text.strip())
    value = numeral_value(m.group(1)) if m and m.group(1) else None
    return Marker(style=_BOX_STYLE, number="", value=value, end=0)


def _trailing_flags(body: list[Para], last_marker: int, g: Grammar) -> list[bool]:
    """Paragraphs after the last numbered one that are closing provisions, footers or signatures."""
    flags = [False] * len(body)
    for i in range(len(body) - 1, last_marker, -1):
        text = body[i].text
        signed = i + 1 < len(body) and flags[i + 1] and is_org_line(text, g)
        flags[i] = g.is_closing_paragraph(text) or g.is_footer(text) or signed
    return flags


def _marker(p: Para, g: Grammar) -> Marker | None:
    return g.match_marker(heading_text(p.text))


def _flush(pending: list[Para], stack: list[_Node]) -> None:
    """Unattached paragraphs followed by more numbering: text of the enclosing section."""
    if pending:
        holder = stack[-2] if len(stack) > 1 else stack[-1]
        holder.paras.extend(pending)
        pending.clear()


def _enumeration(mk: Marker, stack: list[_Node], g: Grammar) -> bool:
    """A marker that enumerates points inside the open provision rather than opening a node of its own:
    a style not yet open, of a kind that enumerates (（1）, ①) or below a provision that is always a
    leaf (第X条), when that provision already says something of its own."""
    if not stack or mk.style.name in {n.marker.style.name for n in stack}:
        return False
    top = stack[-1]
    leafy = mk.style.name in g.subitem_styles or top.marker.style.name in g.leaf_styles
    return leafy and _has_sentences(top, g)


def _has_sentences(node: _Node, g: Grammar) -> bool:
    """The node says something of its own (beyond a heading), so enumerations below it stay inside it.
    An article (a leaf style: the unit of citation) whose text runs on past a comma is a sentence even
    when the colon introducing its items was lost (第六条申请人提交申请后，受理时间按以下方法确定 with
    its ： dropped by recognition or extraction): its items stay its own, never split from it."""
    own = heading_text(node.paras[0].text)[node.marker.end :]
    if len(node.paras) > 1 or any(ch in "。；：:" for ch in own):
        return True
    return node.marker.style.name in g.leaf_styles and any(ch in "，," for ch in own.rstrip("，, "))


def _is_block(text: str, g: Grammar) -> bool:
    """The paragraph is only a responsibility block: （责任单位：…） or 责任单位：…"""
    return g.blocks.is_block(text)


def _ends_with_block(text: str, g: Grammar) -> bool:
    return g.blocks.ends_with_block(text)


def _carries_block(text: str, g: Grammar) -> bool:
    """An enumerated point with its own responsibility block is a task of its own, not a detail of its
    parent: （1）2018年底前……（市场监管总局负责）."""
    text = text.rstrip("。；; ")
    return any(m.end() == len(text) for m in [*g.responsibility.finditer(text), *g.role_block.finditer(text)])


# -- nodes to sections and measures ---------------------------------------------------------------


def _build(parsed: _Parsed, text: str, pid: str, g: Grammar, prefix: str = "") -> list[Section]:
    sections = _build_part(parsed, text, pid, g, prefix)
    for k, (head, part) in enumerate(parsed.documents, 1):
        sections.append(_part_section(head, part, f"{prefix}d{k}", "document", text, pid, g))
    for k, (head, part) in enumerate(parsed.appendices, 1):
        sec = _part_section(head, part, f"{prefix}x{k}", "appendix", text, pid, g)
        if part.listing:  # the list of attachments closes the body: navigation, nothing to link
            sec.kind = "closing"
            for m in (m for s in _walk([sec]) for m in s.measures):
                m.kind = "closing"
        sk = g.section_kind(head.text)
        if sk and sk.kind == "glossary":  # 附件：名词解释: its entries are definitions, never measures
            for m in (m for s in _walk([sec]) for m in s.measures):
                m.kind = "glossary"
        sections.append(sec)
    return sections


def _part_section(head: Para, part: _Parsed, key: str, kind: str, text: str, pid: str, g: Grammar) -> Section:
    """A part with a numbering context of its own (a carried document, an appendix): a section titled
    by its head line, holding the part's own tree."""
    sec = _section(pid, key, "", head.text, head.start, _part_end(part, head), 1, kind)
    sec.sections = _build(part, text, pid, g, prefix=f"{key}.")
    for child in sec.sections:
        child.parent_id = sec.id
    return sec


def _part_end(part: _Parsed, head: Para) -> int:
    """Where a parsed part ends (its last paragraph, node or trailing text)."""
    ends = [head.end] + [p.end for p in part.preamble + part.trailing] + [r.end for r in part.roots]
    ends += [_part_end(sub, h) for h, sub in part.appendices + part.documents]
    return max(ends)


def _build_part(parsed: _Parsed, text: str, pid: str, g: Grammar, prefix: str) -> list[Section]:
    sections: list[Section] = []
    if parsed.table:  # a table attachment: one table, its header row, numbers and year columns in order
        sec = _flat_section(parsed.table, text, pid, f"{prefix}body", "section", "table", g, single=True)
        sec.measures[0].kind, sec.measures[0].title = "table", _table_title(parsed.table)
        return [sec]
    if not parsed.roots:  # no numbering at all: every paragraph is answerable on its own
        closing = [p for p in parsed.preamble if g.is_closing_paragraph(p.text)]
        body = [p for p in parsed.preamble if p not in closing]
        if body:
            sections.append(_flat_section(body, text, pid, f"{prefix}body", "section", "paragraph", g))
        if closing + parsed.trailing:
            sections.append(
                _flat_section(closing + parsed.trailing, text, pid, f"{prefix}end", "closing", "closing", g)
            )
        return sections
    if parsed.preamble:
        sections.append(
            _flat_section(parsed.preamble, text, pid, f"{prefix}pre", "preamble", "preamble", g, single=True)
        )
    keys = [f"{prefix}{k}" for k in _keys(parsed.roots)]
    flat = all(not r.children and r.marker.style.name != "box" and not _tasks_of(r, g) for r in parsed.roots)
    if flat:
        start, end = parsed.roots[0].start, parsed.roots[-1].end
        holder = _section(pid, f"{prefix}body", "", "", start, end, 1, "section")
        sections.append(holder)
    for root, key in zip(parsed.roots, keys, strict=True):
        # a volume (第一篇 …宏伟目标) only groups chapters: its chapters say what kind they are
        sk = None if root.marker.style.name == "volume" else g.section_kind(_title(root, text, g))
        mkind = sk.measure_kind if sk else "measure"
        if root.marker.style.name == "box":
            sections.append(_box_section(root, key, None, text, pid, g))
        elif flat:
            holder.measures.extend(_leaf(root, key, holder, text, pid, g, mkind))
        elif root.children:
            sections.append(_section_tree(root, key, None, text, pid, g, sk))
        elif _tasks_of(root, g):
            sections.append(_task_section(root, key, None, text, pid, g))
        else:
            title = _title(root, text, g)
            kind = sk.kind if sk else "section"
            mirror = _section(pid, key, root.marker.number, title, root.start, root.end, 1, kind)
            mirror.measures.extend(_leaf(root, key, mirror, text, pid, g, mkind))
            sections.append(mirror)
    _mark_closing_leaves(sections, text, g)
    if parsed.trailing:
        sections.append(_flat_section(parsed.trailing, text, pid, f"{prefix}end", "closing", "closing", g))
    return sections


def _section_tree(
    node: _Node, key: str, parent: Section | None, text: str, pid: str, g: Grammar, sk: SectionKind | None
) -> Section:
    sec = _section(
        pid,
        key,
        node.marker.number,
        _title(node, text, g),
        node.start,
        node.end,
        node.level,
        sk.kind if sk else "section",
        parent.id if parent else None,
    )
    intro_kind = sk.measure_kind if sk and sk.measure_kind != "measure" else "intro"
    own = list(enumerate(node.paras[1:], 1))  # the section's own text, outside its numbered items
    if node.paras and _runs_on(node, sec.title):  # "（四）完善设施。推进……" before its sub-items
        own.insert(0, (0, node.paras[0]))
    for k, group, tasked in _task_groups(own, g):
        if tasked:  # unnumbered paragraphs closed by their own block are measures of their own
            sec.measures.append(_task(group, f"{pid}.m.{key}.t{k}", sec, text, node.level + 1, g))
            continue
        sec.measures.extend(_intro(group, f"{pid}.m.{key}", sec, text, node.level + 1, intro_kind, g))
    for child, ckey in zip(node.children, _keys(node.children), strict=True):
        path = f"{key}.{ckey}"
        if child.marker.style.name == "box":
            sec.sections.append(_box_section(child, path, sec, text, pid, g))
        elif child.children:
            child_sk = g.section_kind(_title(child, text, g)) if node.marker.style.name == "volume" else sk
            sec.sections.append(_section_tree(child, path, sec, text, pid, g, child_sk))
        elif _tasks_of(child, g):
            sec.sections.append(_task_section(child, path, sec, text, pid, g))
        else:
            sec.measures.extend(_leaf(child, path, sec, text, pid, g, _leaf_kind(node, child, text, g, sk)))
    return sec


def _leaf_kind(node: _Node, child: _Node, text: str, g: Grammar, sk: SectionKind | None) -> str:
    """The kind of a provision: its section's, or under a volume (第一篇) its own title's (第四章 主要目标)."""
    if node.marker.style.name == "volume":
        sk = g.section_kind(_title(child, text, g))
    return sk.measure_kind if sk else "measure"


def _task_groups(paras: list[tuple[int, Para]], g: Grammar) -> list[tuple[int, list[tuple[int, Para]], bool]]:
    """Paragraphs cut into runs that each end with a responsibility block (a task of its own: 培育各类
    工业互联网平台。……（责任单位：省经济和信息化厅）), and runs without one; (first index, run, tasked)."""
    out: list[tuple[int, list[tuple[int, Para]], bool]] = []
    run: list[tuple[int, Para]] = []
    for k, p in paras:
        if not run and out and out[-1][2] and _is_block(out[-1][1][-1][1].text, g) and (
                _is_block(p.text, g) or g.blocks.deadline_line.match(p.text)):
            out[-1][1].append((k, p))  # 牵头单位：… / 配合单位：… / 完成时限：… lines: one block of one task
            continue
        run.append((k, p))
        if _carries_block(p.text, g) or _is_block(p.text, g):
            out.append((run[0][0], run, True))
            run = []
    if run:
        out.append((run[0][0], run, False))
    return out


def _tasks_of(node: _Node, g: Grammar) -> list[tuple[int, list[tuple[int, Para]], bool]] | None:
    """A leaf provision whose paragraphs are two or more tasks, each closed by its own block."""
    paras = list(enumerate(node.paras))
    if paras and not _runs_on(node, _trim(heading_text(node.paras[0].text)[node.marker.end:])):
        paras = paras[1:]  # a bare heading line: the tasks are the paragraphs below it
    groups = _task_groups(paras, g)
    return groups if sum(tasked for _, _, tasked in groups) >= 2 else None


def _task(group: list[tuple[int, Para]], mid: str, sec: Section, text: str, level: int, g: Grammar) -> Measure:
    start, end = group[0][1].start, group[-1][1].end
    m = Measure(id=mid, number="", title=short_title(group[0][1].text), text=text[start:end], start=start,
                end=end, section_id=sec.id, level=level, kind="measure")
    _attach_responsibility(m, g)
    return m


def _box_section(node: _Node, key: str, parent: Section | None, text: str, pid: str, g: Grammar) -> Section:
    """A 专栏 box: a section of kind `box` titled by its heading; each paragraph (or task closed by a
    block) is a measure titled from its first sentence."""
    head = node.paras[0]
    sec = _section(pid, key, "", _trim(head.text), node.start, node.end, node.level, "box",
                   parent.id if parent else None)
    rows = _numbered_rows(node, g)
    if rows:  # an indicator table whose rows carry numbers (1.地区生产总值（亿元） 9570 15500 …): one table
        cells = [p for c in node.children[:rows] for p in c.paras]
        notes = next((k for k, p in enumerate(cells) if NOTE_LIST.match(p.text)), len(cells))
        paras = [*node.paras[1:], *cells[:notes]]
        m = _task([(k, p) for k, p in enumerate(paras, 1)], f"{pid}.m.{key}.i1", sec, text, node.level + 1, g)
        m.kind, m.title = "table", _caption(paras)
        sec.measures.append(m)
        if notes < len(cells):  # 注：[ ]为五年累计 under the last row: the table's note, not that row
            note = _task(list(enumerate(cells[notes:], 1)), f"{pid}.m.{key}.i2", sec, text, node.level + 1, g)
            note.kind, note.title = "paragraph", _trim(re.split(r"[。，,；;]", cells[notes].text, maxsplit=1)[0])[:30]
            sec.measures.append(note)
    for k, group, tasked in [] if rows else _task_groups(list(enumerate(node.paras))[1:], g):
        if tasked:
            sec.measures.append(_task(group, f"{pid}.m.{key}.t{k}", sec, text, node.level + 1, g))
            continue
        index = {id(p): k2 for k2, p in group}
        for cells, table in _table_groups([p for _, p in group], g):
            k2 = index[id(cells[0])]
            m = _task([(index[id(p)], p) for p in cells], f"{pid}.m.{key}.i{k2}", sec, text, node.level + 1, g)
            if table:  # a box holding an indicator table: one table, titled by its header row
                m.kind, m.title = "table", _table_title(cells)
            sec.measures.append(m)
    for child, ckey in list(zip(node.children, _keys(node.children), strict=True))[rows:]:
        if child.children:
            sec.sections.append(_section_tree(child, f"{key}.{ckey}", sec, text, pid, g, None))
        else:
            sec.measures.extend(_leaf(child, f"{key}.{ckey}", sec, text, pid, g, "measure"))
    return sec


def _numbered_rows(node: _Node, g: Grammar) -> int:
    """How many of a box's numbered items are rows of the table its header cells open (a short name and
    figures, no sentence: 1.地区生产总值（亿元） 9570 15500), 0 when the box is no such table; notes
    after the rows stay items of their own."""
    if not node.children or not any(_cell(p, g) for p in node.paras[1:]):
        return 0
    rows = 0
    for c in node.children:
        cut = next((k for k, p in enumerate(c.paras) if NOTE_LIST.match(p.text)), len(c.paras))
        # a row's cells are short; the last row may hold its sub-rows run together by extraction (其中：
        # 化学需氧量（%）氨氮（%）…约束性), longer but still without a sentence
        longest = 80 if c is node.children[-1] and rows >= 3 else 40
        if c.children or cut < 2 or not all("。" not in p.text and "；" not in p.text and len(p.text) <= longest
                                            for p in c.paras[:cut]):
            break
        rows += 1
        if cut < len(c.paras):
            break  # 注：… under the last row ends the table
    figures = [p for c in node.children[:rows] for p in c.paras[1:]]
    return rows if rows >= 3 and _has_numbers(figures) else 0


def _task_section(node: _Node, key: str, parent: Section | None, text: str, pid: str, g: Grammar) -> Section:
    """A numbered provision made of several tasks: a section whose tasks are measures."""
    sec = _section(pid, key, node.marker.number, _title(node, text, g), node.start, node.end, node.level,
                   "section", parent.id if parent else None)
    for k, group, tasked in _tasks_of(node, g) or []:
        if tasked:
            sec.measures.append(_task(group, f"{pid}.m.{key}.t{k}", sec, text, node.level + 1, g))
        else:
            sec.measures.extend(_intro(group, f"{pid}.m.{key}", sec, text, node.level + 1, "intro", g))
    return sec


def _intro(group: list[tuple[int, Para]], prefix: str, sec: Section, text: str, level: int, kind: str,
           g: Grammar) -> list[Measure]:
    """A section's own paragraphs outside its numbered items, one measure each titled by the section —
    except a run of table cells, which is one `table` measure titled by its caption or header row."""
    index = {id(p): k for k, p in group}
    out = []
    pieces: list[tuple[list[Para], bool]] = []
    for cells, table in _table_groups([p for _, p in group], g):
        numeric = table and _has_numbers(cells)  # short lines without figures stay paragraphs of their own
        pieces += [(cells, True)] if numeric else [([p], False) for p in cells]
    for cells, is_table in _with_notes(pieces):
        start, end, k = cells[0].start, cells[-1].end, index[id(cells[0])]
        out.append(Measure(id=f"{prefix}.i{k}", number="", title=_caption(cells) if is_table else sec.title,
                           text=text[start:end], start=start, end=end, section_id=sec.id, level=level,
                           kind="table" if is_table else kind))
    return out


def _section(
    pid: str,
    key: str,
    number: str,
    title: str,
    start: int,
    end: int,
    level: int,
    kind: str,
    parent_id: str | None = None,
) -> Section:
    return Section(
        id=f"{pid}.s.{key}",
        number=number,
        title=title,
        start=start,
        end=end,
        level=level,
        kind=kind,
        parent_id=parent_id,
    )


def _leaf(node: _Node, key: str, sec: Section, text: str, pid: str, g: Grammar, kind: str) -> list[Measure]:
    """A provision, and any indicator table set inside it as a `table` measure of its own (titled by
    its caption 表3 … or its header row, numbers and year columns kept in order), so that the table is
    searched and cited as a table and the provision's prose is not buried under its cells; prose after
    the table goes on as a measure with the provision's title."""
    groups = _table_groups(node.paras[1:], g)
    if not any(table and _has_numbers(cells) for cells, table in groups):
        return [_measure(node, key, sec, text, pid, g, kind)]
    first = _measure(node, key, sec, text, pid, g, kind)
    out, prose = [first], [node.paras[0]]
    groups = _with_notes(groups)
    for n, (cells, table) in enumerate(groups, 1):
        if not (table and _has_numbers(cells)):
            prose += cells
            continue
        if len(out) == 1:
            _cut(first, prose[-1].end, text, g)
        elif prose:
            out.append(_piece(prose, f"{pid}.m.{key}.p{n}", first, sec, text, g, kind))
        prose = []
        out.append(_piece(cells, f"{pid}.m.{key}.tb{n}", first, sec, text, g, "table", _caption(cells)))
    if prose and len(out) > 1:
        out.append(_piece(prose, f"{pid}.m.{key}.p{len(groups) + 1}", first, sec, text, g, kind))
    return out


_NOTE_ITEM = re.compile(r"^\s*(\d{1,2})\s*[.．、]")


def _with_notes(groups: list[tuple[list[Para], bool]]) -> list[tuple[list[Para], bool]]:
    """A table's note (注：1. 按表中所列重现期… then 2. … 3. …, each its own paragraph) is part of the
    table it follows, not prose of its own: it explains the cells and is cited with them."""
    out: list[tuple[list[Para], bool]] = []
    expected = 0  # the number the next item of an open note would carry
    for cells, table in groups:
        if out and out[-1][1] and not table and len(cells) == 1:
            text = cells[0].text
            item = _NOTE_ITEM.match(text)
            if NOTE_LIST.match(text):
                first = _NOTE_ITEM.match(text[NOTE_LIST.match(text).end():])
                expected = int(first.group(1)) + 1 if first else 0
                out[-1] = (out[-1][0] + cells, True)
                continue
            if expected and item and int(item.group(1)) == expected:
                expected += 1
                out[-1] = (out[-1][0] + cells, True)
                continue
        expected = 0
        out.append((cells, table))
    return out


def _has_numbers(cells: list[Para]) -> bool:
    return sum(bool(re.search(r"\d", p.text)) for p in cells) >= 2


def _caption(cells: list[Para]) -> str:
    """表3 “十四五”主要指标: the caption line a table opens with, else its header row."""
    head = cells[0].text.strip()
    if _CAPTION.match(head):
        return _trim(re.sub(r"\s+", " ", head))
    return _table_title(cells)


def _cut(m: Measure, end: int, text: str, g: Grammar) -> None:
    """A measure ends earlier (an indicator table after its prose is a measure of its own)."""
    m.end, m.text = end, text[m.start:end]
    m.responsibility = m.responsibility_label = m.responsibility_span = None
    _attach_responsibility(m, g)


def _piece(paras: list[Para], mid: str, of: Measure, sec: Section, text: str, g: Grammar, kind: str,
           title: str | None = None) -> Measure:
    start, end = paras[0].start, paras[-1].end
    m = Measure(id=mid, number="", title=title or of.title, text=text[start:end], start=start, end=end,
                section_id=sec.id, level=of.level + 1 if kind == "table" else of.level, kind=kind)
    _attach_responsibility(m, g)
    return m


def _measure(node: _Node, key: str, sec: Section, text: str, pid: str, g: Grammar, kind: str) -> Measure:
    m = Measure(
        id=f"{pid}.m.{key}",
        number=node.marker.number,
        title=_title(node, text, g),
        text=text[node.start : node.end],
        start=node.start,
        end=node.end,
        section_id=sec.id,
        level=node.level,
        kind=kind,
    )
    _attach_responsibility(m, g)
    return m


def _flat_section(
    paras: list[Para],
    text: str,
    pid: str,
    key: str,
    kind: str,
    measure_kind: str,
    g: Grammar,
    single: bool = False,
) -> Section:
    """A section of unnumbered paragraphs (preamble, closing provisions, an unnumbered document)."""
    sec = _section(pid, key, "", "", paras[0].start, paras[-1].end, 1, kind)
    groups = [(paras, False)] if single else _table_groups(paras, g)
    for i, (group, table) in enumerate(groups, 1):
        start, end = group[0].start, group[-1].end
        m = Measure(
            id=f"{pid}.m.{key}" if single else f"{pid}.m.{key}{i}",
            number="",
            title=_table_title(group) if table else short_title(text[start:end]),
            text=text[start:end],
            start=start,
            end=end,
            section_id=sec.id,
            level=1,
            kind="table" if table else measure_kind,
        )
        _attach_responsibility(m, g)
        sec.measures.append(m)
    return sec


_TABLE_MIN_CELLS = 6


def _cell(p: Para, g: Grammar) -> bool:
    """A line of a table flattened one cell per line: short, no sentence punctuation, no numbering (a
    group row may end with a colon: “十二五”期间：)."""
    t = p.text.strip()
    body = t[:-1] if t.endswith(("：", ":")) else t
    if _CAPTION.match(t) and len(t) <= 50 and "。" not in t:
        return True  # 表2  近10年全省县城以上建成区发生严重内涝灾害情况: a caption opens the table
    return len(t) <= 24 and not any(ch in body for ch in "。；;：:") and (t.isdigit() or not g.match_marker(t))


def _table_groups(paras: list[Para], g: Grammar) -> list[tuple[list[Para], bool]]:
    """Paragraphs one by one, except a run of table cells, kept together as one table (its header row
    and its numbers in order), so that it is searched and cited as a table, not as cells."""
    out: list[tuple[list[Para], bool]] = []
    run: list[Para] = []
    for p in [*paras, None]:
        if p is not None and _cell(p, g):
            run.append(p)
            continue
        captioned = len(run) >= 4 and bool(_CAPTION.match(run[0].text.strip()))
        if p is not None and captioned and _glued_rows(p, g):
            run.append(p)  # 表4 … 序号 主要指标 单位 then the rows run together by extraction: one table
            continue
        if len(run) >= _TABLE_MIN_CELLS or captioned:
            out.append((run, True))
        else:
            out += [([q], False) for q in run]
        run = []
        if p is not None:
            out.append(([p], False))
    return _bridge_tables(out)


def _bridge_tables(groups: list[tuple[list[Para], bool]]) -> list[tuple[list[Para], bool]]:
    """One table cut by stray lines (a long cell, the timestamps a page break left): two tables with at
    most two short lines without a sentence end between them are one table."""
    out: list[tuple[list[Para], bool]] = []
    for cells, table in groups:
        gap = 0
        while gap < min(2, len(out)) and not out[-1 - gap][1] and _stray(out[-1 - gap][0]):
            gap += 1
        if table and gap and len(out) > gap and out[-1 - gap][1]:
            between = [p for c, _ in out[len(out) - gap:] for p in c]
            del out[len(out) - gap:]
            out[-1] = (out[-1][0] + between + cells, True)
            continue
        out.append((cells, table))
    return out


def _stray(paras: list[Para]) -> bool:
    return len(paras) == 1 and len(paras[0].text) <= 40 and "。" not in paras[0].text


_CAPTION = re.compile(r"(?:附)?表\s*[\d一二三四五六七八九十]")


def _glued_rows(p: Para, g: Grammar) -> bool:
    """Rows of a table that extraction ran into one paragraph: figures, no sentence end, no numbering."""
    t = p.text.strip()
    return "。" not in t and len(re.findall(r"\d+(?:\.\d+)?", t)) >= 4 and not g.match_marker(t)


def _table_title(cells: list[Para]) -> str:
    """A table is titled by its header row: the cells before the first number."""
    head = []
    for p in cells:
        if re.fullmatch(r"[\d.%％,，\s-]+", p.text) or NOTE_LIST.match(p.text):
            break
        head.append(p.text.strip())
    return _trim("表：" + "、".join(head))[:40]


def _keys(nodes: list[_Node]) -> list[str]:
    """Id path elements of sibling nodes: style code + number (b1, b2 ... for bold), unique."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for ordinal, n in enumerate(nodes, 1):
        base = f"{n.marker.style.code}{n.marker.value if n.marker.value is not None else ordinal}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def _mark_closing_leaves(sections: list[Section], text: str, g: Grammar) -> None:
    """The last numbered provision saying when the document takes effect is a closing provision."""
    measures = sorted((m for s in _walk(sections) for m in s.measures), key=lambda m: m.start)
    for m in measures[-2:]:
        body = m.text[len(m.number) :].strip()
        if len(body) < 160 and g.is_closing_paragraph(body):
            m.kind = "closing"


def _walk(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(_walk(s.sections))
    return out


# -- titles, responsibility blocks, closing metadata ---------------------------------------------


def _title(node: _Node, text: str, g: Grammar) -> str:
    head = heading_text(node.paras[0].text)
    return short_title(head[node.marker.end :] if node.marker.number else head)


def _runs_on(node: _Node, title: str) -> bool:
    """Whether a section's heading paragraph goes on after its run-in title with text of its own."""
    head = heading_text(node.paras[0].text)
    rest = (head[node.marker.end :] if node.marker.number else head).replace("**", "").strip()
    rest = rest[len(title):] if title and rest.startswith(title) else rest
    return any(ch.isalnum() for ch in rest)


def short_title(s: str) -> str:
    """The run-in heading of a provision: bold text, else its first sentence, else its first clause —
    on one line (a preamble's 上海市人民政府令 / （第19号） lines are one title, never a title with breaks)."""
    s = re.sub(r"\s*\n\s*", " ", s.strip())
    bold = re.match(r"\*\*(.+?)\*\*", s)
    if bold:
        return _trim(bold.group(1))
    sentence = re.split(r"[。！？；!?;]", s, maxsplit=1)[0]
    if len(sentence) <= _TITLE_MAX:
        return _trim(sentence)
    clause = re.split(r"[，：,:]", sentence, maxsplit=1)[0]
    return _trim(clause if len(clause) <= _CLAUSE_MAX else clause[:_CLAUSE_MAX])


def _trim(s: str) -> str:
    return s.replace("**", "").strip().rstrip("。；;，,：: ").strip()


def _attach_responsibility(m: Measure, g: Grammar) -> None:
    """The measure's last （责任单位：…） block (genre/blocks.py): label, content, offsets of the content."""
    b = g.blocks.last_block(m.text)
    if b is None:
        return
    m.responsibility_label = b.label
    m.responsibility = b.body
    m.responsibility_span = (m.start + b.body_start, m.start + b.body_end)


def _apply_signature(meta: DocumentMeta, trailing: list[Para], g: Grammar) -> None:
    """Issue date and issuing bodies signed at the end of a document whose header names neither."""
    for i, p in enumerate(trailing):
        if g.date_line.fullmatch(p.text):
            meta.issued = meta.issued or parse_date(p.text)
            if not meta.issuers:
                k = i
                while k > 0 and is_org_line(trailing[k - 1].text, g):
                    k -= 1
                meta.issuers = [s for q in trailing[k:i] for s in q.text.split() if s]


def _apply_closing_meta(
    meta: DocumentMeta, given: DocumentMeta, sections: list[Section], text: str, g: Grammar, *, genre: Genre
) -> None:
    """effective/expiry from closing provisions, unless front matter or a sidecar already gave them."""
    provisions = [m.text for s in _walk(sections) for m in s.measures if m.kind == "closing"]
    found = DocumentMeta(issued=meta.issued, published=meta.published)
    apply_closing(found, provisions, g, genre=genre)
    meta.effective = given.effective or found.effective or meta.effective
    meta.expiry = given.expiry or found.expiry or meta.expiry
