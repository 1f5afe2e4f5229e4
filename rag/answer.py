"""Answer a question: link -> intent -> graph facts + BM25 + dense -> weighted RRF -> compose.

The graph is optional at answer time: when the store is missing or fails, the answer comes from BM25
and dense retrieval alone, marked graph_available=False with a warning. With an LLM endpoint set,
the LLM writes the answer from the same evidence and falls back to the composed one on any failure.
"""

from __future__ import annotations

import logging
import math
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields, replace
from typing import Any

from genre import Genre
from genre import resolve as resolve_genre
from rag.abbrev import TitleIndex, name_core, name_variants
from rag.compose import (
    PLACE_KINDS,
    TYPED_VIEWS,
    Citer,
    Composed,
    Context,
    View,
    analyse_focus,
    asked_action,
    compose,
    coverage,
    kind_for_intent,
    states_kind,
    view_from_chunk,
    view_from_row,
)
from rag.docfacts import (
    MAX_DEPARTMENTS,
    MAX_TITLES,
    asked_facts,
    asks_body_nature,
    asks_interpretation,
    asks_whole_document,
    body_nature,
    document_duties,
    interpretation_clauses,
    refers_to_document,
)
from rag.followup import (
    Scope,
    Turn,
    asks_field,
    coerce_history,
    cues_of,
    kept_context,
    resolve,
    scope_policies,
    sibling_question,
)
from rag.fusion import rrf
from rag.graphsearch import Candidates, GraphResult, GraphSearch, linked_measures, load_graph_lexicon, overlap
from rag.intents import Intent, QuestionPart, asked_words, first_sentence, question_parts, route
from rag.limits import cap_answer, cap_graph
from rag.linking import (
    MAX_QUESTION_CHARS,
    Lexicon,
    Link,
    Linked,
    Linker,
    build_lexicon,
    named_cities,
    province_short,
    scope_of,
)
from rag.mentions import MAX_CLAUSES as MAX_MENTION_CLAUSES
from rag.mentions import MAX_DOCUMENTS as MAX_MENTION_DOCUMENTS
from rag.mentions import MAX_NAMED as MAX_MENTION_NAMED
from rag.mentions import (
    attributive_head,
    coordinated,
    find_mentions,
    head_split,
    mention_examples,
    mention_term,
    term_forms,
    written_as,
)
from rag.model import Answer, Citation, Hit
from rag.places import opening as opening_place
from rag.profile import (
    Profile,
    asks_no_offers,
    company_words,
    conditions,
    intended_clauses,
    offers_clauses,
    profile_asked,
    read_profile,
    specific_questions,
)
from rag.rerank import rerank_by_asked_kind
from rag.settings import Settings
from rag.thresholds import asked_thresholds, states_threshold

log = logging.getLogger(__name__)

NO_GRAPH_WARNING = "未使用图谱事实：知识图谱暂不可用，本回答仅依据全文检索（BM25 与向量检索）。"
EMPTY_MESSAGE = ("请输入一个问题，例如：\n- “防范开源供应链风险”由哪些部门负责？\n"
                 "- 在上海租用算力做大模型研发能拿到什么补贴？\n- 上海、南京、重庆的开源社区目标分别是多少？")
NO_CONTENT_MESSAGE = "没有识别出问题内容（只有标点或表情符号）。请用中文描述您想了解的政策问题。"
RETRIEVAL_DEPTH = 20  # hits per signal before fusion
FULL_SCAN_CHUNKS = 3000  # up to this many chunks, graph expansion ranks every fact of the question's cities
CANDIDATE_CHUNKS = 200  # above it, graph expansion starts from this many best lexical matches
CANDIDATE_DENSE = 50  # and from this many best dense matches (the same question in other words)
IDF_SAMPLE = 20_000  # chunks that word statistics (IDF, absence) are counted on in a large corpus
PLACE_CACHE = 256  # places whose documents are remembered per generation
PLACE_MIN_CLAUSES = 3  # clauses of one document naming a place that make the document about it
SUBGRAPH_MAX_EDGES = 60  # per kind of step in the evidence picture: a picture, not an export of the graph
MAX_PROFILE_OFFERS = 6  # offers listed per level for a company profile; the rest are counted
MAX_GOAL_YEARS = 4  # goal years listed per document in a side-by-side comparison
THRESHOLD_DEPTH = 5  # fused clauses searched for the grade or threshold a refused question names
FOLLOW_UP_HINT = 1.5  # vote of the previous turn's intent for a follow-up on a sibling item (a cue weighs 2-3)
NAME_SPAN = 14  # characters before a kind of document that can name it (国务院电商意见, 广州公租房管理办法)
BODY_NATURE_HITS = 10  # lexical hits searched for the sentence saying what kind of body an organ is


class Answerer:
    """Answers questions over one ingest generation: a graph store (or None) and an IndexSet."""

    def __init__(self, store: Any | None, indexes: Any, settings: Settings, genre: Genre | None = None) -> None:
        self.store = store
        self.indexes = indexes
        self.settings = settings
        # the genre this generation was built with (the façade passes its own; None: the packaged
        # one): every question is answered with it, handed down to routing, linking and composition
        self.genre = resolve_genre(genre)
        self._lexicon: Lexicon | None = None
        self._lexicon_from_graph = False
        self._linker: Linker | None = None
        self._idf: dict[str, float] = {}
        self._documents: dict[str, View | None] = {}
        self._df: dict[str, int] = {}
        self._outlines: dict[str, list[View]] = {}
        self._stat_chunks: list | None = None
        self._joined: str | None = None
        self._places: dict[str, bool] = {}
        self._place_ids: dict[str, set[str]] = {}
        self._title_index: tuple[int, TitleIndex] | None = None  # (id of the policy list, its titles indexed)
        self._examples = None  # IntentExamples, loaded with the query model
        self._sources: tuple[Lexicon, dict[str, str]] | None = None  # text_sources of a lexicon's policies
        self._local: tuple[Lexicon, set[str]] | None = None  # a lexicon's county, district and zone documents

    # -- public ------------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[object] | None = None, scope: object = None,
            signals: Sequence[str] | None = None) -> Answer:
        """One grounded answer with citations; never raises for bad input.

        `history`: the earlier turns (questions, or {"question", "citations"} objects), so that a
        follow-up ("那南京呢", "这项措施属于哪个文件", "它的责任单位呢") is read against the last one.
        `scope`: {"document", "jurisdiction", "in_force"} limits the policies answered from.
        `signals`: answer with only these of bm25 / dense / graph (evaluation of each signal)."""
        answer = self._ask(question, history, scope, signals)
        return self._with_parts(answer, history, scope, signals)

    def _with_parts(self, answer: Answer, history: Sequence[object] | None, scope: object,
                    signals: Sequence[str] | None) -> Answer:
        """A message asking several questions ("合同一签是几年？到期了还能接着住吗") is answered by its first
        one; each later question (intents.question_parts: with the scene the first sets) is answered
        alone and added below, its citations numbered on, when it found a clause and quotes something
        the answer does not already, or states a line the answer does not (its lines already shown left
        out). A message whose first question the corpus cannot answer stays a
        refusal: a later part answered alone must not make it look answered. The answer's intent,
        departments and table stay the first question's. In a conversation each part is read against
        its `history` too ("这个办法是哪天印发的？文号是多少？": the previous turn's document's 文号)."""
        if answer.abstained or not isinstance(answer.question, str):
            return answer
        parts = question_parts(answer.question, genre=self.genre)
        if answer.intent == "comparison" and (compared := compared_parts(answer.question, self.genre)) is not None:
            # the sides compared stand in a later sentence (…能不能请外面的公司来做？阿坝州和广东的办法各是怎么
            # 规定的): the comparison answered it, side by side
            parts = [p for p in parts if not all(side in p.sentence for side in compared[0])]
        later = [self._ask(self._part_question(part), history, scope, signals) for part in parts]
        if later:
            answer = self._first_question_led(answer, later[0], history, scope, signals)
        quoted = {(c.measure_id, c.quote) for c in answer.citations}
        for part, more in zip(parts, later, strict=True):
            if more.abstained or not more.citations:
                continue
            if all((c.measure_id, c.quote) in quoted for c in more.citations):
                # the same clauses quoted: added only with the lines it states that the answer does not (a
                # target table's other row: 60个以上典型应用场景 beside 50款爆款产品), cited by the numbers they have
                anew = lines_anew(more.answer, answer.answer)
                if anew is None:
                    continue
                own = [(c.measure_id, c.quote) for c in answer.citations]
                text = renumbered_as(anew, [own.index((c.measure_id, c.quote)) + 1 for c in more.citations])
                answer = replace(answer, answer=f"{answer.answer}\n\n**另问：{part.sentence}**\n\n{text}",
                                 facts=answer.facts + more.facts)
                continue
            quoted |= {(c.measure_id, c.quote) for c in more.citations}
            text = renumbered(more.answer, len(answer.citations))
            answer = replace(answer, answer=f"{answer.answer}\n\n**另问：{part.sentence}**\n\n{text}",
                             citations=answer.citations + more.citations, facts=answer.facts + more.facts,
                             timings_ms={k: round(v + more.timings_ms.get(k, 0.0), 2)
                                         for k, v in answer.timings_ms.items()})
        return answer

    def _part_question(self, part: QuestionPart) -> str:
        """A later question as it is asked alone: led by the scene the first sets, except that one
        opening a subject of its own (另外各区给人才的购房补贴，钱是谁出; intents.yaml followup
        `continues`) keeps of that scene only the places and documents it names (成都, not the first
        question's 预留的房源, whose words would find the first question's clause again); the whole
        scene when it names none the linker knows."""
        opens = cues_of(self.genre).get("continues")
        if opens is None or not opens.search(part.sentence) or part.question == part.sentence:
            return part.question
        scene = part.question[: len(part.question) - len(part.sentence)]
        named = self._get_linker().link(scene).links
        frame = "".join(dict.fromkeys(lk.mention for lk in named if lk.mention and lk.kind in (*PLACE_KINDS, "policy", "doc_no")))
        return f"{frame}，{part.sentence}" if frame else part.question  # a scene naming nothing linked stays

    def _first_question_led(self, answer: Answer, later: Answer, history: Sequence[object] | None,
                            scope: object, signals: Sequence[str] | None) -> Answer:
        """The message's answer, unless it answers the second question instead of the first: the
        words of a longer later question ("另外供电企业办用电业务…压到多少个工作日以内") can outweigh the
        first's in retrieval, so that the clause the answer quotes first is one the second question
        alone quotes too (`later`: the second question's answer). The first question is then answered alone
        (its sentence, which carries its own scene), when it finds clauses of its own; the second is
        added below as any later question is."""
        clauses = {c.measure_id for c in later.citations}
        if later.abstained or not answer.citations or answer.citations[0].measure_id not in clauses:
            return answer
        first = self._ask(first_sentence(answer.question), history, scope, signals)
        if first.abstained or not first.citations or first.citations[0].measure_id in {
                c.measure_id for c in answer.citations}:
            return answer  # asked alone, it leads with a clause the message's answer quotes (a document's own dates)
        return replace(first, question=answer.question)

    def _ask(self, question: str, history: Sequence[object] | None, scope: object,
             signals: Sequence[str] | None) -> Answer:
        early = self._validate(question)
        if early is not None:
            return early
        turns = coerce_history(history)
        allowed = self._scope_ids(scope)
        if turns:
            followed = self._follow_up(question, turns, allowed, signals)
            if followed is not None:
                return followed
        term = mention_term(question, genre=self.genre)
        if term:
            return self._mentions(question, term, allowed)
        profile = read_profile(question, genre=self.genre)
        # a company asking something else than which offers there are (有没有啥红线, 抽水设备要配多大能力)
        # is answered or refused on that, not with a list of offers it did not ask for
        other_ask = profile is not None and asks_no_offers(question, genre=self.genre)
        if profile is not None and profile.levels:
            # the offers asked for are for a subject of their own (招退役军人能拿什么补贴): answered as a
            # question from the company's levels, refusal included, not by every offer there (which may
            # say nothing of it); a specific question's refusal leaves the profile's offers to answer
            own_subject = bool(self._offers_subject(question))
            if own_subject or other_ask or specific_questions(question, genre=self.genre):
                answer = self._profile_question(question, profile, allowed, signals)
                if answer is not None and (own_subject or not answer.abstained):
                    return answer
        if profile is not None and profile.levels and not other_ask:
            answer = self._profile(question, profile, allowed)
            if answer is not None:
                return answer
        return self._answer(question, question, allowed, signals)

    def _offers_subject(self, question: str) -> set[str]:
        """The nouns a profile question's clause asking for offers names besides the company itself
        (退役军人 in 招退役军人能拿什么补贴; none in 有什么支持 or 规上企业能拿什么奖励), and those of a clause
        saying what the company means to do (业务 in 要是把业务迁回柳河结算)."""
        linker = self._get_linker()
        mine = company_words(genre=self.genre)
        nouns: set[str] = set()
        for clause in [*offers_clauses(question, genre=self.genre), *intended_clauses(question, genre=self.genre)]:
            nouns |= self._read_words(linker.link(clause), "support")[1]
        return {n for n in nouns if n not in mine}

    def _profile(self, question: str, profile: Profile, allowed: set[str] | None) -> Answer | None:
        """A company profile: the offers of the documents of its place and of each level above it
        (county, city, province, national), each with the conditions it sets marked met / not met /
        unknown from the profile; offers whose stated conditions are all met first, those with one
        not met last, a few per level and the rest counted."""
        from rag.compose import Citer, source_label
        from rag.profile import other_industry, verdict

        citer, sections = Citer(), []
        for i, (level, ids) in enumerate(self._profile_levels(profile, allowed)):
            offers = self._profile_offers(question, profile, ids) if self.store is not None else []
            if not offers:
                offers = self._profile_sentences(question, profile, ids)
            offers = [o for o in offers if not other_industry(o[3])]  # offers for another industry's companies
            if i:  # above the company's own place: only offers whose stated conditions it meets
                offers = [o for o in offers if o[3] and verdict(o[3]) == 0]
            if not offers:
                continue
            lines = []
            for _, view, span, marks in offers[:MAX_PROFILE_OFFERS]:
                n = citer.cite(view, *span)
                said = "；".join(f"{c}（{status}）" for c, status in marks)
                lines.append(f"  - {source_label(view, span[2])}：{span[2]} [{n}]" + (f"\n    条件：{said}" if said else ""))
            rest = len(offers) - MAX_PROFILE_OFFERS
            if rest > 0:
                lines.append(f"  - 另有 {rest} 项支持未列出（条件未知或不满足的排在后面）。")
            sections.append(f"- **{level}**：\n" + "\n".join(lines))
        if not sections:
            return None
        said = "、".join(profile.traits) or "未写明类型"
        figures = "、".join(f"{f.kind}{'增长' if f.growth else ''}{f.text}" for f in profile.figures)
        text = (f"按您描述的情况（{profile.place}；{said}" + (f"；{figures}" if figures else "") +
                "），各级文件中可能适用的支持如下；条件按您所说标为已满足、不满足或未知（您没有提到的情况）：\n\n"
                + "\n".join(sections))
        return Answer(question=question, intent="support", answer=text, citations=citer.citations)

    def _profile_question(self, question: str, profile: Profile, allowed: set[str] | None,
                          signals: Sequence[str] | None) -> Answer | None:
        """A profile followed by a specific question ("…的软件企业，租用了智能算力，申领有什么条件？"):
        the question answered as any other, from the documents of the company's place and of each
        level above it only — the profile says where the company is, the question what it wants to
        know; the clause introducing the company (我们是…一家…企业) is left out of the words searched.
        None when those documents do not answer it: the offers per level are listed instead."""
        ids: set[str] = set()
        for _, level_ids in self._profile_levels(profile, allowed):
            ids |= level_ids
        if not ids:
            return None
        return self._answer(question, profile_asked(question, profile), ids, signals)

    def _profile_levels(self, profile: Profile, allowed: set[str] | None) -> list[tuple[str, set[str]]]:
        """(level name, its policies) from the place up: county, city, province, then the national
        documents, which apply everywhere; each policy under its most local level only."""
        out, seen = [], set()
        national = {p["id"] for p in self._get_linker().lexicon.policies
                    if p.get("id") and (p.get("city") == "全国" or p.get("level") == "national")}
        for level in [*profile.levels, "全国"]:
            ids = (national if level == "全国" else self._place_policies(level)) - seen
            if allowed is not None:
                ids &= allowed
            seen |= ids
            if ids:
                out.append((self._level_label(ids, level), ids))
        return out

    def _level_label(self, ids: set[str], searched: str) -> str:
        """How a profile answer names a level: its documents' place and level word (安徽（省级）) when
        they share one — a city's search also finds its province's documents — else the place searched."""
        meta = {p.get("id"): p for p in self._get_linker().lexicon.policies}
        kinds = {(meta.get(i, {}).get("city"), meta.get(i, {}).get("level_word")) for i in ids}
        if len(kinds) == 1 and all(next(iter(kinds))):
            city, word = next(iter(kinds))
            return f"{city}（{word}）"
        return searched

    def _profile_offers(self, question: str, profile: Profile, ids: set[str]) -> list[tuple]:
        """The graph's offers in these policies for a company, each as its whole sentence(s) with the
        conditions marked, best for the profile first: (rank, view, span, marks)."""
        from rag.compose import offer_clause
        from rag.profile import company_offer, verdict

        try:
            rows = self.store.run("support_search", policy_ids=sorted(ids))
        except Exception as exc:  # the text path answers instead
            log.warning("support lookup for a profile failed: %s", exc)
            return []
        query = question + "".join(profile.traits)
        out, spans = [], set()
        for r in rows:
            if not company_offer(r.get("beneficiaries") or [], genre=self.genre):
                continue
            start, end = int(r.get("quote_start") or r.get("start") or 0), int(r.get("quote_end") or r.get("end") or 0)
            view = self._locate(r["policy_id"], start, end)
            span = offer_clause(view, start, end) if view is not None else None
            if span is None or (r["policy_id"], span[0]) in spans:
                continue
            spans.add((r["policy_id"], span[0]))
            marks = conditions(span[2], profile, genre=self.genre, context=view.label)
            out.append(((verdict(marks), -overlap(query, span[2]), span[0]), view, span, marks))
        out.sort(key=lambda t: t[0])
        return out

    def _profile_sentences(self, question: str, profile: Profile, ids: set[str]) -> list[tuple]:
        """Without the graph: the support sentences of the best clauses of these policies."""
        from rag.compose import best_sentences, settings_data

        markers = "|".join(map(re.escape, settings_data(self.genre)["support_markers"]))
        out = []
        for view in self._best_views(question + " " + " ".join(profile.traits), ids, 4):
            picked = best_sentences(view, question, 1, must=markers)
            if picked and re.search(markers, picked[0][2]):
                out.append((0, view, picked[0], conditions(picked[0][2], profile, genre=self.genre, context=view.label)))
        return out

    def _mentions(self, question: str, term: str, allowed: set[str] | None) -> Answer:
        """"哪些文件提到了X": every document whose clauses use the term, by document, with counts; only
        the documents of a place the question names besides the term (广州有哪些政策提到人才)."""
        from rag.chunkstore import containing
        from rag.compose import Citer, Composed, sentences, with_levels
        from rag.tokenize import tokenize

        t0 = time.perf_counter()
        linker = self._get_linker()
        policies = linker.lexicon.policies
        places = [c for c in linker.link(question).cities if _stem(c) not in term]
        for place in places:
            ids = self._place_policies(place)
            allowed = ids if allowed is None else allowed & ids
        within = f"在{'、'.join(places)}的文件中，" if places else ""
        for candidate in [term, *filter(None, [attributive_head(term)])]:  # 改革的容错纠错: else 容错纠错
            forms = [*term_forms(candidate, policies), *mention_examples(question, genre=self.genre)]
            forms = sorted(dict.fromkeys(forms), key=len, reverse=True)  # a longer form is counted first
            split = head_split(candidate, tokenize(candidate, genre=self.genre))
            loose = coordinated(*split) if split else None  # 老旧小区改造 written 老旧小区和危房改造
            searched = list(forms) + ([split[0]] if split else [])
            # only the rows whose saved text holds a form are read (a table is not parsed whole and kept)
            chunks = [c for c in containing(getattr(self.indexes, "chunks", []) or [], searched or [candidate])
                      if allowed is None or c.policy_id in allowed]
            docs = find_mentions(candidate, chunks, forms, loose)
            if docs:
                break
        term = candidate if docs else term
        timings = {"mentions": round((time.perf_counter() - t0) * 1000, 2)}
        if not docs:
            return Answer(question=question, intent="mention", abstained=True, timings_ms=timings,
                          answer=f"**{within}语料中没有文件提到“{term}”。**")
        citer, lines = Citer(), []
        for d in docs[:MAX_MENTION_DOCUMENTS]:
            refs = []
            for chunk in d.chunks[:MAX_MENTION_CLAUSES]:
                view = view_from_chunk(chunk)
                sentence = next((s for s in sentences(view) if any(f in s[2] for f in d.forms)), None)
                if sentence:
                    refs.append(f"[{citer.cite(view, *sentence)}]")
            ref = f" {''.join(dict.fromkeys(refs))}" if refs else ""
            where = f"（{d.doc_no}）" if d.doc_no else ""
            lines.append(f"- 《{d.title}》{where}：{written_as(term, d.forms)}{d.count} 处，见于 {len(d.chunks)} 个条款{ref}")
        named = docs[MAX_MENTION_DOCUMENTS:MAX_MENTION_NAMED]  # the question asks which documents: named, unquoted
        if named:
            lines.append("- 其余：" + "；".join(f"《{d.title}》{d.count} 处" for d in named) + "。")
        rest = docs[MAX_MENTION_NAMED:]
        if rest:
            lines.append(f"- 另有 {len(rest)} 份文件提到（共 {sum(d.count for d in rest)} 处）。")
        total = sum(d.count for d in docs)
        text = (f"{within}共有 {len(docs)} 份文件提到“{term}”，合计 {total} 处（按提及次数排列）：\n\n"
                + "\n".join(lines))
        text = with_levels(Composed(answer=text, citations=citer.citations), policies).answer
        return Answer(question=question, intent="mention", answer=text, citations=citer.citations, timings_ms=timings)

    def _answer(self, question: str, asked: str, allowed: set[str] | None,
                signals: Sequence[str] | None, warnings: list[str] | None = None,
                hint: str | None = None) -> Answer:
        """Answer `asked` (the question as resolved) and report it as `question`. `hint`: the intent
        of the previous turn a follow-up asks again of another item, a vote for the same intent."""
        timings: dict[str, float] = {}
        warnings = list(warnings or [])
        started = time.perf_counter()
        if len(asked) > MAX_QUESTION_CHARS:
            warnings.append(f"问题过长，只使用了前 {MAX_QUESTION_CHARS} 个字符。")
        use = set(signals) if signals is not None else {"bm25", "dense", "graph"}
        with _timed(timings, "linking"):
            linker = self._get_linker()
            linked = linker.link(asked)
            self._name_place_document(linker, linked, allowed)
            named = self._name_abbreviated_document(linked, allowed)
        if asks_interpretation(linked.text, genre=self.genre):  # a document fact, not a measure's department
            answer = self._interpretation(question, self._linked_policies(linked, allowed))
            if answer is not None:
                return answer
        if asks_body_nature(linked.text, genre=self.genre):  # what kind of body: a sentence of the text, no duty list
            answer = self._body_nature(question, linked, allowed)
            if answer is not None:
                return answer
        with _timed(timings, "query_embedding"):  # computed once: routing and dense search share it
            prior = self._intent_prior(linked.text) if "dense" in use else None
        if hint and hint != "general":
            prior = {**(prior or {}), hint: (prior or {}).get(hint, 0.0) + FOLLOW_UP_HINT}
        with _timed(timings, "linking"):
            intent = self._route(linked, prior)
            focus, nouns = self._read_words(linked, intent.name)
        if intent.name == "departments" and "graph" in use:
            whole = self._whole_document(question, linked, focus, allowed)
            if whole is not None:
                return whole
        if intent.name in ("departments", "comparison") and (sides := responsibility_sides(linked.text, self.genre)):
            # who is responsible on each side (…分别是哪个部门): each side's own answer, whichever way routed
            return self._each_side(question, sides, allowed, signals)
        if named is not None:
            # asked of the document it names by a shortened title: searched in it alone (a question of
            # the whole document, 上海开源方案是哪个部门统筹推进, is still answered by its clauses)
            allowed = {named}
        if "graph" in use:
            graph, graph_ok = self._graph_facts(intent, linked, focus, timings)
        else:
            graph, graph_ok = None, False
        if graph is not None and allowed is not None:
            _restrict_graph(graph, allowed, self._policy_of)
        capped = cap_graph(graph, self.settings.answer_max_items)  # bounded work, whatever the corpus
        fused, rankings = self._retrieve(linked, graph, timings, policy_ids=allowed, signals=use, intent=intent)
        dense_scores = _dense_by_measure(rankings.get("dense", []), fused)  # per question: the app asks concurrently
        with _timed(timings, "compose"):
            composed, views = self._compose(asked, linked, intent, focus, nouns, graph, graph_ok, fused,
                                            dense_scores)
            composed = self._stated_threshold(composed, asked, fused, views)
            composed = self._within_place(composed, linked, intent, dense_scores,
                                          lambda own: self._own_clauses(asked, linked, intent, graph_ok, fused,
                                                                        dense_scores, own), nouns)
            composed = self._named_benefit(composed, linked.text, focus, intent)
            composed = self._asked_existence(composed, linked.text, focus, intent)
            composed = self._stated_amount(composed, linked.text, intent, focus)
        over_budget = time.perf_counter() - started > self.settings.question_time_budget
        if over_budget:
            warnings.append(f"本问题用时超过 {self.settings.question_time_budget:g} 秒的预算，"
                            "已跳过证据子图查询与大模型改写。")
        mark_text_sources(composed.citations, self._text_sources(linker.lexicon))
        answer = Answer(question=question, intent=intent.name, answer=composed.answer,
                        departments=composed.departments, citations=composed.citations,
                        abstained=composed.abstained, timings_ms=timings, facts=self._facts(graph, composed),
                        subgraph=self._subgraph(composed, graph, views, graph_ok and not over_budget),
                        hits=fused[: self.settings.top_k], table=composed.table, graph_available=graph_ok,
                        warnings=warnings + ([] if graph_ok or "graph" not in use else [NO_GRAPH_WARNING]))
        answer = cap_answer(answer, self.settings, capped)
        if self.settings.llm_base_url and not answer.abstained and not over_budget:
            answer = self._with_llm(answer, timings)
        timings["total"] = round(sum(v for k, v in timings.items() if k != "total"), 2)
        return answer

    def _name_place_document(self, linker: Linker, linked: Linked, allowed: set[str] | None) -> None:
        """A question asking a fact of a document it names by its place, a kind of document and a word of
        its title ("南宁科技十三五规划那份通知落款是哪天", "柳河县旅游的那个意见是谁负责解释的") links that
        document, as a title written out would: its own facts answer, not those of whichever document
        retrieval ranks first. Only for a question asking a document fact that names a kind of document."""
        if linked.of("policy") or not linked.cities:
            return
        kinds = cues_of(self.genre).get("document_word")
        if kinds is None or not kinds.search(linked.text):
            return
        if not (asks_interpretation(linked.text, genre=self.genre) or asked_facts(linked.text, genre=self.genre)):
            return
        found = linker.place_document(linked)
        if found is not None and (allowed is None or found["id"] in allowed):
            linked.links.append(Link("policy", found["id"], str(found.get("title") or ""), score=0.5,
                                     city=found.get("city")))

    def _name_abbreviated_document(self, linked: Linked, allowed: set[str] | None) -> str | None:
        """A question naming one document the way people shorten a title, after its issuer or place
        ("国务院电商意见里…", "广州公租房管理办法规定…", "国家的人工智能规划"), is asked of that document
        alone: the clause asked of is searched in it, not in a neighbour that shares more of the
        question's other words (the 双创 opinion's 创业投资 clause for 国务院电商意见里…创投基金).
        The name is the run of words (at most NAME_SPAN) before a kind of document (`document_word`)
        that opens with a place or a central body; it names a document only when it abbreviates exactly
        one title of that place or level (rag/abbrev.py), and only one such name is in the question.
        Returns the document's id, None when the question names none so."""
        if linked.of("policy") or linked.of("doc_no"):
            return None
        kinds = cues_of(self.genre).get("document_word")
        if kinds is None:
            return None
        named: set[str] = set()
        for m in kinds.finditer(linked.text):
            phrase = re.split(r"[，。？?！!；;：:、\s“”《》]", linked.text[max(0, m.start() - NAME_SPAN): m.end()])[-1]
            place, level_ids, rest = self._name_scope(phrase)
            if not place or not level_ids or len(name_core(rest)) < 2 + len(m.group(0)):
                continue
            named |= self._abbreviated(rest, level_ids)
        if len(named) != 1 or (allowed is not None and not named <= allowed):
            return None
        return next(iter(named))

    # -- conversations and scope -------------------------------------------------------------
    def _policy_of(self, measure_id: str) -> str | None:
        chunks = self._chunks_of(measure_id)
        return chunks[0].policy_id if chunks else None

    def _scope_ids(self, scope: object) -> set[str] | None:
        """Policy ids a scope allows (None: no scope). An unknown document or place allows none."""
        sc = Scope.coerce(scope)
        if sc is None or sc.empty:
            return None
        policies = list(self._get_linker().lexicon.policies)
        known = {p.get("id") for p in policies}
        extra = [{"id": pid, "title": c.title, "doc_no": c.doc_no, "city": c.city}
                 for pid, c in self._first_chunks(known).items()]
        return scope_policies(sc, policies + extra)

    def _first_chunks(self, known: set) -> dict:
        """The first chunk of each policy not in `known` (found from the policy column: only those rows are read)."""
        from rag.chunkstore import column

        chunks = getattr(self.indexes, "chunks", []) or []
        first: dict = {}
        for i, pid in enumerate(column(chunks, "policy_id")):
            if pid not in known:
                first.setdefault(pid, i)
        return {pid: chunks[i] for pid, i in first.items()}

    def _follow_up(self, question: str, turns: list[Turn], allowed: set[str] | None,
                   signals: Sequence[str] | None) -> Answer | None:
        """The answer to a follow-up, or None when the question stands on its own."""
        linker = self._get_linker()
        linked = linker.link(question)
        about_document = self._previous_document_fact(question, linked, turns, allowed)
        if about_document is not None:
            return about_document
        turns = [*turns[:-1], self._standalone(turns)]
        prev_linked = linker.link(turns[-1].question)
        places, prev_places = swapped(linked, prev_linked, cues_of(self.genre).get("document_word"), self.genre)
        bare = not any(lk.kind in NAMING_KINDS for lk in linked.links)
        follow = resolve(question, turns, places, prev_places, genre=self.genre, bare=bare)
        if not follow.kind:
            return None
        if follow.kind == "repeat":
            ids = allowed
            if follow.within_previous:
                cites = self._previous_citations(turns)
                cited = {c.get("policy_id") for c in cites if c.get("policy_id")}
                ids = cited & allowed if allowed is not None else (cited or None)
                if follow.topic and cites:
                    focus = self._words_of(prev_linked)
                    follow.question = self._sibling_with_context(
                        follow.topic, turns[-1].question, focus, prev_places,
                        self._answering_citation(focus, cites), follow.asking)
            # a sibling item: the same kind of fact; a question naming a document fact or a time (那有效期呢,
            # 那它的申报时间呢) asks that kind instead
            hint = "metadata" if asks_field(question, genre=self.genre) else (
                None if places else route(prev_linked, genre=self.genre).name)
            return self._answer(question, follow.question, ids, signals, hint=hint)
        cites = self._previous_citations(turns)
        if not cites:
            return None
        words = self._words_of(prev_linked)
        cite = self._answering_citation(words, cites)
        if follow.kind == "document":
            return self._document_of(question, cite)
        return self._departments_of(question, cite, turns, signals, words)

    def _words_of(self, linked: Linked) -> list[str]:
        """The content words of a question as routed without example votes (a previous turn's)."""
        return self._read_words(linked, self._route(linked, None).name)[0]

    def _answering_citation(self, focus: list[str], cites: list[dict]) -> dict:
        """The clause "它" / "这事" points at: of the previous answer's citations, the one whose clause (its
        heading and every quote of it) says most of the previous question's words (`focus`). An answer
        may cite a related clause before the one that answers (a platform clause before 每年…素质提升培训);
        the first one wins a tie."""
        if len(cites) == 1 or not focus:
            return cites[0]

        def clause(c: dict) -> str:
            return c.get("measure_id") or c.get("quote") or ""

        said: dict[str, str] = {}  # a clause cited twice (its deadline, then its sentence) says both quotes
        for c in cites:
            said[clause(c)] = said.get(clause(c), c.get("measure") or "") + (c.get("quote") or "")
        scores = [coverage(focus, said[clause(c)], self._term_weight, genre=self.genre) for c in cites]
        return cites[scores.index(max(scores))]

    def _standalone(self, turns: list[Turn], depth: int = 3) -> Turn:
        """The last turn as it was meant: a follow-up itself ("企业职工团购呢？" after "安康高新区买新房契税能
        补多少？") resolved against the turns before it, so that the next follow-up ("至少要买几套？")
        carries its place and topic; a turn that stands alone is kept as asked."""
        last = turns[-1]
        if len(turns) < 2 or depth <= 0:
            return last
        earlier = [*turns[:-2], self._standalone(turns[:-1], depth - 1)]
        linker = self._get_linker()
        linked, prev_linked = linker.link(last.question), linker.link(earlier[-1].question)
        places, prev_places = swapped(linked, prev_linked, cues_of(self.genre).get("document_word"), self.genre)
        follow = resolve(last.question, earlier, places, prev_places, genre=self.genre)
        if follow.kind != "repeat" or not follow.question:
            return last
        asked = follow.question
        if follow.topic:
            asked = sibling_question(follow.topic, earlier[-1].question, prev_places, cues_of(self.genre))
        return Turn(asked, last.citations)

    def _sibling_with_context(self, topic: str, previous: str, focus: list[str],
                              prev_places: list[tuple[int, int]], cite: dict, asking: str = "") -> str:
        """"那只有一个人交呢" after "合肥夫妻俩都交公积金，最多能贷多少？": the sibling item keeps the words of
        the previous question (`focus`) that the clause just quoted also says (公积金: what both items are
        about), not those naming the previous item (夫妻俩), which the clause need not say."""
        quote = str(cite.get("quote") or "")
        return sibling_question(topic, previous, prev_places, cues_of(self.genre), kept_context(topic, focus, quote),
                                asking)

    def _previous_document_fact(self, question: str, linked: Linked, turns: list[Turn],
                                allowed: set[str] | None) -> Answer | None:
        """"这个办法由谁负责解释" / "这个文件由哪些部门负责" after an answer: a fact of the document the
        previous answer cited, not of the clause it quoted (whose 责任单位 is no document's interpreter)."""
        interpretation = asks_interpretation(linked.text, genre=self.genre)
        pronoun = refers_to_document(linked.text, genre=self.genre)
        # the question names its document: answered on its own — unless it points at the previous one
        # (这个计划的文号) and its words only brush a title (计划 and 划的 of 《…行动计划的通知》)
        if self._linked_policies(linked, allowed) and not (pronoun and only_brushes_titles(linked)):
            return None
        whole = pronoun and route(linked, genre=self.genre).name == "departments"
        facts = set(asked_facts(linked.text, genre=self.genre))
        # 这个文件是哪天印发的; 它从哪天开始执行 (a bare pronoun and a fact only a document has: its dates,
        # 文号, issuer — whether "it" is still valid may be the clause's own window, asked of the clause)
        leans = cues_of(self.genre).get("pronoun")
        fact = bool(facts) and (pronoun or bool(leans is not None and leans.search(linked.text) and facts - {"validity"}))
        if not (interpretation or whole or fact):
            return None
        ids = list(dict.fromkeys(c.get("policy_id") for c in self._previous_citations(turns) if c.get("policy_id")))
        if allowed is not None:
            ids = [i for i in ids if i in allowed]
        if not ids:
            return None
        if interpretation:
            return self._interpretation(question, ids[:1])
        if fact:
            # answered within that document, named by its title: a bare pronoun (它是哪天印发的) gives
            # retrieval no word to find it by
            title = next((str(p.get("title") or "") for p in self._get_linker().lexicon.policies
                          if p.get("id") == ids[0]), "")
            return self._answer(question, f"{question}（{title}）" if title and not pronoun else question,
                                {ids[0]}, None)
        return self._document_departments(question, ids[0]) if self.store is not None else None

    def _linked_policies(self, linked: Linked, allowed: set[str] | None) -> list[str]:
        """The policies a question names (title or 文号), best link first; a scope of one policy names it."""
        ranked = sorted((lk for lk in linked.links if lk.kind in ("policy", "doc_no")),
                        key=lambda lk: -float(getattr(lk, "score", 0.0) or 0.0))
        ids = list(dict.fromkeys(lk.value for lk in ranked))
        if allowed is not None:
            ids = [i for i in ids if i in allowed] or (sorted(allowed) if len(allowed) == 1 else [])
        return ids

    def _interpretation(self, question: str, policy_ids: Sequence[str]) -> Answer | None:
        """Who interprets the document: its closing clause naming the body (本办法由X负责解释), quoted.
        None when none of these documents writes one (the question is then answered as any other)."""
        from rag.compose import inert

        for pid in list(policy_ids)[:3]:
            views = [view_from_chunk(c) for c in sorted(self._policy_chunks(pid), key=lambda c: c.start)]
            found = interpretation_clauses(views, genre=self.genre)
            if not found:
                continue
            citer, lines, names = Citer(), [], []
            for item in found:
                n = citer.cite(item.view, *item.span)
                lines.append(f"《{item.view.policy}》由**{item.body}**负责解释。 [{n}]\n\n> {inert(item.span[2])} [{n}]")
                names += [x for x in item.names if x not in names]
            return Answer(question=question, intent="metadata", answer="\n\n".join(lines), departments=names,
                          citations=citer.citations,
                          facts=[{"fact": "interpretation", "policy_id": pid, "name": x} for x in names])
        if not policy_ids:
            return None
        # the document is known and writes no such clause: say so, rather than name a measure's department
        meta = {p.get("id"): p for p in self._get_linker().lexicon.policies}
        titles = "、".join(f"《{meta.get(pid, {}).get('title') or pid}》" for pid in list(policy_ids)[:3])
        return Answer(question=question, intent="metadata", abstained=True,
                      answer=f"**{titles}的正文没有写明由谁负责解释**，语料无法确定其解释机关。")

    def _body_nature(self, question: str, linked: Linked, allowed: set[str] | None) -> Answer | None:
        """"X是什么性质的机构": the sentence of the best lexical hits that says what X is (作为市人民政府的
        派出机构), quoted; None when none says it (the question is then answered as any other)."""
        from rag.compose import inert

        names = [n for lk in linked.of("department") for n in (lk.value, lk.mention) if n]
        if not names:
            return None
        mask = self.indexes.mask(policy_ids=allowed) if allowed is not None else None
        for hit in self.indexes.search_bm25(linked.text, k=BODY_NATURE_HITS, mask=mask):
            view = view_from_chunk(self.indexes.chunk(hit.chunk_id))
            found = body_nature(view, names, genre=self.genre)
            if found is None:
                continue
            span, nature = found
            citer = Citer()
            n = citer.cite(view, *span)
            name = linked.of("department")[0].value
            return Answer(question=question, intent="general", citations=citer.citations,
                          answer=f"**{name}**是{nature}。 [{n}]\n\n> {inert(span[2])} [{n}]")
        return None

    def _whole_document(self, question: str, linked: Linked, focus: list[str],
                        allowed: set[str] | None) -> Answer | None:
        """"X政策由哪些部门负责": a departments question that names a document and nothing in it asks
        for the departments of the whole document, by measure, not for one measure's."""
        ids = self._linked_policies(linked, allowed)
        if not ids and self.store is not None:
            # named only by place and a shortened title (柳河县支持重点产业发展的意见由哪些部门负责落实): every
            # content word of the question touches that one document's title, so it asks of the document —
            # all its departments, or that none of its measures names one — not of the measure matched best
            only = self._only_document_of_place(linked, focus, allowed)
            meta = next((p for p in self._get_linker().lexicon.policies if only and p.get("id") == only[0]), {})
            if not meta or any(lk.kind in ("measure", "support_kind") for lk in linked.links):
                return None
            if asked_action(linked.text, genre=self.genre):  # 总体上是哪个部门统筹推进: its coordinator, not a list
                return self._none_named(question, meta) if self._duty_rows(meta["id"]) == [] else None
            return self._document_departments(question, meta["id"], meta)
        if not ids or self.store is None:
            return None
        meta = next((p for p in self._get_linker().lexicon.policies if p.get("id") == ids[0]), {})
        title = str(meta.get("title") or "")
        money = (self.genre.data("linking").get("money_words") or {}).get("words") or []
        named = [lk.mention for lk in [*linked.of("measure"), *linked.of("support_kind")]]
        if any(w not in title for w in [*named, *(m for m in money if m in linked.text)]):
            return None  # a clause of it is named, a kind of support (补贴) or money (钱, 资金) the title does not name
        if not asks_whole_document(focus, title, genre=self.genre):
            return None
        return self._document_departments(question, ids[0], meta)

    def _only_document_of_place(self, linked: Linked, focus: list[str], allowed: set[str] | None) -> list[str]:
        """A document named by its place and a shortened title (重庆软件开源政策): of the place's documents,
        the one whose title every content word of the question touches, when exactly one does."""
        cities = set(linked.cities)
        if not cities:
            return []
        ids = [p["id"] for p in self._get_linker().lexicon.policies
               if p.get("city") in cities and (allowed is None or p.get("id") in allowed)
               and asks_whole_document(focus, str(p.get("title") or ""), genre=self.genre)]
        return ids if len(ids) == 1 else []

    def _duty_rows(self, policy_id: str) -> list[dict] | None:
        """The document's RESPONSIBLE facts; None when the graph cannot tell (answered as any other question)."""
        try:
            return self.store.run("duties_in_policies", policy_ids=[policy_id])
        except Exception as exc:
            log.warning("document departments unavailable: %s", exc)
            return None

    @staticmethod
    def _none_named(question: str, meta: dict) -> Answer:
        """A whole document none of whose measures names a body: said of the document, with the body
        that issued it, not of whichever measure the question's words happen to match best."""
        title = meta.get("title") or meta.get("id")
        issuers = "、".join(x for x in meta.get("issuers") or [] if x)
        text = f"**《{title}》的各项措施都没有写明责任单位**，语料无法确定由哪些部门分别负责。"
        if issuers:
            text += f"该文件由{issuers}印发。"
        return Answer(question=question, intent="departments", abstained=True, answer=text,
                      departments=[])

    def _document_departments(self, question: str, policy_id: str, meta: dict | None = None) -> Answer | None:
        """The departments of every measure of a document, those leading most first, each with the
        measures it carries and the clause naming it for its first one; the first MAX_DEPARTMENTS.
        A document naming none is said so when its metadata is given, else left to the other paths."""
        from rag.compose import department_quote, sentences

        rows = self._duty_rows(policy_id)
        if rows is None:
            return None
        duties = document_duties(rows)
        if not duties:
            return self._none_named(question, meta) if meta else None
        mentions: dict[tuple[str, str], list[dict]] = {}
        for r in rows:
            mentions.setdefault((r.get("department"), r.get("measure_id")), []).append(
                {"name": r.get("department"), "mention": r.get("mention"), "role": r.get("role")})
        shown = duties[:MAX_DEPARTMENTS]
        # the clause cited for a department is the first of its measures whose own text names it (a task
        # it takes from a closing paragraph names it only there), else its first measure
        views = self._views(list(dict.fromkeys(m for d in shown for m in d.measures[:MAX_TITLES])), None)
        citer, lines, title = Citer(), [], ""
        for d in shown:
            view = views.get(d.measures[0])
            ref = ""
            if view is not None:
                title = title or view.policy
                quoted = ((views[m], named[0]) for m in d.measures[:MAX_TITLES] if m in views
                          and (named := department_quote(views[m], mentions.get((d.name, m), []), genre=self.genre)))
                where, span = next(quoted, (view, next(iter(sentences(view)), None)))
                ref = f" [{citer.cite(where, *span)}]" if span else ""
            led = f"，其中牵头 {d.leads} 项" if d.leads else ""
            more = " 等" if d.count > MAX_TITLES else ""
            lines.append(f"- **{d.label}**（{d.count} 项措施{led}）：{'、'.join(d.titles[:MAX_TITLES])}{more}{ref}")
        rest = len(duties) - len(shown)
        if rest > 0:
            lines.append(f"- 另有 {rest} 个部门（单位）负责其他措施，未列出。")
        text = (f"《{title or policy_id}》各项措施的责任单位（共 {len(duties)} 个部门，牵头多的在前）：\n\n"
                + "\n".join(lines))
        # the departments stated are those shown, each with the clause cited for it; the rest are only counted
        names = {d.name for d in shown}
        facts = [{"fact": "responsible", "measure_id": r.get("measure_id"), "name": r.get("department"),
                  "mention": r.get("mention"), "role": r.get("role")} for r in rows if r.get("department") in names]
        return Answer(question=question, intent="departments", answer=text,
                      departments=[d.name for d in shown], citations=citer.citations, facts=facts)

    def _each_side(self, question: str, sides: list[str], allowed: set[str] | None,
                   signals: Sequence[str] | None) -> Answer:
        """"A和B分别由哪个部门负责": who is responsible for each, asked of each alone and set one under the
        other, the citations numbered through."""
        parts = [self._answer(side, side, allowed, signals) for side in sides]
        citations, blocks, names, facts = [], [], [], []
        for side, part in zip(sides, parts, strict=True):
            text = renumbered(part.answer, len(citations))
            blocks.append(f"**{side}**\n\n{text}")
            citations += part.citations
            names += [n for n in part.departments if n not in names]
            facts += part.facts
        return Answer(question=question, intent="departments", answer="分别来看：\n\n" + "\n\n---\n\n".join(blocks),
                      departments=names, citations=citations, facts=facts,
                      abstained=all(p.abstained for p in parts),
                      timings_ms={k: round(sum(p.timings_ms.get(k, 0.0) for p in parts), 2)
                                  for k in parts[0].timings_ms})

    def _previous_citations(self, turns: list[Turn]) -> list[dict]:
        """The previous answer's citations: as the caller kept them, else by answering it again."""
        prev = turns[-1]
        if prev.citations:
            return prev.citations
        again = self.ask(prev.question, history=turns[:-1][-3:])
        return [asdict(c) for c in again.citations]

    def _document_of(self, question: str, cite: dict) -> Answer:
        """"这项措施属于哪个文件": the document of the clause the previous answer cited first."""
        from rag.model import Citation

        title, doc_no = cite.get("title") or "", cite.get("doc_no")
        where = "".join(x for x in (cite.get("section"), cite.get("measure")) if x)
        text = (f"这一条出自《{title}》" + (f"（{doc_no}）" if doc_no else "")
                + (f"，位于“{where}”" if where else "") + "。 [1]")
        names = {f.name for f in fields(Citation)}
        citation = Citation(**{k: v for k, v in cite.items() if k in names})
        return Answer(question=question, intent="metadata", answer=text, citations=[citation])

    def _departments_of(self, question: str, cite: dict, turns: list[Turn],
                        signals: Sequence[str] | None, words: Sequence[str] = ()) -> Answer:
        """"它的责任单位呢": the departments of the clause the previous answer cited first. `words`: the
        previous question's content words (_words_of), which choose the cited task's sentence."""
        from rag.compose import Citer, bracket_after, department_quote, inert

        mid = cite.get("measure_id") or ""
        rows: list[dict] = []
        if self.store is not None and mid:
            try:
                gs = GraphSearch(self.store, self._get_linker().lexicon, self.genre)
                rows = gs.departments_of([mid]).get(mid, [])
            except Exception as exc:
                log.warning("department lookup failed: %s", exc)
        # the departments are stated with the clause's own words that name them (its 责任单位 block or
        # the sentence naming them), not with the previous answer's quote, which need not carry them
        view = self._views([mid], None).get(mid) if rows else None
        # the bracket closing the sentence the previous answer quoted (of its sentences, the one saying
        # most of the previous question's words) names that task's own bodies
        quoted = (bracket_after(view, int(cite.get("start") or 0), int(cite.get("end") or 0), rows, words)
                  if view is not None else None)
        named = quoted or (department_quote(view, rows, genre=self.genre) if view is not None else None)
        if named is None:
            acting = self._acting_body(question, mid)
            if acting is not None:
                return acting
        if named is None:
            # the graph has none the clause names: the previous question asked with the follow-up's own
            # words of responsibility (这事是哪个部门牵头统筹: the document's 加强统筹 clause answers), else
            # with the plain department cue
            prev = turns[-1].question.rstrip("？?。")
            cues = cues_of(self.genre)
            own = cues["pronoun"].sub("", question).strip("，,。？? ") if "pronoun" in cues else ""
            if own and own != question.strip("，,。？? "):
                answer = self._answer(question, f"{prev}，{own}？", None, signals)
                if not answer.abstained:
                    return answer
            return self._answer(question, f"{prev}，由哪些部门负责？", None, signals)
        span, rows = named
        citer = Citer()
        n = citer.cite(view, *span)
        names = list(dict.fromkeys(r["name"] for r in rows if r.get("name")))
        facts = [{"fact": "responsible", "measure_id": mid, "name": r["name"], "mention": r.get("mention"),
                  "role": r.get("role")} for r in rows if r.get("name")]
        text = f"责任单位：{'、'.join(names)}。 [{n}]\n\n> {inert(span[2])} [{n}]"
        return Answer(question=question, intent="departments", answer=text, departments=names,
                      citations=citer.citations, facts=facts)

    def _acting_body(self, question: str, measure_id: str) -> Answer | None:
        """"去哪个部门申领？" after a clause with no 责任单位: its sentence that names the body one turns to
        for the act the question asks (企业…向市经济和信息化局申领算力券), quoted; None when no sentence
        of the clause names a body with the question's verb."""
        from rag.compose import Citer, inert, sentences

        view = self._views([measure_id], None).get(measure_id) if measure_id else None
        if view is None:
            return None
        grammar = self.genre.data("department_grammar")
        suffixes = [*(grammar.get("organ_suffixes") or []), "管委会"]
        organs = "|".join(map(re.escape, suffixes))
        cues = cues_of(self.genre)
        asked = question
        for name in ("departments", "pronoun"):
            asked = cues[name].sub("", asked) if name in cues else asked
        words = {asked[i:i + 2] for i in range(len(asked) - 1)} - {"哪个", "哪些", "部门", "单位"}
        for s in sentences(view):
            body = re.search(f"(向|由|到|找|经)[^，。；;]{{1,16}}?({organs})", s[2])
            if body and any(w in s[2][body.end():] for w in words if re.fullmatch(r"[\u4e00-\u9fff]{2}", w)):
                citer = Citer()
                n = citer.cite(view, *s)
                return Answer(question=question, intent="departments", citations=citer.citations,
                              answer=f"这一条写明了办理的部门：\n\n> {inert(s[2])} [{n}]")
        return None

    def retrieve(self, question: str) -> dict[str, list[Hit]]:
        """Each signal's ranking and the fused one: {"bm25", "dense", "graph", "fused"} (for eval)."""
        return self._rankings(question)

    def _rankings(self, question: str) -> dict[str, list[Hit]]:
        linked, intent, graph = self._graph_of(question)
        fused, rankings = self._retrieve(linked, graph, {}, all_signals=True, intent=intent)
        rankings["fused"] = fused
        return rankings

    def graph_signal(self, question: str, k: int = RETRIEVAL_DEPTH) -> list[Hit]:
        """The graph's ranking of chunks for a question (for PolicyRetriever); [] without a graph."""
        _, _, graph = self._graph_of(question)
        return self._chunk_hits(graph.hits if graph else [])[:k]

    def _graph_of(self, question: str) -> tuple[Linked, Intent, GraphResult | None]:
        """The question linked, routed and searched in the graph as `ask` does it (the nearest example
        questions' votes, a comparison's document sides set aside, the words `_read_words` reads), so
        that the rankings eval reports and the graph signal search for what the answer searches for."""
        linked = self._get_linker().link(question)
        intent = self._route(linked, self._intent_prior(linked.text))
        graph, _ = self._graph_facts(intent, linked, self._read_words(linked, intent.name)[0], {})
        return linked, intent, graph

    def _route(self, linked: Linked, prior: dict[str, float] | None) -> Intent:
        """The question's intent from the cue rules and the nearest example questions' votes (`prior`),
        with a comparison's document sides set aside (their titles' words are not what is asked): the
        one routing `ask` and the rankings eval reports share, so that they search for the same thing."""
        return route(without_document_sides(linked, self.genre), prior, genre=self.genre)

    def _read_words(self, linked: Linked, intent_name: str) -> tuple[list[str], set[str]]:
        """The question's content words and its nouns (analyse_focus), with the index's word test: two
        characters the tagger split are one word when the documents' segmentation holds it (摇号).
        Asked in general of a place with no document of its own whose province has some (北海, in a
        corpus holding 广西's plan), the place is a word of the question, not only a filter: the clause
        that answers is the one naming it (北海市：建设…)."""
        focus, nouns = analyse_focus(linked, intent_name, genre=self.genre, known=self._indexed_word)
        if intent_name != "general":
            return focus, nouns
        own = self._get_linker().lexicon.corpus_cities
        for lk in linked.of("city"):
            if (lk.value not in own and province_short(lk.value, genre=self.genre) in own and lk.start >= 0
                    and lk.mention and lk.mention not in focus):
                focus.append(lk.mention)
                nouns.add(lk.mention)
        return focus, nouns

    def as_signal(self) -> Callable[[str, int], list[Hit]]:
        return self.graph_signal

    def refresh(self) -> None:
        """Forget the lexicon (after an ingest changed the graph)."""
        self._lexicon = self._linker = None

    # -- validation ----------------------------------------------------------------------------
    def _validate(self, question: str | None) -> Answer | None:
        q = (question or "").strip()
        if not q:
            return Answer(question=question or "", intent="general", answer=EMPTY_MESSAGE, abstained=True,
                          warnings=["问题为空。"])
        if not any(unicodedata.category(ch)[0] in "LN" for ch in q[:MAX_QUESTION_CHARS]):
            return Answer(question=question, intent="general", answer=NO_CONTENT_MESSAGE, abstained=True,
                          warnings=["问题中没有文字内容。"])
        return None

    # -- stages ---------------------------------------------------------------------------------
    def _get_linker(self) -> Linker:
        if self._linker is None or (self.store is not None and not self._lexicon_from_graph):
            saved = self._saved_linker()
            if saved is not None:  # built from the graph at ingest: nothing to rebuild
                self._linker, self._lexicon, self._lexicon_from_graph = saved, saved.lexicon, True
                return saved
            self._lexicon = self._load_lexicon()
            self._linker = Linker(self._lexicon, self.genre)
            if self._lexicon_from_graph:
                self._keep_linker(self._linker)
        return self._linker

    def _text_sources(self, lexicon: Lexicon) -> dict[str, str]:
        """The lexicon's text_sources, computed once per lexicon (not per answer over every policy)."""
        if self._sources is None or self._sources[0] is not lexicon:
            self._sources = (lexicon, text_sources(lexicon.policies))
        return self._sources[1]

    def _keep_linker(self, linker: Linker) -> None:
        """A linker rebuilt from the graph is saved with the generation (see IndexSet.keep_linker)."""
        keep = getattr(self.indexes, "keep_linker", None)
        if keep is None:
            return
        try:
            keep(linker)
        except Exception as exc:  # a read-only data directory: rebuilt again next time
            log.warning("rebuilt linker not saved: %s", exc)

    def _saved_linker(self) -> Linker | None:
        try:
            return self.indexes.saved_linker()
        except Exception as exc:  # an index object without saved artefacts (tests, older folders)
            log.debug("no saved linker: %s", exc)
            return None

    def _load_lexicon(self) -> Lexicon:
        chunks = getattr(self.indexes, "chunks", []) or []
        if self.store is not None:
            try:
                lexicon = load_graph_lexicon(self.store, measures=lexicon_from_chunks(chunks, genre=self.genre).measures, genre=self.genre)
                self._lexicon_from_graph = True
                return lexicon
            except Exception as exc:  # store down: the index knows policies and measure titles too
                log.warning("graph lexicon unavailable: %s", exc)
        self._lexicon_from_graph = False
        return lexicon_from_chunks(chunks, genre=self.genre)

    def _graph_facts(self, intent: Intent, linked: Linked, focus: list[str],
                     timings: dict[str, float]) -> tuple[GraphResult | None, bool]:
        with _timed(timings, "graph"):
            if self.store is None:
                return None, False
            try:
                from rag.compose import relevance_scorer

                text = "".join(focus)
                relevance = relevance_scorer(focus, self._term_weight, genre=self.genre)
                gs = GraphSearch(self.store, self._get_linker().lexicon, self.genre, candidates=self._candidates(linked))
                return gs.search(intent, linked, text, relevance if focus else None), True
            except Exception as exc:
                log.warning("graph search failed, answering without graph facts: %s", exc)
                return None, False

    def _candidates(self, linked: Linked) -> Callable[[list[str]], Candidates | None] | None:
        """In a large corpus, graph expansion starts from the question's best lexical matches (BM25
        top-k in its cities) instead of every support item, target or duty of a city; a small corpus
        is scanned as a whole (the same facts, and it costs nothing)."""
        chunks = getattr(self.indexes, "chunks", None) or []
        if len(chunks) <= FULL_SCAN_CHUNKS:
            return None

        def candidates(cities: list[str]) -> Candidates:
            mask = self.indexes.mask(cities=cities) if cities else None
            hits = self.indexes.search_bm25(linked.text, k=CANDIDATE_CHUNKS, mask=mask)
            hits += self._dense_candidates(linked.text, mask)
            policies = [self.indexes.chunk(h.chunk_id).policy_id for h in hits]
            return Candidates(list(dict.fromkeys(h.measure_id for h in hits)), list(dict.fromkeys(policies)))

        return candidates

    def _dense_candidates(self, text: str, mask) -> list[Hit]:
        """The dense signal's best chunks, as graph candidates too: a clause that says the question in
        other words has its facts expanded like one BM25 found (the query vector is computed once per
        question and cached, so this costs one index search)."""
        if not getattr(self.indexes, "dense_ok", False) or getattr(self.indexes, "dense", None) is None:
            return []
        try:
            return self.indexes.search_dense(text, k=CANDIDATE_DENSE, mask=mask)
        except Exception as exc:  # the dense signal is optional
            log.debug("dense candidates unavailable: %s", exc)
            return []

    def _retrieve(self, linked: Linked, graph: GraphResult | None, timings: dict[str, float],
                  all_signals: bool = False, policy_ids: set[str] | None = None,
                  signals: set[str] | None = None,
                  intent: Intent | None = None) -> tuple[list[Hit], dict[str, list[Hit]]]:
        """BM25 + dense + the graph's hits (already computed), fused by the hybrid retriever, the
        fused top reranked by the kind of fact the question asks for (rag/rerank.py)."""
        from rag.retriever import HybridRetriever as PolicyRetriever

        graph_hits = graph.hits if graph else []
        retriever = PolicyRetriever.from_settings(self.indexes, self.settings, graph_hits=lambda _q: graph_hits,
                                                  fetch_k=RETRIEVAL_DEPTH)
        if signals is not None:
            retriever.weights = {k: (v if k in signals else 0.0) for k, v in retriever.weights.items()}
            if "dense" in signals and not retriever.weights.get("dense"):
                retriever.weights["dense"] = 1.0 if getattr(self.indexes, "dense", None) is not None else 0.0
        cities = self._cities(linked) if policy_ids is None else None
        filtered = filtered_phrases(linked, cities, policy_ids)
        try:
            result = retriever.retrieve(linked.text, k=RETRIEVAL_DEPTH, cities=cities,
                                        policy_ids=sorted(policy_ids) if policy_ids is not None else None,
                                        all_signals=all_signals, filtered=filtered)
        except Exception as exc:  # an index that cannot be searched: compose from the graph alone
            log.warning("retrieval failed: %s", exc)
            return [], {}
        t0 = time.perf_counter()
        hits = self._rerank(linked, intent, result.hits)
        result.timings_ms["fusion"] = result.timings_ms.get("fusion", 0.0) + (time.perf_counter() - t0) * 1000
        for stage in ("bm25", "dense", "fusion"):
            timings[stage] = round(timings.get(stage, 0.0) + result.timings_ms.get(stage, 0.0), 2)
        return hits, result.rankings

    def _rerank(self, linked: Linked, intent: Intent | None, hits: list[Hit]) -> list[Hit]:
        """The fused hits with the clauses stating the asked kind of fact raised (rag/rerank.py); the
        kind as composition reads it (Context.asked): a support question asking whether one can get it
        (能拿到补贴吗) asks for the offer, not for a clause's prohibition."""
        kind = kind_for_intent(linked.text, intent.name if intent is not None else None, genre=self.genre)
        if kind is None:
            return hits
        return rerank_by_asked_kind(hits, self._chunk_text,
                                    lambda sentence: states_kind(kind, sentence, genre=self.genre))

    def _chunk_text(self, chunk_id: str) -> str:
        """A chunk's text; "" for an id the index does not know (a graph hit on a measure with no chunk)."""
        try:
            return self.indexes.chunk(chunk_id).text
        except (KeyError, IndexError, AttributeError):
            return ""

    def _cities(self, linked: Linked) -> list[str] | None:
        """Restrict retrieval to the cities the question names (a district: its city) that the corpus
        has, with their provinces and the country (None: no restriction)."""
        corpus = self._lexicon.corpus_cities if self._lexicon else set()
        cities = [c for c in scope_of(named_cities(linked, corpus), corpus, genre=self.genre) if c in corpus]
        return cities if cities and len(cities) < len(corpus) else None

    def _chunk_hits(self, measure_hits: list[Hit]) -> list[Hit]:
        """Graph hits are measures; fusion ranks chunks: expand each measure to its chunks."""
        out: list[Hit] = []
        for h in measure_hits:
            chunks = self._chunks_of(h.measure_id)
            ids = [c.id for c in chunks] or [h.measure_id]
            for cid in ids:
                out.append(Hit(chunk_id=cid, measure_id=h.measure_id, score=h.score, signal="graph", rank=len(out) + 1))
        return out

    def _chunks_of(self, measure_id: str) -> list:
        try:
            return list(self.indexes.chunks_of_measure(measure_id))
        except Exception:
            return []

    # -- composition ------------------------------------------------------------------------------
    def _compose(self, question: str, linked: Linked, intent: Intent, focus: list[str], nouns: set[str],
                 graph: GraphResult | None, graph_ok: bool, fused: list[Hit],
                 dense_scores: dict[str, float]) -> tuple[Composed, dict[str, View]]:
        wanted = self._wanted_measures(linked, graph, fused)
        views = self._views(wanted, graph)
        if graph is not None and graph_ok:
            try:
                gs = GraphSearch(self.store, self._get_linker().lexicon, self.genre)
                if intent.name == "metadata" and not linked.of("policy") and fused:
                    top = next((views[h.measure_id].policy_id for h in fused if h.measure_id in views), None)
                    if top and len(graph.policies) != 1:
                        gs.policy_facts(graph, [top])
            except Exception as exc:
                log.warning("department lookup failed: %s", exc)
        from rag.tokenize import load_thesaurus

        ctx = Context(question=question, linked=linked, intent=intent, focus=focus, views=views, fused=fused,
                      graph=graph, policies=self._get_linker().lexicon.policies,
                      responsibility_labels=load_thesaurus(genre=self.genre).responsibility_labels, genre=self.genre,
                      graph_available=graph_ok,
                      term_weight=self._term_weight, locate=self._locate, absent=self._absent, nouns=nouns,
                      departments=self._get_linker().lexicon.departments, metadata=self._metadata,
                      preamble=self._preamble, outline=self._outline, pieces=self._pieces,
                      place_covered=self._place_covered,
                      dense_score=lambda mid: dense_scores.get(mid, 0.0),
                      corpus_places=self._get_linker().lexicon.corpus_cities, repealing=self._repealing)
        if intent.name == "comparison":
            ctx.fallback = lambda: self._side_by_side(ctx)
        composed = compose(ctx, genre=self.genre)
        named_kind = bool(linked.of("support_kind")) or ctx.asked is not None  # 补贴, 最多多少: the table's metric
        if intent.name == "comparison" and composed.table and not named_kind and not self._rows_answer(ctx, composed.table):
            other = self._side_by_side(ctx)  # rows of one support fact each that say nothing of what is compared
            if other is not None and not other.abstained:
                composed = other
        return composed, views

    def _rows_answer(self, ctx: Context, rows: list[dict]) -> bool:
        """Each cited row of a comparison table says enough of what is compared (`side_answers` of the
        words `_compared` reads): a table
        of each side's best support fact (鼓励…给予优惠) does not answer 分别鼓励企业做哪些标准. Asked only of
        a table whose metric the question does not name (a kind of support, an amount)."""
        compared = self._compared(ctx)
        if compared is None:
            return True
        asked = compared[3]
        return all(side_answers(ctx, asked, str(row.get("text") or ""), genre=self.genre)
                   for row in rows if row.get("citation"))

    def _stated_threshold(self, composed: Composed, asked: str, fused: list[Hit],
                          views: dict[str, View]) -> Composed:
        """A refused question naming a grade or threshold (5A级, 18层以上) is answered from the best
        retrieved clauses that write it: the tiered clause is the answer even when the question words
        the rest otherwise ("能卖" for 预售) and the specialised path found no fact for it."""
        from rag.compose import sentences, source_label

        if not composed.abstained:
            return composed
        cores = asked_thresholds(asked, genre=self.genre)
        if not cores:
            return composed
        picks: list[tuple[View, tuple[int, int, str]]] = []
        for h in fused[:THRESHOLD_DEPTH]:
            view = views.get(h.measure_id)
            if view is None or any(v.measure_id == view.measure_id for v, _ in picks):
                continue
            said = next((s for s in sentences(view) if states_threshold(s[2], cores)), None)
            if said is not None:
                picks.append((view, said))
            if len(picks) >= 2:
                break
        if not picks:
            return composed
        citer, lines = Citer(), []
        for view, said in picks:
            lines.append(f"- {source_label(view, said[2])}：{said[2]} [{citer.cite(view, *said)}]")
        return Composed(answer="文件中写明这一等级或标准的条款：\n\n" + "\n".join(lines), citations=citer.citations,
                        evidence=[v.measure_id for v, _ in picks])

    def _within_place(self, composed: Composed, linked: Linked, intent: Intent,
                      dense_scores: dict[str, float],
                      own_clauses: Callable[[set[str]], Composed | None] | None = None,
                      nouns: set[str] | frozenset[str] = frozenset()) -> Composed:
        """A support or general question about a place the corpus has documents of, answered only
        from other documents (national ones, another place's; its city's and province's count as its
        own), is answered only when the dense signal
        finds a cited clause close in meaning: the place's own documents not treating the subject
        (a kind of subsidy none of them offers) is the corpus having no answer, not a reason to quote
        some national clause sharing the word 补贴. Calibrated on the dev part: of 101 answered
        support/general questions naming a covered place, the three answered without a clause of the
        place's own documents were all questions the corpus cannot answer (dense ≤ 0.889). A support,
        general or targets question about places no document is about: _of_place_without_documents."""
        from rag.compose import settings_data

        if composed.abstained or not composed.citations or intent.name not in ("support", "general", "targets"):
            return composed
        places = list(dict.fromkeys(lk.mention for lk in linked.links if lk.kind in PLACE_KINDS and lk.mention))
        places = innermost(places)  # 安康市汉滨区: the district is where the asker is, not the whole city
        own: set[str] = set()
        for place in places:
            own |= self._place_policies(place)
        if own:  # the documents of the place's city and province apply there too; national ones must be close
            own |= self._enclosing_policies(places)
        close = settings_data(self.genre)["dense_close"]
        if places and not own and not self._enclosing_policies(places, levels=("city",)):
            # no document of the place nor, for a district, of its city (天河区 stands for 广州)
            return self._of_place_without_documents(composed, places, dense_scores, close)
        # what follows was calibrated on support and general answers only (see above)
        if not own or intent.name == "targets" or any(c.policy_id in own for c in composed.citations):
            return composed
        if any(dense_scores.get(c.measure_id, 0.0) >= close for c in composed.citations):
            return composed
        mine = own_clauses(own) if own_clauses is not None else None
        if mine is not None and not mine.abstained and not dropped_subject(composed, mine, nouns, genre=self.genre):
            return mine  # the place's own clauses answer it in words no specialised path looked for
        return self._refused(f"{'、'.join(places)}的文件中没有关于这一问题的条款；其他文件中检索到的条款与问题不相符。")

    def _of_place_without_documents(self, composed: Composed, places: list[str], dense_scores: dict[str, float],
                                    close: float) -> Composed:
        """A question about places no document is about (武汉的积分入户, 珠海对…企业有什么扶持) whose province
        or the state has documents: it asks the place's own policy, which the corpus does not have. It is
        answered from the other documents only when their quotes name the place (杭州、宁波中心城区 in
        a provincial plan) or the dense signal finds a cited clause close in meaning; else refused,
        naming the place. A question naming the province or the state too has documents of its own
        places and is judged as such (_within_place)."""
        quoted = "".join(c.quote or "" for c in composed.citations)
        if any(_stem(p) in quoted for p in places) or any(
                dense_scores.get(c.measure_id, 0.0) >= close for c in composed.citations):
            return composed
        return self._refused(f"语料中没有{'、'.join(places)}的政策文件；其他文件中检索到的条款与问题不相符。")

    def _refused(self, reason: str) -> Composed:
        """A refusal saying why (`reason`), then what the corpus covers: the answer when the corpus has
        none, whichever check found that out."""
        from rag.compose import coverage_note

        text = f"**未能在语料中找到依据。** {reason}\n\n" + coverage_note(self._get_linker().lexicon.policies)
        return Composed(answer=text, abstained=True)

    def _own_clauses(self, asked: str, linked: Linked, intent: Intent, graph_ok: bool, fused: list[Hit],
                     dense_scores: dict[str, float], own: set[str]) -> Composed | None:
        """The question answered as a general one from the retrieved clauses of the place's own
        documents alone (None when retrieval found none of them): a support question in everyday words
        ("房票能不能拿到别的区去买房") whose support facts come from other places' documents may be
        answered by a clause of its own place that states no support at all. The evidence must still
        cover the question as any general answer's does; the graph's facts (of any document) are left out."""
        hits = [h for h in fused if self._policy_of(h.measure_id) in own]
        if not hits:
            return None
        general = Intent("general", scores=intent.scores, cues=intent.cues, subject=intent.subject)
        focus, nouns = self._read_words(linked, "general")
        composed, _ = self._compose(asked, linked, general, focus, nouns, None, graph_ok, hits, dense_scores)
        return composed

    def _named_benefit(self, composed: Composed, question: str, focus: list[str], intent: Intent) -> Composed:
        """A support or general question naming a kind of benefit (安家费, 购车补贴: `benefit_heads` in
        intents.yaml) that no document uses — nor its thesaurus wording — and that the quotes do not
        say is refused: the corpus does not treat that benefit, and a related offer of another kind
        (a talent clause for 安家费) is no answer, even when the dense signal finds it close. So is one
        whose kind the corpus does use but the quotes never say (租房补贴 answered by a 购房补贴 clause,
        生育补助 by a teacher's 生活补助: `unsaid_benefit_kinds`); see `unsaid_benefits`."""
        return self._unsaid_refusal(
            composed, intent,
            lambda quoted: unsaid_benefits(question, focus, quoted, self._absent, self._term_weight, genre=self.genre),
            "语料中没有关于{what}的规定；检索到的条款说的是其他支持，不能回答这一问题。")

    def _asked_existence(self, composed: Composed, text: str, focus: list[str], intent: Intent) -> Composed:
        """A support or general question asking whether something exists (限购有没有放宽) is refused
        when the quotes do not say the words it asks about (see `unsaid_existence`): a clause that
        says 放宽 of something else, or 暴雨 without any 赔偿, does not answer it."""
        return self._unsaid_refusal(
            composed, intent,
            lambda quoted: unsaid_existence(text, focus, quoted, self._absent, self._term_weight, genre=self.genre),
            "检索到的条款没有说到{what}，不能回答这一问题。")

    def _unsaid_refusal(self, composed: Composed, intent: Intent, unsaid: Callable[[str], list[str]],
                        reason: str) -> Composed:
        """The support or general answer refused when its quotes leave unsaid the words `unsaid` finds
        in them (`reason` names them as {what}); else the answer as it is."""
        if composed.abstained or not composed.citations or intent.name not in ("support", "general"):
            return composed
        missing = unsaid(said_by(composed.citations))
        if not missing:
            return composed
        return self._refused(reason.format(what="、".join(f"“{t}”" for t in missing)))

    def _stated_amount(self, composed: Composed, text: str, intent: Intent, focus: list[str] = ()) -> Composed:
        """A support or general question asking for a sum (拨多少专项资金, 补贴多少: intents.yaml
        `amount_asked`) whose quotes state none (`amount_stated`) is refused: the clause about the same
        programme that names no sum is the corpus not saying it. The sum must be stated by a sentence
        that offers something or says a word of the question: a quoted clause's other figure (城镇调查
        失业率控制在6%以内) is no sum of the asked support."""
        data = self.genre.data("intents")
        if (composed.abstained or not composed.citations or intent.name not in ("support", "general")
                or not re.search(data.get("amount_asked") or "$^", text)):
            return composed
        markers = list(self.genre.data("answer").get("support_markers", []))
        # a sum of support asked (一次性奖励多少钱) is stated by a sentence offering it: a figure of a
        # sentence about the subject (全市高新技术企业总产值突破340亿元) is none; a sum of anything else
        # (租金多少钱) may be stated by a sentence saying a word of the question
        asks_support = any(m in asked_words(text, genre=self.genre) for m in markers)
        about = markers if asks_support else [*markers, *focus]
        if amount_stated_for([c.quote or "" for c in composed.citations], about, data.get("amount_stated") or "$^"):
            return composed
        return self._refused("检索到的条款没有写明问题所问的金额或比例。")

    def _enclosing_policies(self, places: list[str], levels: tuple[str, ...] = ("city", "province")) -> set[str]:
        """The documents of the city and province a place lies in (the gazetteer's), not the national ones;
        of the city's, not those of its counties, districts and zones (a 柳河县 document is about 柳河县, not
        about 梅河口市 of the same city)."""
        from rag.places import locate

        local = self._local_ids()
        out: set[str] = set()
        for place in places:
            found = locate(place) or {}
            for level in levels:
                name = found.get(level)
                if name and _stem(name) != _stem(place):
                    out |= self._place_policies(name) - (local if level == "city" else set())
        return out

    def _local_ids(self) -> set[str]:
        """The documents of a county, district or zone (level 区县级 / 园区级), once per lexicon."""
        from corpus.jurisdiction import level_word

        lexicon = self._get_linker().lexicon
        if self._local is None or self._local[0] is not lexicon:
            below = {level_word(level, genre=self.genre) for level in ("district", "zone")} - {""}
            self._local = (lexicon, {p["id"] for p in lexicon.policies if p.get("id") and p.get("level_word") in below})
        return self._local[1]

    def _wanted_measures(self, linked: Linked, graph: GraphResult | None, fused: list[Hit]) -> list[str]:
        # the clauses the question names in its places (a title many documents share links them all:
        # hundreds at 10,000 documents, of which composition reads only these)
        ids: list[str] = [lk.value for lk in linked_measures(linked, set(linked.cities))][: self.settings.answer_max_items]
        ids += [h.measure_id for h in fused[: max(self.settings.top_k, TYPED_VIEWS)]]  # the answer-type check reads as far
        if graph is not None:
            ids += [r["measure_id"] for r in graph.duties]
            ids += [r["measure_id"] for r in graph.supports[:12]]
            ids += [r["measure_id"] for r in graph.targets[:30] if r.get("measure_id")]
            ids += [r["measure_id"] for r in graph.deadlines if r.get("measure_id")]
        return [m for m in dict.fromkeys(ids) if m]

    def _views(self, measure_ids: list[str], graph: GraphResult | None) -> dict[str, View]:
        """Evidence views: the index's chunks (full section path), titled by the graph when it can; the
        measures' departments join the graph's facts from the same round trip."""
        rows: dict[str, dict] = {}
        chunked = {mid: self._chunks_of(mid) for mid in measure_ids}
        if graph is not None and self.store is not None:
            try:
                gs = GraphSearch(self.store, self._get_linker().lexicon, self.genre)
                rows, departments = gs.briefs(measure_ids)
                graph.measures.update(rows)
                graph.departments.update({m: d for m, d in departments.items() if m not in graph.departments})
                unindexed = [m for m in measure_ids if m in rows and not chunked[m]]
                rows.update(gs.measures(unindexed))  # a clause the index lacks: its text from the graph
            except Exception as exc:
                log.warning("measure lookup failed: %s", exc)
        views: dict[str, View] = {}
        for mid in measure_ids:
            chunks = chunked[mid]
            if chunks:
                views[mid] = view_from_chunk(chunks[0]) if len(chunks) == 1 else _merge_chunks(chunks)
                if mid in rows:
                    views[mid].number = rows[mid].get("number") or views[mid].number
                    views[mid].title = rows[mid].get("title") or views[mid].title
            elif mid in rows:
                views[mid] = view_from_row(rows[mid])
        return views

    def _locate(self, policy_id: str, start: int, end: int) -> View | None:
        """The indexed piece of a policy that contains [start, end); for text outside every measure
        (the header: issuer, date, 文号), the whole document re-read from its file when unchanged."""
        for c in self._policy_chunks(policy_id):
            if c.start <= start and end <= c.end:
                return view_from_chunk(c)
        return self._document_view(policy_id)

    def _document_view(self, policy_id: str) -> View | None:
        if policy_id not in self._documents:
            self._documents[policy_id] = None
            meta = next((p for p in self._get_linker().lexicon.policies if p.get("id") == policy_id), None)
            if meta and meta.get("path"):
                try:
                    from corpus import parse_file

                    policy = parse_file(meta["path"], genre=self.genre)
                    if policy.id == policy_id and (not meta.get("sha256") or policy.sha256 == meta["sha256"]):
                        self._documents[policy_id] = View(
                            measure_id="", policy_id=policy_id, text=policy.text, start=0, title="文件头",
                            policy=policy.meta.title, doc_no=policy.meta.doc_no, city=policy.meta.city)
                except Exception as exc:  # moved or unreadable: the fact stays uncited
                    log.info("cannot re-read %s: %s", meta.get("path"), exc)
        return self._documents[policy_id]

    def _outline(self, policy_id: str) -> list[View]:
        """The policy's indexed measures (first piece of each) in text order, for structure questions."""
        if policy_id not in self._outlines:
            seen: dict[str, View] = {}
            for c in sorted(self._policy_chunks(policy_id), key=lambda c: c.start):
                seen.setdefault(c.measure_id, view_from_chunk(c))
            self._outlines[policy_id] = list(seen.values())
        return self._outlines[policy_id]

    def _pieces(self, measure_id: str) -> list[View]:
        """A measure's indexed pieces in text order: a long clause or table is indexed in several, and
        the one retrieved may not be the one stating the clause's term (its 时间/频度 row)."""
        return [view_from_chunk(c) for c in sorted(self._chunks_of(measure_id), key=lambda c: c.start)]

    def _preamble(self, policy_id: str) -> View | None:
        """The policy's preamble chunk (the text before its first numbered section) as evidence."""
        for c in self._policy_chunks(policy_id):
            if c.kind == "preamble":
                return view_from_chunk(c)
        return None

    def _policy_chunks(self, policy_id: str) -> list:
        """The policy's chunks in index order (looked up by policy, not by a pass over every chunk)."""
        by_policy = getattr(self.indexes, "chunks_of_policy", None)
        if by_policy is not None:
            return by_policy(policy_id)
        return [c for c in getattr(self.indexes, "chunks", []) or [] if c.policy_id == policy_id]

    def _sample(self) -> list:
        """The chunks word statistics are counted on: all of them in a small corpus, an even sample of
        IDF_SAMPLE in a large one (a new word then costs the same at any corpus size)."""
        if self._stat_chunks is None:
            chunks = getattr(self.indexes, "chunks", None) or []  # sliced, not copied: a table parses only these
            step = max(1, math.ceil(len(chunks) / IDF_SAMPLE))
            self._stat_chunks = list(chunks[::step])
        return self._stat_chunks

    def _repealing(self, policy: dict) -> tuple[View, tuple[int, int, str]] | None:
        """Another document's clause repealing this one (《X》同时废止, 同时废止《X》（文号）): a policy can
        be out of force because a later document says so, not only by its own dates. Only chunks that
        write 废止 and the policy's title or 文号 are read (a substring test per chunk)."""
        from rag.docfacts import repeal_of

        keys = [k for k in (str(policy.get("title") or ""), str(policy.get("doc_no") or "")) if len(k) >= 6]
        if not keys:
            return None
        for c in getattr(self.indexes, "chunks", []) or []:
            if c.policy_id == policy.get("id") or "废止" not in c.text or not any(k in c.text for k in keys):
                continue
            view = view_from_chunk(c)
            span = repeal_of(view.text, policy, genre=self.genre)
            if span is not None:
                return view, (view.start + span[0], view.start + span[1], span[2])
        return None

    def _metadata(self, policy_id: str) -> dict:
        """The policy's metadata lines as its files write them (front matter, sidecar)."""
        from rag.metadata import metadata_lines

        meta = next((p for p in self._get_linker().lexicon.policies if p.get("id") == policy_id), None)
        return metadata_lines(meta.get("path"), genre=self.genre) if meta else {}

    def _intent_prior(self, text: str) -> dict[str, float] | None:
        """Votes of the labelled example questions nearest to this one (None without a dense model)."""
        try:
            embedder = self._intent_examples()
            return self._examples.prior(embedder.encode_query(text)) if embedder is not None else None
        except Exception as exc:  # routing falls back to the cue rules alone
            log.warning("intent examples unavailable: %s", exc)
            return None

    def _intent_examples(self) -> Any:
        """The query embedder, with the labelled example questions loaded (None without a dense model)."""
        if not getattr(self.indexes, "dense_ok", False):
            return None
        embedder = self.indexes.ensure_embedder()
        if embedder is not None and self._examples is None:
            from rag.intents import IntentExamples

            self._examples = IntentExamples.load(embedder, self.settings.data_dir / "cache", genre=self.genre)
        return embedder

    def preload(self, until: Callable[[], bool] = lambda: False) -> int:
        """Load what nearly every question reads and the graph is not needed for — the saved linker,
        the word-statistics sample, the query model with the intent examples, the place gazetteer,
        the documents about each place, the part-of-speech tagger, and the word dictionary and the
        synonym groups the evidence checks read glosses and synonyms from —
        one after another until `until()` says to stop (the façade calls this while the graph server
        is still loading its snapshot on the other core: time it would otherwise spend waiting).
        Returns how many were loaded; one that fails is left to the question that needs it."""
        from corpus.jurisdiction import prepare_gazetteer
        from rag.tokenize import pos_tagger, synonym_groups, word_glosses

        def linker() -> None:
            if self._linker is None and self._saved_linker() is not None:  # else it is built with the graph
                self._get_linker()

        def places() -> None:
            load = getattr(self.indexes, "place_index", None)
            if load is not None:
                load()

        def tagger() -> None:
            pos_tagger(self.genre)

        done = 0
        for step in (linker, self._sample, self._intent_examples, prepare_gazetteer, places, tagger, word_glosses,
                     synonym_groups):
            if until():
                break
            try:
                step()
                done += 1
            except Exception as exc:
                log.info("preload of %s skipped: %s", getattr(step, "__name__", step), exc)
        return done

    def _place_covered(self, place: str) -> bool:
        """Some document is about this place (its city, title or headings name it) or names it in
        several of its clauses; a place only named in passing is one the corpus does not cover."""
        if place not in self._places:
            self._places[place] = bool(self._policies_about([_stem(place)]))
        return self._places[place]

    def _policies_about(self, stems: list[str]) -> set[str]:
        """Policies whose city, title or headings name one of the stems, or PLACE_MIN_CLAUSES of whose
        clauses do: looked up in the index's place index where it has one, else searched."""
        from rag.chunkstore import policies_about

        find = getattr(self.indexes, "policies_about", None)
        if find is not None:
            return find(stems, PLACE_MIN_CLAUSES)
        return policies_about(getattr(self.indexes, "chunks", []) or [], stems, PLACE_MIN_CLAUSES)

    def _place_policies(self, place: str) -> set[str]:
        """Policies about a place: its city, title or headings name it, or two of its clauses do
        (one pass over the chunks per place, remembered: the corpus of a generation does not change)."""
        if place not in self._place_ids:
            if len(self._place_ids) >= PLACE_CACHE:  # a long-lived app: memory stays bounded
                self._place_ids.clear()
            self._place_ids[place] = self._find_place_policies(place)
        return set(self._place_ids[place])

    def _find_place_policies(self, place: str) -> set[str]:
        from rag.places import locate

        most_specific = located_place(place)
        stems = {_stem(place)} | ({_stem(most_specific)} if most_specific and not (locate(place) or {}).get("county") else set())
        return self._policies_about(sorted(stems))

    def _side_by_side(self, ctx: Context) -> Composed | None:
        """An open comparison without a shared metric: for each place or document the question
        names, the clauses of its own documents that best answer the rest of the question."""
        from rag.compose import Citer, clause_quote, settings_data, source_label, whole_clause_of

        compared = self._compared(ctx)
        if compared is None:
            return None
        names, rest, subject, asked = compared
        citer, sections, found = Citer(), [], 0
        asks_years = bool(re.search(settings_data(self.genre)["goal_year_cue"], rest))
        figure = ctx.asked if ctx.asked is not None and not ctx.asked.get("whether") else None
        # a second side naming no place of its own is a document of the first side's place (柳河县的重点
        # 产业政策和旅游业政策: 柳河县's 旅游业 document)
        first = names[0]
        hint = "" if is_place(first) else self._name_scope(first)[0]
        hint = "" if hint == "全国" else hint
        for name in names:
            ids = self._place_policies(name) if is_place(name) else self._named_policies(name, hint)
            lines = self._goal_years(ids, citer, name) if asks_years else []
            own = self._own_policies(name, ids) if is_place(name) else set()
            # a place no document is about (柳州 in a provincial plan) is answered by the clauses naming it
            within = name if is_place(name) and not own else ""
            mine = self._side_words(asked, ids, ctx.nouns)
            said: list[str] = []  # what the side's clauses shown so far say
            for group in [own, ids - own] if own else [ids]:  # the place's own documents first
                views = [] if lines and not said else self._side_views(subject, mine, group, ctx, within)
                later: list[tuple[View, tuple[int, int, str]]] = []  # answering clauses that add nothing new
                for view, headed in views:
                    picked = side_sentences(view, mine, subject, ctx.term_weight, genre=self.genre, filed=headed,
                                            kind=figure)
                    text = view.policy + view.title + "".join(p[2] for p in picked)
                    if not picked or not side_answers(ctx, mine, text, genre=self.genre):
                        continue
                    if own_clause(picked[0][2], genre=self.genre) and not any(
                            w in picked[0][2] for w in self._rare_words(mine, view.policy_id, view.policy)):
                        continue  # how the document applies, unless that is what is asked (重复拿奖励: 就高不重复)
                    if said and not headed and not adds_to_side(mine, said, text):
                        later.append((view, picked[0]))  # shown only when nothing better fills the side
                        continue
                    said.append(text)
                    picked = whole_clause_of(ctx, view, picked)
                    quoted = " ".join(f"{p[2]} [{citer.cite(view, *p)}]" for p in picked)
                    lines.append(f"  - {source_label(view, picked[0][2])}：{quoted}")
                    if len(said) >= SIDE_CLAUSES:
                        break
                for view, sentence in later[: max(0, SIDE_CLAUSES - len(said))] if said else []:
                    sentence = clause_quote(ctx, view, sentence)
                    said.append(sentence[2])
                    lines.append(f"  - {source_label(view, sentence[2])}：{sentence[2]} [{citer.cite(view, *sentence)}]")
                if said:
                    break  # a side answered by its own documents is not also answered by others
            found += bool(lines)
            sections.append(f"- **{name}**" + ("：\n" + "\n".join(lines) if lines else
                                                f"：没有找到{name}关于{'、'.join(asked) or '这一问题'}的条款"))
        if not found:
            return None
        text = "分别来看（各自文件中与问题最相关的条款，未必有可直接比较的同一指标）：\n\n" + "\n".join(sections)
        return Composed(answer=text, citations=citer.citations, evidence=[c.measure_id for c in citer.citations])

    def _compared(self, ctx: Context) -> tuple[list[str], str, str, list[str]] | None:
        """A comparison's sides, the rest of the question, the subject each side is searched with, and
        the words saying what is compared: the question's words less the names of the sides and the
        words asking how they differ (做法), less a word no document uses (留住人才: 留住), which is
        the user's, not the subject's, and less the words the asker describes themself with. None when
        the question names no sides."""
        parts = compared_parts(ctx.linked.text, self.genre)
        if parts is None:
            return None
        names, rest = parts
        subject, asking = compared_subject(rest, self.genre.data("intents").get("open_comparison") or "$^")
        # the words the asker describes themself with (我们是开发商，合肥和湖北…) say who asks, not what
        asked = [w for w in compared_focus(ctx.focus, names, rest) if not any(w in a for a in asking)]
        asked = [w for w in asked if w not in ctx.situation_words] or asked
        return names, rest, subject, [w for w in asked if not self._absent(w)] or asked

    def _side_words(self, asked: list[str], ids: set[str], nouns: set[str]) -> list[str]:
        """The compared words one side is searched and judged with: its nouns (what is compared), and
        the other words only where the side's documents use them — a verb of the user's (留住人才:
        留住) says how they put it, not what the documents must write."""
        texts = [c.text for pid in ids for c in self._policy_chunks(pid)]
        kept = [w for w in asked if w in nouns or any(w in t for t in texts)]
        return kept or asked

    def _rare_words(self, words: list[str], policy_id: str, title: str) -> list[str]:
        """The compared words few clauses of a document write (`RARE_SHARE`) and its title does not:
        重复 of 同一个项目能不能重复拿奖励 is said by the closing provision alone, 奖励 by every clause of
        an award policy."""
        chunks = [c.text for c in self._policy_chunks(policy_id)]
        if not chunks:
            return []
        return [w for w in words if w not in title and 0 < sum(w in t for t in chunks) <= RARE_SHARE * len(chunks)]

    def _side_views(self, subject: str, words: list[str], ids: set[str], ctx: Context,
                    within: str = "") -> list[tuple[View, bool]]:
        """A side's best clauses for the subject, those under a heading (chapter, section or run-in
        title) that names most of the compared words first — the clauses the document itself files
        under the subject (第六章 公共数据开放) — each with whether its heading names them. `within`: a
        place no document is about, only spoken of in another's (柳州市：建设西江经济带龙头城市…): its
        clauses are those naming it."""
        from rag.compose import coverage, settings_data

        views = self._best_views(f"{within}{subject}", ids, SIDE_VIEWS * 2)
        if within:
            views = [v for v in views if _stem(within) in f"{v.title}{v.text}"]
        need = settings_data(self.genre)["fallback_min_coverage"]
        # a word the side's own titles say (政务数据 in 阿坝州政务数据资源管理暂行办法) is what the whole
        # document is about: a heading naming it files nothing under the subject
        titles = "".join(v.policy for v in views)
        words = [w for w in words if coverage([w], titles, genre=self.genre) < 1.0]
        headed = [bool(words) and coverage(words, f"{v.section}{v.title}", ctx.term_weight, genre=self.genre) >= need
                  for v in views]
        # a provision on how the document applies that says a compared word the document seldom writes
        # (重复 of 同一个项目能不能重复拿奖励: 按就高不重复原则办理) is what is asked, before any other clause
        rare = {pid: self._rare_words(words, pid, next(v.policy for v in views if v.policy_id == pid))
                for pid in {v.policy_id for v in views}}
        singled = [own_clause(v.text, genre=self.genre) and any(w in v.text for w in rare[v.policy_id])
                   for v in views]
        # a comparison asking what each side gives: clauses that offer something before those that only
        # name who is meant or how the document is run (成都: 预留住房支持 before 支持对象 items)
        asks = asks_support(subject, genre=self.genre)  # once per side, not per clause
        offers = [asks and offers_support(v.text, genre=self.genre) for v in views]
        order = sorted(range(len(views)), key=lambda i: (not singled[i], not headed[i], not offers[i], i))
        return [(views[i], headed[i]) for i in order]

    def _own_policies(self, place: str, ids: set[str]) -> set[str]:
        """Of a place's policies, those issued for the place itself (its city field names it), not its
        province's or another place's that only mention it: a side of a comparison speaks first
        through its own documents. A side written with more than the place (广西全区, 广东省规定) is
        the place the gazetteer finds in it."""
        meta = {p.get("id"): p for p in self._get_linker().lexicon.policies}
        located = located_place(place)
        stems = {_stem(place)} | ({_stem(located)} if located else set())
        return {pid for pid in ids for stem in stems if stem in str(meta.get(pid, {}).get("city") or "")
                or stem in str(meta.get(pid, {}).get("title") or "")}

    def _goal_years(self, policy_ids: set[str], citer, place: str = "") -> list[str]:
        """The years a document's goals are set for (到2020年 / 到2025年 / 到2030年), each cited at the
        first sentence that sets it: what "the target years of A and B" asks, whatever the metrics."""
        from genre import read_data
        from kg.extract.targets import sentence_year
        from rag.compose import names_document, sentences, source_label, year_written

        past = tuple(read_data("targets", genre=self.genre).get("history_titles") or ())
        meta = {p.get("id"): p for p in self._get_linker().lexicon.policies}
        lines = []
        # the documents of the place itself first (a place's search also finds documents naming it)
        def own(pid: str) -> bool:
            city = str(meta.get(pid, {}).get("city") or "")
            return bool(city) and bool(place) and _stem(city) in place

        for pid in sorted(policy_ids, key=lambda i: (not own(i), i))[:3]:
            first: dict[int, tuple] = {}
            for c in sorted(self._policy_chunks(pid), key=lambda c: c.start):
                view = view_from_chunk(c)
                if view.kind in ("table", "preamble") or any(w in f"{view.section}{view.title}" for w in past):
                    continue  # tables of indicators and reviews of the past set no goal years
                for s in sentences(view):
                    if names_document(view, s[2]):
                        continue
                    y = sentence_year(s[2], len(s[2]), genre=self.genre)
                    if y and year_written(y, s[2]) and y not in first:
                        first[y] = (view, s)
            for y in sorted(first)[:MAX_GOAL_YEARS]:
                view, s = first[y]
                lines.append(f"  - {y} 年 — {source_label(view, s[2])}：{s[2]} [{citer.cite(view, *s)}]")
        return lines

    def _named_policies(self, name: str, place_hint: str = "") -> set[str]:
        """The policy a phrase names: a title it abbreviates (电商意见, 十三五纲要, AI规划) among the
        documents of the place or level it opens with (or of `place_hint`, the place the other side of
        a comparison opened with: 柳河县的重点产业政策和旅游业政策); else a linked title or 文号; else the
        document of its best BM25 clause."""
        _, level_ids, rest = self._name_scope(name, place_hint)
        titled = self._abbreviated(rest, level_ids)
        if titled:
            return titled
        linked = self._get_linker().link(name)
        ids = set(linked.values("policy")) | set(linked.values("doc_no"))
        if ids:
            return ids
        within = level_ids or None
        mask = self.indexes.mask(policy_ids=within) if within else None
        votes: dict[str, float] = {}
        for h in self.indexes.search_bm25(rest or name, 10, mask):
            pid = self.indexes.chunk(h.chunk_id).policy_id
            votes[pid] = votes.get(pid, 0.0) + h.score
        return {max(votes, key=votes.get)} if votes else set()

    def _name_scope(self, name: str, place_hint: str = "") -> tuple[str, set[str], str]:
        """(place, its policies, the rest of the name) for a phrase naming a document: the place it
        opens with (南宁的科技十三五规划), else the national level a central body or 国家 opens it with
        (国务院的电商意见, 科技部的试验区指引: the national documents), else the hinted place."""
        from corpus.jurisdiction import is_national_body
        from rag.places import locate

        head = min(len(name), 8)
        place = next((name[:i] for i in range(2, head + 1) if locate(name[:i])), None)
        if place:
            return place, self._place_policies(place), name[len(place):]
        central = next((name[:i] for i in range(2, head + 1) if is_national_body(name[:i], genre=self.genre)), None)
        if central:
            national = {p["id"] for p in self._get_linker().lexicon.policies
                        if p.get("id") and (p.get("city") == "全国" or p.get("level") == "national")}
            return "全国", national, name[len(central):]
        if place_hint:
            return place_hint, self._place_policies(place_hint), name
        return "", set(), name

    def _abbreviated(self, name: str, within: set[str]) -> set[str]:
        """The policies (of `within`, or all) whose titles `name` abbreviates (rag/abbrev.py)."""
        from rag.tokenize import load_thesaurus

        policies = self._get_linker().lexicon.policies
        if self._title_index is None or self._title_index[0] != id(policies):
            titles = {p["id"]: str(p.get("title") or "") for p in policies if p.get("id")}
            self._title_index = (id(policies), TitleIndex(titles))
        thesaurus = load_thesaurus(genre=self.genre)
        return self._title_index[1].named(name, within or None,
                                          lambda n: name_variants(n, thesaurus.synonyms, thesaurus.terms()))

    def _best_views(self, query: str, policy_ids: set[str], n: int) -> list[View]:
        """The n best clauses (one view per measure) of these policies for a query: BM25 and dense fused."""
        if not policy_ids:
            return []
        mask = self.indexes.mask(policy_ids=policy_ids)
        rankings = {"bm25": self.indexes.search_bm25(query, 8, mask)}
        try:
            rankings["dense"] = self.indexes.search_dense(query, 8, mask)
        except Exception as exc:  # the dense signal is optional here too
            log.debug("dense search failed in a comparison: %s", exc)
        weights = {"bm25": 1.0, "dense": 1.0 if getattr(self.indexes, "dense_ok", False) else 0.0}
        views: list[View] = []
        for h in rrf(rankings, weights):
            if len(views) >= n:
                break
            if all(v.measure_id != h.measure_id for v in views):
                views.append(view_from_chunk(self.indexes.chunk(h.chunk_id)))
        return views

    def _indexed_word(self, word: str) -> bool:
        """The BM25 index holds this word (the documents' own segmentation read it as one)."""
        return self.indexes.bm25.knows(word)

    def _absent(self, term: str) -> bool:
        """The word occurs in no indexed text (nor in any title)."""
        if term not in self._df:
            sample = self._sample()
            found = sum(1 for c in sample if term in c.text or term in (c.context or ""))
            if not found and len(sample) < len(getattr(self.indexes, "chunks", []) or []):
                found = int(self._in_any_text(term))  # absent from the sample: one search of the whole text
            self._df[term] = found
        return self._df[term] == 0

    def _in_any_text(self, term: str) -> bool:
        """Some chunk's text or context contains the word (the index searches its file where it can)."""
        search = getattr(self.indexes, "text_contains", None)
        if search is not None:
            return bool(search(term))
        if self._joined is None:  # every chunk's text in one string, built once: a search runs in C
            self._joined = "\x00".join(f"{c.text}\x00{c.context or ''}" for c in getattr(self.indexes, "chunks", []) or [])
        return term in self._joined

    def _term_weight(self, term: str) -> float:
        """IDF of a word over the indexed chunks (substring document frequency), cached per word.

        A word the documents never write but say in their own wording (买房 for 购房: thesaurus.yaml,
        answer.yaml equivalents) is as rare as its most common wording: the user's word is rare only
        in spelling, and weighing it as the rarest word of the corpus would let any clause that says
        购房 outrank the one about the question's actual subject."""
        if term not in self._idf:
            in_sample = self._sample_df(term)
            idf = self._idf_from(in_sample)
            if not in_sample and self._absent(term):  # found in the sample: not absent, no second pass
                wordings = [self._idf_of(w) for w in self._wordings(term) if len(w) >= 2 and not self._absent(w)]
                idf = min([idf, *wordings])
                if self._says_little(term):
                    idf = min(idf, self._idf_from(len(self._sample()) // 2))
            self._idf[term] = idf
        return self._idf[term]

    def _says_little(self, term: str) -> bool:
        """A word no document writes that the language at large uses often as an adjective or adverb
        (老大; answer.yaml `everyday_tags`, `everyday_freq`): it weighs as much as a word half the
        clauses write. Weighed as the rarest word of the corpus it outweighed the
        question's subject, and a clause saying 龙头企业…高级管理人员…认定 did not cover
        "行业老大企业当高管…找谁认定"."""
        from rag.compose import settings_data
        from rag.tokenize import says_little

        data = settings_data(self.genre)
        return says_little(term, data.get("everyday_tags") or (), max(int(data.get("everyday_freq") or 0), 1))

    def _sample_df(self, term: str) -> int:
        """How many chunks of the word-statistics sample write the word."""
        return sum(1 for c in self._sample() if term in c.text)

    def _idf_of(self, term: str) -> float:
        return self._idf_from(self._sample_df(term))

    def _idf_from(self, in_sample: int) -> float:
        """IDF from a sample document frequency, scaled to the whole corpus."""
        n = len(getattr(self.indexes, "chunks", []) or [])
        sample = self._sample()
        df = in_sample * (n / len(sample) if sample else 1.0)
        return math.log(1 + (n + 1) / (df + 0.5))

    def _wordings(self, term: str) -> list[str]:
        """The documents' wordings of a user's word: its thesaurus synonyms and answer.yaml equivalents."""
        from rag.compose import word_equivalents
        from rag.tokenize import load_thesaurus

        return load_thesaurus(genre=self.genre).synonyms(term) + word_equivalents(term, genre=self.genre)

    # -- evidence for the app -------------------------------------------------------------------------
    @staticmethod
    def _facts(graph: GraphResult | None, composed: Composed) -> list[dict]:
        if graph is None:
            return []
        cited = set(composed.evidence)
        rows = graph.facts()
        used = [r for r in rows if r.get("measure_id") in cited or r["fact"] in ("policy", "date", "issuer")]
        return (used or rows)[:50]

    def _subgraph(self, composed: Composed, graph: GraphResult | None, views: dict[str, View],
                  graph_ok: bool) -> dict:
        ids = [m for m in dict.fromkeys(composed.evidence) if m][:6]
        if graph_ok and self.store is not None and ids:
            try:
                rows = self.store.run("measure_neighbourhood", measure_ids=ids, limit=SUBGRAPH_MAX_EDGES)
                sub = subgraph_from_rows(rows)
                if sub["nodes"]:
                    return sub
            except Exception as exc:
                log.debug("measure_neighbourhood unavailable: %s", exc)
        return subgraph_from_facts(ids, graph, views)

    def _with_llm(self, answer: Answer, timings: dict[str, float]) -> Answer:
        from rag.llm import LLMWriter

        with _timed(timings, "llm"):
            return LLMWriter(self.settings).rewrite(answer)


# -- helpers ---------------------------------------------------------------------------------------


# the kinds of document a compared side may be named by (its genre word ends the side's name); each of
# two characters, as the lookbehind of _COMPARED needs
_GENRE_NAMES = "意见|办法|细则|规定|通知|方案|规划|纲要|计划|措施|指引|指南|条例|决定|政策"
# (a side ends at a comma of either width: "湖北和合肥,对生了二孩的家庭…" has the sides 湖北 and 合肥)
# how a comparison may open (请比较一下, 想对比一下：): no part of either side
_COMPARE_OPENING = r"^(?:请|帮我|我?们?想)?(?:比较|对比)?一?下?[：:]?"
_COMPARED = re.compile(_COMPARE_OPENING + r"(?P<a>[^，,。？?和与跟同及、]{2,20}?)"
                       r"(?:和|与|跟|(?<![合共协认])同(?![时步等意级类样])|及|以及|、|对比|相比)"
                       r"(?P<b>[^，,。？?和与跟同及、]{2,20}?)"
                       r"(?P<rest>(?:[，,]|(?:的|在|之间|分别|各|都(?![市会城])|有什么|有何|有哪些|比较|对比|相比|比(?![例重率值])|哪[个边家里]|谁|"
                       r"对|关于|针对|支持|鼓励|扶持)|"
                       # a side naming a document ends at its genre word: 旅游业若干意见 | 里都提到了…
                       rf"(?<={_GENRE_NAMES})(?:里|中|当中|上)).*)$")


NAMING_KINDS = (*PLACE_KINDS, "policy", "doc_no", "measure", "topic", "department", "support_kind", "beneficiary")


def only_brushes_titles(linked: Linked) -> bool:
    """The question's documents are linked only by a few distinctive bigrams, not by most of a title
    (containment below the linker's threshold) and by no 文号: "这个计划的文号" brushes 《…行动计划的通知》
    with 计划 and 划的, which names no document when a pronoun points at the one just cited."""
    return not linked.of("doc_no") and all(float(lk.score or 0.0) < Linker.policy_threshold
                                           for lk in linked.of("policy"))


def swapped(linked: Linked, prev_linked: Linked, document_word: re.Pattern | None = None,
            genre: Genre | None = None) -> tuple[list[str], list[tuple[int, int]]]:
    """What a follow-up puts in the place of what in the previous question: its places for the previous
    places; a document it names by a place and a kind of document (`document_word`) for the title the
    previous question wrote ("那阿坝州的暂行办法呢？" after "广东省公共数据管理办法是哪天开始施行
    的？": the whole title, not only its place — the other place's document has another title).
    A previous place holding the new one is its setting, not what it replaces: "那北海呢？" after
    "广西十三五规划给桂林定的发展方向是啥？" swaps 桂林, and 广西's plan stays (`genre` knows provinces)."""
    places = [lk.value for lk in linked.links if lk.kind in PLACE_KINDS]
    previous = [lk for lk in prev_linked.links if lk.kind in PLACE_KINDS and lk.start >= 0]
    if genre is not None:
        above = {province_short(place, genre=genre) for place in places} - {None}
        previous = sorted(previous, key=lambda lk: lk.value in above)  # stable: text order otherwise
    prev_places = [(lk.start, lk.end) for lk in previous]
    if places and prev_places and document_word is not None and document_word.search(linked.text):
        # the previous title runs from its place to its kind of document (广东省公共数据管理办法)
        a, b = prev_places[0]
        kind = document_word.search(prev_linked.text, b)
        if kind is not None and kind.start() - b <= TITLE_MAX_CHARS:
            return places, [(a, kind.end())]
    return places, prev_places


TITLE_MAX_CHARS = 30  # from a place to the kind of document: a title a question writes out


def amount_stated_for(quotes: list[str], about: list[str], stated: str) -> bool:
    """A quote states a sum (`stated`) in a sentence that offers something or says a word of the
    question (`about`): another figure of a quoted clause (城镇调查失业率控制在6%以内) is no sum of the
    asked support."""
    return any(re.search(stated, s) and any(w in s for w in about)
               for q in quotes for s in re.split(r"(?<=[。！？!?])", q))


def dropped_subject(other: Composed, own: Composed, nouns: set[str] | frozenset[str], *, genre: Genre) -> list[str]:
    """The nouns of the question (退役军人 of 招退役军人能拿什么补贴) that the clauses of other places'
    documents say and the place's own clauses do not: the subject is treated elsewhere only, and the
    place's clauses (a tourism award) answer some other question. [] when the own clauses say every
    noun the other clauses did."""
    from rag.compose import head_said

    said = "".join(c.quote or "" for c in other.citations)
    mine = "".join(c.quote or "" for c in own.citations)
    return [t for t in sorted(nouns) if head_said(t, said, genre=genre) and not head_said(t, mine, genre=genre)]


def unsaid_existence(question: str, focus: list[str], quoted: str, absent: Callable[[str], bool],
                     weight: Callable[[str], float], *, genre: Genre) -> list[str]:
    """The content words on either side of an existence cue (intents.yaml `existence_cue`: 限购有没有
    放宽 -> 限购, 放宽; every word of the phrase before it: 首付比例; only those after a saying verb:
    行动计划有没有提到…平台 -> 平台) that the corpus uses, that few clauses say (`existence_min_weight`), and that
    the quoted text does not say: what the question asks about, missing from its answer."""
    from rag.compose import head_said

    data = genre.data("intents")
    cue = data.get("existence_cue")
    if not cue:
        return []
    words = [t for t in focus if len(t) >= 2]
    asked: list[str] = []
    saying = re.compile(data.get("existence_saying") or "$^")
    for m in re.finditer(cue, question):
        before, after = question[: m.start()], question[m.end():]
        if said := saying.match(after):  # 规划有没有提到X: X is asked, not the document that would say it
            before, after = "", after[said.end():]
        after = after[len(_leading_modifier(after)):]  # 有没有额外条件 asks about 条件
        if re.match(data.get("existence_modal") or "$^", after):
            continue  # 有没有权利拿去用: whether one may, not whether a 权利 exists
        if m.re.groupindex.get("any") and m.group("any") and not said:
            # 有没有啥表示 / 有没有什么红线 / 有没有啥兜底办法: "any X" names a kind in the asker's own word,
            # which the rest of the question says; only the phrase before the cue is what must be said
            after = ""
        # 有没有放宽 asks whether 放宽 happens, 有没有学区上的照顾 asks about 学区; 有没有专门给老人吃饭的地方
        # asks for a thing described by a clause of its own words ending in 的, whose first word (专门,
        # 适合) says how it is meant, not what is asked
        starts = [t for t in words if after.startswith(t)]
        described = re.split(r"[，,。？?；;！!]", after)[0].split("的")
        if starts and len(described) > 1 and described[0] in starts:
            # 有没有专门的系统: a word alone before 的 says what kind (专门, 统一); the thing after it is asked
            starts = [t for t in words if described[1].startswith(t)] or starts
        if starts and not (len(described) > 1 and any(
                t in described[0][max(map(len, starts)):] for t in words if t not in starts)):
            asked += starts
        while (last := next((t for t in words if before.endswith(t)), None)) is not None:
            if not _modifier(last):  # the whole phrase before the cue (首付比例: 首付, 比例), not
                asked.append(last)   # a word saying when or how (政府事后有没有补助: 事后)
            before = before[: -len(last)]
    return [t for t in dict.fromkeys(asked)
            if not absent(t) and weight(t) >= data.get("existence_min_weight", 4.0) and not head_said(t, quoted, genre=genre)
            and not sets_restriction(t, quoted, genre=genre)]


# jieba's distinguishing words, adverbs and time words (额外, 特别, 事后): they qualify, never name
MODIFIER_TAGS = ("b", "d", "t")


def _leading_modifier(text: str) -> str:
    """The word opening `text` when it only modifies what follows — a distinguishing word, an adverb or
    a time word by its part of speech (额外, 特别, 事后): 有没有额外条件 asks whether there are 条件; ''
    otherwise."""
    first = _first_word(re.split(r"[，,。？?；;！!]", text)[0])
    return first.word if first is not None and first.flag in MODIFIER_TAGS and len(first.word) >= 2 else ""


def _first_word(text: str, genre: Genre | None = None) -> Any:
    """The text's first word with jieba's part of speech (word, flag), None for an empty text."""
    from rag.tokenize import pos_tagger

    return next(iter(pos_tagger(genre).cut(text)), None)


def _modifier(word: str) -> bool:
    """A word jieba's dictionary tags as a distinguishing word, an adverb or a time word (额外 of 额外补贴,
    事后 of 事后补助)."""
    from rag.tokenize import pos_tagger

    return pos_tagger().word_tag_tab.get(word, "") in MODIFIER_TAGS


def sets_restriction(word: str, quoted: str, *, genre: Genre) -> bool:
    """The word names a restriction as such (intents.yaml `restriction_words`: 限制, 要求) and the
    quoted text sets one (`restriction_marker`: 须, 不得, 以后出生): a clause states the limit a
    question asks about in its own terms and never writes 限制 (牵头人年纪有没有限制 is answered by
    项目负责人…须…1958年1月1日以后出生)."""
    data = genre.data("intents")
    return word in (data.get("restriction_words") or ()) and bool(re.search(data.get("restriction_marker") or "$^", quoted))


def unsaid_benefits(question: str, focus: list[str], quoted: str, absent: Callable[[str], bool],
                    weight: Callable[[str], float] | None, *, genre: Genre) -> list[str]:
    """The kinds of benefit the question asks for that the quoted text leaves unsaid: untreated by the
    corpus (`untreated_benefits`) or of a kind the quotes never say (`unsaid_benefit_kinds`). Only the
    words of the asking clause count: a benefit word in a clause before it is the asker's situation,
    not what is asked ("…中介费太贵了，这次的新政在这块有没有说法", "想拿专利去银行抵押贷款，…政府有没有啥
    兜底办法"), and the corpus may treat the matter in its own words (居间服务费率)."""
    asking = asked_words(question, genre=genre)
    asked = [t for t in focus if t in asking]
    return (untreated_benefits(asked, quoted, absent, genre=genre)
            or unsaid_benefit_kinds(asking, asked, quoted, weight, genre=genre))


def untreated_benefits(focus: list[str], quoted: str, absent: Callable[[str], bool], *, genre: Genre) -> list[str]:
    """The kinds of benefit the question names (a word of three characters or more ending in one of
    intents.yaml `benefit_heads`: 安家费, 购车补贴) that no document uses, nor its thesaurus wording, and
    that the quoted text does not say, whole or half (安家补贴 says half of 安家费)."""
    from rag.compose import coverage
    from rag.tokenize import load_thesaurus

    heads = tuple(genre.data("intents").get("benefit_heads") or ())
    if not heads:
        return []
    thesaurus = load_thesaurus(genre=genre)
    return [t for t in focus if len(t) >= 3 and t.endswith(heads) and absent(t)
            and not any(len(o) >= 2 and not absent(o) for o in thesaurus.synonyms(t))
            and coverage([t], quoted, genre=genre) < 0.5]


def unsaid_benefit_kinds(question: str, focus: list[str], quoted: str, weight: Callable[[str], float] | None,
                         *, genre: Genre) -> list[str]:
    """The kinds of benefit the question names — with a word ending in a benefit head (养老金, 租房补贴)
    or one written right before a head (租房 of 租房补贴, 安家 of 安家补贴) — whose kind the quoted text
    never says: neither the whole word, nor what it is of (the word before the head), nor a thesaurus
    or answer.yaml wording of either. A 购房补贴 clause says 补贴 but not 租房: its sum is another
    benefit's. A word no document uses counts too (安家 of 安家补贴): the quotes cannot say it either. Only a word that names a subject counts: one
    that few clauses say (IDF at least intents.yaml `benefit_kind_min_weight`); 一次性, 专项 or 财政
    before 补贴 say how it is paid, not what it is for, and a modifier by its part of speech (额外) names
    no kind either. A head of one character (费, 金, 券) counts only
    inside the question's own word (养老金): after a word it is as often another word's start (直接发现金
    is 发 现金, not a 发现 benefit)."""
    from rag.compose import equivalents
    from rag.tokenize import load_thesaurus

    data = genre.data("intents")
    heads = sorted(data.get("benefit_heads") or (), key=len, reverse=True)
    if not heads:
        return []
    floor = data.get("benefit_kind_min_weight", 4.0)
    thesaurus = load_thesaurus(genre=genre)

    def said(word: str) -> bool:
        return word in quoted or any(len(o) >= 2 and o in quoted
                                     for o in thesaurus.synonyms(word) + equivalents(word, genre=genre))

    kinds: list[str] = []
    for t in focus:
        if len(t) < 2:
            continue
        head = next((h for h in heads if t.endswith(h) and len(t) - len(h) >= 2), None)
        of = t[: len(t) - len(head)] if head else t
        kind = t if head else next((t + h for h in heads if len(h) >= 2 and t + h in question), None)
        if kind is None or (weight is not None and weight(of) < floor) or _modifier(of):
            continue  # 一次性 of 一次性补贴 is common, 额外 of 额外补贴 only qualifies: neither names a kind
        if not said(kind) and not said(of) and not said(t):
            kinds.append(kind)
    return list(dict.fromkeys(kinds))


def located_place(place: str) -> str | None:
    """The most specific place (county, else city, else province) the gazetteer finds in a phrase
    (广西全区 -> 广西壮族自治区); None when it finds none. `locate` is cached."""
    from rag.places import locate

    found = locate(place) or {}
    return next((found[k] for k in ("county", "city", "province") if found.get(k)), None)


_MARKER = re.compile(r"\[(\d+)\]")  # a citation marker of an answer's text


def _markers_as(text: str, number: Callable[[int], int]) -> str:
    """An answer's citation markers [n] written [number(n)]."""
    return _MARKER.sub(lambda m: f"[{number(int(m.group(1)))}]", text)


def renumbered_as(text: str, numbers: list[int]) -> str:
    """An answer's citation markers [n] given the numbers its citations have in another answer
    (`numbers[n - 1]`): a later question quoting only clauses the answer above already cites."""
    return _markers_as(text, lambda n: numbers[n - 1] if 0 < n <= len(numbers) else n)


def lines_anew(text: str, shown: str) -> str | None:
    """`text` without its listed lines (- …) that `shown` already says, citation markers aside; None
    when every one of them is said there already (or it lists none)."""
    def unmarked(line: str) -> str:
        return re.sub(r"\s*" + _MARKER.pattern, "", line)

    said = unmarked(shown)
    new = [line for line in text.splitlines() if line.startswith("- ") and unmarked(line).strip() not in said]
    if not new:
        return None
    return "\n".join(line for line in text.splitlines() if not line.startswith("- ") or line in new)


def renumbered(text: str, offset: int) -> str:
    """An answer's citation markers [n] numbered on by `offset`: the answer set below another whose
    `offset` citations come first (each side of 分别由哪个部门负责, a later question of the message)."""
    return _markers_as(text, lambda n: n + offset)


def _stem(place: str) -> str:
    """A place name without its level word (合肥市 -> 合肥), never shorter than two characters (广州 stays).
    An autonomous prefecture or region is written by the name before its peoples' names (阿坝藏族羌族自治州
    -> 阿坝, as documents write 阿坝州): the gazetteer's short name, looked up only for such names."""
    if "自治" in place:
        from corpus.jurisdiction import short_name

        short = short_name(place)
        if "自治" not in short and len(short) >= 2:
            return short
    stem = re.sub(r"(特别行政区|自治区|自治州|省|市|区|县|州|旗)$", "", place)
    return stem if len(stem) >= 2 else place


_SIDE = r"[^，,。？?和与跟同及、]{2,12}?"
_LISTED = re.compile(_COMPARE_OPENING + rf"(?P<sides>{_SIDE}(?:、{_SIDE})+(?:、|和|与|跟|以及|及){_SIDE})"
                     r"(?P<rest>(?:的|在|之间|分别|各|有什么|有何|有哪些|比较|对比|相比|比(?![例重率值])|哪[个边家里]|谁|"
                     r"对|关于|针对|支持|鼓励|扶持).*)$")

# two sides of which the first is a place, and what follows the joining word
_PLACE_PAIR = re.compile(_COMPARE_OPENING + r"(?P<a>[^，,。？?和与跟同及、]{2,20}?)(?:和|与|跟|以及|及)(?P<tail>[^，,。？?]{3,}.*)$")

# a document named by what it is about ends in its genre's word (…的实施意见, …的若干意见, …管理办法)
_DOCUMENT_END = re.compile(rf"^的?[^，。？?的和与跟]{{0,12}}?(?:实施意见|若干意见|{_GENRE_NAMES})")
_GENRE_WORD = re.compile(rf"(?:{_GENRE_NAMES})$")


# what joins the sides to the rest: 的, 在, 对…, or "比，" / "相比较而言，" (浙江的内涝规划跟广西十三五纲要比，…)
_SIDES_END = re.compile(r"^[，,]?(?:(?:相)?比(?:较)?(?:起来|而言|来看)?[，,]|的|在|之间|对|关于|针对|里|当中|中)?")


def filtered_phrases(linked: Linked, cities: Sequence[str] | None, policy_ids: set[str] | None) -> list[str]:
    """The question's phrases that the search's limits already apply, which BM25 then counts less: the
    places when the search is limited to places, and a document named by its title when the search is
    limited to it — searched alone, "广东省公共数据管理办法里，教育方面的数据由哪些部门负责"
    would otherwise rank first the clauses repeating the title's words (公共数据, 管理), not the one on 教育."""
    limited = set(policy_ids or ())
    return [lk.mention for lk in linked.links if lk.mention and (
        (lk.kind in PLACE_KINDS and cities) or (lk.kind == "policy" and lk.value in limited))]


def without_document_sides(linked: Linked, genre: Genre | None = None) -> Linked:
    """The question as routing reads it: the names of the documents it compares blanked, with what
    they link (国务院放管服分工方案 says 分工, a cue of duties, and names 国务院, a department; neither
    is what is asked of the two documents). Places stay: two places make a comparison."""
    parts = compared_parts(linked.text, genre)
    if parts is None:
        return linked
    spans = []
    for name in parts[0]:
        at = linked.text.find(name)
        if at >= 0 and not is_place(name) and _GENRE_WORD.search(name):
            spans.append((at, at + len(name)))
    if not spans:
        return linked
    text = list(linked.text)
    for a, b in spans:
        text[a:b] = BLANK * (b - a)
    links = [lk for lk in linked.links if lk.kind in PLACE_KINDS
             or not any(a <= lk.start and lk.end <= b for a, b in spans)]
    return replace(linked, text="".join(text), links=links)


BLANK = "某"  # a character no cue uses, keeping every other character's offset


def _central(name: str, genre: Genre | None) -> bool:
    """国家, 国务院, 科技部…: a central body or the national level, which issues documents but is no place."""
    from corpus.jurisdiction import is_national_body

    return is_national_body(name, genre=resolve_genre(genre))


def compared_parts(question: str, genre: Genre | None = None) -> tuple[list[str], str] | None:
    """What is compared and the rest of the question (`_compared_parts`); a 顿号 inside quotation marks
    joins the parts of one quoted term (“双随机、一公开”), never two sides."""
    held = _QUOTED.sub(lambda m: m.group(0).replace("、", _HELD_MARK), question)
    parts = _compared_parts(held, genre)
    if parts is None or held == question:
        return parts
    return [side.replace(_HELD_MARK, "、") for side in parts[0]], parts[1].replace(_HELD_MARK, "、")


_QUOTED = re.compile(r"“[^“”]{1,30}”|「[^「」]{1,30}」|\"[^\"]{1,30}\"")
_HELD_MARK = "\u2063"  # an invisible separator standing for a quoted 顿号 while the sides are read


def _compared_parts(question: str, genre: Genre | None = None) -> tuple[list[str], str] | None:
    """("A和B的X有什么不同") -> ([A, B], "X有什么不同"): what is compared, and the rest of the question;
    three or more places listed (A、B和C的X) are as many sides.
    A second side that names a document by its subject takes the genre word that ends its name
    ("…和加快旅游业发展的若干意见，…": the side is the 若干意见, not 加快旅游业发展)."""
    listed = _LISTED.match(question.strip())
    if listed:  # 上海、南京和重庆的…: three or more places
        sides = [x.strip() for x in re.split(r"、|和|与|跟|以及|及", listed.group("sides"))]
        if len(sides) >= 3 and all(is_place(x) for x in sides):
            return sides, _SIDES_END.sub("", listed.group("rest"))
    m = _COMPARED.match(question.strip())
    if not m and (pair := _PLACE_PAIR.match(question.strip())) and is_place(pair.group("a")):
        # two places, what is asked of both listing its parts (阿坝州和广东省管政务数据、公共数据的…):
        # the second side is the place its words open with
        tail = pair.group("tail")
        if (place := opening_place(tail)) not in ("", tail) and not tail[len(place):].startswith(("、", "和")):
            return [pair.group("a"), place], _SIDES_END.sub("", tail[len(place):])
    if not m or not all(_names_side(x, genre) for x in (m.group("a"), m.group("b"))):
        # the subject said first (政务数据要是有错，阿坝州和广东省各自让人怎么办): the sides follow its comma,
        # each a place or a document (…的电商意见, …的办法), not two things of the subject (首套和二套) —
        # nor two words of the subject joined by 和, 及 or 、 (大学和科研院所拿到政府数据…，阿坝州和广东省
        # 对…各有什么限制; 在数据跨区域、跨境流动上，广东…办法和上海…办法各自…), which a later pair of places
        # or documents outranks
        topic, comma, tail = _topic_first(question.strip())
        later = _compared_parts(tail, genre) if comma and len(topic) >= 2 else None
        # each later side a place, a document by its genre word, or a name opening with a place (包头的数字政府
        # 考评) — not _names_side's central body, which after the subject opens a phrase more often than a
        # name (…，国务院2018年放管服分工方案定的目标和包头…的要求各是什么)
        if later is not None and all(is_place(x) or _GENRE_WORD.search(x) or opening_place(x) for x in later[0]):
            return later[0], f"{topic}{comma}{later[1]}"
        if not m:
            return None
    b, rest = m.group("b").strip(), m.group("rest")
    end = _DOCUMENT_END.match(rest)
    # the first side names a document: so does the second, also when it opens with its place (深圳的…行动计划);
    # a second side that is a central body or 国家 names its document too (包头和国家的放管服方案)
    if end and (_GENRE_WORD.search(m.group("a")) or _central(b, genre)):
        b, rest = b + end.group(0), rest[end.end():]
    elif (is_place(m.group("a").strip()) and not _GENRE_WORD.search(b) and (place := opening_place(b)) not in ("", b)
          and _opens_with_verb(b[len(place):], genre)):
        # a place followed by what is asked of both (阿坝州和包头推动政务数据开放，各自…): the side is the place
        # (not 上海临港, 广西全区, 南京都市圈: a part of the place)
        b, rest = place, b[len(place):] + rest
    rest = _SIDES_END.sub("", rest)
    return [m.group("a").strip(), b], rest


# the word that distributes the asking over the sides (分别, 各自, and 各 before a verb or question word:
# 各是哪些部门, 各由谁负责; not 各区, 各部门, which name the parts of a place)
_EACH = r"(?:分别|各自|各(?=是|为|由|归|[谁哪]))"
# what is asked of each side: who is responsible (由谁负责, 归哪个部门管), or which bodies, named by their kind
# (是哪些部门, 是哪个单位) — the question's earlier clause then says for what (人才身份由谁来认定审核，…各是哪些部门)
# (是由哪个部门来定编制要求的: the bodies, then what they do)
_EACH_RESPONSIBLE = re.compile(rf"^{_EACH}(?P<ask>(?:(?:是由|由|归|交给|交由)(?:谁|哪)[^，。？?]{{0,12}}|"
                               r"(?:是)?(?:谁|哪)[^，。？?]{0,8}(?:负责|牵头|统筹|主管|管|监管|承担|落实)"
                               r"[^，。？?]*|(?:是由|是|为|由)?(?:哪些|哪个|哪几个|哪一个|什么)(?:部门|单位|机构|机关)"
                               r"(?:来|去)?[^，。？?]{0,16})[？?。]?)$")


def _topic_first(question: str) -> tuple[str, str, str]:
    """The question cut at its first comma, colon or inner question mark: what it asks about said
    first (电子证照这块，包头…和广东…分别…; 能不能花钱请外面的公司来做？阿坝州和广东的…各是怎么规定的),
    the break, and the rest, where the sides may stand. ("", "", question) when there is no break."""
    m = re.search(r"[，,：:？?](?=.)", question)
    return (question[: m.start()], m.group(0), question[m.end():]) if m else ("", "", question)


def _names_side(text: str, genre: Genre | None) -> bool:
    """A side of a comparison names a place or a document: a place, a place it opens with, a central
    body, or a kind of document it ends in (…的实施意见)."""
    text = text.strip()
    return bool(is_place(text) or opening_place(text) or _central(text, genre) or _GENRE_WORD.search(text))


def _opens_with_verb(text: str, genre: Genre | None) -> bool:
    """The text's first word is a verb (jieba's tags v, vd, vn: 推动, 推进, 支持)."""
    first = _first_word(text, genre)
    return first is not None and first.flag.startswith("v")


def responsibility_sides(question: str, genre: Genre | None = None) -> list[str] | None:
    """"阿坝州和广东省的政务数据分别由哪个部门负责" -> each side asked alone ("阿坝州的政务数据由哪个部门负责",
    "广东省的政务数据由哪个部门负责"); a side without the place the first one opens with takes it
    ("广州公租房和人才入户分别由谁负责" -> "广州人才入户由谁负责"). None when the question asks no such pair."""
    parts = compared_parts(question, genre)
    if parts is None:
        return None
    (a, *others), rest = parts
    m = re.match(rf"^(?P<shared>.*?)(?P<each>{_EACH}.*)$", rest)
    each = _EACH_RESPONSIBLE.match(m.group("each")) if m else None
    if m is None or each is None:
        return None
    shared, ask = m.group("shared"), each.group("ask")
    place = opening_place(a)  # a side opening with a place of its own keeps it (成都…细则和广州…细则)
    others = [place + b if place and not is_place(b) and not opening_place(b) else b for b in others]
    return [f"{side}{'的' if shared and not shared.startswith('的') else ''}{shared}{ask}" for side in (a, *others)]


SIDE_VIEWS = 4  # clauses of a side's documents read for an open comparison (twice as many when headings sort them)
SIDE_CLAUSES = 3  # clauses shown for one side
SIDE_SENTENCES = 3  # sentences quoted of a clause its document files under the compared subject
RARE_SHARE = 0.1  # a compared word at most this share of a side's clauses write is what singles one out
RUN_IN_MAX = 12  # characters of a run-in title sentence (智能机器人。), quoted with the sentence it heads


def compared_subject(rest: str, open_cue: str) -> tuple[str, list[str]]:
    """("支持芯片企业的做法有什么不同") -> ("支持芯片企业的", ["做法有什么不同"]): the subject each side is
    searched with, and the words that ask how the sides differ (`open_comparison`), which no clause says."""
    asking = [m.group(0) for m in re.finditer(open_cue, rest) if m.group(0)]
    subject = re.sub(open_cue, "", rest)
    subject = re.sub(r"(上|方面|之间|的)?[？?。!！]*$", "", subject).strip()
    return subject or rest, asking


def side_sentences(view: View, words: list[str], subject: str, weight: Callable[[str], float], *,
                   genre: Genre, filed: bool = False, kind: dict | None = None) -> list[tuple[int, int, str]]:
    """The sentences of a side's clause that say what is compared (see `said_sentences`); a run-in
    title (智能机器人。) with the sentence it heads; of a clause its document files under the subject
    (its heading names it: 积极发展农村电子商务), up to SIDE_SENTENCES sentences that say it. `kind`: the
    kind of fact the comparison asks of each side (目标分别是多少, 规模各是多少): when none of those
    sentences states one, the clause's sentence that says a compared word and states it is added —
    the figure, not only the sentence richest in the compared words."""
    from rag.compose import coverage, is_heading, sentences, states_kind

    picked = said_sentences(view, words, subject, weight, genre=genre)
    sents = [s for s in sentences(view) if not is_heading(view, s[2])] or sentences(view)
    if kind is not None and picked and not any(states_kind(kind, p[2], genre=genre) for p in picked):
        stating = [(coverage(words, s[2], weight, genre=genre), s) for s in sents
                   if s not in picked and states_kind(kind, s[2], genre=genre)]
        said, best = max(stating, key=lambda t: (t[0], -t[1][0]), default=(0.0, None))
        if best is not None and said > 0:
            picked = sorted([*picked, best])
    if filed and words and picked:
        more = [s for s in sents if s not in picked and coverage(words, s[2], weight, genre=genre) > 0]
        picked = sorted([*picked, *more[: max(0, SIDE_SENTENCES - len(picked))]])
    for s in list(picked):
        if _run_in_title(s[2]):
            after = next((t for t in sents if t[0] >= s[1]), None)
            if after is not None and after not in picked:
                picked = sorted([*picked, after])
    return picked


def _run_in_title(sentence: str) -> bool:
    """A sentence that only names its item (智能机器人。): short, one phrase, no clause of its own."""
    bare = sentence.strip().rstrip("。.：:")
    return 0 < len(bare) <= RUN_IN_MAX and not re.search(r"[，,；;、]", bare)


def said_sentences(view: View, words: list[str], subject: str, weight: Callable[[str], float], *,
                   genre: Genre) -> list[tuple[int, int, str]]:
    """The sentences of a side's clause that say what is compared: the one saying most of the compared
    words (rarity-weighted, synonyms and everyday words counted: 买房 by 购房, 落户 by 户口), and a second
    one when it says a compared word the first does not — "对生育二孩、三孩的家庭在城镇购买新建商品住房的…"
    after "…提供生育补助", "…申请办理户口迁移" after the sentence on 购房补贴 — in text order."""
    from rag.compose import best_sentences, coverage, is_heading, sentences

    if not words:
        return best_sentences(view, subject, 1)
    sents = [s for s in sentences(view) if not is_heading(view, s[2])] or sentences(view)
    if not sents:
        return []
    said = {s: coverage(words, s[2], weight, genre=genre) for s in sents}
    first = max(sents, key=lambda s: (said[s], -s[0]))
    if said[first] == 0:
        return best_sentences(view, "".join(words) or subject, 1)
    missing = [w for w in words if coverage([w], first[2], genre=genre) < 1.0]
    second = max((s for s in sents if s != first), default=None,
                 key=lambda s: (coverage(missing, s[2], weight, genre=genre) if missing else 0.0, said[s], -s[0]))
    if second is None or not missing or coverage(missing, second[2], weight, genre=genre) == 0:
        return [first]
    both = coverage(words, first[2] + second[2], weight, genre=genre)
    return sorted([first, second]) if both > said[first] else [first]


def asks_support(subject: str, *, genre: Genre) -> bool:
    """The compared subject asks what each side gives (intents.yaml `support_comparison`: 支持, 帮, 给钱),
    not what it requires or who does it."""
    return bool(re.search(genre.data("intents").get("support_comparison") or "$^", subject))


def offers_support(text: str, *, genre: Genre) -> bool:
    """The clause offers something of a support kind (support.yaml: 补贴, 税收优惠, 券…), as the graph's
    support extraction reads it."""
    from kg.extract.support import kind_of

    return kind_of(text, genre=genre) is not None


def own_clause(sentence: str, *, genre: Genre) -> bool:
    """A provision about the document's own application — a closing one (本政策如与…不一致, 按就高不重复
    原则, 由…负责解释), or its purpose, scope or issuing notice (intents.yaml `own_provisions`: …制定本细则,
    本细则适用于…, 现将《…》印发给你们): it says how the document applies, not what it does, and is no
    side's answer."""
    own = genre.data("intents").get("own_provisions") or []
    return any(re.search(p, sentence) for p in own)


def adds_to_side(asked: list[str], said: list[str], text: str) -> bool:
    """A further clause of one side says a compared word the side's clauses shown so far do not
    ("买房落户或者购房资格": the clause on 落户 after the one on 购房资格), not the same thing again."""
    before = "".join(said)
    return any(w in text and w not in before for w in asked)


def compared_focus(focus: list[str], names: list[str], rest: str = "") -> list[str]:
    """The content words of an open comparison that say what is compared: the question's words less
    those inside the names of the sides ("安康高新区" gives 高新区, which is no subject) — unless the
    rest of the question says them too (农村电商这块，国务院的电商意见和…: 电商 is the subject as well)."""
    return [w for w in focus if w in rest or not any(w in n for n in names)]


def side_answers(ctx: Context, asked: list[str], text: str, *, genre: Genre) -> bool:
    """A side's clause answers the comparison when it says enough of what is compared (the share a
    fallback answer needs): the best clause of a side whose documents do not treat the subject is
    about something else, and is not shown as that side's answer."""
    from rag.compose import coverage, settings_data

    if not asked:
        return True
    need = settings_data(genre)["fallback_min_coverage"]
    return coverage(asked, text, ctx.term_weight, genre=genre) >= need


def innermost(places: list[str]) -> list[str]:
    """The places a question names less those enclosing another it names (安康市 of 安康市汉滨区, 浙江
    of 浙江杭州): the innermost is where the question is asked about."""
    from rag.places import encloses

    return [p for p in places if not any(q != p and encloses(p, q) for q in places)]


def is_place(name: str) -> bool:
    """The phrase names a place of China (the jionlp gazetteer), not a document."""
    from rag.places import locate

    return locate(name) is not None


def said_by(citations: list[Citation]) -> str:
    """What an answer's citations say: their quotes, and the titles of the documents they cite, which
    say what those documents are about (市里那个AI终端行动计划有没有推产品的办法: 行动计划 is said by the
    cited 《…行动计划》 though no quoted sentence repeats it)."""
    titles = "".join(dict.fromkeys(c.title or "" for c in citations))
    return "".join(c.quote or "" for c in citations) + "\0" + titles


def _dense_by_measure(dense: list[Hit], fused: list[Hit]) -> dict[str, float]:
    """Cosine of the question to each measure the dense signal returned (its best piece)."""
    out: dict[str, float] = {}
    for h in dense:
        out[h.measure_id] = max(out.get(h.measure_id, 0.0), float(h.score))
    for h in fused:
        if "dense" in h.scores:
            out[h.measure_id] = max(out.get(h.measure_id, 0.0), float(h.scores["dense"]))
    return out


def _restrict_graph(graph: GraphResult, allowed: set[str], policy_of: Callable[[str], str | None]) -> None:
    """Keep only the graph facts of the allowed policies (a scoped question)."""
    def ok(row: dict) -> bool:
        pid = row.get("policy_id") or (policy_of(row["measure_id"]) if row.get("measure_id") else None)
        return pid is None or pid in allowed

    graph.hits = [h for h in graph.hits if (policy_of(h.measure_id) or "") in allowed]
    graph.supports = [r for r in graph.supports if ok(r)]
    graph.targets = [r for r in graph.targets if ok(r)]
    graph.duties = [r for r in graph.duties if ok(r)]
    graph.deadlines = [r for r in graph.deadlines if ok(r)]
    graph.policies = [r for r in graph.policies if (r.get("id") or r.get("policy_id")) in allowed]


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(timings.get(stage, 0.0) + (time.perf_counter() - t0) * 1000, 2)


_LABEL_NUMBER = re.compile(r"^\s*(?:第[一二三四五六七八九十百零\d]+[条章节]|[（(]?[一二三四五六七八九十百零\d]+[)）、.．]?)\s*")


def lexicon_from_chunks(chunks: list, *, genre: Genre) -> Lexicon:
    """A lexicon from the index alone (graph down): policies and measure titles, no departments."""
    policies: dict[str, dict] = {}
    measures: dict[str, dict] = {}
    for c in chunks:
        policies.setdefault(c.policy_id, {"id": c.policy_id, "title": getattr(c, "title", ""),
                                          "doc_no": getattr(c, "doc_no", None), "city": c.city})
        title = _LABEL_NUMBER.sub("", getattr(c, "measure", "") or "")
        if title and getattr(c, "kind", "measure") == "measure":
            measures.setdefault(c.measure_id, {"id": c.measure_id, "title": title, "policy_id": c.policy_id,
                                               "city": c.city})
    return build_lexicon(policies=list(policies.values()), measures=list(measures.values()), genre=genre)


def text_sources(policies: list[dict]) -> dict[str, str]:
    """policy id -> how its text was obtained, for the policies whose text is not plain text."""
    return {p.get("id"): p.get("text_source") for p in policies if p.get("text_source")}


def mark_text_sources(citations: list, policies: list[dict] | dict[str, str]) -> None:
    """Each citation of a policy whose text was recognised from a scan says so (「OCR识别」): its quote
    may carry recognition errors, and a reader should check it against the scan. `policies`: the
    policies, or their `text_sources` computed once."""
    sources = policies if isinstance(policies, dict) else text_sources(policies)
    for c in citations:
        c.text_source = sources.get(c.policy_id) or c.text_source


def _merge_chunks(chunks: list) -> View:
    """A split measure's pieces back into one view (pieces are contiguous body spans)."""
    chunks = sorted(chunks, key=lambda c: c.start)
    first = view_from_chunk(chunks[0])
    text = first.text
    for c in chunks[1:]:
        body = view_from_chunk(c)
        gap = body.start - (first.start + len(text))
        if gap < 0:
            break
        text += " " * gap + body.text  # whitespace between pieces; never quoted across
    first.text = text
    return first


def subgraph_from_rows(rows: list[dict]) -> dict:
    """measure_neighbourhood rows (one per edge) as {"nodes": [...], "edges": [...]}."""
    nodes: dict[str, dict] = {}
    edges: list[dict] = []
    for r in rows:
        for side in ("source", "target"):
            nid = r.get(side)
            if nid:
                nodes.setdefault(nid, {"id": nid, "label": r.get(f"{side}_label"), "name": r.get(f"{side}_name")})
        if r.get("source") and r.get("target"):
            edges.append({"source": r["source"], "target": r["target"], "type": r.get("rel")})
    return {"nodes": list(nodes.values()), "edges": edges}


def subgraph_from_facts(measure_ids: list[str], graph: GraphResult | None, views: dict[str, View]) -> dict:
    """Policy -> measure -> departments / support / targets, from the facts already fetched."""
    nodes: dict[str, dict] = {}
    edges: list[dict] = []

    def node(nid: str, label: str, name: str) -> None:
        nodes.setdefault(nid, {"id": nid, "label": label, "name": name})

    for mid in measure_ids:
        v = views.get(mid)
        if v is None:
            continue
        node(v.policy_id, "Policy", v.policy)
        node(mid, "Measure", v.label)
        edges.append({"source": v.policy_id, "target": mid, "type": "CONTAINS"})
        if graph is None:
            continue
        for d in graph.departments.get(mid, []):
            node(d["id"], "Department", d["name"])
            edges.append({"source": mid, "target": d["id"], "type": "RESPONSIBLE", "role": d.get("role")})
        for s in graph.supports:
            if s.get("measure_id") == mid and s.get("id"):
                node(s["id"], "Support", s.get("kind") or "支持")
                edges.append({"source": mid, "target": s["id"], "type": "OFFERS"})
        for t in graph.targets:
            if t.get("measure_id") == mid and t.get("id"):
                node(t["id"], "Target", t.get("metric") or "目标")
                edges.append({"source": mid, "target": t["id"], "type": "SETS"})
    return {"nodes": list(nodes.values()), "edges": edges}
