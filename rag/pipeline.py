"""The façade: the one entry point the CLI, the app and eval use.

    kg = PolicyKG()                 # settings from POLICYKG_* variables
    kg.ingest([Path("corpus/docs")])
    answer = kg.ask("“防范开源供应链风险”由哪些部门负责？")

Models, indexes and the graph connection load lazily, once per PolicyKG instance; one instance serves
many questions. A long-running instance (the app) notices when another process commits a new ingest
generation and switches to it before the next question.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from genre import Genre
from genre import load as load_genre
from genre import packaged as packaged_genre
from genre import resolve as resolve_genre
from rag.artefacts import VOCABULARY_KINDS, build_catalog, frequent_values, load_catalog
from rag.model import Answer, Hit, IngestReport
from rag.settings import Settings
from rag.state import current_generation, read_state, state_mtime

log = logging.getLogger(__name__)
ProgressFn = Callable[[str, int, int], None]  # (stage or file, done, total)
GRAPH_RETRY_SECONDS = 30.0  # how often a façade answering without its graph store tries to reach it again


def outline_file(path: Path, as_json: bool = False, genre: Genre | None = None) -> dict | str:
    """Parse one file and return its outline (JSON-ready dict, or a readable tree)."""
    from corpus import outline_dict, parse_file, render_outline

    policy = parse_file(Path(path), genre=genre)
    return outline_dict(policy) if as_json else render_outline(policy)


def parse_and_extract(paths: Sequence[Path], genre: Genre | None = None) -> list[tuple]:
    """(policy, facts) for every readable file under `paths`, without touching graph or indexes.

    The extraction evaluation scores this against its gold labels.
    """
    from corpus import load_corpus
    from kg.extract import extract

    genre = resolve_genre(genre)
    policies, _ = load_corpus([Path(p) for p in paths], genre=genre)
    return [(p, extract(p, genre)) for p in policies]


def stop_embedded_server(settings: Settings | None = None) -> bool:
    """Stop the embedded graph server of the data directory; True if one was running."""
    from kg.embedded import stop_server

    settings = settings or Settings()
    return stop_server(settings.data_dir)


def keep_embedded_server(settings: Settings | None = None) -> int:
    """Start the embedded graph server of the data directory (or find it running) and keep it running
    after this process exits, until `stop_embedded_server`; its pid."""
    from kg.embedded import keep_server

    settings = settings or Settings()
    return keep_server(settings.data_dir).pid


class PolicyKG:
    """Ingest policy files into the graph and indexes; answer questions from both."""

    def __init__(self, settings: Settings | None = None, genre: Genre | None = None) -> None:
        self.settings = settings or Settings()
        # loaded once here, from the configured folder, and passed down to every entry point below
        # the genre data every parse, extraction and answer of this instance uses (validated here, so a
        # broken data folder fails at start with file and key, not on some later question)
        self.genre = genre or (load_genre(self.settings.genre_dir) if self.settings.genre_dir else packaged_genre())
        self._lock = threading.RLock()
        self._loaded_at = -1.0
        self._store = None
        self._index = None
        self._answerer = None
        self._graph_tried = 0.0
        self._recovering = False  # a background restart of a store that timed out is running
        self._catalog_cache: dict | None = None
        self._embedder_job = None

    # -- building ---------------------------------------------------------------------------
    def ingest(self, paths: Sequence[Path] | None = None, progress: ProgressFn | None = None,
               replace: str | Sequence[str] | None = None, rebuild: bool = False,
               embed: str = "after") -> IngestReport:
        """Build or update graph and indexes from files/folders (default: the corpus folder).

        A folder is mirrored: edited files replace their earlier version, files gone from it are
        removed. A document claiming another source's 文号 or title is kept apart and flagged;
        `replace` (one file; one policy id, or several the document claims to be: the report's
        `conflicts` list them as `candidates`) is the explicit way to put it in their place. `rebuild` writes
        a fresh graph and index from every policy's source (repairs a damaged data directory).
        The generation is committed (graph and BM25 answer at once) before any vector is computed.
        `embed`: "after" computes the vectors right after the commit, "background" in a thread of
        this façade (see `embedding_status`), "none" leaves them to `embed()`.
        """
        from rag.ingest import run_ingest

        try:
            report = run_ingest(self.settings, [Path(p) for p in paths] if paths else None, progress,
                                genre=self.genre, replace=replace, rebuild=rebuild,
                                embed="after" if embed == "after" else "none")
        finally:
            self._invalidate()
        if embed == "background":
            self.embed_in_background()
        return report

    def embed(self, progress: ProgressFn | None = None):
        """Compute the missing vectors of the current generation now (resumable, cached); EmbedReport."""
        from rag.embedding import embed_generation

        report = embed_generation(self.settings, progress)
        self._invalidate()
        return report

    def embed_in_background(self) -> None:
        """Start (or restart) computing the vectors in a background thread; see `embedding_status`."""
        from rag.embedding import BackgroundEmbedder

        with self._lock:
            if self._embedder_job is None:
                self._embedder_job = BackgroundEmbedder(self.settings)
            self._embedder_job.start()

    def embed_if_missing(self) -> bool:
        """Start the background embedder when the current generation's vectors are missing (an ingest
        with `embed="none"`, a stopped run, a changed model): resumable, it computes only the vectors
        not cached yet. True when it was started. A serving app calls this once it is ready."""
        from rag.embedding import vectors_missing

        try:
            missing = vectors_missing(self.settings)
        except Exception as exc:  # an unreadable state or index: the app serves without the dense signal
            log.warning("cannot tell whether vectors are missing: %s", exc)
            return False
        if missing:
            self.embed_in_background()
        return missing

    def embedding_status(self) -> dict:
        """{"running", "done", "total", "state", "eta_s", "error"} of the background embedding."""
        from rag.embedding import EmbedStatus

        job = self._embedder_job
        return (job.status if job is not None else EmbedStatus()).to_json()

    def remove_policy(self, policy_id: str) -> IngestReport:
        """Remove one policy's subgraph and its chunks; shared departments stay while referenced."""
        from rag.ingest import run_ingest

        if policy_id not in self.records():
            raise KeyError(f"no ingested policy has id {policy_id!r}")
        report = run_ingest(self.settings, [], remove=[policy_id], genre=self.genre)
        self._invalidate()
        return report

    def records(self) -> dict:
        """What the commit point remembers of each ingested policy, by id: its source file, 文号,
        title, counts and flag (a claim of another source's 文号 or title) as `PolicyRecord`s."""
        return dict(read_state(self.settings.data_dir).policies)

    # -- asking -----------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[object] | None = None, scope: object = None,
            signals: Sequence[str] | None = None) -> Answer:
        """Answer one question with citations; abstain when the corpus does not cover it.

        history: earlier turns of the conversation (question strings, or {"question", "citations"}
        objects as `Answer.to_json()` gives them), so that "那南京呢" or "它的责任单位呢" follows on;
        scope: {"document": id/title/文号, "jurisdiction": place, "in_force": bool};
        signals: evaluation only — answer with a subset of "bm25", "dense", "graph".

        A graph server that does not answer within `graph_timeout` costs one question that much
        time: the answer comes from the indexes (graph_available=False) and the store is
        restarted in the background."""
        kwargs = {"history": history, "scope": scope, "signals": signals}
        answerer = self._ready()
        store = answerer.store
        try:
            answer = answerer.ask(question, **kwargs)
        finally:
            self._recover_if_timed_out(store)
        if answer.graph_available and getattr(store, "timed_out", False):
            # some graph facts came back and some did not: answer again from the indexes alone
            # rather than compose from a partial graph (it would miss departments it never got)
            answer = self._ready().ask(question, **kwargs)
        from rag.limits import cap_answer

        stale = self.stale_genre()
        if stale and stale not in answer.warnings:
            answer.warnings.append(stale)
        return cap_answer(answer, self.settings)  # the hard guard, whichever path wrote the answer

    def warm_up(self, questions: Sequence[str] = ()) -> int:
        """Load what questions read before a server says it is ready, then run the retrieval of the
        first of `questions` (the app passes its example questions, the likeliest first ones):
        linking, routing with the query embedding, the graph queries, BM25 and the dense search, so
        that each signal has run once. Returns 1 when it was retrieved; nothing ingested yet, or a
        store that is down, means 0.

        What every question reads is loaded by name (`Answerer.preload`: the indexes, the saved
        linker, the word-statistics sample, the query model with its intent examples, the place
        gazetteer and index, the part-of-speech tagger) rather than by answering questions that
        reach it. Answering more questions loads nothing more (measured at 10,000 documents: the
        questions asked after ready cost the same CPU whether none, one or three examples were
        retrieved before) and costs what those questions cost at the corpus's size — a one-word
        question such as 政策, or a list of a city's policies, reads the outline of every document in
        its scope (0.5–1 s of CPU each at 10,000 documents)."""
        try:
            self._ready().preload()
        except Exception as exc:  # nothing ingested yet: the first ingest loads what it needs
            log.info("warm-up: nothing loaded: %s", exc)
            return 0
        retrieved = 0
        for q in list(questions)[:1]:
            answerer = self._ready()
            store = answerer.store
            try:
                answerer.retrieve(q)
                retrieved += 1
            except Exception as exc:
                log.info("warm-up question not retrieved: %s", exc)
            finally:
                self._recover_if_timed_out(store)
        return retrieved

    def stale_genre(self) -> str | None:
        """A warning when the graph and indexes were built with other genre data than this façade's
        (a changed vocabulary takes effect at the next ingest, which rebuilds them); None otherwise."""
        built = self._built_genre()
        if built and built != self.genre.signature:
            return ("图谱与索引是用另一版本的体裁数据构建的（词表或规则已更改），"
                    "请重新运行 policykg ingest 以按当前数据重建。")
        return None

    def _built_genre(self) -> str | None:
        """The genre signature state.json records (parsed again only when the file changed)."""
        return current_generation(self.settings.data_dir).genre

    def retrieve(self, question: str) -> dict[str, list[Hit]]:
        """Each retrieval signal's ranking for a question ("bm25", "dense", "graph", "fused"), for eval."""
        return self._ready().retrieve(question)

    # -- browsing (graph-backed tables for the app) -------------------------------------------
    def policies(self) -> list[dict]:
        """Rows: id, title, doc_no, city, issuers, issued, effective, expiry, period, measures."""
        catalog = self._catalog()
        return [dict(r) for r in catalog["policies"]] if catalog else self._query("policies_all")

    def outline(self, policy_id: str) -> dict:
        """The policy's metadata and its measures in order, each with its departments."""
        meta = self._query("policy_by_id", policy_id=policy_id)
        if not meta:
            raise KeyError(f"no ingested policy has id {policy_id!r}")
        return {**meta[0], "measures": self._query("policy_outline", policy_id=policy_id)}

    def match_support(self, city: str | None = None, beneficiary: str | None = None,
                      topic: str | None = None, kind: str | None = None) -> list[dict]:
        """Rows: city, policy, doc_no, measure, kind, what, amount, rate, condition, beneficiaries,
        deadline, departments, quote. Every filter is optional."""
        return self._query("support_search", city=city or None, beneficiary=beneficiary or None,
                           topic=topic or None, kind=kind or None)

    def compare_targets(self, cities: Sequence[str] | None = None, topic: str | None = None) -> list[dict]:
        """Rows: city, policy, doc_no, metric, value, unit, comparator, year, quote."""
        rows = self._query("targets_search", city=None, topic=topic or None, year=None, metric=None)
        if cities:
            rows = [r for r in rows if r.get("city") in set(cities)]
        return rows

    def department_duties(self, name: str, city: str | None = None) -> list[dict]:
        """Rows: department, city, policy, doc_no, measure, role, quote."""
        return self._query("department_measures", names=[name], city=city or None)

    def vocabulary(self) -> dict[str, list[str]]:
        """Choices for filters: cities, beneficiaries, topics, support kinds, departments."""
        catalog = self._catalog()
        if catalog:
            return {k: list(v) for k, v in catalog["vocabulary"].items()}
        store = self._graph()
        if store is None:
            return {k: [] for k in (*VOCABULARY_KINDS.values(), "departments")}
        return build_catalog(store, policies=[])["vocabulary"]

    def frequent_values(self) -> dict[str, str]:
        """The most frequent city, support kind, beneficiary, topic and department among the support
        items, and a measure with responsible departments (for example questions)."""
        catalog = self._catalog()
        if catalog and "frequent" in catalog:
            return dict(catalog["frequent"])
        store = self._graph()
        return frequent_values(store) if store else {}

    def neighbours(self, node_id: str, limit: int = 24) -> list[dict]:
        """Rows: type, out, label, id, props — the graph neighbours of one node (any label)."""
        return self._query("node_neighbours", node_id=node_id, limit=limit)

    def node_properties(self, node_ids: Sequence[str]) -> dict[str, dict]:
        """Stored properties of the given nodes (amounts on support, values on targets …), by id."""
        rows = self._query("node_properties", ids=list(node_ids)) if node_ids else []
        return {str(r["id"]): dict(r.get("props") or {}) for r in rows if r.get("id") is not None}

    def graph_stats(self) -> dict[str, dict[str, int]]:
        """{"nodes": {label: n}, "relationships": {type: n}}."""
        store = self._graph()
        return store.stats() if store else {"nodes": {}, "relationships": {}}

    def graph_query(self, cypher: str, params: dict | None = None) -> list[dict]:
        """Run a read-only Cypher query; write clauses are refused with ValueError."""
        store = self._graph()
        if store is None:
            raise ValueError("the graph is empty: run `policykg ingest` first")
        try:
            return store.read_only(cypher, params or {})
        finally:
            self._recover_if_timed_out(store)

    def close(self) -> None:
        """Release the graph connection (the embedded server keeps running for other processes)."""
        with self._lock:
            self._catalog_cache = None
            if self._store is not None:
                self._store.close()
            self._store = self._index = self._answerer = None
            self._loaded_at = -1.0

    # -- plumbing ---------------------------------------------------------------------------
    def _invalidate(self) -> None:
        self.close()

    def _refresh(self) -> None:
        """Reload graph handle and indexes when another process committed a new generation."""
        mtime = state_mtime(self.settings.data_dir)
        if mtime != self._loaded_at:
            self.close()
            self._loaded_at = mtime

    def _graph(self):
        with self._lock:
            self._refresh()
            if self._store is None:
                if self._recovering:
                    raise RuntimeError("the graph server is being restarted; try again shortly")
                self._store = self._open_store()
            return self._store

    def _catalog(self) -> dict | None:
        """The browsing lists saved with the current generation's index (built at ingest), or None."""
        with self._lock:
            self._refresh()
            if self._catalog_cache is None:
                state = current_generation(self.settings.data_dir)
                found = load_catalog(self.settings.data_dir / state.index) if state.index else None
                self._catalog_cache = found or {}
            return self._catalog_cache or None

    def _query(self, name: str, **params) -> list[dict]:
        store = self._graph()
        try:
            return store.run(name, **params) if store else []
        finally:
            self._recover_if_timed_out(store)

    def _recover_if_timed_out(self, store) -> None:
        """Take a store that timed out out of service and restart it in the background."""
        if store is None or not getattr(store, "timed_out", False):
            return
        with self._lock:
            if self._recovering or store is not self._store:
                return
            self._store = None
            if self._answerer is not None:
                self._answerer.store = None
            self._bring_back_in_background(store)

    def _bring_back_in_background(self, failed=None) -> None:
        """Restart `failed` (or open the store afresh) in a thread; the caller holds the lock.

        WHY a thread: against a server that accepts connections and never answers, connecting takes
        as long as the driver's handshake retries (seconds); a question must not wait for that, nor
        hold the lock every other question needs. Until the store is back, answers come from the
        indexes."""
        self._recovering = True
        self._graph_tried = time.monotonic()
        threading.Thread(target=self._bring_back, args=(failed, self._loaded_at), daemon=True,
                         name="policykg-graph-restart").start()

    def _bring_back(self, failed, loaded_at: float) -> None:
        store = None
        try:
            if failed is not None:
                failed.restart()  # embedded: replaces a server that stopped answering; Bolt: reconnects
                store = failed
            else:
                store = self._open_store()
        except Exception as exc:  # the next retry (GRAPH_RETRY_SECONDS) tries again
            log.warning("graph store unavailable: %s", exc)
            if failed is not None:
                failed.close()
        with self._lock:
            self._recovering = False
            self._graph_tried = time.monotonic()
            if store is None:
                return
            if self._store is not None or self._loaded_at != loaded_at:  # a new generation meanwhile
                store.close()
                return
            self._store = store
            if self._answerer is not None and self._answerer.store is None:
                self._answerer.store = store

    def _open_store(self):
        """A new store on the current generation's graph, or None when nothing is ingested."""
        state = current_generation(self.settings.data_dir)
        if state.graph is None:
            return None
        from rag.state import open_generation_store

        return open_generation_store(self.settings, state.graph, timeout=self.settings.graph_timeout)

    def _ready(self):
        """The Answerer for the current generation (indexes and models loaded once)."""
        with self._lock:
            self._refresh()
            if self._answerer is None:
                state = current_generation(self.settings.data_dir)
                if state.index is None:
                    raise RuntimeError("nothing is ingested yet: run `policykg ingest` first")
                # the graph server loads its snapshot (seconds at 10,000 documents, in its own process)
                # while this one imports the answering modules and loads the indexes and what
                # questions read besides the graph: so it is started before any of them
                with ThreadPoolExecutor(1, thread_name_prefix="policykg-graph-open") as pool:
                    opening = pool.submit(self._open_store) if self._store is None and not self._recovering else None
                    try:
                        from rag.answer import Answerer
                        from rag.indexes import IndexSet

                        self._index = IndexSet.load(self.settings.data_dir / state.index, self.settings,
                                                    genre=self.genre)
                        answerer = Answerer(None, self._index, self.settings, genre=self.genre)
                        if opening is not None:
                            answerer.preload(until=opening.done)
                    finally:
                        store = self._opened(opening)
                self._answerer = answerer
                answerer.store = store
            elif (self._answerer.store is None and not self._recovering
                  and time.monotonic() - self._graph_tried >= GRAPH_RETRY_SECONDS):
                if self._store is not None:
                    self._answerer.store = self._store  # opened meanwhile (browsing)
                else:
                    self._bring_back_in_background()  # a store that came back is used again
            return self._answerer

    def _opened(self, opening: Future | None):
        """The store `_ready` began opening in the background (None: the one already open), or None
        when it cannot be reached — as `_try_graph` gives it."""
        if opening is None:
            return self._try_graph()
        self._graph_tried = time.monotonic()
        try:
            store = opening.result()
        except Exception as exc:
            log.warning("graph store unavailable: %s", exc)
            return None
        if self._store is None:
            self._store = store
        elif store is not None:
            store.close()
        return self._store

    def _try_graph(self):
        """The graph store, or None when it cannot be reached (answers then come from the indexes alone)."""
        self._graph_tried = time.monotonic()
        try:
            return self._graph()
        except Exception as exc:
            log.warning("graph store unavailable: %s", exc)
            return None
