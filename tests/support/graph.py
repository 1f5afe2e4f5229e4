"""Graph store fixtures (real FalkorDB servers) and a builder of hand-made PolicyFacts.

Fixtures:
    graph_server    session: the embedded FalkorDB server in a temporary data dir (ServerInfo)
    graph_store     function: a GraphStore on that server, emptied, schema ensured
    bolt_server     session: a FalkorDB server with Bolt on a free port; yields its bolt:// URL
                    (a str carrying .user, .password, .pid for the neo4j driver's auth)
    bolt_store      function: a GraphStore through the neo4j driver on bolt_server, emptied (the
                    store object is shared by the session; do not close it)
    any_store       function, parametrised: graph_store, then bolt_store (both code paths)

Builder:
    make_facts(policy_id, city, measures=[MeasureSpec(...)], ...) -> PolicyFacts
"""

from __future__ import annotations

import random
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from corpus.model import DocumentMeta, Measure, Policy, Section
from kg.embedded import ServerInfo, ensure_server
from kg.model import DateFact, DepartmentRef, Mention, PolicyFacts, Span, Support, Target
from kg.store import GraphStore, open_store

# -- builder ---------------------------------------------------------------------------------


@dataclass
class MeasureSpec:
    """A measure and what the extractors would have found in it."""

    title: str
    text: str = ""
    departments: list[str] = field(default_factory=list)  # canonical names; a "name=mention" pair sets the mention
    roles: dict[str, str] = field(default_factory=dict)  # canonical name -> role
    supports: list[Support] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    deadline: str | None = None  # e.g. "2025-12-31"


def dept_ref(name: str, city: str | None, measure_id: str | None = None, role: str = "responsible",
             mention: str | None = None, start: int = 0, end: int = 0) -> DepartmentRef:
    span = Span(measure_id, start, end, mention or name) if measure_id else None
    return DepartmentRef(mention=mention or name, canonical=name, city=city, id=f"{city or '国家'}:{name}",
                         role=role, span=span)


def make_facts(policy_id: str, city: str | None, measures: list[MeasureSpec], title: str | None = None,
               doc_no: str | None = None, issuers: list[str] | None = None, targets: list[Target] | None = None,
               sha256: str = "sha-1") -> PolicyFacts:
    """A Policy (one section holding the measures) and its facts, with consistent offsets."""
    text, sec_measures, facts_depts, supports, mentions, dates = "", [], {}, {}, {}, []
    sid = f"{policy_id}/s1"
    for i, spec in enumerate(measures, 1):
        mid = f"{policy_id}/m{i}"
        body = spec.text or f"{spec.title}。"
        start = len(text)
        text += body + "\n"
        sec_measures.append(Measure(id=mid, number=f"（{i}）", title=spec.title, text=body, start=start,
                                    end=start + len(body), section_id=sid))
        refs = []
        for entry in spec.departments:
            name, _, mention = entry.partition("=")
            pos = body.find(mention or name)
            s0 = start + max(pos, 0)
            refs.append(dept_ref(name, city, mid, spec.roles.get(name, "responsible"), mention or name,
                                 s0, s0 + len(mention or name)))
        facts_depts[mid] = refs
        if spec.supports:
            supports[mid] = [
                Support(**{**vars(s), "span": s.span or Span(mid, start, start + len(body), body)})
                for s in spec.supports
            ]
        ms = [Mention("topic", t, t, Span(mid, start, start, body)) for t in spec.topics]
        ms += [Mention("region", r, r, Span(mid, start, start, body)) for r in spec.regions]
        ms += [Mention("organisation", o, o, Span(mid, start, start, body)) for o in spec.organisations]
        if ms:
            mentions[mid] = ms
        if spec.deadline:
            dates.append(DateFact("deadline", f"{spec.deadline[:4]}年底前", spec.deadline,
                                  span=Span(mid, start, start + len(body), body)))
    section = Section(id=sid, number="一、", title="主要任务", start=0, end=len(text), measures=sec_measures)
    meta = DocumentMeta(title=title or f"{city or ''}政策{policy_id}", doc_no=doc_no, issuers=issuers or [],
                        city=city)
    policy = Policy(id=policy_id, meta=meta, text=text, sections=[section], path=f"{policy_id}.txt", sha256=sha256)
    issuer_refs = [dept_ref(n, city) for n in (issuers or [])]
    return PolicyFacts(policy=policy, city=city, issuers=issuer_refs, departments=facts_depts,
                       targets=targets or [], dates=dates, supports=supports, mentions=mentions)


# -- servers and stores ----------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port below 32768: FalkorDB silently ignores a larger BOLT_PORT."""
    for _ in range(100):
        port = random.randrange(20000, 32000)
        with socket.socket(socket.AF_INET6) as s:
            try:
                s.bind(("::", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 32768")


class BoltURL(str):
    """A bolt:// URL that also carries the credentials and pid of the server behind it."""

    user: str
    password: str
    pid: int
    data_dir: Path


@pytest.fixture(scope="session")
def graph_server(tmp_path_factory) -> ServerInfo:
    data_dir = tmp_path_factory.mktemp("graphdata")
    info = ensure_server(data_dir)
    yield info
    from tests.support.servers import stop_everything_in  # a plugin itself: imported once registered

    stop_everything_in(data_dir)


@pytest.fixture
def graph_store(graph_server) -> GraphStore:
    store = open_store("embedded", graph_server.data_dir)
    store.clear()
    store.ensure_schema()
    yield store
    store.close()


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory) -> BoltURL:
    data_dir = tmp_path_factory.mktemp("boltdata")
    port, password = free_port(), secrets.token_hex(16)
    info = ensure_server(data_dir, bolt_port=port, password=password)
    url = BoltURL(f"bolt://127.0.0.1:{port}")
    url.user, url.password, url.pid, url.data_dir = "falkordb", password, info.pid, data_dir
    yield url
    from tests.support.servers import stop_everything_in

    stop_everything_in(data_dir)


@pytest.fixture(scope="session")
def _bolt_session_store(bolt_server) -> GraphStore:
    """One driver for the session: FalkorDB's Bolt endpoint dislikes connection churn (see kg.engines)."""
    store = open_store(bolt_server, bolt_server.data_dir, user=bolt_server.user, password=bolt_server.password)
    yield store
    store.close()


@pytest.fixture
def bolt_store(_bolt_session_store) -> GraphStore:
    _bolt_session_store.clear()
    _bolt_session_store.ensure_schema()
    return _bolt_session_store


@pytest.fixture(params=["embedded", "bolt"])
def any_store(request) -> GraphStore:
    """The same test on both code paths: the falkordb client and the neo4j driver."""
    return request.getfixturevalue("graph_store" if request.param == "embedded" else "bolt_store")
