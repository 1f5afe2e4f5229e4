"""GraphStore: one interface over the embedded FalkorDB server and Neo4j (or FalkorDB) over Bolt.

    store = open_store("embedded", data_dir)            # or "bolt://host:7687", user, password
    store.ensure_schema()
    store.write_policy(facts)                           # replaces that policy's subgraph
    rows = store.run("measure_departments", measure_ids=[...])
    store.read_only("MATCH (d:Department) RETURN d.name AS name")

Every operation gets one reconnect-and-retry when the connection drops: for the embedded engine
the reconnect restarts a server that was killed, so callers never see the crash. Writes are
idempotent MERGE batches, so replaying one after a dropped connection is safe.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from genre import Genre
from genre import resolve as resolve_genre
from kg import queries
from kg.cypher_guard import check_read_only
from kg.engines import BoltEngine, Engine, FalkorEngine
from kg.model import PolicyFacts
from kg.schema import INDEXED, NODE_KEYS
from kg.writer import (
    DELETE_ORPHANS,
    EXISTING,
    ORPHAN_ORDER,
    SHARED_NEIGHBOURS,
    Statement,
    delete_statements,
    orphan_candidates,
    write_statements,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
BATCH_ROWS = 2000  # rows per UNWIND statement
INDEX_BUILD_POLLS = 100  # ensure_schema waits at most this many polls for an index being built…
INDEX_BUILD_POLL_S = 0.05  # …this far apart (5 s in all) before it drops a stale one again


class GraphTimeout(RuntimeError):
    """The graph server did not answer in time; the store stays failed until it is restarted."""


class GraphStore:
    """Named queries, read-only ad-hoc queries and policy-level writes over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reconnect_lock = threading.Lock()  # the app calls from several threads
        self.timed_out = False  # set by the first call that timed out: later calls fail at once

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def name(self) -> str:
        """The graph (FalkorDB) or database (Neo4j) this store reads and writes."""
        return self.engine.graph_name

    # -- graph generations (FalkorDB only: ingest writes a copy, then switches) --------------
    @property
    def supports_copy(self) -> bool:
        return self.engine.supports_copy

    def graphs(self) -> list[str]:
        """Names of the graphs on the server (FalkorDB)."""
        return self._retry(self.engine.graphs) if self.supports_copy else [self.name]

    def copy_to(self, name: str) -> GraphStore:
        """A store on a fresh copy of this graph named `name` (replacing any graph of that name)."""
        if not self.supports_copy:
            raise NotImplementedError(f"{self.dialect} cannot copy graphs")
        self._retry(lambda: self.engine.copy_graph(name))
        return GraphStore(self.engine.renamed(name))

    def compact(self) -> bool:
        """Ask the server to store its data as one snapshot (see FalkorEngine.compact); engines that
        manage their own files (Neo4j) have nothing to do."""
        compact = getattr(self.engine, "compact", None)
        return bool(compact()) if compact is not None else False

    def drop_graph(self, name: str) -> None:
        if name == self.name:
            raise ValueError("refusing to drop the graph this store uses")
        if self.supports_copy:
            self._retry(lambda: self.engine.drop_graph(name))

    # -- plumbing --------------------------------------------------------------------------
    def _retry(self, op: Callable[[], T]) -> T:
        """Run `op`; reconnect and retry once after a dropped connection. A timeout is not retried
        (a server that does not answer would only make the caller wait twice): the store is marked
        timed out and every later call fails at once, until `restart`."""
        if self.timed_out:
            raise GraphTimeout("the graph server did not answer in time; it is being restarted")
        try:
            return op()
        except getattr(self.engine, "timeouts", ()) as exc:
            self.timed_out = True
            raise GraphTimeout(f"the graph server did not answer in time ({exc})") from exc
        except self.engine.transient as exc:
            with self._reconnect_lock:
                if not self.engine.ping():  # another thread may have reconnected already
                    log.warning("graph connection lost (%s); reconnecting", exc)
                    self.engine.reconnect()
            return op()

    def _execute(self, cypher: str, params: dict | None = None, read_only: bool = False) -> list[dict]:
        return self._retry(lambda: self.engine.execute(cypher, params, read_only))

    def _batches(self, rows: list[dict]) -> Iterator[list[dict]]:
        """Rows in chunks of BATCH_ROWS, and under the dialect's size cap where it has one."""
        cap = self.engine.dialect.max_batch_chars
        chunk: list[dict] = []
        size = 0
        for row in rows:
            n = len(json.dumps(row, ensure_ascii=False)) if cap else 0
            if chunk and (len(chunk) >= BATCH_ROWS or (cap and size + n > cap)):
                yield chunk
                chunk, size = [], 0
            chunk.append(row)
            size += n
        if chunk:
            yield chunk

    def _run_statement(self, st: Statement) -> None:
        for chunk in self._batches(st.rows):
            self._execute(st.cypher, {"rows": chunk})

    # -- schema ----------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create the key and lookup indexes of kg/schema.py, and drop those it no longer declares on
        its labels (a graph written by an earlier version; FalkorDB rebuilds every index each time
        its server loads); running it again changes nothing."""
        dialect = self.engine.dialect
        existing = self._listed_indexes()
        declared = {(label, key) for label, key in NODE_KEYS.items()}
        declared |= {(label, p) for label, ps in INDEXED.items() for p in ps}
        stale = {(label, p) for label, p in existing if label in NODE_KEYS} - declared
        for _ in range(2):  # FalkorDB does not drop an index it is building (each one, after a load),
            if not stale:  # and over Bolt says nothing of it: look again once they are built
                break
            for pair in sorted(stale):
                self._drop_index(pair)
            stale &= self._listed_indexes()
            if stale and not self.indexes_built():
                break
        for ddl in dialect.index_statements(NODE_KEYS, INDEXED, existing):
            self._run_ddl(ddl)

    def _drop_index(self, pair: tuple[str, str]) -> None:
        """Drop one index the schema no longer declares. FalkorDB lists a dropped index for a moment
        after the drop returned, so a second attempt may find it gone, and over Bolt its "no such
        index" arrives as an unknown error: a refused drop is no error once the index is no longer
        listed (polled as an index build is); one still listed is."""
        (ddl,) = self.engine.dialect.drop_statements({pair})
        try:
            self._run_ddl(ddl)
        except self.engine.transient:
            raise
        except Exception:
            for _ in range(INDEX_BUILD_POLLS):
                if pair not in self._listed_indexes():
                    return
                time.sleep(INDEX_BUILD_POLL_S)
            raise

    def _listed_indexes(self) -> set[tuple[str, str]]:
        """The (label, property) pairs the engine has indexes on; none where it cannot list them."""
        listing = self.engine.dialect.list_indexes
        if not listing:
            return set()
        return {(r["label"], p) for r in self._execute(listing, read_only=True) for p in r["properties"]}

    def _run_ddl(self, ddl: str) -> None:
        """Run one schema statement; a harmless refusal (a concurrent ensure_schema created or dropped
        it first) is no error."""
        try:
            self._execute(ddl)
        except self.engine.transient:
            raise
        except Exception as exc:
            if not self.engine.dialect.ddl_error_is_benign(exc):
                raise

    def indexes_built(self, attempts: int = INDEX_BUILD_POLLS) -> bool:
        """Wait until every index is built (FalkorDB builds them in the background, every one again
        each time its server loads a graph, and does not drop one under construction); False when the
        engine cannot tell or they are not built within INDEX_BUILD_POLLS polls."""
        status = self.engine.dialect.index_status
        if status is None:
            return False
        for _ in range(attempts):
            rows = self._execute(status, read_only=True)
            if all(str(r.get("status", "")).lower() == "operational" for r in rows):
                return True
            time.sleep(INDEX_BUILD_POLL_S)
        return False

    # -- writes ----------------------------------------------------------------------------
    def write_policy(self, facts: PolicyFacts, genre: Genre | None = None) -> None:
        """Replace one policy's subgraph (idempotent; `genre` as for write_policies)."""
        self.write_policies([facts], genre)

    def write_policies(self, all_facts: Sequence[PolicyFacts], genre: Genre | None = None) -> None:
        """Replace the subgraphs of several policies in shared UNWIND batches (the fast path); `genre`
        (the one the facts were extracted with; None: the packaged one) names the levels and keys the
        department ids."""
        if not all_facts:
            return
        ids = [f.policy.id for f in all_facts]
        existing = [r["id"] for r in self._execute(EXISTING, {"ids": ids})]
        candidates = self._delete(existing, keep_policy=True) if existing else {}
        for st in write_statements(all_facts, genre=resolve_genre(genre)):
            self._run_statement(st)
        self._delete_orphans(candidates)

    def delete_policy(self, policy_id: str) -> None:
        """Remove a policy and what it owns; shared nodes stay while another policy uses them."""
        self._delete_orphans(self._delete([policy_id], keep_policy=False))

    def _delete(self, policy_ids: Sequence[str], keep_policy: bool) -> dict[str, list[str]]:
        """Delete owned nodes (and the Policy nodes unless kept); return orphan candidates."""
        rows = [r for q in SHARED_NEIGHBOURS for r in self._execute(q, {"ids": list(policy_ids)})]
        for cypher, params in delete_statements(policy_ids, keep_policy):
            self._execute(cypher, params)
        return orphan_candidates(rows)

    def _delete_orphans(self, candidates: dict[str, list[str]]) -> None:
        """Remove those candidate shared nodes that nothing points at any more."""
        for label in ORPHAN_ORDER:
            if candidates.get(label):
                self._execute(DELETE_ORPHANS[label], {"keys": candidates[label]})

    def clear(self) -> None:
        """Delete every node and relationship (tests, and `ingest --rebuild`)."""
        self._execute("MATCH (n) DETACH DELETE n")

    # -- reads -----------------------------------------------------------------------------
    def policy_hashes(self) -> dict[str, str]:
        """Policy id -> sha256 of the file it was read from (for idempotent ingest)."""
        rows = self._execute("MATCH (p:Policy) RETURN p.id AS id, p.sha256 AS sha256", read_only=True)
        return {r["id"]: r["sha256"] or "" for r in rows}

    def run(self, name: str, **params) -> list[dict]:
        """Run a named query of kg/queries.py; KeyError for an unknown name."""
        query = queries.QUERIES[name]
        return self._execute(query.cypher, query.bind(params), read_only=True)

    def read_only(self, cypher: str, params: dict | None = None) -> list[dict]:
        """Run an ad-hoc query; ValueError if it could write (checked here and by the server)."""
        check_read_only(cypher)
        try:
            return self._execute(cypher, params, read_only=True)
        except (GraphTimeout, *self.engine.transient):  # the server's state, not the query's fault
            raise
        except Exception as exc:  # syntax and type errors: the server's reason, on one line
            raise ValueError(f"Cypher error: {_one_line(exc)}") from exc

    def stats(self) -> dict[str, dict[str, int]]:
        """{"nodes": {label: n}, "relationships": {type: n}}, sorted by name."""
        nodes = self._execute(queries.COUNT_NODES, read_only=True)
        rels = self._execute(queries.COUNT_RELATIONSHIPS, read_only=True)
        return {"nodes": {r["label"]: r["n"] for r in sorted(nodes, key=lambda r: r["label"])},
                "relationships": {r["type"]: r["n"] for r in sorted(rels, key=lambda r: r["type"])}}

    def ping(self) -> bool:
        return self.engine.ping()

    def restart(self) -> None:
        """Reconnect after a timeout; the embedded engine replaces a server that stopped answering."""
        with self._reconnect_lock:
            self.engine.reconnect()
            self.timed_out = False

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _one_line(exc: BaseException) -> str:
    """The server's message without its error-context echo (FalkorDB appends the query after errCtx)."""
    text = " ".join(str(exc).split())
    return text.removeprefix("errMsg: ").split(" errCtx:")[0] or type(exc).__name__


def open_store(url: str, data_dir: Path, user: str | None = None, password: str | None = None,
               name: str = "policykg", timeout: float | None = None) -> GraphStore:
    """'embedded' (FalkorDB child process in data_dir), 'bolt://' / 'neo4j://' (neo4j driver),
    or 'falkordb://host:port' / 'redis://host:port' (a standalone FalkorDB)."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else url.lower()
    if scheme == "embedded":
        return GraphStore(FalkorEngine(name, data_dir=Path(data_dir), timeout=timeout))
    if scheme in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"):
        return GraphStore(BoltEngine(url, user, password, database=name, timeout=timeout))
    if scheme in ("falkordb", "redis"):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        return GraphStore(FalkorEngine(name, host=parts.hostname or "127.0.0.1", port=parts.port or 6379,
                                       password=password or parts.password, timeout=timeout))
    raise ValueError(f"unknown graph URL {url!r}: use 'embedded', bolt://, neo4j:// or falkordb://")
