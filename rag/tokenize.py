"""Chinese tokenisation shared by the BM25 index and query processing.

Documents and questions must be cut the same way, so both go through one `PolicyTokenizer`:
full/half width folded (NFKC), traditional characters converted to simplified (OpenCC), lower-cased,
segmented by jieba in search mode (long words also yield their sub-words), with punctuation and
stop words dropped. The segmenter's dictionary is extended with the graph's lexicon (department
names, aliases) and the thesaurus terms, so names stay whole. `signature` fingerprints all of this:
an index built with another dictionary is rebuilt rather than searched with mismatched tokens.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import yaml

from genre import Genre, data_path, derived, resolve
from genre.blocks import BlockTable
from genre.text import fold, to_simplified

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
        """Other members of every group the token belongs to, in file order."""
        out: list[str] = []
        for group in self.groups:
            if token in group:
                out.extend(t for t in group if t != token and t not in out)
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


def _base_jieba() -> jieba.Tokenizer:
    """jieba's process-wide tokenizer, initialised once: the graph lexicon and part-of-speech
    tagging (jieba.posseg) use the same instance, so the dictionary is loaded only once."""
    jieba.dt.check_initialized()
    return jieba.dt


POS_CACHE_FORMAT = 1


def pos_tagger():
    """jieba's part-of-speech tagger (jieba.posseg.dt) on the process-wide tokenizer.

    Importing jieba.posseg reads the tag column of jieba's 350,000-line dictionary line by line in
    Python (about a second of every process's first question). The table is kept instead in a marshal
    file beside jieba's own dictionary cache, keyed by the dictionary file's size and time, and the
    import is handed an empty dictionary file; the tagger then works exactly as jieba's own."""
    with _POS_LOCK:  # two threads' first questions must not both patch the tokenizer (nor see it half-done)
        if not _POS_READY:
            _load_pos_tagger()
            _POS_READY.append(True)
    import jieba.posseg

    return jieba.posseg.dt


_POS_LOCK = threading.Lock()
_POS_READY: list[bool] = []


def _load_pos_tagger() -> None:
    import sys

    if "jieba.posseg" not in sys.modules:
        base = _base_jieba()
        base.get_dict_file = lambda: io.BytesIO()  # an instance attribute: the class's method is untouched
        try:
            import jieba.posseg
        finally:
            del base.get_dict_file
        jieba.posseg.dt.word_tag_tab = _word_tags(base)


def _word_tags(tk: jieba.Tokenizer) -> dict[str, str]:
    """word -> part of speech from the tokenizer's dictionary, through the marshal cache."""
    import marshal
    import os
    import tempfile

    source = (tk.dictionary if tk.dictionary != jieba.DEFAULT_DICT
              else os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME))
    try:
        st = os.stat(source)
        stamp = f"{POS_CACHE_FORMAT}:{source}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = ""
    cache = Path(tk.tmp_dir or tempfile.gettempdir()) / f"policykg-jieba-pos-{hashlib.sha1(stamp.encode()).hexdigest()[:12]}.cache"
    if stamp and cache.is_file():
        try:
            with open(cache, "rb") as fh:
                tags = marshal.load(fh)
            if isinstance(tags, dict) and tags:
                return tags
        except (OSError, EOFError, ValueError, TypeError):
            pass
    tags = {}
    with tk.get_dict_file() as fh:
        for line in fh.read().decode("utf-8").splitlines():
            parts = line.strip().split(" ")
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    if stamp:
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                marshal.dump(tags, fh)
            os.replace(tmp, cache)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return tags


def _fresh_jieba() -> jieba.Tokenizer:
    """A jieba tokenizer with the main dictionary, copied from one loaded once per process
    (loading takes about a second; each PolicyTokenizer needs its own user words)."""
    base = _base_jieba()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dict(base.FREQ), base.total, True
    return tk


class PolicyTokenizer:
    """jieba in search mode with a user dictionary, stop words and normalisation."""

    def __init__(self, words: Iterable[str] = (), thesaurus: Thesaurus | None = None,
                 genre: Genre | None = None) -> None:
        self.thesaurus = thesaurus or load_thesaurus(genre=genre)
        self._jieba = _fresh_jieba()
        self._words: set[str] = set()
        self.add_words(self.thesaurus.terms())
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Keep these strings whole when segmenting (after normalisation)."""
        for w in words:
            w = normalize(w.strip())
            if len(w) > 1 and w not in self._words:
                self._words.add(w)
                self._jieba.add_word(w)

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
