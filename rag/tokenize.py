"""Chinese tokenisation shared by the BM25 index and query processing.

Documents and questions must be cut the same way, so both go through one `PolicyTokenizer`:
full/half width folded (NFKC), traditional characters converted to simplified (OpenCC), lower-cased,
segmented by jieba in search mode (long words also yield their sub-words), with punctuation and
stop words dropped. The segmenter's dictionary is extended with the graph's lexicon (department
names, aliases) and the thesaurus terms, so names stay whole. `signature` fingerprints all of this:
an index built with another dictionary is rebuilt rather than searched with mismatched tokens.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import yaml

from genre import current, data_path, genre_cached
from genre.blocks import default as default_blocks
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


def load_thesaurus(path: Path | None = None) -> Thesaurus:
    """The active genre's thesaurus (or the file at `path`); terms are normalised like the text they will meet."""
    if path is None:
        return current().memo(("rag.tokenize", "thesaurus"), lambda: _thesaurus(current().data("thesaurus")))
    return _thesaurus(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def _thesaurus(data: dict) -> Thesaurus:
    groups = [[normalize(str(t)) for t in g] for g in data.get("synonyms") or []]
    stop = frozenset(normalize(str(t)) for t in data.get("stopwords") or [])
    labels = sorted(default_blocks().labels, key=len, reverse=True)
    return Thesaurus(groups=groups, stopwords=stop, responsibility_labels=labels)


def normalize(text: str) -> str:
    """Fold width (ＡＢＣ１２ -> ABC12, full-width punctuation -> ASCII), script and case."""
    return to_simplified(fold(text)).lower()


def lexicon_words() -> list[str]:
    """Names from the graph's lexicon (departments, aliases, topics) when the kg package provides them."""
    try:
        from kg.lexicon import jieba_userdict_words
    except ImportError:
        return []
    try:
        return list(jieba_userdict_words())
    except Exception as exc:  # a broken lexicon must not stop retrieval
        log.warning("lexicon words unavailable for tokenisation: %s", exc)
        return []


def _base_jieba() -> jieba.Tokenizer:
    """jieba's process-wide tokenizer, initialised once: the graph lexicon and part-of-speech
    tagging (jieba.posseg) use the same instance, so the dictionary is loaded only once."""
    jieba.dt.check_initialized()
    return jieba.dt


def _fresh_jieba() -> jieba.Tokenizer:
    """A jieba tokenizer with the main dictionary, copied from one loaded once per process
    (loading takes about a second; each PolicyTokenizer needs its own user words)."""
    base = _base_jieba()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dict(base.FREQ), base.total, True
    return tk


class PolicyTokenizer:
    """jieba in search mode with a user dictionary, stop words and normalisation."""

    def __init__(self, words: Iterable[str] = (), thesaurus: Thesaurus | None = None) -> None:
        self.thesaurus = thesaurus or load_thesaurus()
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


@genre_cached
def default_tokenizer() -> PolicyTokenizer:
    """One tokenizer per process, with the graph lexicon's words when available."""
    return PolicyTokenizer(lexicon_words())


def tokenize(text: str) -> list[str]:
    return default_tokenizer().tokenize(text)


def expand_query(tokens: list[str]) -> list[str]:
    """Add thesaurus synonyms to query tokens: 补助 also searches 补贴, 奖励, 扶持 ..."""
    return default_tokenizer().expand(tokens)
