"""Baselines that PolicyKG is measured against, on the same documents and questions.

- `faiss`: what a user builds in an afternoon with LangChain: fixed-size chunks
  (RecursiveCharacterTextSplitter, 500 characters), the same packaged sentence-transformers model,
  a LangChain FAISS vector store, top-k similarity search.
- `bm25`: the same fixed chunks, BM25 (bm25s) over jieba tokens.

A baseline "answer" is the text of its top chunk; it passes when it contains the expected facts.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50
TEXT_SUFFIXES = (".txt", ".md")
_TOKEN = re.compile(r"\w", re.UNICODE)


@dataclass
class BaselineRun:
    """One baseline over a question list: top-k chunk texts and latency per question."""

    name: str
    chunks: int
    build_ms: float
    latencies_ms: list[float] = field(default_factory=list)
    top: list[list[str]] = field(default_factory=list)  # per question, best first


class SentenceTransformerEmbeddings(Embeddings):
    """A LangChain Embeddings adapter over a local sentence-transformers model (no download)."""

    def __init__(self, model_path: str, batch_size: int = 64) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(model_path, device="cpu")
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vecs = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True)
        return vecs.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.encode([text], normalize_embeddings=True)[0].tolist()


def policy_files(paths: Sequence[Path]) -> list[Path]:
    """Text files under the given files/folders, in a stable order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in TEXT_SUFFIXES))
        elif p.suffix.lower() in TEXT_SUFFIXES:
            out.append(p)
    return out


def load_documents(paths: Sequence[Path]) -> list[Document]:
    """LangChain's TextLoader with encoding detection: the plain way to read the files."""
    from langchain_community.document_loaders import TextLoader

    docs: list[Document] = []
    for f in policy_files(paths):
        docs.extend(TextLoader(str(f), autodetect_encoding=True).load())
    return docs


def split(docs: Sequence[Document], size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP) -> list[Document]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size, chunk_overlap=overlap, separators=["\n\n", "\n", "。", "；", "，", ""])
    return splitter.split_documents(list(docs))


def jieba_tokens(text: str) -> list[str]:
    """Search-mode jieba tokens without punctuation and spaces."""
    import jieba

    return [t for t in jieba.lcut_for_search(text) if _TOKEN.search(t)]


class BM25Chunks:
    """BM25 (bm25s) over jieba tokens of fixed chunks."""

    def __init__(self, chunks: Sequence[Document]) -> None:
        import bm25s

        self.chunks = list(chunks)
        self.index = bm25s.BM25()
        self.index.index([jieba_tokens(c.page_content) for c in self.chunks], show_progress=False)

    def search(self, query: str, k: int = 5) -> list[Document]:
        tokens = [t for t in jieba_tokens(query) if t in self.index.vocab_dict]
        if not tokens:
            return []
        k = min(k, len(self.chunks))
        ids, _scores = self.index.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        return [self.chunks[int(i)] for i in ids[0]]


def faiss_search(chunks: Sequence[Document], model_path: str) -> Callable[[str, int], list[Document]]:
    """A LangChain FAISS store over the chunks; returns a search function."""
    from langchain_community.vectorstores import FAISS

    store = FAISS.from_documents(list(chunks), SentenceTransformerEmbeddings(model_path))
    return lambda q, k: store.similarity_search(q, k=k)


def run(name: str, chunks: Sequence[Document], build: Callable[[], Callable[[str, int], list[Document]]],
        questions: Sequence[str], k: int = 5) -> BaselineRun:
    """Build a retriever, warm it once, then time each question."""
    t0 = time.perf_counter()
    search = build()
    result = BaselineRun(name=name, chunks=len(chunks), build_ms=(time.perf_counter() - t0) * 1000)
    if questions:
        search(questions[0], k)
    for q in questions:
        t = time.perf_counter()
        docs = search(q, k)
        result.latencies_ms.append((time.perf_counter() - t) * 1000)
        result.top.append([d.page_content for d in docs])
    return result


def run_all(paths: Sequence[Path], questions: Sequence[str], model_path: str, k: int = 5) -> list[BaselineRun]:
    """Both baselines over the same fixed chunks and questions."""
    chunks = split(load_documents(paths))
    return [
        run("langchain_faiss", chunks, lambda: faiss_search(chunks, model_path), questions, k),
        run("bm25_jieba", chunks, lambda: BM25Chunks(chunks).search, questions, k),
    ]
