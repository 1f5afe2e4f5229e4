"""BM25 over jieba tokens (bm25s): the signal that works whatever embedding model is installed.

Chunks are indexed with their context (policy title, section path, measure heading) so that a
question naming a city or a measure title matches every piece of it. Queries are tokenised by the
same `PolicyTokenizer` and expanded with the thesaurus before scoring.
"""

from __future__ import annotations

import json
import logging
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np

from genre import resolve as resolve_genre
from rag.model import Chunk, Hit
from rag.tokenize import PolicyTokenizer, default_tokenizer

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
META_FILE = "policykg_bm25.json"
EXPANSION_WEIGHT = 0.5  # synonyms count half: the document's own wording wins
# Words of the question that a filter already answers (the place whose documents the search is limited
# to) count this much: as words they would favour the documents that print the place in their title
# over the clause that says the question's subject (柳河县 in every chunk of one county document
# outranked the only clause saying 民宿 in another county document).
FILTERED_WEIGHT = 0.5


class BM25Index:
    """A bm25s index whose document i is chunk i; hits carry chunk and measure ids."""

    def __init__(self, bm25: bm25s.BM25, chunk_ids: list[str], measure_ids: list[str],
                 signature: str, tokenizer: PolicyTokenizer | None = None) -> None:
        self._bm25 = bm25
        self.chunk_ids = chunk_ids
        self.measure_ids = measure_ids
        self.signature = signature  # tokenizer signature the index was built with
        self.tokenizer = tokenizer or default_tokenizer(resolve_genre(None))  # a caller with no tokenizer: the packaged one

    @classmethod
    def build(cls, chunks: Iterable[Chunk], tokenizer: PolicyTokenizer | None = None) -> BM25Index:
        """Index the chunks in one pass (an iterator is enough: an ingest streams them from disk)."""
        tok = tokenizer or default_tokenizer(resolve_genre(None))
        vocab: dict[str, int] = {}

        def ids_of(text: str) -> array:
            return array("i", [vocab.setdefault(t, len(vocab)) for t in tok.tokenize(text)])

        # title and section lines repeat on every chunk of a policy: cut them once per policy (the
        # cache is emptied when the policy changes, so it holds one policy's lines, not the corpus's)
        lines: dict[str, array] = {}
        corpus: list[array] = []
        chunk_ids: list[str] = []
        measure_ids: list[str] = []
        policy = None
        for c in chunks:
            if c.policy_id != policy:
                policy = c.policy_id
                lines.clear()
            doc = array("i")
            for line in c.context.split("\n"):
                if line not in lines:
                    lines[line] = ids_of(line)
                doc += lines[line]
            doc += ids_of(c.text)
            corpus.append(doc)
            chunk_ids.append(c.id)
            measure_ids.append(c.measure_id)
        bm25 = bm25s.BM25()
        if corpus:
            # token ids in compact arrays (4 bytes a token), not lists of strings: at 150,000 chunks
            # the string lists were most of an ingest's peak memory
            bm25.index((corpus, vocab), show_progress=False)
        return cls(bm25, chunk_ids, measure_ids, tok.signature, tok)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def knows(self, token: str) -> bool:
        """The index holds this token: the segmenter read it as a word somewhere in the documents."""
        return token in self._bm25.vocab_dict

    def query_tokens(self, question: str, expand: bool = True) -> list[str]:
        """The question's tokens, followed by their thesaurus synonyms when `expand`."""
        tokens = self.tokenizer.tokenize(question)
        return self.tokenizer.expand(tokens) if expand else tokens

    def scores(self, question: str, expand: bool = True, filtered: Sequence[str] = ()) -> np.ndarray:
        """BM25 score of every chunk: the question's own words in full, synonyms added at
        EXPANSION_WEIGHT, so the document's own wording wins when it is there; the words of
        `filtered` (phrases of the question a filter already applies, such as its place) at
        FILTERED_WEIGHT."""
        if not self.chunk_ids:
            return np.zeros(0, dtype=np.float32)
        tokens = self.tokenizer.tokenize(question)
        damped = {t for phrase in filtered for t in self.tokenizer.tokenize(phrase)}
        own = [t for t in tokens if t not in damped]
        total = self._score_tokens(own)
        if damped:
            total = total + FILTERED_WEIGHT * self._score_tokens([t for t in tokens if t in damped])
        if expand:
            extra = [t for t in self.tokenizer.expand(own)[len(own):] if t not in damped]
            if extra:
                total = total + EXPANSION_WEIGHT * self._score_tokens(extra)
        return total

    def _score_tokens(self, tokens: list[str]) -> np.ndarray:
        ids = self._bm25.get_tokens_ids(tokens)
        if not ids:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return self._bm25.get_scores(ids)

    def search(self, question: str, k: int = 10, mask: np.ndarray | None = None,
               expand: bool = True, filtered: Sequence[str] = ()) -> list[Hit]:
        """The k best chunks with a positive score; `mask` (bool per chunk) restricts the candidates."""
        scores = self.scores(question, expand, filtered)
        if mask is not None and len(scores):
            scores = np.where(mask, scores, 0.0)
        return top_hits(scores, k, self.chunk_ids, self.measure_ids, "bm25")

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.chunk_ids:
            self._bm25.save(str(folder), show_progress=False)
        meta = {"signature": self.signature, "chunk_ids": self.chunk_ids, "measure_ids": self.measure_ids}
        (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, tokenizer: PolicyTokenizer | None = None) -> BM25Index:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        # memory-mapped: the score matrix is paged in as questions touch it, not read whole at start
        bm25 = bm25s.BM25.load(str(folder), show_progress=False, mmap=True) if meta["chunk_ids"] else bm25s.BM25()
        return cls(bm25, meta["chunk_ids"], meta["measure_ids"], meta["signature"], tokenizer)


def top_hits(scores: np.ndarray, k: int, chunk_ids: list[str], measure_ids: list[str], signal: str) -> list[Hit]:
    """Hits for the k highest positive scores, best first (ties: document order, for stability)."""
    if k <= 0 or not len(scores):
        return []
    positive = np.flatnonzero(scores > 0)
    order = positive[np.lexsort((positive, -scores[positive]))][:k]
    return [Hit(chunk_id=chunk_ids[i], measure_id=measure_ids[i], score=float(scores[i]), signal=signal, rank=r)
            for r, i in enumerate(order, 1)]
