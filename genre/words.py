"""jieba's word segmentation and part-of-speech tags, loaded once per process and shared.

Both extraction (kg: whether the 的 after a body closes a relative clause) and answering (rag: the
content words of a question, set phrases, time words) tag Chinese words with jieba. jieba keeps one
process-wide tokenizer and tagger, and this module is the only place that loads the tagger: its
loading patches the tokenizer for a moment (see `pos_tagger`), so a second, unguarded import of
jieba.posseg in another thread could read the patched, empty dictionary. Every caller goes through
`pos_tagger` under one lock; the room that adds its own words to the tokenizer (rag.tokenize) takes
the same lock (`TAGGER_LOCK`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)

POS_CACHE_FORMAT = 2
TAGGER_LOCK = threading.Lock()  # held while the tagger is loaded or words are added to the tokenizer
_POS_READY: list[bool] = []


def base_jieba() -> jieba.Tokenizer:
    """jieba's process-wide tokenizer, initialised once: the graph lexicon and part-of-speech
    tagging (jieba.posseg) use the same instance, so the dictionary is loaded only once."""
    jieba.dt.check_initialized()
    return jieba.dt


FUNCTION_WORD_TAGS = ("r", "m", "q")  # pronouns, numerals, measure words: no verb-object word (有人, 一号)


def joined_split_words(text: str, split: str) -> str:
    """The text with each verb-object word spoken with a measure word between its halves written as the
    word (`split`: a pattern whose two groups are the halves, 回个话 → 回话, 打个分 → 打分, 落个户 → 落户):
    joined only when jieba's dictionary holds the joined word, not as a pronoun, numeral or measure
    word (有个人 stays: 有人), and the measure word belongs to neither half (这个人, 整个人, 为个人 stay:
    这个, 整个 and 个人 are words) nor counts after a numeral or pronoun the first half closes (多少个典型
    stays: 多少 is a numeral). The language's lexicon decides, not a list of verbs."""
    tk = base_jieba()
    tags = pos_tagger().word_tag_tab

    def function_word(word: str) -> bool:
        return tk.FREQ.get(word, 0) > 0 and str(tags.get(word, "")).startswith(FUNCTION_WORD_TAGS)

    def join(m: re.Match) -> str:
        first, second = m.group(1), m.group(2)
        word, measure = first + second, m.group(0)[len(first):len(m.group(0)) - len(second)]
        if (tk.FREQ.get(word, 0) <= 0 or function_word(word) or function_word(text[max(m.start() - 1, 0):m.start() + 1])
                or tk.FREQ.get(first + measure, 0) > 0 or tk.FREQ.get(measure + second, 0) > 0):
            return m.group(0)
        return word

    return re.sub(split, join, text)


def pos_tagger():
    """jieba's part-of-speech tagger (jieba.posseg.dt) on the process-wide tokenizer.

    Importing jieba.posseg reads the tag column of jieba's 350,000-line dictionary line by line in
    Python (about a second of every process's first question), and even a marshal copy of that table
    takes half a second to load. The table is kept instead as a sorted file beside jieba's own
    dictionary cache, keyed by the dictionary file's size and time, and looked up in place (a
    question tags a few dozen words); the import is handed an empty dictionary file, and the tagger
    then works exactly as jieba's own."""
    with TAGGER_LOCK:  # two threads' first questions must not both patch the tokenizer (nor see it half-done)
        if not _POS_READY:
            _load_pos_tagger()
            _POS_READY.append(True)
    import jieba.posseg

    return jieba.posseg.dt


def _load_pos_tagger() -> None:
    import sys

    if "jieba.posseg" not in sys.modules:
        base = base_jieba()
        base.get_dict_file = lambda: io.BytesIO()  # an instance attribute: the class's method is untouched
        try:
            import jieba.posseg
        finally:
            del base.get_dict_file
        jieba.posseg.dt.word_tag_tab = _word_tags(base)


class WordTags(Mapping[str, str]):
    """word -> part of speech, looked up by binary search in a sorted "word tag" file (memory-mapped,
    with the start of each line in a second file); words given a tag later (jieba's add_word with a
    tag) are kept in a dict over it, as jieba.posseg updates its table."""

    def __init__(self, lines: Path, starts: Path) -> None:
        import mmap

        import numpy as np

        with open(lines, "rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        self._starts = np.load(starts, mmap_mode="r", allow_pickle=False)
        self._added: dict[str, str] = {}

    def _line(self, i: int) -> tuple[bytes, bytes]:
        start = int(self._starts[i])
        end = self._map.find(b"\n", start)
        word, _, tag = self._map[start:end].partition(b" ")
        return word, tag

    def _find(self, word: str) -> str | None:
        key = word.encode("utf-8")
        lo, hi = 0, len(self._starts)
        while lo < hi:
            mid = (lo + hi) // 2
            found, tag = self._line(mid)
            if found < key:
                lo = mid + 1
            elif found > key:
                hi = mid
            else:
                return tag.decode("utf-8")
        return None

    def __getitem__(self, word: str) -> str:
        tag = self._added.get(word) if self._added else None
        tag = tag if tag is not None else self._find(word) if isinstance(word, str) else None
        if tag is None:
            raise KeyError(word)
        return tag

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self._added or self._find(word) is not None)

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self._starts)):
            word = self._line(i)[0].decode("utf-8")
            if word not in self._added:
                yield word
        yield from self._added

    def __len__(self) -> int:
        return len(self._starts) + sum(1 for w in self._added if self._find(w) is None)

    def update(self, other: Mapping[str, str]) -> None:  # jieba.posseg: user words' tags
        self._added.update(other)

    def __setitem__(self, word: str, tag: str) -> None:
        self._added[word] = tag


def _word_tags(tk: jieba.Tokenizer) -> Mapping[str, str]:
    """word -> part of speech from the tokenizer's dictionary, through the sorted cache files (the
    last tag of a word written twice wins, as in jieba's own table)."""
    import os
    import tempfile

    import numpy as np

    source = (tk.dictionary if tk.dictionary != jieba.DEFAULT_DICT
              else os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME))
    try:
        st = os.stat(source)
        stamp = f"{POS_CACHE_FORMAT}:{source}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = ""
    base = Path(tk.tmp_dir or tempfile.gettempdir()) / f"policykg-jieba-pos-{hashlib.sha1(stamp.encode()).hexdigest()[:12]}"
    lines, starts = base.with_suffix(".tags"), base.with_suffix(".starts.npy")
    if stamp and lines.is_file() and starts.is_file():
        try:
            return WordTags(lines, starts)
        except (OSError, ValueError):
            pass
    tags: dict[str, str] = {}
    with tk.get_dict_file() as fh:
        for line in fh.read().decode("utf-8").splitlines():
            parts = line.strip().split(" ")
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    if not stamp:
        return tags
    rows = sorted((w.encode("utf-8"), t.encode("utf-8")) for w, t in tags.items() if w and " " not in w and "\n" not in w)
    offsets, pos, chunks = np.zeros(len(rows), dtype=np.int64), 0, []
    for i, (w, t) in enumerate(rows):
        offsets[i] = pos
        chunks.append(w + b" " + t + b"\n")
        pos += len(chunks[-1])
    suffix = f".{os.getpid()}.tmp"
    try:
        with open(lines.with_name(lines.name + suffix), "wb") as fh:
            fh.write(b"".join(chunks))
        with open(starts.with_name(starts.name + suffix), "wb") as fh:
            np.save(fh, offsets, allow_pickle=False)
        os.replace(lines.with_name(lines.name + suffix), lines)
        os.replace(starts.with_name(starts.name + suffix), starts)
    except OSError:
        for p in (lines, starts):
            with contextlib.suppress(OSError):
                p.with_name(p.name + suffix).unlink()
    return tags
