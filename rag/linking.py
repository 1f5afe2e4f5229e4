"""Link a question to graph entities: cities, departments, years, support kinds, beneficiaries, topics,
policies (title or 文号) and measures (quoted or best-overlapping title).

The vocabulary comes from two places: genre/data/linking.yaml (how people name cities, beneficiaries,
kinds of support — the genre) and the graph itself (departments with their aliases, policy and measure
titles), so that the departments and measures of documents never seen before link too.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from genre import DATA_DIR as GENRE_DATA_DIR
from genre import genre_cached, read_data

DATA_DIR = GENRE_DATA_DIR
MAX_QUESTION_CHARS = 500  # questions are capped before linking: a question, not a document

_QUOTED = re.compile(r"[“\"「『《‘']([^”\"」』》’']{2,60})[”\"」』》’']")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)\s*(?:年)?")
_DOC_NO = re.compile(r"([\u4e00-\u9fa5]{1,12})\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d{1,4})\s*号")


@dataclass
class Link:
    """One entity found in the question, with where it was found."""

    kind: str  # city | unknown_city | department | year | support_kind | beneficiary | topic | policy | doc_no | measure
    value: str  # canonical name, year, policy id or measure id
    mention: str  # as written in the question
    start: int = -1
    end: int = -1
    score: float = 1.0
    city: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Linked:
    """Everything linked in one question; `text` is the normalised (simplified, capped) question."""

    text: str
    links: list[Link] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[Link]:
        return [lk for lk in self.links if lk.kind == kind]

    def values(self, kind: str) -> list[str]:
        """Distinct canonical values of one kind, in order of appearance."""
        out: list[str] = []
        for lk in self.of(kind):
            if lk.value not in out:
                out.append(lk.value)
        return out

    @property
    def cities(self) -> list[str]:
        return self.values("city")

    def covered_spans(self) -> list[tuple[int, int]]:
        return [(lk.start, lk.end) for lk in self.links if lk.start >= 0]


@dataclass
class Lexicon:
    """The names a question can be linked to; built once per graph state."""

    cities: dict[str, list[str]]  # canonical -> written forms
    city_abbreviations: dict[str, str]
    districts: dict[str, list[str]]  # city -> district names
    beneficiaries: dict[str, list[str]]
    support_kinds: dict[str, list[str]]
    topics: dict[str, list[str]]
    corpus_cities: set[str] = field(default_factory=set)  # cities with at least one policy
    departments: list[dict] = field(default_factory=list)  # {id, name, city, aliases}
    policies: list[dict] = field(default_factory=list)  # {id, title, doc_no, city}
    measures: list[dict] = field(default_factory=list)  # {id, title, policy_id, city, number}


@genre_cached
def genre_vocabulary() -> dict:
    """The YAML vocabulary (read once)."""
    return read_data("linking")


@cache
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def normalise(question: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """Simplified Chinese, full-width letters/digits folded, whitespace collapsed, capped in length."""
    import unicodedata

    text = unicodedata.normalize("NFKC", question or "")
    text = re.sub(r"\s+", " ", text).strip()[:limit]
    return _t2s().convert(text) if text else text


def build_lexicon(departments: list[dict] | None = None, policies: list[dict] | None = None,
                  measures: list[dict] | None = None, topics: list[str] | None = None) -> Lexicon:
    """Merge the genre vocabulary with names read from the graph (or from the index when it is down)."""
    voc = genre_vocabulary()
    topic_map = {k: list(v) for k, v in (voc.get("topics") or {}).items()}
    for name in topics or []:
        if name and not any(name == k or name in v for k, v in topic_map.items()):
            topic_map[name] = [name]
    cities = {k: list(v) for k, v in voc["cities"].items()}
    pols = [p for p in policies or [] if p.get("id")]
    corpus_cities = {p["city"] for p in pols if p.get("city")}
    for city in corpus_cities:  # a city the YAML does not know still links when the corpus has it
        cities.setdefault(city, [city, f"{city}市"])
    return Lexicon(
        cities=cities,
        city_abbreviations=dict(voc.get("city_abbreviations") or {}),
        districts={k: list(v) for k, v in (voc.get("districts") or {}).items()},
        beneficiaries={k: list(v) for k, v in voc["beneficiaries"].items()},
        support_kinds={k: list(v) for k, v in voc["support_kinds"].items()},
        topics=topic_map,
        corpus_cities=corpus_cities,
        departments=[d for d in departments or [] if d.get("name")],
        policies=pols,
        measures=[m for m in measures or [] if m.get("id") and m.get("title")],
    )


# -- character n-grams: fuzzy title matching --------------------------------------------------------

_NON_HAN = re.compile(r"[^\u4e00-\u9fa5A-Za-z0-9]+")


def bigrams(text: str) -> list[str]:
    """Character bigrams of the Chinese/alphanumeric runs of `text` (punctuation breaks runs)."""
    out: list[str] = []
    for run in _NON_HAN.split(text or ""):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


class TitleMatcher:
    """Scores how much of each title a text contains, weighting rare bigrams more (IDF over titles).

    A title is matched when most of its distinctive bigrams occur in the question, so colloquial
    questions that reuse the key words of a measure ("开源供应链风险谁管") find it without quotes.
    """

    def __init__(self, items: list[dict], key: str = "title") -> None:
        self.items = items
        self.key = key
        self.grams = [set(bigrams(self._clean(it.get(key) or ""))) for it in items]
        df = Counter(g for gs in self.grams for g in gs)
        n = max(len(items), 1)
        self.idf = {g: math.log(1 + n / c) for g, c in df.items()}

    @staticmethod
    def _clean(title: str) -> str:
        # Brackets carry periods and 文号, not meaning: drop them before matching.
        return re.sub(r"[（(][^）)]*[）)]", "", title)

    def scores(self, text: str) -> list[tuple[dict, float, float]]:
        """(item, containment 0..1, matched weight) for every item with any overlap, best first."""
        q = set(bigrams(text))
        out = []
        for item, gs in zip(self.items, self.grams, strict=True):
            if not gs:
                continue
            total = sum(self.idf[g] for g in gs)
            hit = sum(self.idf[g] for g in gs if g in q)
            if hit > 0:
                out.append((item, hit / total, hit))
        out.sort(key=lambda t: (t[1] * min(t[2], 8.0), t[2]), reverse=True)
        return out


# -- the linker ---------------------------------------------------------------------------------------



def _free_spans(text: str, forms, taken: list[tuple[int, int]]):
    """(form, key, span) for each occurrence of a form not inside a span already taken, longest forms first;
    each span yielded is taken."""
    for form, key in sorted(forms, key=lambda t: len(t[0]), reverse=True):
        for i in _find_all(text, form):
            span = (i, i + len(form))
            if not _overlaps(span, taken):
                taken.append(span)
                yield form, key, span


def _find_all(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while needle and i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


class Linker:
    """Finds the entities of the lexicon in a question; longest names win over the names they contain."""

    measure_threshold = 0.6  # share of a measure title's weighted bigrams present in the question
    policy_threshold = 0.45

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.measure_matcher = TitleMatcher(lexicon.measures)
        self.policy_matcher = TitleMatcher(lexicon.policies)

    def link(self, question: str) -> Linked:
        text = normalise(question)
        linked = Linked(text=text, quoted=[m.group(1).strip() for m in _QUOTED.finditer(text)])
        taken: list[tuple[int, int]] = []
        self._link_doc_nos(linked, taken)
        self._link_departments(linked, taken)
        self._link_cities(linked, taken)
        self._link_districts(linked, taken)
        self._link_names(linked, taken, "beneficiary", self.lexicon.beneficiaries)
        self._link_names(linked, taken, "support_kind", self.lexicon.support_kinds)
        self._link_names(linked, taken, "topic", self.lexicon.topics, exclusive=False)
        self._link_years(linked)
        self._link_policies(linked)
        self._link_measures(linked)
        linked.links.sort(key=lambda lk: (lk.start if lk.start >= 0 else 10**6))
        return linked

    # each step appends to linked.links and records the spans it consumed
    def _link_doc_nos(self, linked: Linked, taken: list[tuple[int, int]]) -> None:
        by_no = {_doc_no_key(p.get("doc_no") or ""): p for p in self.lexicon.policies if p.get("doc_no")}
        for m in _DOC_NO.finditer(linked.text):
            key = _doc_no_key(m.group(0))
            policy = by_no.get(key)
            linked.links.append(Link("doc_no", policy["id"] if policy else key, m.group(0), m.start(), m.end(),
                                     city=policy.get("city") if policy else None,
                                     extra={"found": bool(policy), "doc_no": policy.get("doc_no") if policy else key}))
            taken.append((m.start(), m.end()))

    def _link_departments(self, linked: Linked, taken: list[tuple[int, int]]) -> None:
        names: list[tuple[str, dict]] = []
        for dept in self.lexicon.departments:
            forms = {dept["name"], *(dept.get("aliases") or [])}
            names.extend((f, dept) for f in forms if f and len(f) >= 2)
        names.sort(key=lambda t: len(t[0]), reverse=True)
        found: dict[tuple[int, int], list[dict]] = {}
        for form, dept in names:
            for i in _find_all(linked.text, form):
                span = (i, i + len(form))
                if span in found:
                    found[span].append(dept)
                elif not _overlaps(span, taken):
                    found[span] = [dept]
                    taken.append(span)
        self._link_abbreviated_departments(linked, taken, found)
        for (s, e), depts in sorted(found.items()):
            for dept in {d.get("id") or d["name"]: d for d in depts}.values():
                linked.links.append(Link("department", dept["name"], linked.text[s:e], s, e,
                                         city=dept.get("city"), extra={"id": dept.get("id")}))

    def _link_abbreviated_departments(self, linked: Linked, taken: list[tuple[int, int]],
                                      found: dict[tuple[int, int], list[dict]]) -> None:
        """Abbreviations people write (市人社局 for 市人力资源社会保障局): a department-shaped word whose
        characters appear in order in a known name, with the same first and last character."""
        for m in _DEPT_SHAPE.finditer(linked.text):
            span = m.span()
            if _overlaps(span, taken):
                continue
            word = m.group(0)
            matches = [d for d in self.lexicon.departments
                       if any(_abbreviates(word, f) for f in {d["name"], *(d.get("aliases") or [])})]
            if matches:
                found[span] = matches
                taken.append(span)

    def _link_cities(self, linked: Linked, taken: list[tuple[int, int]]) -> None:
        forms = ((f, c) for c, fs in self.lexicon.cities.items() for f in {c, *fs})
        for form, city, span in _free_spans(linked.text, forms, taken):
            self._add_city(linked, city, form, span)
        abbreviations = self.lexicon.city_abbreviations
        if any(a in linked.text for a in abbreviations):
            for word, start in _segment(linked.text):
                # a word of abbreviations only: 沪, or 沪宁渝 (several cities at once)
                if not 1 <= len(word) <= 4 or not all(ch in abbreviations for ch in word):
                    continue
                if len(word) > 1 and len(set(word)) < len(word):
                    continue
                for i, ch in enumerate(word):
                    span = (start + i, start + i + 1)
                    if not _overlaps(span, taken):
                        taken.append(span)
                        self._add_city(linked, abbreviations[ch], ch, span)

    def _add_city(self, linked: Linked, city: str, mention: str, span: tuple[int, int]) -> None:
        known = not self.lexicon.corpus_cities or city in self.lexicon.corpus_cities
        linked.links.append(Link("city" if known else "unknown_city", city, mention, *span, city=city))

    def _link_districts(self, linked: Linked, taken: list[tuple[int, int]]) -> None:
        forms = ((f, c) for c, fs in self.lexicon.districts.items() for f in fs)
        for form, city, span in _free_spans(linked.text, forms, taken):
            linked.links.append(Link("district", form, form, *span, city=city))

    def _link_names(self, linked: Linked, taken: list[tuple[int, int]], kind: str,
                    vocab: dict[str, list[str]], exclusive: bool = True) -> None:
        forms = sorted(((f, k) for k, fs in vocab.items() for f in {k, *fs}), key=lambda t: len(t[0]),
                       reverse=True)
        lowered = linked.text.lower()
        mine: list[tuple[int, int]] = []
        for form, canonical in forms:
            for i in _find_all(lowered, form.lower()):
                span = (i, i + len(form))
                if _overlaps(span, mine) or (exclusive and _overlaps(span, taken)):
                    continue
                mine.append(span)
                linked.links.append(Link(kind, canonical, linked.text[i : span[1]], *span))
        if exclusive:
            taken.extend(mine)

    def _link_years(self, linked: Linked) -> None:
        for m in _YEAR.finditer(linked.text):
            if not _overlaps((m.start(), m.end()), [(lk.start, lk.end) for lk in linked.of("doc_no")]):
                linked.links.append(Link("year", m.group(1), m.group(0), m.start(), m.end()))

    def _link_policies(self, linked: Linked) -> None:
        for policy_id in linked.values("doc_no"):
            if any(p["id"] == policy_id for p in self.lexicon.policies):
                linked.links.append(Link("policy", policy_id, policy_id, score=1.0))
        if linked.of("policy"):
            return
        probes = [*linked.quoted, linked.text]
        for probe in probes:
            best = self._best_policy(probe)
            if best:
                p, score = best
                linked.links.append(Link("policy", p["id"], probe if probe != linked.text else p.get("title", ""),
                                         score=round(score, 3), city=p.get("city")))
                return

    def _best_policy(self, probe: str) -> tuple[dict, float] | None:
        """The policy whose title the probe names: most of the title's weighted bigrams, or a clear
        lead in distinctive bigrams over every other title (abbreviated names: 智算云实施意见)."""
        ranked = self.policy_matcher.scores(probe)
        if not ranked:
            return None
        by_weight = sorted(ranked, key=lambda r: -r[2])
        top, runner = by_weight[0], (by_weight[1][2] if len(by_weight) > 1 else 0.0)
        if top[2] >= 6.0 and top[2] >= 2 * runner:
            return top[0], top[1]
        ranked = [r for r in ranked if r[1] >= self.policy_threshold and r[2] >= 4.0]
        if ranked and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= 0.1):
            return ranked[0][0], ranked[0][1]
        return None

    def _link_measures(self, linked: Linked) -> None:
        """Quoted phrases first (closest title); otherwise titles mostly contained in the question."""
        for phrase in linked.quoted:
            ranked = self.measure_matcher.scores(phrase)
            best = [r for r in ranked if _symmetric(phrase, r[0]["title"]) >= 0.5]
            best.sort(key=lambda r: _symmetric(phrase, r[0]["title"]), reverse=True)
            if best:
                top = _symmetric(phrase, best[0][0]["title"])
                for item, _, _ in best:
                    if _symmetric(phrase, item["title"]) >= top - 1e-9:
                        self._add_measure(linked, item, top, phrase)
        if linked.of("measure"):
            return
        ranked = [r for r in self.measure_matcher.scores(linked.text)
                  if r[1] >= self.measure_threshold and r[2] >= 3.0]
        if ranked:
            top = ranked[0][1]
            for item, score, _ in ranked:
                if score >= top - 0.05:
                    self._add_measure(linked, item, score, item["title"])

    def _add_measure(self, linked: Linked, item: dict, score: float, mention: str) -> None:
        i = linked.text.find(mention)
        linked.links.append(Link("measure", item["id"], mention, i, i + len(mention) if i >= 0 else -1,
                                 score=round(score, 3), city=item.get("city"),
                                 extra={"title": item["title"], "policy_id": item.get("policy_id")}))


_DEPT_SHAPE = re.compile(r"[市区县省][\u4e00-\u9fa5]{1,8}?(?:委员会|管委会|办公室|委|局|办|厅)")


def _abbreviates(word: str, name: str) -> bool:
    """`word` is a strict abbreviation of `name`: same first and last character, the rest in order."""
    if len(word) >= len(name) or word[0] != name[0] or word[-1] != name[-1]:
        return False
    it = iter(name)
    return all(ch in it for ch in word)


def _symmetric(a: str, b: str) -> float:
    """Dice overlap of two strings' bigram sets."""
    ga, gb = set(bigrams(a)), set(bigrams(b))
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0


def _doc_no_key(doc_no: str) -> str:
    """文号 with its brackets and spaces normalised: 沪府办〔2025〕33号 == 沪府办[2025]33号."""
    m = _DOC_NO.search(doc_no.replace(" ", ""))
    return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号" if m else doc_no.strip()


def doc_no_key(doc_no: str) -> str:
    return _doc_no_key(doc_no)


def _segment(text: str) -> list[tuple[str, int]]:
    """jieba words with their start offsets."""
    import jieba

    jieba.setLogLevel(60)
    return [(w, s) for w, s, _ in jieba.tokenize(text)]
