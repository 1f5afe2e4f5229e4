"""Link a question to graph entities: cities, departments, years, support kinds, beneficiaries, topics,
policies (title or 文号) and measures (quoted or best-overlapping title).

The vocabulary comes from two places: genre/data/linking.yaml (how people name cities, beneficiaries,
kinds of support — the genre) and the graph itself (departments with their aliases, policy and measure
titles), so that the departments and measures of documents never seen before link too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import ahocorasick
import numpy as np

from genre import DATA_DIR as GENRE_DATA_DIR
from genre import Genre, derived
from genre.text import collapse, to_simplified
from genre.words import joined_split_words

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


@derived
def genre_vocabulary(genre: Genre) -> dict:
    """The genre's linking vocabulary."""
    return genre.data("linking")


@derived
def _time_title(genre: Genre) -> re.Pattern:
    """A measure title naming only a time (linking.yaml `time_title`), compiled once per genre."""
    return re.compile(genre.data("linking").get("time_title") or "$^")


def normalise(question: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """Simplified Chinese, full-width letters/digits folded, whitespace collapsed, capped in length."""
    return to_simplified(collapse(question or "")[:limit])


def build_lexicon(departments: list[dict] | None = None, policies: list[dict] | None = None,
                  measures: list[dict] | None = None, topics: list[str] | None = None, *, genre: Genre) -> Lexicon:
    """Merge the genre vocabulary with names read from the graph (or from the index when it is down)."""
    voc = genre_vocabulary(genre)
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
    An inverted index (bigram -> titles holding it, as numpy arrays) means a question touches only the
    titles that share one of its bigrams instead of looping over every title of the corpus.
    """

    def __init__(self, items: list[dict], key: str = "title") -> None:
        self.items = items
        self.key = key
        grams = [sorted(set(bigrams(self._clean(it.get(key) or "")))) for it in items]
        vocab: dict[str, int] = {}
        for gs in grams:
            for g in gs:
                vocab.setdefault(g, len(vocab))
        df = np.zeros(len(vocab), dtype=np.int64)
        for gs in grams:
            for g in gs:
                df[vocab[g]] += 1
        n = max(len(items), 1)
        self.vocab = vocab
        self.idf = np.log1p(n / np.maximum(df, 1))
        self.size = np.array([len(gs) for gs in grams], dtype=np.int32)
        self.total = np.array([float(sum(self.idf[vocab[g]] for g in gs)) for gs in grams])
        # postings in CSR form: titles holding bigram g are indices[indptr[g]:indptr[g + 1]]
        self.indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=self.indptr[1:])
        fill = self.indptr[:-1].copy()
        self.indices = np.zeros(int(self.indptr[-1]), dtype=np.int32)
        for i, gs in enumerate(grams):
            for g in gs:
                gid = vocab[g]
                self.indices[fill[gid]] = i
                fill[gid] += 1
        self._title_ids: tuple[np.ndarray, list[str]] | None = None
        self.title_ids()  # built with the matcher, so a linker saved at ingest carries it

    @staticmethod
    def _clean(title: str) -> str:
        # Brackets carry periods and 文号, not meaning: drop them before matching.
        return re.sub(r"[（(][^）)]*[）)]", "", title)

    def weights(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(title indices with any overlap, matched IDF weight of each), from the postings of the
        text's bigrams only."""
        gids = [self.vocab[g] for g in set(bigrams(text)) if g in self.vocab]
        if not gids:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        hit = np.zeros(len(self.items))
        for gid in gids:
            hit[self.indices[self.indptr[gid]:self.indptr[gid + 1]]] += self.idf[gid]
        idx = np.flatnonzero(hit)
        return idx, hit[idx]

    def shared(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(title indices, number of distinct bigrams shared with the text)."""
        gids = [self.vocab[g] for g in set(bigrams(text)) if g in self.vocab]
        count = np.zeros(len(self.items), dtype=np.int32)
        for gid in gids:
            count[self.indices[self.indptr[gid]:self.indptr[gid + 1]]] += 1
        idx = np.flatnonzero(count)
        return idx, count[idx]

    def scores(self, text: str, min_containment: float = 0.0,
               min_weight: float = 0.0) -> list[tuple[dict, float, float]]:
        """(item, containment 0..1, matched weight) for items with any overlap (and at least the given
        containment and weight), best first; ties keep the items' order."""
        idx, hit = self.weights(text)
        if not len(idx):
            return []
        cont = hit / self.total[idx]
        keep = (cont >= min_containment) & (hit >= min_weight)
        idx, hit, cont = idx[keep], hit[keep], cont[keep]
        order = np.lexsort((idx, -hit, -(cont * np.minimum(hit, 8.0))))
        return [(self.items[int(idx[j])], float(cont[j]), float(hit[j])) for j in order]

    def __setstate__(self, state: dict) -> None:
        """A matcher saved before it carried its title ids builds them as it is loaded (the saved linker
        is loaded while the graph server starts), not at the first question naming a clause."""
        self.__dict__.update(state)
        if getattr(self, "_title_ids", None) is None:
            self.title_ids()

    def title_ids(self) -> tuple[np.ndarray, list[str]]:
        """(distinct-title id of each item, the distinct titles): many documents share a measure title
        (加强组织领导), so what depends on the title alone is computed once per title. Built on first
        use (a linker saved before it existed builds it then)."""
        found = getattr(self, "_title_ids", None)
        if found is None:
            ids: dict[str, int] = {}
            arr = np.array([ids.setdefault(it.get(self.key) or "", len(ids)) for it in self.items], dtype=np.int32)
            found = self._title_ids = (arr, list(ids))
        return found

    def top_by_weight(self, text: str, n: int = 2) -> list[tuple[dict, float, float]]:
        """The n items with the most matched weight (ties: item order)."""
        idx, hit = self.weights(text)
        order = np.lexsort((idx, -hit))[:n]
        return [(self.items[int(idx[j])], float(hit[j] / self.total[idx[j]]), float(hit[j])) for j in order]


# -- the linker ---------------------------------------------------------------------------------------



NATIONAL = "全国"


@cache
def gazetteer_forms() -> tuple[tuple[str, tuple[str, str | None, str | None]], ...]:
    """Every full place name of China (and two-character short names of provinces and cities) with its
    (province, city, county), from the gazetteer."""
    from corpus.jurisdiction import place_index

    return tuple(place_index().items())


@cache
def province_of(city: str, *, genre: Genre) -> str | None:
    """The province of a place named by its short or full name (广州 -> 广东省); None if unknown.

    The gazetteer automaton's own table answers first (a dictionary lookup); jionlp's parser, whose
    tables take a second or two to load, only for a name that table does not hold."""
    found = gazetteer_index().keys.get(city) if len(city) > 1 else None
    if found:
        return found[0][0]
    from corpus.jurisdiction import gazetteer_lookup

    j = gazetteer_lookup(city if len(city) > 1 else "", genre=genre)
    return j.province if j else None


_GAZETTEER: list[NameIndex] = []  # the gazetteer automaton a loaded linker brought along (see Linker)


def gazetteer_index() -> NameIndex:
    """The gazetteer's place names as one automaton (built once: the gazetteer does not change).

    Building it reads jionlp's tables (seconds); a linker saved at ingest carries it, and loading
    that linker makes it this process's, so a question never waits for jionlp."""
    if not _GAZETTEER:
        _GAZETTEER.append(NameIndex(gazetteer_forms(), min_len=2))
    return _GAZETTEER[0]


def place_aliases() -> dict[str, str]:
    from corpus.jurisdiction import place_aliases as aliases

    return aliases()


def use_gazetteer(index: NameIndex) -> None:
    """Adopt an automaton built from the same gazetteer (unpickled with a saved linker)."""
    if not _GAZETTEER:
        _GAZETTEER.append(index)


def short_name(name: str) -> str:
    from corpus.jurisdiction import short_name as short

    return short(name)


def named_cities(linked: Linked, corpus_cities: set[str]) -> list[str]:
    """The cities a question names: its linked cities, else the corpus cities its districts are in
    (临港新片区 names 上海): a district's question is a question about its city's documents."""
    return linked.cities or sorted({lk.city for lk in linked.of("district") if lk.city in corpus_cities})


def scope_of(cities: list[str], corpus_cities: set[str], *, genre: Genre) -> list[str]:
    """The places whose documents apply in `cities`: each city, its province (provincial documents)
    and the country (national documents), as far as the corpus has documents of them."""
    out: list[str] = []
    for city in cities:
        for place in (city, province_short(city, genre=genre), NATIONAL):
            if place and place not in out and (place == city or place in corpus_cities):
                out.append(place)
    return out


def province_short(city: str, *, genre: Genre) -> str | None:
    """The short name of the province holding the city (北海 -> 广西), the way the corpus names places."""
    province = province_of(city, genre=genre)
    return short_name(province) if province else None


class NameIndex:
    """An Aho–Corasick automaton over written forms: every occurrence of every form in one pass over
    the text, whatever the number of names (cost grows with the text, not with the corpus)."""

    def __init__(self, forms: Iterable[tuple[str, Any]], min_len: int = 1, lower: bool = False) -> None:
        self.lower = lower
        self.keys: dict[str, list[Any]] = {}
        for form, key in forms:
            form = form.lower() if lower and form else form
            if form and len(form) >= min_len:
                keys = self.keys.setdefault(form, [])
                if key not in keys:
                    keys.append(key)
        self.automaton = ahocorasick.Automaton()
        for form in self.keys:
            self.automaton.add_word(form, form)
        if self.keys:
            self.automaton.make_automaton()

    def occurrences(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, form) of every occurrence, longest forms first, then by position."""
        if not self.keys or not text:
            return []
        probe = text.lower() if self.lower else text
        found = [(end + 1 - len(form), end + 1, form) for end, form in self.automaton.iter(probe)]
        found.sort(key=lambda t: (t[0] - t[1], t[0]))
        return found

    def free_spans(self, text: str, taken: list[tuple[int, int]],
                   keep: Callable[[tuple[int, int]], bool] | None = None) -> Iterator[tuple[str, list[Any], tuple[int, int]]]:
        """(form, its keys, span) for each occurrence not inside a span already taken, longest forms
        first; each span yielded is taken. `keep`: whether a free span names its form there (a span
        it refuses is neither yielded nor taken, so a shorter form may be found in it)."""
        for s, e, form in self.occurrences(text):
            span = (s, e)
            if not _overlaps(span, taken) and (keep is None or keep(span)):
                taken.append(span)
                yield form, self.keys[form], span


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def _inside_word(text: str, span: tuple[int, int], words: list[tuple[str, int]]) -> bool:
    """The span cuts through a word of the text (jieba): it starts or ends inside a longer word.
    A short name found there is part of another word (会展 in 会展中心 is fine, 开放 in 公开放 is not)."""
    s, e = span
    for word, ws in words:
        we = ws + len(word)
        if ws < s < we or ws < e < we:
            return True
    return False


PLACE_DOCUMENT_LEAD = 1.5  # how much more of the question one title of the place must share than the next
# the least title weight (IDF over titles) it must share: one distinctive word (旅游, “十三五”, 公租房 through
# its defined full name), not a word many titles write (产业 in 《北京市产业政策导引》 and four others)
PLACE_DOCUMENT_WEIGHT = 3.0


class Linker:
    """Finds the entities of the lexicon in a question; longest names win over the names they contain.

    Everything that depends only on the lexicon (automata over names, inverted indexes over titles,
    文号 and abbreviation lookups) is built here once; `link` then costs what the question costs.
    A Linker pickles, so ingest builds it and saves it with the index generation.
    """

    measure_threshold = 0.6  # share of a measure title's weighted bigrams present in the question
    policy_threshold = 0.45
    short_name = 2  # names this short match only where they do not cut through a word of the question
    short_title = 4  # measure titles this short (characters, brackets removed) must be written out whole

    def __init__(self, lexicon: Lexicon, genre: Genre) -> None:
        self.lexicon = lexicon
        self.genre = genre  # the jurisdiction rules place names are read by (not pickled: see load_linker)
        self.measure_matcher = TitleMatcher(lexicon.measures)
        self.policy_matcher = TitleMatcher(lexicon.policies)
        self.by_doc_no = {_doc_no_key(p.get("doc_no") or ""): p for p in lexicon.policies if p.get("doc_no")}
        self.policy_ids = {p["id"] for p in lexicon.policies}
        # the gazetteer's automaton and short names, pickled with the linker: a loaded linker needs no jionlp
        self.places = gazetteer_index()
        self.place_aliases = place_aliases()
        self.department_names = NameIndex(
            ((f, i) for i, d in enumerate(lexicon.departments) for f in {d["name"], *(d.get("aliases") or [])}),
            min_len=2)
        self.department_chars = _char_postings(self.department_names.keys)
        # short names the documents define (以下简称) and their full names, each way: a question may
        # write either, and titles are matched with the other one added
        self.terms = NameIndex(term_pairs(lexicon.policies), min_len=2)
        self.city_names = NameIndex((f, c) for c, fs in lexicon.cities.items() for f in sorted({c, *fs}))
        self.district_names = NameIndex((f, c) for c, fs in lexicon.districts.items() for f in fs)
        self.vocabularies = {kind: NameIndex(((f, k) for k, fs in vocab.items() for f in sorted({k, *fs})), lower=True)
                             for kind, vocab in (("beneficiary", lexicon.beneficiaries),
                                                 ("support_kind", lexicon.support_kinds),
                                                 ("topic", lexicon.topics))}

    def __getstate__(self) -> dict:
        """The linker without its genre: a genre holds a lock and is the reader's to give (load_linker)."""
        state = self.__dict__.copy()
        state.pop("genre", None)
        return state

    def __setstate__(self, state: dict) -> None:
        """Unpickled at the first question: the gazetteer it carries becomes the process's own."""
        self.__dict__.update(state)
        if isinstance(state.get("places"), NameIndex):
            use_gazetteer(state["places"])
        if isinstance(state.get("place_aliases"), dict):
            from corpus.jurisdiction import adopt_aliases

            adopt_aliases(state["place_aliases"])

    def link(self, question: str) -> Linked:
        text = self.standard_forms(normalise(question))
        linked = Linked(text=text, quoted=[m.group(1).strip() for m in _QUOTED.finditer(text)])
        taken: list[tuple[int, int]] = []
        self._link_doc_nos(linked, taken)
        self._link_departments(linked, taken)
        self._link_cities(linked, taken)
        self._link_districts(linked, taken)
        self._link_places(linked, taken)
        self._link_country(linked, taken)
        self._link_names(linked, taken, "beneficiary")
        self._link_names(linked, taken, "support_kind")
        self._link_names(linked, taken, "topic", exclusive=False)
        self._link_years(linked)
        probe = self.with_terms(text)
        self._link_policies(linked, probe)
        self._drop_title_years(linked)
        self._link_measures(linked, probe)
        linked.links.sort(key=lambda lk: (lk.start if lk.start >= 0 else 10**6))
        return linked

    def _data(self, name: str) -> dict:
        """One of the genre's data files ({} for a linker unpickled without load_linker: it has no genre)."""
        genre = getattr(self, "genre", None)
        return genre.data(name) if genre is not None else {}

    def standard_forms(self, text: str) -> str:
        """The question with the standard term for each everyday numeral form (两个孩子 → 二孩, 每一万个人
        → 每万人口; linking.yaml `everyday_forms`): a word list cannot hold every numeral, and the clause
        writes the standard term. Everything after linking reads this text."""
        for form in self._data("linking").get("everyday_forms") or []:
            text = re.sub(form["pattern"], form["standard"], text)
        split = self._data("linking").get("split_word")
        return joined_split_words(text, split) if split and split != "$^" else text

    # each step appends to linked.links and records the spans it consumed
    def _link_doc_nos(self, linked: Linked, taken: list[tuple[int, int]]) -> None:
        for m in _DOC_NO.finditer(linked.text):
            key = _doc_no_key(m.group(0))
            policy = self.by_doc_no.get(key)
            linked.links.append(Link("doc_no", policy["id"] if policy else key, m.group(0), m.start(), m.end(),
                                     city=policy.get("city") if policy else None,
                                     extra={"found": bool(policy), "doc_no": policy.get("doc_no") if policy else key}))
            taken.append((m.start(), m.end()))

    def _link_departments(self, linked: Linked, taken: list[tuple[int, int]]) -> None:
        found: dict[tuple[int, int], list[dict]] = {}
        words: list[tuple[str, int]] | None = None
        for s, e, form in self.department_names.occurrences(linked.text):
            span = (s, e)
            if span in found or _overlaps(span, taken):
                continue
            if len(form) <= self.short_name:
                words = words if words is not None else _segment(linked.text)
                if _inside_word(linked.text, span, words):
                    continue
            found[span] = [self.lexicon.departments[i] for i in self.department_names.keys[form]]
            taken.append(span)
        self._link_abbreviated_departments(linked, taken, found)
        for (s, e), depts in sorted(found.items()):
            for dept in {d.get("id") or d["name"]: d for d in depts}.values():
                linked.links.append(Link("department", dept["name"], linked.text[s:e], s, e,
                                         city=dept.get("city"), extra={"id": dept.get("id")}))

    def _link_abbreviated_departments(self, linked: Linked, taken: list[tuple[int, int]],
                                      found: dict[tuple[int, int], list[dict]]) -> None:
        """Abbreviations people write (市人社局 for 市人力资源社会保障局): a department-shaped word whose
        characters appear in order in a known name, with the same first and last character. Only the
        names holding every character of the word are tried (a character index, rarest first)."""
        for m in _DEPT_SHAPE.finditer(linked.text):
            span = m.span()
            if _overlaps(span, taken):
                continue
            word = m.group(0)
            forms = [f for f in _holding_all(self.department_chars, word) if _abbreviates(word, f)]
            ids = sorted({i for f in forms for i in self.department_names.keys[f]})
            if ids:
                found[span] = [self.lexicon.departments[i] for i in ids]
                taken.append(span)

    def _link_cities(self, linked: Linked, taken: list[tuple[int, int]]) -> None:
        for form, cities, span in self.city_names.free_spans(linked.text, taken):
            self._add_city(linked, cities[0], form, span)
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
        corpus = self.lexicon.corpus_cities
        known = not corpus or city in corpus or bool(set(scope_of([city], corpus, genre=self.genre)) - {city, NATIONAL})
        linked.links.append(Link("city" if known else "unknown_city", city, mention, *span, city=city))

    def _link_places(self, linked: Linked, taken: list[tuple[int, int]]) -> None:
        """Any place of China the gazetteer knows (province, city, county) that the city vocabulary did
        not: a county or district stands for its city; a province for the corpus places within it.
        A place with no document of its own or of a place above it is linked as not covered. A name
        that cuts through a word of the question is not named there (海城市 in 北海城市内涝: 北海, 城市),
        so the place the words do name is found instead."""
        corpus = self.lexicon.corpus_cities
        if not corpus:
            return
        words: list[tuple[str, int]] = []  # the question's words, segmented once a name is found

        def whole(span: tuple[int, int]) -> bool:
            words[:] = words or _segment(linked.text)
            return not _inside_word(linked.text, span, words)

        for _form, keys, span in gazetteer_index().free_spans(linked.text, taken, keep=whole):
            form, (province, city, _county) = linked.text[span[0] : span[1]], keys[0]
            if city:
                self._add_city(linked, short_name(city), form, span)
                continue
            inside = [c for c in sorted(corpus) if c != NATIONAL and province_of(c, genre=self.genre) == province]
            if not inside:
                self._add_city(linked, short_name(province), form, span)
            for c in inside:
                linked.links.append(Link("city", c, form, *span, city=c))

    def _link_country(self, linked: Linked, taken: list[tuple[int, int]]) -> None:
        """国家 written as the state that rules (国家有啥要求, 国家层面, 按国家的说法, 国家那个电商意见) asks
        for the national documents, as 全国 does: without it a question naming no place is answered from
        whichever city's clause words it best. Only when the question names no place (a place's own
        question already reaches the national documents through its scope, and a second place would
        make it a comparison) and the corpus has national documents; 国家 inside a name or a grade
        (国家级, 国家艺术基金, 其他国家) is no such word (jurisdictions.yaml national.question_scope)."""
        cue = (self._data("jurisdictions").get("national") or {}).get("question_scope")
        if not cue or NATIONAL not in self.lexicon.corpus_cities:
            return
        if any(lk.kind in ("city", "unknown_city", "district") for lk in linked.links):
            return
        for m in re.finditer(cue.replace("{document_word}", self._document_word()), linked.text):
            span = (m.start(), m.end())
            if not _overlaps(span, taken):
                taken.append(span)
                linked.links.append(Link("city", NATIONAL, m.group(0), *span, city=NATIONAL))
                return

    def _link_districts(self, linked: Linked, taken: list[tuple[int, int]]) -> None:
        for form, cities, span in self.district_names.free_spans(linked.text, taken):
            linked.links.append(Link("district", form, form, *span, city=cities[0]))

    def _link_names(self, linked: Linked, taken: list[tuple[int, int]], kind: str, exclusive: bool = True) -> None:
        mine: list[tuple[int, int]] = []
        names = self.vocabularies[kind]
        for s, e, form in names.occurrences(linked.text):
            span = (s, e)
            if _overlaps(span, mine) or (exclusive and _overlaps(span, taken)):
                continue
            if kind == "support_kind" and not self._asks_money(linked.text, s, e):
                continue
            mine.append(span)
            linked.links.append(Link(kind, names.keys[form][0], linked.text[s:e], *span))
        if exclusive:
            taken.extend(mine)

    def _asks_money(self, text: str, start: int, end: int) -> bool:
        """An everyday word for money (linking.yaml `money_words`) names a kind of support only where the
        question asks to receive it; every other kind's word always does."""
        spec = self._data("linking").get("money_words") or {}
        if text[start:end] not in (spec.get("words") or []):
            return True
        return bool(re.search(spec["receiving_before"], text[:start])
                    or re.search(spec.get("receiving_after") or "$^", text[end:]))

    def _link_years(self, linked: Linked) -> None:
        for m in _YEAR.finditer(linked.text):
            if not _overlaps((m.start(), m.end()), [(lk.start, lk.end) for lk in linked.of("doc_no")]):
                linked.links.append(Link("year", m.group(1), m.group(0), m.start(), m.end()))

    @cached_property
    def policy_titles(self) -> dict[str, str]:
        """Policy id -> title: a lookup per linked document, not a scan of every document per question."""
        return {p["id"]: str(p.get("title") or "") for p in self.lexicon.policies}

    def _drop_title_years(self, linked: Linked) -> None:
        """A year written as part of the name of a document the question links (包头2022年数字政府考评 for
        《包头市2022年数字政府建设考评办法》) names the document, not a year asked: the words after it in
        the question follow it in the title too. "到2025年要…" of a plan titled (2023-2025年) keeps it."""
        titles = [self.policy_titles[i] for i in linked.values("policy") if i in self.policy_titles]
        if not titles:
            return
        linked.links = [lk for lk in linked.links if not (lk.kind == "year" and any(
            _year_in_title(lk.mention, linked.text[lk.end: lk.end + 2], t) for t in titles))]

    def with_terms(self, text: str) -> str:
        """The question with the other name of each defined term it uses appended (公租房 → 公共租赁住房;
        …临港新片区 → 新片区), for matching titles; offsets of the question itself are unchanged."""
        names = getattr(self, "terms", None)
        if names is None:
            return text
        extra: list[str] = []
        for form, others, _span in names.free_spans(text, []):
            if self._genre_word(form):
                continue  # 企业 defined as a short name by one document is still every question's 企业
            extra += [o for o in others if o not in text and o not in extra]
        return f"{text}；{'；'.join(extra)}" if extra else text

    def _genre_word(self, form: str) -> bool:
        """A word of the genre's own vocabulary (企业, 补贴, 人才: how any question names a class of
        applicant, support or topic), which one document defining it as a short name does not make that
        document's term."""
        return any(form.lower() in names.keys for names in getattr(self, "vocabularies", {}).values())

    def _link_policies(self, linked: Linked, probe_text: str | None = None) -> None:
        for policy_id in linked.values("doc_no"):
            if policy_id in self.policy_ids:
                linked.links.append(Link("policy", policy_id, policy_id, score=1.0))
        if linked.of("policy"):
            return
        whole = probe_text or linked.text
        # a short quoted phrase ("互联网+", "放管服") is a term the question quotes, not a title
        probes = [*(q for q in linked.quoted if len(q) > self.short_title), whole]
        for probe in probes:
            best = self._best_policy(probe)
            if best and self._of_named_place(linked, best[0]):
                p, score = best
                linked.links.append(Link("policy", p["id"], probe if probe != whole else p.get("title", ""),
                                         score=round(score, 3), city=p.get("city")))
                return

    def place_document(self, linked: Linked) -> dict | None:
        """Of the documents of the place the question names, the one whose title shares clearly more of
        the question's words than any other of them ("南宁科技十三五规划" → 《南宁市科学技术发展“十三五”
        规划》, "柳河县旅游的那个意见" → 《柳河县关于推动旅游业…的意见》): a document named by its place and
        a few words of its title, too short a name to stand out among the titles of the whole corpus. The
        place's own name and the words naming a kind of document (办法, 意见, 政策; `document_word`) are no
        such words: "北京…的措施" names no document of Beijing's. None without a clear lead."""
        cities = set(linked.cities)
        if not cities:
            return None
        text = linked.text
        for lk in sorted(linked.of("city"), key=lambda lk: -lk.start):
            if 0 <= lk.start < lk.end:
                text = text[: lk.start] + "，" + text[lk.end:]
        kinds = self._document_word()
        generic = {g for w in re.findall(r"[\u4e00-\u9fff]+", kinds) for g in bigrams(w)}
        probe = self.with_terms(text)
        grams = [g for g in set(bigrams(probe)) if g not in generic and g in self.policy_matcher.vocab]
        matcher = self.policy_matcher
        weight: dict[int, float] = {}
        for g in grams:
            gid = matcher.vocab[g]
            for i in matcher.indices[matcher.indptr[gid]:matcher.indptr[gid + 1]]:
                if matcher.items[int(i)].get("city") in cities:
                    weight[int(i)] = weight.get(int(i), 0.0) + float(matcher.idf[gid])
        ranked = sorted(weight.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < PLACE_DOCUMENT_WEIGHT or (
                len(ranked) > 1 and ranked[0][1] < PLACE_DOCUMENT_LEAD * ranked[1][1]):
            return None
        return matcher.items[ranked[0][0]]

    def _document_word(self) -> str:
        """The words naming a kind of document (办法, 意见, 规划 …; intents.yaml followup.document_word)."""
        return (self._data("intents").get("followup") or {}).get("document_word") or "$^"

    def _of_named_place(self, linked: Linked, policy: dict) -> bool:
        """A title matched by its words is the question's document only when it applies where the
        question asks: with a place named (北京…的资助办法), a document of another place (西安's 操作指南)
        is another document however its title scores. Its own place, the province or country above
        it, or a place within a named province all apply. A place the corpus has no document of counts
        as named too (长沙城市内涝治理 is not 浙江's 城市内涝治理 plan: the question asks of 长沙)."""
        named = [*linked.cities, *linked.values("unknown_city")]
        city = policy.get("city")
        if not named or not city:
            return True
        allowed = set(scope_of(named, self.lexicon.corpus_cities, genre=self.genre))
        return city in allowed or province_short(city, genre=self.genre) in named

    def _best_policy(self, probe: str) -> tuple[dict, float] | None:
        """The policy whose title the probe names: most of the title's weighted bigrams, or a clear
        lead in distinctive bigrams over every other title (abbreviated names: 智算云实施意见)."""
        by_weight = self.policy_matcher.top_by_weight(probe, 2)
        if not by_weight:
            return None
        top, runner = by_weight[0], (by_weight[1][2] if len(by_weight) > 1 else 0.0)
        if top[2] >= 6.0 and top[2] >= 2 * runner:
            return top[0], top[1]
        ranked = self.policy_matcher.scores(probe, self.policy_threshold, 4.0)
        if ranked and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= 0.1):
            return ranked[0][0], ranked[0][1]
        return None

    def _link_measures(self, linked: Linked, probe_text: str | None = None) -> None:
        """Quoted phrases first (closest title); otherwise titles mostly contained in the question
        (`probe_text`: the question with the other names of its defined terms)."""
        matcher = self.measure_matcher
        for phrase in linked.quoted:
            grams = set(bigrams(phrase))
            cands = self._quoted_candidate_ids(phrase)
            if not len(cands):
                continue
            # titles repeat across documents (加强组织领导): score each distinct title once
            title_of, titles = matcher.title_ids()
            tids, where = np.unique(title_of[cands], return_inverse=True)
            sym = np.array([_dice(grams, titles[t]) for t in tids])[where]
            top = float(sym.max())
            if top >= 0.5:
                best = [matcher.items[int(i)] for i in cands[sym >= top - 1e-9]]
                if len(phrase) <= self.short_title:  # a short quoted term names only a title it is whole
                    best = [it for it in best if TitleMatcher._clean(it["title"]) == phrase]
                for item in self._in_named_policies(linked, best):
                    self._add_measure(linked, item, top, phrase)
        if linked.of("measure"):
            return
        probe = probe_text or linked.text
        ranked = self.measure_matcher.scores(probe, self.measure_threshold, 3.0)
        ranked = self._whole_short_titles(probe, self._not_times(ranked))
        if ranked:
            top = ranked[0][1]
            best = [(item, score) for item, score, _ in ranked if score >= top - 0.05]
            mine = set(map(id, self._in_named_policies(linked, [item for item, _ in best])))
            for item, score in best:
                if id(item) in mine:
                    self._add_measure(linked, item, score, item["title"])

    @staticmethod
    def _in_named_policies(linked: Linked, items: list[dict]) -> list[dict]:
        """Of the measures sharing the best title, those of the policies the question names, when any
        are (graphsearch.linked_measures keeps only these): at 10,000 documents a title is shared by
        hundreds of documents, and a link for each cost more than the rest of the linking."""
        named = set(linked.values("policy"))
        mine = [it for it in items if it.get("policy_id") in named] if named else []
        return mine or items

    def _quoted_candidate_ids(self, phrase: str) -> np.ndarray:
        """Item indices of the titles that can reach a Dice overlap of 0.5 with the phrase (shared
        bigrams from the index), in the order the containment ranking gives them."""
        matcher = self.measure_matcher
        idx, shared = matcher.shared(phrase)
        q = len(set(bigrams(phrase)))
        # Dice over raw titles is bounded by the cleaned one's, give or take the bracketed bigrams
        keep = idx[2 * shared >= 0.3 * (q + matcher.size[idx])]
        if not len(keep):
            return keep
        hit_idx, hit = matcher.weights(phrase)
        hit = hit[np.searchsorted(hit_idx, keep)]
        cont = hit / matcher.total[keep]
        order = np.lexsort((keep, -hit, -(cont * np.minimum(hit, 8.0))))
        return keep[order]

    def _not_times(self, ranked: list[tuple[dict, float, float]]) -> list[tuple[dict, float, float]]:
        """Titles that name more than a time (linking.yaml `time_title`: 2018年底前 heads a task by its
        deadline; a question naming 2018年 is not about it)."""
        genre = getattr(self, "genre", None)
        if genre is None:  # unpickled without load_linker: no genre to read time titles by
            return ranked
        time = _time_title(genre)
        return [r for r in ranked if not time.match(TitleMatcher._clean(r[0]["title"]))]

    def _whole_short_titles(self, text: str, ranked: list[tuple[dict, float, float]]) -> list[tuple[dict, float, float]]:
        """A short measure title counts only when the question writes it out whole, and not as part of a
        longer word (a two-word title of another document must not hijack a question that only
        contains it inside another word)."""
        out = []
        words: list[tuple[str, int]] | None = None
        for item, score, weight in ranked:
            title = TitleMatcher._clean(item["title"])
            if len(title) <= self.short_title:
                i = text.find(title)
                if i < 0:
                    continue
                words = words if words is not None else _segment(text)
                if _inside_word(text, (i, i + len(title)), words):
                    continue
            out.append((item, score, weight))
        return out

    def _add_measure(self, linked: Linked, item: dict, score: float, mention: str) -> None:
        i = linked.text.find(mention)
        linked.links.append(Link("measure", item["id"], mention, i, i + len(mention) if i >= 0 else -1,
                                 score=round(score, 3), city=item.get("city"),
                                 extra={"title": item["title"], "policy_id": item.get("policy_id")}))


def _year_in_title(year: str, after: str, title: str) -> bool:
    """The year is written in the title followed by the two characters that follow it in the question."""
    at = title.find(year)
    return at >= 0 and len(after) == 2 and re.match(r"[\u4e00-\u9fff]{2}", after) is not None \
        and title[at + len(year): at + len(year) + 2] == after


def term_pairs(policies: Iterable[dict]) -> Iterator[tuple[str, str]]:
    """(written form, other name) of every term the policies define, both ways (Policy.terms holds
    "short＝full" strings, corpus/aliases.py)."""
    from corpus.aliases import TERM_SEPARATOR

    for p in policies:
        for pair in p.get("terms") or []:
            short, _, full = str(pair).partition(TERM_SEPARATOR)
            if short and full:
                yield short, full
                yield full, short


def _char_postings(forms: Iterable[str]) -> dict[str, set[str]]:
    """character -> the forms holding it (for abbreviation lookups)."""
    out: dict[str, set[str]] = {}
    for form in forms:
        for ch in set(form):
            out.setdefault(ch, set()).add(form)
    return out


def _holding_all(postings: dict[str, set[str]], word: str) -> list[str]:
    """Forms holding every character of `word` (intersection, smallest posting first), sorted."""
    sets = sorted((postings.get(ch, set()) for ch in set(word)), key=len)
    if not sets or not sets[0]:
        return []
    return sorted(sets[0].intersection(*sets[1:]))


_DEPT_SHAPE = re.compile(r"[市区县省][\u4e00-\u9fa5]{1,8}?(?:委员会|管委会|办公室|委|局|办|厅)")


def _abbreviates(word: str, name: str) -> bool:
    """`word` is a strict abbreviation of `name`: same first and last character, the rest in order."""
    if len(word) >= len(name) or word[0] != name[0] or word[-1] != name[-1]:
        return False
    it = iter(name)
    return all(ch in it for ch in word)


def _dice(ga: set[str], b: str) -> float:
    """Dice overlap of a bigram set with a string's bigrams."""
    gb = set(bigrams(b))
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
