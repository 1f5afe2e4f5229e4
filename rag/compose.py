"""Compose a markdown answer from graph facts and quoted clauses, without an LLM (the default path).

Every statement carries a numbered citation [n] whose quote is cut from the policy's cleaned text by
offsets (a measure's text starts at its `start`, so a sentence found at local offset i is
text[start + i : start + i + len]). The composer states only what the cited text says: departments
from the graph's RESPONSIBLE facts (their block is quoted), numbers and conditions from the support
and target clauses (quoted). When the evidence does not cover the question it says so and lists what
the corpus does cover.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, partial

from genre import Genre, derived
from genre import resolve as resolve_genre
from genre.blocks import BlockTable
from genre.blocks import default as default_blocks
from genre.dates import add_years
from genre.numerals import numeral_value
from genre.text import key as name_key
from rag.graphsearch import GraphResult, linked_measures, overlap
from rag.intents import (
    Intent,
    asked_requirement,
    asked_words,
    clause_break,
    clause_start,
    cue_spans,
    first_question_end,
    some_word,
)
from rag.limits import WHERE_THE_REST_IS
from rag.linking import Linked, bigrams, scope_of
from rag.metadata import SECTION as METADATA_SECTION
from rag.metadata import MetaLine
from rag.model import Citation, Hit

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")  # a clause: to ； as well
# (a bracket right after a sentence's stop with more text after it on its line closes that sentence — a
# State Council opinion's bodies of one task, 促进快递进校园。（教育部、邮政局）鼓励… — not the next one; a
# list marker （一） opens the next)
_FULL_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?(?:（(?![一二三四五六七八九十0-9]{1,3}）)[^（）\n]{2,80}）(?=\S))?")
LONG_SENTENCE = 200  # characters; a longer "sentence" is a list run together with ；
_NUMBER_PREFIX = re.compile(r"^\s*(?:第[一二三四五六七八九十百零\d]+[条章节]|[（(]?[一二三四五六七八九十百零\d]+[)）、.．]?)\s*")
PLACE_KINDS = ("city", "unknown_city", "region", "province", "district")  # linked kinds that name a place
ENTITY_KINDS_NOT_CONTENT = ("city", "unknown_city", "district", "year", "doc_no", "support_kind",
                            "beneficiary", "department")


@derived
def settings_data(genre: Genre) -> dict:
    return genre.data("answer")


@derived
def whole_of_place(genre: Genre) -> re.Pattern[str]:
    """全 and a level of jurisdiction (department_grammar.yaml `relative_prefixes`: 全省, 全市, 全区, 全县,
    全州, 全盟, 全旗, 全自治区): the whole of the place it follows (广西全区, 南宁全市)."""
    levels = [p["prefix"] for p in genre.data("department_grammar").get("relative_prefixes") or [] if not p.get("party")]
    return re.compile("全(?:" + "|".join(sorted(map(re.escape, levels), key=len, reverse=True)) + ")") if levels else re.compile("$^")


# -- evidence views -------------------------------------------------------------------------------


@dataclass
class View:
    """A measure (or a piece of one) as evidence: its text and where it sits in its policy."""

    measure_id: str
    policy_id: str
    text: str  # verbatim from Policy.text starting at `start`
    start: int
    title: str = ""  # run-in title
    number: str = ""
    policy: str = ""  # policy title
    doc_no: str | None = None
    city: str | None = None
    section: str = ""
    kind: str = "measure"  # measure | goal | preamble | closing | paragraph

    @property
    def label(self) -> str:
        return f"{self.number}{self.title}".strip()


def view_from_row(row: dict) -> View:
    """A measure row of the graph (measures_by_ids, renamed)."""
    section = f"{row.get('section_number') or ''}{row.get('section_title') or ''}".strip()
    return View(measure_id=row["id"], policy_id=row.get("policy_id") or "", text=row.get("text") or "",
                start=int(row.get("start") or 0), title=row.get("title") or "", number=row.get("number") or "",
                policy=row.get("policy") or "", doc_no=row.get("doc_no"), city=row.get("city"), section=section)


def view_from_chunk(chunk) -> View:
    """A chunk's own body (its text up to its end offset; an appended 责任单位 block is not at `start`)."""
    body = chunk.text[: max(chunk.end - chunk.start, 0)]
    label = getattr(chunk, "measure", "") or ""
    title = _NUMBER_PREFIX.sub("", label)
    number = label[: len(label) - len(title)] if title and label.endswith(title) else ""
    return View(measure_id=chunk.measure_id, policy_id=chunk.policy_id, text=body, start=chunk.start,
                title=title, number=number, policy=getattr(chunk, "title", "") or "",
                doc_no=getattr(chunk, "doc_no", None), city=chunk.city, section=getattr(chunk, "section", "") or "",
                kind=getattr(chunk, "kind", "measure") or "measure")


def sentences(view: View) -> list[tuple[int, int, str]]:
    """(start, end, sentence) in policy coordinates, whitespace-trimmed, for every sentence of the view.

    A quote is a whole sentence (to 。！？ or the line's end): a clause cut at ； loses what the next
    clause says about the same thing — "对…给予补贴；单个项目最高不超过500万元". Only a sentence longer
    than LONG_SENTENCE (a run of list items joined by ；) is cut into its ；-clauses."""
    out = []
    for m in _FULL_SENTENCE.finditer(view.text):
        pieces = [m] if len(m.group(0).strip()) <= LONG_SENTENCE else list(_SENTENCE.finditer(m.group(0)))
        base = 0 if pieces[0] is m else m.start()
        for p in pieces:
            raw = p.group(0)
            lead = len(raw) - len(raw.lstrip())
            s = raw.strip()
            if len(s) >= 4:
                a = view.start + base + p.start() + lead
                out.append((a, a + len(s), s))
    return out


_NOT_SAID = re.compile(r"[|*\s。.、：:-]")  # what a heading or a table's title row writes besides its title
_ITEM_NUMBER = re.compile(r"^\s*\d+\s*[.．、]")


def is_heading(view: View, sentence: str) -> bool:
    """The run-in heading ("4.扶持开源软件企业挂牌上市。") says nothing a citation should carry; nor does
    a table's title row repeating it (“14. 北京市开展…资金支持 | 北京市开展…资金支持 |  |”, the caption of
    a guide's table of fields), nor a table's rule row (|---|---|)."""
    bare = re.sub(r"[*\s。.、：:]", "", sentence)
    if bool(view.title) and bare in (re.sub(r"[*\s。.、：:]", "", view.label), view.title):
        return True
    said = _NOT_SAID.sub("", _ITEM_NUMBER.sub("", sentence))
    if not said:
        return "|" in sentence  # a table's rule row
    title = _NOT_SAID.sub("", _ITEM_NUMBER.sub("", view.title or view.label))
    return "|" in sentence and bool(title) and not said.replace(title, "")


_STATEMENT_END = re.compile(r"[。！？；!?;]$")


def heading_is_content(view: View) -> bool:
    """The clause says nothing beyond its run-in heading, and the heading is a statement: a one-line
    numbered item of a list of rules ("7.申报项目受理后，原则上不能更改申报单位和负责人。",
    "2.道路中一条车道的积水深度不超过15cm。"). Its heading is then what it says, and what a citation
    carries — unlike a bare title ("二、申请条件") or a heading followed by the clause's own sentences."""
    said = sentences(view)
    return bool(said) and all(is_heading(view, s[2]) for s in said) and bool(_STATEMENT_END.search(said[-1][2]))


def skips_heading(view: View, sentence: str) -> bool:
    """A sentence that is the view's run-in heading, left out of quotes — unless the heading is all the
    clause says (heading_is_content)."""
    return is_heading(view, sentence) and not heading_is_content(view)


def best_sentences(view: View, focus: str, n: int = 1, must: str | None = None) -> list[tuple[int, int, str]]:
    """The `n` sentences that share most with the question's content words (document order)."""
    sents = [s for s in sentences(view) if not is_heading(view, s[2])] or sentences(view)
    if must:
        sents = [s for s in sents if re.search(must, s[2])] or sents
    ranked = sorted(sents, key=lambda s: (-overlap(focus, s[2]) if focus else 0, s[0]))[:n]
    return sorted(ranked)


def responsibility_quote(view: View, table: BlockTable | None = None, rows: list[dict] | None = None, *,
                         genre: Genre) -> tuple[int, int, str] | None:
    """The last 责任单位 block of a measure, with its brackets, as a quote (genre/blocks.py finds it); else,
    given the measure's department rows, its last bracket closed by a role verb that names every one of
    them (（国务院办公厅、发展改革委牵头，各地区、各部门负责）), the genre's other way of writing the block — a
    clause closing each task with its own bracket (（工商总局）…（有关部门按职责分工分别负责）) is quoted by
    the sentence naming the asked body instead."""
    table = table or default_blocks(genre)
    b = table.last_block(view.text)
    if b is None:
        verb = [*table.role_pattern.finditer(view.text)][-1:]
        if not verb or not rows or not all((r.get("mention") or r.get("name") or "\0") in verb[0].group(0)
                                           for r in rows):
            return None
        return view.start + verb[0].start(), view.start + verb[0].end(), verb[0].group(0)
    return view.start + b.start, view.start + b.end, view.text[b.start : b.end]


def block_bodies(view: View, *, genre: Genre) -> list[str]:
    """The bodies a measure's 责任单位 block names, as written: each entry of its list that ends like a
    body (answer.yaml `agent_head`: 工作组, 领导小组, 管委会…). What the block names when none of them is a
    department the graph knows. The block is read as the graph reads it: by the labels inside it
    (牵头单位：A；配合单位：B, BlockTable.segment_roles), each part split into bodies (docfacts.body_names)."""
    from rag.docfacts import body_names

    table = default_blocks(genre)
    b = table.last_block(view.text)
    if b is None:
        return []
    _, head = _agent_shapes(genre)
    parts = [b.body[start:end].strip(" 　。；;，,") for _, start, end in table.segment_roles(b.body)]
    return [n for part in parts for n in body_names(part) if head.search(n)]


# -- citations ---------------------------------------------------------------------------------


@dataclass
class Citer:
    """Numbers citations in order of first use; the same clause keeps its number."""

    citations: list[Citation] = field(default_factory=list)

    def cite(self, view: View, start: int, end: int, quote: str) -> int:
        """The citation's number; a span inside one already cited keeps that number (one citation
        per clause, not a second one for a sentence of a quote already shown)."""
        for i, c in enumerate(self.citations, 1):
            if (c.policy_id == view.policy_id and c.section != METADATA_SECTION and c.end > c.start
                    and c.start <= start and end <= c.end):
                return i
        # a section's own text (二、申请条件 under 二、申请条件): the path names it once, not twice
        measure = "" if view.label and view.section.rsplit(" / ", 1)[-1] == view.label else view.label
        self.citations.append(Citation(doc_no=view.doc_no, title=view.policy, city=view.city, section=view.section,
                                       measure=measure, quote=quote, policy_id=view.policy_id,
                                       measure_id=view.measure_id, start=start, end=end))
        return len(self.citations)

    def cite_metadata(self, policy: dict, lines: list[str]) -> int:
        """Cite a policy's metadata lines (front matter or sidecar), shown as the file writes them;
        one citation per policy, extended with lines cited later."""
        quote = " / ".join(dict.fromkeys(lines))
        for i, c in enumerate(self.citations, 1):
            if c.policy_id == policy.get("id") and c.section == METADATA_SECTION:
                extra = [ln for ln in lines if ln not in c.quote.split(" / ")]
                c.quote = " / ".join([c.quote, *extra]) if extra else c.quote
                return i
        self.citations.append(Citation(doc_no=policy.get("doc_no"), title=policy.get("title") or "",
                                       city=policy.get("city"), section=METADATA_SECTION, measure="",
                                       quote=quote, policy_id=policy.get("id") or ""))
        return len(self.citations)

    def cite_span(self, view: View, start: int, end: int) -> int | None:
        """Cite text[start:end] of the view's policy when the view contains that span."""
        a, b = start - view.start, end - view.start
        if 0 <= a < b <= len(view.text):
            return self.cite(view, start, end, view.text[a:b])
        return None


# -- the question's content words ------------------------------------------------------------------


FUNCTION_POS = ("r", "c", "d", "u", "y", "p", "m", "q", "x", "e", "o", "f", "w", "z")
_HAN_WORD = re.compile(r"[\u4e00-\u9fa5]{2,}")
NOUN_POS = ("n", "vn", "eng", "l", "i", "j")
GLUE_POS = (*FUNCTION_POS, "v", "t")  # a single character of these tags glues speech (see glued_speech)


def analyse_focus(linked: Linked, intent: str = "general", *, genre: Genre,
                  known: Callable[[str], bool] | None = None) -> tuple[list[str], set[str]]:
    """Content words of the question, and which of them are nouns.

    Cue phrases, entities that act as filters, fillers and function words (pronouns, conjunctions,
    particles by part of speech) are dropped. Who benefits and the kind of support are filters of a
    support question (matched against the support facts' own fields), but the subject of any other
    question ("开发者" in 开发者目标, "高校" in 高校开源课归谁管). `known` (a word the documents'
    own segmentation holds) joins two single characters the tagger split into that word (see
    corpus_words)."""
    from rag.tokenize import function_word, glued_speech, load_thesaurus, pos_tagger

    text = linked.text
    kinds = set(ENTITY_KINDS_NOT_CONTENT)
    if intent != "support":
        kinds -= {"beneficiary", "support_kind"}
    # a cue word that names the subject (算力券 in 算力券归哪个部门管: a support cue, but what a
    # departments question is about) stays content: cues only say what is asked
    subject = [(lk.start, lk.end) for lk in linked.links
               if lk.kind in set(ENTITY_KINDS_NOT_CONTENT) - kinds and lk.start >= 0]
    # so does the act a span is asked of, a cue or a filler elsewhere (提前多久去申请: 申请 is the step whose
    # time limit is asked, and the sentence stating it says it: 3个月前提交申请)
    kind = asked_kind(text, genre=genre)
    act = kind["act_at"] if kind is not None and kind.get("span") and kind.get("act_at") else None
    if act is not None:
        subject.append(act)
    act_word = text[act[0] : act[1]] if act is not None else None
    cues = [sp for sp in cue_spans(text, genre=genre) if not any(sp[0] < e and s < sp[1] for s, e in subject)]
    spans = cues + [(lk.start, lk.end) for lk in linked.links if lk.kind in kinds and lk.start >= 0]
    spans += [m.span() for m in re.finditer(settings_data(genre).get("asking_classifier") or "$^", text)]
    # the extent written right after a place (广西全区, 南宁全市: the place as a whole) belongs to its name
    spans += [(lk.end, lk.end + 2) for lk in linked.links
              if lk.kind in PLACE_KINDS and lk.start >= 0 and whole_of_place(genre).match(text, lk.end)]
    chars = list(text)
    for s, e in spans:
        for i in range(max(s, 0), min(e, len(chars))):
            chars[i] = " "
    rest = "".join(chars)
    stop = set(settings_data(genre).get("fillers") or []) | set(load_thesaurus(genre=genre).stopwords)
    shapes = [re.compile(p) for p in settings_data(genre).get("filler_patterns") or []]
    modals = set(settings_data(genre).get("modal_prefixes") or [])
    terms: list[str] = []
    nouns: set[str] = set()
    tagger = pos_tagger(genre)
    tagged = [(p.word.strip(), p.flag) for p in tagger.lcut(rest)]
    words = corpus_words(tagged, known)
    joined = {w for w, _ in words} - {w for w, _ in tagged}  # the documents' words, not glued speech
    for w, flag in verb_objects(words):
        if len(w) < 2 and not (flag.startswith(NOUN_POS) and (word_equivalents(w, genre=genre)
                                                              or w in support_kind_names(genre))):
            continue  # one character says nothing, unless it is an everyday noun with policy wordings (钱: 资金,
            # 经费) or names a kind of support (券 of 发什么券: 算力券, 训力券 are its offers)
        if (w in stop and w != act_word) or w in terms or any(p.search(w) for p in shapes):
            continue
        if function_word(w, flag, FUNCTION_POS) or not re.search(r"[\u4e00-\u9fa5A-Za-z0-9]", w):
            continue
        if w not in joined and glued_speech(w, flag, tagger.word_tag_tab, stop, GLUE_POS):
            continue  # 不能自己, 按规定, 对不上: pieces of the question's grammar glued into one word
        if len(w) == 2 and w[0] in modals and (flag.startswith("v") or w not in tagger.word_tag_tab):
            continue  # 能租, 可领: a modal and a verb that jieba guessed into one word, not a subject
        terms.append(w)
        if flag.startswith(NOUN_POS):
            nouns.add(w)
    # a term the question quotes is what it asks about, even when the tagger reads its parts as
    # numerals (“一场两馆”: 一场 / 两馆): kept whole when none of its parts is a content word already
    for quoted in re.findall(r"[“\"「『]([^”\"」』]{2,16})[”\"」』]", text):
        if quoted not in stop and not any(t in quoted for t in terms):
            terms.append(quoted)
            nouns.add(quoted)
    return terms, nouns


SPLIT_TAGS = ("u", "y", "p", "c", "r", "x", "w", "e", "o")  # a character of these tags is grammar, never half a word


def corpus_words(pairs: list[tuple[str, str]], known: Callable[[str], bool] | None) -> list[tuple[str, str]]:
    """Two single Chinese characters the tagger split (还要摇号吗: 摇 / 号) are one word when the
    documents' own segmentation holds them as one (公证摇号 indexes 摇号): the question's word is then
    the corpus's, not two characters too short to count. Particles, prepositions, pronouns and
    punctuation are never half of such a word (能 / 再 is no word of the index either)."""
    if known is None:
        return pairs

    def join(i: int) -> str | None:
        (w, flag), (nxt, nflag) = pairs[i], pairs[i + 1]
        if (len(w) == 1 and len(nxt) == 1 and _HAN_WORD.fullmatch(w + nxt)
                and not flag.startswith(SPLIT_TAGS) and not nflag.startswith(SPLIT_TAGS) and known(w + nxt)):
            return "v" if flag.startswith("v") and not nflag.startswith("n") else "n"
        return None

    return _joined_pairs(pairs, join)


def verb_objects(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A one-character verb and the one-character noun after it are one content word (养 + 狗 -> 养狗,
    拿 + 地 -> 拿地): each alone is too short to count, and the question's subject would be lost. Not
    when a noun follows (住 + 公 + 租房: the noun is the first character of a longer word)."""
    def join(i: int) -> str | None:
        (w, flag), (nxt, nflag) = pairs[i], pairs[i + 1]
        if (len(w) == 1 and flag.startswith("v") and len(nxt) == 1 and nflag == "n"
                and not (i + 2 < len(pairs) and pairs[i + 2][1].startswith("n"))):
            return "n"
        return None

    return _joined_pairs(pairs, join)


def _joined_pairs(pairs: list[tuple[str, str]], join: Callable[[int], str | None]) -> list[tuple[str, str]]:
    """(word, tag) pairs with each token i joined to the next when join(i) gives the joined word's tag."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pairs):
        tag = join(i) if i + 1 < len(pairs) else None
        if tag is None:
            out.append(pairs[i])
            i += 1
        else:
            out.append((pairs[i][0] + pairs[i + 1][0], tag))
            i += 2
    return out


def equivalents(term: str, *, genre: Genre) -> list[str]:
    """Policy wordings of a colloquial word (genre/data/answer.yaml), including those of its parts
    ("租算力" -> the group of 租 and of 算力)."""
    out: list[str] = []
    for group in settings_data(genre).get("equivalents") or []:
        if term in group or (len(term) > 2 and any(len(g) >= 1 and term.startswith(g) for g in group)):
            out.extend(g for g in group if g != term and g not in out)
    return out


@derived
def support_kind_names(genre: Genre) -> frozenset[str]:
    """The kinds of support the genre reads offers as (support.yaml `kinds`: 补贴, 奖励, 券…)."""
    return frozenset(k["kind"] for k in genre.data("support").get("kinds") or [] if k.get("kind"))


def word_equivalents(term: str, *, genre: Genre) -> list[str]:
    """Policy wordings of the word itself (its answer.yaml group), not of a part it begins with."""
    return [g for group in settings_data(genre).get("equivalents") or [] if term in group
            for g in group if g != term]


def said_by_parts(term: str, text: str, *, genre: Genre) -> bool:
    """A word glued from a verb with policy wordings and its object ("租算力": 租 + 算力) is said by a
    text that says a wording of the verb and the object: "租用…智能算力" says it, "房租" alone does not."""
    return any(rest in text and any(g in text for g in group) for rest, group in glued_parts(term, genre=genre))


def glued_parts(term: str, *, genre: Genre) -> list[tuple[str, tuple[str, ...]]]:
    """(object, wordings of the verb) of a word glued from a verb of an equivalents group and an object
    of two characters or more ("租算力" -> ("算力", (租, 租用, 租赁))); [] for any other word."""
    out = []
    for group in settings_data(genre).get("equivalents") or []:
        if term in group:
            continue
        for head in group:
            rest = term[len(head):]
            if len(term) > 2 and term.startswith(head) and len(rest) >= 2:
                out.append((rest, tuple(group)))
    return out


def coverage(terms: list[str], text: str, weight: Callable[[str], float] | None = None, *, genre: Genre) -> float:
    """Weighted share of content words that the evidence text contains (synonyms count).

    Words are weighted by `weight` (rarity in the corpus, when given): covering a word that every
    clause contains proves little, missing a rare one means the evidence is about something else."""
    from rag.tokenize import load_thesaurus

    if not terms:
        return 1.0
    th = load_thesaurus(genre=genre)
    low = text.lower()
    got = total = 0.0
    for t in terms:
        w = weight(t) if weight else float(len(t))
        total += w
        if (t in text or t.lower() in low or any(s in low for s in th.synonyms(t))
                or any(s in text for s in word_equivalents(t, genre=genre))
                or said_by_parts(t, text, genre=genre)):
            got += w
        elif len(t) >= 3:
            gs = set(bigrams(t))
            got += w * len(gs & set(bigrams(text))) / len(gs) if gs else 0
    return got / total if total else 1.0


def head_said(term: str, text: str, *, genre: Genre) -> bool:
    """A word the corpus never uses is said by the evidence when the evidence says it whole (a synonym,
    an equivalent, a verb's wording with its object) or says its head — the last two characters, which
    name what a Chinese compound is (公租房 by 租房): a modifier's characters elsewhere (自行 in 自行协商
    for 自行车) say nothing of it. A noun of one character and the noun suffix 子 or 儿 (桩子, 事儿: how
    people say 桩, 事) is said by that character."""
    return (coverage([term], text, genre=genre) >= 1.0 or (len(term) >= 3 and term[-2:] in text)
            or (len(term) == 2 and term[1] in "子儿" and term[0] in text))


def glossed(terms: list[str], text: str) -> str:
    """The question's words the evidence says in the words a dictionary explains them with (户口 by a
    clause writing 户籍, 急事 by 紧急需要: rag.tokenize.gloss_words) or in a word of their synonym group
    in 同义词词林 (掏钱 by 出资, 回话 by 答复: rag.tokenize.synonym_words), joined for the evidence checks
    to find; "" when none. Only the refusal checks read them: ranking and quoting go by the documents'
    own words, where a looser match would move clauses the question's own words place well (a word of
    several senses has the synonyms of each: 平台 and 阳台 share a group)."""
    from rag.tokenize import gloss_words, synonym_words

    said = [t for t in terms if t not in text and any(g in text for g in gloss_words(t) + synonym_words(t))]
    return "\0" + "\0".join(said) if said else ""


def said_in_parts(term: str, text: str) -> bool:
    """A set phrase (jieba's 成语/习用语 tags i, l) that the corpus never uses is a way of saying, not a
    subject the corpus lacks: it counts as said when half of its dictionary words (two characters or
    more) occur in the evidence — 从轻处理 by a clause that says 从轻、减轻. Nouns naming a subject
    (临床试验, tag n) get no such leniency."""
    import jieba

    from rag.tokenize import pos_tagger

    if pos_tagger().word_tag_tab.get(term) not in ("i", "l"):
        return False
    parts = {w for w in jieba.cut_for_search(term) if len(w) >= 2 and w != term}
    return bool(parts) and sum(w in text for w in parts) * 2 >= len(parts)


def relevance_scorer(terms: list[str], weight: Callable[[str], float] | None = None, *, genre: Genre) -> Callable[[str], float]:
    """`0.5 * overlap(joined terms, text) + coverage(terms, text, weight)` with the per-term work
    (weights, synonyms, bigrams) done once: the graph scores thousands of facts per question."""
    from rag.tokenize import load_thesaurus

    th = load_thesaurus(genre=genre)
    q = set(bigrams("".join(terms)))
    prepared = []
    for t in terms:
        w = weight(t) if weight else float(len(t))
        alts = tuple(word_equivalents(t, genre=genre))
        lowered_alts = tuple(th.synonyms(t))  # lower-cased like the thesaurus: found in the lowered text
        grams = set(bigrams(t)) if len(t) >= 3 else set()
        prepared.append((t, t.lower(), w, alts, lowered_alts, grams, glued_parts(t, genre=genre)))
    total = sum(p[2] for p in prepared)

    def score(text: str) -> float:
        grams = set(bigrams(text))
        share = len(q & grams) / len(q) if q else 0.0
        if not prepared:
            return 0.5 * share + 1.0
        lowered = text.lower()
        got = 0.0
        for t, low, w, alts, lowered_alts, tgrams, glued in prepared:
            if (t in text or low in lowered or any(s in text for s in alts) or any(s in lowered for s in lowered_alts)
                    or any(rest in text and any(g in text for g in group) for rest, group in glued)):
                got += w
            elif tgrams:
                got += w * len(tgrams & grams) / len(tgrams)
        return 0.5 * share + (got / total if total else 1.0)

    return score


# -- composition ----------------------------------------------------------------------------------


@dataclass
class Context:
    """Everything the composer may use for one question."""

    question: str
    linked: Linked
    intent: Intent
    focus: list[str]
    views: dict[str, View]  # measure id -> evidence view (graph row or chunk)
    fused: list[Hit]
    graph: GraphResult | None
    policies: list[dict]  # the corpus's policies, for saying what it covers
    responsibility_labels: list[str]
    genre: Genre  # the genre the question is answered with (answer settings, thesaurus, wording)
    graph_available: bool = True
    term_weight: Callable[[str], float] | None = None  # rarity of a word in the corpus
    locate: Callable[[str, int, int], View | None] | None = None  # (policy, start, end) -> view
    absent: Callable[[str], bool] | None = None  # the word occurs nowhere in the corpus
    nouns: set[str] = field(default_factory=set)  # the content words that are nouns
    departments: list[dict] = field(default_factory=list)  # lexicon: {id, name, city, aliases}
    metadata: Callable[[str], dict[str, MetaLine]] | None = None  # policy id -> its metadata lines
    preamble: Callable[[str], View | None] | None = None  # policy id -> its preamble as evidence
    outline: Callable[[str], list[View]] | None = None  # policy id -> its indexed pieces in text order
    pieces: Callable[[str], list[View]] | None = None  # measure id -> its indexed pieces in text order
    place_covered: Callable[[str], bool] | None = None  # some document is about or names this place
    dense_score: Callable[[str], float] | None = None  # measure id -> cosine of the question to it (0: none)
    fallback: Callable[[], Composed | None] | None = None  # answer from the best clauses (see answer.py)
    corpus_places: set[str] | None = None  # the places of `policies` when the caller has them already
    repealing: Callable[[dict], tuple[View, tuple[int, int, str]] | None] | None = None  # policy -> another's clause repealing it

    @cached_property
    def grades(self) -> list[Grade]:
        """The grades, levels or thresholds the question names (asked_grades), worked out once."""
        return asked_grades(self.linked.text, genre=self.genre)

    @cached_property
    def asked(self) -> dict | None:
        """The kind of fact the question asks for (asked_kind), worked out once per question: every
        sentence scored is checked against it. A support question asking whether one can get it
        (能拿到补贴吗) is answered by the offer, not by a clause's prohibition: whether something is
        allowed (asked_facts `after_subject`) is asked by the other questions."""
        kind = kind_for_intent(self.linked.text, self.intent.name, genre=self.genre)
        if kind is None or not kind.get("whether"):
            return kind
        return {**kind, "act_words": [t for t in self.focus if t in kind["whether"]]}

    @cached_property
    def asking_text(self) -> str:
        """The question from its asking clause on (intents.asked_words): what it asks, not its scene."""
        return asked_words(self.text, genre=self.genre)

    @cached_property
    def asks_basis_line(self) -> bool:
        """The question asks on what basis (answer.yaml basis_cue): a line only naming the documents a
        measure rests on (citing_line) may answer it."""
        return bool(re.search(settings_data(self.genre).get("basis_cue") or "$^", self.linked.text))

    @cached_property
    def unstated_asks(self) -> list[dict]:
        """The kinds of fact the question asks, when each clause of it that asks one asks for the
        figure itself (asked_facts `unstated_cue`: 几个工作日办结, 补贴多少钱, 比例是多少, 多少岁): an
        answer whose quotes state none of them does not answer it. Empty when a clause asks another
        kind (能不能…, 有没有放宽比例, 几个人) or the figure is not asked (给不给钱, 上了年纪): those may
        be what the quotes answer. Worked out once, read by unstated_fact."""
        if self.asked is None or not asks_figure(self.asked, self.linked.text):
            return []
        parts = [p for p in re.split(r"[，,；;？?。！!]", self.linked.text) if p]
        asks = [(k, p) for p in parts if (k := asked_kind(p, genre=self.genre)) is not None]
        return [self.asked, *(k for k, _ in asks)] if all(asks_figure(k, p) for k, p in asks) else []

    @property
    def places(self) -> set[str]:
        """The places the corpus has documents of (given by the caller: at 10,000 documents reading
        every policy for them cost more per question than choosing the sentences)."""
        if self.corpus_places is None:
            self.corpus_places = {p.get("city") for p in self.policies if p.get("city")}
        return self.corpus_places

    def covers(self, text: str, measure_ids: list[str] | tuple[str, ...] = (), sayable: bool = False) -> bool:
        """The evidence contains enough of the question's content words, and every word the corpus
        never uses at all (a subject it does not treat, e.g. 临床试验) is matched by an equivalent.
        Evidence that the lexical and the graph signal both rank at the top needs a smaller share
        (a paraphrase shares few words with its clause, but two independent signals agreeing on it
        is evidence too); it never excuses a word the corpus does not use. `sayable`: the share is taken
        over the words some clause could say whatever the signals (the general answer's evidence, the
        last before a refusal: a word no document uses is then no reason to refuse, only a subject the
        corpus lacks is)."""
        data = settings_data(self.genre)
        text = self.unnamed(text)
        text += glossed(self.focus, text)
        close = self.meaning_close(measure_ids)
        if self.absent is not None and not self.meaning_close(measure_ids, data.get("absent_dense_close")):
            missing = [t for t in self.nouns
                       if self.absent(t) and not head_said(t, text, genre=self.genre) and not said_in_parts(t, text)
                       and not self.worded_otherwise(t) and t not in self.situation_words]
            if missing and self.absent_share(missing) >= data["absent_share_refuse"]:
                return False
        need = data["min_coverage"]
        agreed = any(self.agreed(m) for m in measure_ids)
        if agreed:
            need -= data["agreement_relief"]
        if close:
            need -= data["dense_relief"]
        if self.rules_on_asked_act(text):
            need -= data["rule_relief"]
        # the words no clause could say stay counted when they are most of what is asked (重庆对新能源汽车
        # 下乡有什么办法: 新能源, 下乡): then the evidence is about what is left, not what is asked; words
        # the asker describes themself with (我今年刚从部队退伍回老家…) ask nothing
        if sayable and not agreed:
            unsaid = [t for t in self.focus if t not in self.sayable and t not in self.situation_words]
            sayable = self.absent_share(unsaid) < data["absent_share_refuse"]
        words = self.sayable + self.headed(text) if agreed or sayable else self.focus
        return coverage(words, text, self.term_weight, genre=self.genre) >= need

    def headed(self, text: str) -> list[str]:
        """The question's words no clause says (not in `sayable`) that this evidence says by their head
        (head_said: the last two characters name what a compound is, 打零工 by 零工驿站): counted with the
        words agreed evidence is measured on, as said — they are the question's subject in the user's
        word, not a word no evidence could contain."""
        return [t for t in self.focus if t not in self.sayable and head_said(t, text, genre=self.genre)]

    @property
    def text(self) -> str:
        """The question as linked (normalised, everyday forms read as standard terms); as asked without a link."""
        return self.linked.text if self.linked is not None else self.question

    @cached_property
    def situation_words(self) -> set[str]:
        """The question's words written only where the asker describes themself, before the asking
        clause (answer.yaml `own_situation`: 我们村里有个业余的腰鼓队，…归哪个部门管): what the asker is,
        not what is asked. A word no document uses there (腰鼓队) does not make the subject one the
        corpus lacks; it still counts in the share of the question's words the evidence must say."""
        cue = settings_data(self.genre).get("own_situation")
        text = self.text
        if not cue:
            return set()
        scene = text[: len(text) - len(self.asking_text)]
        clauses = [c for c in re.split(r"[，,。；;！!？?]", text) if c]
        own = [c for c in re.split(r"[，,。；;！!？?]", scene) if c and re.match(cue, c)]
        return {t for t in self.focus if any(t in c for c in own)
                and not any(t in c for c in clauses if c not in own)}

    def rules_on_asked_act(self, text: str) -> bool:
        """The evidence rules on the act a whether-question asks about (rules_on_act: 不得新建…数据中心
        for 还能自己建机房吗): the prohibition or permission that answers it, in the clause's words.
        Such a sentence answers the question without repeating its other words (the 服务器 one would
        buy to build the 机房), so it needs `rule_relief` less coverage, as two signals agreeing do."""
        if self.linked is None or self.intent is None:  # evidence checked without a question: no act asked
            return False
        kind = self.asked
        return bool(kind is not None and kind.get("act_words") and rules_on_act(kind, text, genre=self.genre))

    @cached_property
    def sayable(self) -> list[str]:
        """The content words some clause could say: the question's words less those no document uses
        and none of whose policy wordings it uses either (电车, 滑道, 改成). No evidence contains such a
        word, so it lowers every clause's share alike. The share of evidence two signals agree on is
        taken over these words (the signals found the clause without the others); whether a missing
        word is the question's subject is judged by `absent_share` before. A question made only of
        such words keeps them all: then nothing says it."""
        if self.absent is None:
            return self.focus
        kept = [t for t in self.focus if not self.absent(t) or self.worded_otherwise(t)]
        return kept or self.focus

    def unnamed(self, text: str) -> str:
        """The evidence with each zone name built on a word of the question blanked (稀土高新区 for
        稀土, jurisdictions.yaml `zone_words`): a zone named after an industry or a landmark says
        nothing of that subject, so a clause listing 各旗县区、稀土高新区 does not cover 稀土企业. A
        name the question itself writes is kept: it asks about that zone."""
        zones = self.genre.data("jurisdictions").get("zone_words") or []
        for term in self.focus:
            for zone in zones:
                name = term + zone
                if name in text and name not in self.linked.text:
                    text = text.replace(name, "\0" * len(name))
        return text

    def worded_otherwise(self, term: str) -> bool:
        """A word no document uses whose policy wording (the thesaurus, answer.yaml equivalents) the
        corpus does use: the user's synonym (老百姓 for 群众), not a subject the corpus lacks."""
        from rag.tokenize import load_thesaurus

        if self.absent is None:
            return False
        others = load_thesaurus(genre=self.genre).synonyms(term) + equivalents(term, genre=self.genre)
        return any(len(o) >= 2 and not self.absent(o) for o in others)

    def absent_share(self, missing: list[str]) -> float:
        """The weight of the question's words that no document uses, as a share of all its content
        words: a synonym the documents do not use is a small share; the question's subject is most."""
        weight = self.term_weight or (lambda _t: 1.0)
        total = sum(weight(t) for t in self.focus) or 1.0
        return sum(weight(t) for t in missing) / total

    def meaning_close(self, measure_ids: list[str] | tuple[str, ...], threshold: float | None = None) -> bool:
        """The dense signal finds one of these measures close in meaning to the question (at least
        `threshold`, by default answer.yaml dense_close; both calibrated on the development questions)."""
        if self.dense_score is None:
            return False
        floor = settings_data(self.genre)["dense_close"] if threshold is None else threshold
        return any(self.dense_score(m) >= floor for m in measure_ids)

    def agreed(self, measure_id: str) -> bool:
        """Two independent signals (BM25, dense, graph) both rank this measure among their first few
        hits: strong evidence even when the question words it differently from the clause."""
        top = settings_data(self.genre)["agreement_ranks"]
        return any(h.measure_id == measure_id
                   and sum(1 for s, r in h.ranks.items() if 0 < r <= top.get(s, 0)) >= 2 for h in self.fused)


@dataclass
class Composed:
    answer: str
    citations: list[Citation] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    abstained: bool = False
    table: list[dict] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # measure ids cited
    section_parts: bool = False  # the parts of a section listed (compose_structure), whatever the intent
    # citation numbers (from 1) of the sentences quoted under a listed item for what the question asks
    # beyond the list (item_details): picked for the question's words, so they say nothing of whether the
    # list is the one asked
    details: tuple[int, ...] = ()


GENERIC_BENEFICIARIES = ("主体",)  # says nothing about who: not worth a line ("对象：主体")


def inert(text: str) -> str:
    """Document text shown in markdown without doing anything: links, images, HTML and emphasis are
    escaped, so a quote that contains "[点此](http://…)" or "<script>" is read, not followed or run; a
    table row's cells are shown as a reader writes them (`as_cells`)."""
    text = as_cells(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]!|])", r"\\\1", text)


def inert_quotes(composed: Composed) -> Composed:
    """The answer with every quoted document text made inert (the citations keep the verbatim text)."""
    for c in composed.citations:
        if c.quote and c.quote in composed.answer and inert(c.quote) != c.quote:
            composed.answer = composed.answer.replace(c.quote, inert(c.quote))
    return composed


_LABEL_CELL = re.compile(r"[^。，；,;：:]{1,10}")
_RULE_CELL = re.compile(r":?-{3,}:?")


def as_cells(text: str) -> str:
    """A quote of a table's rows (PDF and web tables are read as "| 服务内容 | 申请设立…批准。 |") without
    their empty cells and pipes, a short label cell joined to the value after it (服务内容：申请设立…批准。),
    other cells side by side: the quote reads as the row says it, not as markup."""
    if "|" not in text:
        return text
    lines = []
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("|")] if "|" in line else [line]
        cells = [c for c in cells if c and not _RULE_CELL.fullmatch(c)]  # empty, or a header's rule (---)
        if not cells and "|" in line:
            continue  # a row of nothing but rules or empty cells
        out, i = [], 0
        while i < len(cells):
            # a label before its value (服务内容 | 申请…; 咨询电话 | 88012363), not a row of labels (2023年 | 2024年 | …)
            if i + 1 < len(cells) and _LABEL_CELL.fullmatch(cells[i]) and (
                    len(cells) == 2 or not _LABEL_CELL.fullmatch(cells[i + 1])):
                out.append(f"{cells[i]}：{cells[i + 1]}")
                i += 2
            else:
                out.append(cells[i])
                i += 1
        lines.append(" ".join(out))
    return "\n".join(lines)


def compose(ctx: Context, *, genre: Genre) -> Composed:
    """The answer to the question, its document text made inert (see `inert`)."""
    return inert_quotes(with_levels(with_lead_clause(ctx, _compose(ctx, genre=genre), genre=genre), ctx.policies))


def with_lead_clause(ctx: Context, composed: Composed, *, genre: Genre) -> Composed:
    """A specialised answer (duties, support, targets, a section's parts) whose quotes say little of the
    question, while the clause the lexical and the dense signal both rank first (lead_measure) says
    enough of it and is not quoted, is answered from the clauses instead (compose_general, which quotes
    the lead): the composer read the question as its kind of fact and found one about something else
    (the parts of another document's section for "五大通道分别是哪几条", a body's own duties for what
    the other bodies do). A question in the asker's own words may leave both below that share: the lead
    then answers when it says clearly more of the question than the quotes (answer.yaml
    `lead_clause_margin`; 办厂的老板…政治荣誉有没有啥照顾: 推荐为人大代表, not an award for honours of
    tourism villages). Departments (a set) and document facts (metadata lines) are left alone. A section's parts may answer a general question
    too (`Composed.section_parts`: "都有哪些评价渠道" answered with the parts of 三、考评方式 while the
    clause listing the channels ranks first): they are judged the same way."""
    kept = ("departments", "metadata") if composed.section_parts else ("general", "departments", "metadata")
    if composed.abstained or ctx.intent.name in kept or not ctx.focus:
        return composed
    lead = lead_measure(ctx)
    if lead is None or any(c.measure_id == lead.measure_id for c in composed.citations):
        return composed
    settings = settings_data(genre)
    need, margin = settings["lead_clause_coverage"], settings["lead_clause_margin"]
    quoted = "".join(c.quote or "" for i, c in enumerate(composed.citations, 1) if i not in composed.details)
    said = coverage(ctx.focus, quoted, ctx.term_weight, genre=genre)
    if said >= need or coverage(ctx.focus, lead.title + lead.text, ctx.term_weight, genre=genre) < min(need, said + margin):
        return composed
    general = compose_general(ctx, genre=genre)
    if general.abstained or not any(c.measure_id == lead.measure_id for c in general.citations):
        return composed
    return check_requirements(ctx, with_asked_fact(ctx, with_window(ctx, general, genre=genre), genre=genre), genre=genre)


def with_levels(composed: Composed, policies: list[dict]) -> Composed:
    """When an answer cites documents of more than one level (a national plan and a city's measures),
    each document is named with its level (《…》（省级）) where the answer names it, so the reader knows
    which government says what; an answer within one level says nothing of it."""
    words = _level_words(policies)
    cited = {c.policy_id: c.title for c in composed.citations if c.policy_id in words and c.title}
    if len({words[pid] for pid in cited}) < 2:
        return composed
    for pid, title in cited.items():
        composed.answer = label_document(composed.answer, title, words[pid])
    return composed


_LEVEL_WORDS: list = []  # [(policies list, {policy id: level word})]: the last generation's lookup


def _level_words(policies: list[dict]) -> dict:
    """{policy id: level word} of the corpus's policy rows, built once per rows list (the lexicon's,
    the same object for every question of a generation) instead of over 10,000 rows per answer."""
    if _LEVEL_WORDS and _LEVEL_WORDS[0][0] is policies and _LEVEL_WORDS[0][2] == len(policies):
        return _LEVEL_WORDS[0][1]
    words = {p.get("id"): p.get("level_word") for p in policies if p.get("level_word")}
    _LEVEL_WORDS[:] = [(policies, words, len(policies))]
    return words


def label_document(text: str, title: str, level: str) -> str:
    """Every 《title》 that opens a line or a bold name gets "（level）" after it (and after its 文号 in
    brackets, when one follows); a 《title》 inside a quoted sentence is left as the document writes it."""
    name = re.escape(f"《{title}》")
    pattern = re.compile(rf"(^\s*(?:[-*>]\s*|\|\s*)?(?:\*\*)?\s*{name}(?:（[^）\n]*〔[^）\n]*）)?)", re.MULTILINE)
    return pattern.sub(lambda m: f"{m.group(1)}（{level}）", text)


def _compose(ctx: Context, *, genre: Genre) -> Composed:
    """Route to the intent's composer; abstain first when the question names what the corpus lacks."""
    # each place once, however often the question names it (我在青岛…，青岛市对…)
    missing = [place for place in ctx.linked.values("unknown_city")
               if ctx.place_covered is None or not ctx.place_covered(place)]
    if missing and not ctx.linked.cities and ctx.intent.name != "comparison":
        places = ctx.places
        covered = "、".join(sorted(places - {"全国"}))
        national = "；另有适用于全国的国家级文件" if "全国" in places else ""
        scope = f"（语料覆盖：{covered}{national}）" if covered or national else ""
        return abstain(ctx, f"语料中没有{'、'.join(missing)}的政策文件，无法回答关于{'、'.join(missing)}的问题。{scope}")
    if asks_basis(ctx, genre=genre):
        return compose_basis(ctx, genre=genre)
    enumerable = ctx.intent.name in ("general", "targets") or (
        ctx.intent.name == "comparison" and len(ctx.linked.cities) < 2)  # "分别是哪几个" within one document
    # a support question asking for a list (哪几类人才可以享受…支持) wants the enumeration, not the offers
    enumerable = enumerable or (ctx.intent.name == "support" and asks_list(ctx.linked.text, genre=genre))
    if enumerable and (items := compose_clause_items(ctx, genre=genre)) is not None:
        return items
    # a list people ask for by its kind and documents head alike (哪几类人能享受: 一、支持对象; 要走哪几步:
    # 四、建设程序) is the section so headed, before any sentence listing something in passing
    heading_asked = any(re.search(kind["asked"], ctx.linked.text) for kind in settings_data(genre).get("list_headings") or ())
    if enumerable and heading_asked and (headed := compose_structure(ctx, named=True, genre=genre)) is not None:
        return headed
    if enumerable and (kinds := compose_kinds(ctx, genre=genre)) is not None:
        return kinds
    structured = enumerable and bool(re.search(settings_data(genre)["structure_cue"], ctx.linked.text))
    # "建设程序是怎么规定的": what a section the question names by its title lays down is its parts
    structured = structured or (ctx.intent.name == "general" and bool(
        re.search(settings_data(genre)["section_content_cue"], ctx.linked.text)))
    if structured and (named := compose_structure(ctx, named=True, genre=genre)) is not None:
        return named  # a section whose title the question writes (组织申报的推荐单位) lists its items
    if enumerable and asks_enumeration(ctx.linked.text, genre=genre) and (
            whole := compose_member_list(ctx, whole_only=True, genre=genre)) is not None:
        return whole  # 建设方案应包括…: the parts of the whole the question names
    if enumerable and asks_enumeration(ctx.linked.text, genre=genre) and (
            announced := compose_announced(ctx, genre=genre)) is not None:
        return announced
    if enumerable and re.search(settings_data(genre)["structure_cue"], ctx.linked.text):
        # a support question lists a section only when it names it (购房顺位支持, 支持的对象): the offers
        # of a section it only shares words with answer it better
        listed = compose_structure(ctx, named=ctx.intent.name == "support", genre=genre)
        if listed is not None:
            return listed
        if ctx.intent.name == "general" and (spread := compose_spread(ctx, genre=genre)) is not None:
            return spread
    if ctx.intent.name == "general" and (asked := duty_ask(ctx.linked.text, genre=genre)) and asked.narrowed:
        named = compose_entity_duties(ctx, genre=genre)  # 项目申报单位要和参与单位签什么: a party's duty
        if named is not None:
            return check_requirements(ctx, named, genre=genre)
    handler = {
        "departments": compose_departments, "duties": compose_duties, "support": compose_support,
        "targets": compose_targets, "comparison": compose_comparison, "metadata": compose_metadata,
    }.get(ctx.intent.name, compose_general)
    found = handler(ctx, genre=genre)
    if handler is compose_general or (handler is compose_support and asks_means_or_sectors(ctx, genre=genre)):
        found = with_member_list(ctx, found, genre=genre)  # 什么样的单位能申报: the sentence listing them first
    if ctx.intent.name != "metadata" and not found.abstained:
        found = with_window(ctx, found, genre=genre)
    found = with_asked_fact(ctx, found, genre=genre)
    found = with_complement(ctx, found, genre=genre)
    found = with_responsibility(ctx, found, genre=genre)
    composed = check_requirements(ctx, found, genre=genre)
    # "the clause names none", "the clause states no such time": a refusal quoting the clause it read
    honest = ctx.intent.name in ("departments", "duties", "metadata") and found.citations
    if found.abstained and not honest:
        # the specialised path found nothing: answer from the best retrieved clauses when they are
        # close enough to the question, instead of refusing (what the question pins down — a year,
        # a unit — must still be in the quotes)
        listing = (lambda: compose_kinds(ctx, relaxed=True, genre=genre)) if ctx.intent.name in (
            "general", "targets", "support") else None  # the enumeration asked for, in the user's words
        members = (lambda: compose_member_list(ctx, genre=genre)) if ctx.intent.name == "general" else None
        for alternative in (listing, members, ctx.fallback, lambda: compose_best_clauses(ctx, genre=genre)):
            other = alternative() if alternative is not None else None
            if other is not None and not other.abstained:
                other = unstated_fact(ctx, other, genre=genre) or check_requirements(ctx, other, genre=genre)
                if not other.abstained:
                    return other
    return composed


def asks_means_or_sectors(ctx: Context, *, genre: Genre) -> bool:
    """The question asks for the members of a class of a kind the genre names alike (member_kinds: 有哪些
    融资路子, 哪些行业): a support question asking so wants the sentence listing the ways, ahead of the
    offers, which name no way."""
    head = member_head(ctx.linked.text, genre=genre)
    return bool(head and member_kin(head, genre=genre))


def asks_list(question: str, *, genre: Genre) -> bool:
    """The question asks for the kinds or the members of a class of things by its head noun
    (kinds_cue, list_cue: 哪几类人才, 对象是哪些人) — not "有哪些支持", which asks for the offers."""
    data = settings_data(genre)
    return any(re.search(data[cue], question) for cue in ("kinds_cue", "list_cue"))


def asks_enumeration(question: str, *, genre: Genre) -> bool:
    """The question asks for the members of something: its kinds, a class by its head noun, or what
    it includes (kinds_cue, list_cue, enumeration_cue: 哪几类, 哪些情况, 几个环节, 包括哪些, 哪几处)."""
    data = settings_data(genre)
    if re.search(data.get("count_threshold") or "$^", question):
        return False  # 雇几个人以上: a number asked
    return asks_list(question, genre=genre) or bool(re.search(data["enumeration_cue"], question))


def compose_kinds(ctx: Context, relaxed: bool = False, *, genre: Genre) -> Composed | None:
    """"分成哪几类" / "包括哪几个": the retrieved sentence that divides the asked thing into its kinds
    (分为…、…) or enumerates its members (包括：…、…), when one says every content word of the question;
    None otherwise (the question is answered as usual). A sentence that only mentions the thing does
    not list it. `relaxed` (the question would otherwise be refused): a listing sentence that carries
    as much of the question as the best-clauses fallback needs (fallback_min_coverage) answers — the
    user names the listed thing in words of their own."""
    data = settings_data(genre)
    listing = listing_sentence(ctx.linked.text, ctx.focus, genre=genre)  # None when no head noun is asked
    asks = [(cue, sentence) for cue, sentence in ((data["kinds_cue"], data["kinds_sentence"]),
                                                  (data["enumeration_cue"], data["enumeration_sentence"]))
            if re.search(cue, ctx.linked.text)] + ([("", listing)] if listing else [])
    # the word counted (哪几个场馆) is said by the members listed (体育场、体育馆), not necessarily by itself
    counted = counted_word(ctx.linked.text)
    subject = replace(ctx, focus=[w for w in ctx.focus if w not in data["kinds_verbs"] and w != counted])
    def answers(p: tuple[float, View, tuple[int, int, str]], loose: bool) -> bool:
        text = pick_text(p, genre=genre)
        if not relaxed and not loose:
            return says_every_word(subject, text, genre=genre)
        return (coverage(subject.focus, text, ctx.term_weight, genre=genre) >= data["fallback_min_coverage"]
                and ctx.covers(text, [p[1].measure_id]))

    # then a sentence announcing the asked class by its head noun (下列合同解除情形…：) carrying enough of
    # the question: the user's own verbs (目录里要写明哪些内容: 写明) need not be the document's
    announcing = announced_list(ctx.linked.text, ctx.focus, genre=genre)
    tries = [(False, sentence) for _, sentence in asks] + ([(True, announcing)] if announcing and not relaxed else [])
    for loose, sentence in tries:
        picks = [p for p in ranked_sentences(ctx, must=sentence, limit=ENUMERATION_VIEWS, per_view=1, genre=genre)
                 if answers(p, loose)]
        if picks:
            _, v, s = picks[0]
            s = with_items(v, s)  # 包括以下类型： with its items
            citer = Citer()
            n = citer.cite(v, *s)
            more = items_after(v, s[1])  # a long list is quoted up to its cap; the rest is counted
            rest = f"\n- 另有 {more} 项未列出（见原文）。" if more else ""
            return Composed(answer=f"文件中的相关规定：\n\n- {_source(v, s[2])}：{shown(s[2])} [{n}]{rest}",
                            citations=citer.citations, evidence=[v.measure_id])
    return None


Item = tuple[View, tuple[int, int, str]]  # an item of a list: where it is written, and its opening sentence


# an item the document numbers in words within its paragraph (一是…。二是…。), up to the next such number
_COUNTED_ITEM = re.compile(r"(?P<n>[一二三四五六七八九十]+)是(?:(?![一二三四五六七八九十]+是)[^。；;\n])*[。；;]?")


def counted_items(v: View, end: int) -> list[Item]:
    """The items a paragraph numbers in words right after `end` (…但仍存在诸多的困难与不足。一是创新体系
    还不健全。…二是科技投入仍不足。…), each as its opening sentence: the standard way an administrative text
    counts the points of what its sentence announces. [] unless 一是 follows at once and 二是 comes next."""
    rest = v.text[end - v.start:]
    rest = re.split(r"\n|  ", rest, maxsplit=1)[0]
    lead = len(rest) - len(rest.lstrip(" 　"))
    items: list[Item] = []
    for m in _COUNTED_ITEM.finditer(rest, lead):
        if numeral_value(m.group("n")) != len(items) + 1 or (not items and m.start() != lead):
            if not items:
                return []
            continue  # a later sentence of the item (目前，…) lies between two numbers
        first = _FULL_SENTENCE.match(rest, m.start())
        text = first.group(0) if first else m.group(0)
        a = end + m.start()
        items.append((v, (a, a + len(text), text)))
    return items if len(items) >= 2 else []


def announced_items(v: View, s: tuple[int, int, str], following: list[View]) -> list[Item]:
    """The items a sentence announcing a list (answer.yaml `announcement`) introduces, each as its
    opening sentence: the lines after it in its clause that open with an item's number or dash (the
    rest of its own paragraph skipped: 有下列情形之一的申请人，还应进行现场审查。未按规定…不予受理。 then
    （一）…（二）…); else, after a run-in title, the next paragraph when it joins its items with 、
    (优先发展以下旅游项目。 then 文化旅游、乡村旅游…); else, when nothing follows it in its clause, the
    clauses after it under the same heading (`following`: 以下四方面： then 1.… 2.… 3.… 4.…). [] when
    fewer than two items follow. Items its own paragraph numbers in words right after it (一是…二是…) are
    its items whatever the sentence says."""
    if counted := counted_items(v, s[1]):
        return counted
    rest_at = s[1] - v.start
    rest = v.text[rest_at:]
    # paragraphs as clause_items reads them (a split clause's pieces meet at spaces, not line breaks)
    lines = [(m.start() + rest_at, m.group(0)) for m in _PARAGRAPH.finditer(rest) if m.group(0).strip()]
    if lines and not re.search(r"\n|  ", rest[: lines[0][0] - rest_at]):
        lines = lines[1:]  # the rest of the announcement's own paragraph says no item
    items: list[Item] = []
    for at, line in lines:
        if not _ITEM_OPENING.match(line):
            if items:
                break
            continue
        lead = _FULL_SENTENCE.match(line.lstrip())
        a = v.start + at + len(line) - len(line.lstrip())
        text = (lead.group(0) if lead else line).strip()
        items.append((v, (a, a + len(text), text)))
    if len(items) >= 2:
        return items
    if lines and not _ITEM_OPENING.match(lines[0][1]):
        at, line = lines[0]
        lead = _FULL_SENTENCE.match(line.lstrip())
        text = (lead.group(0) if lead else line).strip()
        if text.count("、") >= 2:  # one paragraph of items joined by 、 (and ；)
            a = v.start + at + len(line) - len(line.lstrip())
            return [(v, (a, a + len(text), text))]
    if rest.strip():
        return []
    for w in following:  # the clauses after the announcement under its heading
        first = next(iter(sentences(w)), None)
        if first is not None:
            items.append((w, first))
    return items if len(items) >= 2 else []


def following_clauses(ctx: Context, v: View) -> list[View]:
    """The clauses right after `v` in its document that sit under the same heading (its section), in
    text order: the items of a list its last sentence announces."""
    if ctx.outline is None:
        return []
    out: list[View] = []
    for w in ctx.outline(v.policy_id):
        if w.start <= v.start or w.measure_id == v.measure_id:
            continue
        if w.section != v.section or w.kind not in ("measure", "paragraph"):
            break
        out.append(w)
        if len(out) > MAX_LIST_ITEMS:
            break
    return out


# the best retrieved clauses searched for an announced list: one further down shares only the document's
# title with the question (…申报评审…流程如下： for 推荐单位包括哪几类), not what it asks to list
ANNOUNCED_VIEWS = 5
_ASKING_WORD = re.compile(r"哪|几|什么|多少|怎么|如何")  # a question word the segmenter kept in a content word (哪几种)


def compose_announced(ctx: Context, *, genre: Genre) -> Composed | None:
    """An enumeration question answered by the sentence of a retrieved clause that announces a list
    (answer.yaml `announcement`: 以下四方面：, 申请、审核程序如下：, 有下列情形之一的…; or any sentence its
    paragraph's 一是…二是… follow: counted_items) with its items
    (`announced_items`), whatever the document calls them: the user's 环节 is the document's 程序, 情况
    its 情形. The announcement is the one whose path, sentence and items carry most of the
    question (the share of its weighted words a best-clauses answer needs, less the words naming the
    items and those no document uses, and the evidence check of any answer), and no sentence of the
    best clauses that lists items itself says more of it; the items are
    listed one a line, each cited at its opening sentence. None when no retrieved clause announces one."""
    pattern = settings_data(genre).get("announcement") or "$^"
    # what the items are called (环节, 情况, 类别, 几处) is said by the items, not by the document's word
    # for them; a word no document uses is the user's own (眼下, 碰到), not the subject's
    frame = {counted_word(ctx.linked.text), asked_head(ctx.linked.text, ctx.focus, genre=genre)}
    focus = [w for w in ctx.focus if w not in settings_data(genre)["kinds_verbs"] and w not in frame
             and not _ASKING_WORD.search(w)]
    focus = [w for w in focus if ctx.absent is None or not ctx.absent(w)] or focus
    if not focus:
        return None
    need = settings_data(genre)["fallback_min_coverage"]
    best: tuple[float, int, View, tuple[int, int, str], list[Item]] | None = None
    for rank, v in enumerate(_candidate_views(ctx, limit=ANNOUNCED_VIEWS, genre=genre)):
        if v.kind == "preamble":  # 现就有关事项通知如下： announces the whole document
            continue
        for s in sentences(v):
            if not re.search(pattern, s[2]) and not counted_items(v, s[1]):
                continue
            items = announced_items(v, s, following_clauses(ctx, v))
            if not items:
                continue
            # the document's title names the document, not the list: a list in a document about the
            # subject (…试验区建设工作指引: 应具备以下条件) is not thereby the list asked (建设方案的内容)
            where = f"{v.section}{v.label}{s[2]}" + "".join(t for _, (_, _, t) in items)
            said = coverage(focus, where, ctx.term_weight, genre=genre)
            if said >= need and ctx.covers(where, [v.measure_id]) and (best is None or said > best[0]):
                best = (said, rank, v, s, items)
    if best is None:
        return None
    _, _, v, s, items = best
    # a sentence of the best clauses that lists items itself (…包括A、B、C) and says more of the question
    # answers it better (建设方案应包括基础条件、建设思路… for 建设方案要写哪些内容, not the 申请条件 announced near it)
    lists = "|".join(f"(?:{settings_data(genre)[k]})" for k in ("enumeration_sentence", "kinds_sentence"))
    listed = [(v.measure_id, s[0], s[1]), *((w.measure_id, a, b) for w, (a, b, _) in items)]
    rival = max((coverage(focus, f"{w.section}{w.label}{t[2]}", ctx.term_weight, genre=genre)
                 for _, w, t in ranked_sentences(ctx, limit=ANNOUNCED_VIEWS, per_view=2, genre=genre)
                 if re.search(lists, t[2]) and not any(m == w.measure_id and a <= t[0] < b for m, a, b in listed)),
                default=0.0)
    if rival > best[0]:
        return None
    citer = Citer()
    shown_items, detailed = items[:MAX_LIST_ITEMS], []
    details = item_details(ctx, f"{v.policy}{v.section}{v.label}{s[2]}" + "".join(t for _, (_, _, t) in shown_items),
                           item_extents(items[: MAX_LIST_ITEMS + 1])[:MAX_LIST_ITEMS])
    lines = []
    for i, (w, span) in enumerate(shown_items):
        lines.append(f"- {shown(span[2]).strip('。；;，, ')} [{citer.cite(w, *span)}]")
        if i in details and details[i][0] != span[0]:
            n = citer.cite(w, *details[i])
            lines.append(f"  > {shown(details[i][2])} [{n}]")
            detailed.append(n)
    if len(items) > MAX_LIST_ITEMS:
        lines.append(f"- 另有 {len(items) - MAX_LIST_ITEMS} 项。")
    head = f"{_source(v, s[2])}：{shown(s[2])} [{citer.cite(v, *s)}]"
    return Composed(answer=f"文件中的相关规定：\n\n{head}\n\n" + "\n".join(lines), citations=citer.citations,
                    evidence=list(dict.fromkeys([v.measure_id, *(w.measure_id for w, _ in items)])),
                    details=tuple(detailed))


MAX_LIST_ITEMS = 12  # items of a clause's list shown; the rest are counted
ITEM_LEAD = 24  # characters: an item's opening sentence this short is its run-in title (科技引领。)
CLAUSE_NAMED = 0.6  # weighted share of the question's words a listing clause's document, path and text must say
# a paragraph opening an item: ——, （一）, 1., 一是, ①, or a run-in title of its own (应用牵引。…)
_ITEM_OPENING = re.compile(r"^\s*(?:——|—|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[一二三四五六七八九十]+是|[①-⑳])")
# a paragraph: a split clause's pieces meet at spaces (as many as the line break and indent between
# them), so two spaces, or one before an item's dash or bracketed number, end it as a line break does
_PARAGRAPH = re.compile(r"(?:[^\n ]| (?! |——|[（(][一二三四五六七八九十]+[)）]))+")
_INLINE_ITEM = re.compile(r"[一二三四五六七八九十]+是[^。；;，,]{1,16}[。；;，,]")  # 一是积极推动。二是逐步规范。


def clause_items(v: View) -> list[tuple[int, int, str]]:
    """The items a clause lists in its own text, each as its opening sentence: paragraphs that open
    with an item's number or dash (——坚持…的原则。), with a run-in title (科技引领。…), or 一是…二是…
    written in one paragraph. [] when the clause lists fewer than two."""
    inline = [(v.start + m.start(), v.start + m.end(), m.group(0)) for m in _INLINE_ITEM.finditer(v.text)]
    if len(inline) >= 2:  # numbered in words: the document's own count of its items
        return inline
    out = []
    for m in _PARAGRAPH.finditer(v.text):
        line = m.group(0)
        first = _FULL_SENTENCE.match(line.lstrip())
        lead = first.group(0).strip() if first else ""
        if not line.strip() or is_heading(v, line.strip()) or is_heading(v, lead):
            continue
        if _ITEM_OPENING.match(line) or (lead.endswith("。") and 2 < len(lead) <= ITEM_LEAD and len(line.strip()) > len(lead)):
            a = m.start() + len(line) - len(line.lstrip())
            out.append((v.start + a, v.start + a + len(lead), lead))
    return out if len(out) >= 2 else []


def compose_clause_items(ctx: Context, *, genre: Genre) -> Composed | None:
    """A question asking for a class by its head noun (基本原则有哪几条, 坚持哪些基本原则) answered by the
    retrieved clause whose title names that class and which lists it in its own paragraphs (（二）基本原则
    ——坚持…。——坚持…。): each item's opening sentence, cited. The clause must be the one the question
    means: its document, path and text say every word of the question. None otherwise."""
    head = asked_head(ctx.linked.text, ctx.focus, genre=genre)
    # the verb asking for the members (包括哪几种) is the question's, not a word the clause must write
    subject = replace(ctx, focus=[w for w in ctx.focus if w not in settings_data(genre)["kinds_verbs"]])
    if not head or not subject.focus:
        return None
    best: tuple[float, int, View, list] | None = None
    for rank, v in enumerate(_candidate_views(ctx, limit=ENUMERATION_VIEWS, genre=genre)):
        if head not in v.label:
            continue
        items = clause_items(v)
        where = f"{v.policy}{v.section}{v.label}{v.text}"
        said = coverage(subject.focus, where, ctx.term_weight, genre=genre)
        if (items and said >= CLAUSE_NAMED and says_every_word(subject, where, genre=genre)
                and (best is None or said > best[0])):
            best = (said, rank, v, items)
    if best is None:
        return None
    _, _, v, items = best
    if not says_kind_asked(ctx, v.policy + v.section + v.label + "".join(s[2] for s in items), genre=genre):
        return None
    citer = Citer()
    lines = [f"- {shown(s[2]).strip('。；;，, ')} [{citer.cite(v, *s)}]" for s in items[:MAX_LIST_ITEMS]]
    if len(items) > MAX_LIST_ITEMS:
        lines.append(f"- 另有 {len(items) - MAX_LIST_ITEMS} 项。")
    where = v.section if v.section.rsplit(" / ", 1)[-1] == v.label else " / ".join(p for p in (v.section, v.label) if p)
    return Composed(answer=f"《{v.policy}》{where}列出的各项：\n\n" + "\n".join(lines), citations=citer.citations,
                    evidence=[v.measure_id])


LIST_ITEM = "[^，,。；;：:、]{1,12}"  # one item of a 顿号 list


# any two-character word asked for by which (哪几种行为; 出几个标准 asks a number) or before the cue (解除情形
# 分别是什么): the head of the class asked, when it is one of the question's content words
_COUNTED_NOUN = re.compile(r"(?:哪些|哪几)(?:类|种|个|项|条|大)?(?P<head>[\u4e00-\u9fff]{2})"
                           r"|(?P<head_before>[\u4e00-\u9fff]{2})(?:分别|都|主要|一共|共|具体)?(?:是|有|包括)(?:什么|哪些|哪几|啥)")


def asked_head(question: str, words: set[str] | frozenset[str] | list[str] = frozenset(), *,
               genre: Genre) -> str | None:
    """The head noun of the class a question asks to list (list_cue: 遵循哪些原则 / 基本原则有哪几条 -> 原则);
    else any content word of the question (`words`) in the same place (哪几种行为 -> 行为, 解除情形分别是
    什么 -> 情形)."""
    m = re.search(settings_data(genre)["list_cue"], question)
    groups = m.groupdict() if m else {}
    head = groups.get("head") or groups.get("head_before")
    if head or not words:
        return head
    for m in _COUNTED_NOUN.finditer(question):
        word = m.group("head") or m.group("head_before")
        if any(word == w or w.endswith(word) for w in words):
            return word
    return None


# 等多种方式, 等多项工作, 等多类: "many kinds of" closing a 顿号 list before its head noun, as 等 alone does
# (in four development documents); a list sentence may also count its items (五大, 三类)
_MANY_KINDS = r"多[个类种项]"


def listing_sentence(question: str, words: set[str] | frozenset[str] | list[str] = frozenset(), *,
                     genre: Genre) -> str | None:
    """How a sentence enumerates the class a question asks for by its head noun (list_cue: 遵循哪些原则
    -> 原则): a 顿号 list right before the head (遵循统一标准、依法管理的原则; 不得用于A、B等支出; A、B等多种方式), the head
    then its list (区域包括：A、B), or the head announcing items (以下原则：, 一是…). None when the
    question names no head."""
    head = asked_head(question, words, genre=genre)
    if not head:
        return None
    # a one-character head (哪几类人) is a word of its own, not the start of a longer one (人才, 人员)
    h = re.escape(head) + (r"(?![\u4e00-\u9fff])" if len(head) == 1 else "")
    before = rf"(?:{LIST_ITEM}、)+{LIST_ITEM}(?:等)?(?:[一二两三四五六七八九十\d]+[大个类种项]|{_MANY_KINDS})?(?:的|等)?{h}(?![、和及与])"
    after = rf"{h}[^。；;]{{0,12}}?(?:包括|包含|分为|分成|划分为|有|为|是)[：:]?(?:{LIST_ITEM}、)+"
    announced = rf"(?:以下|如下|下列)[^。；;]{{0,8}}{h}[^。；;]{{0,20}}[：:]\s*$|{h}[^。；;]{{0,16}}一是"
    return f"{before}|{after}|{announced}"


def announced_list(question: str, words: set[str] | frozenset[str] | list[str] = frozenset(), *,
                   genre: Genre) -> str | None:
    """How a sentence announces the items of the class a question asks for: listed after it (下列合同
    解除情形应当在租赁合同中列明：, 有下列情形之一的，按照《…》第四十五条等规定处理：) — the genre's standard words 下列 / 以下 /
    如下 before the head noun and a colon closing the sentence —, or three or more of them in a 顿号 list
    right before it (数据形式、共享类型、更新频率等内容; 购买、改建、租赁、新建等多种方式: 等多种, 多项, 多类 and 多个
    close a list as 等 does, in four development documents). None when the question names no head."""
    head = asked_head(question, words, genre=genre)
    if not head:
        return None
    h = re.escape(head)
    return (rf"(?:以下|如下|下列)[^。；;]{{0,8}}{h}[^。；;]{{0,40}}[：:]\s*$"
            rf"|(?:{LIST_ITEM}、){{2,}}{LIST_ITEM}(?:等{_MANY_KINDS}的?|(?:等)?(?:的|等)){h}(?![、和及与])")


ENUMERATION_VIEWS = 12  # retrieved clauses searched for the sentence that lists what is asked

# a 顿号 list of at least three items (A、B、C or A、B和C), as a sentence writes the members of a class
_LISTED = re.compile(rf"(?:{LIST_ITEM}、)+{LIST_ITEM}(?:(?:和|及|以及|或)[^，,。；;：:、]{{1,12}})?")
_COUNTER_WORDS = re.compile(r"[些么样个]")  # a head cut out of 哪些人能 / 什么样 is no noun of the class



def member_head(question: str, *, genre: Genre) -> str | None:
    """The noun of the class whose members a question asks for, in whatever word the user chose
    (answer.yaml `member_head`: 什么样的单位 -> 单位, 哪几方面的条件 -> 条件, 都有啥途径 -> 途径, 重点工程分
    哪几类 -> 工程). Before the asking verb only a dictionary word that is no time, pronoun or adverb
    names the class (现在都有啥途径: 途径, not 现在; 规划里有哪些: not 划里), and a class noun of the genre right
    after the noun asked is the class (些什么融资路子: 路子, `member_kinds`). None when the question asks
    for no members."""
    from rag.tokenize import pos_tagger

    tags = pos_tagger().word_tag_tab
    no_class = tuple(settings_data(genre).get("member_head_excluded_tags") or ())
    pattern = re.compile(settings_data(genre).get("member_head") or "$^")
    for m in (pattern.match(question, i) for i in range(len(question))):
        head = (m.group("head") or m.group("head_before")) if m else None
        if not head or (not m.group("head") and (not (tag := tags.get(head)) or tag[:1] in no_class)):
            continue  # 现在都有, 划里有 (a word cut across): no class before the asking verb
        if _COUNTER_WORDS.search(head):
            return None
        following = question[m.end():m.end() + 2] if m.group("head") else ""
        return following if following != head and member_kin(following, genre=genre) else head
    return None


def member_kin(noun: str, *, genre: Genre) -> tuple[str, ...]:
    """The class nouns that name the same kind of list as `noun` (answer.yaml `member_kinds`: a user's
    途径 or 路子 is the document's 方式 or 渠道, a user's 行业 its 领域), `noun` first; () when the genre
    groups it with none."""
    for group in settings_data(genre).get("member_kinds") or ():
        if noun in group:
            return (noun, *(w for w in group if w != noun))
    return ()


_ITEM = "[^，,。；;：:、]{1,12}"
# the opening of three or more 顿号-joined items (A、B、C or A、B和C)
_THREE_ITEMS = rf"(?:(?:{_ITEM}、){{2,}}|{_ITEM}、[^，,。；;：:、和及或]{{1,12}}(?:和|及|以及|或))"
# a whole said to consist of what follows (建设方案应包括…, 平台分为…)
_WHOLE = re.compile(rf"(?P<whole>[\u4e00-\u9fff]{{3,10}}?)(?:应当|应|须|必须|主要|一般|具体)?(?:包括|包含|分为|分成)[：:]?"
                    rf"(?={_THREE_ITEMS})")


def lists_members_of(sentence: str, head: str, kin: tuple[str, ...] = ()) -> int:
    """How surely the sentence lists three or more items as members of `head`: 2 when its items are
    named by the noun (易涝区域整治工程、河道综合治理工程), 1 when the list closes on it (学历、学位、年龄
    等条件; …等七项重大非工程举措) or opens after it (单位应为…科研院所、高等学校和企业), 0 otherwise — a list
    elsewhere in the sentence is not the class asked (按规定条件取得学历、学位证书: 条件 is not what 学历
    and 学位证书 are). `kin`: other nouns of the head's kind that stand for it (member_kin: …等方式 for
    路子)."""
    nouns = tuple(dict.fromkeys((head, *kin)))
    h = "(?:" + "|".join(map(re.escape, nouns)) + ")"
    closes = (rf"{_THREE_ITEMS}{_ITEM}?[”\"」）)]?(?:等|等等)?(?:[一二两三四五六七八九十\d]+(?:大|个|类|种|项|条|方面))?"
              rf"[^、，,。；;：:]{{0,4}}?{h}")
    opens = rf"{h}[^，,。；;、]{{0,3}}?(?:包括|包含|分为|分成|有|为|是|：|:)[^。；;，,、]{{0,16}}?{_THREE_ITEMS}"
    for m in _LISTED.finditer(sentence):
        if sum(1 for i in re.split(r"、|和|及|或", m.group(0)) if i.rstrip("”\"」等").endswith(nouns)) >= 2:
            return 2
    return 1 if re.search(closes, sentence) or re.search(opens, sentence) else 0


def whole_listed(sentence: str, question: str) -> str | None:
    """The whole the sentence says consists of three or more items (建设方案应包括基础条件、建设思路、建设
    目标…) when the question writes it (…要交的建设方案，里面得写哪几块): the longest ending of the
    sentence's whole, of at least three characters, that the question contains. None otherwise."""
    for m in _WHOLE.finditer(sentence):
        whole = m.group("whole")
        for k in range(len(whole), 2, -1):
            if whole[-k:] in question:
                return whole[-k:]
    return None


def member_list(ctx: Context, whole_only: bool = False, *, genre: Genre) -> tuple[View, tuple[int, int, str]] | None:
    """The sentence of the best retrieved clauses that lists the members of the class a question asks
    for (member_head, lists_members_of), or the parts of a whole the question names (whole_listed) —
    a list sentence names its items, not the user's word for them, so the list's structure around
    the class noun is the evidence that it answers; the rest of the question (less that noun and the
    words no document uses) must be said by the sentence, its clause's path or its document's title
    (member_list_coverage), or its clause be the one nearest the question in meaning. Of several, the
    one saying most of the question, then the surer list, then the one saying it in its own words,
    then the better ranked. `whole_only`: only a sentence
    naming the question's whole. None when none does."""
    head = member_head(ctx.linked.text, genre=genre)
    if not head and not asks_enumeration(ctx.linked.text, genre=genre):
        return None
    data = settings_data(genre)
    frame = {head, counted_word(ctx.linked.text), asked_head(ctx.linked.text, ctx.focus, genre=genre)} - {None}
    subject = [w for w in ctx.focus if w not in frame and w not in data["kinds_verbs"]
               and not _ASKING_WORD.search(w) and not any(f in w for f in frame)]
    subject = [w for w in subject if ctx.absent is None or not ctx.absent(w)]
    if not subject:
        return None
    best: tuple[tuple[float, int, float, int], View, tuple[int, int, str]] | None = None
    views = _candidate_views(ctx, limit=ENUMERATION_VIEWS, genre=genre)
    # the clause nearest the question in meaning says it in its own words (对外资放开 -> 对外开放): a list
    # of the asked class there needs none of the user's words
    closest = closest_in_meaning(ctx, views, genre=genre) if head and not whole_only else set()
    for rank, v in enumerate(views):
        for s in sentences(v):
            named = 1 if whole_listed(s[2], ctx.linked.text) else 0
            if head and not whole_only:
                named = max(named, lists_members_of(s[2], head, member_kin(head, genre=genre)))
            if not named:
                continue
            said = coverage(subject, f"{v.policy}{v.section}{v.label}{s[2]}", ctx.term_weight, genre=genre)
            if v.measure_id in closest:
                said = max(said, data["member_list_coverage"])
            if said < data["member_list_coverage"]:
                continue
            key = (said, named, coverage(subject, s[2], ctx.term_weight, genre=genre), -rank)
            if best is None or key > best[0]:
                best = (key, v, s)
    return (best[1], best[2]) if best is not None else None


def compose_member_list(ctx: Context, whole_only: bool = False, *, genre: Genre) -> Composed | None:
    """The sentence listing what a question asks the members of (member_list) as the answer, when the
    evidence check of any answer passes on it, its clause's path and its document's title. With
    `whole_only` ("建设方案里面得写哪几块"): the sentence saying what the whole the question names consists
    of (建设方案应包括…、…、…), before a list another clause announces (应具备以下条件：) that does not name
    it. None when no retrieved sentence lists them."""
    found = member_list(ctx, whole_only=whole_only, genre=genre)
    if found is None:
        return None
    v, s = found
    if not ctx.covers(f"{v.policy}{v.section}{v.label}{s[2]}", [v.measure_id]):
        return None
    citer = Citer()
    n = citer.cite(v, *s)
    return Composed(answer=f"文件中的相关规定：\n\n- {_source(v, s[2])}：{shown(s[2])} [{n}]",
                    citations=citer.citations, evidence=[v.measure_id])


def with_member_list(ctx: Context, composed: Composed, *, genre: Genre) -> Composed:
    """A general answer to a question asking for the members of a class, with the sentence that lists
    them (member_list) quoted first when none of its quotes holds it: the sentences a general answer
    picks share the question's words, and a list shares few of them."""
    if composed.abstained:
        return composed
    found = member_list(ctx, genre=genre)
    if found is None:
        return composed
    v, s = found
    if any(c.policy_id == v.policy_id and c.start <= s[0] and s[1] <= c.end for c in composed.citations):
        return composed
    citer = Citer(list(composed.citations))
    n = citer.cite(v, *s)
    head, _, rest = composed.answer.partition("\n\n")
    line = f"- {_source(v, s[2])}：{shown(s[2])} [{n}]"
    answer = f"{head}\n\n{line}\n{rest}" if rest else f"文件中的相关规定：\n\n{line}"
    return replace(composed, answer=answer, citations=citer.citations,
                   evidence=list(dict.fromkeys([v.measure_id, *composed.evidence])))


def with_window(ctx: Context, composed: Composed, *, genre: Genre) -> Composed:
    """A question that asks whether one can still apply ("现在还能申请吗") answered by another path
    (support, general) also gets the sentence that states the window's end date, and whether it has
    passed: the offer alone does not say whether it is still open."""
    citer = Citer(list(composed.citations))
    still = bool(re.search(settings_data(genre).get("still_asked") or "$^", ctx.linked.text))
    lines = clause_term_lines(ctx, citer, composed, genre=genre) if still else []
    lines = lines or window_lines(ctx, citer, dated=True, genre=genre)
    if not lines and still:
        lines = document_term_lines(ctx, citer, composed, genre=genre)
    if not lines:
        return composed
    lines[0] = "期限："
    composed.answer = composed.answer.rstrip() + "\n\n" + "\n".join(lines).strip()
    composed.citations = citer.citations
    return composed


def clause_term_lines(ctx: Context, citer: Citer, composed: Composed, today: dt.date | None = None, *,
                      genre: Genre) -> list[str]:
    """"现在还能申请吗" of an offer: the term the answered clause states in any of its sentences or
    indexed pieces (a table's 时间/频度 row: 从2019年6月1日起至2025年12月31日, 从2022年9月起，有效期三年),
    quoted and judged against today's date — not the date of another retrieved clause, and not only
    the sentence quoted for the offer. [] when the clause states none."""
    spec = settings_data(genre).get("clause_time") or {}
    measure = _answered_measure(composed)
    view = ctx.views.get(measure)
    if view is None or not spec.get("end"):
        return []
    pieces = (ctx.pieces(measure) if ctx.pieces is not None else []) or [view]
    said = [(v, s) for v in pieces for s in sentences(v) if re.search(spec["end"], s[2])]
    if not said:
        return []
    v, s = said[0]
    line = f"- {source_label(v, s[2])}：{shown(s[2])} [{citer.cite(v, *s)}]"
    return ["期限：", line, *_judged_end(s[2], today or dt.date.today(), genre), ""]


def document_term_lines(ctx: Context, citer: Citer, composed: Composed, *, genre: Genre) -> list[str]:
    """"现在还能申请吗" of an offer whose clause states no term of its own: the validity its document
    states for itself (自发布之日起施行，暂定三年有效期), quoted, reckoned and judged against today's date
    as a validity question about the document is. [] when the document states none either. Of the
    documents the answer cites, the one whose title the question names (柳河县的旅游业奖励政策: the
    tourism document, even when a clause of another document that mentions tourism is quoted first),
    else the first quoted clause's."""
    from rag.docfacts import named_document

    view = ctx.views.get(_answered_measure(composed))
    cited = list(dict.fromkeys(c.policy_id for c in composed.citations if c.policy_id))
    spec = settings_data(genre).get("clause_time") or {}
    named = named_document([w for w in ctx.focus if w not in (spec.get("asking_words") or [])],
                           [p for pid in cited for p in ctx.policies if p.get("id") == pid], ctx.term_weight,
                           genre=genre)
    policy = named or next((p for p in ctx.policies if view is not None and p.get("id") == view.policy_id), None)
    if policy is None:
        return []
    before = len(citer.citations)
    lines = _asked_metadata(ctx, citer, policy, ["validity"], genre=genre)
    if len(citer.citations) == before:  # nothing quoted: the document states no term either
        return []
    return ["期限：", "相关条款本身未写明期限，按其所在文件的规定：", *lines, ""]


def _answered_measure(composed: Composed) -> str:
    """The clause an answer quotes first (its offer or rule)."""
    return next((c.measure_id for c in composed.citations if c.measure_id), "")


def compose_best_clauses(ctx: Context, *, genre: Genre) -> Composed | None:
    """The sentences of the best retrieved clauses that carry the question's words, when the evidence
    is strong enough: enough of the question's weighted content words, or a clause the dense signal
    finds close in meaning; never when the question's subject is a word no document uses."""
    data = settings_data(genre)
    picks, strong = near_picks(ranked_sentences(ctx, per_view=1, genre=genre)[:3], genre=genre)
    picks = narrowed_beside(ctx, picks, strong, genre=genre)
    if not picks:
        return None
    picks = with_listed(picks)
    ids = [v.measure_id for _, v, _ in picks]
    evidence = ctx.unnamed("".join(v.title + s[2] for _, v, s in picks))
    close = ctx.meaning_close(ids) or strong_evidence(ctx, genre=genre)
    if ctx.absent is not None and not close and not ctx.meaning_close(ids, data.get("absent_dense_close")):
        missing = [t for t in ctx.nouns if ctx.absent(t) and coverage([t], evidence, genre=genre) < 0.5
                   and not ctx.worded_otherwise(t) and t not in ctx.situation_words]
        if missing and ctx.absent_share(missing) >= data["absent_share_refuse"]:
            return None
    need = data["fallback_min_coverage"] - (data["agreement_relief"] if any(map(ctx.agreed, ids)) else 0.0)
    said = coverage(ctx.sayable if any(map(ctx.agreed, ids)) else ctx.focus, evidence, ctx.term_weight, genre=genre)
    if not close and said < need:
        return None
    citer, lines = Citer(), []
    for _, v, s in whole_clauses(ctx, picks):
        n = citer.cite(v, *s)
        lines.append(f"- {_source(v, s[2])}：{shown(s[2])} [{n}]")
    return Composed(answer="文件中与问题最相关的条款：\n\n" + "\n".join(lines), citations=citer.citations,
                    evidence=ids)


def strong_evidence(ctx: Context, *, genre: Genre) -> bool:
    """BM25 and the dense signal agree on the best clause (both rank it first or second), and the
    three best clauses together say most of the question's weighted content words (answer.yaml
    `strong_coverage`): a question worded in everyday words is answered from them even though one of
    its words is in no document."""
    if not ctx.fused or not ctx.agreed(ctx.fused[0].measure_id):
        return False
    views = _candidate_views(ctx, limit=3, genre=genre)
    text = ctx.unnamed("".join(v.title + v.text for v in views))
    return bool(views) and coverage(ctx.focus, text, ctx.term_weight, genre=genre) >= settings_data(genre)["strong_coverage"]


def asks_basis(ctx: Context, *, genre: Genre) -> bool:
    """The question asks why or on what basis a document was issued."""
    data, text = settings_data(genre), ctx.linked.text
    about_document = bool(ctx.linked.of("policy")) or bool(re.search(data["basis_document"], text))
    return ctx.intent.name in ("metadata", "general") and about_document and bool(re.search(data["basis_cue"], text))


def asked_unit(question: str, *, genre: Genre) -> str | None:
    """The unit an amount is asked in ("多少万元" -> 万元), when the question names one."""
    units = "|".join(map(re.escape, settings_data(genre).get("amount_units") or []))
    m = re.search(rf"(?:多少|几|具体|金额|数额)[^，。？?]{{0,4}}?({units})", question)
    return m.group(1) if m else None


def check_requirements(ctx: Context, composed: Composed, *, genre: Genre) -> Composed:
    """What the question pins down must be in the quoted text: a year it names (for targets and
    general questions) and the unit of an amount it asks for. Otherwise abstain, keeping the quotes
    so the reader sees what the documents do say."""
    if composed.abstained:
        return composed
    named = {p.get("id"): p.get("title") or "" for p in ctx.policies}
    titles = [c.title or "" for c in composed.citations] + [named.get(lk.value, "") for lk in ctx.linked.of("policy")]
    if (asked := other_edition(ctx.linked.text, titles)) is not None:  # cited, or the document the answer is about
        return refused_with_quotes(composed, f"语料中没有问题所说的{asked}这一版本的文件；所引文件是其他年度的版本。")
    if (period := later_period(ctx.linked.text, titles)) is not None:
        return refused_with_quotes(composed, f"语料中没有问题所说的“{period}”时期的规划；所引文件是此前时期的。")
    if ctx.intent.name in FIGURE_CHECKED_INTENTS and (unstated := unstated_fact(ctx, composed, genre=genre)) is not None:
        return unstated
    if ctx.intent.name in ("metadata", "departments", "duties"):
        return composed
    quoted = "".join(c.quote for c in composed.citations).replace(" ", "")
    # a year is stated by a quote, or by a cited document whose title or 文号 names it (document_names_year:
    # “十三五”规划 for 2020, 国务院2015年的电商意见 for 国发〔2015〕24号); a year a later question of the message
    # names (…2019年底的要求是多少？包头2022年的呢？) is that question's, stated by its own answer below
    first = first_question_end(ctx.linked.text)
    years = [y for y in dict.fromkeys(lk.value for lk in ctx.linked.of("year") if lk.start < first)
             if y not in quoted and not (y.isdigit() and year_written(int(y), quoted))
             and not any(document_names_year(y, c.title or "", c.doc_no) for c in composed.citations)]
    unit = asked_unit(ctx.linked.text, genre=genre)
    if years:
        reason = f"所引文件没有提出 {'、'.join(years)} 年的相关内容。"
    elif unit and unit not in quoted:
        reason = f"所引条款没有写明以“{unit}”计的具体数额。"
    else:
        return composed
    return refused_with_quotes(composed, reason)


def refused_with_quotes(composed: Composed, reason: str) -> Composed:
    """A refusal that keeps the answer's quotes below it, so the reader sees what the documents do say."""
    text = f"**未能在语料中找到依据。** {reason}\n\n以下是检索到的最相关条款，供参考：\n\n{composed.answer}"
    return Composed(answer=text, citations=composed.citations, abstained=True, evidence=composed.evidence)


FIGURE_CHECKED_INTENTS = ("general", "support", "targets")  # metadata: its clause answers, in compose_metadata


def asks_figure(kind: dict, question: str) -> bool:
    """The question asks for the figure of this kind itself (asked_facts `unstated_cue`), which an
    answer must then state: 补贴多少钱 does, 给不给钱 does not; 比例是多少 does, 比例有没有放宽 does not."""
    return bool(kind.get("unstated") and re.search(kind.get("unstated_cue") or kind["cue"], question))


def unstated_fact(ctx: Context, composed: Composed, *, genre: Genre) -> Composed | None:
    """An abstention, quotes kept, when the question asks only facts an answer must state (Context.
    unstated_asks: 几个工作日办结, 补贴多少钱, 占多大比例, 多少岁) and no quote of the answer states
    any of them: a clause about the same matter that names no time, amount or figure does not answer
    it. None otherwise, also when the question asks another kind of fact in another clause (能不能…,
    and the how of 怎么申请 asks no kind and leaves the check on). Only answers from clauses are
    checked: an answer from the document's own dates (compose_metadata_facts) says itself what the
    document does not write, so a metadata question's clause answers are checked where
    compose_metadata makes them (clause_answer), not in check_requirements."""
    kinds = ctx.unstated_asks
    if not kinds or composed.abstained or not composed.citations:
        return None
    if any(states_kind(k, c.quote, genre=genre) for k in kinds for c in composed.citations):
        return None
    return refused_with_quotes(composed, f"所引条款没有写明所问的{kinds[0]['unstated']}。")


_EDITION = re.compile(r"(?<![到至])((?:19|20)\d{2})年度?的?([\u4e00-\u9fff]{2})")


def other_edition(question: str, titles: list[str]) -> str | None:
    """The year of a document's edition the question names ("2019年度的项目申报指南") when the cited
    documents whose titles write a year before the same words ("2018年度项目申报指南") are all of
    other years: an annual guide, plan or assessment of one year does not answer for another year's.
    None when no cited title is such an edition, or one is of a year the question names; a target
    year (到2025年) names no edition."""
    years = set(re.findall(r"(?:19|20)\d{2}(?=年)", question))
    # 年度 marks an annual edition wherever the title writes it (“智能机器人”等重点专项2018年度项目申报指南
    # for a question on 2019年度“智能机器人”重点专项)
    annual = [t for t in titles if re.search(r"(?:19|20)\d{2}年度", t)]
    for year in re.findall(r"((?:19|20)\d{2})年度", question):
        if annual and not any(f"{y}年度" in t for t in annual for y in years):
            return f"{year}年"
    for m in _EDITION.finditer(question):
        year, words = m.groups()
        editions = [t for t in titles if re.search(rf"(?:19|20)\d{{2}}年度?的?{words}", t)]
        if editions and not any(f"{y}年" in t for t in editions for y in years):
            return f"{year}年"
    return None


# a five-year plan's period, as a title writes it (第十三个五年规划) or as people say it (“十四五”规划, 十四五期间)
_PLAN_PERIOD = re.compile(r"第(十[一二三四五六七八九]?)个五年|(十[一二三四五六七八九]?)五(?:[”\"]|(?=规划|期间|时期|纲要|末|初))")


def _periods(text: str) -> dict[int, str]:
    """The five-year plan periods a text names, by number, as written (十三五 -> {13: 十三})."""
    return {numeral_value(n): n for m in _PLAN_PERIOD.finditer(text) for n in [m.group(1) or m.group(2)]}


def later_period(question: str, titles: list[str]) -> str | None:
    """The five-year plan period the question names ("十四五"规划纲要) when every cited document is a plan of
    an earlier one (第十三个五年规划纲要): an earlier plan cannot state a later period's goals, though a
    later plan reviews the earlier period (a 十四五 plan answers what was done in the 十三五). None when a
    cited title names no period or the asked one or a later one."""
    asked = _periods(question)
    named = [_periods(t) for t in dict.fromkeys(t for t in titles if t)]
    if not asked or not named or not all(named) or max(map(max, named)) >= max(asked):
        return None
    return f"{asked[max(asked)]}五"


def numbers_quoted(value: str, quote: str) -> bool:
    """Every number of a stated value is written in the quote that cites it ("2024-12-31" read
    from "2024年底前" is not: its 12 and 31 are inferred, so the quote's own words must do)."""
    written = set(re.findall(r"\d+(?:\.\d+)?", quote.replace(" ", "")))
    return all(n in written for n in re.findall(r"\d+(?:\.\d+)?", value))


def relevance(ctx: Context, text: str, *, genre: Genre) -> float:
    """How well a text answers the question's content words: shared bigrams, plus the rarity-weighted
    share of content words it contains (colloquial words matched through their policy wordings)."""
    if not ctx.focus:
        return 0.0
    return 0.5 * overlap(focus_text(ctx), text) + coverage(ctx.focus, text, ctx.term_weight, genre=genre)


def focus_text(ctx: Context) -> str:
    return "".join(ctx.focus)


COVERAGE_TITLES = 8  # a refusal lists the corpus's titles up to this many documents, its places beyond


def coverage_note(policies: list[dict]) -> str:
    """What the corpus covers: its places and, for a small corpus, its policy titles (without 文号 or
    periods, so that an abstention states no number). A corpus of more than COVERAGE_TITLES documents is
    summed up by its places: a refusal that lists dozens of titles buries its one sentence of reason,
    and the policy browser lists them all."""
    by_city: dict[str, list[str]] = {}
    for p in policies:
        title = re.sub(r"[（(][^）)]*[）)]", "", p.get("title") or p.get("id") or "").strip()
        by_city.setdefault(p.get("city") or "其他", []).append(f"《{title}》")
    if not by_city:
        return "语料库目前为空。"
    if len(policies) > COVERAGE_TITLES:
        return "现有语料涵盖 " + "、".join(by_city) + " 的政策文件（完整的文件列表见“政策浏览”页）。"
    parts = [f"{city}：{'、'.join(titles)}" for city, titles in by_city.items()]
    return "现有语料涵盖 " + "、".join(by_city) + " 的政策文件——" + "；".join(parts) + "。"


def abstain(ctx: Context, reason: str, citer: Citer | None = None, extra: str = "") -> Composed:
    text = f"**未能在语料中找到依据。** {reason}\n\n{coverage_note(ctx.policies)}"
    if extra:
        text += f"\n\n{extra}"
    citer = citer or Citer()
    return Composed(answer=text, citations=citer.citations, abstained=True)


def _candidate_views(ctx: Context, limit: int = 5, *, genre: Genre) -> list[View]:
    """Fused hits as views, best first, restricted to the linked cities when any: their own
    documents, those of their province and the national ones (the documents that apply there, as
    retrieval searched them), and documents whose place is unknown (nothing says they are about
    another place)."""
    cities = set(scope_of(list(ctx.linked.cities), ctx.places, genre=genre))
    out, seen = [], set()
    for h in ctx.fused:
        v = ctx.views.get(h.measure_id)
        if v is None or v.measure_id in seen or (cities and v.city and v.city not in cities):
            continue
        seen.add(v.measure_id)
        out.append(v)
        if len(out) >= limit:
            break
    return out


def source_label(view: View, quote: str = "") -> str:
    """《title》（文号）clause — how an answer names where a quote comes from."""
    return _source(view, quote)


def _source(view: View, quote: str = "") -> str:
    """《title》（文号）and the clause's number and title; the title is left out when the quote that
    follows begins with it (a run-in title is the clause's first sentence: said once, not twice)."""
    doc = f"（{view.doc_no}）" if view.doc_no else ""
    label = view.label
    bare = re.sub(r"\s", "", _NUMBER_PREFIX.sub("", quote))
    if view.title and quote and bare.startswith(re.sub(r"\s", "", view.title)[:12]):
        number = view.number.strip()
        label = "" if quote.lstrip().startswith(number) else number  # the quote writes its number too
    return f"《{view.policy}》{doc}{label}"


# departments ---------------------------------------------------------------------------------------


def target_measures(ctx: Context, *, genre: Genre) -> list[View]:
    """The measure(s) the question is about: linked titles first, else the best fused hit if relevant."""
    candidates = _candidate_views(ctx, limit=8, genre=genre)
    linked = linked_measures(ctx.linked, set(ctx.linked.cities))
    if linked:
        top = max(lk.score for lk in linked)
        views = [ctx.views[lk.value] for lk in linked if lk.score >= top - 1e-9 and lk.value in ctx.views]
        if views and not _outworded(ctx, views, candidates[:3], genre=genre):
            return views
    # numbered measures carry 责任单位 blocks; goals, preambles and closing provisions only count
    # when their own text names a department acting ("市经济信息化委会同相关部门推进…")
    # the first of the best three that covers the question: a closing clause that names actors
    # often ranks first on shared words without being about the asked task
    # a task's own opening (4.推行…改革。（A牵头，B等按职责分工负责）主要措施：) is an intro above its sub-items
    # and carries the task's block: it answers for the task as a whole
    # so does a 组织保障 or closing paragraph whose own text assigns the work (科技部…统筹…，会同有关部门…;
    # 省经济和信息化厅会同省财政厅等单位制定具体实施细则)
    views = [v for v in candidates
             if v.kind == "measure" or (v.kind in ASSIGNING_KINDS and _assigned(ctx, v, genre=genre))
             or departments_in_prose(ctx, v, genre=genre)]
    # a clause that says every content word of the question outranks clauses the signals rank higher
    # on related words (算力券归谁管: the clause naming 算力券, not the one about 算力 in general)
    # (or nearly every word, when no other clause says as many and the first says clearly fewer: 失信联合惩戒机制
    # said in a clause of nine tasks)
    # (the words of a document the question names — 公共数据管理办法里，教育数据由哪些部门负责 — are said by
    # every clause of it: what it asks of that document is the rest)
    asked = unnamed_focus(ctx)
    said = {v.measure_id: coverage(asked, v.title + v.text, genre=genre) for v in views} if asked else {}
    best = max(said.values(), default=0.0)
    first = said.get(views[0].measure_id, 0.0) if views else 0.0
    whole = [v for v in views if said.get(v.measure_id, 0.0) >= min(1.0, max(0.8, best, first + 0.2))]
    for v in [*whole[:1], *views[:3]]:
        if not ctx.focus or ctx.covers(v.title + v.text, [v.measure_id]):
            return [v]
    return []


def unnamed_focus(ctx: Context) -> list[str]:
    """The question's content words less those inside the name of a document it writes out; all of them
    when the name is all it says. (A document linked from a few words of it — 工业互联网发展年度报告 —
    is not written out: those words are the question's own.)"""
    names = [lk.mention for lk in ctx.linked.of("policy") if lk.mention and lk.mention in ctx.linked.text]
    return [w for w in ctx.focus if not any(w in n for n in names)] or list(ctx.focus)


def _outworded(ctx: Context, named: list[View], found: list[View], *, genre: Genre) -> bool:
    """A measure title the question contains (电子商务) names a clause that says few of its words, while
    a retrieved clause (of `found`, the best retrieved) says nearly all of them (电子商务领域失信联合惩戒
    机制由哪些部门负责建立): the title is a word of the question, not its subject."""
    if not ctx.focus:
        return False
    said = max(coverage(ctx.focus, v.title + v.text, genre=genre) for v in named)
    if said >= 0.5:
        return False
    return any(coverage(ctx.focus, v.title + v.text, genre=genre) >= max(0.8, said + 0.3) for v in found)


ASSIGNING_KINDS = ("intro", "safeguard", "closing")  # clauses that answer "who" only when they assign work


def _assigned(ctx: Context, v: View, *, genre: Genre) -> bool:
    """The graph has departments of the clause and its own text names them (a block or a sentence)."""
    rows = (ctx.graph.departments.get(v.measure_id) if ctx.graph else None) or []
    return bool(rows) and department_quote(v, rows, genre=genre) is not None


def compose_departments(ctx: Context, *, genre: Genre) -> Composed:
    action = asked_action(ctx.linked.text, genre=genre)
    if action and (acting := compose_action_agent(ctx, action, genre=genre)) is not None:
        return acting
    views = target_measures(ctx, genre=genre)
    if not views:
        written = _written_agent_before_refusing(ctx, [], genre=genre)
        return written if written is not None else abstain(ctx, "没有找到与问题对应的措施条款，因而无法确定责任单位。")
    citer, lines, names, missing = Citer(), [], [], []
    for v in views:
        rows = (ctx.graph.departments.get(v.measure_id) if ctx.graph else None) or []
        block = responsibility_quote(v, rows=rows, genre=genre)
        named = None
        own = [r for r in rows if _evidence_inside(v, r)]  # a sub-item's bodies may come from its task's block
        if own and not block and (after := bracket_after(v, v.start, v.start + len(v.text), own, ctx.focus, last=False)):
            named, rows = after  # the asked task's sentence and the bracket after it, which names its bodies
            n = citer.cite(v, *named)
        elif own and not block and (named := naming_sentence(v, own, focus_text(ctx), ctx.linked.text)):
            if (itemised := agent_over_named(ctx, v, named[0], genre=genre)) is not None:
                return itemised  # another item of the clause says the asked thing and names its own bodies
            sentence, rows = named  # no 责任单位 block: the sentence that names them, and only those it names
            rows = in_text_order(rows, sentence[2])
            # a list asked of what the body does (有哪些情形会被…责令整改): the sentence announcing it with its items
            n = citer.cite(v, *(with_items(v, sentence) if asks_enumeration(ctx.linked.text, genre=genre) else sentence))
        elif rows and not block and (elsewhere := sentence_elsewhere(ctx, v, rows)):
            where, sentence = elsewhere  # the task is assigned in another clause (组织实施: X负责推进<task>)
            named, rows = sentence, in_text_order(rows, sentence[2])
            n = citer.cite(where, *sentence)
        if rows:
            rows = in_text_order(rows, block[2] if block else v.text)
            n = citer.cite(v, *block) if block else n if named else _cite_first(citer, v, ctx)
            who = _department_phrase(rows)
            asked = _asked_roles(ctx.question, rows, genre=genre)  # "谁牵头" asks for the lead, not everyone
            names.extend(r["name"] for r in asked if r["name"] not in names)
            lines.append(f"- **{v.label}**（{_source_short(v)}）的责任单位：{who} [{n}]")
        elif block and not ctx.graph_available:
            n = citer.cite(v, *block)
            lines.append(f"- **{v.label}**（{_source_short(v)}）原文责任单位：{block[2]} [{n}]")
        elif block and (written := block_bodies(v, genre=genre)):
            # a block naming bodies the graph knows no department of (省推进工业互联网创新发展专项工作组): as written
            n = citer.cite(v, *block)
            names.extend(w for w in written if w not in names)
            lines.append(f"- **{v.label}**（{_source_short(v)}）的责任单位（按原文）：{'、'.join(written)} [{n}]")
        elif prose := departments_in_prose(ctx, v, genre=genre):
            for sentence, depts in prose:
                n = citer.cite(v, *sentence)
                names.extend(d["name"] for d in depts if d["name"] not in names)
                lines.append(f"- **{v.label or v.section or '条文'}**（{_source_short(v)}）未设责任单位栏，正文写明："
                             f"{'、'.join(d['name'] for d in depts)} [{n}]")
        else:
            n = _cite_first(citer, v, ctx)
            missing.append(v)
            lines.append(f"- **{v.label}**（{_source_short(v)}）：该文件未列明这一措施的责任单位 [{n}]。")
    if not names and missing and ctx.graph_available:
        written = _written_agent_before_refusing(ctx, missing, genre=genre)
        if written is not None:
            return written
        text = ("**该措施在文件中没有列明责任单位，语料无法确定由哪个部门负责。**\n\n" + "\n".join(lines)
                + f"\n\n{coverage_note(ctx.policies)}")
        return Composed(answer=text, citations=citer.citations, abstained=True,
                        evidence=[v.measure_id for v in views])
    head = "根据文件原文，责任单位如下：" if names else "根据文件原文："
    quotes = "\n".join(f"> {c.quote} [{i}]" for i, c in enumerate(citer.citations, 1))
    text = f"{head}\n\n" + "\n".join(lines) + f"\n\n{quotes}"
    if not ctx.graph_available:
        text += "\n\n（图谱暂不可用：责任单位按原文列出，未做规范名称解析。）"
    return Composed(answer=text, citations=citer.citations, departments=names,
                    evidence=[v.measure_id for v in views])


_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+条\s*")
AGENT_VIEWS = 8  # retrieved clauses searched for a sentence naming who does or bears the asked thing
_ASKED_VERB = re.compile(r"谁(?:来)?(?:具体|主要|统一|负责)?(承担|监管|统筹|牵头|主管|负责|制定|审核|组织|管理|落实|发放|支付)")
_WHO = re.compile(r"谁|哪[个些家一]?[^，。？?]{0,3}(?:部门|单位|机构|机关)")


@derived
def _agent_shapes(genre: Genre) -> tuple[list[re.Pattern], re.Pattern]:
    data = settings_data(genre)
    return [re.compile(p) for p in data.get("agent_sentence") or []], re.compile(data.get("agent_head") or "$^")


@derived
def _name_goes_on(genre: Genre) -> re.Pattern:
    return re.compile(settings_data(genre).get("agent_name_goes_on") or "$^")


@dataclass(frozen=True)
class WrittenAgent:
    """A body a sentence names in running text: who does or bears something (由X承担, X负责), whom a party
    turns to (向X投诉) or who approves (报X批准). `to` is the preposition the sentence puts before the
    body (向, 报), empty for the doer; `own` is the body's own ；-clause."""

    sentence: tuple[int, int, str]
    agent: str
    does: str
    own: str
    to: str = ""
    lead: tuple[int, int, str] | None = None  # the sentence announcing the list this item belongs to

    def said(self, names: str) -> str:
        """How the answer says it: 由X承担 for a doer, 向X投诉 / 报X批准 as the sentence writes it."""
        return f"{self.to or '由'}**{names}**{self.does}"


_CLOSING_BRACKET = re.compile(r"（[^（）]*）$")


def _named(m: re.Match) -> str:
    """The agent whose ending must be a body's: of the body a party turns to, a closing bracketed
    qualifier aside (向户籍所在地街道办事处（镇人民政府）申报)."""
    agent = m.group("agent").strip()
    return _CLOSING_BRACKET.sub("", agent) if m.groupdict().get("to") else agent


def written_agents(view: View, *, genre: Genre) -> list[WrittenAgent]:
    """The view's sentences that name a body in running text, the agent as written; it must end like a
    body or a party, a closing bracketed qualifier aside (街道办事处（镇人民政府）). A sentence dividing a
    task among bodies, one per ；-clause (民政部门负责审查核实…经济状况；住房保障部门负责审查核实其住房
    困难状况), gives each of them with the clause it does."""
    shapes, head = _agent_shapes(genre)
    out, lister = [], None
    for sent in sentences(view):
        if lister and _ITEM_START.match(sent[2]):
            out.append(WrittenAgent(sent, lister.agent, _DUTY_OF_LIST, sent[2], lead=lister.sentence))
            continue
        lister = None
        if (agent := listed_duties(sent[2], genre=genre)) and head.search(agent):
            lister = WrittenAgent(sent, agent, _DUTY_OF_LIST, sent[2])  # its items follow: each is its task
            out.append(lister)
            continue
        for piece in re.split(r"(?<=[；;])", sent[2]):
            for shape in shapes:
                found = [m for m in shape.finditer(piece)
                         if head.search(_named(m)) and not cut_name(piece, m, genre=genre)]
                # a task divided by commas (县商务局负责新建…项目相关工作，县工信局负责技改…项目相关工作):
                # each body with its own part, up to the next body's (one body: the whole piece)
                bounds = [0, *(m.start() for m in found[1:]), len(piece)]
                for i, m in enumerate(found):
                    agent = _ARTICLE.sub("", m.group("agent")).strip()  # 第二条　X负责…: the article's number is no name
                    groups = m.groupdict()
                    own = piece[bounds[i]:bounds[i + 1]]
                    out.append(WrittenAgent(sent, agent, groups.get("verb") or "负责", own, groups.get("to") or ""))
                if found:
                    break
    return out


def cut_name(piece: str, m: re.Match, *, genre: Genre) -> bool:
    """The agent found ends where a body's name goes on (answer.yaml `agent_name_goes_on`): the place is
    part of the body's name (临港新片区管理委员会…统筹管理), not the doer itself; the whole name is matched, or none."""
    return bool(_name_goes_on(genre).match(piece, m.end("agent")))


_DUTY_OF_LIST = "负责"  # what a body announcing a list of its duties does in each item


def listed_duties(sentence: str, *, genre: Genre) -> str | None:
    """The body a sentence announces a list of duties of (管委会依照本办法履行以下职责：; X作为公共数据主管部门，
    负责下列工作：), as written; the items that follow are its tasks, though none names it again."""
    m = re.search(settings_data(genre).get("duty_list") or "$^", _ARTICLE.sub("", sentence))
    return m.group("agent").strip() if m else None


def agent_sentences(view: View, *, genre: Genre) -> list[tuple[tuple[int, int, str], str, str, str]]:
    """The view's sentences that name who does or bears something in running text (…费用由X承担,
    由X牵头制定…, X负责…的监管), as (sentence, agent as written, verb, own ；-clause): the doers, not the
    bodies a party turns to."""
    return [(w.sentence, w.agent, w.does, w.own) for w in written_agents(view, genre=genre) if not w.to]


def agent_names(agent: str, *, genre: Genre) -> list[str]:
    """The bodies an agent phrase names: 市住建局、市财政局 -> two; 所有权人或者其委托的运营单位 stays one
    (a choice between parties is one answer, as written)."""
    _, head = _agent_shapes(genre)
    parts = [p.strip() for p in re.split(r"[、，,]|和|及|以及", agent) if p.strip()]
    return parts if len(parts) > 1 and all(head.search(p) for p in parts) else [agent]


def asked_action(question: str, *, genre: Genre) -> str | None:
    """The particular act a who-question asks about (由哪个部门审查核实, 由谁认定, 谁负责统筹), written after
    its 谁 / 哪个部门; None for who is responsible at all (负责, 管, 牵头), which blocks answer."""
    who = _WHO.search(question)
    if who is None:
        return None
    # the act named in full before one said by its single character (来定编制要求: 编制, not 定)
    found = [m.group(0) for m in re.finditer(settings_data(genre).get("asked_action") or "$^", question[who.end():])]
    return max(found, key=len) if found else None


def compose_action_agent(ctx: Context, action: str, *, genre: Genre) -> Composed | None:
    """"收入财产状况由哪个部门审查核实": the retrieved sentence naming a body that does that act
    (民政部门负责审查核实…经济状况; 经市级产业主管部门认定后), when one carries the question's subject —
    a definitional clause of a regulation answers before a block of a neighbouring article whose task
    merely shares the question's words."""
    return compose_written_agent(ctx, [], action=action, genre=genre)


def _written_agent_before_refusing(ctx: Context, first: list[View], *, genre: Genre) -> Composed | None:
    """The sentence naming who does the asked thing; failing that, as the last resort before a refusal,
    the body a party turns to or that approves, or a sentence of a clause the signals agree on."""
    written = compose_written_agent(ctx, first, genre=genre)
    if written is None and ctx.outline is not None:
        # the document's own provisions on who carries it out (三、组织保障: …县工信局负责技改重点产业项目
        # 相关工作), which retrieval of the question's words seldom finds: of the clause asked of, else of
        # the best one; judged on the words some clause could say (the clause was found already, and
        # 老厂子 is the asker's word for it, which no provision writes)
        asked = first or _candidate_views(ctx, limit=1, genre=genre)
        assigning = [v for pid in dict.fromkeys(v.policy_id for v in asked) for v in ctx.outline(pid)
                     if v.kind in ASSIGNING_KINDS]
        if assigning:
            written = compose_written_agent(ctx, [*asked, *assigning], words=ctx.sayable, genre=genre)
    return written if written is not None else compose_written_agent(ctx, first, last_resort=True, genre=genre)


def compose_written_agent(ctx: Context, first: list[View], action: str | None = None, *,
                          last_resort: bool = False, words: list[str] | None = None,
                          genre: Genre) -> Composed | None:
    """Who is responsible, from the sentence that says it in running text when no 责任单位 block or
    graph fact names anyone: the asked clause's own sentences first, then the best retrieved clauses'.
    The sentence must carry the question's subject (the share a fallback answer needs) and is quoted;
    the answer names the agent as the document writes it. None when no such sentence is found.

    Asked a particular `action` (由谁审定), the body the clause reports to for that act (报X审定) does it
    and answers like a doer. As the `last_resort` of a question that would otherwise be refused, the body
    a party turns to or that approves (向X投诉, 报X批准) answers too, and a sentence of a clause two signals agree on needs only
    the share any answer needs of such a clause (Context.covers); before a block or a graph fact is
    consulted, only the doer of a sentence answers. `words`: the question's words a sentence is judged
    on (its content words unless given)."""
    need = settings_data(genre)["fallback_min_coverage"]
    focus = ctx.focus if words is None else words
    verb = _ASKED_VERB.search(ctx.linked.text)
    thing = asked_thing(ctx.linked.text)
    views = list({v.measure_id: v for v in [*_candidate_views(ctx, limit=AGENT_VIEWS, genre=genre)[::-1],
                                            *first[::-1]]}.values())[::-1]  # the asked clause first
    best = None
    for rank, v in enumerate(views):
        for written in written_agents(v, genre=genre):
            sent, agent, does, own = written.sentence, written.agent, written.does, written.own
            # a body one turns to answers only as the last resort, unless it does the asked act: the body
            # a clause reports to for approval (报X审定) is the one that approves (由哪个部门审定)
            if (action and not _acts(own, agent, action)) or (written.to and not last_resort and not action):
                continue
            # an item of a body's list is judged on its own words: the clause's run-in title is the list's
            # opening, the body's name, and says nothing of the item's task
            judged = sent[2] if written.lead is not None else f"{v.title}{sent[2]}"
            rel = coverage(focus, judged, ctx.term_weight, genre=genre) if focus else 1.0
            if written.lead is not None and focus and not _says_rarest(ctx, focus, judged, genre=genre):
                continue  # a remit sharing the question's common words (数据, 采集) is not the task asked
            # of the bodies one sentence divides a task among, the one whose own clause says the asked thing
            said = (overlap(thing, own) if thing else 0.0,
                    coverage(focus, own, ctx.term_weight, genre=genre) if focus else 1.0)
            # a body one turns to (向X申报) answers where to go only when the question says that act (去哪里
            # 申报); asked who handles something (新建项目找哪个局), the body that does it comes first
            asked = not written.to or does in ctx.linked.text
            # a sentence naming its own body says more than an item of a body's list of remits (（五）明确…
            # 采集和提供的责任部门 under X负责下列工作), which shares the words of many questions
            named = written.lead is None
            key = (bool(verb and verb.group(1) == does), asked, named, rel, said, -rank)  # 由谁承担: …由X承担
            # or the gate every answer passes: a clause two signals rank at the top, or the dense signal
            # finds close, needs a smaller share of the words some clause could say (编好, 交给 none does)
            # (so does the body a clause reports to for the particular act asked: 交给谁审定, 报X审定)
            said_enough = rel >= need or ((last_resort or bool(action and written.to))
                                          and ctx.covers(f"{v.title}{sent[2]}", [v.measure_id]))
            if said_enough and (best is None or key > best[0]):
                best = (key, v, written)
    if best is None:
        return None
    _, v, written = best
    citer = Citer()
    said = [written.sentence] if written.lead is None else [written.lead, written.sentence]  # the body's list, then the item
    quotes = "\n".join(f"> {inert(s[2])} [{citer.cite(v, *s)}]" for s in said)
    names = [_known_name(ctx, v, a) for a in agent_names(written.agent, genre=genre)]
    text = f"根据文件原文，{written.said('、'.join(names))}（{_source_short(v)}{v.label}，正文写明）：\n\n{quotes}"
    return Composed(answer=text, citations=citer.citations, departments=names, evidence=[v.measure_id])


def _says_rarest(ctx: Context, focus: list[str], text: str, *, genre: Genre) -> bool:
    """The text says the question's rarest content word (its most specific: 监护 of 指定监护相关的数据)."""
    weight = ctx.term_weight or (lambda t: float(len(t)))
    rarest = max(focus, key=lambda t: weight(t) or 0.0)
    return coverage([rarest], text, ctx.term_weight, genre=genre) >= 1.0


def asked_thing(question: str) -> str:
    """What a who-question asks about, as its last noun phrase before 由谁 / 哪个部门 (申请家庭的住房困难状况
    由哪个部门审查核实 -> 住房困难状况): of a sentence dividing one act among bodies (民政部门负责审查核实…
    经济状况；住房保障部门负责审查核实其住房困难状况), the body whose clause names it does it."""
    who = _WHO.search(question)
    if who is None:
        return ""
    before = re.sub(r"(由|归|是|要|该|应|得)+$", "", question[: who.start()])
    return re.split(r"[的，,、。；;：:]", before)[-1]


def _acts(sentence: str, agent: str, action: str) -> bool:
    """The act is written after the agent, in the same clause (民政部门负责审查核实…; 经X认定后), or for an
    agent introduced by 由, in the rest of its sentence (由X根据…，参照…确定); in an item of a body's list
    of duties, which does not name it (（三）领导或者协调…), in the item's first clause."""
    at = sentence.find(agent)
    rest = sentence[at + len(agent):] if at >= 0 else sentence
    # an agent 由 introduces governs its verb across the adverbials before it (由X根据…，参照…确定)
    ends = r"[。；;]" if at > 0 and sentence[at - 1] == "由" else r"[，。；;]"
    return action[:2] in re.split(ends, rest, maxsplit=1)[0]


def _known_name(ctx: Context, v: View, written: str) -> str:
    """A written agent's canonical name when the graph knows the body in the clause's city (市财政局 in
    a Baotou clause), else as written (所有权人, 相关行业主管部门)."""
    for d in ctx.departments or []:
        if d.get("city") == v.city and written in {d.get("name"), *(d.get("aliases") or [])}:
            return d["name"]
    return written


_ACTS = r"(?:负责|牵头|会同|统筹|主管|组织|配合|承担)"


def _evidence_inside(v: View, row: dict) -> bool:
    """The row's evidence lies in the clause's own text (or is not known): bodies a sub-item takes from
    its task's opening block are evidenced there, not by a sentence of the sub-item that names one of
    them in passing (（1）2018年组织各地区、各有关部门完成…)."""
    a = row.get("evidence_start")
    return not isinstance(a, int) or v.start <= a < v.start + len(v.text)


def agent_over_named(ctx: Context, v: View, sentence: tuple[int, int, str], *, genre: Genre) -> Composed | None:
    """A clause without a block that divides work among bodies item by item ((一)户籍登记数据，由公安机关
    负责；…(六)社会保障数据和最低生活保障数据，由税务部门、人力资源社会保障部门、民政部门负责；): the graph
    may know only some of the bodies (a body named by its role is no department of the lexicon), so the
    sentence naming them can be another item's. When one of the clause's own agent sentences says more
    of the question than the sentence naming the known bodies, that item answers, with the bodies as
    written; None otherwise."""
    if not ctx.focus:
        return None
    here = coverage(ctx.focus, sentence[2], ctx.term_weight, genre=genre)
    best = max((coverage(ctx.focus, own, ctx.term_weight, genre=genre)
                for _, _, _, own in agent_sentences(v, genre=genre)), default=0.0)
    return compose_written_agent(ctx, [v], genre=genre) if best > here else None


def naming_sentence(v: View, rows: list[dict], focus: str,
                    question: str = "") -> tuple[tuple[int, int, str], list[dict]] | None:
    """For a clause without a 责任单位 block: its sentence that best fits the question among those
    naming some of its responsible departments (as written), with the departments that sentence
    names — a department the clause names elsewhere, for another task, is not this answer's.
    Sentences saying as much of the content words are told apart by the question's own wording, its
    asked verb and place (各县的电子政务外网…归谁统筹: 县（市）…负责统筹…, not 州…负责…)."""
    best = None
    for sent in sentences(v):
        mine = [r for r in rows if (r.get("mention") or r.get("name") or "\0") in sent[2]]
        if mine:
            # the sentence in which they act (县商务局负责…) before one that only names them (…由县商务局局长兼任)
            acts = any(re.search(re.escape(r.get("mention") or r.get("name")) + _ACTS, sent[2]) for r in mine)
            key = (overlap(focus, sent[2]) if focus else 0.0, overlap(question, sent[2]) if question else 0.0,
                   acts, -sent[0])
            if best is None or key > best[0]:
                best = (key, sent, mine)
    return (best[1], best[2]) if best else None


def department_quote(v: View, rows: list[dict], focus: str = "", *,
                     genre: Genre) -> tuple[tuple[int, int, str], list[dict]] | None:
    """The quote of a clause that names its responsible departments, with those departments in the
    order it names them: its 责任单位 block, else its sentence that names them (only those it names).
    None when the clause's own text names none of them: an answer then names no department, since no
    quote it could show carries them."""
    block = responsibility_quote(v, rows=rows, genre=genre)
    if block is not None:
        mine = [r for r in rows if (r.get("mention") or r.get("name") or "\0") in block[2]] or rows
        return block, in_text_order(mine, block[2])
    named = naming_sentence(v, rows, focus)
    if named is not None:
        return named[0], in_text_order(named[1], named[0][2])
    return None


_BODY_BRACKET = re.compile(r"[（(](?P<inside>[^（）()\n]{2,120})[）)]")


def bracket_after(v: View, start: int, end: int, rows: list[dict], words: Sequence[str] = (),
                  last: bool = True) -> tuple[tuple[int, int, str], list[dict]] | None:
    """Of the quoted text [start, end), the sentence saying most of `words` besides the document's title
    (the first such; the last sentence when none says any, unless not `last`) with the first bracket
    after its stop that names bodies of the clause, and those bodies: a State Council opinion or task
    list closes each task with its own bracket (…促进快递进校园。（地方各级人民政府，教育部、邮政局…按职责分工
    分别负责）), so a task's bodies are the bracket after its sentence, not every body of the clause.
    None when no such bracket follows."""
    inside = [s for s in sentences(v) if start <= s[0] < end and not _BODY_BRACKET.fullmatch(s[2].strip("。；; "))]
    if not inside:
        return None
    words = [w for w in words if w not in (v.policy or "")]  # the document's own title words tell no task apart
    said = [sum(w in s[2] for w in words) for s in inside]
    if not max(said) and not last:
        return None
    best = inside[said.index(max(said))] if max(said) > 0 else inside[-1]
    stop = max(best[2].rfind(c) for c in "。！？!?")  # a sentence may carry its closing bracket already
    for m in _BODY_BRACKET.finditer(v.text, best[0] - v.start + stop + 1 if stop >= 0 else best[1] - v.start):
        own = [r for r in rows if (r.get("mention") or r.get("name") or "\0") in m.group("inside")]
        if own:
            a = best[0] - v.start
            return (best[0], v.start + m.end(), v.text[a:m.end()]), in_text_order(own, m.group("inside"))
    return None


def sentence_elsewhere(ctx: Context, v: View, rows: list[dict]) -> tuple[View, tuple[int, int, str]] | None:
    """For a clause whose departments another clause names (extraction links a task to the sentence
    that makes a body responsible for it by name): that clause's view and sentence, to be quoted."""
    spots = [(r.get("evidence_start"), r.get("evidence_end")) for r in rows]
    spots = [(a, b) for a, b in spots if isinstance(a, int) and isinstance(b, int)
             and not v.start <= a < v.start + len(v.text)]
    if not spots or ctx.locate is None:
        return None
    a, b = spots[0]
    where = ctx.locate(v.policy_id, a, b)
    if where is None:
        return None
    sentence = next((s for s in sentences(where) if s[0] <= a < s[1]), None)
    return (where, sentence) if sentence else None


def departments_in_prose(ctx: Context, v: View, *, genre: Genre) -> list[tuple[tuple[int, int, str], list[dict]]]:
    """Sentences of a clause without a 责任单位 block that name a department of its city (or a State body) as the actor
    (the department followed by 会同/牵头/负责/统筹…), with those departments."""
    verbs = settings_data(genre).get("actor_verbs") or []
    if not ctx.departments or not verbs:
        return []
    acting = _opening_actor(genre)
    out = []
    for sent in sentences(v):
        found = []
        for d in ctx.departments:
            if d.get("city") not in (v.city, None):  # a State body (no city) acts in any document
                continue
            for form in sorted({d["name"], *(d.get("aliases") or [])}, key=len, reverse=True):
                i = sent[2].find(form)
                if i >= 0 and (any(sent[2].startswith(verb, i + len(form)) for verb in verbs)
                               or (_opens_clause(sent[2], i) and acting.match(sent[2], i + len(form)))):
                    found.append(d)
                    break
        if found:
            out.append((sent, found))
    return out


@derived
def _opening_actor(genre: Genre) -> re.Pattern:
    """What follows a department opening its clause that makes it the clause's actor: the words between
    a subject and its act (answer.yaml `actor_lead_in`: 科技部在此基础上进行总结提炼), then an actor verb or
    the light verb that carries an act (`actor_light_verbs`: 进行)."""
    data = settings_data(genre)
    verbs = "|".join(map(re.escape, [*(data.get("actor_verbs") or []), *(data.get("actor_light_verbs") or [])]))
    return re.compile(f"(?:{data.get('actor_lead_in') or '$^'})(?:{verbs or '$^'})")


def _opens_clause(text: str, i: int) -> bool:
    """Position i begins the text or a clause of it (after a stop, a comma or a colon)."""
    return i == 0 or text[i - 1] in "，,。；;：:" or bool(_NUMBER_PREFIX.fullmatch(text[:i]))


def in_text_order(rows: list[dict], text: str) -> list[dict]:
    """Departments in the order the block names them (the order a reader checks against)."""
    def pos(r: dict) -> int:
        i = text.find(r.get("mention") or "\0")
        return i if i >= 0 else len(text) + 1
    return sorted(rows, key=pos)


LEAD_ROLES = ("lead", "co-lead")  # who leads: the lead, and bodies that lead together (共同牵头)
ROLE_LABELS = {"lead": "牵头", "co-lead": "共同牵头", "participant": "配合"}  # responsible: 负责


@derived
def _lead_cue(genre: Genre) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The answer data's cue of a question for the lead, of one for everyone but the lead, and of one
    for those who take part."""
    data = settings_data(genre)
    return (re.compile(data.get("lead_cue") or "牵头"), re.compile(data.get("besides_lead_cue") or "$^"),
            re.compile(data.get("taking_part_cue") or "$^"))


def _asked_roles(question: str, rows: list[dict], *, genre: Genre | None = None) -> list[dict]:
    """The bodies a question asks for: the lead when it asks who leads (谁牵头 / 牵头单位 / 主责部门, the
    answer data's `lead_cue`) and the measure names one; everyone involved, whatever the role, otherwise
    (谁配合 / 哪些部门参与 / 涉及哪些部门: the answer labels each role); everyone but the lead when it
    asks who else takes part (除了牵头的部门还有谁); everyone when it asks both who leads and who takes
    part (由哪个部门牵头制定，谁配合)."""
    lead_cue, besides, taking_part = _lead_cue(resolve_genre(genre))
    lead = [r for r in rows if r.get("role") in LEAD_ROLES]
    if lead and besides.search(question):
        return [r for r in rows if r not in lead] or rows  # 除了牵头的部门还有谁参与: the others
    if lead and lead_cue.search(question) and not taking_part.search(question):
        return lead
    return rows


def _department_phrase(rows: list[dict]) -> str:
    def one(r: dict) -> str:
        # (a mention differing from the name only in the width of its brackets is the name: said once)
        alias = f"（{r['mention']}）" if r.get("mention") and name_key(r["mention"]) != name_key(r["name"]) else ""
        return f"{r['name']}{alias}"

    seen: dict[str, dict] = {}
    for r in rows:
        seen.setdefault(r["name"], r)
    by_role = {role: [one(r) for r in seen.values() if r.get("role") == role] for role in ROLE_LABELS}
    rest = [one(r) for r in seen.values() if r.get("role") not in ROLE_LABELS]
    parts = [f"{ROLE_LABELS[role]}：" + "、".join(names) for role, names in by_role.items() if names]
    if rest:
        parts.append(("负责：" if parts else "") + "、".join(rest))
    return "；".join(parts)


def _source_short(v: View) -> str:
    return f"《{v.policy}》" + (f"{v.doc_no}" if v.doc_no else "")


def _cite_first(citer: Citer, v: View, ctx: Context) -> int:
    s = best_sentences(v, focus_text(ctx), 1) or [(v.start, v.start + len(v.text), v.text)]
    return citer.cite(v, *s[0])


# duties --------------------------------------------------------------------------------------------


def compose_duties(ctx: Context, *, genre: Genre) -> Composed:
    rows = ctx.graph.duties if ctx.graph else []
    policies = set(ctx.linked.values("policy"))
    if policies:  # "市财政局在智算云意见里…": that policy's measures only
        rows = [r for r in rows if r.get("policy_id") in policies]
    depts = ctx.linked.values("department")
    if not depts and (named := compose_entity_duties(ctx, genre=genre)) is not None:
        return named  # 入驻企业 / 孵化服务机构 / 申请人: not a department, the subject of duties in the text
    written = department_duty_sentences(ctx, bool(rows), genre=genre) if depts else None
    if written is not None and (asked := duty_ask(ctx.linked.text, genre=genre)) and asked.narrowed:
        return written  # 市科技局每年年底前要做什么: that duty, not every measure naming the department
    prose = prose_duties(ctx, genre=genre)
    if not rows and not prose:
        if written is not None:
            return written
        if not ctx.graph_available:
            return compose_general(ctx, genre=genre)
        return abstain(ctx, f"语料中没有列明{'、'.join(depts) or '该部门'}为责任单位的措施。")
    citer, groups = Citer(list(written.citations) if written else []), {}
    for r in rows:
        groups.setdefault((r["department"], r.get("city")), []).append(r)
    out = [written.answer, ""] if written else []
    for (dept, city), items in groups.items():
        out.append(f"**{dept}**{f'（{city}）' if city else ''}在以下措施中列为责任单位：")
        shown = [r for r in items if r["measure_id"] in ctx.views]
        for r in shown[:MAX_DUTY_ITEMS]:
            v = ctx.views[r["measure_id"]]
            role = f"（{ROLE_LABELS[r['role']]}）" if r.get("role") in ROLE_LABELS else ""
            span = duty_quote(v, focus_text(ctx), genre=genre)
            out.append(f"- {_source_short(v)} {v.label}{role}：{span[2]} [{citer.cite(v, *span)}]")
        if len(shown) > MAX_DUTY_ITEMS:  # a long answer lists the first ones and counts the rest
            out.append(f"- 另有 {len(shown) - MAX_DUTY_ITEMS} 项措施未列出，完整列表见{WHERE_THE_REST_IS['duties']}。")
        out.append("")
    if prose:
        out.append(f"{'、'.join(depts)}在以下条文的正文中写明为实施主体（这些条文未设责任单位栏）：")
        for v, sentence in prose:
            out.append(f"- {_source_short(v)} {v.label or v.section}：{sentence[2]} [{citer.cite(v, *sentence)}]")
    return Composed(answer="\n".join(out).strip(), citations=citer.citations,
                    evidence=(written.evidence if written else []) + [r["measure_id"] for r in rows]
                    + [v.measure_id for v, _ in prose])


WRITTEN_WITH_ROWS = 4  # a department's own duty sentences shown above the measures naming it


def department_duty_sentences(ctx: Context, listed: bool, *, genre: Genre) -> Composed | None:
    """"临港新片区管委会负责哪些工作": the sentences in which the document makes the department the subject
    of a duty (管委会依照本办法履行以下职责：…, X负责…), by the way the question writes it and its shorter
    forms (管委会); a few when measures also name it in blocks (`listed`), which are listed after."""
    mentions = [lk.mention for lk in ctx.linked.of("department") if lk.mention]
    if not mentions:
        return None
    asked = duty_ask(ctx.linked.text, genre=genre) or DutyAsk(mentions[0])
    names = list(dict.fromkeys(t for m in mentions for t in entity_tails(m) if _agent_shapes(genre)[1].search(t)))
    found = entity_duties(ctx, asked, names, WRITTEN_WITH_ROWS if listed else MAX_ENTITY_DUTIES, genre=genre)
    if found is not None:
        found.answer = found.answer.replace("应当履行的职责和义务：", "的职责（正文写明）：", 1)
    return found


MAX_ENTITY_DUTIES = 8  # duty sentences of a named entity listed; the rest are counted
ENTITY_VIEWS = 8  # retrieved clauses searched for the entity the question names
LIST_QUOTE_CHARS = 600  # a duty sentence ending in "：" is quoted with the items that follow, up to this length


def duty_question(question: str, *, genre: Genre) -> str | None:
    """The entity a question asks the duties of ("某市孵化器运营服务机构要负责哪些事" -> the phrase before
    the cue), or None."""
    asked = duty_ask(question, genre=genre)
    return asked.entity if asked else None


@dataclass
class DutyAsk:
    """What a question asks a named party to do: all its duties, or only those of a date (每年1月底前),
    its prohibitions (不得做什么), or one action (要和参与单位签什么: the words 参与单位, 签)."""

    entity: str
    when: str = ""
    prohibited: bool = False
    act: list[str] = field(default_factory=list)

    @property
    def narrowed(self) -> bool:
        return bool(self.when or self.prohibited or self.act)


# words of a question's action that narrow nothing: prepositions before the other party, and the verbs of
# having duties at all (要负责哪些事 asks every duty)
_ACT_FILLERS = {"和", "与", "跟", "同", "向", "对", "给", "把", "去", "做", "干", "些", "都", "还", "哪", "了", "的",
                "负责", "承担", "履行", "遵守", "注意", "满足"}


def duty_ask(question: str, *, genre: Genre) -> DutyAsk | None:
    """The party a question asks the duties of and how it narrows them (answer.yaml duty_question,
    duty_action_question), or None."""
    data = settings_data(genre)
    m = re.search(data.get("duty_action_question") or "$^", question)
    if not m or not re.search(data.get("agent_head") or "$^", m.group("entity")):  # 在上海租算力要…: no party
        m = re.search(data.get("duty_question") or "$^", question)
        return DutyAsk(_party(m.group("entity"), data)) if m else None
    from rag.tokenize import pos_tagger

    groups = m.groupdict()
    act = [w.word for w in pos_tagger().lcut(groups.get("act") or "") if w.word.strip()]
    return DutyAsk(_party(m.group("entity"), data), when=(groups.get("when") or "").strip(),
                   prohibited=bool(re.search(data.get("prohibition") or "$^", groups.get("modal") or "")),
                   act=[w for w in act if w not in _ACT_FILLERS])


def _party(phrase: str, data: dict) -> str:
    """The party of a duty question's phrase: before a preposition that brings in what the duty is about
    ("公共管理和服务机构对自己手里的公共数据要负责哪些事" asks the body, not the data), when what precedes
    it ends like a body or a party (`agent_head`); the phrase as it is otherwise."""
    head = re.compile(data.get("agent_head") or "$^")
    for m in re.finditer(r"对|在|就|关于", phrase):
        before = phrase[: m.start()]
        if len(before) >= 2 and head.search(before):
            return before
    return phrase


def fits_ask(asked: DutyAsk, sentence: str, *, genre: Genre) -> bool:
    """The duty sentence says what the question narrows to: the asked date (its month, or 每年), a
    prohibition, the words of the asked action."""
    if asked.when:
        month = re.search(r"\d+月|[一二三四五六七八九十]+月", asked.when)
        if month and month.group(0) not in sentence:
            return False
        if not month and asked.when.rstrip("前") not in sentence:
            return False
    if asked.prohibited and not re.search(settings_data(genre).get("prohibition") or "$^", sentence):
        return False
    return all(w in sentence or (len(w) == 1 and w in sentence) for w in asked.act)


def entity_tails(phrase: str) -> list[str]:
    """The ways a document may name the entity of a question's phrase: its word-final tails, longest
    first ("孵化器运营服务机构" -> …, 运营服务机构, 服务机构, 机构): the question adds its place and
    topic to the name the text uses."""
    from rag.tokenize import pos_tagger

    words = [p.word for p in pos_tagger().lcut(phrase) if p.word.strip()]
    tails = ["".join(words[i:]) for i in range(len(words))]
    return [t for t in dict.fromkeys(tails) if len(t) >= 2]


@derived
def _duty_subject(genre: Genre) -> str:
    """The shape of a sentence making {entity} the subject of a duty (answer.yaml duty_verb)."""
    verb = settings_data(genre).get("duty_verb") or "$^"
    # (or the body a regulation designates as the entity: 县级以上人民政府政务服务数据管理机构作为公共数据
    # 主管部门，负责下列工作： — the duties of 公共数据主管部门)
    return (r"(?:^|[，。；：、,;:\s由的])(?:各|本|该|其|相关)?" + _LEVEL + r"{entity}" + _APPOSITION
            + r"[^，。；：,;:]{0,12}?" + verb + r"|作为(?:本级)?" + _LEVEL + r"{core}[，,][^，。；：,;:]{0,12}?" + verb)


# the levels of Chinese government, as a document or a question prefixes a body's name with one
_LEVELS = "[省市区县州旗乡镇]"
# the level a document writes before a body's name (市住房保障办公室, 各区住房保障部门, 省数据资源主管部门): the
# question names the body without it, or with its own words for it (各区的)
_LEVEL = rf"(?:各?{_LEVELS}级?)?"
# the level a question writes before a designated body's name, written before the body designated instead
# (县级以上公共数据主管部门: 县级以上人民政府政务服务数据管理机构作为公共数据主管部门): any level word of
# administrative writing (各级, 市级, 县级以上, 设区的市级以上), not a list of them
_DESIGNATED_LEVEL = re.compile(rf"^(?:各级|(?:设区的)?{_LEVELS}级(?:以上|以下)?)")
# what a definitional sentence puts between a body and its duty: its short name in brackets and what it is
# (市住房保障办公室（以下称市住房保障部门）是全市…的具体实施机构，负责…; X作为本机构…的责任主体，负责下列工作：)
_APPOSITION = r"(?:[（(][^）)]{0,24}[）)])?(?:(?:是|作为)[^。；;]{0,40}?[，,])?"


def entity_duty_sentences(view: View, entity: str, *, genre: Genre) -> list[tuple[int, int, str]]:
    """The view's sentences in which the entity is the subject of a duty (X应当…, X负责…, 由X承担);
    a sentence announcing a list (履行以下职责：) is quoted with the items after it."""
    core = _DESIGNATED_LEVEL.sub("", entity) or entity
    shape = re.compile(_duty_subject(genre).replace("{entity}", re.escape(entity)).replace("{core}", re.escape(core)))
    out = []
    for a, b, text in sentences(view):
        if not shape.search(text):
            continue
        out.append(with_items(view, (a, b, text)))  # 管委会依照本办法履行以下职责：（一）…（二）…
    return out


def with_items(view: View, span: tuple[int, int, str]) -> tuple[int, int, str]:
    """A sentence announcing a list (…包括：, 履行以下职责：) with the items that follow it in its
    clause, up to LIST_QUOTE_CHARS (cut at a paragraph break); any other sentence as it is."""
    a, b, text = span
    if _INLINE_FIRST_ITEM.search(text):
        return with_inline_items(view, span)
    if not text.rstrip().endswith(("：", ":")):
        return span
    local = b - view.start
    rest = view.text[local:local + LIST_QUOTE_CHARS]
    items = 0  # lines that open with an item's number: the list ends at the first line that does not
    for m in re.finditer(r"[^\n]+", rest):
        if not m.group(0).strip():
            continue
        if not _ITEM_START.match(m.group(0)):
            break
        items = m.end()
    cut = items or (rest.rfind("\n\n") if len(view.text) - local > LIST_QUOTE_CHARS else len(rest))
    b = b + len(rest[: max(cut, 0)].rstrip())
    return a, b, view.text[a - view.start : b - view.start]


# an announcement whose first item follows it on the same line (…应同时具备以下基本条件： 1．在本市…): a list
# written in one paragraph, as a table's cell or a PDF's joined lines hold it
_LIST_ITEM_NUMBER = r"\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、])"  # （一）, (1), 1．, 2、
_INLINE_FIRST_ITEM = re.compile("[：:]" + _LIST_ITEM_NUMBER)
_ITEM_NEXT = re.compile(_LIST_ITEM_NUMBER)


def with_inline_items(view: View, span: tuple[int, int, str]) -> tuple[int, int, str]:
    """A sentence holding a list's announcement and its first item on one line (`_INLINE_FIRST_ITEM`)
    with the items that follow on that line, up to LIST_QUOTE_CHARS and ending at an item's full stop:
    the first item alone is one requirement of several."""
    a, b, _ = span
    local = b - view.start
    if not _ITEM_NEXT.match(view.text, local):
        return span
    line = re.match(r"[^|\n]*", view.text[local:local + LIST_QUOTE_CHARS]).group(0)
    stop = max(line.rfind("。"), line.rfind("；"), line.rfind(";"))
    if stop < 0:
        return span
    b += stop + 1
    return a, b, view.text[a - view.start : b - view.start]


def items_after(view: View, end: int) -> int:
    """How many numbered items of a list continue in the clause after `end` (a quote cut at its cap)."""
    count = 0
    for m in re.finditer(r"[^\n]+", view.text[max(end - view.start, 0):]):
        line = m.group(0)
        if not line.strip() or (count == 0 and not line.strip(" 　；;。，,")):
            continue
        if not _ITEM_START.match(line):
            break
        count += 1
    return count


def with_listed(picks: list[tuple[float, View, tuple[int, int, str]]]) -> list[tuple[float, View, tuple[int, int, str]]]:
    """Picked sentences, each that announces a list (公共租赁住房保障资金可以按下列渠道筹集：) widened to
    the items that follow it in its clause (with_items): the announcement alone names none of what
    the question asks to list. A pick already holding the items (a neighbour of the announcement)
    is not quoted twice."""
    out: list[tuple[float, View, tuple[int, int, str]]] = []
    for score, v, s in picks:
        span = with_items(v, s)
        if any(o[1].measure_id == v.measure_id and o[2][0] <= s[0] and s[1] <= o[2][1] for o in out):
            continue
        out.append((score, v, span))
    return out


def with_siblings(view: View, span: tuple[int, int, str], pattern: str) -> tuple[int, int, str]:
    """A picked item of a list (（二）…其他人员。) widened to the sentence announcing the list and all its
    items (有下列情形之一的申请人，还应进行现场审查。…（一）…（二）…), up to LIST_QUOTE_CHARS: one item alone
    says only part of what the list holds (any one of them makes the case); any other sentence as it is."""
    if not _ITEM_OPENING.match(span[2]):
        return span
    before = [s for s in sentences(view) if s[1] <= span[0] and re.search(pattern, s[2])]
    if not before:
        return span
    announced = before[-1]
    items = announced_items(view, announced, [])
    if not any(a <= span[0] < b for _, (a, b, _) in items) or len(items) < 2:
        return span
    end = items[-1][1][1]
    if end - announced[0] > LIST_QUOTE_CHARS:
        return span
    return announced[0], end, view.text[announced[0] - view.start:end - view.start]


_ITEM_START = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[一二三四五六七八九十]+是|[①-⑳])")


def compose_entity_duties(ctx: Context, *, genre: Genre) -> Composed | None:
    """"孵化服务机构要承担哪些责任": the sentences of one document in which the entity the question names
    is the subject of a duty (应当/负责/须/由…承担), listed in text order and capped — not the clauses
    about the government departments around it. None when the question names no such entity or no
    retrieved clause makes it the subject of one."""
    asked = duty_ask(ctx.linked.text, genre=genre)
    if not asked:
        return None
    return entity_duties(ctx, asked, entity_tails(asked.entity), genre=genre)


def entity_duties(ctx: Context, asked: DutyAsk, names: list[str], limit: int = MAX_ENTITY_DUTIES, *,
                  genre: Genre) -> Composed | None:
    """The duty sentences of the first of `names` (the ways the document may write the party) that the
    best retrieved clauses make the subject of one, in that clause's document; a question narrowing
    them (a date, a prohibition, an action) keeps those that say it when any does — an action is
    found also where no duty verb is written (项目申报单位与所有参与单位签署联合申报协议)."""
    views = _candidate_views(ctx, limit=ENTITY_VIEWS, genre=genre)

    def duties_of(v: View, entity: str) -> list[tuple[int, int, str]]:
        said = entity_duty_sentences(v, entity, genre=genre)
        if asked.act or asked.when:  # 项目申报单位与…签署…; 市科技局于每年3月底前报送…: no duty verb written
            said += [s for s in entity_sentences(v, entity) if fits_ask(asked, s[2], genre=genre) and s not in said]
        return said

    for entity in names:
        first = next((v for v in views if duties_of(v, entity)), None)
        if first is not None:
            break
    else:
        return None
    # the document's measures in text order, with the retrieved views of it: the outline holds the first
    # piece of each measure, a long clause indexed in pieces says the duty in a later one
    outline = (ctx.outline(first.policy_id) if ctx.outline else None) or []
    pieces = sorted([*outline, *(v for v in views if v.policy_id == first.policy_id)], key=lambda v: v.start)
    found, seen = [], set()
    for v in pieces:
        for s in sorted(duties_of(v, entity)):
            if not any(p == v.policy_id and a <= s[0] < b for p, a, b in seen):  # an item of a list quoted
                seen.add((v.policy_id, s[0], s[1]))
                found.append((v, s))
    if asked.narrowed:
        found = [f for f in found if fits_ask(asked, f[1][2], genre=genre)] or found
    if not found:
        return None
    citer, lines = Citer(), []
    for v, s in found[:limit]:
        lines.append(f"- {_source(v, s[2])}：{shown(s[2])} [{citer.cite(v, *s)}]")
    if len(found) > limit:
        lines.append(f"- 另有 {len(found) - limit} 处规定未列出。")
    head = f"《{first.policy}》中规定{entity}应当履行的职责和义务："
    return Composed(answer=head + "\n\n" + "\n".join(lines), citations=citer.citations,
                    evidence=list(dict.fromkeys(v.measure_id for v, _ in found[:limit])))


def entity_sentences(view: View, entity: str) -> list[tuple[int, int, str]]:
    """The view's sentences with the entity as a subject: written at a clause's start or after 由."""
    shape = re.compile(r"(?:^|[，。；：、,;:\s由])(?:各|本|该|其|相关)?" + _LEVEL + re.escape(entity))
    return [s for s in sentences(view) if shape.search(s[2])]


MAX_DUTY_ITEMS = 12  # measures listed per department; the rest are counted and found in the duties view
DUTY_QUOTE_CHARS = 300  # a task sentence and its 责任单位 block quoted together up to this length


def duty_quote(v: View, focus: str, *, genre: Genre) -> tuple[int, int, str]:
    """One quote for a measure a department is responsible for: from the task sentence that fits the
    question through the 责任单位 block, so the task and who does it are one citation (not two); the
    block alone when the two are far apart, the task sentence alone when there is no block."""
    block = responsibility_quote(v, genre=genre)
    what = best_sentences(v, focus, 1)
    if block is None:
        return what[0] if what else (v.start, v.start + len(v.text), v.text)
    if what and what[0][0] < block[0] and block[1] - what[0][0] <= DUTY_QUOTE_CHARS:
        a, b = what[0][0], block[1]
        return a, b, v.text[a - v.start : b - v.start]
    return block


def prose_duties(ctx: Context, *, genre: Genre) -> list[tuple[View, tuple[int, int, str]]]:
    """Clauses without a 责任单位 block (closing and safeguard provisions, goals) whose text names a
    linked department as the actor ("市经济信息化委会同相关部门推进…"), in the policies in scope."""
    names = set(ctx.linked.values("department"))
    cities = {lk.city for lk in ctx.linked.of("department") if lk.city}
    if not names or ctx.outline is None:
        return []
    out = []
    for p in policies_in_scope(ctx, min_topical=1):
        if cities and p.get("city") not in cities:
            continue
        for v in ctx.outline(p["id"]):
            if v.kind == "measure" or responsibility_quote(v, genre=genre):
                continue
            out += [(v, sentence) for sentence, found in departments_in_prose(ctx, v, genre=genre)
                    if names & {d["name"] for d in found}]
    return out


# support -------------------------------------------------------------------------------------------


def compose_support(ctx: Context, *, genre: Genre) -> Composed:
    rows = [r for r in (ctx.graph.supports if ctx.graph else []) if r.get("score", 0) > 0]
    if rows:
        best = rows[0]["score"]
        graded = [r for r in rows if ctx.grades and grade_bonus(ctx, support_text(r))][:2]
        # a kept clause's other offers (a 奖补 beside a 贴息) answer too, whatever they score alone
        kept = {r.get("measure_id") for r in rows if r["score"] >= 0.6 * best}
        rows = asked_siblings(ctx, [*graded, *[r for r in rows if r.get("measure_id") in kept and r not in graded]])[:4]
        evidence = "".join(f"{r.get('quote') or ''}{r.get('text') or ''}" for r in rows)
        if clauses_answer_better(ctx, rows, genre=genre):
            general = compose_general(ctx, genre=genre)
            if not general.abstained:  # the clauses' evidence must still hold on its own
                return general
        if ctx.covers(evidence, [r["measure_id"] for r in rows]):
            return _support_answer(ctx, narrowed(ctx, rows, lambda r: row_quote(ctx, r), genre=genre),
                                   lead_clause(ctx, rows, genre=genre))
    return _support_from_text(ctx, genre=genre)


def asked_siblings(ctx: Context, rows: list[dict]) -> list[dict]:
    """Of the offers one sentence makes to several categories, each with its own amount (凡购房人1%；二孩
    家庭1.5%；新市民2%), only the one whose own condition the question names, when it names exactly one:
    its words that the sibling offers do not share (二孩家庭, 售出自有住房…1年内) meet the question's. The
    other categories' amounts answer another question. Rows of clauses whose categories the question
    does not tell apart are kept as they are."""
    focus = set(bigrams(_numerals_as_digits(ctx.linked.text)))  # the whole question: 卖了, 一年内 are no content words
    groups: dict[tuple, list[dict]] = {}
    for r in rows:  # siblings: the offers of one sentence (or one list run together with ；)
        v = ctx.views.get(r.get("measure_id") or "")
        span = whole_sentences(v, int(r.get("start") or 0), int(r.get("end") or 0)) if v is not None else None
        groups.setdefault((r.get("measure_id"), span[0] if span else r.get("start")), []).append(r)
    dropped: set[int] = set()
    for group in groups.values():
        if len(group) < 2 or not focus:
            continue
        grams = [set(bigrams(_numerals_as_digits(str(r.get("condition") or "")))) for r in group]
        common = set.intersection(*grams)
        said = [len(focus & (g - common)) for g in grams]
        best = max(said)
        if best > 0 and said.count(best) == 1:
            dropped |= {id(r) for r, n in zip(group, said, strict=True) if n < best}
    return [r for r in rows if id(r) not in dropped]


def _numerals_as_digits(text: str) -> str:
    """一年内 as 1年内: a question and a condition write small numbers either way."""
    return re.sub(r"(?<![一二三四五六七八九十])[一二三四五六七八九](?![一二三四五六七八九十])",
                  lambda m: str(_CN_NUMERALS.index(m.group(0))), text)


def row_span(ctx: Context, v: View, row: dict) -> tuple[int, int, str] | None:
    """What a support answer quotes for a fact: its whole sentence(s), with the cap sentence after it
    (with_cap) and the next sentence stating the asked amount when it states none (with_stated)."""
    span = with_cap(v, whole_sentences(v, int(row.get("start") or 0), int(row.get("end") or 0)), genre=ctx.genre)
    return with_stated(ctx, v, span)


def row_quote(ctx: Context, row: dict) -> str:
    """The text a support answer quotes for a fact (row_span), else the fact's own quote."""
    v = ctx.views.get(row.get("measure_id") or "")
    span = row_span(ctx, v, row) if v is not None else None
    return span[2] if span else str(row.get("quote") or "")


def support_text(row: dict) -> str:
    """What a support fact says: its quote, its tiers and its condition."""
    return f"{row.get('quote') or ''}{'；'.join(row.get('tiers') or [])}{row.get('condition') or ''}"


def clauses_answer_better(ctx: Context, rows: list[dict], *, genre: Genre) -> bool:
    """The retrieved clauses hold a sentence that answers the question clearly better than any of the
    support facts (the question asks about a benefit in words the support facts do not use, or the
    facts come from another document): the answer then quotes the clauses instead. Not when the
    question names the kind of support (基金, 贴息) and the clause does not: facts of that kind are
    what it asks for."""
    if not ctx.focus:
        return False
    picks = ranked_sentences(ctx, per_view=1, genre=genre)[:1]
    if not picks:
        return False
    kinds = [lk.mention for lk in ctx.linked.of("support_kind") if lk.mention]
    if ctx.linked.of("support_kind") and not any(k in picks[0][2][2] for k in kinds):
        return False
    score = answer_scorer(ctx, genre=genre)
    best_row = max(score(f"{r.get('quote') or ''}", r.get("measure_id") or "") for r in rows)
    return score(picks[0][2][2], picks[0][1].measure_id) > settings_data(genre)["clause_over_fact"] * best_row


def answer_scorer(ctx: Context, *, genre: Genre) -> Callable[[str, str], float]:
    """How well a sentence of a measure answers the question, on one scale for support facts and
    retrieved sentences: the question's words and phrases, the asked kind of fact (多少 wants an
    amount) and how high retrieval ranks the measure — so a fact the graph found in a clause that
    retrieval ranks low is compared fairly with the sentence of the clause it ranks first."""
    ranks: dict[str, int] = {}
    for h in ctx.fused:
        ranks.setdefault(h.measure_id, len(ranks) + 1)
    clause_best: dict[str, float] = {}

    def in_clause(text: str, measure_id: str) -> float:
        """A sentence stating the asked kind of fact counts NEIGHBOUR_SHARE of its clause's best
        relevance at least: the amount is often its own sentence beside the one naming its subject."""
        own = relevance(ctx, text, genre=genre)
        v = ctx.views.get(measure_id)
        if v is None or ctx.asked is None or not states_kind(ctx.asked, text, genre=genre):
            return own
        if measure_id not in clause_best:
            clause_best[measure_id] = max((relevance(ctx, s[2], genre=genre) for s in sentences(v)), default=0.0)
        return max(own, NEIGHBOUR_SHARE * clause_best[measure_id])

    def score(text: str, measure_id: str) -> float:
        rank = ranks.get(measure_id)
        return (in_clause(text, measure_id) + phrase_bonus(ctx.linked.text, text)
                + kind_bonus(ctx.asked, text, genre=genre) + (0.2 / rank if rank else 0.0))

    return score


LEAD_VIEWS = 3  # the best retrieved clauses a support answer looks at before its graph facts


def lead_clause(ctx: Context, rows: list[dict], *, genre: Genre) -> tuple[View, tuple[int, int, str]] | None:
    """The best retrieved sentence, when it comes from a measure none of the support facts is from,
    states the asked kind of fact, and answers at least as well as the best fact: the support answer
    then quotes it first (a support path that lists only its own graph rows never shows the clause
    retrieval ranks first, which often holds the asked amount: "每家每年支持金额不超过300万元")."""
    kind = ctx.asked
    picks = ranked_sentences(ctx, limit=LEAD_VIEWS, per_view=4, genre=genre)
    if kind is None or not picks:
        return None
    measures = {r.get("measure_id") for r in rows}
    quoted = [r.get("quote") or "" for r in rows]
    score = answer_scorer(ctx, genre=genre)
    best_row = max(score(f"{r.get('quote') or ''}", r.get("measure_id") or "") for r in rows)
    for _, v, s in picks:
        if not states_kind(kind, s[2], genre=genre):
            continue
        said = score(s[2], v.measure_id)
        if v.measure_id not in measures and said >= best_row:
            return v, s
        # another sentence of a fact's own clause that answers better than every fact (在河流浇灌标准化冰场
        # 每块奖励1万元 beside the clause's 雪道 award the graph holds): the clause's other offer asked for
        if said > best_row and not any(s[2] in q or q in s[2] for q in quoted if q):
            return v, s
    return None


def _support_answer(ctx: Context, rows: list[dict], lead: tuple[View, tuple[int, int, str]] | None = None) -> Composed:
    citer, lines, used = Citer(), [], []
    if lead is not None:
        v, s = lead
        s = clause_quote(ctx, v, s)
        n = citer.cite(v, *s)
        used.append(v.measure_id)
        lines.append(f"- **最相关的条款**（{_source(v, s[2])}）：{shown(s[2])} [{n}]")
    for r in rows:
        v = ctx.views.get(r["measure_id"])
        if v is None:
            continue
        span = row_span(ctx, v, r)
        n = (citer.cite(v, *clause_quote(ctx, v, span)) if span else None) or _cite_first(citer, v, ctx)
        used.append(v.measure_id)
        quote = citer.citations[n - 1].quote
        written, marks = condition_citations(ctx, citer, r)
        facts = support_facts(r, quote + written, ctx.grades)
        if marks:  # a condition written apart (a 申请条件 section, a list after 以下类别…) cites its own text
            facts = [f + "".join(f" [{m}]" for m in marks) if f.startswith("条件：") else f for f in facts]
        when = window_fact(citer, v, r.get("window"), quote)
        if when:
            facts.append(when)
        depts = (ctx.graph.departments.get(v.measure_id) if ctx.graph else None) or []
        if depts:
            facts.append("责任单位：" + "、".join(dict.fromkeys(d["name"] for d in depts)))
        lines.append(f"- **{v.label}**（{_source_short(v)}）：" + "；".join(facts) + f" [{n}]")
    quotes = "\n".join(f"> {c.quote} [{i}]" for i, c in enumerate(citer.citations, 1))
    text = "可以获得的支持（按与问题的相关程度排列）：\n\n" + "\n".join(lines) + f"\n\n原文：\n\n{quotes}"
    return Composed(answer=text, citations=citer.citations, evidence=used)


_RATE = re.compile(r"[%％‰]|百分之")  # a share of something, not a sum of money
_LIST = re.compile(r"[、；;]")
# the grant verb an extracted condition may end with (…按照服务的数量和质量省级给予): what is granted follows
# in the quote, the condition is what comes before it
_GRANT_TAIL = re.compile(r"[，,]?\s*(?:[省市县区]级(?:财政)?)?(?:按规定)?(?:一次性)?(?:给予|予以)$")


def support_values(row: dict, grades: list[Grade] | tuple = ()) -> list[tuple[str, str]]:
    """(label, value) of a support item in the order a person lists them. Each amount under its own
    label: a rate ("10%") is a 比例, never an 额度; a cap written among the amounts is the 上限 of a rate
    or of other amounts; tiered amounts each with their tier — only the tier of the grade the question
    names, when it names one of them (四星级：50万元, not every star's amount)."""
    amounts = [p.strip() for p in _LIST.split(str(row.get("amount") or "")) if p.strip()]
    rates = [p for p in amounts if _RATE.search(p)]
    rates = _with_comparators(rates, [p.strip() for p in _LIST.split(str(row.get("rate") or "")) if p.strip()])
    caps = [p.strip() for p in _LIST.split(str(row.get("cap") or "")) if p.strip()]
    money = [p for p in amounts if p not in rates]
    if rates or len(money) > len([p for p in money if p in caps]):
        money = [p for p in money if p not in caps]  # the cap has its own line
    tiered = list(row.get("tiers") or [])  # 3A级：50万元；4A级：100万元: each amount with its tier
    asked = [t for t in tiered if any(names_grade(g, t.split("：")[0]) for g in grades)]
    tiered = asked or tiered
    tiers = "；".join(tiered)
    label = "比例" if tiered and all(_RATE.search(t.split("：")[-1]) for t in tiered) else "额度"
    out = [(label, tiers)] if tiers else [("额度", "、".join(money)), ("比例", "、".join(rates))]
    out += [("上限", "、".join(caps)), ("条件", tidy_condition(str(row.get("condition") or ""))),
            ("期限", str(row.get("deadline") or ""))]
    return [(label, value) for label, value in out if value]


_RATE_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*[%％]")


def _with_comparators(rates: list[str], more: list[str]) -> list[str]:
    """Rates of the amounts and of the rate field, each number once and with its comparator: 最高10% and
    10% are one rate, and 最高10% is what the clause offers (a cap on the share, not the share itself)."""
    out: list[str] = []
    for rate in [*rates, *more]:
        number = _RATE_NUMBER.search(rate)
        same = next((i for i, r in enumerate(out) if number and (m := _RATE_NUMBER.search(r))
                     and m.group(0).replace(" ", "") == number.group(0).replace(" ", "")), None)
        if same is None:
            out.append(rate)
        elif len(rate) > len(out[same]):
            out[same] = rate  # the form that keeps 最高/不超过
    return out


def tidy_condition(condition: str) -> str:
    """An extracted condition as a person would write it: each of its parts once, without the grant
    verb a part may end with ("按算力集群规模和成果水平给予" -> "按算力集群规模和成果水平"), and no part
    that another part already says."""
    parts = [_GRANT_TAIL.sub("", p.strip()).strip(" ，,") for p in re.split(r"[；;]", condition)]
    parts = [p for p in dict.fromkeys(parts) if len(p) >= 2]
    return "；".join(p for p in parts if not any(p != q and p in q for q in parts))


def support_facts(row: dict, quote: str, grades: list[Grade] | tuple = ()) -> list[str]:
    """A support item's fields as a person would list them (support_values): each value once (an amount
    that is also the cap is not repeated under a second label), only values whose numbers the quote
    writes, no table residue, and no beneficiary that says nothing ("对象：主体")."""
    facts = [f"类型：{row.get('kind')}"] if row.get("kind") else []
    shown: list[str] = []
    for label, raw in support_values(row, grades):
        value = re.sub(r"\s*\|\s*", " ", raw).strip(" ；;，,")
        parts = [p for p in _LIST.split(value) if p.strip()]
        if not value or not numbers_quoted(value, quote):
            continue
        if parts and all(any(p.replace(" ", "") in seen.replace(" ", "") for seen in shown) for p in parts):
            continue  # every part already stated under an earlier label
        shown.append(value)
        facts.append(f"{label}：{value}")
    who = [b for b in row.get("beneficiaries") or [] if b not in GENERIC_BENEFICIARIES]
    if who:
        facts.append("对象：" + "、".join(who))
    return facts


def condition_citations(ctx: Context, citer: Citer, row: dict, limit: int = 3) -> tuple[str, list[int]]:
    """The text of conditions written apart from a support item's own clause (a 申请条件 section, the
    list after 以下类别人才…), each cited: (their quotes, citation numbers). The condition's numbers are
    then stated only because a citation shows them."""
    spans = list(zip(row.get("condition_starts") or [], row.get("condition_ends") or [], strict=False))[:limit]
    quotes, marks = [], []
    for a, b in spans:
        v = ctx.locate(row.get("policy_id") or "", int(a), int(b)) if ctx.locate else None
        span = whole_sentences(v, int(a), int(b)) if v is not None else None
        if span is None:
            continue
        quotes.append(span[2])
        marks.append(citer.cite(v, *span))
    return "".join(quotes), list(dict.fromkeys(marks))


def window_fact(citer: Citer, v: View, window: str | None, quote: str) -> str | None:
    """申报时间：… for a support item's application window. The window is often written once for the
    whole measure (a guide's 申报时间 row, a date span opening a list of offers), away from the clause
    quoted for the offer: its own sentence is then cited too, so the answer states no date the
    citations do not show; a window the view does not hold is left out."""
    written = (window or "").strip(" ；;，,。")
    shown = re.sub(r"\s+", " ", written)
    if not written:
        return None
    if re.sub(r"\s+", "", written) in re.sub(r"\s+", "", quote):
        return f"申报时间：{shown}"
    at = v.text.find(written)
    span = whole_sentences(v, v.start + at, v.start + at + len(written)) if at >= 0 else None
    if span is None:
        return None
    return f"申报时间：{shown} [{citer.cite(v, *span)}]"


def whole_clause(v: View, span: tuple[int, int, str], *, genre: Genre, keep: bool = False) -> tuple[int, int, str]:
    """A quote from a clause whose body is short (answer.yaml whole_clause_chars) widened to the whole
    body: a short clause states one provision, and the fact asked (the voucher's name, the amount, the
    exception, the department) is as often in the sentence beside the best-matching one as in it.
    The body is without its run-in heading (the answer line's label) and its closing 责任单位 block
    (the answer names the departments itself). Quoted as it is: a span outside the body, a long
    clause, a list already quoted with its items (with_items) and, with `keep`, a span chosen
    narrowly on purpose (the tier or grade the question names)."""
    limit = settings_data(genre).get("whole_clause_chars") or 0
    if keep or not limit or any(_ITEM_START.match(line) for line in span[2].splitlines()[1:]):
        return span
    a = len(v.text) - len(v.text.lstrip())
    first = re.match(r"[^\n。]*[\n。]?", v.text[a:]).group(0)
    if first.strip() and is_heading(v, first.strip()):  # its run-in heading is the answer line's label
        a += len(first)
        a += len(v.text[a:]) - len(v.text[a:].lstrip())
    b = len(v.text)
    block = default_blocks(genre).closing_block(v.text, a)
    if block is not None:
        b = block.start
        while b > a and v.text[b - 1] in "（(":  # the bracket the block opens with
            b -= 1
    body = v.text[a:b].rstrip()
    if not body or len(body) > limit or not a + v.start <= span[0] < span[1] <= a + v.start + len(body):
        return span
    return a + v.start, a + v.start + len(body), body


def clause_quote(ctx: Context, v: View, span: tuple[int, int, str]) -> tuple[int, int, str]:
    """What an answer quotes for a span picked from a clause: the whole clause when it is short
    (whole_clause), unless the span was chosen among the clause's tiers on purpose — the question
    names a grade, or the clause states the asked kind of fact (an amount, a count) in several
    sentences and the span is one of them (博士研究生每人补贴3万元 of three degrees' amounts) while the
    question says no word only another of them says. A span
    stating the only such figure of its clause is widened: on the development questions it as often
    states another figure than the asked one (到2025年…60%以上 for 生二孩给不给钱)."""
    asked = ctx.asked

    def tier(text: str) -> bool:  # a figure of the asked kind: sentences allowing and forbidding are no tiers
        return states_kind(asked, text, genre=ctx.genre) and bool(_FIGURE.search(text))

    tiers = asked is not None and tier(span[2]) and sum(tier(s[2]) for s in sentences(v)) >= 2
    # another tier saying a word of the question the span does not (7月底前完成前期手续 / 10月底完善平台各项
    # 功能, asked 前期手续和各项功能完善分别什么时候完成) is asked too: the clause is quoted whole
    others = [s[2] for s in sentences(v) if tier(s[2]) and not (span[0] <= s[0] and s[1] <= span[1])] if tiers else []
    asked_too = any(t not in span[2] and any(t in o for o in others) for t in ctx.focus)
    quote = whole_clause(v, span, genre=ctx.genre, keep=bool(ctx.grades) or (tiers and not asked_too))
    return with_closing_block(v, quote, asked, genre=ctx.genre)


def with_closing_block(v: View, quote: tuple[int, int, str], asked: dict | None, *,
                       genre: Genre) -> tuple[int, int, str]:
    """The quote with the bracket closing its clause when that bracket states the asked kind of fact and
    the quote does not: a task list writes each task's deadline beside its lead body
    (…动态调整办事指南的重要依据。（6月底完成，牵头考核单位：市审批服务局）), so a question asking by when is
    answered by the bracket the quote otherwise leaves to the answer's department line. The bracket
    picked alone is quoted with the sentence before it: alone it says nothing of what it dates."""
    block = default_blocks(genre).closing_block(v.text) if asked is not None else None
    if block is None or not states_kind(asked, v.text[block.start:block.end], genre=genre):
        return quote
    a, b = quote[0] - v.start, quote[1] - v.start
    if a >= block.start - 1:  # the bracket alone (its opening bracket may lead the quote)
        before = [s for s in sentences(v) if s[0] - v.start < block.start - 1 and not is_heading(v, s[2])]
        if not before:
            return quote
        quote = whole_clause(v, before[-1], genre=genre)
        a, b = quote[0] - v.start, quote[1] - v.start
    elif states_kind(asked, quote[2], genre=genre):
        return quote
    if not 0 <= a < b <= block.start or v.text[b:block.start].strip(" \n。；;，,（("):
        return quote  # the bracket closes another sentence than the quoted one
    return quote[0], v.start + block.end, v.text[a:block.end]


_FIGURE = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万]+\s*(?:亿元|万元|千元|元|[个家项套名所条次倍台户人年月天%％])")


def whole_clause_of(ctx: Context, v: View, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sentences picked from one clause, as one quote of the whole clause when it is short
    (clause_quote) and holds them all; else the sentences as they are."""
    if not spans:
        return spans
    whole = clause_quote(ctx, v, spans[0])
    return [whole] if all(whole[0] <= s[0] and s[1] <= whole[1] for s in spans) else spans


def quoted_already(citer: Citer, v: View, span: tuple[int, int, str]) -> bool:
    """The span lies inside a quote the answer already shows (a clause quoted whole)."""
    return any(c.policy_id == v.policy_id and c.start <= span[0] and span[1] <= c.end for c in citer.citations)


def whole_clauses(ctx: Context, picks: list[tuple[float, View, tuple[int, int, str]]]
                  ) -> list[tuple[float, View, tuple[int, int, str]]]:
    """Picks with short clauses quoted whole (clause_quote); a later pick inside a quote already made
    is dropped, so a clause is quoted and cited once."""
    out: list[tuple[float, View, tuple[int, int, str]]] = []
    for score, v, s in picks:
        s = clause_quote(ctx, v, s)
        if any(o[1].policy_id == v.policy_id and o[2][0] <= s[0] and s[1] <= o[2][1] for o in out):
            continue
        out.append((score, v, s))
    return out


def whole_sentences(v: View, start: int, end: int) -> tuple[int, int, str] | None:
    """The span [start, end) widened to the whole sentence(s) of the view that hold it: a fact read from
    a clause is quoted with the rest of its sentence, so the amount or condition after a ； is shown."""
    a, b = start - v.start, end - v.start
    if not 0 <= a < b <= len(v.text):
        return None
    for m in _FULL_SENTENCE.finditer(v.text):
        if m.start() <= a < m.end():
            a = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        if m.start() < b <= m.end():
            b = m.start() + len(m.group(0).rstrip())
    if b - a > 2 * LONG_SENTENCE:  # a list run together: the clause itself
        a, b = start - v.start, end - v.start
    return v.start + a, v.start + b, v.text[a:b]


def with_cap(v: View, span: tuple[int, int, str] | None, *, genre: Genre) -> tuple[int, int, str] | None:
    """An offer's quote and, when the sentence right after it states only the cap of the offers before
    it (以上补贴标准，单套补贴金额最高不超过10万元; `cap_sentence`), that sentence too: the offer's amount is
    bounded by it. One quote, so the offer and its cap are one citation of one clause."""
    if span is None:
        return None
    after = next((s for s in sentences(v) if s[0] >= span[1]), None)
    gap = v.text[span[1] - v.start : after[0] - v.start] if after else ""
    if after is None or gap.strip() or not re.search(settings_data(genre)["cap_sentence"], after[2]):
        return span
    if after[1] - span[0] > 2 * LONG_SENTENCE + len(after[2]):
        return span
    return span[0], after[1], v.text[span[0] - v.start : after[1] - v.start]


STATED_AHEAD = 1  # sentences after a quote searched for the one that states the asked amount


def with_stated(ctx: Context, v: View, span: tuple[int, int, str] | None) -> tuple[int, int, str] | None:
    """A quote that does not state the asked kind of fact (an amount for 能拿多少 / 能拿钱吗), widened to
    the sentence right after it in its clause when that one does: an offer often names whom it rewards in one
    sentence and how much in the next ("对年组织游客…的旅行社进行奖励。每满一万人奖励一万元。"). One
    quote, so the offer and its amount are one citation; a quote that states it already is kept."""
    kind = ctx.asked
    if span is None or not asks_amount(ctx) or states_kind(kind, span[2], genre=ctx.genre):
        return span
    after = [s for s in sentences(v) if s[0] >= span[1]][:STATED_AHEAD]
    end = span[1]
    for s in after:
        if v.text[end - v.start : s[0] - v.start].strip() or s[1] - span[0] > 2 * LONG_SENTENCE:
            return span  # not contiguous (a table cell, another paragraph's text) or too long
        end = s[1]
        if states_kind(kind, s[2], genre=ctx.genre):
            return span[0], end, v.text[span[0] - v.start : end - v.start]
    return span


TIE_SHARE = 0.9  # sentences of a clause scoring this share of the quoted one are not told apart by the question


def with_tied_tiers(ctx: Context, v: View, span: tuple[int, int, str]) -> tuple[int, int, str]:
    """A quote stating the asked kind of fact for one tier of a clause (each kind of city, person or
    certificate with its own figure), widened to the clause's other sentences stating one when the
    question's words do not tell them apart (its everyday word for the tier is none of the
    document's): the asked tier's figure is then shown with its own words, not guessed as the first.
    A tier the question names (its words or its grade) scores above the rest and is quoted alone."""
    kind = ctx.asked
    if kind is None or not ctx.focus or not states_kind(kind, span[2], genre=ctx.genre):
        return span

    def score(text: str) -> float:
        return relevance(ctx, text, genre=ctx.genre) + grade_bonus(ctx, text)

    stating = [s for s in sentences(v) if not is_heading(v, s[2]) and states_kind(kind, s[2], genre=ctx.genre)]
    quoted = [s for s in stating if span[0] <= s[0] and s[1] <= span[1]]
    if not quoted:
        return span
    own = max(score(s[2]) for s in quoted)
    tied = [s for s in stating if score(s[2]) >= TIE_SHARE * own]
    if len(tied) < 2:
        return span
    a, b = min(span[0], *(s[0] for s in tied)), max(span[1], *(s[1] for s in tied))
    if b - a > 2 * LONG_SENTENCE:
        return span
    return a, b, v.text[a - v.start : b - v.start]


def asks_amount(ctx: Context) -> bool:
    """The question asks a sum of money (its asked kind is stated by "5万元", not by any count): the
    kind of fact an offer writes in the sentence after it. A date or a count next to a clause is as
    often about something else."""
    kind = ctx.asked
    return kind is not None and states_kind(kind, "5万元", genre=ctx.genre) and not states_kind(kind, "3个", genre=ctx.genre)


def offer_clause(v: View, start: int, end: int) -> tuple[int, int, str] | None:
    """The offer's own ；-clauses when its sentence lists several offers with their own conditions
    (一类新药…200万元；二类新药…100万元): the conditions marked for one offer are its own; otherwise
    its whole sentence(s)."""
    span = whole_sentences(v, start, end)
    if span is None or "；" not in span[2]:
        return span
    a = span[0] - v.start
    pieces, pos = [], a
    for part in re.split(r"(?<=；)", span[2]):
        if part and pos < end - v.start and pos + len(part) > start - v.start:
            pieces.append((pos, pos + len(part)))
        pos += len(part)
    if not pieces:
        return span
    x, y = pieces[0][0], pieces[-1][1]
    text = v.text[x:y].strip().rstrip("；")
    x += len(v.text[x:y]) - len(v.text[x:y].lstrip())
    return v.start + x, v.start + x + len(text), text


def _support_from_text(ctx: Context, *, genre: Genre) -> Composed:
    """No support facts fit: quote the support sentences of the best retrieved measures."""
    markers = "|".join(map(re.escape, settings_data(genre)["support_markers"]))
    picks = ranked_sentences(ctx, must=markers, genre=genre)[:3]
    if not picks or not ctx.covers("".join(p[2][2] for p in picks), [p[1].measure_id for p in picks]):
        return abstain(ctx, "语料中没有找到与问题相符的支持或补贴条款。")
    picks = with_listed(narrowed(ctx, picks, lambda p: pick_text(p, genre=genre), genre=genre))
    citer, lines = Citer(), []
    for _, v, s in whole_clauses(ctx, picks):
        n = citer.cite(v, *s)
        lines.append(f"- {_source(v, s[2])}：{shown(s[2])} [{n}]")
    note = "" if ctx.graph_available else "\n\n（图谱暂不可用：以上为检索到的原文条款，未列出责任单位。）"
    return Composed(answer="相关的支持条款（原文）：\n\n" + "\n".join(lines) + note, citations=citer.citations,
                    evidence=[p[1].measure_id for p in picks])


# grades ----------------------------------------------------------------------------------------------

_CN_NUMERALS = "零一二三四五六七八九十"
_GRADE_PARTS = re.compile(r"^(?P<stem>.*?)\s*(?P<suffix>星级|级|类|档|等)(?:工|技师)?$")
_LIST_JOINER = "、，,和及与或"


@dataclass(frozen=True)
class Grade:
    """A grade the question names: its stem and suffix (三 + 星级, A + 类, 初 + 级), or a threshold
    (suffix "": 2万平方米, matched as written)."""

    text: str
    stem: str
    suffix: str = ""


def asked_grades(question: str, *, genre: Genre) -> list[Grade]:
    """The grades, levels, categories and size thresholds a question names (answer.yaml grade,
    grade_threshold): of a tiered clause or a table, the part for that grade answers."""
    data = settings_data(genre)
    out: list[Grade] = []
    for m in re.finditer(data.get("grade") or "$^", question):
        parts = _GRADE_PARTS.match(re.sub(r"\s", "", unicodedata.normalize("NFKC", m.group(0))))
        if parts and parts.group("stem"):
            out.append(Grade(m.group(0), parts.group("stem"), parts.group("suffix")))
    for m in re.finditer(data.get("grade_threshold") or "$^", question):
        size = re.sub(r"\s|及?以上|及?以下|以内", "", unicodedata.normalize("NFKC", m.group(0)))
        out.append(Grade(m.group(0), size))
    return out


def _numeral(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _CN_NUMERALS.index(word) if len(word) == 1 and word in _CN_NUMERALS else None


def _stem_forms(stem: str) -> set[str]:
    """A grade's stem as documents write it: 3 and 三 alike."""
    value = _numeral(stem)
    if value is None or not 0 < value <= 10:
        return {stem}
    return {stem, str(value), _CN_NUMERALS[value]}


def names_grade(grade: Grade, text: str) -> bool:
    """The text names this grade: as written (3级 / 三级), inside a list of grades that share its suffix
    (三星级、四星级 / A、B、C类 / 3A、4A、5A级), or in a range of them (2—5星级)."""
    bare = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
    if not grade.suffix:
        return grade.stem in bare
    forms = _stem_forms(grade.stem)
    if any(f + grade.suffix in bare for f in forms):
        return True
    suffix, sep = re.escape(grade.suffix), f"[{_LIST_JOINER}]"
    item = f"[^{_LIST_JOINER}。；;：:（）()]"
    for m in re.finditer(f"((?:{item}{{1,4}}{sep})+{item}{{1,4}}?){suffix}", bare):
        if any(p.removesuffix(grade.suffix) in forms or p[-len(grade.stem):] in forms
               for p in re.split(sep, m.group(1)) if p):
            return True
    value = _numeral(grade.stem)
    for m in re.finditer(f"(\\d{{1,2}}|[一二三四五六七八九十])[—–\\-~～至到](\\d{{1,2}}|[一二三四五六七八九十]){suffix}", bare):
        lo, hi = _numeral(m.group(1)), _numeral(m.group(2))
        if value is not None and lo is not None and hi is not None and lo <= value <= hi:
            return True
    return False


def grade_bonus(ctx: Context, sentence: str) -> float:
    """answer.yaml grade_bonus for a sentence naming a grade the question names, else 0."""
    if not ctx.grades or not any(names_grade(g, sentence) for g in ctx.grades):
        return 0.0
    return settings_data(ctx.genre).get("grade_bonus", 0.0)


LABEL_STEP = 0.001  # a labelled row's lead over its item's best sentence: first of the item, not above others

# a line opened by its label, as a guide's table row or a notice's item writes it ("条件要求 | 1．…",
# "申报条件：…", "联系方式：…")
_LINE_LABEL = re.compile(r"^[|\s]*([\u4e00-\u9fff/]{2,6})\s*[|：:]")


def labels_asked(ctx: Context, sentence: str) -> bool:
    """The line's label says what the question's asking clause asks (条件要求 for 得满足哪几条条件, 对老师
    有啥要求; 发文字号 for 依据的文件字号是多少): a guide or compilation writes each kind of fact of an item in
    its own labelled row, while the item's other rows repeat the words of its name."""
    m = _LINE_LABEL.match(sentence)
    if m is None:
        return False
    label, asking = m.group(1), ctx.asking_text
    # by the label's two-character words: 条件 and 要求 are the question's asking words, not its focus
    return any(label[i : i + 2] in asking for i in range(len(label) - 1))


def graded_relevance(ctx: Context, sentence: str, rel: float, best: float) -> float:
    """A sentence's relevance, raised to grade_share of its clause's best when it names the asked grade:
    a table row or tier shares few of the question's words (the table's title has them)."""
    if rel >= best or not grade_bonus(ctx, sentence):
        return rel
    return max(rel, settings_data(ctx.genre).get("grade_share", 0.0) * best)


ROW_CELL = 30  # characters: a line this short, among lines this short, is a table cell
ROW_LINES = 8  # cells of one table row at most


def candidate_sentences(ctx: Context, view: View) -> list[tuple[int, int, str]]:
    """The view's sentences, and for a question naming a grade, the table rows that start with a cell
    naming it (a table written one cell a line: "3级", "90%", … — the grade's row is its cells up to
    the next row's grade). A line only naming the documents the measure rests on (answer.yaml
    citing_line) is none, unless the question asks the basis."""
    out = [s for s in sentences(view) if not only_cites(ctx, s[2])]
    if not ctx.grades:
        return out
    data = settings_data(ctx.genre)
    pattern = "|".join(p for p in (data.get("grade"), data.get("grade_threshold")) if p)
    lines = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", view.text) if m.group(0).strip()]
    for i, (a, line) in enumerate(lines):
        if len(line.strip()) > ROW_CELL or not any(names_grade(g, line) for g in ctx.grades):
            continue
        end = a + len(line.rstrip())
        for b, cell in lines[i + 1 : i + ROW_LINES]:
            if len(cell.strip()) > ROW_CELL or cell.strip()[-1] in "。；;！？" or (pattern and re.search(pattern, cell)):
                break  # a sentence, or the next row's grade
            end = b + len(cell.rstrip())
        start = a + len(line) - len(line.lstrip())
        if end > start + len(line.strip()):
            out.append((view.start + start, view.start + end, view.text[start:end]))
    return out


def only_cites(ctx: Context, sentence: str) -> bool:
    """The sentence only names the documents its measure rests on (answer.yaml citing_line: "依据文件 |
    《…》") and the question does not ask the basis: it says nothing of what is asked."""
    return not ctx.asks_basis_line and bool(re.match(settings_data(ctx.genre).get("citing_line") or "$^", sentence.strip()))


def shown(text: str) -> str:
    """A quote as an answer line shows it: a table row's cells, one a line in the text, on one line."""
    return re.sub(r"\s*\n\s*", " ", text)


def ranked_sentences(ctx: Context, must: str | None = None, limit: int = 8,
                     per_view: int = 2, *, genre: Genre,
                     excused: Callable[[View], bool] | None = None) -> list[tuple[float, View, tuple[int, int, str]]]:
    """Sentences of the top fused measures, scored by overlap with the question's content words
    (plus a little for the measure's title and its fused rank); only sentences with some overlap.
    `must`: a pattern every sentence must match, except in the views `excused` exempts (a document whose
    title writes the year `must` asks for, see compose_general)."""
    focus = focus_text(ctx)
    out = []
    views = _candidate_views(ctx, limit=limit, genre=genre)
    closest = closest_in_meaning(ctx, views, genre=genre)
    for rank, v in enumerate(views, 1):
        title_bonus = 0.3 * overlap(focus, v.title) if focus else 0.0
        scored, rows = [], []
        before = 0.0  # the best relevance of the view's sentences so far (what a cap sentence caps)
        needed = None if excused is not None and excused(v) else must
        said = [s for s in candidate_sentences(ctx, v)
                if not ((needed and not re.search(needed, s[2])) or skips_heading(v, s[2]) or names_document(v, s[2]))]
        rel = {s: relevance(ctx, s[2], genre=genre) if focus else 0.1 for s in said}
        best = max(rel.values(), default=0.0)
        for s in said:
            base = graded_relevance(ctx, s[2], rel[s], best)
            base, before = caps_offers(ctx, s[2], base, before, genre=genre), max(before, base)
            if v.measure_id in closest:
                base = meaning_relevance(base, genre=genre)
            labelled = labels_asked(ctx, s[2])  # the row labelled with what is asked may share no other word
            if base > 0 or labelled:
                scored.append((base + title_bonus + 0.2 / rank + phrase_bonus(ctx.linked.text, s[2], v.policy)
                               + kind_bonus(ctx.asked, s[2], genre=genre) + grade_bonus(ctx, s[2]), v, s))
                rows.append(labelled)
        if any(rows):  # the item's row labelled with what is asked is its answer: first of the item,
            top = max(t[0] for t in scored)  # which ranks among the others by its best sentence as before
            scored = [(max(t[0], top + LABEL_STEP), t[1], t[2]) if b else t for t, b in zip(scored, rows, strict=True)]
        scored.sort(key=lambda t: -t[0])
        out.extend(stating_first(ctx, scored, genre=genre)[:per_view])
    out.sort(key=lambda t: -t[0])
    return out


def closest_in_meaning(ctx: Context, views: list[View], *, genre: Genre) -> set[str]:
    """The candidate clauses the dense signal finds closest in meaning to the question: the best one,
    when it is close (answer.yaml dense_close), and any within `meaning_margin` of it; and the clause
    the lexical and the dense signal both rank first (two independent signals agreeing, see
    lead_measure). A question in everyday words ("税能不能晚点交，最多拖多久", "换个区再买还算首套吗")
    shares few or none of its clause's words ("依法办理延期缴纳税款", "只核查…所在县(市)区…的住房情况"),
    so word overlap alone prefers a neighbour that repeats the place or a common word; the clause whose
    meaning is nearest is then a candidate too."""
    lead = lead_measure(ctx)
    out = {lead.measure_id} if lead is not None and lead in views else set()
    if ctx.dense_score is None or not views:
        return out
    data = settings_data(genre)
    scores = {v.measure_id: ctx.dense_score(v.measure_id) for v in views}
    top = max(scores.values())
    if top < data["dense_close"]:
        return out
    return out | {m for m, cos in scores.items() if cos >= max(data["dense_close"], top - data["meaning_margin"])}


def meaning_relevance(base: float, *, genre: Genre) -> float:
    """A sentence's relevance when its clause is the closest in meaning (closest_in_meaning): at least
    `meaning_floor` (its words may be none of the question's), plus `meaning_bonus`."""
    data = settings_data(genre)
    return max(base, data["meaning_floor"]) + data["meaning_bonus"]


STATING_SHARE = 0.6  # a sentence of a clause that states the asked fact goes first when it scores this share of the best


def stating_first(ctx: Context, scored: list[tuple[float, View, tuple[int, int, str]]], *,
                  genre: Genre) -> list[tuple[float, View, tuple[int, int, str]]]:
    """A clause's scored sentences (best first) with those that state the asked kind of fact (几套 ->
    "1套", 多久 -> "6个月") moved before those that do not, when they score nearly as well: of one
    clause, the sentence that says the asked fact answers, not the one richest in the question's words
    ("配租房型应与申请家庭保障人数相对应" vs "申请家庭只限申请承租1套公共租赁住房")."""
    if len(scored) < 2 or kind_bonus(ctx.asked, scored[0][2][2], genre=genre) > 0:
        return scored
    floor = STATING_SHARE * scored[0][0]
    stating = [t for t in scored if t[0] >= floor and kind_bonus(ctx.asked, t[2][2], genre=genre) > 0]
    return stating + [t for t in scored if t not in stating] if stating else scored


CAP_EDGE = 0.05  # a cap sentence ranks just above the offers it caps: it bounds every one of them


def caps_offers(ctx: Context, sentence: str, base: float, before: float, *, genre: Genre) -> float:
    """The relevance of a sentence that states only the cap of the offers written before it in its
    clause ("以上补贴标准，单套补贴金额最高不超过10万元"), for a question that asks the most one gets
    (answer.yaml `maximum_ask`): that of the offers it caps, and a little more (it answers "最多能拿多少"
    for all of them). Else `base`: "二孩…贴多少" asks the rate of the offer that names 二孩, which the cap
    does not state."""
    data = settings_data(genre)
    if before <= 0 or not re.search(data["cap_sentence"], sentence):
        return base
    if not re.search(data.get("maximum_ask") or "$^", ctx.text):
        return base
    if kind_bonus(ctx.asked, sentence, genre=genre) <= 0:
        return base
    return max(base, before + CAP_EDGE)


def says_every_word(ctx: Context, text: str, *, genre: Genre) -> bool:
    """The text says every content word of the question, as written or by a synonym or policy wording."""
    from rag.tokenize import load_thesaurus

    if not ctx.focus:
        return False
    th = load_thesaurus(genre=genre)
    low = text.lower()
    return all(t.lower() in low or any(s in low for s in th.synonyms(t))
               or any(s in text for s in word_equivalents(t, genre=genre))
               or said_by_parts(t, text, genre=genre)
               or (len(t) >= 3 and re.search(".?".join(map(re.escape, t)), text))  # 固体废物 in 固体废弃物
               for t in ctx.focus)


def narrowed(ctx: Context, items: list, text_of: Callable[[object], str], *, genre: Genre) -> list:
    """The evidence an answer quotes, of the close candidates: when the question asks a kind of fact
    (多久, 多少钱, 几套) and some state one, only those; then, when some say every word of the question,
    only those (their neighbours share some words and answer something else). One citation per clause
    that answers, not one for each clause near it."""
    if len(items) < 2:
        return items
    stating = [it for it in items if kind_bonus(ctx.asked, text_of(it), genre=genre) > 0]
    items = stating or items
    graded = [it for it in items if grade_bonus(ctx, text_of(it)) > 0]
    items = graded or items  # the row or clause part of the grade the question names, not its neighbours'
    whole = [it for it in items if says_every_word(ctx, text_of(it), genre=genre)]
    return whole or items


COVER_SHARE = 0.6  # a candidate saying less than this share of what the best one says of the question is a neighbour


def covering(ctx: Context, items: list, text_of: Callable[[object], str], *, genre: Genre) -> list:
    """The candidates that say nearly as much of the question as the best one (rarity-weighted share of
    its content words): a target that shares only a common word (比例) with a question the best one
    answers in four of its five words is about something else. Used for targets, whose rows are
    facts of many documents; a clause quoted for a general question may say the asked thing in other
    words, and is kept."""
    if len(items) < 2 or not ctx.focus:
        return items
    said = [coverage(ctx.focus, text_of(it), ctx.term_weight, genre=genre) for it in items]
    floor = COVER_SHARE * max(said)
    return [it for it, c in zip(items, said, strict=True) if c >= floor]


def pick_text(pick: tuple[float, View, tuple[int, int, str]], *, genre: Genre) -> str:
    """What a picked sentence says: with its clause's title; a sentence capping the offers before it
    (see caps_offers) says what they say too."""
    _, v, (_start, end, sentence) = pick
    if re.search(settings_data(genre)["cap_sentence"], sentence):
        return v.title + v.text[: max(end - v.start, 0)]
    return v.title + sentence


def near_picks(picks: list[tuple[float, View, tuple[int, int, str]]], *,
               genre: Genre) -> tuple[list[tuple[float, View, tuple[int, int, str]]], set[str]]:
    """The close picks and, beside them, those nearly as close (answer.yaml near_pick_share: a clause the
    question's words rank second is often the one that answers in the document's own words), with the
    measures of the close ones — which narrowing never drops for a near one (narrowed_beside)."""
    near = settings_data(genre)["near_pick_share"] or None  # none set: pick_share alone
    kept = close_picks(picks, share=near, genre=genre)
    return kept, {p[1].measure_id for p in close_picks(kept, genre=genre)}  # same best, so the same close ones


def narrowed_beside(ctx: Context, picks: list, strong: set[str], *, genre: Genre) -> list:
    """`narrowed` picks, with the close ones narrowed alone when narrowing would keep only near ones: a
    near pick is quoted beside the close ones, never instead of them."""
    def text_of(p):
        return pick_text(p, genre=genre)

    kept = narrowed(ctx, picks, text_of, genre=genre)
    if not any(p[1].measure_id in strong for p in kept):
        kept = narrowed(ctx, [p for p in picks if p[1].measure_id in strong], text_of, genre=genre) or kept
    return kept


def close_picks(picks: list[tuple[float, View, tuple[int, int, str]]], share: float | None = None, *,
                genre: Genre) -> list[tuple[float, View, tuple[int, int, str]]]:
    """The best pick and those close behind it (answer.yaml pick_share, unless another share is given)."""
    if not picks:
        return picks
    share = settings_data(genre)["pick_share"] if share is None else share
    return [p for p in picks if p[0] >= share * picks[0][0]]


def asked_kind(question: str, *, genre: Genre) -> dict | None:
    """The kind of fact the question asks for (answer.yaml asked_facts: the first cue it matches), or
    None: {"cue", "fact", "mask", "unit"} — `unit` the counter the question counts in (几套: 套), when
    its cue captures one."""
    kinds = settings_data(genre).get("asked_facts") or []
    whether = yes_no_kind(question, kinds, genre=genre)
    if whether is not None:
        return whether
    spec = genre.data("intents").get("asking") or {}
    for kind in kinds:  # a counter the question names (几套, 多少家) is the most specific ask
        m = asking_match(kind["cue"], question, spec)
        if m and m.groupdict().get("unit"):
            return {**kind, "unit": m.group("unit"), "subject": asked_subject(question[: m.start()])}
    for kind in kinds:
        if m := asking_match(kind["cue"], question, spec):
            act = asked_act(question[m.end():], genre=genre)
            return {**kind, "unit": None, "subject": asked_subject(question[: m.start()]),
                    "act": act[0] if act else None, "act_at": (m.end() + act[1], m.end() + act[2]) if act else None}
    return None


def asking_match(cue: str, question: str, spec: dict) -> re.Match | None:
    """The first occurrence of a cue that asks: not one whose question word means "some" (some_word:
    补缴了几个月，…会不会被卡 asks no span; 那几年 no count of years)."""
    for m in re.finditer(cue, question):
        word = re.search(spec.get("interrogative") or "$^", m.group(0))
        if word is None or not some_word(question, m.start() + word.start(), spec):
            return m
    return None


def yes_no_kind(question: str, kinds: list[dict], *, genre: Genre) -> dict | None:
    """The whether-kind (asked_facts `after_subject`: 能不能, 可以…吗, 算不算) when the question asks
    whether, with `whether`: what the question asks to do, from the cue to the end of its clause — the
    words a rule answering it governs ("不得拒绝…共享申请" for 能随便回绝吗). A question word after the
    whether-cue in its clause is no question but an indefinite, as in any yes/no question of Chinese
    ("能不能同时找几家推荐单位一起报": several), and so is one in a clause before it that states what the
    asker has (intents.yaml `asking.premise`: "有几个月是补交的，算不算连着交": some months); the kind it
    cues is not asked ("要几个工作日，能不能加急" still asks the span). None when no whether is asked, or another kind
    is (多少钱能报销吗, 还能申请吗？最多能拿多少, 能拿到钱吗: asked_kind's order decides)."""
    whether = next((k for k in kinds if k.get("after_subject")), None)
    m = re.search(whether["cue"], question) if whether is not None else None
    if m is None:
        return None
    spec = genre.data("intents").get("asking") or {}
    breaks, asking = clause_break(spec), spec.get("interrogative") or "$^"
    after = re.search(breaks, question[m.end():])
    end = m.end() + after.start() if after else len(question)
    begin = clause_start(question, m.start(), spec)
    for kind in kinds:
        other = re.search(kind["cue"], question) if kind is not whether else None
        if other is None:
            continue
        premise = other.start() < begin and bool(re.search(spec.get("premise") or "$^", question[: other.end()]))
        indefinite = bool(re.search(asking, other.group(0))) and (premise or m.start() <= other.start() < end)
        if not indefinite:
            return None
    act = asked_act(question[m.end():], genre=genre)
    return {**whether, "unit": None, "subject": asked_subject(question[: m.start()]),
            "act": act[0] if act else None, "act_at": (m.end() + act[1], m.end() + act[2]) if act else None,
            "whether": question[m.start():end]}


# what may stand between the word a fact is asked of and the asking words (公示要几天, 期限一般是多久)
_SUBJECT_LINK = r"(?:要|需要|得|能|可以|可|能够|大概|大约|一般|一共|总共|最多|最长|最少|最短|是|为|有)*"


def asked_subject(before: str) -> str | None:
    """The word the asked fact is asked of: the two characters right before the asking words, past a
    modal or an adverb (公示几天 -> 公示, 期限一般是多久 -> 期限). None when none is written there."""
    m = re.search(r"[\u4e00-\u9fff]{2}$", re.sub(rf"{_SUBJECT_LINK}$", "", before))  # 最多 of 最多几天 is no subject
    return m.group(0) if m and not _ASKING_WORD.search(m.group(0)) else None


def asked_act(after: str, *, genre: Genre) -> tuple[str, int, int] | None:
    """The act a span is asked of when it follows the asking words (answer.yaml `span_act`), with where
    it stands in `after`: 多少个工作日要审完 -> 审完, 提前多久去申请 -> 申请 — a party's step of a procedure,
    said after the time in Chinese as often as its subject before it (公示几天). None when nothing
    follows (多久之内？)."""
    pattern = settings_data(genre).get("span_act")
    m = re.match(pattern, after) if pattern else None
    if m is None or _ASKING_WORD.search(m.group("act")):
        return None
    return m.group("act"), m.start("act"), m.end("act")


_COUNT = r"(?:[0-9０-９]+|[一二两三四五六七八九十百千万]+)\s*"


def states_kind(kind: dict, sentence: str, *, genre: Genre) -> bool:
    """The sentence states a fact of this kind (a duration, an amount, an age limit…), once what only
    looks like one (a date, a clause number) is masked; a count asked in a counter (几套) is stated in
    that counter ("1套", not "1名")."""
    text = re.sub(kind.get("mask") or "$^", " ", clause_numbers(genre).sub("", sentence))  # 第二十一条 counts nothing
    if kind.get("unit"):
        return bool(re.search(_COUNT + re.escape(kind["unit"]), text))
    return bool(re.search(kind["fact"], text))


def asked_fact_bonus(question: str, sentence: str, *, genre: Genre) -> float:
    """A bonus for a sentence that states the kind of fact the question asks for (answer.yaml
    asked_facts: the first cue the question matches decides): 多久 wants "6个月", 多少钱 wants "50万元"."""
    return kind_bonus(asked_kind(question, genre=genre), sentence, genre=genre)


def kind_bonus(kind: dict | None, sentence: str, *, genre: Genre) -> float:
    """asked_fact_bonus for a question whose asked kind is known already (Context.asked: computed once
    per question, not once for every sentence scored)."""
    if kind is None or not states_kind(kind, sentence, genre=genre):
        return 0.0
    bonus = settings_data(genre).get("asked_fact_bonus", 0.0)
    return 2 * bonus if states_of_subject(kind, sentence, genre=genre) else bonus


SUBJECT_GAP = 6  # characters between the word a fact is asked of and the fact, in a sentence stating it of that word


def states_of_subject(kind: dict, sentence: str, *, genre: Genre) -> bool:
    """The sentence states the asked fact of the word it is asked of (asked_subject): 公示几天 is
    answered by "公示时间为5个工作日", more than by "自接到异议之日起20个工作日内…调查核实" beside it — a
    clause often states several spans, each of its own subject."""
    if kind.get("act_words"):  # a whether-question: the rule on its act (rules_on_act)
        return rules_on_act(kind, sentence, genre=genre)
    subject, act = kind.get("subject"), kind.get("act")
    if not subject and not act:
        return False
    text = re.sub(kind.get("mask") or "$^", " ", clause_numbers(genre).sub("", sentence))
    fact = _COUNT + re.escape(kind["unit"]) if kind.get("unit") else f"(?:{kind['fact']})"
    if subject and re.search(rf"{re.escape(subject)}[^。；;，,]{{0,{SUBJECT_GAP}}}?{fact}", text):
        return True
    # the act after the span (15个工作日内完成审核 for 多少个工作日要审完): its own verb, one of its
    # policy wordings, or its first character — the everyday verb (审完) is seldom the document's (审核)
    verbs = [act, *word_equivalents(act, genre=genre), act[0]] if act else []
    return any(re.search(rf"{fact}[^。；;，,]{{0,{SUBJECT_GAP}}}?{re.escape(v)}", text) for v in verbs)


_CLAUSE_END = re.compile(r"[，,。；;：:]")


def rules_on_act(kind: dict, sentence: str, *, genre: Genre) -> bool:
    """The sentence rules on the act a whether-question asks about (Context.asked `act_words`: its content
    words from the whether-cue on): a word of prohibition, permission or consequence (the kind's
    `fact`: 不得, 不予, 不视为…) followed in its clause by a word of the act, as written or by a
    synonym ("不得拒绝其他部门提出的共享申请" rules on 回绝; "不得将通过共享获得的公共数据用于政府信息公开"
    on 拿去做政府信息公开). A sentence that only repeats the question's nouns, or forbids something
    else beside them ("不予共享的公共数据…"), does not."""
    act = kind.get("act_words") or []
    for m in re.finditer(kind["fact"], sentence):
        scope = _CLAUSE_END.split(sentence[m.end():], 1)[0]
        if scope and any(coverage([t], scope, genre=genre) >= 1.0 for t in act):
            return True
    return False


TYPED_VIEWS = 12  # retrieved clauses searched for a sentence stating the asked kind of fact
NEIGHBOUR_SHARE = 0.5  # of its clause's best relevance, for a typed sentence sharing no word of the question


def typed_sentences(ctx: Context, kind: dict, *, genre: Genre) -> list[tuple[float, View, tuple[int, int, str]]]:
    """Sentences of the best retrieved clauses that state the asked kind of fact, scored like
    ranked_sentences. A sentence that repeats no word of the question but follows its clause's
    subject ("申请人填报的信息不齐全的，一次性告知补正" after "…对人才入户申报进行受理和审核") counts
    NEIGHBOUR_SHARE of the clause's best relevance: the remedy, the time limit or the cap is often
    its own sentence, next to the one that names what it is about."""
    focus = focus_text(ctx)
    out = []
    views = _candidate_views(ctx, limit=TYPED_VIEWS, genre=genre)
    closest = closest_in_meaning(ctx, views, genre=genre)
    for rank, v in enumerate(views, 1):
        said = [s for s in candidate_sentences(ctx, v)
                if not skips_heading(v, s[2]) and not names_document(v, s[2])]
        rel = {s: (relevance(ctx, s[2], genre=genre) if focus else 0.1) for s in said}
        if v.measure_id in closest:
            rel = {s: meaning_relevance(r, genre=genre) for s, r in rel.items()}
        best = max(rel.values(), default=0.0)
        if best <= 0:
            continue
        title_bonus = 0.3 * overlap(focus, v.title) if focus else 0.0
        for s in said:
            if states_kind(kind, s[2], genre=genre):
                base = max(graded_relevance(ctx, s[2], rel[s], best), NEIGHBOUR_SHARE * best)
                out.append((base + title_bonus + 0.2 / rank + phrase_bonus(ctx.linked.text, s[2], v.policy)
                            + kind_bonus(ctx.asked, s[2], genre=genre) + grade_bonus(ctx, s[2]), v, s))
    out.sort(key=lambda t: -t[0])
    return out


def typed_first(ctx: Context, picks: list[tuple[float, View, tuple[int, int, str]]], *,
                genre: Genre) -> list[tuple[float, View, tuple[int, int, str]]]:
    """The answer-type check: when the question asks for a kind of fact (多久, 几套, 年龄…) and the best
    pick does not state one, the best retrieved sentence that does is quoted first — when it scores
    at least asked_fact_share of the best pick (a sentence of the right clause that carries the
    asked number, not the one richest in the question's words: "配租房型应与申请家庭保障人数相对应"
    does not say how many homes a family may rent; "只限申请承租1套" does), and only a sentence of the
    best pick's clause or of a clause that itself carries the question (Context.covers): the asked
    kind of value said about another subject retrieved alongside is no answer."""
    kind = ctx.asked
    if kind is None or not picks:
        return picks
    on_act = states_kind(kind, picks[0][2][2], genre=genre)  # states the kind: then only a rule on the act beats it
    if on_act and not ruled_elsewhere(ctx, picks[0]):
        return picks
    floor = settings_data(genre).get("asked_fact_share", 1.0) * picks[0][0]
    typed = [p for p in typed_sentences(ctx, kind, genre=genre)
             if p[0] >= floor and (not on_act or rules_on_act(kind, p[2][2], genre=genre))]
    # the sentence quoted first must be of a clause that carries the question (the evidence check on
    # its own clause): a 7个工作日 of another subject (数据复核) is no answer to 养老保险转移接续几个工作日
    carries = {picks[0][1].measure_id: True}  # per clause: several typed sentences may share one

    def carried(v: View) -> bool:
        if v.measure_id not in carries:
            carries[v.measure_id] = ctx.covers(v.title + v.text, [v.measure_id])
        return carries[v.measure_id]

    best = next((p for p in typed if carried(p[1])), None)
    if best is None:
        return picks
    return [best] + [p for p in picks if p[2][:2] != best[2][:2] or p[1].measure_id != best[1].measure_id]


def ruled_elsewhere(ctx: Context, pick: tuple[float, View, tuple[int, int, str]]) -> bool:
    """A whether-question's best pick states a prohibition or permission, but not of the act asked
    (rules_on_act), while a retrieved sentence does: "不予共享的公共数据…" names the asked nouns and
    forbids something else; "…不得将通过共享获得的公共数据用于政府信息公开" answers 能不能拿去做政府信息公开."""
    kind = ctx.asked
    if kind is None or not kind.get("act_words") or rules_on_act(kind, pick[2][2], genre=ctx.genre):
        return False
    return any(rules_on_act(kind, s[2], genre=ctx.genre) for _, _, s in typed_sentences(ctx, kind, genre=ctx.genre))


COMPLETED_INTENTS = ("general", "support", "targets", "duties")  # answers quoting what a clause says


def with_asked_fact(ctx: Context, composed: Composed, *, genre: Genre) -> Composed:
    """The answer-type check on the answer as composed: when the question asks a kind of fact (a
    span, an amount, a date, what is not allowed; asked_kind) or states the asker's own figure in a
    whether-question (own_figure_units), and none of the answer's quotes writes it, the sentence of the
    clause it cites first that does is quoted too — whole, as a reader needs it ("正式申报书受理时间为30
    天。" of the clause on the two rounds of 申报书; "有下列情形之一的不得申报：（1）…（3）同一项目已享受市级
    相关资金支持的…" for 已经拿过别的资金还能报吗; "…且经营时间已满三年的实体书店" for 营业才两年能申请吗). A
    composer picks sentences by the question's words, and the fact asked is often in a sentence that
    repeats few of them; the clause the answer cites is where a reader would look for it."""
    if composed.abstained or not composed.citations or ctx.intent.name not in COMPLETED_INTENTS:
        return composed
    tests = asked_fact_tests(ctx, genre=genre)
    first = next((c for c in composed.citations if c.measure_id in ctx.views), None)
    view = ctx.views.get(first.measure_id) if first is not None else None
    if not tests or view is None:
        return composed
    citer, lines = Citer(list(composed.citations)), []
    for test in tests:
        if any(test(c.quote) for c in citer.citations):
            continue
        scored = sorted(((relevance(ctx, s[2], genre=genre), s) for s in full_sentences(view)
                         if not skips_heading(view, s[2]) and test(s[2])), key=lambda t: -t[0])
        if not scored or scored[0][0] <= 0 or quoted_already(citer, view, scored[0][1]):
            continue
        span = scored[0][1]
        lines.append(f"> {shown(span[2])} [{citer.cite(view, *span)}]")
    return with_also_written(composed, lines, citer)


COMPLEMENTED_INTENTS = (*COMPLETED_INTENTS, "departments")  # answers quoting a clause by its sentences


def with_complement(ctx: Context, composed: Composed, *, genre: Genre) -> Composed:
    """The quote of a cited clause completed by the clause's sentence that says what the question asks
    and no quote of the answer says: a composer keeps the one or two sentences of a clause that share
    most of the question's words, and a question asking two things (办公室谁当主任？新建项目找哪个局;
    改设备补多少，有没有封顶) is often answered by two sentences of one clause, each saying its part. Of
    the first `complement_clauses` clauses cited, each gains at most one sentence (answer.yaml
    `complement_gain`: the rarity-weighted share of the question's content words it says beyond the
    quotes shown, see complement_share), among those scoring `complement_floor` of the clause's quoted
    sentence (a sentence sharing one common word is no answer), quoted whole under 同一条款还写明.
    A departments answer names the task by its clause's label: what the label says is shown."""
    data = settings_data(genre)
    if (composed.abstained or not composed.citations or not ctx.focus
            or ctx.intent.name not in COMPLEMENTED_INTENTS):
        return composed
    citer, lines, done = Citer(list(composed.citations)), [], set()
    for c in composed.citations:
        view = ctx.views.get(c.measure_id)
        if view is None or c.measure_id in done:
            continue
        done.add(c.measure_id)
        if len(done) > data["complement_clauses"]:
            break
        shown_text = "".join(x.quote for x in citer.citations)
        if ctx.intent.name == "departments":  # the answer names the task they carry by its clause's label
            shown_text += "".join(ctx.views[x.measure_id].label for x in citer.citations if x.measure_id in ctx.views)
        said = [s for s in full_sentences(view)
                if not skips_heading(view, s[2]) and len(s[2]) <= LONG_SENTENCE and not only_cites(ctx, s[2])]
        rel = {s: relevance(ctx, s[2], genre=genre) for s in said}
        quoted = [r for s, r in rel.items() if quoted_already(citer, view, s)]
        floor = data["complement_floor"] * max(quoted, default=0.0)  # near what is quoted, not any sentence
        best, gain = None, 0.0
        for s in said:
            if rel[s] <= 0 or rel[s] < floor or quoted_already(citer, view, s):
                continue
            g = complement_share(ctx, s[2], shown_text, genre=genre)
            if g > gain:
                best, gain = s, g
        if best is not None and gain >= data["complement_gain"]:
            lines.append(f"> {shown(best[2])} [{citer.cite(view, *best)}]")
    return with_also_written(composed, lines, citer)


ALSO_WRITTEN = "同一条款还写明："  # the heading of the sentences a cited clause adds to its quotes


def with_responsibility(ctx: Context, composed: Composed, *, genre: Genre) -> Composed:
    """A question asking two things, one of them who is responsible (这事是哪个部门在推？今年全市打算弄
    多少家？), is routed by the other: its answer quotes the first cited clause's sentence and leaves out
    the clause's 责任单位 block, which says who. The block is quoted too, under 同一条款还写明, when the
    question's departments cues score answer.yaml `responsibility_asked`."""
    if (composed.abstained or not composed.citations or ctx.intent.name in ("departments", "duties")
            or ctx.intent.scores.get("departments", 0.0) < settings_data(genre)["responsibility_asked"]):
        return composed
    first = composed.citations[0]
    view = ctx.views.get(first.measure_id)
    block = responsibility_quote(view, genre=genre) if view is not None else None
    citer = Citer(list(composed.citations))
    if block is None or quoted_already(citer, view, block):
        return composed
    return with_also_written(composed, [f"> {shown(block[2])} [{citer.cite(view, *block)}]"], citer)


def with_also_written(composed: Composed, lines: list[str], citer: Citer) -> Composed:
    """The answer with quoted sentences of the clauses it cites added under ALSO_WRITTEN (with_asked_fact,
    with_complement), and `citer`'s citations; the lines join the heading already ending the answer."""
    if not lines:
        return composed
    if composed.answer.rstrip().rsplit("\n\n", 1)[-1].startswith(ALSO_WRITTEN):
        return replace(composed, answer=composed.answer.rstrip() + "\n" + "\n".join(lines), citations=citer.citations)
    return replace(composed, answer=composed.answer.rstrip() + f"\n\n{ALSO_WRITTEN}\n\n" + "\n".join(lines),
                   citations=citer.citations)


def complement_share(ctx: Context, sentence: str, shown_text: str, *, genre: Genre) -> float:
    """The rarity-weighted share of the question's content words that the sentence says and the text
    already shown does not (each word counted by how much of it each says: said_part)."""
    weight = ctx.term_weight or (lambda t: float(len(t)))
    total = gained = 0.0
    for t in ctx.focus:
        w = weight(t)
        total += w
        gained += w * max(0.0, said_part(ctx, t, sentence, genre=genre) - said_part(ctx, t, shown_text, genre=genre))
    return gained / total if total else 0.0


def said_part(ctx: Context, term: str, text: str, *, genre: Genre) -> float:
    """How much of a content word a text says: as coverage counts it (whole, by a synonym or policy
    wording, or the share of its bigrams), and of a two-character noun no document writes — the
    user's own word, or two words run together by the segmenter (大病变穷 -> 病变) — the share of its
    characters the text writes (因病 says half of 病变), since no document can say it whole. A verb or
    a complement (办完, 过来) shares a character with too many sentences to say anything by one."""
    said = coverage([term], text, genre=genre)
    if said > 0 or len(term) != 2 or ctx.absent is None or not ctx.absent(term):
        return said
    return sum(ch in text for ch in term) / len(term)


def kind_for_intent(question: str, intent: str | None, *, genre: Genre) -> dict | None:
    """The kind of fact a question routed to `intent` asks for: asked_kind, except that a support
    question asking whether one can get it (能拿到补贴吗) asks for the offer, not for whether something
    is allowed (asked_facts `after_subject`). One asking whether something counts or is still accepted
    (asked_facts `counts_cue`: 申请还会受理吗, 算不算首套) asks the whether all the same: the clause's
    consequence answers it ("未按规定进行现场审查的，不予受理"), and no offer does."""
    kind = asked_kind(question, genre=genre)
    if kind is not None and kind.get("after_subject") and intent == "support" and not re.search(
            kind.get("counts_cue") or "$^", kind.get("whether") or ""):
        return None
    return kind


def asked_fact_tests(ctx: Context, *, genre: Genre) -> list[Callable[[str], bool]]:
    """What a quote must write for the answer to say what is asked: the asked kind of fact (of a
    support question too: whether one may is answered by the clause's 不得/不予 as well as by its
    offer), and a threshold in the unit of each figure the asker states of themself."""
    tests: list[Callable[[str], bool]] = []
    kind = asked_kind(ctx.linked.text, genre=genre)
    if kind is not None:
        tests.append(lambda text: states_kind(kind, text, genre=genre))
        if kind.get("after_subject"):
            tests.extend(partial(states_threshold_in, unit, genre=genre)
                         for unit in own_figure_units(ctx.linked.text, genre=genre))
    return tests


def full_sentences(view: View) -> list[tuple[int, int, str]]:
    """The view's sentences to the full stop (a list run together with ； is one sentence with its
    items: 有下列情形之一的不得申报：（1）…；（2）…), each once."""
    out: list[tuple[int, int, str]] = []
    for s in sentences(view):
        span = whole_sentences(view, s[0], s[1]) or s
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


def own_figure_units(question: str, *, genre: Genre) -> list[str]:
    """The units of the figures the asker states of themself (营业才两年 -> 年, 只有8个人 -> 人), numbers
    read as Arabic numerals (cn2an); a calendar year (2024年) is none."""
    from rag.thresholds import normalise

    units = []
    for m in re.finditer(settings_data(genre).get("own_figure") or "$^", normalise(question)):
        unit = m.group("unit").lstrip("个")
        if not (unit == "年" and float(m.group("number")) >= 1000):
            units.append(unit)
    return list(dict.fromkeys(units))


def states_threshold_in(unit: str, sentence: str, *, genre: Genre) -> bool:
    """The sentence sets a threshold on a figure in this unit (已满3年, 不少于10人, 50万元以上)."""
    from rag.thresholds import normalise

    if not re.search(re.escape(unit[-1]), sentence):
        return False  # cheap: no such unit written at all
    digits = "[0-9]{1,3}" if unit == "年" else "[0-9]+(?:\\.[0-9]+)?"
    figure = rf"(?<![0-9.]){digits}\s*个?{re.escape(unit)}"
    comparator = settings_data(genre).get("figure_threshold") or "$^"
    return bool(re.search(rf"(?:{comparator})[^，,。；;]{{0,8}}?{figure}|{figure}\s*(?:及|或)?(?:{comparator})",
                          normalise(sentence)))


@derived
def clause_numbers(genre: Genre) -> re.Pattern:
    """Clause numbers written in running text: the numbering styles of the genre's grammar that number
    with 第 (第二十一条, 第三章, 第一节, 第二编) and the parts a provision cites of another (grammar.yaml
    cited_parts: 第二款, 第三项, 第一部分). They name a place in the document and count nothing."""
    from corpus.grammar import grammar

    data = genre.data("grammar")
    ordinal = [s.regex.pattern for s in grammar(genre).styles if s.regex.pattern.startswith("第")]
    cited = str(data.get("cited_parts") or "").replace("{cn}", data["numerals"])
    return re.compile("|".join(f"(?:{p})" for p in [*ordinal, *([cited] if cited else [])]))


def names_document(view: View, sentence: str) -> bool:
    """The sentence is the document's own title (a heading line, or 现将《…》印发给你们): it names
    what the question is about without saying anything about it."""
    bare = re.sub(r"[\s《》。，,：:]", "", sentence)
    title = re.sub(r"[\s《》]", "", view.policy or "")
    return bool(title) and (bare == title or (title in bare and len(bare) - len(title) <= 16))


def phrase_bonus(question: str, sentence: str, title: str = "") -> float:
    """A sentence that writes a phrase of the question word for word ("半年考评分值") is about what
    was asked, more than one that shares the same words scattered: a bonus for the longest run of
    characters in common beyond PHRASE_MIN (a shorter run is any two words of the document's topic).
    A run that is part of the document's title (`title`) names the document, not the asked thing."""
    from difflib import SequenceMatcher

    if not question or not sentence:
        return 0.0
    m = SequenceMatcher(None, question, sentence, autojunk=False).find_longest_match(0, len(question), 0, len(sentence))
    if title and question[m.a : m.a + m.size] in title:
        return 0.0
    return min(PHRASE_STEP * max(m.size - PHRASE_MIN, 0), PHRASE_CAP)


PHRASE_MIN, PHRASE_STEP, PHRASE_CAP = 4, 0.15, 0.6


# targets and comparison --------------------------------------------------------------------------


def _value(r: dict) -> str:
    def num(x) -> str:
        return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)

    if r.get("value") is None:
        return ""
    v = num(r["value"])
    if r.get("value_max") is not None:
        v = f"{v}—{num(r['value_max'])}"
    comparator = r.get("comparator") or "="
    return v if comparator == "=" else f"{v}（{comparator}）"


def _target_matches(ctx: Context, rows: list[dict]) -> list[dict]:
    return [r for r in rows if r.get("score", 0) > 0 and readable_goal(r.get("quote") or r.get("text") or "")]


def readable_goal(text: str) -> bool:
    """A goal a person can read: not a formula of a table's note (达标率（%）=…/…×100%) nor table
    cells run together (mostly digits and spaces)."""
    if re.search(r"[=＝]|×\s*100", text):
        return False
    cells = len(re.findall(r"[\d\s.\-—]", text))
    return not (len(text) > 80 and cells > 0.35 * len(text))


def cite_fact(citer: Citer, ctx: Context, row: dict) -> int | None:
    """Cite the clause a fact was read from: its quote located in the measure (or, when the fact
    names no measure, in the indexed text that contains its offsets). No citation when the quote
    cannot be found verbatim: a fact that cannot be shown is not cited."""
    start, end = int(row.get("start") or 0), int(row.get("end") or 0)
    view = ctx.views.get(row.get("measure_id") or "")
    if view is None and ctx.locate is not None and row.get("policy_id"):
        view = ctx.locate(row["policy_id"], start, end)
    if view is None:
        return None
    quote = (row.get("quote") or "").strip()
    if quote:
        hits = [m.start() for m in re.finditer(re.escape(quote), view.text)]
        if hits:
            local = min(hits, key=lambda i: abs(view.start + i - start))
            a = _reach_back(view.text, local, str(row["year"])) if row.get("year") else local
            b = local + len(quote)
            return citer.cite(view, view.start + a, view.start + b, view.text[a:b])
    return citer.cite_span(view, start, end)


def quoted_year(citer: Citer, n: int | None, row: dict) -> int | None:
    """The fact's year when its cited quote writes it. A year inferred from elsewhere in the document
    (a goal section's 到2027年) is not stated: every number shown must be in a quote shown."""
    year = row.get("year")
    if not year or not n:
        return None
    return year if str(year) in citer.citations[n - 1].quote.replace(" ", "") else None


def _reach_back(text: str, local: int, year: str, limit: int = 300) -> int:
    """Where a quote must start to include the year it depends on ("到2027年，…；智算规模力争达到
    200EFLOPS"): the start of the sentence naming the year, when the quote itself does not."""
    if year in text[local:local + 400].split("。")[0]:
        return local
    found = [m.start() for m in re.finditer(rf"{year}\s*年", text[max(0, local - limit):local])]
    if not found:
        return local
    pos = max(0, local - limit) + found[-1]
    while pos > 0 and text[pos - 1] not in "。！？；\n":
        pos -= 1
    return pos


def compose_targets(ctx: Context, *, genre: Genre) -> Composed:
    """Targets as the graph extracted them, and goal sentences of the best clauses that no extracted
    target covers (a goal without a number, a row the extractor missed); each stated with its year,
    and the year cited where the document writes it (the sentence, an earlier sentence or goal
    paragraph of the same section, the plan's period) when the goal's own sentence does not."""
    rows = _target_matches(ctx, ctx.graph.targets if ctx.graph else [])
    years = {int(y) for y in ctx.linked.values("year")}
    if years:
        rows = [r for r in rows if r.get("year") in years]
    picks = goal_sentences(ctx, years, genre=genre)
    named = named_policies(ctx)
    if named and (any(r.get("policy_id") in named for r in rows) or any(p.view.policy_id in named for p in picks)):
        rows = [r for r in rows if r.get("policy_id") in named]  # the document the question names
        picks = [p for p in picks if p.view.policy_id in named]
    if rows:
        top = rows[0]["score"]
        rows = stating_rows(ctx, [r for r in rows if r["score"] >= 0.5 * top][:5], rows)
    rows, picks = narrowed_goals(ctx, rows, picks, genre=genre)
    citer, lines, best = Citer(), [], 0.0
    if rows and ctx.covers("".join(f"{r.get('metric')}{r.get('text')}{r.get('quote')}" for r in rows)):
        for r in rows:
            line = target_line(ctx, citer, r, genre=genre)
            if line and line not in lines:
                lines.append(line)
        best = max((relevance(ctx, c.quote, genre=genre) for c in citer.citations), default=0.0)
    shown = len(citer.citations)
    # targets answer only when no other clause answers better: a count asked of a rule (第几层, 几家推荐
    # 单位) routes here too, and the extracted targets of other documents are then no answer
    mine = best if shown else max((relevance(ctx, p.sentence[2], genre=genre) for p in picks), default=0.0)
    if shown or picks:
        general = compose_general(ctx, genre=genre)
        said = max((relevance(ctx, c.quote, genre=genre) for c in general.citations), default=0.0)
        if not general.abstained and said > mine:
            return general
    for pick in picks:
        if len(lines) >= 6 or (lines and relevance(ctx, pick.sentence[2], genre=genre) < GOAL_TEXT_SHARE * best):
            continue
        if any(c.policy_id == pick.view.policy_id and c.start <= pick.sentence[0] < c.end for c in citer.citations):
            continue  # a goal an extracted target already quotes
        lines.append(goal_line(ctx, citer, pick))
    evidence = [r.get("measure_id") or "" for r in rows] + [p.view.measure_id for p in picks]
    if lines and (shown or ctx.covers("".join(c.quote for c in citer.citations), [p.view.measure_id for p in picks])):
        return Composed(answer="文件中的目标：\n\n" + "\n".join(lines), citations=citer.citations,
                        evidence=[m for m in evidence if m])
    return compose_general(ctx, genre=genre)


def stating_rows(ctx: Context, rows: list[dict], found: list[dict]) -> list[dict]:
    """The targets kept; when none of them states the asked kind of fact (产值要做到多少 asks a sum of
    money; the kept goals count 款 and 台), the targets of the same clauses that do (产业规模达8000亿元
    以上) instead: a goal sentence sets several targets, and the one measured in the asked unit answers
    even when it names the thing in other words (规模 for 产值). Kept targets stating it stay as they
    are, with the others: a question may ask two things (多少EFLOPS？占比呢？), its first kind only one."""
    kind = ctx.asked
    if kind is None or not rows or any(states_kind(kind, str(r.get("text") or ""), genre=ctx.genre) for r in rows):
        return rows
    clauses = {r.get("measure_id") for r in rows}
    stating = [r for r in found if r.get("measure_id") in clauses
               and states_kind(kind, str(r.get("text") or ""), genre=ctx.genre)]
    return stating[:2] or rows


def narrowed_goals(ctx: Context, rows: list[dict], picks: list[GoalPick], *,
                   genre: Genre) -> tuple[list[dict], list[GoalPick]]:
    """Targets and goal sentences narrowed as `narrowed` narrows quotes: when some say every word of
    the question (高新技术企业新增150家 for 新增多少家高新技术企业), only those."""
    whole_rows = [r for r in rows if says_every_word(ctx, f"{r.get('metric') or ''}{r.get('text') or ''}"
                                                          f"{r.get('quote') or ''}", genre=genre)]
    whole_picks = [p for p in picks if says_every_word(ctx, p.view.title + p.sentence[2], genre=genre)]
    if len(rows) + len(picks) < 2:
        return rows, picks
    if whole_rows or whole_picks:
        return whole_rows, whole_picks
    kept = covering(ctx, [*rows, *picks], lambda x: goal_text(x), genre=genre)
    return [r for r in rows if any(r is k for k in kept)], [p for p in picks if any(p is k for k in kept)]


def goal_text(item: dict | GoalPick) -> str:
    """What a target row or a goal sentence says."""
    if isinstance(item, GoalPick):
        return item.view.title + item.sentence[2]
    return f"{item.get('metric') or ''}{item.get('text') or ''}{item.get('quote') or ''}"


GOAL_TEXT_SHARE = 0.7  # a goal sentence joins extracted targets when it answers nearly as well
_GOAL_YEAR = re.compile(r"(?:^|[，,；;：:（(—])\s*(?:到|至|力争到|力争|在)?\s*(\d{4})\s*年(?:底|末)?(?!以来|来|前后|相比|同期|的|度|以前|\s*\d{1,2}\s*月)")
_PERIOD = re.compile(r"(\d{4})\s*[-—–－~至]\s*(\d{4})\s*年")


@dataclass
class GoalPick:
    """A goal sentence of a retrieved clause, with its year and where that year is written."""

    score: float
    view: View
    sentence: tuple[int, int, str]
    year: int | None = None
    year_view: View | None = None  # None: the sentence writes its year itself (or states none)
    year_sentence: tuple[int, int, str] | None = None


def named_policies(ctx: Context) -> set[str]:
    """The documents the question names (a title or 文号 it links)."""
    return set(ctx.linked.values("policy")) | set(ctx.linked.values("doc_no"))


@derived
def _quantity(genre: Genre) -> re.Pattern:
    """A number with a unit of the genre's target grammar (a year alone is no quantity)."""
    units = sorted(map(str, genre.data("targets").get("units") or {}), key=len, reverse=True)
    return re.compile(r"\d+(?:\.\d+)?\s*(?:" + "|".join(map(re.escape, units)) + ")")


def goal_year(sentence: str, *, genre: Genre) -> int | None:
    """The year a goal sentence sets itself (到2025年…, 2020年…达到…, 到“十三五”期末), else None;
    a base year (较2015年下降) is not a goal year."""
    from kg.extract.targets import sentence_year

    year = sentence_year(sentence, len(sentence), genre=genre)
    if year:
        return year
    m = _GOAL_YEAR.search(sentence)
    return int(m.group(1)) if m else None


# what follows a year the question writes as a point in time (2018年底, 2018年12月, 2018年以前), not as
# the name of a document's edition (2018年度, 2018年“智能机器人”专项)
YEAR_AS_TIME = r"\s*(?:[0-9０-９]{1,2}\s*月|底|末|初|前|以前|之前|内|以内|起|开始|上半年|下半年|年底|年末)"


def document_names_year(year: str, title: str, doc_no: str | None) -> bool:
    """A document names this year in its title or its 文号 (2018年度项目申报指南, “十三五”规划 for 2020,
    国发〔2015〕24号): a question naming the year may be naming the document. Read the same way by
    check_requirements (a cited document states the year) and compose_general (its sentences need not)."""
    return year in (doc_no or "") or (year.isdigit() and year_written(int(year), title))


def year_written(year: int, text: str) -> bool:
    """The text writes the year, or names the five-year plan that ends in it (“十三五” -> 2020)."""
    from kg.extract.targets import FIVE_YEAR, five_year_plan

    bare = text.replace(" ", "")
    if re.search(rf"{year}年|{year}[-—–－~至]|[-—–－~至]{year}", bare):
        return True
    return any(five_year_plan(m.group(1))[1] == year for m in FIVE_YEAR.finditer(bare))


def year_words(year: int, quotes: str, numbers: bool = True) -> str:
    """How an answer states a goal year: its number when a quote writes it, else the plan's name
    (`numbers` False: a title, which is no quote — only the plan's name is said from it)."""
    from kg.extract.targets import FIVE_YEAR, five_year_plan

    if numbers and str(year) in quotes.replace(" ", ""):
        return f"到 {year} 年"
    plan = next((m.group(0) for m in FIVE_YEAR.finditer(quotes) if five_year_plan(m.group(1))[1] == year), None)
    return f"到“{plan}”期末" if plan else ""


def year_source(ctx: Context, view: View, before: int,
                wanted: set[int] | None, *, genre: Genre) -> tuple[int, View, tuple[int, int, str]] | None:
    """Where the year of a goal sentence at `before` is written when the sentence does not write it:
    an earlier sentence of its clause (到2025年，…：a colon or a paragraph governing several), an
    earlier goal paragraph of its section, else the plan period in the document's preamble (…规划
    纲要（2016—2020年）) — (year, view, sentence), the nearest first."""
    for s in reversed([s for s in sentences(view) if s[1] <= before]):
        if (y := goal_year(s[2], genre=genre)) and year_written(y, s[2]):
            return (y, view, s) if not wanted or y in wanted else None  # the nearest year governs
    earlier = [v for v in (ctx.outline(view.policy_id) if ctx.outline else [])
               if v.start < view.start and v.section and (view.section + " /").startswith(v.section + " /")]
    for v in reversed(earlier[-6:]):
        for s in reversed(sentences(v)):
            if (y := goal_year(s[2], genre=genre)) and year_written(y, s[2]):
                return (y, v, s) if not wanted or y in wanted else None
    pre = ctx.preamble(view.policy_id) if ctx.preamble else None
    for s in sentences(pre) if pre else []:
        m = _PERIOD.search(s[2].replace(" ", ""))
        if m and (not wanted or int(m.group(2)) in wanted):
            return int(m.group(2)), pre, s
    return None


def goal_sentences(ctx: Context, years: set[int], *, genre: Genre) -> list[GoalPick]:
    """Goal sentences of the best retrieved clauses: a quantity (80%以上, 150家) or a year it sets
    (到2020年，…基本建成), each with its year; with years asked, only goals of those years."""
    out: list[GoalPick] = []
    asks_quantity = bool(re.search(settings_data(genre)["quantity_cue"], ctx.linked.text))
    for score, v, s in ranked_sentences(ctx, must=_quantity(genre).pattern + r"|\d{4}\s*年", limit=8, per_view=2, genre=genre):
        own = goal_year(s[2], genre=genre)
        if not _quantity(genre).search(s[2]) and (asks_quantity or not (own and (not years or own in years))):
            continue  # a goal stated without a number answers "what goal", not "how many"
        pick = GoalPick(score, v, s, own if own and year_written(own, s[2]) else None)
        if pick.year is None and (found := year_source(ctx, v, s[0], years or None, genre=genre)):
            pick.year, pick.year_view, pick.year_sentence = found
        elif pick.year is None:  # a plan named for its period: its goals are for the period's end
            pick.year = next((y for y in years if year_written(y, v.policy)), None)
        if years and pick.year not in years:
            continue
        out.append(pick)
    return close_picks_of(out, genre=genre)


def close_picks_of(picks: list[GoalPick], *, genre: Genre) -> list[GoalPick]:
    if not picks:
        return picks
    share = settings_data(genre)["pick_share"]
    return [p for p in picks if p.score >= share * picks[0].score][:3]


def goal_line(ctx: Context, citer: Citer, pick: GoalPick) -> str:
    """One goal sentence with its year; the sentence writing the year is cited too when it is another."""
    n = citer.cite(pick.view, *pick.sentence)
    said, ref = pick.sentence[2], ""
    if pick.year_view is not None and pick.year_sentence is not None:
        m = citer.cite(pick.year_view, *pick.year_sentence)
        said += pick.year_sentence[2]
        ref = f"（年份见 [{m}]）" if m != n else ""
    year = year_words(pick.year, said) or year_words(pick.year, pick.view.policy, False) if pick.year else ""
    if pick.year and year_written(pick.year, pick.sentence[2]):
        year = ""  # the sentence says it: 到2020年，…
    return f"- {pick.view.city or ''}{year}{ref}：{pick.sentence[2]} [{n}]"


PART_OPENERS = ("其中",)  # a clause of a sentence naming a part of what the sentence stated before it


def target_line(ctx: Context, citer: Citer, r: dict, *, genre: Genre) -> str | None:
    """One target as a person would state it: its words as the cited quote writes them, the year when
    the quote writes it (else the sentence that writes it, cited too), and the metric and value only
    when the words shown do not already say them. None for a target that cannot be cited or whose
    text is a table run together (nothing to read)."""
    text = (r.get("text") or r.get("metric") or "").strip()
    if not text or len(text) > 2 * LONG_SENTENCE:
        return None
    n = cite_fact(citer, ctx, r)
    if not n:
        return None
    quote = citer.citations[n - 1].quote
    # a part of a whole (其中非水可再生能源装机500万千瓦) is read with the whole its sentence states first
    part = text.startswith(PART_OPENERS) and not quote.replace(" ", "").startswith(text.replace(" ", ""))
    shown = text if text.replace(" ", "") in quote.replace(" ", "") and not part else quote
    year, ref = (f"到 {r['year']} 年" if quoted_year(citer, n, r) else ""), ""
    cited = citer.citations[n - 1]
    if r.get("year") and not year and (view := ctx.views.get(r.get("measure_id") or "")):
        found = year_source(ctx, view, cited.start, {int(r["year"])}, genre=genre)
        if found:
            m = citer.cite(found[1], *found[2])
            year = year_words(found[0], found[2][2])
            ref = f"（年份见 [{m}]）" if m != n and year else ""
        else:  # a plan named for its period: 《…“十三五”规划》 sets it for its period's end
            year = year_words(int(r["year"]), cited.title or "", False)
    value = f"{_value(r)}{r.get('unit') or ''}"
    detail = ""
    if _value(r) and not numbers_quoted(_value(r), shown) and numbers_quoted(_value(r), quote):
        detail = f"（{r.get('metric') or '指标'}：{value}）"
    return f"- {r.get('city') or ''}{year}{ref}：{shown}{detail} [{n}]"


def compose_comparison(ctx: Context, *, genre: Genre) -> Composed:
    """A table of the asked cities side by side; when the table leaves a named city without a cited
    row (no shared metric, no support fact of that city fits), each city's own best clauses instead."""
    data = genre.data("intents")
    heads = tuple(data.get("benefit_heads") or ()) or ("$^",)
    named_benefit = any(lk.mention.endswith(heads) for lk in ctx.linked.of("support_kind"))  # 购房补贴: the shared metric
    # how the sides differ (有什么不同), or what each says with no measurable thing asked (各自怎么规定)
    open_ask = (re.search(data.get("open_comparison") or "$^", ctx.linked.text)
                or not re.search(data.get("metric_comparison") or "$^", ctx.linked.text))
    # a table has a row per city: two documents of one place (柳河县的两个意见) are no two rows
    places = set(ctx.linked.cities) | set(ctx.linked.values("unknown_city"))
    if ctx.fallback is not None and ((ctx.asked is None and not named_benefit and open_ask) or len(places) < 2):
        other = ctx.fallback()  # how the sides differ: each side's own clauses on the subject, no one metric
        if other is not None and not other.abstained:
            return other
    if not places and not re.search(data.get("across_places") or "$^", ctx.linked.text):
        # no place named and none asked across (省级和市县级各自不低于多少, 两类人员分别…): what is compared
        # lies within the clauses, not in a table of every place of the corpus
        general = compose_general(ctx, genre=genre)
        if not general.abstained:
            return general
    table = _compare_table(ctx, genre=genre)
    named = set(ctx.linked.cities)
    gaps = [row for row in table.table if row.get("city") in named and not row.get("citation")]
    if gaps and ctx.asked is not None and not ctx.asked.get("span") and not table.abstained and ctx.intent.subject == "support":
        gaps = []  # an amount asked of each side: a side whose documents state none says so in its row
        # (a time limit asked of each side — 几天内答复 — is no support fact's figure: each side's clauses)
    if (table.abstained or gaps) and ctx.fallback is not None:
        other = ctx.fallback()
        if other is not None and not other.abstained:
            return other
    return table


def _compare_table(ctx: Context, *, genre: Genre) -> Composed:
    cities = ctx.linked.cities or sorted(ctx.places)
    missing = ctx.linked.values("unknown_city")
    if ctx.intent.subject == "support" and ctx.graph and ctx.graph.supports:
        return _compare_support(ctx, cities, missing, genre=genre)
    rows = _target_matches(ctx, ctx.graph.targets if ctx.graph else [])
    citer, table = Citer(), []
    for city in cities:
        mine = [r for r in rows if r.get("city") == city]
        if mine and ctx.covers(f"{mine[0].get('metric')}{mine[0].get('text')}"):
            r = mine[0]
            n = cite_fact(citer, ctx, r)
            table.append({"city": city, "metric": r.get("metric"), "value": _value(r), "unit": r.get("unit") or "",
                          "comparator": r.get("comparator") or "", "year": quoted_year(citer, n, r),
                          "text": r.get("text"), "source": _doc_ref(r), "citation": n})
        else:
            table.append(_empty_row(city, "语料未载明", TARGET_ROW))
    table.extend(_empty_row(city, "语料中无该市文件", TARGET_ROW) for city in missing)
    if not any(row["citation"] for row in table):
        return abstain(ctx, "语料中没有找到可供比较的相应目标。")
    # no place named: every place of the corpus was searched; those whose documents state no such
    # target are counted below the table, not listed as rows of dashes
    shown = table if ctx.linked.cities else [row for row in table if row["citation"]]
    lines = ["| 城市 | 目标（原文） | 数值 | 单位 | 年份 | 来源 |", "| --- | --- | --- | --- | --- | --- |"]
    for row in shown:
        ref = f" [{row['citation']}]" if row["citation"] else ""
        lines.append(f"| {row['city']} | {row['text'] or '—'} | {row['value'] or '—'} | "
                     f"{row['unit'] or '—'} | {row['year'] or '—'} | {row['source']}{ref} |")
    if len(shown) < len(table):
        lines.append(f"\n其余 {len(table) - len(shown)} 个地方的文件未载明这一目标。")
    return Composed(answer="各城市对比：\n\n" + "\n".join(lines), citations=citer.citations, table=shown,
                    evidence=[c.measure_id for c in citer.citations])


TARGET_ROW = ("city", "metric", "value", "unit", "comparator", "year", "text", "source", "citation")
SUPPORT_ROW = ("city", "metric", "value", "unit", "year", "text", "source", "citation")


def _empty_row(city: str, why: str, columns: tuple[str, ...]) -> dict:
    """A comparison row, in the table's column order, for a city the evidence says nothing about, and why."""
    return {**dict.fromkeys(columns), "city": city, "source": why}


def row_order(ctx: Context, fact: dict, quote: str) -> tuple[bool, bool]:
    """How well a support fact fills a side's row of a comparison table: first a fact of the kind of
    support the question names (补贴力度: a 补贴, not an 优惠 whose sentence only says 加大优惠力度), then one
    whose own quote states its figure (总房价1%) — the row's 额度/比例 column compares figures."""
    kinds = {lk.value for lk in ctx.linked.of("support_kind")}
    figure = any(label in ("额度", "比例", "上限") and numbers_quoted(value, quote)
                 for label, value in support_values(fact, ctx.grades))
    return (bool(kinds) and fact.get("kind") not in kinds, not figure)


def _compare_support(ctx: Context, cities: list[str], missing: list[str], *, genre: Genre) -> Composed:
    citer, table = Citer(), []
    kind = ctx.asked  # 最多补多少: each side answers with an amount of its own, or says it has none
    for city in cities:
        mine = [r for r in ctx.graph.supports if r.get("city") == city and r.get("score", 0) > 0]
        spans = [(r, v, with_cap(v, whole_sentences(v, int(r.get("start") or 0), int(r.get("end") or 0)), genre=genre))
                 for r in mine[:COMPARE_ROWS] if (v := ctx.views.get(r["measure_id"])) is not None]
        spans = [t for t in spans if t[2] and (kind is None or states_kind(kind, t[2][2], genre=genre))]
        spans.sort(key=lambda t: row_order(ctx, t[0], t[2][2]))  # stable: retrieval order within each rank
        if spans:
            r, v, span = spans[0]
            n = citer.cite(v, *span)
            value = next((val for label, val in support_values(r, ctx.grades) if label in ("额度", "比例", "上限")
                          and numbers_quoted(val, span[2])), "")
            table.append({"city": city, "metric": r.get("kind"), "value": value,
                          "unit": "", "year": None, "text": span[2], "source": _source(v, span[2]), "citation": n})
        elif pick := city_support_sentence(ctx, city, genre=genre):
            _, v, sentence = pick  # no support fact of this city fits: its best support sentence
            table.append({"city": city, "metric": None, "value": "", "unit": "", "year": None, "text": sentence[2],
                          "source": _source(v, sentence[2]), "citation": citer.cite(v, *sentence)})
        else:
            why = "语料未载明" if kind is None else "该地文件未写明相应数额"
            table.append(_empty_row(city, why, SUPPORT_ROW))
    table.extend(_empty_row(city, "语料中无该市文件", SUPPORT_ROW) for city in missing)
    if not any(row["citation"] for row in table):
        return abstain(ctx, "语料中没有找到可供比较的支持条款。")
    lines = ["| 城市 | 支持类型 | 额度/比例 | 原文 | 来源 |", "| --- | --- | --- | --- | --- |"]
    for row in table:
        ref = f" [{row['citation']}]" if row["citation"] else ""
        lines.append(f"| {row['city']} | {row['metric'] or '—'} | {row['value'] or '—'} | {row['text'] or '—'} | "
                     f"{row['source']}{ref} |")
    return Composed(answer="各城市支持政策对比：\n\n" + "\n".join(lines), citations=citer.citations, table=table)


COMPARE_ROWS = 6  # support facts of one side looked at for one stating the asked kind of fact


def city_support_sentence(ctx: Context, city: str, *, genre: Genre) -> tuple[float, View, tuple[int, int, str]] | None:
    """The best support sentence (one naming a benefit) of the retrieved clauses of one city, when it
    covers the question's words well enough; for a question asking a kind of fact (an amount, a limit),
    only a sentence stating one."""
    markers = "|".join(map(re.escape, settings_data(genre)["support_markers"]))
    picks = [p for p in ranked_sentences(ctx, must=markers, limit=16, per_view=2, genre=genre) if p[1].city == city
             and (ctx.asked is None or states_kind(ctx.asked, p[2][2], genre=genre))]
    if not picks or coverage(ctx.focus, picks[0][1].title + picks[0][2][2], ctx.term_weight, genre=genre) < \
            settings_data(genre)["fallback_min_coverage"]:
        return None
    return picks[0]


def _doc_ref(r: dict) -> str:
    return f"《{r.get('policy') or ''}》{r.get('doc_no') or ''}"


# metadata ------------------------------------------------------------------------------------------

_DATE_LABELS = {"issued": "成文日期", "published": "发布日期", "effective": "施行日期", "expiry": "有效期至",
                "period": "规划期"}


def compose_metadata(ctx: Context, *, genre: Genre) -> Composed:
    if ordering(ctx.linked.text, genre=genre):
        return compose_order(ctx, genre=genre)
    from rag.docfacts import asked_facts, asks_deadline

    text = asked_words(ctx.linked.text, genre=genre)  # a date or validity named only in the scene is not asked
    facts = asked_facts(text, genre=genre)
    if clause_span(ctx, genre=genre) or ends_a_thing(ctx, text, facts, genre=genre):
        # "合同一签是几年", "多少个工作日要审完", "提前多久去申请": a span of a step or a thing the clause
        # governs, which the clause states, or that thing's end (到期了还能接着住吗) — not the document's
        # validity or 施行 date
        general = clause_answer(ctx, genre=genre)
        if not general.abstained:
            return general
    timed = clause_time(ctx, genre=genre)
    if timed is not None:
        return timed
    deadline = asks_deadline(text, genre=genre) and not facts
    if facts and asks_of_a_clause(ctx, genre=genre):
        # "北京老旧厂房改造的资金支持政策从什么时候开始实施": the date of one measure of a document that
        # collects many, said in its clause, not the document's own 施行 clause
        general = clause_answer(ctx, genre=genre)
        if not general.abstained:
            return with_window(ctx, general, genre=genre)
    if deadline or (not re.search(settings_data(genre)["document_fact_cue"], text) and not facts):
        # "多久给答复", "第三步是什么时候", "最晚什么时候交申请": a time asked about something the text does,
        # not about the document's own dates — the clause that says it answers, with the window when
        # one is asked; when none does, the document's dates are no answer either (unless the question
        # points at the document: "这个办法管几年", a 文号)
        general = clause_answer(ctx, genre=genre)
        if not general.abstained:
            return with_window(ctx, general, genre=genre)
        if deadline or not (ctx.linked.of("doc_no") or re.search(
                genre.data("intents")["document_facts"]["document_reference"], ctx.linked.text)):
            return general
    return compose_metadata_facts(ctx, genre=genre)


def clause_answer(ctx: Context, *, genre: Genre) -> Composed:
    """A time question's answer from the clauses (compose_general), abstaining when it asks only how
    long or by when and no quote states a time (unstated_fact)."""
    general = compose_general(ctx, genre=genre)
    return unstated_fact(ctx, general, genre=genre) or general


SPAN_VIEWS = 3  # the best clauses a span question reads for a sentence stating the span of what it asks


def clause_span(ctx: Context, *, genre: Genre) -> bool:
    """A span (answer.yaml asked_facts `span`: 几年, 多少个工作日, 提前多久) asked of a step of a procedure
    or of a thing a clause governs, the question naming no document, when one of the best retrieved
    clauses states that span of it: of the word it is asked of or of a content word of the asking
    clause before it (公共租赁住房租赁合同期限为5年 for 公租房合同一签是几年), or of the act after it (15个工作
    日内完成审核 for 多少个工作日要审完). The clause answers, not the document's validity — also when the
    question says 到期 of that thing (到期了还能接着住吗: the lease's end). Never when the asking clause
    asks a fact of the document (有效期是几年, 管几年) or the best such sentence is the document's own
    closing provision (本办法…有效期5年)."""
    from rag.docfacts import asked_facts
    from rag.intents import asking_clause

    kind = ctx.asked
    if kind is None or not kind.get("span") or ctx.linked.of("doc_no") or ctx.linked.of("policy"):
        return False
    text = ctx.linked.text
    if re.search(genre.data("intents")["document_facts"]["document_reference"], text):
        return False
    clause = asking_clause(text, genre=genre)
    if asked_facts(clause, genre=genre):
        return False
    tests = [kind, *({**kind, "subject": w, "act": None} for w in ctx.focus if w in clause)]
    for v in _candidate_views(ctx, limit=SPAN_VIEWS, genre=genre):
        for said in (v.title, *(s[2] for s in candidate_sentences(ctx, v))):
            if closing_provision(said, genre=genre) or not states_kind(kind, said, genre=genre):
                continue
            if any(states_of_subject(t, said, genre=genre) for t in tests):
                return True
    return False


def closing_provision(text: str, *, genre: Genre) -> bool:
    """The sentence is its document's own closing provision on its dates (本办法自…起施行 / 本办法有效期5年),
    not a clause's (在本政策有效期内出让的…)."""
    spec = genre.data("intents").get("document_facts") or {}
    own, starts, term = spec.get("own_subject"), spec.get("effective_clause"), spec.get("validity_clause")
    stated = (starts and re.search(starts, text)) or (
        term and (m := re.search(term, text)) and re.search(r"[\d一二两三四五六七八九十]\s*(?:年|个月)", m.group(0)))
    return bool(own and re.search(own, text) and stated)


def asks_of_a_clause(ctx: Context, *, genre: Genre) -> bool:
    """A date or validity question that names no document (no title, 文号 or 这个办法) and none of whose
    content words the titles of the documents it may be about touch (老旧厂房改造 in a question answered
    from 《北京市产业政策导引》) asks about a clause inside a document, not about the document itself; so
    does one naming a document as the place of what it asks (intents.yaml `inside_document`: 放管服分工
    方案里…原定什么时候出台 asks when the other document is due, as the clause says)."""
    from rag.docfacts import touches_title

    inside = genre.data("intents")["document_facts"].get("inside_document")
    document = (genre.data("intents").get("followup") or {}).get("document_word")
    if ctx.focus and inside and document and re.search(f"{document}{inside}", ctx.linked.text):
        return True  # 放管服分工方案里…原定什么时候出台: a thing inside the document it names
    if names_container(ctx.linked, ctx.focus, genre=genre):
        return True  # 包头数字政府考评里，…千兆升级，截止时间是什么时候: named by its title's words alone
    if ctx.linked.of("policy") or ctx.linked.of("doc_no") or not ctx.focus:
        return False
    if re.search(genre.data("intents")["document_facts"]["document_reference"], ctx.linked.text):
        return False
    if ctx.linked.of("measure"):
        return True  # the question writes a clause's title (北京支持新基建项目谋划建设的措施: one card of a compendium)
    found = {v.policy_id for v in _candidate_views(ctx, limit=3, genre=genre)}
    policies = list(ctx.graph.policies if ctx.graph and ctx.graph.policies else [])
    policies += [p for p in ctx.policies if p.get("id") in found]
    return bool(policies) and not any(touches_title(ctx.focus, str(p.get("title") or ""), genre=genre)
                                      for p in policies)


def names_container(linked: Linked, focus: Sequence[str], *, genre: Genre) -> bool:
    """The question opens by naming a document it links as the place of what follows (X里，…: intents.yaml
    `inside_document`) and asks of a content word written after that opening: the thing asked is inside
    the document, not the document itself."""
    inside = genre.data("intents")["document_facts"].get("inside_document")
    if not inside or not focus or not (linked.of("policy") or linked.of("doc_no")):
        return False
    opening = re.match(rf"[^，,。；;？?]{{2,40}}?{inside}[，,]", linked.text)
    return bool(opening) and any(w in linked.text[opening.end():] for w in focus)


def ends_a_thing(ctx: Context, asked: str, facts: list[str], *, genre: Genre) -> bool:
    """到期了还能接着住吗 after 公租房合同一签是几年: an end (到期, 期满, 届满) said of something a clause governs
    — a lease, a subsidy, a qualification — when the question names no document at all (no title, 文号,
    nor a word for a document: 办法, 政策, 文件 …) and asks no other fact of one. The clause on what
    happens at that end answers, not the document's validity (广州公租房的保障办法哪年到期 asks that)."""
    spec = genre.data("intents")["document_facts"]
    end, document = spec.get("thing_end"), (genre.data("intents").get("followup") or {}).get("document_word")
    if facts != ["validity"] or not end or not document or not re.search(end, asked):
        return False
    if ctx.linked.of("policy") or ctx.linked.of("doc_no") or re.search(document, ctx.linked.text):
        return False
    from rag.docfacts import asked_facts

    return not asked_facts(re.sub(end, "", asked), genre=genre)


def compose_metadata_facts(ctx: Context, *, genre: Genre) -> Composed:
    """文号, issuers, dates and validity of the policy (or policies) in question."""
    g = ctx.graph
    policies = g.policies if g else []
    if not policies:
        views = _candidate_views(ctx, limit=1, genre=genre)
        if views:
            pid = views[0].policy_id
            policies = [p for p in ctx.policies if p.get("id") == pid]
    if not policies:
        return compose_general(ctx, genre=genre)
    if not ctx.linked.of("policy") and len(ctx.linked.cities) == 1:
        # a document named by its place and topic (柳河县的旅游奖励政策): of the place's documents, the
        # one whose title says the topic, not whichever the retrieval of its measures ranks first (of
        # those retrieval found at all: a scope limits them)
        from rag.docfacts import titled_by

        found = {v.policy_id for v in ctx.views.values()}
        place = [p for p in ctx.policies if p.get("city") in ctx.linked.cities and p.get("id") in found]
        policies = titled_by(ctx.focus, list({p["id"]: p for p in policies + place}.values()), genre=genre)
    if len(policies) > 1 and not ctx.linked.of("policy") and len(ctx.linked.cities) < 2:
        views = _candidate_views(ctx, limit=1, genre=genre)
        top = views[0].policy_id if views else None
        policies = [p for p in policies if p["id"] == top] or policies
    citer, out = Citer(), []
    out.extend(window_lines(ctx, citer, dated=True, genre=genre))  # a sentence without an end date says nothing here
    for p in policies:
        out.extend(_asked_metadata(ctx, citer, p, genre=genre) or _policy_metadata(ctx, citer, p))
        out.append("")
    return Composed(answer="\n".join(out).strip(), citations=citer.citations,
                    evidence=[c.measure_id for c in citer.citations])


def _asked_metadata(ctx: Context, citer: Citer, p: dict, asked: list[str] | None = None, *,
                    genre: Genre) -> list[str]:
    """The document facts the question asks for (文号, 签发人, 印发 date, 施行, validity, 废止; `asked`
    when the caller knows), each with the line of the document that states it; [] when it asks none in
    particular or the document's text cannot be read (its whole metadata is then listed)."""
    from rag.docfacts import asked_facts, document_fact_lines

    asked = asked if asked is not None else asked_facts(ctx.linked.text, genre=genre)
    view = ctx.locate(p["id"], -1, -1) if asked and ctx.locate is not None else None
    if view is None:
        return []
    found = ctx.repealing(p) if "validity" in asked and ctx.repealing is not None else None
    repealed = (found[0].policy, citer.cite(found[0], *found[1])) if found else None
    return document_fact_lines(view, p, asked, lambda span: citer.cite(view, *span),
                               meta_lines=ctx.metadata(p["id"]) if ctx.metadata else {},
                               cite_meta=lambda line: citer.cite_metadata(p, [line]), repealed=repealed, genre=genre)


WINDOW_VIEWS = 2  # the best clauses whose own window a "can I still apply" question reads


def window_lines(ctx: Context, citer: Citer, today: dt.date | None = None, dated: bool = False, *, genre: Genre) -> list[str]:
    """For a validity question: the sentence of the best clause that states its window or period,
    and whether a window's end date has passed (today's date stated). `dated`: only a sentence
    that writes the window's end date."""
    data = settings_data(genre)
    if not re.search(data["validity_cue"], asked_words(ctx.linked.text, genre=genre)):
        return []
    # `dated`: the clause's sentence that writes the end date, not its best sentence on a window
    # (执行期间内, 之前) that writes none
    picks = ranked_sentences(ctx, must=data["window_end"] if dated else data["window_sentence"], per_view=1,
                             genre=genre)
    if dated and not picks:  # a table row "时间/频度 | …起至2025年12月31日止" shares no word with the question
        picks = [(0.0, v, s) for v in _candidate_views(ctx, limit=WINDOW_VIEWS, genre=genre)
                 for s in candidate_sentences(ctx, v) if re.search(data["window_end"], s[2])][:1]
    if not picks:
        return []
    _, v, s = picks[0]
    m = re.search(data["window_end"], s[2])
    n = citer.cite(v, *s)
    line = f"- {source_label(v, s[2])}：{s[2]} [{n}]"
    end = _cn_date(m.group("date")) if m else None
    if end is not None:
        today = today or dt.date.today()
        day = f"{today.year}年{today.month}月{today.day}日"
        line += (f"\n- 该期限至 {end.year}年{end.month}月{end.day}日，按今天（{day}）的日期"
                 + ("已经过去。" if end < today else "尚未届满。"))
    return ["相关条款：", line, ""]


CLAUSE_TIME_VIEWS = 3  # the best clauses a "from when / until when" question reads for a time they state
CLAUSE_TIME_CLAUSES = 2  # of which this many, of one document, are quoted


def clause_time(ctx: Context, today: dt.date | None = None, *, genre: Genre) -> Composed | None:
    """"从什么时候开始执行", "何时截止", "过期了没有" asked of what a clause offers or requires, the
    question naming no document (no title, 文号 or 这个办法): the best clause's own sentence stating
    the start or end asked (从2023年9月起, 2022年8月11日起，有效期3年, 至2023年12月31日), and whether
    that end has passed at today's date, said so. A best clause stating no time falls under its
    document: the document's closing provisions (自公布之日起施行, 有效期5年, 在…期间) answer, said to
    be the document's. None when the question asks no start or end, or names its document (the
    document's own dates answer it, elsewhere)."""
    from rag.docfacts import asked_facts, named_document

    spec = settings_data(genre).get("clause_time")
    text = ctx.linked.text
    asking = asked_words(text, genre=genre)  # "快到期了还想接着住，得提前多久": the end is the scene, not asked
    kinds = [k for k in ("start", "end") if spec and re.search(spec[f"{k}_asked"], asking)]
    if not kinds or ctx.linked.of("doc_no"):
        return None
    # "从哪年开始的，管几年" asks both the start and the term
    asked = [{"start": "effective", "end": "validity"}[k] for k in kinds]
    # a title linked with its place (a title of another place, or one linked without any, is too weak a sign)
    titled = [p for p in ctx.policies if p.get("id") in set(ctx.linked.values("policy"))
              and p.get("city") in ctx.linked.cities]
    if (titled and asked_facts(text, genre=genre)) or (
            not titled and re.search(genre.data("intents")["document_facts"]["document_reference"], text)):
        return None  # the document's own dates, as the question words them (elsewhere)
    views = _candidate_views(ctx, limit=CLAUSE_TIME_VIEWS, genre=genre)
    if not views:
        return None
    topic = [w for w in ctx.focus if w not in (spec.get("asking_words") or [])]
    # a question naming a clause, or naming its document as the place of what it asks (考评里，…千兆升级),
    # asks about that clause, not about its document
    each_call = set_by_each_call(asking, kinds, spec)
    if not ctx.linked.of("measure") and not names_container(ctx.linked, ctx.focus, genre=genre) and not each_call:
        # of the place's documents (else the best clause's), the one whose title the question names
        # (柳河县的旅游奖励政策还在有效期内吗, 这个高层次人才购买商品住房的细则什么时候适用): its own dates
        pool = [p for p in ctx.policies if p.get("city") in ctx.linked.cities and p.get("id") in
                {v.policy_id for v in ctx.views.values()}] if ctx.linked.cities else \
            [p for p in ctx.policies if p.get("id") == views[0].policy_id]
        named = named_document(topic, [*pool, *(p for p in titled if p not in pool)], ctx.term_weight, genre=genre)
        citer = Citer()
        lines = _asked_metadata(ctx, citer, named, asked, genre=genre) if named is not None else []
        if lines:
            return Composed(answer="\n".join(lines), citations=citer.citations)
    citer, out, dated = Citer(), [], []
    words = " ".join(ctx.focus) or text
    pattern = "|".join(f"(?:{spec[k]})" for k in kinds)
    if named_time := re.search(spec.get("act_time") or "$^", asking):  # 受理时间从哪天算: the sentence defining it
        pattern += f"|{re.escape(named_time.group(0))}"
    for v in views:
        if len(dated) >= CLAUSE_TIME_CLAUSES:
            break
        timed = [s for s in candidate_sentences(ctx, v) if re.search(pattern, s[2])]
        if not timed or (dated and v.policy_id != dated[0].policy_id):
            continue
        if v is not views[0] and not dated and not any(
                coverage(topic, s[2], genre=genre) or closing_provision(s[2], genre=genre) for s in timed):
            continue  # a lower clause's date about something else (保障房 2025年以前) answers no 贷款年限
        dated.append(v)  # two clauses of one document both in question (two entries on old factories): both
        said = [s for s in best_sentences(v, words, 2, must=pattern) if re.search(pattern, s[2])]
        if len(dated) == 1 and (own := _own_term(ctx, citer, v, said, asked, genre=genre)):
            return own
        best = [b for b in best_sentences(v, words, 1) if b not in said and not is_heading(v, b[2])]
        for s in whole_clause_of(ctx, v, [*best, *said]):
            out.append(f"- {source_label(v, s[2])}：{shown(s[2])} [{citer.cite(v, *s)}]")
        out.extend(_judged_end(" ".join(s[2] for s in said), today or dt.date.today(), genre))
    if dated:
        return Composed(answer="相关条款：\n\n" + "\n".join(out), citations=citer.citations,
                        evidence=[v.measure_id for v in dated])
    top = views[0]

    def quoted() -> list[str]:  # the best clause's best sentence, cited after whatever was cited before it
        best = best_sentences(top, " ".join(ctx.focus) or text, 1)
        return [f"- {source_label(top, s[2])}：{shown(s[2])} [{citer.cite(top, *s)}]" for s in best]

    if each_call:
        return refused_with_quotes(Composed(answer="\n".join(quoted()), citations=citer.citations),
                                   "检索到的条款没有写明所问的时间；文件本身的日期不是这一时间。")
    p = next((q for q in ctx.policies if q.get("id") == top.policy_id), None)
    lines = _asked_metadata(ctx, citer, p, asked, genre=genre) if p else []
    if not lines:
        return None
    head = quoted()
    answer = ("相关条款本身未写明时间，按其所在文件的规定：\n\n" + "\n".join(lines)
              + ("\n\n相关条款：\n\n" + "\n".join(head) if head else ""))
    return Composed(answer=answer, citations=citer.citations, evidence=[top.measure_id])


_STARTED_PERIOD = re.compile(r"(?P<start>\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)\s*起[^。；;|]{0,6}?有效期(?:为)?\s*"
                     r"(?P<years>\d+|[一二三四五六七八九十])\s*年")


def set_by_each_call(asked: str, kinds: list[str], spec: dict) -> bool:
    """The time asked is one a document's own dates never give (clause_time `recurring`, `act_start`,
    `act_time`, `act_end`): a time recurring each year (每年几月份开始申报) or when an applicant's act starts
    (哪天开始报名, 什么时候开始受理, 受理时间) or closes (申报截止日期是哪天) is set by each year's call or
    notice, not by when the document took effect or expires; a clause stating none leaves it unanswered.
    How long the document applies (还能申请吗, 有效期到哪天) is its own."""
    act = any(re.search(spec.get(k) or "$^", asked) for k in ("act_start", "act_time"))
    closes = re.search(spec.get("act_end") or "$^", asked)
    return bool(re.search(spec.get("recurring") or "$^", asked) or (kinds == ["start"] and act)
                or closes is not None)


def _own_term(ctx: Context, citer: Citer, view: View, said: list[tuple[int, int, str]], asked: list[str], *,
              genre: Genre) -> Composed | None:
    """The best dated clause is its document's own closing provision (本办法自印发之日起施行，有效期5年):
    the time asked is the document's, answered as a validity question about the document is — its 施行
    date resolved, an end given only as a period reckoned, and judged against today's date."""
    if not any(closing_provision(t, genre=genre) for t in (view.title, *(s[2] for s in said))):  # a run-in title may say it
        return None
    p = next((q for q in ctx.policies if q.get("id") == view.policy_id), None)
    lines = _asked_metadata(ctx, citer, p, asked, genre=genre) if p else []
    return Composed(answer="\n".join(lines), citations=citer.citations, evidence=[view.measure_id]) if lines else None


_VALID_YEARS = re.compile(r"\d{4}\s*[-—–－~至到]\s*(?P<last>\d{4})\s*年[^，。；;|]{0,4}?有效")


def _judged_end(text: str, today: dt.date, genre: Genre | None = None) -> list[str]:
    """Whether the end a clause states has passed at `today` (said, as the date the judgement rests on):
    an end date written (至2023年12月31日: the answer data's `window_end`), one reckoned from a start and
    a period (2022年8月11日起，有效期3年), the last year of the years it is valid in (在2022-2024年内有效),
    or the year it lapses (2025年失效); [] when the text gives none."""
    day = f"按今天（{today.year}年{today.month}月{today.day}日）的日期"
    m = re.search(settings_data(resolve_genre(genre))["window_end"], text)
    end = _cn_date(m.group("date")) if m else None
    reckoned = ""
    if end is None and (p := _STARTED_PERIOD.search(text)):
        start, years = _cn_date(p.group("start")), numeral_value(p.group("years"))
        if start is not None and years:
            end = dt.date.fromisoformat(add_years(start.isoformat(), years))
            reckoned = f"（自 {start.year}年{start.month}月{start.day}日 起按有效期 {years} 年推算）"
    if end is not None:
        return [f"- 该期限至 {end.year}年{end.month}月{end.day}日{reckoned}，{day}"
                + ("已经过去。" if end < today else "尚未届满。")]
    span = _VALID_YEARS.search(text)  # 在2022-2024年内有效: valid to the end of the last year
    if span:
        last = int(span.group("last"))
        return [f"- 该期限至 {last}年底，{day}" + ("已经过去。" if last < today.year else "尚未届满。")]
    y = re.search(r"(\d{4})\s*年(?:底|末)?(?:前)?失效", text)
    if y:
        year = int(y.group(1))
        return [f"- {year}年失效，{day}" + ("已经失效。" if year < today.year else "尚未失效。" if year > today.year
                                           else "在今年失效。")]
    return []


def _cn_date(text: str) -> dt.date | None:
    """"2023年12月31日" -> date (a month without a day means its last day)."""
    m = re.match(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?", text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    try:
        if m.group(3):
            return dt.date(year, month, int(m.group(3)))
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    except ValueError:
        return None


def ordering(question: str, *, genre: Genre) -> str | None:
    """"earliest" or "latest" when the question asks which document came first or last."""
    cues = settings_data(genre).get("order_cues") or {}
    return next((name for name, cue in cues.items() if re.search(cue, question)), None)


def policies_in_scope(ctx: Context, min_topical: int = 2) -> list[dict]:
    """The policies a question means: those it names, else those of its cities, narrowed to the
    titles naming its topic when that leaves at least `min_topical`."""
    named = set(ctx.linked.values("policy"))
    cities = set(ctx.linked.cities)
    pool = [p for p in ctx.policies if p.get("id") in named] if len(named) > 1 else []
    pool = pool or [p for p in ctx.policies if not cities or p.get("city") in cities]
    words = {w for lk in ctx.linked.of("topic") for w in (lk.value, lk.mention) if w}
    topical = [p for p in pool if any(w in (p.get("title") or "") for w in words)]
    return topical if len(topical) >= min_topical else pool


def asked_documents(ctx: Context) -> list[dict]:
    """The policies a question asks of one at a time (its lists, its basis): those it names by title
    or 文号 (named_policies), even one; else those in scope. policies_in_scope keeps every document of
    the question's places when it names only one, which orderings and comparisons need and these do not."""
    documents = named_policies(ctx)
    return [p for p in ctx.policies if p.get("id") in documents] or policies_in_scope(ctx, min_topical=1)


def compose_order(ctx: Context, *, genre: Genre) -> Composed:
    """Policies ordered by date (issued, else published, else effective), each date cited from the
    file's metadata lines; a policy whose date cannot be shown is listed without one."""
    which = ordering(ctx.linked.text, genre=genre)
    rows, undated = [], []
    for p in policies_in_scope(ctx):
        lines = ctx.metadata(p["id"]) if ctx.metadata else {}
        kind = next((k for k in settings_data(genre).get("order_dates") or [] if k in lines), None)
        (rows if kind else undated).append((lines[kind].value if kind else "", kind, p, lines))
    if not rows:
        return compose_general(ctx, genre=genre)
    rows.sort(key=lambda r: r[0], reverse=which == "latest")
    citer, table = Citer(), []
    for date, kind, p, lines in rows:
        n = citer.cite_metadata(p, [lines[kind].line])
        table.append({"city": p.get("city"), "policy": p.get("title"), "doc_no": p.get("doc_no") or "",
                      "date": date, "date_kind": _DATE_LABELS[kind], "citation": n})
    first = table[0]
    word = "最晚" if which == "latest" else "最早"
    head = (f"按日期排序，{word}的是{first['city'] or ''}的《{first['policy']}》"
            f"（{first['date_kind']} {first['date']}） [{first['citation']}]。")
    out = ["| 城市 | 文件 | 日期 | 来源 |", "| --- | --- | --- | --- |"]
    for row in table:
        out.append(f"| {row['city'] or '—'} | 《{row['policy']}》{row['doc_no']} | "
                   f"{row['date_kind']} {row['date']} | 文件信息 [{row['citation']}] |")
    note = ("\n\n未载明日期的文件：" + "、".join(f"《{p.get('title')}》" for _, _, p, _ in undated)) if undated else ""
    return Composed(answer=head + "\n\n" + "\n".join(out) + note, citations=citer.citations, table=table)


def the_policy(ctx: Context, *, genre: Genre) -> dict | None:
    """The one policy a question is about: named, the only one in scope, or the best hit's."""
    scope = asked_documents(ctx)
    if len(scope) == 1:
        return scope[0]
    ids = {p["id"] for p in scope}
    top = next((v.policy_id for v in _candidate_views(ctx, limit=5, genre=genre) if v.policy_id in ids), None)
    return next((p for p in scope if p["id"] == top), None)


def compose_basis(ctx: Context, *, genre: Genre) -> Composed:
    """Why a document was issued: the sentence in which it states its basis (basis_statement), else its
    preamble's sentences that name the basis or purpose, quoted, with the documents they cite (《…》
    and 文号) listed."""
    p = the_policy(ctx, genre=genre)
    stated = basis_statement(ctx, p, genre=genre) if p else None
    view = stated[0] if stated else ctx.preamble(p["id"]) if p and ctx.preamble else None
    if view is None:
        return compose_metadata_facts(ctx, genre=genre) if ctx.intent.name == "metadata" else compose_general(ctx, genre=genre)
    picks = [stated[1]] if stated else (
        [s for s in sentences(view) if re.search(settings_data(genre)["basis_markers"], s[2])][:2] or sentences(view)[:1])
    citer = Citer()
    quotes = [f"> {s[2]} [{citer.cite(view, *s)}]" for s in picks]
    cited = list(dict.fromkeys(re.findall(r"《[^》]+》(?:[（(][^）)]*〔\d{4}〕[^）)]*[）)])?", "".join(s[2] for s in picks))))
    head = f"《{view.policy}》在开头写明了出台依据和目的："
    docs = ("\n\n其中提到的文件：" + "、".join(cited)) if cited else ""
    return Composed(answer=head + "\n\n" + "\n".join(quotes) + docs, citations=citer.citations,
                    evidence=[view.measure_id])


BASIS_PIECES = 3  # the preamble and the first articles: where a document states its own basis


@derived
def _basis_statement(genre: Genre) -> re.Pattern:
    """answer.yaml `basis_statement` with {kind} read as any kind of document the genre knows
    (grammar.yaml `title_suffixes`, longest first): one list of what a document calls itself."""
    kinds = sorted(genre.data("grammar").get("title_suffixes") or [], key=len, reverse=True)
    kind = "(?:" + "|".join(map(re.escape, kinds)) + ")" if kinds else "$^"
    return re.compile((settings_data(genre).get("basis_statement") or "$^").replace("{kind}", kind))


def basis_statement(ctx: Context, policy: dict, *, genre: Genre) -> tuple[View, tuple[int, int, str]] | None:
    """The sentence in which the document states its own basis ("根据《…》…，制定本办法"), in its
    preamble or first articles. A regulation issued by an order or notice states it in its 第一条, after
    the issuing text ("…现印发给你们，请认真贯彻执行"), which the preamble alone would quote instead."""
    if ctx.outline is None:
        return None
    pattern = _basis_statement(genre)
    for view in ctx.outline(policy["id"])[:BASIS_PIECES]:
        for s in sentences(view):
            if pattern.search(s[2]):
                return view, s
    return None


def _policy_metadata(ctx: Context, citer: Citer, p: dict) -> list[str]:
    """A policy's 文号, issuers and dates. A date is stated with the clause that writes it, or else with
    the metadata line of the file that records it (文件信息); a date neither shows is not stated."""
    g = ctx.graph
    head = _cite_title(citer, ctx, p)
    lines = ctx.metadata(p["id"]) if ctx.metadata else {}
    out = [f"**《{p.get('title')}》**" + (f" [{head}]" if head else "")]
    doc_no = p.get("doc_no")
    ref = f" [{citer.cite_metadata(p, [lines['doc_no'].line])}]" if doc_no and "doc_no" in lines and not head else ""
    out.append(f"- 文号：{doc_no or '文件未载明文号'}{ref}")
    issuers = (g.issuers.get(p["id"]) if g else None) or []
    names = list(dict.fromkeys(r["name"] for r in issuers)) or list(p.get("issuers") or [])
    ref = f" [{citer.cite_metadata(p, [lines['issuers'].line])}]" if names and "issuers" in lines else ""
    out.append(f"- 发布机构：{'、'.join(names) if names else '未载明'}{ref}")
    dated = [d for d in (g.deadlines if g else []) if d.get("policy_id") == p["id"]
             and d.get("kind") in _DATE_LABELS]
    stated: set[str] = set()
    for d in dated:
        n = cite_fact(citer, ctx, {**d, "policy_id": p["id"]})
        said = f"- {_date_line(_DATE_LABELS[d.get('kind')], str(d.get('text') or ''))}"
        if n and not any(o.startswith(said + " [") for o in out):  # one date, stated once
            stated.add(d["kind"])
            out.append(f"{said} [{n}]")
    if "expiry" not in stated:  # 暂定三年有效期 / 有效期2年: the period as the cited clause writes it
        for i, c in enumerate(citer.citations, 1):
            m = re.search(r"[^，。；,;]*(?:有效期|暂定)[^，。；,;]*", c.quote) if c.policy_id == p.get("id") else None
            if m:
                stated.add("expiry")
                out.append(f"- 有效期：{m.group(0).strip()} [{i}]")
                break
    for kind, label in _DATE_LABELS.items():
        if kind not in stated and kind in lines:
            stated.add(kind)
            out.append(f"- {_date_line(label, lines[kind].value)}（文件信息） [{citer.cite_metadata(p, [lines[kind].line])}]")
    unquoted = [_DATE_LABELS[k] for k in _DATE_LABELS if p.get(k) and k not in stated]
    if unquoted:
        out.append(f"- {'、'.join(unquoted)}：见于文件的元数据，正文未写明，此处不作引用")
    if "expiry" not in stated and not p.get("expiry"):
        out.append("- 有效期：文件未载明有效期")
    quoted = "".join(c.quote for c in citer.citations if c.policy_id == p.get("id"))
    expiry = str(p.get("expiry") or "")[:10]
    written = any(date_quoted(expiry, line) for line in out if line.startswith("- 有效期"))
    status = validity_status(p, show_date=not written, reckoned=not date_quoted(expiry, quoted))
    if status:
        out.append(f"- 现行状态：{status}")
    return out


def _date_line(label: str, value: str) -> str:
    """"有效期至：2027年12月31日", but never "有效期至：有效期5年": a value that names its own field
    ("有效期…", "自…起施行") is written as is, without the label repeating it."""
    head = label.removesuffix("至").removesuffix("日期")
    if value.startswith((label, head)) or re.match(r"^(自|从)", value):
        return value
    return f"{label}：{value}"


def validity_status(policy: dict, today: dt.date | None = None, show_date: bool = True,
                    reckoned: bool = False) -> str | None:
    """Whether a policy is still in force at `today` (said: the date the judgement rests on), from its
    expiry date when one is known; None when the metadata give no date to judge by. `show_date`: the
    end date is not written in the answer yet (False: the lines above write it; it is not repeated).
    `reckoned`: no quote writes the end date — it was reckoned from a period the quotes give (有效期2年)
    counted from the 施行 date, and is said to be, and from what."""
    from rag.docfacts import reckoned_from

    today = today or dt.date.today()
    expiry = str(policy.get("expiry") or "")[:10]
    try:
        end = dt.date.fromisoformat(expiry)
    except ValueError:
        return None
    judged = (f"按今天（{today.year}年{today.month}月{today.day}日）的日期"
              + ("已不在有效期内" if end < today else "仍在有效期内"))
    if not show_date:
        return judged
    said = f"有效期至 {end.year}年{end.month}月{end.day}日"
    return f"{said}（{reckoned_from(policy)}），{judged}" if reckoned else f"{said}，{judged}"


def date_quoted(iso: str, quoted: str) -> bool:
    """The quotes write this date (its year, month and day as numbers, in any layout)."""
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        return False
    written = {int(n) for n in re.findall(r"\d+", quoted)}
    return {d.year, d.month, d.day} <= written


def _cite_title(citer: Citer, ctx: Context, p: dict) -> int | None:
    """Cite the policy's title where the text writes it, so its 文号 and title are on record."""
    if ctx.locate is None or not p.get("title"):
        return None
    view = ctx.locate(p["id"], -1, -1)
    if view is None:
        return None
    i = view.text.find(p["title"])
    return citer.cite(view, view.start + i, view.start + i + len(p["title"]), p["title"]) if i >= 0 else None


# general -------------------------------------------------------------------------------------------


DEFINED_TERM_SHARE = 0.6  # of a defined term's character pairs the question must write: the thing it names
DEFINING_DOCUMENTS = 3  # the best retrieved documents whose opening clauses are read for a definition
DEFINING_CLAUSES = 12  # the first clauses of each: where a document defines its terms


def compose_definition(ctx: Context, *, genre: Genre) -> Composed | None:
    """"X说白了是干啥的" / "X是什么意思" (answer.yaml meaning_cue): the sentence of a retrieved clause that
    defines X (definition_sentence: 本办法所称X，是指…; X（以下简称Y）是…), the defined term being the one
    the question names (most of its character pairs written in the question); None otherwise."""
    data = settings_data(genre)
    if not re.search(data.get("meaning_cue") or "$^", ctx.linked.text):
        return None
    shape = re.compile(data.get("definition_sentence") or "$^")
    views = _candidate_views(ctx, limit=8, genre=genre)
    # a document defines what it is about in its opening paragraph or its first clauses (（一）建设思路。
    # 试验区（以下简称…）是依托地方开展…), which the question's words need not retrieve: those of the
    # best documents are read too
    pids = list(dict.fromkeys(v.policy_id for v in views))[:DEFINING_DOCUMENTS]
    openings = [ctx.preamble(pid) if ctx.preamble else None for pid in pids]
    outlines = [v for pid in pids for v in ((ctx.outline(pid) if ctx.outline else None) or [])[:DEFINING_CLAUSES]]
    best = None
    for v in [*views, *(o for o in openings if o is not None), *outlines]:
        for s in sentences(v):
            m = shape.match(_NUMBER_PREFIX.sub("", s[2]).strip())
            if m is None:
                continue
            term = next((t for k, t in m.groupdict().items() if k.startswith("term") and t), "")
            # the term the question quotes is the one asked (公共数据办法里的“数据主体”: not 公共数据, which
            # the document's name writes as fully)
            key = (overlap(term, ctx.linked.text), term in ctx.linked.quoted)
            if term and key[0] >= DEFINED_TERM_SHARE and (best is None or key > best[0]):
                best = (key, v, s, term)
    if best is None:
        return None
    _, v, s, term = best
    citer = Citer()
    n = citer.cite(v, *s)
    return Composed(answer=f"文件对“{term}”的界定：\n\n- {_source(v, s[2])}：{shown(s[2])} [{n}]",
                    citations=citer.citations, evidence=[v.measure_id])


def compose_general(ctx: Context, *, genre: Genre) -> Composed:
    if (defined := compose_definition(ctx, genre=genre)) is not None:
        return defined
    min_overlap = settings_data(genre)["min_overlap"]
    years = ctx.linked.values("year")
    must = "|".join(rf"{y}\s*年" for y in years) if years else None
    # a year the question names is a time its sentence must state, unless the document's title or 文号
    # writes it and the question does not write it as a point in time (科技部2018年“智能机器人”专项的咨询
    # 电话: the 2018年度申报指南, whose phone list says no year; 到2018年底…有什么要求 asks that time);
    # check_requirements reads titles the same way
    timed = any(re.match(YEAR_AS_TIME, ctx.linked.text[lk.end:]) for lk in ctx.linked.of("year"))
    excused = (lambda v: all(document_names_year(y, v.policy, v.doc_no) for y in years)) if years and not timed else None
    ranked = [p for p in ranked_sentences(ctx, must=must, per_view=1, genre=genre, excused=excused)
              if not ctx.focus or p[0] >= min_overlap]
    picks, strong = near_picks(ranked[:3], genre=genre)
    lead = lead_measure(ctx)
    if lead is not None:  # the clause both signals rank first (with_lead keeps it) is never a near pick
        strong.add(lead.measure_id)
    picks = with_lead(ctx, picks, ranked)
    picks = with_listed(picks)  # 可以按下列渠道筹集： with its items, not the bare announcement
    announcing = settings_data(genre).get("announcement") or "$^"
    widened = [(score, v, with_siblings(v, sp, announcing)) for score, v, sp in picks]  # an item with its list
    picks = [p for i, p in enumerate(widened) if all(p[2][:2] != q[2][:2] for q in widened[:i])]
    if ctx.asked is not None and not any(states_kind(ctx.asked, s[2], genre=genre) for _, _, s in picks):
        picks = [(score, v, with_stated(ctx, v, s)) for score, v, s in picks]  # with the amount said next
    evidence = "".join(v.title + with_subject(ctx, v, s, genre=genre) for _, v, s in picks)
    if not picks or not ctx.covers(evidence, [v.measure_id for _, v, _ in picks], sayable=True):
        return abstain(ctx, "检索到的条款与问题不相符，语料中没有能回答该问题的内容。")
    picks = with_lead(ctx, narrowed_beside(ctx, picks, strong, genre=genre), ranked)
    typed = typed_first(ctx, picks, genre=genre)[:3]  # none of them says what is asked: a sentence that does
    first = typed[0] if typed[0] is not picks[0] else None
    tiers = (typed[0][0], typed[0][1], with_tied_tiers(ctx, typed[0][1], typed[0][2]))  # the tier not told apart
    first = tiers if first is not None else None
    picks = [tiers, *typed[1:]]
    picks = with_listed(picks)  # a sentence typed_first brought in, with its items too
    first = picks[0] if first is not None else None  # `first` was picks[0]: its widened form
    citer, lines = Citer(), []
    if lead is not None and grade_bonus(ctx, picks[0][2][2]) > 0:
        lead = None  # the asked grade's row or tier answers, not the clause's sentences in text order
    if lead is not None and excused is not None and excused(lead):
        must = None  # the lead clause's document names the year: its sentences need not repeat it either
    lead_states = lead is not None and ctx.asked is not None and any(
        states_kind(ctx.asked, s[2], genre=genre) for s in lead_sentences(ctx, lead, must, genre=genre))
    if (first is None and lead is not None and ctx.asked is not None and not lead_states
            and picks[0][1].measure_id == lead.measure_id and states_kind(ctx.asked, picks[0][2][2], genre=genre)):
        first = picks[0]  # the lead clause's sentence stating the asked fact, beyond its first sentences
    beyond = first is None and lead is not None and best_beyond_lead(ctx, lead, picks[0], must, genre=genre)
    if beyond:
        first = picks[0]  # the clause's best sentence lies past the first ones its actions are quoted by
    if first is not None and (lead is None or first[1].measure_id != lead.measure_id or not lead_states or beyond):
        _, v, s = first  # the asked fact before a lead clause's other actions (which may not state it)
        s = clause_quote(ctx, v, s)
        lines.append(f"- {_source(v, s[2])}：{shown(s[2])} [{citer.cite(v, *s)}]")
        picks = picks[1:]
    if lead is not None and any(v.measure_id == lead.measure_id for _, v, _ in picks):
        # none of its sentences repeating a word of the question (a paraphrase), its picked one says it
        said = lead_sentences(ctx, lead, must, genre=genre) or [s for _, v, s in picks if v.measure_id == lead.measure_id]
        a, b = (said[0][0], said[-1][1]) if said else (0, 0)
        if said and b - a <= 2 * LONG_SENTENCE:  # one citation for the clause's actions, not one each
            said = [clause_quote(ctx, lead, with_stated(ctx, lead, (a, b, lead.text[a - lead.start : b - lead.start])))]
        if not all(quoted_already(citer, lead, s) for s in said):
            lines.append(f"- {_source(lead)}：" + " ".join(f"{s[2]} [{citer.cite(lead, *s)}]" for s in said))
        picks = [p for p in picks if p[1].measure_id != lead.measure_id][:2]
    for _, v, s in whole_clauses(ctx, picks):
        if quoted_already(citer, v, s):
            continue  # inside a clause already quoted whole
        n = citer.cite(v, *s)
        lines.append(f"- {_source(v, s[2])}：{shown(s[2])} [{n}]")
    return Composed(answer="文件中的相关规定：\n\n" + "\n".join(lines), citations=citer.citations,
                    evidence=[v.measure_id for _, v, _ in picks])


def with_lead(ctx: Context, picks: list[tuple[float, View, tuple[int, int, str]]],
              ranked: list[tuple[float, View, tuple[int, int, str]]]) -> list[tuple[float, View, tuple[int, int, str]]]:
    """The picks with the lead clause's best sentence kept second when the cuts by word overlap
    (close_picks, narrowed) dropped it: the lexical and the dense signal both ranking a clause first
    (lead_measure) is stronger evidence of what the question is about than a neighbour repeating more
    of its words ("公务员能当负责人去申报吗" is answered by "公务人员…不得申报", not by the sentence that
    repeats 重点研发计划…负责人…申报). The best pick stays first: it may state what is asked."""
    lead = lead_measure(ctx)
    if lead is None or not picks or any(v.measure_id == lead.measure_id for _, v, _ in picks):
        return picks
    own = next((p for p in ranked if p[1].measure_id == lead.measure_id), None)
    return picks if own is None else [picks[0], own, *picks[1:]]


def best_beyond_lead(ctx: Context, lead: View, best: tuple[float, View, tuple[int, int, str]],
                     must: str | None = None, *, genre: Genre) -> bool:
    """The best-ranked sentence is the lead clause's, yet not among the first sentences that quote the
    clause's actions (lead_sentences): "承租人应自收到解除合同…通知之日起1个月内结清有关费用" follows a list
    of the cases of 合同解除, and quoting the clause's opening sentences would cut it off — it is quoted
    first, the clause's actions after it."""
    if best[1].measure_id != lead.measure_id:
        return False
    start, end = best[2][:2]
    return not any(a <= start and end <= b for a, b, _ in lead_sentences(ctx, lead, must, genre=genre))


def with_subject(ctx: Context, view: View, sentence: tuple[int, int, str], *, genre: Genre) -> str:
    """What a picked sentence says of the question: the sentence, and when it states a kind of fact
    written after its subject (asked_facts `after_subject`: "不得拒绝" after the sentence naming the
    共享申请) the clause's text before it too — the subject is there, not in the prohibition."""
    kind = ctx.asked
    if kind is None or not kind.get("after_subject") or not states_kind(kind, sentence[2], genre=genre):
        return sentence[2]
    return view.text[: max(sentence[1] - view.start, 0)] or sentence[2]


def lead_measure(ctx: Context) -> View | None:
    """The measure the lexical and the dense signal both rank first: two independent signals agree
    that the question is about this clause, so its actions together answer it (降成本的办法: every
    way the clause lists, not its one sentence richest in the question's words)."""
    top = ctx.fused[0] if ctx.fused else None
    if top is None or top.ranks.get("bm25") != 1 or top.ranks.get("dense") != 1:
        return None
    view = ctx.views.get(top.measure_id)
    return view if view is not None and view.kind == "measure" else None


def lead_sentences(ctx: Context, view: View, must: str | None = None,
                   limit: int = 5, *, genre: Genre) -> list[tuple[int, int, str]]:
    """The lead clause's sentences in text order: its heading and 责任单位 block left out, and each
    sentence sharing something with the question (a clause's closing boilerplate says nothing)."""
    out = []
    for s in sentences(view):
        if skips_heading(view, s[2]) or (must and not re.search(must, s[2])):
            continue
        if responsibility_quote(view, genre=genre) and s[2] in responsibility_quote(view, genre=genre)[2]:
            continue
        if not ctx.focus or relevance(ctx, s[2], genre=genre) > 0:
            out.append(s)
    return out[:limit]


# structure -------------------------------------------------------------------------------------------

_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass
class Part:
    """A section of a policy as the index sees it: its path, intro text and children in text order."""

    policy_id: str
    path: tuple[str, ...]
    intro: str = ""
    children: list[tuple[str, View]] = field(default_factory=list)  # (label, first view under it)
    intro_views: list[View] = field(default_factory=list)  # the views whose text is the intro


def asked_count(question: str, *, genre: Genre) -> int | None:
    """The number of items a question names ("五大工程", "哪三个"), when it names one."""
    m = re.search(settings_data(genre)["structure_count"], question)
    if not m:
        return None
    word = m.group(1) or m.group(2)
    return int(word) if word.isdigit() else _NUMERALS.get(word)


def outline_parts(policy_id: str, views: list[View]) -> list[Part]:
    """Every section that has at least two children (subsections or numbered measures)."""
    parts: dict[tuple[str, ...], Part] = {}
    for v in views:
        path = tuple(p for p in v.section.split(" / ") if p)
        for depth in range(len(path)):
            parent = parts.setdefault(path[:depth], Part(policy_id, path[:depth]))
            if path[depth] not in (label for label, _ in parent.children):
                parent.children.append((path[depth], v))
        leaf = parts.setdefault(path, Part(policy_id, path))
        if v.kind in ("intro", "goal") or not v.number:
            leaf.intro += v.text
            leaf.intro_views.append(v)
        elif v.label not in (label for label, _ in leaf.children):
            leaf.children.append((v.label, v))
    return [p for p in parts.values() if len(p.children) >= 2]


def structure_score(ctx: Context, part: Part, count: int | None, policy_title: str = "") -> float:
    """How well a section answers "which are its parts": its title written in the question (the
    document's own title, at half weight, for its top level), or the question's words in its intro;
    plus its children's titles, the counted word in them ("几大工程"), and the count the question names."""
    q = with_agent_nouns(ctx.linked.text)
    title = _NUMBER_PREFIX.sub("", part.path[-1]) if part.path else policy_title
    grams = set(bigrams(title))
    # the title as a question writes it with 的 between its words (支持的对象 for 支持对象)
    in_question = len(grams & (set(bigrams(q)) | set(bigrams(q.replace("的", ""))))) / len(grams) if grams else 0.0
    if not part.path:
        in_question *= 0.5
    focus = focus_text(ctx)
    intro = overlap(focus, part.intro) if focus and part.intro else 0.0
    kids = overlap(focus, "".join(label for label, _ in part.children)) if focus else 0.0
    if part.path and len(title_tail_in(q, title)) >= TITLE_PHRASE:
        in_question = max(in_question, TITLE_NAMED)  # 推荐单位 of "组织申报的推荐单位", written in the question
    if kind_named(ctx, part):
        in_question = max(in_question, TITLE_NAMED)  # 要走哪几步: the section headed 建设程序
    word = counted_word(ctx.linked.text)
    counted = bool(word) and sum(word in label for label, _ in part.children) >= 2
    if not part.path and not counted:  # a document's top level only when the question counts its parts
        return 0.0
    # the section's own words announce a list of the counted thing (应具备以下条件。/ 包括下列单位：)
    announced = bool(word) and bool(re.search(rf"(?:以下|如下|下列)[^。；;]{{0,8}}{re.escape(word)}|"
                                              rf"{re.escape(word)}[^。；;]{{0,6}}[：:]\s*$", part.intro.strip()))
    return (max(in_question, intro) + 0.5 * kids + (0.5 if counted or announced else 0.0)
            + (0.5 if count == len(part.children) else 0.0))


KIND_NAMED_HITS = 5  # a section named only by its kind of list must be in a document of this many best hits


def retrieved_policies(ctx: Context, k: int = KIND_NAMED_HITS) -> set[str]:
    """The documents of the k best fused hits: where retrieval found the question's subject."""
    return {ctx.views[h.measure_id].policy_id for h in ctx.fused[:k] if h.measure_id in ctx.views}


def kind_named(ctx: Context, part: Part) -> bool:
    """The question asks for the kind of list the section's heading names, in a document retrieval
    found the question's subject in (every document has its 申报方式; the asked one is where the
    question's words are)."""
    return bool(part.path) and part.policy_id in retrieved_policies(ctx) and names_list_heading(
        ctx.linked.text, part.path[-1], genre=ctx.genre)


def names_list_heading(question: str, title: str, *, genre: Genre) -> bool:
    """The question asks for the kind of list the section's heading names (list_headings): the steps
    of a procedure (要走哪几步 -> 四、建设程序), the ways of doing a thing (通过哪几种途径 -> 具体申报方式).
    A user rarely writes the heading's own word, but every document names these lists alike."""
    title = _NUMBER_PREFIX.sub("", title).strip(" 。：:")
    return any(re.search(kind["asked"], question) and re.search(kind["heading"], title)
               for kind in settings_data(genre).get("list_headings") or ())


# a noun, a modal and a verb (单位能推荐, 企业可以申报): the noun the verb forms with it (推荐单位, 申报企业)
_CAN_DO = re.compile(r"([\u4e00-\u9fff]{2})(?:能|可以|可|有权)([\u4e00-\u9fff]{2})")


def with_agent_nouns(question: str) -> str:
    """The question, followed by the noun each "N能V" of it forms as the documents write it ("哪几类
    单位能推荐" -> 推荐单位): a user says who may do a thing with a modal, a section names them by the
    verb before the noun (二、组织申报的推荐单位)."""
    return question + "".join(f"，{m.group(2)}{m.group(1)}" for m in _CAN_DO.finditer(question))


TITLE_PHRASE = 4  # characters of a section's title written in the question as they stand: it names the section
TITLE_NAMED = 0.75


def title_named(question: str, label: str) -> bool:
    """The question writes the section's title: its end as it stands (TITLE_PHRASE characters or
    more), or every bigram of it once 的 is left out of the question (支持的对象 for 支持对象)."""
    title = _NUMBER_PREFIX.sub("", label).strip(" 。：:")
    grams = set(bigrams(title))
    if len(title_tail_in(question, title)) >= TITLE_PHRASE:
        return True
    return bool(grams) and grams <= set(bigrams(question)) | set(bigrams(question.replace("的", "")))


def title_tail_in(question: str, title: str) -> str:
    """The longest end of a section's title that the question writes as it stands: a title ends with
    what it is about (组织申报的推荐单位 -> 推荐单位); a word from its middle (…的人工智能科技创新体系 ->
    人工智能) is the topic the whole document shares."""
    title = title.strip(" 。：:")
    return next((title[i:] for i in range(len(title)) if title[i:] in question), "")


SPREAD_HITS = 6  # best fused clauses looked at for where a question's answer is spread
SPREAD_CHILDREN = 4  # distinct parts of one section among them: the question asks for the section's parts


def hit_child(part: Part, v: View) -> str | None:
    """The child of `part` (a subsection's title, or a numbered clause's label) a clause sits under;
    None when it is not under the part, or is its intro."""
    path = tuple(p for p in v.section.split(" / ") if p)
    depth = len(part.path)
    if path[:depth] != part.path:
        return None
    if len(path) > depth:
        return path[depth]
    return v.label if v.number and v.kind not in ("intro", "goal", "preamble") else None


def spread_part(ctx: Context) -> Part | None:
    """The section whose parts the best retrieved clauses are spread over (SPREAD_CHILDREN of its
    children or more among the SPREAD_HITS best clauses of one document, the deepest such section):
    no one clause answers a question asking what a document or section includes as a whole (这次出了
    哪些招, 若干政策包括哪些方面) — retrieval finds every part alike, and the answer is their list."""
    if ctx.outline is None:
        return None
    seen = list(dict.fromkeys(h.measure_id for h in ctx.fused if h.measure_id in ctx.views))[:SPREAD_HITS]
    if not seen:
        return None
    policy = ctx.views[seen[0]].policy_id
    hits = [ctx.views[m] for m in seen if ctx.views[m].policy_id == policy]
    best: Part | None = None
    for part in outline_parts(policy, ctx.outline(policy)):
        kids = {c for c in (hit_child(part, v) for v in hits) if c is not None}
        if len(kids) >= SPREAD_CHILDREN and (best is None or len(part.path) > len(best.path)):
            best = part
    return best


def compose_spread(ctx: Context, *, genre: Genre) -> Composed | None:
    """A question asking for every part of a whole (whole_list_cue: 一共出了哪些招, 都包括哪些方面)
    whose best clauses are spread over the parts of one section (`spread_part`), and whose words
    beyond the asking ones the document's title, the section's path and its parts' titles carry
    (CLAUSE_NAMED of them, as for a clause listing items): the section's parts, each cited at its
    heading."""
    data = settings_data(genre)
    if not re.search(data.get("whole_list_cue") or "$^", ctx.linked.text):
        return None
    part = spread_part(ctx)
    if part is None:
        return None
    focus = [w for w in ctx.focus if w not in data["kinds_verbs"] and not _ASKING_WORD.search(w)
             and (ctx.absent is None or not ctx.absent(w))]
    title = next((p.get("title") or "" for p in ctx.policies if p.get("id") == part.policy_id), "")
    said = title + "".join(part.path) + "".join(label for label, _ in part.children)
    if focus and coverage(focus, said, ctx.term_weight, genre=genre) < CLAUSE_NAMED:
        return None
    if not lists_requirements_asked(ctx, title, part, genre=genre):
        return None
    return structure_answer(ctx, part)


def compose_structure(ctx: Context, named: bool = False, *, genre: Genre) -> Composed | None:
    """The titles of the section a question asks to enumerate, each cited where the document writes
    it; None when no section fits well enough (the question is then answered as usual). `named`:
    only a section whose title the question writes."""
    if ctx.outline is None:
        return None
    count = asked_count(ctx.linked.text, genre=genre)
    scope = asked_documents(ctx)  # a named document's lists, not another's on its subject
    titles = {p["id"]: p.get("title") or "" for p in scope}
    candidates = [part for p in scope for part in outline_parts(p["id"], ctx.outline(p["id"]))]
    if named:
        asked = with_agent_nouns(ctx.linked.text)
        candidates = [part for part in candidates if part.path and (
            title_named(asked, part.path[-1]) or kind_named(ctx, part))]
    if not candidates:
        return None
    scored = sorted(((structure_score(ctx, part, count, titles.get(part.policy_id, "")), i, part)
                     for i, part in enumerate(candidates)),
                    key=lambda t: (-t[0], t[1]))
    best, _, part = scored[0]
    if best < settings_data(genre)["min_structure_score"] or not titled(part):
        return None
    said = titles.get(part.policy_id, "") + "".join(part.path) + part.intro + "".join(label for label, _ in part.children)
    if not says_kind_asked(ctx, said, genre=genre):
        return None
    if not lists_requirements_asked(ctx, titles.get(part.policy_id, ""), part, genre=genre):
        return None
    return structure_answer(ctx, part)


def lists_requirements_asked(ctx: Context, title: str, part: Part, *, genre: Genre) -> bool:
    """A question asking what is required (`asked_requirement`: 得满足哪几项条件, 有啥硬性要求) is answered
    by a section's parts only when the section is titled by the requirements (申报条件：1.…2.…): a section
    whose headings name measures (允许符合条件融资租赁公司在京设立) holds them in its clauses' sentences,
    which the question is then answered from. True for any other question."""
    required = asked_requirement(ctx.linked.text, genre=genre)
    return not required or required in title + "".join(part.path) + part.intro


def says_kind_asked(ctx: Context, said: str, *, genre: Genre) -> bool:
    """A list's own words (`said`: its titles and intro) say the kind of thing the question counts:
    依托哪几个园区 counts 园区. Parts whose titles never say it are something else (a chapter's tasks), and
    the sentence naming the members (依托南宁高新区、南宁经开区、东盟经开区) answers instead. Only a content
    word of the question counts (方面, 项 say nothing of the kind); a term the question quotes is not the
    kind (为实现“两个建成”要坚持的原则有哪几条: the 原则 are listed, 两个建成 is what they serve)."""
    q = ctx.linked.text
    for term in ctx.linked.quoted:  # a quoted name counts nothing (对外“五大通道”)
        q = q.replace(term, "，")
    asked = [w for w in (counted_word(q), member_head(q, genre=genre)) if w and w in ctx.focus]
    return all(w in said for w in asked)


_RUNS_ON = re.compile(r"[^。！？!?：:；;\s\u3000]")  # a character a sentence goes on with after a label


def titled(part: Part) -> bool:
    """Most of a section's parts have titles of their own: a heading, or a run-in title closed by its
    stop (培育各类工业互联网平台。). An article the outline labels by its opening words cut short
    (第2条对重点产业新上的工业类项目(不含采矿、…) has none, and a list of such labels names nothing a
    question asks: the clauses answer it as usual."""
    cut = 0
    for label, first in part.children:
        if first.label != label:
            continue  # a subsection: its heading is a line of its own
        m = _heading_pattern(label).match(first.text)
        if m and _RUNS_ON.match(first.text[m.end():m.end() + 1]):
            cut += 1
    return 2 * cut <= len(part.children)


def structure_answer(ctx: Context, part: Part) -> Composed:
    """A section's parts listed one a line, each cited at its heading, after the sentence of its
    intro that announces them when it has one."""
    citer, lines = Citer(), []
    first_view = part.children[0][1]
    where = " / ".join(part.path) or "正文"
    head = f"《{first_view.policy}》{where}列出的各项："
    announced = announcing_sentence(part)
    if announced is not None:  # 以下类别高层次人才可…: what the listed items have in common, cited first
        v, s = announced
        head = f"《{first_view.policy}》{where}：{shown(s[2])} [{citer.cite(v, *s)}]"
    children = _counted_children(ctx, part.children)
    details = item_details(ctx, first_view.policy + "".join(part.path) + part.intro + "".join(label for label, _ in children),
                           [(first, first.start, first.start + len(first.text)) for _, first in children])
    detailed: list[int] = []
    for i, (label, first) in enumerate(children):
        n = _cite_heading(citer, ctx, part, label, first)
        lines.append(f"- {label}" + (f" [{n}]" if n else ""))
        if i in details:
            n = citer.cite(first, *details[i])
            lines.append(f"  > {shown(details[i][2])} [{n}]")
            detailed.append(n)
    return Composed(answer=head + "\n\n" + "\n".join(lines), citations=citer.citations,
                    evidence=[v.measure_id for _, v in part.children], section_parts=True, details=tuple(detailed))


def item_extents(items: list[Item]) -> list[tuple[View, int, int]]:
    """Each listed item's view and extent: from its opening sentence to the next item's in the same
    view, else to its view's end."""
    out = []
    for i, (w, (a, _, _)) in enumerate(items):
        after = items[i + 1] if i + 1 < len(items) else None
        end = after[1][0] if after is not None and after[0].measure_id == w.measure_id and after[1][0] > a else (
            w.start + len(w.text))
        out.append((w, a, end))
    return out


ITEM_DETAILS = 2  # items of a listed section whose sentence saying the rest of the question is quoted
ITEM_DETAIL_SHARE = 0.5  # weighted share of those words the sentence must say
ITEM_DETAIL_CLOSE = 0.9  # of the best item's share, a second item's must say (else only the best is quoted)


def item_details(ctx: Context, said: str, items: list[tuple[View, int, int]]) -> dict[int, tuple[int, int, str]]:
    """The sentence of a listed item that says what the question asks beyond what the list itself
    says (`said`: the document's title, the section's path, the announcing sentence, the items'
    titles): 对本地人工智能产业规模有什么门槛 is listed by the 申请条件 items and answered by the one
    that writes 产业规模超过50亿元; 满意度是从哪些渠道了解的 by the item that writes 了解…满意度. Up to
    ITEM_DETAILS items (by their index in `items`: each the view it is written in and its extent there),
    each by its best such sentence; none when the list's words say the whole question."""
    genre = ctx.genre
    words = [w for w in ctx.focus if w not in ctx.situation_words and coverage([w], said, genre=genre) < 1.0
             and (ctx.absent is None or not ctx.absent(w))]
    if not words:
        return {}
    found = []
    for i, (view, start, end) in enumerate(items):
        scored = [(coverage(words, s[2], ctx.term_weight, genre=genre), s) for s in sentences(view)
                  if start <= s[0] and s[1] <= end and not is_heading(view, s[2]) and s[2] not in said]
        best = max(scored, key=lambda t: (t[0], -t[1][0]), default=None)
        if best is not None and best[0] >= ITEM_DETAIL_SHARE:
            found.append((best[0], i, best[1]))
    found.sort(key=lambda t: -t[0])
    return {i: s for c, i, s in found[:ITEM_DETAILS] if c >= ITEM_DETAIL_CLOSE * found[0][0]}


_ANNOUNCES = re.compile(r"(?:以下|如下|下列)")


def announcing_sentence(part: Part) -> tuple[View, tuple[int, int, str]] | None:
    """The sentence of a section's intro that announces its list (以下类别高层次人才可不受…限制购房,
    应具备下列条件：): it says what the items have in common."""
    for v in part.intro_views:
        for s in sentences(v):
            if _ANNOUNCES.search(s[2]) and not is_heading(v, s[2]):
                return v, s
    return None


def _cite_heading(citer: Citer, ctx: Context, part: Part, label: str, first: View) -> int | None:
    """Cite a child's heading: a measure's own first words, or a subsection heading found in the
    document just before its first measure."""
    if first.label == label:
        m = _heading_pattern(label).match(first.text)
        return citer.cite(first, first.start + m.start(), first.start + m.end(), m.group(0)) if m else None
    doc = ctx.locate(part.policy_id, -1, -1) if ctx.locate else None
    if doc is None:
        return None
    found = list(_heading_pattern(label).finditer(doc.text, 0, max(first.start - doc.start, 0)))
    if not found:
        return None
    i, written = found[-1].start(), found[-1].group(0)
    heading = View(measure_id=first.measure_id, policy_id=first.policy_id, text=doc.text, start=doc.start,
                   title=_NUMBER_PREFIX.sub("", label), number=label[: len(label) - len(_NUMBER_PREFIX.sub("", label))],
                   policy=first.policy, doc_no=first.doc_no, city=first.city, section=" / ".join(part.path))
    return citer.cite(heading, doc.start + i, doc.start + i + len(written), written)


def _heading_pattern(label: str) -> re.Pattern:
    """A heading as the text may write it: half- or full-width brackets, spaces after the number."""
    title = _NUMBER_PREFIX.sub("", label)
    number = label[: len(label) - len(title)].strip()
    alt = {"（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]", "、": "[、.．]", ".": "[、.．]", "．": "[、.．]"}
    num = "".join(alt.get(ch, re.escape(ch)) for ch in number)
    return re.compile(num + r"\s*" + re.escape(title))


MODIFIER_TAGS = ("a", "b", "uj")  # adjectives and distinguishing words (硬, 高层次, 高级), and the 的 after them


COUNTER = r"[一二两三四五六七八九十几\d]+[大个项条类]"  # 五大, 几项, 哪几类, 7个: the counter before a counted noun


def counted_word(question: str) -> str | None:
    """The word a question counts ("五大工程", "几项任务" -> 工程, 任务): the noun after the counter,
    past the adjectives that qualify it (哪几条硬条件 -> 条件, 哪几类高层次人才 -> 人才, 一条高级的滑道 ->
    滑道) — the user's own qualifier is no word of the document's list (应具备以下条件)."""
    counted = _counted(question)
    return counted[0] if counted else None


def _counted(question: str) -> tuple[str, str] | None:
    """The counted word (counted_word) and the rest of the question's words after it up to the end of
    their run (哪几类科技服务？ -> 科技, 服务): the rest is where a compound's head is."""
    from rag.tokenize import pos_tagger

    m = re.search(COUNTER + r"([\u4e00-\u9fa5]{2,})", question)
    if not m:
        return None
    words = list(pos_tagger().cut(m.group(1)))
    i = 0
    while i < len(words) - 1 and words[i].flag in MODIFIER_TAGS:
        i += 1
    rest = "".join(w.word for w in words[i:])
    return (rest[:2], rest[2:]) if len(rest) >= 2 else (m.group(1)[:2], m.group(1)[2:])


def _counted_children(ctx: Context, children: list[tuple[str, View]]) -> list[tuple[str, View]]:
    """The children a question counts: when the counted word ("几大工程" -> 工程) is in the titles
    of some children but not all, those; otherwise all."""
    counted = _counted(ctx.linked.text)
    if counted:
        word, rest = counted
        named = [c for c in children if word in c[0]]
        if 2 <= len(named) < len(children) and not _head_of_every(rest, children):
            return named
    return children


def _head_of_every(rest: str, children: list[tuple[str, View]]) -> bool:
    """The counted word is the first of a compound whose next word (the first of `rest`) every child's
    title writes (哪几类科技服务 in a chapter of 研究开发服务, 技术转移服务, 科技咨询和科普服务 …): the
    compound's head names them all, and the two titles that happen to write 科技 are not the ones counted."""
    from rag.tokenize import pos_tagger

    head = next(iter(pos_tagger().cut(rest)), None) if rest else None
    return head is not None and len(head.word) >= 2 and all(head.word in label for label, _ in children)
