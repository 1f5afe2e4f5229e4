"""Where a measure says who is responsible: every block form, then running text.

Blocks, in the forms the genre writes them (all of them in a measure count, not only the last):
- labelled: （责任单位：A、B）, ［牵头单位：A；配合单位：B］, a line 责任单位:A、B, separate lines
  牵头单位：A / 参与单位：B;
- unlabelled, closed by a role verb: （A牵头，B配合）, （A负责）, （A、B等按职责分工负责）,
  （A牵头，B按职责分工负责）; or a bracket after a sentence that holds nothing but bodies, at least half
  of them known （人民银行、密码局、国家标准委）, or every one of them named as a government organ
  (局, 委, 部, 人民政府 …: the State Council's task lists close each task so, with bodies since renamed
  the lexicon need not know: （工商总局）, （旅游局、工商总局）, （地方各级人民政府）).
A bracket is a block only when every name in it is a body (known, or shaped like one), so （以下简称X）,
（2021-2023年） or （含技工院校） never are.

Running text, read only when a measure has no block (a block is the document's own answer), with the
role words of the genre data (blocks.yaml `verbs` and `running_verbs`, the department grammar's
`together` verbs): 由A牵头 / A牵头建立… (lead), A、B共同牵头 (co-lead), B配合 / B参与 (participant; also
after 由A牵头、B配合), A会同B… / 由A商B… / A联合B… (A lead, B participant; A会同B牵头: B co-lead),
A负责 / 由A组织实施 / A、B统筹推进 / A主管 / 由A具体落实 (responsible); and the agent of a passive
clause with any other verb, 由A、B对接保障 (responsible; 由A商B确定: A lead, B participant). The subject must be a body that names its jurisdiction (省/市/县/区/
国家/国务院 …), is known to the lexicon or is the competent authority of a field (住房公积金主管部门):
政务部门, 运营单位 or 相关部门 are roles, not bodies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from corpus.aliases import DEFINITION, Alias
from corpus.jurisdiction import functional_body, is_organ
from genre import Genre, derived
from genre.words import pos_tagger
from kg.lexicon import departments, norm

BRACKET = re.compile(r"[（(［\[]([^（）()［］\[\]\n]{2,240}?(?:[（(][^（）()\n]{1,12}[）)][^（）()［］\[\]\n]{0,200}?)*)[）)］\]]")

AGENT_ONLY = ("制定",)  # 由A(按规定)制定: a verb that names who is responsible only after the agent marker 由
# what follows a role word when it is no verb: a label or a noun (牵头单位, 主管部门, 负责人, 负责同志), or
# 负责解释, which names the body that interprets the document (本意见由领导小组负责解释)
NOT_A_VERB = r"(?!单位|部门|机关|机构|人|同志|解释)"
LEADING = ("lead", "co-lead")
UNNAMED_BODIES = re.compile(r"等[\u4e00-\u9fff]{0,6}?(?:部门|单位|机关|机构)")  # 会同发展改革、规划等部门


@dataclass(frozen=True)
class RunningVerbs:
    """Running text's verbs of responsibility, from the genre data: `anchors` finds them (longest
    first), `role` gives the role each gives the bodies before it, `joining` are the verbs whose
    subject leads the bodies after them (会同, 商, 联合)."""

    anchors: re.Pattern
    role: dict[str, str]
    joining: frozenset[str]
    closing: dict[str, str]  # a joining verb that also closes a clause (B协同。): its role there
    alone: dict[str, str]  # a joining verb that is one whatever follows (A会同园区运营单位…): its subject's role


@derived
def running_verbs(genre: Genre) -> RunningVerbs:
    """The genre's running-text verbs, built once per genre (read for every sentence of every measure)."""
    blocks_verbs, running = genre.blocks.verbs, genre.blocks.running_verbs
    together = (genre.data("department_grammar").get("joining_verbs") or {}).get("together") or ()
    role = {**running, **blocks_verbs}
    closing = {v: role[v] for v in together if v in blocks_verbs}
    alone = {v: role[v] for v in together if v in running}
    role.update({v: "lead" for v in together})
    alt = "|".join(map(re.escape, sorted(role, key=len, reverse=True)))
    return RunningVerbs(re.compile(rf"(?:{alt}){NOT_A_VERB}"), role, frozenset(together), closing, alone)
CLAUSE_START = re.compile(r"[，,。；;：:！？\n]")
SUBJECT_PREFIX = re.compile(r"^(?:并|另|同时|还)?(?:由|经)?")
# what stands between a subject and its verb: modals, adverbs and the qualifiers of administrative
# writing (由市科技局按规定制定, A会同B按职责分工负责, 由省主管部门统一/另行制定)
SUBJECT_TAIL = re.compile(r"(?:要|应当|应|须|必须|将|可|可以|进一步|继续|共同|切实|具体|加强|做好|积极|"
                          r"按(?:照)?(?:有关)?规定|按(?:照)?职责(?:分工)?|依(?:照)?职责|依法|根据职责(?:分工)?|"
                          r"按(?:照)?程序|统一|另行)+$")
AGENT = re.compile(r"(?<![自经理缘])由(?!于|此)")  # the agent of a passive clause: 目录编制指南由省主管部门统一制定
PARENTHETICAL = DEFINITION  # （以下简称X）: a definition, never a subject (corpus/aliases.py)
JURISDICTION_START = re.compile(r"^(?:中共|中央|国家|国务院|全国|省|市|县|区|州|盟|旗|乡|镇|街道|自治区|自治州|开发区|高新区|新区|园区)")
NUMBER_START = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节]|[（(][一二三四五六七八九十\d]+[)）]|"
                          r"[一二三四五六七八九十]+、|\d+[.．、])\s*")
# the competent authority for a field, as regulations name bodies by function at every level
# (住房公积金主管部门, 卫生健康主管部门, 教育行政主管部门): a body, though it names no place
COMPETENT = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:行政)?主管部门")
EVERY_LEVEL = re.compile(r"各(?:[省市州县区盟旗]|[（(][省市州县区]{1,2}[）)])+(?:、(?:[省市州县区盟旗]|[（(][省市州县区]{1,2}[）)])+)*"
                         r"[\u4e00-\u9fff]{2,}")
GENERIC = re.compile(r"^(?:[省市区县]级)?(?:各|有关|相关|其他|其它|上级|本级|同级)")  # 市级相关部门: a role, no body
OBJECT_END = re.compile(r"(?:组织|共同|建立|制定|研究|开展|推进|做好|按照|按规定|按职责|依法|依职责|根据|对|在|将|把|加强|完善|统筹|负责|牵头|"
                        r"指导|实施|落实|推动|编制|出台|等)")
PROCESS_WORDS = ("以下简称", "以下统称")


@dataclass
class Block:
    """A stretch of the policy text that names responsible bodies, with the role its label gives."""

    start: int
    end: int
    role: str  # default role of the names in it (the label's, or responsible)
    kind: str  # labelled | bracket | running


def labelled_blocks(text: str, base: int, genre: Genre) -> list[Block]:
    """（责任单位：…） / ［牵头单位：…］ anywhere and label lines (责任单位:A、B), by the one block table."""
    return [Block(base + b.body_start, base + b.body_end, b.role, "labelled")
            for b in genre.blocks.find_blocks(text)]


def _is_body(name: str, city: str | None, strict: bool, genre: Genre) -> bool:
    """A written name is a body: known to the lexicon, or shaped like one (strict: it also names its
    jurisdiction and is not a generic role such as 相关部门)."""
    key = norm(name)
    if len(key) < 2:
        return False
    lex = departments(genre)
    entry = lex.resolve(key, city)
    if strict:
        if GENERIC.match(key) and not (entry and entry.kind == "集体" and key.startswith("各")):
            # 各区人力资源社会保障部门, 各县公安机关, 各级财政部门: the bodies of every district or level,
            # one collective body
            return (bool(EVERY_LEVEL.match(key)) and lex.looks_like_body(key)) or bool(functional_body(key, genre=genre))
        if entry is not None or COMPETENT.fullmatch(key) or functional_body(key, genre=genre):
            return True
        return lex.looks_like_body(key) and (bool(JURISDICTION_START.match(key)) or _names_place(key))
    return entry is not None or lex.looks_like_body(key) or bool(GENERIC.match(key))


@cache
def _names_place(name: str) -> bool:
    """The name begins with a place of China's gazetteer (北京市…, 柳河县…, 南宁海关): jionlp."""
    from corpus.jurisdiction import parse_location, written_at_start

    loc = parse_location(name)
    detail = loc.get("detail") or name
    province, city, county = (loc.get(k) for k in ("province", "city", "county"))
    # jionlp skips what precedes a place (…指导北京市经济和信息化局 parses as 北京市…): only a place
    # the name itself starts with makes it a body's name
    return bool(province) and len(detail) < len(name) and written_at_start(name, province, city, county)


def bracket_blocks(text: str, base: int, city: str | None, taken: list[Block], genre: Genre) -> list[Block]:
    """Unlabelled brackets that assign responsibility: closed by a role verb, or holding only bodies."""
    from kg.extract.departments import split_items

    out: list[Block] = []
    for m in BRACKET.finditer(text):
        a, b = m.start(1), m.end(1)
        if any(t.start - base <= a < t.end - base for t in taken):
            continue
        inner = m.group(1)
        if any(w in inner for w in PROCESS_WORDS) or re.search(r"\d{4}", inner):
            continue
        items = split_items(inner, genre)
        if not items or not all(_is_body(it.text, city, False, genre) for it in items):
            continue
        known = sum(departments(genre).resolve(norm(it.text), city) is not None for it in items)
        # a label the genre does not know (（督办单位：市科委）) is no organ's name: only known labels make blocks
        organs = all(is_organ(norm(it.text), genre=genre) and not re.search("[：:]", it.text) for it in items)
        if _ends_with_verb(inner.strip(), genre) or (
                ((2 * known >= len(items) and known) or organs) and _ends_sentence(text, m.start())):
            out.append(Block(base + a, base + b, "responsible", "bracket"))
    return out


def _ends_with_verb(inner: str, genre: Genre) -> bool:
    return inner.rstrip("。；;").endswith(tuple(genre.blocks.verbs))


def _ends_sentence(text: str, pos: int) -> bool:
    """A bracket right after a sentence end (or at a paragraph start) closes that sentence's task."""
    before = text[:pos].rstrip(" 　\t")
    return not before or before[-1] in "。；;！\n"


def measure_blocks(text: str, base: int, city: str | None, genre: Genre) -> list[Block]:
    """Every responsibility block of a measure's text, in order."""
    blocks = labelled_blocks(text, base, genre)
    blocks += bracket_blocks(text, base, city, blocks, genre)
    return sorted(blocks, key=lambda b: b.start)


@dataclass
class Mention:
    """A body named in running text with its role and offsets in the policy text."""

    name: str
    start: int
    end: int
    role: str
    sentence: tuple[int, int]
    full: str | None = None  # the body a short or collective name stands for (各区(市)县 -> …人民政府)


def _subject(text: str, anchor: int, agent_only: bool = False) -> tuple[int, int] | None:
    """The span of the subject before a verb anchor: back to the clause start, or to the agent marker
    由 of a passive clause (X由A负责: A), without 由/要/应当/按规定. `agent_only`: the verb names a
    responsible body only after 由 (由A制定), so a clause without one has no subject."""
    starts = [m.end() for m in CLAUSE_START.finditer(text, 0, anchor)]
    a = starts[-1] if starts else 0
    agents = [m.end() for m in AGENT.finditer(text, a, anchor)]
    if agents:
        a = agents[-1]
    elif agent_only:
        return None
    span = text[a:anchor]
    lead = SUBJECT_PREFIX.match(span.lstrip())
    a += len(span) - len(span.lstrip()) + (lead.end() if lead else 0)
    tail = SUBJECT_TAIL.search(text[a:anchor])
    b = a + tail.start() if tail else anchor
    return (a, b) if b > a else None


def _objects(text: str, start: int) -> tuple[int, int] | None:
    """The bodies after 会同 up to the next verb or clause end."""
    end = CLAUSE_START.search(text, start)
    stop = end.start() if end else len(text)
    verb = OBJECT_END.search(text, start, stop)
    b = verb.start() if verb else stop
    return (start, b) if b > start else None


def _names(text: str, a: int, b: int, city: str | None, genre: Genre,
           aliases: Mapping[str, str] | None = None) -> list[tuple[str, int, int]]:
    """Bodies of a subject span (A、B和C), every one of them a body (or a short name the document
    defined for one: 管委会 after …管理委员会（以下简称管委会）), else none."""
    return [(n, s, e) for n, s, e, _ in _named(text, a, b, city, genre, aliases)]


def _named(text: str, a: int, b: int, city: str | None, genre: Genre,
           aliases: Mapping[str, str] | None = None) -> list[tuple[str, int, int, str | None]]:
    """_names with how each body is joined to the others: "participant" for a body a together verb joins
    to the one before it (市财政局商市发展改革委: 市发展改革委), "joins" for that one, else None."""
    from kg.extract.departments import shared_level, split_items

    chunk = text[a:b]
    chunk_clean = PARENTHETICAL.sub(lambda m: " " * len(m.group(0)), chunk)
    items = split_items(chunk_clean, genre)
    if not items:
        return []
    out: list[tuple[str, int, int, str | None]] = []
    for i, it in enumerate(items):
        name = it.text.strip()
        cut = name.rfind("所在")  # 新建商品房所在县(市)区人民政府 -> 县(市)区人民政府
        if cut >= 0:
            name = name[cut + 2:]
        s = a + it.start + it.text.find(name)
        written = len(name)
        # 市、区住房保障部门: the bare level names 市住房保障部门, written as 市
        name = shared_level(name, items[i + 1].text.strip() if i + 1 < len(items) else None, genre) or name
        if norm(name) not in (aliases or {}) and not _is_body(name, city, True, genre):
            return []
        joined = "participant" if it.role == "participant" else None
        if joined and out and out[-1][3] is None:
            out[-1] = (*out[-1][:3], "joins")
        out.append((name, s, s + written, joined))
    return out


def _clause_initial(text: str, pos: int) -> bool:
    """The verb opens its clause (…作用，会同有关部门…): its subject is the sentence's."""
    before = text[:pos].rstrip()
    return bool(before) and before[-1] in "，,；;"


def _sentence_subject(text: str, city: str | None, genre: Genre) -> tuple[int, int] | None:
    """The body a sentence opens with (科技部充分发挥…): the longest prefix of its first clause that is
    a body, tried only where a body's suffix ends."""
    lead = len(text) - len(text.lstrip())
    # a bracket or a copula ends the name: 市住房保障办公室（以下称市住房保障部门）是…, 市住房城乡建设局是…
    # 主管部门 open with the office alone
    from kg.extract.departments import ends_inside_word

    first = re.split(r"[，,；;：:（(]|是", text[lead:], maxsplit=1)[0][:24]
    lex = departments(genre)
    for k in range(len(first), 1, -1):
        name = first[:k]
        if lex.looks_like_body(name) and not ends_inside_word(first, k, genre) and _is_body(name, city, True, genre):
            return lead, lead + k
    return None


def running_mentions(text: str, base: int, city: str | None, genre: Genre,
                     aliases: Mapping[str, str] | None = None) -> list[Mention]:
    """Bodies that running text makes responsible (see the module docstring for the patterns)."""
    verbs = running_verbs(genre)
    out: list[Mention] = []
    for sent in re.finditer(r"[^。！？\n]+", text):
        s_text, s0 = sent.group(0), sent.start()
        number = NUMBER_START.match(s_text)
        if number:  # the measure's own number is not part of the subject: blank it out
            s_text = " " * number.end() + s_text[number.end():]
        sentence = (base + s0, base + sent.end())
        read: list[tuple[int, int]] = []  # verbs whose subject was read
        for m in verbs.anchors.finditer(s_text):
            verb = m.group(0)
            agent_only = verb in AGENT_ONLY
            span = _subject(s_text, m.start(), agent_only)
            if span is None and not agent_only and _clause_initial(s_text, m.start()):
                span = _sentence_subject(s_text, city, genre)  # 科技部充分发挥…作用，会同有关部门…
            span = _after_read_verb(s_text, span, read)
            if not span:
                continue
            names = _named(s_text, *span, city, genre, aliases)
            if not names:
                continue
            objects = _joined_objects(s_text, m.end(), verb, verbs, city, genre, aliases)
            role = verbs.role[verb]
            if verb in verbs.joining and objects is None:
                # 商 / 联合 with no body after them join nothing (联合发布); 协同 closing its clause takes part;
                # 会同 is a verb whatever follows it
                if verb in verbs.alone:
                    role = verbs.alone[verb]
                elif verb in verbs.closing and CLAUSE_START.match(s_text + "。", m.end()):
                    role = verbs.closing[verb]
                else:
                    continue
                objects = []
            read.append((m.start(), m.end()))
            out += [Mention(n, base + s0 + a, base + s0 + b, _joined_role(r, role), sentence) for n, a, b, r in names]
            out += [Mention(n, base + s0 + a, base + s0 + b, r, sentence) for n, a, b, r in objects or ()]
    return out


def _after_read_verb(s_text: str, span: tuple[int, int] | None,
                     read: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A subject span that holds a verb already read belongs to that verb (A会同B组织实施: A was read at
    会同), unless a 、 follows it and opens the next clause's subject (由A牵头、B配合: B)."""
    if not span:
        return None
    inside = [e for a, e in read if span[0] <= a < span[1]]
    if not inside:
        return span
    rest = s_text[inside[-1]:span[1]]
    if not rest.startswith("、"):
        return None
    start = inside[-1] + 1 + len(rest[1:]) - len(rest[1:].lstrip())
    return (start, span[1]) if span[1] > start else None


def _joined_role(joined: str | None, role: str) -> str:
    """The role of a subject's body: a body joined to another by a together verb (由A商B: B) takes part,
    the one it joins (A) leads; every other body takes the verb's role."""
    if joined == "participant":
        return "participant"
    return "lead" if joined == "joins" and role not in LEADING else role


def _joined_objects(s_text: str, start: int, verb: str, verbs: RunningVerbs, city: str | None, genre: Genre,
                    aliases: Mapping[str, str] | None) -> list[tuple[str, int, int, str]] | None:
    """The bodies after a joining verb (A会同B…: B takes part; A会同B牵头: B leads with A), [] when it
    joins bodies it does not name (会同有关部门), None when nothing follows it that a verb could join."""
    if verb not in verbs.joining:
        return []
    obj = _objects(s_text, start)
    if obj is None:
        return None
    found = _names(s_text, *obj, city, genre, aliases) or _leading_names(s_text, *obj, city, genre, aliases)
    if not found:  # 会同有关部门 / 会同发展改革、规划等部门: bodies the text does not name one by one
        written = s_text[obj[0]:obj[1]].strip()
        unnamed = GENERIC.match(written) or UNNAMED_BODIES.match(s_text, obj[1])
        return [] if unnamed or departments(genre).looks_like_body(written) else None
    after = verbs.anchors.match(s_text, obj[1] + len(s_text[obj[1]:]) - len(s_text[obj[1]:].lstrip()))
    joint = after is not None and verbs.role.get(after.group(0)) in LEADING
    return [(n, a, b, "co-lead" if joint else "participant") for n, a, b in found]


def _leading_names(s_text: str, a: int, b: int, city: str | None, genre: Genre,
                   aliases: Mapping[str, str] | None) -> list[tuple[str, int, int]]:
    """The longest run of bodies an object span opens with, where no verb of ours ends it (由市财政局
    商市发展改革委确定分配方案: 市发展改革委)."""
    from kg.extract.departments import ends_inside_word

    lex = departments(genre)
    for k in range(b, a + 1, -1):
        if lex.looks_like_body(s_text[a:k]) and not ends_inside_word(s_text, k, genre):
            found = _names(s_text, a, k, city, genre, aliases)
            # with no verb of ours to end it, only names the lexicon knows (as for an agent): 会同园区运营
            # 单位 joins no 园区
            if found and all(_named_body(n, city, genre, aliases) for n, _, _ in found):
                return found
    return []


AGENT_STOP = "的之和与及或、等"  # 由A的… / 由A和… / 由A等…: the body list goes on, or is no agent
AGENT_PLACES = ("区", "县", "市", "省", "州", "镇", "乡", "街道")
AGENT_PREPOSITION = re.compile(r"[自在向对从于按依将把为给]|根据|结合|通过")


def agent_mentions(text: str, base: int, city: str | None, genre: Genre,
                   aliases: Mapping[str, str] | None = None) -> list[Mention]:
    """Bodies a passive clause names as the agent of its action with any verb (购房需求由市委组织部、市住建局
    对接保障; 由市住建局在项目取得预售许可后…), read only for measures that name no one otherwise (the
    weakest evidence: a verb of responsibility or a body opening the sentence says more)."""
    out: list[Mention] = []
    for sent in re.finditer(r"[^。！？\n]+", text):
        sentence = (base + sent.start(), base + sent.end())
        out += [Mention(n, sentence[0] + a, sentence[0] + b, _joined_role(r, "responsible"), sentence)
                for n, a, b, r in _agents(sent.group(0), city, genre, aliases)]
    return out


def _agents(s_text: str, city: str | None, genre: Genre,
            aliases: Mapping[str, str] | None = None) -> list[tuple[str, int, int, str | None]]:
    """The longest run after 由 that is a list of bodies, followed by the action (with how each is
    joined to the others, as _named gives it). Clauses with a verb of
    responsibility are read by the anchors; a relative clause (由市政府批准的…) names who approved a
    thing, not who carries the measure."""
    from kg.extract.departments import ends_inside_word

    out: list[tuple[str, int, int, str | None]] = []
    lex = departments(genre)
    verbs = running_verbs(genre)
    for m in AGENT.finditer(s_text):
        end = CLAUSE_START.search(s_text, m.end())
        stop = clause_end = end.start() if end else len(s_text)
        if any(v.group(0) not in verbs.joining for v in verbs.anchors.finditer(s_text, m.end(), stop)):
            continue
        relative = s_text.find("的", m.end(), stop)
        if relative >= 0:  # a name never spans 的: 由市政府批准设立的机构 is a relative clause
            stop = relative
        for p in AGENT_PREPOSITION.finditer(s_text, m.end() + 2, stop):
            # 由A自B提交之日起… / 由A在…后 / 由A向B…: a preposition after a body ends the agent
            if lex.looks_like_body(s_text[m.end():p.start()]):
                stop = p.start()
                break
        for k in range(stop, m.end() + 1, -1):
            if (s_text[k:k + 1] in AGENT_STOP or not lex.looks_like_body(s_text[m.end():k])
                    or ends_inside_word(s_text, k, genre)):  # 由市商务局委托…: not 市商务局委
                continue
            if _relative_clause(s_text, k, clause_end):
                break  # 由A批准设立的机构
            named = _named(s_text, m.end(), k, city, genre, aliases)
            if named and all(_named_body(n, city, genre, aliases) for n, _, _, _ in named):
                names = [x[:3] for x in named]
                group = _organ_of_group(s_text, m.end(), k, names, city, genre, aliases)
                out += named if group == names else [(*x, None) for x in group]
                break
    return out


def _relative_clause(s_text: str, k: int, clause_end: int) -> bool:
    """After the body ending at k, a 的 close by closes a relative clause (由市政府批准设立的机构: who
    approved a thing, not who carries the measure) — unless the body is followed by a preposition of
    basis or manner (结合, 根据, 按照) and the 的 follows no verb: 由市住房城乡建设局结合国家和省的有关规定，
    细化…退出机制 names the doer, 的 belonging to the preposition's object; 由市政府按规定批准的 still is
    a relative clause (批准 is a verb)."""
    window = s_text[k:min(clause_end, k + 10)]
    if "的" not in window:
        return False
    prep = AGENT_PREPOSITION.match(s_text, k)
    if prep is None:
        return True
    before = s_text[prep.end():k + window.index("的")]
    last = list(pos_tagger().cut(before))[-1:] if before else []
    return not last or last[0].flag.startswith("v")


# a working group named after the organ that hosts it (市政府办公室数字政府专班, 省科技厅人工智能工作组): the
# words between the organ and the group's noun name the group's topic, never a verb (牵头成立工作专班)
WORKING_GROUP = re.compile(r"(?:(?!成立|组建|设立|牵头|负责|会同|建立|组织|由)[\u4e00-\u9fff]){0,8}?"
                           r"(工作专班|专班|工作小组|工作组|领导小组|指挥部)")


def _organ_of_group(s_text: str, start: int, end: int, names: list[tuple[str, int, int]], city: str | None,
                    genre: Genre, aliases: Mapping[str, str] | None) -> list[tuple[str, int, int]]:
    """The organ a working group written after it belongs to: 由市政府办公室数字政府专班予以核实 names the
    group of 市政府办公室, whose name must not swallow the group's topic (市政府办公室数字政府 is no body).
    The longest body the run opens with that leaves a topic before the group's noun, else the whole
    run before the noun (市发展改革委专班)."""
    group = WORKING_GROUP.match(s_text, end)
    if group is None or len(names) != 1:
        return names
    head = s_text[start:group.start(1)]
    bodies = [k for k in range(3, len(head) + 1) if _named_body(head[:k], city, genre, aliases)]
    topical = [k for k in bodies if k < len(head)]
    k = max(topical or bodies, default=None)
    return [(head[:k], start, start + k)] if k else names


def _named_body(name: str, city: str | None, genre: Genre, aliases: Mapping[str, str] | None) -> bool:
    """A name the lexicon resolves, a competent authority, a functional body or a short name the document
    defined: with no verb after 由 to end it, a name that merely ends like a body (高新区组织相关部门,
    区住房保障部门报同级人民政府) may have swallowed the action."""
    key = norm(name)
    if "或" in key:  # 用人单位或主管部门: one of two, and no name holds 或
        return False
    if key.endswith(AGENT_PLACES):  # 由新片区行业代表性企业自主评定: a place qualifies what follows as often as it acts
        return False
    return (key in (aliases or {}) or departments(genre).resolve(key, city) is not None
            or bool(COMPETENT.fullmatch(key)) or bool(functional_body(key, genre=genre)))


# a body opening its sentence and going on with a modal or a way of acting: 科技部结合论证意见…批复,
# 各区(市)县可结合属地实际给予…, 市财政局应当…
# 各区(市)县 / 各市、县 as a subject: the governments of those levels, one collective body
COLLECTIVE_LEVELS = re.compile(r"各(?:[省市州县区盟旗]|[（(][省市州县区]{1,2}[）)])+(?:、(?:[省市州县区盟旗]|[（(][省市州县区]{1,2}[）)])+)*"
                               r"(?=[要应须必将可结根按依])")
SUBJECT_ACTS = re.compile(r"(?:要|应当|应|须|必须|将|可以|可|结合|根据|按照|依据|依照)")


def subject_mentions(text: str, base: int, city: str | None, genre: Genre,
                     aliases: Mapping[str, str] | None = None) -> list[Mention]:
    """Bodies that carry a measure as the subject of its sentences, when no verb of responsibility names
    anyone (read only for measures with neither a block nor a 牵头/负责 sentence): the sentence opens with
    a known body (or a collective one) that goes on with a modal or a way of acting."""
    out: list[Mention] = []
    for sent in re.finditer(r"[^。！？\n]+", text):
        s_text, s0 = sent.group(0), sent.start()
        number = NUMBER_START.match(s_text)
        if number:
            s_text = " " * number.end() + s_text[number.end():]
        lead = len(s_text) - len(s_text.lstrip())
        levels = COLLECTIVE_LEVELS.match(s_text, lead)
        sentence = (base + s0, base + sent.end())
        listed = None if levels else _subject_list(s_text, lead, city, genre, aliases)
        if listed:  # 县住建局、县财政局、县自然资源局要按照职责分工…: every body of the list
            out += [Mention(n, base + s0 + a, base + s0 + b, "responsible", sentence) for n, a, b in listed]
            continue
        span = (lead, levels.end()) if levels else _sentence_subject(s_text, city, genre)
        if span is None or not SUBJECT_ACTS.match(s_text, span[1]):
            continue
        name = s_text[span[0]:span[1]]
        known = departments(genre).resolve(norm(aliases.get(norm(name), name) if aliases else name), city)
        if known is None and not levels:
            continue  # only a body the lexicon knows: 运营单位可… or 申请人应… are roles, not bodies
        out.append(Mention(name, base + s0 + span[0], base + s0 + span[1], "responsible", sentence,
                           full=f"{name}人民政府" if levels else None))
    return out


def _subject_list(text: str, lead: int, city: str | None, genre: Genre,
                  aliases: Mapping[str, str] | None) -> list[tuple[str, int, int]]:
    """A list of bodies opening a sentence before a modal (A、B、C要…), when every item is a body (a list
    of roles, 各运营单位、申请人应…, is no list of bodies)."""
    acts = SUBJECT_ACTS.search(text, lead)
    if acts is None or "、" not in text[lead:acts.start()] or CLAUSE_START.search(text, lead, acts.start()):
        return []
    return _names(text, lead, acts.start(), city, genre, aliases)  # every item a body, else none


ALIAS_BOUNDARY = re.compile(r"的|将|由|向|对|在|经|推送|登录|设立|成立|组建|适用于|所称|包括|是指|称")


def body_aliases(aliases: list[Alias], city: str | None, genre: Genre) -> dict[str, str]:
    """Short names (normalised) a document defined for bodies -> the full body as written: the defined
    phrase from its clause start, or from after its last verb (…资料报送市人才服务中心（以下简称
    市人才中心）), when that is a body by the running-text rule. Definitions of terms (公租房, 试验区)
    are no bodies and are left out."""
    out: dict[str, str] = {}
    for alias in aliases:
        starts = [0, *(m.end() for m in ALIAS_BOUNDARY.finditer(alias.full))]
        name = next((n for k in reversed(starts) if _defines_body(n := alias.full[k:].strip(), city, genre)), None) \
            or _body_suffix(alias.full, city, genre)
        if name:
            out.setdefault(norm(alias.short), name)
    return out


def _defines_body(name: str, city: str | None, genre: Genre) -> bool:
    return bool(name) and departments(genre).looks_like_body(name) and _is_body(name, city, True, genre)


def _body_suffix(phrase: str, city: str | None, genre: Genre) -> str | None:
    """The longest end of a phrase that is a body naming its place in full, where a run-in
    heading precedes the body with no boundary word (加强企业升规稳规指导北京市经济和信息化局: a PDF table
    cell that lost the line break after its heading)."""
    for k in range(1, max(1, len(phrase) - 1)):
        name = phrase[k:]
        if _names_place(name) and _defines_body(name, city, genre):
            # …部门或广州市X局（以下统称…）: a short name for several bodies, not for the last one
            return None if phrase[k - 1] in "或和及与、/" else name
    return None

