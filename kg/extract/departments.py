"""Responsible, lead and co-operating departments of each measure, and the issuers of a policy.

A 责任单位 block is split into bodies by punctuation and conjunctions, with roles where the text gives
them (牵头单位：A；配合单位：B / A牵头，B配合). Each name is resolved through the city's lexicon; when a
name is incomplete because a list shares a prefix or suffix (市发展改革委、经济信息化委 /
浦东新区、徐汇区政府) the lexicon decides the completion. Unknown names that look like bodies are kept
under their written name; trailing phrases that name no body (按部门职责分头推进) are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.jurisdiction import (
    Jurisdiction,
    functional_body,
    gazetteer_lookup,
    is_national_body,
    is_organ,
    qualify_body,
    qualify_functional,
)
from corpus.model import Measure, Policy
from genre import Genre, derived
from genre import resolve as resolve_genre
from kg.extract.text import strip_spaces
from kg.lexicon import DepartmentEntry, departments, norm, trailing_phrases
from kg.model import DepartmentRef, Span

ITEM_SEP = re.compile(r"[、，,；;／/]+")
CONJUNCTIONS = ("以及", "和", "及", "与", "同")
INHERITED_PREFIXES = ("中共", "市委", "市政府", "市", "区", "县")
SHARED_SUFFIXES = ("人民政府", "政府", "管委会", "管理委员会")
PLACE_ENDINGS = ("区", "县", "市", "州", "旗", "盟", "镇", "乡")  # the level a place's name ends with


@dataclass
class Item:
    """One written name in a block: text and offsets relative to the block, with its role."""

    text: str
    start: int
    end: int
    role: str


def segment_roles(block: str, genre: Genre, default_role: str = "responsible") -> list[tuple[str, int, int]]:
    """Split a block at its labels (牵头单位：…；配合单位：…) into (role, start, end) parts."""
    return genre.blocks.segment_roles(block, default_role)


def _role_runs(block: str, role: str, start: int, end: int, genre: Genre) -> list[tuple[str, int, int]]:
    """Within one part, 'A牵头，B、C配合' gives (lead, A) and (co, B、C); else the part keeps its role."""
    verbs = genre.blocks.verbs  # 牵头 / 负责 / 配合 …: the block table's verbs and their roles
    marker = "|".join(map(re.escape, sorted(verbs, key=len, reverse=True)))
    pattern = re.compile(rf"({marker})(?=[，,；;。)）]|$)")
    runs: list[tuple[str, int, int]] = []
    pos = start
    for m in pattern.finditer(block, start, end):
        runs.append((verbs[m.group(1)], pos, m.start()))
        pos = m.end()
    if pos < end:
        runs.append((role, pos, end))
    return runs if len(runs) > 1 or (runs and runs[0][1] != start) else [(role, start, end)]


def _strip_trailing(text: str, genre: Genre) -> str:
    """Remove phrases such as 按部门职责分头推进 / 等部门 from the end of a name."""
    changed = True
    while changed:
        changed = False
        for pattern in trailing_phrases(genre):
            for m in pattern.finditer(text):
                if m.end() == len(text):
                    text, changed = text[:m.start()], True
                    break
        text = text.rstrip(" 。.，,；;、")
    return text


# 各市、州、县人民政府 / 各区(市)县政府: one collective body whose list of levels shares the suffix
COLLECTIVE_LIST = re.compile(r"各(?:[省市州县区盟旗镇乡]|[（(][市县区州]+[）)])+(?:、(?:[省市州县区盟旗镇乡]|[（(][市县区州]+[）)])+)+"
                             r"(?:人民政府|政府|党委和政府|党委、政府)")
# 等和 / 等以及 between names: the 等 closes the first list, the conjunction adds the next body
JOINED_LIST = re.compile(r"等(?=(?:和|及|以及|与)[^、，,；;]{2}|国务院(?:相关|有关|其他)(?:部门|单位))")


def _protected(block: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in COLLECTIVE_LIST.finditer(block)]


# a name that opens with its jurisdiction: a relative prefix, the Party, the centre or the State Council
JURISDICTION_OPEN = re.compile(r"^(?:中共|中央|国家|国务院|全国|自治区|自治州|[省市县区州盟旗])")


@derived
def _joining(genre: Genre) -> tuple[re.Pattern | None, dict[str, str | None]]:
    """The department grammar's verbs that join two bodies, as one pattern (longest first), and the
    role each gives the second body (None: it only approves, and is not responsible)."""
    verbs = genre.data("department_grammar").get("joining_verbs") or {}
    role: dict[str, str | None] = {v: None for v in verbs.get("upward") or []}
    role.update({v: "participant" for v in verbs.get("together") or []})
    if not role:
        return None, role
    return re.compile("|".join(map(re.escape, sorted(role, key=len, reverse=True)))), role


def stands_alone(name: str, genre: Genre) -> bool:
    """The name is a whole body by itself: the lexicon knows it, it is a central body (交通运输部), or it
    ends like a body and opens with its jurisdiction (市商务局, 省财政厅, 北京市商务局) — not a tail cut
    out of a longer name (务工作委员会)."""
    key = norm(name)
    lex = departments(genre)
    if len(key) < 2 or not lex.looks_like_body(key):
        return False
    if lex.resolve(key, None):
        return True
    return len(key) >= 3 and (bool(JURISDICTION_OPEN.match(key)) or is_national_body(key, genre=genre)
                              or gazetteer_lookup(key, genre=genre) is not None)


def split_joined(text: str, genre: Genre) -> list[tuple[int, int, str | None]]:
    """A name that is two bodies joined by a verb (市商务局报经商务部, 市财政局商市发展改革委): the parts as
    (start, end, role of the part: None for the first, which keeps the name's role; the verb's role
    for the second, or the part is left out when the verb only asks it to approve). A name the lexicon
    knows, or one without such a verb between two whole bodies, is one part."""
    pattern, role = _joining(genre)
    whole = [(0, len(text), None)]
    if pattern is None or departments(genre).resolve(norm(text), None):
        return whole
    for m in pattern.finditer(text):
        left, right = text[:m.start()], text[m.end():]
        if stands_alone(left, genre) and stands_alone(right, genre):
            second = role[m.group(0)]
            return [(0, m.start(), None)] + ([(m.end(), len(text), second)] if second else [])
    return whole


def ends_inside_word(text: str, end: int, genre: Genre) -> bool:
    """text[:end] ends inside or with a word that begins with a body's last character (由市商务局委托…
    cut after 委, 由市农业农村局部署… cut after 署): no name ends there (department grammar
    `suffix_words`)."""
    words = genre.data("department_grammar").get("suffix_words") or ()
    return end > 0 and any(text.startswith(w, end - i) for w in words for i in range(1, len(w) + 1))


def split_items(block: str, genre: Genre, default_role: str = "responsible") -> list[Item]:
    """The written names of a block with roles and offsets; trailing non-body phrases removed; a name
    that is two bodies joined by a verb (A报经B, A商B) split there."""
    block = block.replace("牵头负责", "牵头，，")  # same length: offsets stay valid
    block = JOINED_LIST.sub("、", block)
    keep = _protected(block)
    items: list[Item] = []
    for role, a, b in segment_roles(block, genre, default_role):
        for run_role, ra, rb in _role_runs(block, role, a, b, genre):
            pos = ra
            seps = [m for m in ITEM_SEP.finditer(block, ra, rb) if not any(x <= m.start() < y for x, y in keep)]
            for m in [*seps, None]:
                stop = m.start() if m else rb
                raw = block[pos:stop]
                lead = len(raw) - len(raw.lstrip(" （(：:"))
                text = _strip_trailing(raw.strip(" （(：:)）。"), genre)
                for a0, b0, role in split_joined(text, genre) if text else ():
                    items.append(Item(text[a0:b0], pos + lead + a0, pos + lead + b0, role or run_role))
                pos = m.end() if m else rb
    return items


def _split_conjunction(item: Item, city: str | None, genre: Genre) -> list[Item]:
    """'A和B' becomes two items only when the whole is no known body and both halves are bodies."""
    lex = departments(genre)
    if lex.resolve(item.text, city) or COLLECTIVE_LIST.fullmatch(item.text):
        return [item]
    if item.text.startswith(("以及", "和", "及", "与")):  # 等和各地方人民政府: the conjunction opens the item
        conj = next(c for c in ("以及", "和", "及", "与") if item.text.startswith(c))
        item = Item(item.text[len(conj):], item.start + len(conj), item.end, item.role)
    for conj in CONJUNCTIONS:
        i = item.text.find(conj)
        if i <= 0:
            continue
        left, right = item.text[:i], item.text[i + len(conj):]
        if all(lex.resolve(x, city) or lex.looks_like_body(x) for x in (left, right)):
            return [Item(left, item.start, item.start + i, item.role),
                    Item(right, item.start + i + len(conj), item.end, item.role)]
    return [item]


@derived
def _levels(genre: Genre) -> frozenset[str]:
    """The one-character relative prefixes of the department grammar (省, 市, 区, 县 …)."""
    prefixes = genre.data("department_grammar").get("relative_prefixes") or []
    return frozenset(p["prefix"] for p in prefixes if len(p["prefix"]) == 1 and not p.get("party"))


def shared_level(name: str, following: str | None, genre: Genre) -> str | None:
    """A bare level written before a body of another level names the same body at its own level:
    市、区住房保障部门 is 市住房保障部门 and 区住房保障部门 (regulations name both levels' competent
    bodies so). None when `name` is no bare level or what follows is no level's body."""
    levels = _levels(genre)
    if name not in levels or not following or following[0] not in levels:
        return None
    rest = following[1:]
    if not rest or rest[0] in "（(、":
        return None
    # the shared part is a body's name by itself (住房保障部门, 人民政府), never a clause that runs on
    if not (functional_body(rest, genre=genre) or is_organ(rest, genre=genre)):
        return None
    return name + rest


def shared_suffix(name: str, last: str) -> str | None:
    """A place listed before another place's government shares its suffix: 西湖区、滨江区人民政府 is
    西湖区人民政府 and 滨江区人民政府, 高新区、经开区管委会 two committees — whether or not the lexicon
    knows the city's districts. Only places of the same level as the last one (a name ending in the
    same level character) share it; None otherwise."""
    if len(name) < 2 or name == last or not name.endswith(PLACE_ENDINGS):
        return None
    for suffix in SHARED_SUFFIXES:
        if last.endswith(suffix) and not name.endswith(suffix):
            stem = last[: -len(suffix)]
            return name + suffix if len(stem) >= 2 and stem[-1] == name[-1] else None
    return None


def _complete(name: str, prev: str | None, last: str, city: str | None, genre: Genre) -> DepartmentEntry | None:
    """Resolve a name, completing a shared prefix (from the previous name) or suffix (from the last)."""
    lex = departments(genre)
    entry = lex.resolve(name, city)
    if entry:
        return entry
    if prev:
        for prefix in INHERITED_PREFIXES:
            if norm(prev).startswith(prefix) and not name.startswith(prefix):
                entry = lex.resolve(prefix + name, city)
                if entry:
                    return entry
    if not name.endswith(PLACE_ENDINGS):  # only a place shares a government's name (西湖区、滨江区人民政府)
        return None
    for suffix in SHARED_SUFFIXES:
        if norm(last).endswith(suffix) and not name.endswith(suffix):
            entry = lex.resolve(name + suffix, city)
            if entry:
                return entry
    return None


def qualified_entry(name: str, city: str | None, place: Jurisdiction | None, genre: Genre) -> DepartmentEntry | None:
    """A body the lexicon does not list, named by the department grammar: the issuing jurisdiction's
    prefix and the standard body name (市发展改革委 in a Wuhan document -> 武汉市发展和改革委员会)."""
    full = (qualify_body(name, place, genre=genre) or _place_named(name, genre)
            or qualify_functional(name, place, genre=genre))
    if not full:
        return None
    entry = departments(genre).resolve(full, city)
    if entry:
        return entry
    kind = {"provincial": "省级部门", "city": "市级部门", "district": "区县部门", "zone": "园区部门"}
    level = (gazetteer_lookup(full.removeprefix("中共"), genre=genre) or place).level
    return DepartmentEntry(full, city, kind.get(level, "其他"), tuple(dict.fromkeys((full, name))))


def _place_named(name: str, genre: Genre) -> str | None:
    """A body already written in full with its place (上海市发展和改革委员会, as issuers are read from
    masthead and signature): the grammar has nothing to qualify, but the place names its level."""
    bare = name.removeprefix("中共")
    own = gazetteer_lookup(bare, genre=genre) if departments(genre).looks_like_body(name) else None
    return name if own is not None and own.level != "national" else None


def resolve_items(items: list[Item], city: str | None, genre: Genre, place: Jurisdiction | None = None,
                  aliases: dict[str, str] | None = None) -> list[tuple[Item, DepartmentEntry | None]]:
    """Each item with its lexicon entry; None for names that are not (known) bodies. A short name the
    document defined (`aliases`) is read as the body it stands for."""
    expanded = [part for it in items for part in _split_conjunction(it, city, genre)]
    out: list[tuple[Item, DepartmentEntry | None]] = []
    prev: str | None = None
    for i, it in enumerate(expanded):
        name = norm((aliases or {}).get(norm(it.text), it.text))
        following = norm(expanded[i + 1].text) if i + 1 < len(expanded) else None
        # 市、区住房保障部门: 市住房保障部门; 西湖区、滨江区人民政府: 西湖区人民政府
        shared = shared_level(name, following, genre) or shared_suffix(name, norm(expanded[-1].text))
        if shared:
            name, it = shared, Item(shared, it.start, it.end, it.role)  # named in full, written as 市
        entry = _complete(name, prev, norm(expanded[-1].text), city, genre)
        if entry is None and departments(genre).looks_like_body(name):
            entry = qualified_entry(name, city, place, genre) or DepartmentEntry(name, city, "其他", (name,))
        out.append((it, entry))
        prev = name
    return out


def make_ref(entry: DepartmentEntry, mention: str, role: str, span: Span | None, genre: Genre) -> DepartmentRef:
    known = entry.kind != "其他" or departments(genre).resolve(entry.canonical, entry.city) is not None
    return DepartmentRef(mention=mention, canonical=entry.canonical, city=entry.city, id=entry.ident(genre),
                         kind=entry.kind, role=role, span=span, known=known)


def parse_block(block: str, city: str | None, default_role: str = "responsible",
                place: Jurisdiction | None = None, genre: Genre | None = None) -> list[DepartmentRef]:
    """Departments of a 责任单位 block given as a string (offsets relative to the block; `genre` None:
    the packaged one)."""
    return _refs(block, 0, city, None, resolve_genre(genre), default_role, place)[0]


def _refs(block: str, offset: int, city: str | None, measure_id: str | None, genre: Genre, default_role: str = "responsible",
          place: Jurisdiction | None = None, aliases: dict[str, str] | None = None,
          ) -> tuple[list[DepartmentRef], list[str]]:
    """Refs for a block at `offset` in the policy text, deduplicated by id; plus unresolved names."""
    refs: dict[str, DepartmentRef] = {}
    unresolved: list[str] = []
    quote = block.strip()
    for it, entry in resolve_items(split_items(block, genre, default_role), city, genre, place, aliases):
        if entry is None:
            unresolved.append(it.text)
            continue
        span = Span(measure_id, offset + it.start, offset + it.end, quote)
        ref = make_ref(entry, strip_spaces(it.text), it.role, span, genre)
        if ref.id not in refs or (refs[ref.id].role == "responsible" and ref.role != "responsible"):
            refs[ref.id] = ref
    return list(refs.values()), unresolved


def responsibility_block(policy: Policy, measure: Measure, genre: Genre) -> tuple[int, int, str] | None:
    """Where the measure's 责任单位 block lies in Policy.text (start, end of its body, role of the label).

    The segmenter records the block (genre/blocks.py); a measure built elsewhere is searched with the
    same table.
    """
    table = genre.blocks
    if measure.responsibility_span:
        a, b = measure.responsibility_span
        # the label may sit inside the span (牵头单位：A；配合单位：B): segment_roles handles that
        return a, b, table.role(measure.responsibility_label)
    found = table.last_block(measure.text)
    if found:
        return measure.start + found.body_start, measure.start + found.body_end, found.role
    return None


def measure_departments(policy: Policy, measure: Measure, city: str | None, genre: Genre,
                        aliases: dict[str, str] | None = None) -> tuple[list[DepartmentRef], list[str]]:
    """Departments responsible for one measure: the bodies of every block it carries (a body named in
    two blocks keeps its strongest role); without blocks, the bodies its running text makes responsible.
    ([], []) when it names none. Names the lexicon does not know are qualified by the policy's own
    jurisdiction (the department grammar). `aliases`: short names the document defined for bodies
    (responsibility.body_aliases), read as the bodies they stand for."""
    from kg.extract.responsibility import (
        agent_mentions,
        body_aliases,
        measure_blocks,
        running_mentions,
        subject_mentions,
    )

    if aliases is None:
        aliases = body_aliases(policy.aliases, city, genre)

    place = policy.meta.jurisdiction
    text = policy.text[measure.start:measure.end]
    blocks = measure_blocks(text, measure.start, city, genre)
    if not blocks and measure.responsibility_span:
        a, b, role = responsibility_block(policy, measure, genre) or (*measure.responsibility_span, "responsible")
        return _refs(policy.text[a:b], a, city, measure.id, genre, role, place, aliases)
    refs: dict[str, DepartmentRef] = {}
    unresolved: list[str] = []
    for blk in blocks:
        found, missed = _refs(policy.text[blk.start:blk.end], blk.start, city, measure.id, genre, blk.role, place,
                              aliases)
        unresolved += missed
        for ref in found:
            _keep_strongest(refs, ref)
    if not blocks:
        # a verb of responsibility names who carries the measure; a body opening another sentence of it
        # with a modal (市、区住房保障部门应当…。住房保障部门可会同民政部门…) carries its part too
        mentions = running_mentions(text, measure.start, city, genre, aliases)
        mentions = ((mentions + subject_mentions(text, measure.start, city, genre, aliases)) if mentions
                    else subject_mentions(text, measure.start, city, genre, aliases)
                    or agent_mentions(text, measure.start, city, genre, aliases))
        for mention in mentions:
            name = norm(mention.full or aliases.get(norm(mention.name), mention.name))
            entry = (_complete(name, None, name, city, genre) or qualified_entry(name, city, place, genre)
                     or DepartmentEntry(name, city, "其他", (name,)))
            quote = policy.text[mention.sentence[0]:mention.sentence[1]]
            _keep_strongest(refs, make_ref(entry, strip_spaces(mention.name), mention.role,
                                           Span(measure.id, mention.start, mention.end, quote), genre))
    return list(refs.values()), unresolved


ROLE_STRENGTH = {"lead": 0, "co-lead": 1, "responsible": 2, "participant": 3}
_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节]|[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]?)\s*")
_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+条")
TASK_SHARE = 0.75  # share of a task's title that a sentence elsewhere must write out to name that task
TASK_MIN_CHARS = 8  # ... and never fewer characters than this (人工智能终端 alone names no task)


def tasks_named_elsewhere(policy: Policy, found: dict[str, list[DepartmentRef]]) -> dict[str, list[DepartmentRef]]:
    """Bodies for measures that name none themselves, from a sentence elsewhere that makes a body
    responsible for the task by its name: the closing 组织实施 paragraph's 科技部会同有关部门负责推进新一代
    人工智能重大科技项目实施 for the measure 前瞻布局新一代人工智能重大科技项目. The sentence must write out
    most of the task's title (TASK_SHARE, at least TASK_MIN_CHARS characters in one run); the evidence
    span stays on that sentence. Only running-text mentions count (a block answers for its own measure)."""
    measures = policy.measures()
    blocks = {m.id: m.responsibility_span for m in measures if m.responsibility_span}
    sources: dict[str, list[DepartmentRef]] = {}
    for mid, refs in found.items():
        block = blocks.get(mid)
        for ref in refs:
            if ref.span is None or not ref.span.quote or (block and block[0] <= ref.span.start < block[1]):
                continue
            sources.setdefault(ref.span.quote, []).append(ref)
    out: dict[str, dict[str, DepartmentRef]] = {}
    for m in measures if sources else []:
        if m.id in found or m.kind not in ("measure", "goal") or _ARTICLE.match(m.number or ""):
            continue  # an article's "title" is only its first clause (第一条 为了规范…), no task's name
        title = _NUMBERING.sub("", m.title or "").strip()
        if title.startswith("为"):  # a purpose clause (为规范…管理): not the name of a task
            continue
        need = max(TASK_MIN_CHARS, int(len(title) * TASK_SHARE + 0.999))
        if len(title) < need:
            continue
        for sentence, refs in sources.items():
            if _shares_run(title, sentence, need):
                for ref in refs:
                    _keep_strongest(out.setdefault(m.id, {}), ref)
    return {mid: list(refs.values()) for mid, refs in out.items()}


INHERITING_KINDS = ("measure", "goal")


def inherited_from_intro(policy: Policy, found: dict[str, list[DepartmentRef]]) -> dict[str, list[DepartmentRef]]:
    """Bodies for sub-measures that name none themselves, from the opening sentence of the section they
    belong to: （一）加快数据要素市场建设。由市发展改革委牵头，各区配合。 followed by 1. 2. 3. without their
    own block makes 市发展改革委 lead and 各区 take part in each of them, roles kept, the evidence span on
    the opening sentence. The nearest opening that names bodies wins (a sub-section's own over its
    parent's); a sub-measure with its own block or sentence keeps only its own."""
    out: dict[str, list[DepartmentRef]] = {}

    def walk(section, inherited: list[DepartmentRef] | None) -> None:
        intro = next((m for m in section.measures if m.kind == "intro" and found.get(m.id)), None)
        own = found[intro.id] if intro else inherited
        for m in section.measures:
            if own and m.id not in found and m.kind in INHERITING_KINDS:
                out[m.id] = list(own)
        for sub in section.sections:
            walk(sub, own)

    for section in policy.sections:
        walk(section, None)
    return out


def _shares_run(title: str, sentence: str, need: int) -> bool:
    """Some run of `need` characters of the title is written in the sentence."""
    return any(title[i:i + need] in sentence for i in range(len(title) - need + 1))


def _keep_strongest(refs: dict[str, DepartmentRef], ref: DepartmentRef) -> None:
    old = refs.get(ref.id)
    if old is None or ROLE_STRENGTH.get(ref.role, 2) < ROLE_STRENGTH.get(old.role, 2):
        refs[ref.id] = ref


# -- issuers -------------------------------------------------------------------------------------

DOC_NO_LINE = re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号")
DATE_LINE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
SENTENCE_PUNCT = re.compile(r"[，,。：:；;《》“”]")


def segment_bodies(line: str, city: str | None, genre: Genre, place: Jurisdiction | None = None) -> list[DepartmentEntry]:
    """Cut a header line (several names, maybe spaced out: 上海市 财 政 局) into known bodies, greedily
    by the longest alias; a line that does not segment fully but looks like a body is one new body."""
    lex = departments(genre)
    text = norm(line).removesuffix("文件")
    out: list[DepartmentEntry] = []
    i = 0
    while i < len(text):
        for j in range(len(text), i, -1):
            entry = lex.resolve(text[i:j], city)
            if entry and entry.kind != "集体":
                out.append(entry)
                i = j
                break
        else:
            break
    if i == len(text) and out:
        return out
    if not (lex.looks_like_body(text) and len(text) <= 40):
        return []
    return [qualified_entry(text, city, place, genre) or DepartmentEntry(text, city, "其他", (text,))]


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for line in text[start:end].split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def header_issuer_lines(policy: Policy, header_end: int) -> list[tuple[int, int]]:
    """Masthead lines (before the 文号) and the signature block (just above the first date line)."""
    text = policy.text
    lines = [(a, b) for a, b in _lines(text, 0, header_end) if text[a:b].strip()]
    picked: list[tuple[int, int]] = []
    for a, b in lines:
        if DOC_NO_LINE.search(text[a:b]) or "关于" in text[a:b]:
            break
        if not SENTENCE_PUNCT.search(text[a:b]):
            picked.append((a, b))
    dates = [k for k, (a, b) in enumerate(lines) if DATE_LINE.match(text[a:b])]
    if dates:
        k = dates[0] - 1
        while k >= 0 and not SENTENCE_PUNCT.search(text[lines[k][0]:lines[k][1]]) \
                and not DOC_NO_LINE.search(text[lines[k][0]:lines[k][1]]):
            picked.append(lines[k])
            k -= 1
    return sorted(set(picked))


def policy_issuers(policy: Policy, city: str | None, header_end: int, genre: Genre) -> list[DepartmentRef]:
    """Issuing bodies from the metadata, the masthead and the co-signature block, deduplicated."""
    refs: dict[str, DepartmentRef] = {}
    place = policy.meta.jurisdiction
    for name in policy.meta.issuers:
        for entry in segment_bodies(name, city, genre, place):
            pos = policy.text.find(name)
            span = Span(None, pos, pos + len(name), name) if pos >= 0 else None
            refs.setdefault(entry.ident(genre), make_ref(entry, name, "issuer", span, genre))
    if refs:  # the parser read the issuers from masthead, notice or signature: header lines add nothing
        return list(refs.values())
    for a, b in header_issuer_lines(policy, header_end):
        line = policy.text[a:b]
        for entry in segment_bodies(line, city, genre, place):
            refs.setdefault(entry.ident(genre), make_ref(entry, strip_spaces(line.strip()).removesuffix("文件").strip(), "issuer",
                                               Span(None, a, b, line.strip()), genre))
    return list(refs.values())
