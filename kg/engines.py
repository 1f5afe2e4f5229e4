"""The two graph engines behind GraphStore, and the one small dialect adapter.

- FalkorEngine: the `falkordb` client, over the embedded server's Unix socket (or a standalone
  FalkorDB at host:port). Read-only queries go through GRAPH.RO_QUERY, so the server refuses writes.
- BoltEngine: the official `neo4j` driver, against Neo4j 5 or FalkorDB's Bolt endpoint.

The same Cypher runs everywhere; what differs sits in `Dialect`:
- index DDL (Neo4j: named `IF NOT EXISTS` indexes and uniqueness constraints; FalkorDB: plain
  `CREATE INDEX`, an "already indexed" error meaning done);
- how parameters travel. FalkorDB's Bolt endpoint (4.x) pastes Bolt parameters into the query text
  unescaped and through a 4 KB stack buffer, so a quote in a value rewrites the query and a large
  batch crashes the server. Over Bolt to FalkorDB we therefore send no Bolt parameters: values go
  in FalkorDB's own `CYPHER name=value` header, escaped by the falkordb client's encoder (exactly
  what that client sends over RESP), and batches are kept small;
- graph selection. FalkorDB's Bolt endpoint ignores the database name: a RUN without extra fields
  goes to the graph named "falkordb"; with any extra field (database, access mode) it goes to a
  graph named after the first *key* of that map ("db", "mode"). So over Bolt to FalkorDB we never
  set a database or access mode, and the data lives in graph "falkordb". Neo4j uses the database
  named by the settings if it exists, else the user's home database (Community has only `neo4j`).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

log = logging.getLogger(__name__)
HANDSHAKE_TIMEOUT = 5.0  # seconds for a Bolt connection to open; retried (see BoltEngine._connect)


class QueryTimeout(Exception):
    """A Bolt query that got no answer within the engine's timeout (the server may be frozen)."""


def bounded(op, timeout: float, what: str):
    """`op()` in a daemon thread, waited for at most `timeout` seconds.

    WHY: the neo4j driver bounds opening a connection but not reading a result: against a server
    that accepts bytes and never answers (stopped, swapping, deadlocked) a query waits forever. An
    abandoned call ends when its connection is closed (`BoltEngine.reconnect` closes the driver,
    which shuts every socket down); it is a daemon, so it never holds up the process's exit.
    """
    done = threading.Event()
    box: dict = {}

    def call() -> None:
        try:
            box["value"] = op()
        except BaseException as exc:  # handed to the waiting caller, or dropped if it gave up
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=call, daemon=True, name="policykg-bolt-query").start()
    if not done.wait(timeout):
        raise QueryTimeout(f"{what}: no answer within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


# -- values ----------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Turn driver objects (nodes, relationships, paths) into JSON-friendly Python values."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    kind = type(value).__module__
    if kind.startswith("falkordb"):
        return _plain_falkordb(value)
    if kind.startswith("neo4j"):
        return _plain_neo4j(value)
    return value


def _plain_falkordb(value: Any) -> Any:
    from falkordb import Edge, Node
    from falkordb import Path as FPath

    if isinstance(value, Node):
        return {"_id": value.id, "_labels": list(value.labels or []), **plain(value.properties)}
    if isinstance(value, Edge):
        src = value.src_node.id if hasattr(value.src_node, "id") else value.src_node
        dst = value.dest_node.id if hasattr(value.dest_node, "id") else value.dest_node
        return {"_id": value.id, "_type": value.relation, "_start": src, "_end": dst,
                **plain(value.properties)}
    if isinstance(value, FPath):
        return {"nodes": [plain(n) for n in value.nodes()], "relationships": [plain(e) for e in value.edges()]}
    return value


def _plain_neo4j(value: Any) -> Any:
    from neo4j.graph import Node, Relationship
    from neo4j.graph import Path as NPath

    if isinstance(value, Node):
        return {"_id": value.element_id, "_labels": sorted(value.labels), **plain(dict(value))}
    if isinstance(value, Relationship):
        return {"_id": value.element_id, "_type": value.type, "_start": value.start_node.element_id,
                "_end": value.end_node.element_id, **plain(dict(value))}
    if isinstance(value, NPath):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if hasattr(value, "iso_format"):  # neo4j temporal types
        return value.iso_format()
    return value


def without_nul(value: Any) -> Any:
    """Parameters with NUL characters removed: FalkorDB reads the query as a C string, so a NUL inside
    a value would cut the query short (a user's text may carry one)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {k: without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_nul(v) for v in value]
    return value


def falkor_params_header(params: dict | None) -> str:
    """FalkorDB's parameter header (`CYPHER a=1 b="x" `), values escaped by the falkordb client."""
    from falkordb.helpers import stringify_param_value

    if not params:
        return ""
    parts = []
    for key, value in without_nul(params).items():
        if not str(key).isidentifier():
            raise ValueError(f"invalid parameter name: {key!r}")
        parts.append(f"{key}={stringify_param_value(value)}")
    return "CYPHER " + " ".join(parts) + " "


# -- dialects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dialect:
    """Neo4j 5 is the reference; FalkorDB overrides what differs."""

    name: str = "neo4j"
    inline_params: bool = False  # send parameters in a CYPHER header instead of Bolt fields
    max_batch_chars: int | None = None  # cap on a batch's encoded size (FalkorDB Bolt)

    # a query listing existing indexes as (label, properties) rows; None: DDL is idempotent itself
    list_indexes: str | None = None
    # the build state of every index, one `status` per row ("operational" when built); None where an
    # engine builds its indexes before the DDL returns
    index_status: str | None = None

    def index_statements(self, keys: dict[str, str], indexed: dict[str, tuple[str, ...]],
                         existing: set[tuple[str, str]] | None = None) -> list[str]:
        out = [f"CREATE CONSTRAINT policykg_{label.lower()}_{key} IF NOT EXISTS "
               f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE" for label, key in keys.items()]
        out += [f"CREATE INDEX policykg_{label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
                for label, props in indexed.items() for prop in props]
        return out

    def drop_statements(self, stale: set[tuple[str, str]]) -> list[str]:
        """DDL removing indexes the schema no longer declares (`stale`: (label, property) pairs found
        by `list_indexes`); none where the engine cannot list its indexes."""
        return []

    def ddl_error_is_benign(self, exc: Exception) -> bool:
        return False


@dataclass(frozen=True)
class FalkorDialect(Dialect):
    name: str = "falkordb"
    list_indexes: str | None = "CALL db.indexes() YIELD label, properties RETURN label, properties"
    index_status: str | None = "CALL db.indexes() YIELD status RETURN status"

    def index_statements(self, keys: dict[str, str], indexed: dict[str, tuple[str, ...]],
                         existing: set[tuple[str, str]] | None = None) -> list[str]:
        # FalkorDB has no `IF NOT EXISTS` (and over Bolt its error messages are lost), so only
        # missing indexes are created. Its uniqueness constraints are a separate command
        # (GRAPH.CONSTRAINT) unavailable over Bolt; the writer's MERGE on the key keeps ids unique.
        props = {(label, key) for label, key in keys.items()}
        props |= {(label, p) for label, ps in indexed.items() for p in ps}
        props -= existing or set()
        return [f"CREATE INDEX FOR (n:{label}) ON (n.{prop})" for label, prop in sorted(props)]

    def drop_statements(self, stale: set[tuple[str, str]]) -> list[str]:
        return [f"DROP INDEX ON :{label}({prop})" for label, prop in sorted(stale)]

    def ddl_error_is_benign(self, exc: Exception) -> bool:
        # a concurrent ensure_schema won the race (created it, or dropped it first)
        return "already indexed" in str(exc) or "Unable to drop index" in str(exc)


NEO4J = Dialect()
FALKORDB = FalkorDialect()
FALKORDB_BOLT = FalkorDialect(name="falkordb-bolt", inline_params=True, max_batch_chars=48_000)


# -- engines ---------------------------------------------------------------------------------


class Engine(Protocol):
    dialect: Dialect
    transient: tuple[type[BaseException], ...]  # errors after which reconnect+retry is worth it
    description: str
    supports_copy: bool  # FalkorDB only: graphs(), copy_graph(), drop_graph(), renamed()
    graph_name: str

    def execute(self, cypher: str, params: dict | None = None, read_only: bool = False) -> list[dict]: ...
    def ping(self) -> bool: ...
    def reconnect(self) -> None: ...
    def close(self) -> None: ...


def _rows(keys: Iterable[str], records: Iterable[Iterable[Any]]) -> list[dict]:
    keys = list(keys)
    return [dict(zip(keys, (plain(v) for v in rec), strict=True)) for rec in records]


class FalkorEngine:
    """FalkorDB through its own client: the embedded server (data_dir) or a standalone one."""

    def __init__(self, graph: str, data_dir: Path | None = None, host: str | None = None,
                 port: int | None = None, password: str | None = None, timeout: float | None = None) -> None:
        import redis

        self.dialect: Dialect = FALKORDB
        self.transient = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                          redis.exceptions.BusyLoadingError)
        self.timeouts = (redis.exceptions.TimeoutError,)  # the server took longer than `timeout`
        self._timeout = timeout  # per socket operation; None (ingest writes): wait as long as it takes
        self._graph_name, self._data_dir = graph, data_dir
        self._host, self._port, self._password = host, port, password
        self.description = f"falkordb embedded {data_dir}" if data_dir else f"falkordb {host}:{port}"
        self._db = None
        self._connect()

    def _connect(self) -> None:
        from falkordb import FalkorDB

        if self._data_dir is not None:
            from kg.embedded import ensure_server

            info = ensure_server(self._data_dir)
            self._db = FalkorDB(unix_socket_path=str(info.socket_path), socket_timeout=self._timeout,
                                socket_connect_timeout=self._timeout)
        else:
            self._db = FalkorDB(host=self._host, port=self._port, password=self._password,
                                socket_timeout=self._timeout, socket_connect_timeout=self._timeout)
        self._graph = self._db.select_graph(self._graph_name)

    def execute(self, cypher: str, params: dict | None = None, read_only: bool = False) -> list[dict]:
        import redis

        run = self._graph.ro_query if read_only else self._graph.query
        try:
            result = run(cypher, without_nul(params) or None)
        except redis.exceptions.ResponseError as exc:
            if read_only and "empty key" in str(exc):  # a graph nothing was written to yet reads as empty
                return []
            raise
        return _rows((h[1] for h in result.header), result.result_set)

    supports_copy = True  # graphs are cheap server-side copies (GRAPH.COPY): ingest generations

    @property
    def graph_name(self) -> str:
        return self._graph_name

    def graphs(self) -> list[str]:
        return list(self._db.list_graphs())

    def copy_graph(self, target: str) -> None:
        """Copy this graph to `target`, replacing what was there."""
        if target in self.graphs():
            self._db.select_graph(target).delete()
        self._graph.copy(target)

    def drop_graph(self, name: str) -> None:
        if name in self.graphs():
            self._db.select_graph(name).delete()

    def compact(self, wait_s: float = 300.0) -> bool:
        """Rewrite the server's append-only file as one snapshot and wait for it (up to `wait_s`): after
        an ingest its log holds every write, and replaying it made the next start of the server take
        tens of seconds at 10,000 documents; a snapshot loads in a fraction of that. False when the
        server does not log (snapshot persistence) or the rewrite did not finish in time."""
        import time

        conn = self._db.connection
        if str(conn.config_get("appendonly").get("appendonly")) != "yes":
            return False
        try:
            conn.execute_command("BGREWRITEAOF")
        except Exception as exc:  # one already running (redis's own auto-rewrite) is waited for below
            log.debug("BGREWRITEAOF: %s", exc)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            info = conn.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                return info.get("aof_last_bgrewrite_status") == "ok"
            time.sleep(0.2)
        return False

    def renamed(self, graph: str) -> FalkorEngine:
        """A new engine on the same server, for another graph."""
        return FalkorEngine(graph, self._data_dir, self._host, self._port, self._password, self._timeout)

    def ping(self) -> bool:
        try:
            return self._db is not None and bool(self._db.connection.ping())
        except self.transient:
            return False

    def reconnect(self) -> None:
        self.close()
        self._connect()  # embedded: restarts the server if it died

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except Exception:  # closing a dead connection must not mask the original error
                log.debug("closing falkordb client failed", exc_info=True)
            self._db = None


class BoltEngine:
    """The official neo4j driver: Neo4j 5, or FalkorDB's Bolt endpoint (detected at connect)."""

    def __init__(self, url: str, user: str | None = None, password: str | None = None,
                 database: str | None = None, timeout: float | None = None) -> None:
        from neo4j.exceptions import ServiceUnavailable, SessionExpired

        self.transient = (ServiceUnavailable, SessionExpired, ConnectionError, OSError)
        # the driver bounds connecting (HANDSHAKE_TIMEOUT); a query is bounded by `timeout`, on the
        # client (see `bounded`) and, on Neo4j, as the transaction's server-side timeout too.
        # None (ingest writes): wait as long as it takes
        self.timeouts = (QueryTimeout,)
        self._timeout = timeout
        self._url, self._auth = url, ((user or "neo4j"), password) if password else None
        self._wanted_db = database
        self.description = f"bolt {url}"
        self._driver = None
        self._connect()

    def _knock(self) -> None:
        """Open and close a bare TCP connection to the server.

        FalkorDB's Bolt endpoint (4.x) leaves state behind when a Bolt client disconnects: the next
        connection's handshake is never answered, but a connection that is merely opened and
        closed absorbs it. Knocking before connecting and after closing keeps the driver path
        usable across stores and processes; for Neo4j it is a harmless no-op.
        """
        parts = urlsplit(self._url)
        with contextlib.suppress(OSError):
            socket.create_connection((parts.hostname or "localhost", parts.port or 7687), timeout=2).close()

    def _connect(self, attempts: int = 3) -> None:
        """Connect, knocking first; a handshake left unanswered (see _knock) is retried."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import ServiceUnavailable

        for attempt in range(1, attempts + 1):
            self._knock()
            self._driver = GraphDatabase.driver(self._url, auth=self._auth, connection_timeout=HANDSHAKE_TIMEOUT,
                                                connection_acquisition_timeout=HANDSHAKE_TIMEOUT)
            try:
                self._driver.verify_connectivity()
                break
            except ServiceUnavailable:
                self._driver.close()
                if attempt == attempts:
                    raise
        self.dialect = self._detect_dialect()
        if self.dialect.inline_params:  # the failed probe may have left FalkorDB's endpoint stale
            self._reopen()
        self._database = None if self.dialect.inline_params else self._pick_database()

    def _reopen(self) -> None:
        from neo4j import GraphDatabase

        self._driver.close()
        time.sleep(0.05)
        self._knock()
        self._driver = GraphDatabase.driver(self._url, auth=self._auth, connection_timeout=HANDSHAKE_TIMEOUT,
                                            connection_acquisition_timeout=HANDSHAKE_TIMEOUT)

    def _detect_dialect(self) -> Dialect:
        """Neo4j lists its components; FalkorDB's Bolt endpoint has no such procedure."""
        from neo4j.exceptions import Neo4jError

        try:
            with self._driver.session() as s:
                names = [r["name"] for r in s.run("CALL dbms.components() YIELD name RETURN name")]
        except Neo4jError:
            return FALKORDB_BOLT
        return NEO4J if any("neo4j" in str(n).lower() for n in names) else FALKORDB_BOLT

    def _pick_database(self) -> str | None:
        from neo4j.exceptions import ClientError

        if not self._wanted_db:
            return None
        try:
            with self._driver.session(database=self._wanted_db) as s:
                s.run("RETURN 1").consume()
        except ClientError as exc:
            if "DatabaseNotFound" in (exc.code or ""):
                log.info("Neo4j database %r not found; using the home database", self._wanted_db)
                return None
            raise
        return self._wanted_db

    def execute(self, cypher: str, params: dict | None = None, read_only: bool = False) -> list[dict]:
        if self._timeout is None:
            return self._execute(cypher, params, read_only)
        return bounded(lambda: self._execute(cypher, params, read_only), self._timeout, self.description)

    def _execute(self, cypher: str, params: dict | None, read_only: bool) -> list[dict]:
        if self.dialect.inline_params:
            return self._execute_inline(cypher, params)
        import neo4j

        @neo4j.unit_of_work(timeout=self._timeout)  # Neo4j ends the transaction itself, too
        def work(tx):
            result = tx.run(cypher, params or {})
            return _rows(result.keys(), (r.values() for r in result))

        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        with self._driver.session(database=self._database, default_access_mode=mode) as s:
            return s.execute_read(work) if read_only else s.execute_write(work)

    def _execute_inline(self, cypher: str, params: dict | None) -> list[dict]:
        # no database, no access mode and no Bolt parameters: see the module docstring
        from neo4j.exceptions import Neo4jError

        try:
            with self._driver.session() as s:
                result = s.run(falkor_params_header(params) + cypher)
                return _rows(result.keys(), (r.values() for r in result))
        except Neo4jError:
            self._reopen()  # a failed query can leave the endpoint stale (see _knock)
            raise

    supports_copy = False  # Neo4j Community has one database; writes go in place

    @property
    def graph_name(self) -> str:
        return "falkordb" if self.dialect.inline_params else (self._database or "neo4j")

    def ping(self) -> bool:
        if self._driver is None:
            return False
        try:
            self._driver.verify_connectivity()
            return True
        except self.transient:
            return False

    def reconnect(self) -> None:
        self.close()
        self._connect()

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None
            time.sleep(0.05)  # let the server see the disconnect before the knock
            self._knock()
