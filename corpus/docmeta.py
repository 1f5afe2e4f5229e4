"""Metadata as real documents print it: portal headers, notice, masthead, signature, closing provisions.

A policy reaches us as published (masthead, 文号, covering notice 关于印发《X》的通知, signature and date,
the document's own title) or as saved from a portal or legal database (a metadata table
`标题：… 文号：… 发布机关：… 成文日期：…`, a byline `机关 2017-06-14 14:40`, the page's date). Every clue
is read where it stands; a field the text does not print stays empty, so that "未载明" is only ever said
when the document really lacks it.

Precedence: the document's own lines (notice, masthead, signature, title) over a portal table, which
names the page (a reprint's 发布机构 is the reprinting office, its 标题 the notice) more than the policy.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus.grammar import Grammar, add_years, numeral_value, parse_date
from corpus.header import Para, is_org_line

_SP = r"[\s\u3000]*"
_ISO_DATE = re.compile(r"((?:19|20)\d\d)[-/.年]\s*(\d{1,2})[-/.月]\s*(\d{1,2})日?")
_CN_DATE = re.compile(
    r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日?"
)
_DOC_NO = re.compile(
    r"[\u4e00-\u9fff]{1,14}\s*[〔\[［(（【]\s*(?:19|20)\d\d\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号"
)
_DECREE = re.compile(r"^(.{2,20}?(?:人民政府|政府|部|委员会|局))令$")
_DECREE_NO = re.compile(r"^[（(]?\s*第\s*(\d{1,4})\s*号\s*[）)]?$")
_NOTICE = re.compile(r"^(?P<who>.*?)(?:关于)?(?P<verb>印发|转发|发布|公布|下发)(?P<what>.+?)的通知$")
_ABOUT = re.compile(r"^(?P<who>.{2,60}?)关于(?P<what>.+)$")
_ORG_END = ("人民政府", "政府", "办公厅", "办公室", "委员会", "局", "厅", "委", "办", "部", "署", "院", "中心",
            "管委会", "县委", "市委", "省委", "区委", "工作组", "领导小组", "小组")
_TITLE_END = ("方案", "意见", "措施", "办法", "计划", "规定", "细则", "通知", "纲要", "规划", "条例", "决定", "指引",
              "指南", "政策", "导引", "标准", "目录", "清单", "要点", "通告", "公告", "决议", "批复", "函")
_PERIOD_SUFFIX = re.compile(r"[（(]\s*\d{4}\s*[-—–－~至]\s*\d{4}\s*年?\s*[）)]$|[（(][^（）()]{1,12}[）)]$")
_PROSE = "。；;，,："

# Portal and database metadata keys (spaces inside a key are extraction damage: 发 文 字 号).
PORTAL_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("标题", "名称", "文件名称", "政策名称"),
    "doc_no": ("文号", "政策文号", "发文字号", "发文文号"),
    "issuers": ("发布机关", "发布机构", "发文机关", "发文单位", "发布单位", "制发机关"),
    "source": ("来源", "信息来源", "文章来源"),
    "issued": ("成文日期", "成文时间", "印发日期"),
    "published": ("发布日期", "发布时间", "发表时间", "公布日期", "发文日期"),
    "effective": ("实施日期", "施行日期", "生效日期"),
    "expiry": ("失效日期", "废止日期", "有效期至"),
    "index_no": ("索引号",),
    "status": ("文件状态", "时效", "时效性", "效力状态", "效力级别状态"),
}
_KEY_OF = {k: f for f, keys in PORTAL_KEYS.items() for k in keys}
_KEY_RE = re.compile(
    "(" + "|".join(sorted(("".join(c + _SP for c in k[:-1]) + k[-1] for k in _KEY_OF), key=len, reverse=True))
    + ")" + _SP + "[：:]"
)

STATUS_IN_FORCE, STATUS_EXPIRED, STATUS_NOT_YET = "现行有效", "已失效", "尚未施行"
_EXPIRED_WORDS = ("失效", "废止", "已失效", "已废止")
_IN_FORCE_WORDS = ("现行有效", "有效", "已生效", "现行")

# Closing provisions: the document's own subject (本办法 / 以上措施 …), then when it takes effect.
_SUBJECT = r"(?:本|此|以上|上述)[^。；]{0,30}?"
_EFFECTIVE_AT = re.compile(_SUBJECT + r"自\s*(?P<d>" + _CN_DATE.pattern + r")\s*起\s*(?:施行|实施|执行|生效)")
_EFFECTIVE_ON = re.compile(_SUBJECT + r"自(?:文件)?(?P<act>印发|发布|公布|颁布|发文|下发|签发|通过)之日起\s*(?:施行|实施|执行|生效)")
_VALID_YEARS = re.compile(r"(?:有效期(?:为|暂定)?\s*(?P<a>[\d一二两三四五六七八九十]+)\s*年|暂定\s*(?P<b>[\d一二两三四五六七八九十]+)\s*年(?:有效期)?)")
_VALID_UNTIL = re.compile(r"有效期至\s*(?P<d>" + _CN_DATE.pattern + ")")


@dataclass
class PrintedMeta:
    """What the text prints, field by field (None/empty when it does not)."""

    title: str | None = None
    doc_no: str | None = None
    issuers: list[str] = field(default_factory=list)
    issued: str | None = None
    published: str | None = None
    effective: str | None = None
    expiry: str | None = None
    index_no: str | None = None
    status: str | None = None  # as printed by a portal: 现行有效 / 失效 …
    heading: str | None = None  # the first heading-like line, for a derived title
    closing_seen: bool = False  # a closing provision was read: its effective date (or none) is final


def read_printed(paras: list[Para], g: Grammar) -> PrintedMeta:
    """Every metadata clue of the text: portal table, header block, signature, closing provisions."""
    texts = [p.text for p in paras]
    lines = _header_lines(texts)
    portal = _portal(lines[:80]) | {k: v for k, v in _portal(texts[-40:]).items() if k not in _portal(lines[:80])}
    out = PrintedMeta()
    head = _header_block(texts, g)
    out.doc_no = head.get("doc_no") or _clean_doc_no(portal.get("doc_no"))
    out.issuers = head.get("issuers") or _orgs(portal.get("issuers")) or head.get("byline_issuers") or []
    out.title = head.get("title") or _title_of_portal(portal.get("title"), texts)
    out.issued = head.get("issued") or _date(portal.get("issued"))
    out.published = head.get("published") or _date(portal.get("published"))
    out.effective = _date(portal.get("effective"))
    out.expiry = _date(portal.get("expiry"))
    out.index_no = (portal.get("index_no") or "").strip() or None
    out.status = (portal.get("status") or "").strip() or None
    out.heading = head.get("heading")
    if not out.issuers:
        out.issuers = (_trailing_signature(texts, g, out) or head.get("title_issuers")
                       or _orgs(portal.get("source"), strict=True))
    elif not out.issued:
        _trailing_signature(texts, g, out)
    closing_dates(texts, out)
    return out


# -- portal tables ------------------------------------------------------------------------------------

def _portal(lines: list[str]) -> dict[str, str]:
    """Field -> value of `key：value` lines; a key alone on its line takes the next line as value."""
    out: dict[str, str] = {}
    for i, line in enumerate(lines):
        hits = list(_KEY_RE.finditer(line))
        if not hits or hits[0].start() > 2:
            continue
        for k, m in enumerate(hits):
            end = hits[k + 1].start() if k + 1 < len(hits) else len(line)
            value = line[m.end() : end].strip(" \u3000：:")
            if not value and k + 1 == len(hits) and i + 1 < len(lines) and not _KEY_RE.match(lines[i + 1]):
                value = lines[i + 1].strip()
            name = _KEY_OF[re.sub(r"[\s\u3000：:]", "", m.group(0))]
            if value and name not in out:
                out[name] = value
    return out


def _title_of_portal(value: str | None, texts: list[str]) -> str | None:
    """A portal's 标题 (a reprint's （转载） mark dropped); a wrapped notice yields its document's title
    when that document's heading is in the text."""
    if not value:
        return None
    value = re.sub(r"^[（(]\s*转载\s*[）)]", "", value.strip())
    inner = _wrapped(value)
    if inner and _heading_present(inner, texts):
        return inner
    return value


def _clean_doc_no(value: str | None) -> str | None:
    if not value:
        return None
    m = _DOC_NO.search(value)
    return re.sub(r"\s+", "", m.group(0)) if m else None


# -- the header block -----------------------------------------------------------------------------

def _header_lines(texts: list[str]) -> list[str]:
    """Header lines as a reader sees them. Extraction damage undone: a 文号 glued between a title and
    the salutation split off; a line doubled by extraction (国务院关于印发国务院关于印发) once; a
    portal page title's site name (…的通知-广州市人力资源和社会保障局网站) dropped; a web print's
    `title，issuer` written `issuer + title`."""
    out: list[str] = []
    for k, t in enumerate(texts):
        t = re.sub(r"\s+", " ", t).strip()
        if k < 5 and len(t) > 80 and _header_run(t):
            out += _reline(t)
            continue
        if k < 60 and (m := _DOC_NO.search(t)) and m.start() > 0:
            number, start = _doc_no_at(m)
            before, after = t[:start].rstrip(), t[m.end() :].lstrip()
            if before.endswith(_TITLE_END) and not _is_sentence(before):
                out += [_undouble(before), number] + ([after] if after else [])
                continue
        out.append(_undouble(t))
    return out


def _header_run(t: str) -> bool:
    """A paragraph that is a header run together: portal keys, or a 文号 before any sentence or citation
    (a 文号 after 《…》 or in brackets is a document cited by the preamble, not this one's)."""
    if len(_KEY_RE.findall(t[:300])) >= 2:
        return True
    m = _DOC_NO.search(t[:300])
    return bool(m) and not re.search(r"[。《（(]", t[: m.start()])


def _reline(t: str) -> list[str]:
    """A header run together into one paragraph (a web print, a flattened page) cut back into its
    lines: before each portal key, around the 文号, after the salutation's colon, after a sentence,
    around a signature date and the publicity note."""
    head, tail = t[:600], t[600:]
    cuts = [r"(?=(?:" + "|".join(sorted(map(re.escape, _KEY_OF), key=len, reverse=True)) + r")\s*[：:])",
            r"(?<=：)", r"(?<=。)", r"(?=[（(]\s*此件)", r"(?<=[）)])(?=\S)",
            r"(?<=日)\s+(?=[（(])", r"(?<=\d日)(?=[\u4e00-\u9fff])", r"\s+(?=" + _CN_DATE.pattern + r")"]
    parts = []
    pos = 0
    for m in _DOC_NO.finditer(head):
        number, start = _doc_no_at(m)
        if head[max(0, start - 1) : start] in ("（", "(", "》", "、"):  # a 文号 cited in a sentence stays
            continue
        parts += [head[pos:start], number]
        pos = m.end()
    parts.append(head[pos:])
    for cut in cuts:
        parts = [q for p in parts for q in re.split(cut, p)]
    lines = [re.sub(r"\s+", " ", p).strip() for p in parts]
    lines = [ln for ln in lines if ln]
    if tail:
        lines[-1] += tail
    return [_undouble(ln) for ln in lines]


def _undouble(t: str) -> str:
    t = _once(t)
    t = re.sub(r"\s*[-_|－]\s*[^-_|－\s]{2,20}(?:网站|门户网站|政府网|网)$", "", t)
    m = re.fullmatch(r"(关于.{4,80}?)[，,]\s*(\S{2,12}?)(?:\2\1)?", t)
    if m and _orgs(m.group(2)) and m.group(1).endswith(_TITLE_END):
        t = m.group(2) + m.group(1)
    return t


DOUBLED_MAX = 4_000  # longest doubled run looked for (a header line printed twice is far shorter)


def _once(t: str) -> str:
    """A line (or run of lines joined) each printed twice by extraction: AABB -> AB.

    Each run is looked for within DOUBLED_MAX characters: the search compares every even-length
    prefix, so unbounded it took minutes on a paragraph of a few megabytes (a text with no line
    breaks), both at ingest and when a question re-reads the document's header."""
    out: list[str] = []
    pos = 0
    while len(t) - pos >= 6:
        top = min(len(t) - pos, DOUBLED_MAX)
        for k in range(top - top % 2, 5, -2):
            half = k // 2
            if t[pos : pos + half] == t[pos + half : pos + k]:
                out.append(t[pos : pos + half])
                pos += k
                break
        else:
            break
    return "".join(out) + t[pos:]


def _header_block(texts: list[str], g: Grammar) -> dict:
    """Notice title, 文号, masthead, signature and the document's own title, from the top of the text."""
    texts = _header_lines(texts)
    out: dict = {"skip": set()}
    limit = min(len(texts), 60)
    sentences = 0
    for i in range(limit):
        t = texts[i]
        if i in out["skip"]:
            continue
        if _KEY_RE.match(t):  # a portal table line (and its value on the next line) is read by _portal
            out["skip"].add(i)
            if not t[_KEY_RE.match(t).end() :].strip():
                out["skip"].add(i + 1)
            continue
        if "doc_no" not in out and (d := _doc_no_line(t)):
            out["doc_no"] = d[0]
            if d[1]:
                texts[i] = d[1]  # the title the 文号 was glued to
            else:
                out["skip"].add(i)
                continue
            t = texts[i]
        if g.match_marker(t) or (_is_sentence(t) and not out.get("notice")):
            sentences += 1
            if sentences > 1 or g.match_marker(t):
                break
            continue
        if _is_sentence(t):
            continue
        if "notice" not in out and (n := _notice_at(texts, i)):
            title, who, what, span = n
            out["notice"] = title
            out["skip"].update(range(i, i + span))
            if who:
                out.setdefault("issuers", who)
            out["wrapped"] = what
            continue
        if "issued" not in out and (d := _signed_date(t)):
            kind, iso = d
            out[kind] = iso
            if kind == "issued" and "issuers" not in out:
                sig = _signature_above(texts, i, g)
                if sig:
                    out["issuers"] = sig
            continue
        if "published" not in out and (d := _published_line(t)):
            out["published"] = d[1]
            if d[0]:
                out["byline_issuers"] = d[0]
            continue
        if (m := _DECREE.match(t)) and i + 1 < len(texts) and _DECREE_NO.match(texts[i + 1]):
            out.setdefault("doc_no", m.group(1) + "令第" + _DECREE_NO.match(texts[i + 1]).group(1) + "号")
            out.setdefault("issuers", [m.group(1)])
            out["skip"].update((i, i + 1))
            continue
        if t.endswith("文件") and is_org_line(t, g):
            lo, hi = i, i + 1
            while lo > 0 and lo - 1 not in out["skip"] and is_org_line(texts[lo - 1], g):
                lo -= 1
            while hi < limit and is_org_line(texts[hi], g):
                hi += 1
            names: list[str] = []
            for k in range(lo, hi):
                for part in re.split(r"\s+", texts[k].removesuffix("文件")):
                    if part in ("办公厅", "办公室") and names:  # 南宁市人民政府 / 办公厅文件
                        names[-1] += part
                    elif part:
                        names.append(part)
            out["issuers"] = names  # the masthead is the strongest statement of who issues
            out["skip"].update(range(lo, hi))
            continue
    _own_title(texts, out, limit, g)
    return out


def _doc_no_line(t: str) -> tuple[str, str] | None:
    """A 文号 standing as a header line (own line, in brackets), or glued to the end of a title line:
    (文号, the title without it or "")."""
    m = _DOC_NO.search(t)
    if not m:
        return None
    number, start = _doc_no_at(m)
    rest = (t[:start] + t[m.end() :]).strip(" （）()")
    if len(rest) <= 20 and not _is_sentence(rest) and not rest.endswith(_TITLE_END):
        return number, ""
    if m.end() >= len(t.rstrip()) - 1 and t[:start].rstrip().endswith(_TITLE_END) and not _is_sentence(t):
        return number, t[:start].rstrip()  # 国务院关于…的意见国发〔2015〕24号
    return None


def _doc_no_at(m: re.Match) -> tuple[str, int]:
    """The 文号 of a match, cut after any title word glued in front of it (…的意见国发 -> 国发)."""
    text = m.group(0)
    prefix = text[: re.search(r"[〔\[［(（【]", text).start()]
    cut = 0
    for word in _TITLE_END:
        if len(word) >= 2 and (k := prefix.rfind(word)) >= 0:
            cut = max(cut, k + len(word))
    return re.sub(r"\s+", "", text[cut:]), m.start() + cut


def _notice_at(texts: list[str], i: int):
    """A covering notice title starting at line i (set on up to three lines): (title, issuers, X, i)."""
    for span in (1, 2, 3):
        if i + span > len(texts):
            break
        parts = texts[i : i + span]
        if any(_is_sentence(p) for p in parts):
            break
        if any(_DOC_NO.search(p) or _signed_date(p) for p in parts):
            break
        joined = _join_title(parts)
        m = _NOTICE.match(joined)
        if m and len(joined) <= 160:
            who_text = re.sub(r"^[（(]\s*转载\s*[）)]", "", m.group("who").removesuffix("关于").strip())
            who = _orgs(who_text)
            if who_text and not who:
                return None
            return joined, who, _strip_quotes(m.group("what")), span
        if "通知" in joined:
            break
    return None


def _join_title(parts: list[str]) -> str:
    """Lines of one title joined; a space is kept only between two issuing bodies (科技部 国家保密局)."""
    return re.sub(r"(?<=[\u4e00-\u9fff）)》”])\s+(?=[\u4e00-\u9fff（(《“])", _space_if_orgs, " ".join(parts)).strip()


def _space_if_orgs(m: re.Match) -> str:
    before = m.string[: m.start()]
    return " " if before.endswith(_ORG_END) and "关于" not in before else ""


def _strip_quotes(what: str) -> str:
    what = what.strip()
    if what.startswith("《") and what.endswith("》") and what.count("《") == 1:
        return what[1:-1]
    return what.replace("〈", "《").replace("〉", "》")


def _wrapped(title: str) -> str | None:
    m = _NOTICE.match(title.strip())
    return _strip_quotes(m.group("what")) if m else None


def _orgs(text: str | None, strict: bool = False) -> list[str]:
    """Issuing bodies in a run of names (spaces, 、 or ， between them); [] when any part is not a body."""
    if not text:
        return []
    parts = [p for p in re.split(r"[\s\u3000、，,]+", text.strip()) if p]
    if not parts or any(len(p) > 40 or not p.endswith(_ORG_END) for p in parts):
        return []
    if strict and any(len(p) < 4 for p in parts):
        return []
    return parts


def _is_sentence(t: str) -> bool:
    return any(c in t for c in "。；;") or (len(t) > 60 and any(c in t for c in "，,"))


def _signed_date(t: str) -> tuple[str, str] | None:
    """A date line: 2019年6月20日 (issued), …签发 (issued), …发布 (published), (2023年2月8日) under a title."""
    s = t.strip().strip("（）()")
    m = _CN_DATE.fullmatch(s) or None
    if m:
        return "issued", parse_date(s)
    m = re.fullmatch("(" + _CN_DATE.pattern + r")\s*(签发|发布|印发)", s)
    if m and m.group(2) != "印发":
        return ("issued" if m.group(2) == "签发" else "published"), parse_date(m.group(1))
    return None


def _published_line(t: str) -> tuple[list[str], str] | None:
    """A portal's date line (2024-01-05, or a byline 机关 2017-06-14 14:40): the page's publication date."""
    m = re.fullmatch(r"(?P<who>[^\d]{2,40}?)?\s*(?P<d>(?:19|20)\d\d-\d{1,2}-\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", t.strip())
    if not m:
        return None
    who = _orgs(m.group("who")) if m.group("who") else []
    if m.group("who") and not who:
        return None
    return who, _date(m.group("d"))


def _signature_above(texts: list[str], i: int, g: Grammar) -> list[str]:
    """Bodies signed on the lines just above a date line (one per line, or several on one line)."""
    out: list[str] = []
    k = i - 1
    while k >= 0 and len(out) < 8:
        t = texts[k]
        orgs = _orgs(t) if not t.endswith("文件") else []
        if not orgs:
            if re.fullmatch(r"(?:市长|省长|区长|县长|主席|主任|部长)\s*\S{1,4}", t):  # 市长 应勇: a decree's signer
                k -= 1
                continue
            break
        out = orgs + out
        k -= 1
    return out


def _own_title(texts: list[str], out: dict, limit: int, g: Grammar) -> None:
    """The document's own title: the heading naming the wrapped document, else the first title line."""
    wrapped = out.get("wrapped")
    heading = None
    for i in range(limit):
        t = _without_edge_specks(texts[i])
        if i in out["skip"] or not _title_like(t) or g.match_marker(t):
            if g.match_marker(t) and not wrapped:
                break
            continue
        title, nxt = t, i + 1
        if nxt < len(texts) and _SUFFIX_LINE.fullmatch(texts[nxt]) and not _signed_date(texts[nxt]):
            title += texts[nxt]  # （2023-2025年） / （市级版） on the next line
            nxt += 1
        if i > 0 and i - 1 not in out["skip"] and _title_head(texts[i - 1], g):
            title = _join_title([texts[i - 1], title])  # 中共柳河县委 柳河县人民政府 / 关于…的实施意见
            out.setdefault("title_line_issuers", _orgs(texts[i - 1]))
        if wrapped and (_same(title, wrapped) or _close(title, wrapped)):
            out["title"] = _tidy(title)
            return
        heading = heading or title
        if not wrapped and not out.get("notice"):
            out["title"] = _tidy(title)
            _issuers_near_title(texts, nxt, out)
            return
    if out.get("notice"):
        multi = bool(wrapped) and bool(re.search(r"》\s*[《和及、]|[^》]和[^》]*(?:计划|方案|办法|政策|措施)", wrapped))
        out["title"] = _tidy(wrapped if wrapped and not multi and _heading_present(wrapped, texts) else out["notice"])
    if heading:
        out["heading"] = _tidy(heading)


# a title line never ends with a full stop or a comma and never opens with a closing quote or a dot: on a
# scan these are specks at the line's edges (”关于进一步保障和改善民生的若干措施。)
_EDGE_SPECKS = re.compile(r"^[”’\"'`·.,，、。]+(?=[\u4e00-\u9fff“《])|(?<=[\u4e00-\u9fff》）)])[。.,，、'`]+$")


def _without_edge_specks(line: str) -> str:
    return _EDGE_SPECKS.sub("", line.strip())


def _issuers_near_title(texts: list[str], nxt: int, out: dict) -> None:
    """Issuers of a title-first document: the line of bodies above the title, the one under it, or the
    body the title starts with (国务院关于…的意见)."""
    if out.get("issuers"):
        return
    if out.get("title_line_issuers"):
        out["issuers"] = out["title_line_issuers"]
        return
    if nxt < len(texts) and (orgs := _orgs(texts[nxt])):
        out["issuers"] = orgs
        return
    m = _ABOUT.match(out.get("title") or "")
    if m:
        out["title_issuers"] = _orgs(m.group("who"))


_SUFFIX_LINE = re.compile(r"[（(]\s*(?:\d{4}\s*[-—–－~至]\s*\d{4}\s*年?|[^（）()，。、]{1,10})\s*[）)]")


def _title_like(t: str) -> bool:
    core = _PERIOD_SUFFIX.sub("", t.strip()).rstrip("》")
    core = re.sub(r"[，,]\s*\S{1,8}$", "", core)  # web print: 《…的意见，国务院》
    return 4 <= len(core) <= 90 and not _is_sentence(core) and core.endswith(_TITLE_END) and "：" not in core


def _title_head(t: str, g: Grammar) -> bool:
    """The first line of a title set on two lines (a run of bodies, or 上海市关于促进智算云产业)."""
    if len(t) > 40 or _is_sentence(t) or any(c in t for c in "，,：:") or _title_like(t) or g.match_marker(t):
        return False
    if _DOC_NO.search(t) or _signed_date(t) or _published_line(t) or t.endswith("文件"):
        return False
    return bool(_orgs(t)) or ("关于" in t and len(t) >= 6)


def _same(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def _close(a: str, b: str) -> bool:
    """A heading that is the wrapped title with a word more or less (…“十三五”专项规划 / …“十三五”规划)."""
    ka, kb = sorted((_key(a), _key(b)), key=len)
    if len(ka) < 8 or len(kb) - len(ka) > 4:
        return False
    p = 0
    while p < len(ka) and ka[p] == kb[p]:
        p += 1
    q = 0
    while q < len(ka) - p and ka[-1 - q] == kb[-1 - q]:
        q += 1
    return p + q >= len(ka)


def _key(t: str) -> str:
    return re.sub(r"[\s《》〈〉“”\"'（）()—\-–]", "", t or "")


def _heading_present(title: str, texts: list[str]) -> bool:
    key = _key(title)
    return any(_key(t) == key or _close(t, title) for t in texts[:120] if len(t) <= 100)


def _tidy(title: str) -> str:
    title = re.sub(r"^[（(]\s*转载\s*[）)]", "", title.strip())
    title = re.sub(r"^[IVX\d\s]+(?=[\u4e00-\u9fff])", "", title)  # stray cover page marks: II浙江省…
    title = title.replace("(", "（").replace(")", "）")  # titles are set with full-width brackets
    return re.sub(r"(?<=[\u4e00-\u9fff”）)])\s+(?=[\u4e00-\u9fff“（(])", "", title)


# -- the end of the document --------------------------------------------------------------------

def _trailing_signature(texts: list[str], g: Grammar, out: PrintedMeta) -> list[str]:
    """Bodies and date signed at the end (国务院 / 2019年3月6日, or 国务院2015年5月4日 on one line)."""
    for i in range(len(texts) - 1, max(len(texts) - 25, -1), -1):
        t = texts[i]
        d = _signed_date(t)
        if d and d[0] == "published":
            out.published = out.published or d[1]
            continue
        if d and d[0] == "issued":
            out.issued = out.issued or d[1]
            return _signature_above(texts, i, g)
        m = re.fullmatch(r"(?P<who>\S{2,30}?)\s*(?P<d>" + _CN_DATE.pattern + ")", t)
        if m and (who := _orgs(m.group("who"))):
            out.issued = out.issued or parse_date(m.group("d"))
            return who
    return []


def closing_dates(texts: list[str], out: PrintedMeta) -> None:
    """施行 and validity from the document's closing provisions (本办法自…起施行，有效期N年)."""
    years = None
    for t in texts:
        if not re.search(r"(?:施行|实施|执行|生效|有效期)", t):
            continue
        if not out.effective and (m := _EFFECTIVE_AT.search(t)):
            out.effective = parse_date(m.group("d"))
            out.closing_seen = True
        elif not out.effective and (m := _EFFECTIVE_ON.search(t)):
            out.closing_seen = True
            out.effective = (out.published if m.group("act") in ("发布", "公布") and out.published else None) or out.issued
        if (m := _VALID_UNTIL.search(t)) and re.search(_SUBJECT, t):
            out.expiry = out.expiry or parse_date(m.group("d"))
        if (_EFFECTIVE_AT.search(t) or _EFFECTIVE_ON.search(t)) and (v := _VALID_YEARS.search(t)):
            years = numeral_value(v.group("a") or v.group("b"))
    if years and out.effective and not out.expiry:
        out.expiry = add_years(out.effective, years)


def _date(value: str | None) -> str | None:
    """ISO date of 2024-09-12, 2019年03月16 (cut off), 2019年11月23日."""
    if not value:
        return None
    iso = parse_date(value)
    if iso:
        return iso
    m = _ISO_DATE.search(value)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    return None


# -- validity and display ------------------------------------------------------------------------

def validity_status(effective: str | None, expiry: str | None, printed: str | None = None,
                    issued: str | None = None, today: dt.date | None = None) -> str | None:
    """现行有效 / 已失效 / 尚未施行 against today; a printed status counts when the dates do not decide."""
    today = today or dt.date.today()
    if expiry and dt.date.fromisoformat(expiry) < today:
        return STATUS_EXPIRED
    if effective and dt.date.fromisoformat(effective) > today:
        return STATUS_NOT_YET
    if printed:
        p = printed.strip()
        if any(w in p for w in _EXPIRED_WORDS):
            return STATUS_EXPIRED
        if "尚未" in p:
            return STATUS_NOT_YET
        if any(w in p for w in _IN_FORCE_WORDS):
            return STATUS_IN_FORCE
    if effective or expiry:
        return STATUS_IN_FORCE
    return None


def readable_file_title(path: str) -> str:
    """The file's own name, as the user saved or uploaded it, without its extension: the last resort
    for a document whose text says neither its title nor what it is (never rewritten into a slug)."""
    stem = Path(path).name
    for suffix in Path(path).suffixes[::-1]:
        stem = stem.removesuffix(suffix)
    return stem.strip() or "未命名文件"
