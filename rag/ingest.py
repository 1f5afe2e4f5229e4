"""Ingest: files -> policies -> facts -> graph, and policies -> chunks -> indexes, as one generation.

The steps are plain functions over dataclasses; `run_ingest` strings them together under the data
directory's lock and commits the new generation by replacing `state.json` (see rag/state.py).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from corpus import load_corpus, parse_file
from corpus.model import Policy
from genre import Genre
from genre import current as current_genre
from genre import use as use_genre
from kg.extract import extract
from kg.store import GraphStore, open_store
from rag.chunks import make_chunks
from rag.indexes import IndexSet
from rag.model import Chunk, IngestReport
from rag.settings import Settings
from rag.state import IngestLock, PolicyRecord, State, ensure_private_dir, read_state, write_state

log = logging.getLogger(__name__)
ProgressFn = Callable[[str, int, int], None]


@dataclass
class Plan:
    """What an ingest will change, decided before anything is written."""

    write: list[Policy] = field(default_factory=list)  # new or changed
    unchanged: list[Policy] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)  # policy ids
    skipped: list[dict] = field(default_factory=list)

    @property
    def graph_changes(self) -> bool:
        return bool(self.write or self.remove)


class Timer:
    """Accumulates wall time per stage in milliseconds."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.ms[name] = self.ms.get(name, 0.0) + (time.perf_counter() - t0) * 1000


def _noop(stage: str, done: int, total: int) -> None:
    return None


def plan_changes(policies: Sequence[Policy], skipped: Iterable, state: State) -> Plan:
    """Split loaded policies into new/changed and unchanged; report duplicates as skipped."""
    plan = Plan(skipped=[{"path": s.path, "reason": s.reason} for s in skipped])
    seen_sha: dict[str, Policy] = {}
    seen_id: dict[str, Policy] = {}
    for p in policies:
        if p.sha256 in seen_sha:
            plan.skipped.append({"path": p.path, "reason": f"same content as {seen_sha[p.sha256].path}; ingested once"})
            continue
        if p.id in seen_id:
            plan.skipped.append({"path": p.path, "reason": f"same document ({p.meta.doc_no or p.meta.title}) as "
                                 f"{seen_id[p.id].path}; only the first is ingested"})
            continue
        seen_sha[p.sha256] = p
        seen_id[p.id] = p
        old = state.policies.get(p.id)
        (plan.unchanged if old and old.sha256 == p.sha256 else plan.write).append(p)
    return plan


def refresh_for_genre(plan: Plan, state: State, signature: str) -> None:
    """A graph and indexes built with other genre data are rebuilt: every ingested policy is parsed and
    extracted again, also those not among the files of this run (re-read from where they came from)."""
    if not state.policies or state.genre == signature:
        return
    log.info("genre data changed (%s -> %s): re-extracting every policy", state.genre, signature)
    plan.write.extend(plan.unchanged)
    plan.unchanged = []
    taken = {p.id for p in plan.write} | set(plan.remove)
    for pid, record in sorted(state.policies.items()):
        if pid not in taken and (policy := _reparse(record)) is not None:
            plan.write.append(policy)


def _record(p: Policy) -> PolicyRecord:
    return PolicyRecord(id=p.id, sha256=p.sha256, path=p.path, title=p.meta.title, doc_no=p.meta.doc_no,
                        city=p.meta.city, sections=len(p.all_sections()), measures=len(p.measures()))


def graph_name(settings: Settings, generation: int) -> str:
    return f"{settings.graph_name}_g{generation}"


def open_generation_store(settings: Settings, name: str | None) -> GraphStore:
    return open_store(settings.graph_url, settings.data_dir, user=settings.graph_user,
                      password=settings.graph_password, name=name or settings.graph_name)


def next_graph(settings: Settings, state: State, generation: int, plan: Plan) -> tuple[GraphStore, str]:
    """The store the new generation writes to: a copy of the current graph where the engine can copy.

    Engines without graph copies (Neo4j) write in place: idempotent MERGE batches per policy.
    """
    current = open_generation_store(settings, state.graph)
    if not current.supports_copy:
        return current, current.name
    name = graph_name(settings, generation)
    if state.graph and not plan.graph_changes:
        return current, state.graph
    new = current.copy_to(name) if state.graph else open_generation_store(settings, name)
    if new is not current:
        current.close()
    return new, name


WRITE_BATCH = 100  # policies per UNWIND batch: big enough to amortise round trips, small enough to report progress


def write_graph(store: GraphStore, plan: Plan, progress: ProgressFn, timer: Timer) -> None:
    """Extract facts from changed policies and replace their subgraphs in batches; delete removed ones."""
    store.ensure_schema()
    for pid in plan.remove:
        store.delete_policy(pid)
    total = len(plan.write)
    for start in range(0, total, WRITE_BATCH):
        batch = plan.write[start:start + WRITE_BATCH]
        with timer.stage("extraction"):
            facts = [extract(p) for p in batch]
        with timer.stage("graph_write"):
            store.write_policies(facts)
        progress("graph", start + len(batch), total)


def build_index(settings: Settings, state: State, plan: Plan, progress: ProgressFn,
                timer: Timer) -> IndexSet:
    """Chunks of every current policy (reused from the previous index where unchanged), indexed afresh."""
    previous = load_index(settings, state)
    keep = set(state.policies) - {p.id for p in plan.write} - set(plan.remove)
    chunks: list[Chunk] = [c for c in (previous.chunks if previous else []) if c.policy_id in keep]
    missing = keep - {c.policy_id for c in chunks}
    loaded = {p.id: p for p in plan.unchanged}
    with timer.stage("chunking"):
        for p in plan.write:
            chunks.extend(make_chunks(p))
        for pid in sorted(missing):
            policy = loaded.get(pid) or _reparse(state.policies[pid])
            if policy is not None:
                chunks.extend(make_chunks(policy))
    progress("index", 0, 1)
    shas = [r.sha256 for pid, r in state.policies.items() if pid in keep] + [p.sha256 for p in plan.write]
    with timer.stage("index_build"):
        index = IndexSet.build(chunks, settings, sources=shas)
    progress("index", 1, 1)
    return index


def _reparse(record: PolicyRecord) -> Policy | None:
    """Re-read a policy whose chunks were lost with a broken index, from the file it came from."""
    try:
        return parse_file(Path(record.path))
    except Exception as exc:
        log.warning("cannot re-read %s for the index (%s); its measures are not searchable", record.path, exc)
        return None


def load_index(settings: Settings, state: State) -> IndexSet | None:
    if not state.index:
        return None
    try:
        return IndexSet.load(settings.data_dir / state.index, settings)
    except Exception as exc:  # a broken index is rebuilt, not fatal
        log.warning("previous index unusable (%s); rebuilding", exc)
        return None


def collect_garbage(settings: Settings, keep_graphs: set[str], keep_index: set[str]) -> None:
    """Remove generations other than the current and previous one (a running app may still read it)."""
    for d in settings.data_dir.glob("index-g*"):
        if d.name not in keep_index:
            shutil.rmtree(d, ignore_errors=True)
    try:
        store = open_generation_store(settings, None)
        if store.supports_copy:
            prefix = f"{settings.graph_name}_g"
            for g in store.graphs():
                if g.startswith(prefix) and g not in keep_graphs:
                    store.drop_graph(g)
        store.close()
    except Exception as exc:  # garbage can wait for the next ingest
        log.warning("could not remove old graph generations: %s", exc)


def commit(settings: Settings, state: State, plan: Plan, generation: int, graph: str,
           index: IndexSet) -> State:
    """Write the index folder, then atomically point state.json at the new generation."""
    index_name = f"index-g{generation}"
    index.save(settings.data_dir / index_name)
    policies = {k: v for k, v in state.policies.items() if k not in plan.remove}
    policies.update({p.id: _record(p) for p in plan.write})
    new = State(generation=generation, graph=graph, index=index_name, policies=policies,
                embedding_model=settings.embedding_model, genre=current_genre().signature)
    write_state(settings.data_dir, new)
    collect_garbage(settings, {g for g in (graph, state.graph) if g}, {index_name, state.index or ""})
    return new


def apply_plan(settings: Settings, state: State, plan: Plan, progress: ProgressFn, timer: Timer) -> State:
    """Build and commit the next generation for `plan`."""
    generation = state.generation + 1
    store, graph = next_graph(settings, state, generation, plan)
    try:
        write_graph(store, plan, progress, timer)
        index = build_index(settings, state, plan, progress, timer)
        return commit(settings, state, plan, generation, graph, index)
    finally:
        store.close()


def needs_work(settings: Settings, state: State, plan: Plan) -> bool:
    """Whether a new generation is needed; nothing readable and nothing ingested yet builds none."""
    if plan.graph_changes:
        return True
    if not state.index:
        return bool(state.policies)
    index_dir = settings.data_dir / state.index
    return not index_dir.is_dir() or state.embedding_model != settings.embedding_model


def run_ingest(settings: Settings, paths: Sequence[Path] | None, progress: ProgressFn | None = None,
               remove: Sequence[str] = (), genre: Genre | None = None) -> IngestReport:
    """Ingest files (default: the corpus folder) and/or remove policies, as one committed generation.

    `genre` is the genre data to parse and extract with (default: the active one); when it differs from
    the one the current generation was built with, every policy is rebuilt.
    """
    progress = progress or _noop
    timer = Timer()
    ensure_private_dir(settings.data_dir)
    with use_genre(genre), IngestLock(settings.data_dir):
        state = read_state(settings.data_dir)
        with timer.stage("load"):
            policies, skipped = (load_corpus(list(paths or [settings.corpus_dir]), progress=progress)
                                 if paths != [] else ([], []))
        plan = plan_changes(policies, skipped, state)
        plan.remove = [pid for pid in remove if pid in state.policies]
        refresh_for_genre(plan, state, current_genre().signature)
        report = IngestReport(skipped=plan.skipped, unchanged=len(plan.unchanged),
                              warnings=[{"path": p.path, "warning": w} for p in policies for w in p.warnings],
                              replaced=sum(1 for p in plan.write if p.id in state.policies),
                              removed=len(plan.remove))
        if needs_work(settings, state, plan):
            state = apply_plan(settings, state, plan, progress, timer)
    report.documents = len(plan.write)
    report.policies = [{"id": p.id, "title": p.meta.title, "doc_no": p.meta.doc_no, "city": p.meta.city,
                        "sections": len(p.all_sections()), "measures": len(p.measures()),
                        "status": "unchanged" if p in plan.unchanged else "ingested", "path": p.path,
                        "format": Path(p.path).suffix.lower().lstrip("."), "text_source": p.meta.text_source,
                        "read_ms": p.read_ms}
                       for p in [*plan.write, *plan.unchanged]]
    report.sections = sum(x["sections"] for x in report.policies)
    report.measures = sum(x["measures"] for x in report.policies)
    report.timings_ms = {k: round(v, 1) for k, v in timer.ms.items()}
    _graph_counts(settings, state, report)
    return report


def _graph_counts(settings: Settings, state: State, report: IngestReport) -> None:
    if not state.graph:
        return
    try:
        store = open_generation_store(settings, state.graph)
        stats = store.stats()
        store.close()
        report.nodes, report.relationships = stats.get("nodes", {}), stats.get("relationships", {})
    except Exception as exc:
        log.warning("could not count graph nodes: %s", exc)
