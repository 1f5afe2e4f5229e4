"""Ingest: files -> policies -> facts -> graph, and policies -> chunks -> indexes, as one generation.

The steps are plain functions over dataclasses; `run_ingest` strings them together under the data
directory's lock and commits the new generation by replacing `state.json` (see rag/state.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import replace as replace_field
from pathlib import Path

from corpus import parse_file
from corpus.model import Policy
from genre import Genre
from genre import resolve as resolve_genre
from kg.extract import extract
from kg.store import GraphStore
from rag.chunks import DEFAULT_MAX_CHARS, make_chunks
from rag.chunkstore import ChunkTable, ChunkWriter, column, open_table
from rag.indexes import IndexSet
from rag.model import IngestReport
from rag.settings import Settings
from rag.state import (
    IngestLock,
    PolicyRecord,
    State,
    ensure_private_dir,
    open_generation_store,
    read_state,
    write_state,
)

log = logging.getLogger(__name__)
ProgressFn = Callable[[str, int, int], None]


@dataclass
class Plan:
    """What an ingest will change, decided before anything is written."""

    write: list[Policy] = field(default_factory=list)  # new or changed
    unchanged: list[Policy] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)  # policy ids
    skipped: list[dict] = field(default_factory=list)
    replaced: set[str] = field(default_factory=set)  # ids written in place of an earlier version
    removed_paths: list[str] = field(default_factory=list)  # mirrored folders: files that are gone
    conflicts: list[dict] = field(default_factory=list)  # {"path", "id", "claims", "reason"}
    flags: dict[str, str] = field(default_factory=dict)  # policy id -> why it is flagged
    rebuild: bool = False  # a fresh graph and index from the sources, nothing copied
    # filled while writing: the section and measure counts of the policies written (a written
    # policy's text and structure are let go once its facts and chunks are made)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)

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


def source_of(path: str | Path) -> str:
    """A policy's identity is where it came from: the resolved path of its file (uploads live under
    <data_dir>/uploads/<content hash>/, so an upload record is a path too)."""
    return str(Path(path).resolve()) if str(path) else ""


def plan_changes(policies: Sequence[Policy], skipped: Iterable, state: State, mirror: Sequence[Path] = (),
                 replace: str | Sequence[str] | None = None, rebuild: bool = False) -> Plan:
    """Decide what to write, keep and remove for a list of parsed policies (see `Planner`)."""
    planner = Planner(state, skipped, mirror=mirror, replace=replace, rebuild=rebuild)
    for p in policies:
        planner.add(p)
    return planner.plan


class Planner:
    """Decides, one parsed policy at a time, what an ingest writes, keeps and removes (so that an
    ingest can write each batch as soon as it is parsed). Identity comes from the source, never
    from a claim:

    - a file ingested before (same resolved path) replaces its own earlier version, whatever its
      文号 or title now say;
    - a document whose 文号/title id is already held by another source is kept apart under an id of
      its own and flagged, never written over the other; so is one whose 文号 or title another
      source's policy of its place already carries (every such policy is listed, so that a user can
      choose among them). `replace` names the policies a single file takes the place of (the first
      lends it its id, the others are removed): the explicit action;
    - in a mirrored folder, a policy whose file is gone is removed;
    - identical content is ingested once;
    - `refresh` (the genre data changed since the current generation): an unchanged file is
      written again too.
    """

    def __init__(self, state: State, skipped: Iterable = (), mirror: Sequence[Path] = (),
                 replace: str | Sequence[str] | None = None, rebuild: bool = False, refresh: bool = False) -> None:
        self.plan = plan = Plan(skipped=[{"path": s.path, "reason": s.reason} for s in skipped], rebuild=rebuild)
        self.state, self.rebuild, self.refresh = state, rebuild, refresh
        self.replaced_ids = [replace] if isinstance(replace, str) else list(replace or [])
        self.owner = {pid: source_of(r.path) for pid, r in state.policies.items()}
        self.by_source = {source_of(r.path): r for r in state.policies.values()}
        roots = [source_of(m) for m in mirror]
        for r in state.policies.values():  # deletions first: a moved file then takes its id over cleanly
            src = source_of(r.path)
            if any(Path(src).is_relative_to(root) for root in roots) and not Path(src).exists():
                plan.remove.append(r.id)
                plan.removed_paths.append(src)
                self.owner.pop(r.id, None)
        self.seen_sha: dict[str, Policy] = {}
        self.ingested = {r.sha256: source_of(r.path) for r in state.policies.values() if r.id not in plan.remove}
        self.known = {r.id: Identity.of_record(r) for r in state.policies.values() if r.id not in plan.remove}

    def skip(self, item) -> None:
        """A file that was not read (a Skipped from the corpus reader)."""
        self.plan.skipped.append({"path": item.path, "reason": item.reason})

    def add(self, p: Policy) -> bool:
        """Plan one parsed policy; True when it is to be written."""
        plan, state, owner, known = self.plan, self.state, self.owner, self.known
        replaced_ids, by_source = self.replaced_ids, self.by_source
        if p.sha256 in self.seen_sha:
            plan.skipped.append({"path": p.path, "reason": f"same content as {self.seen_sha[p.sha256].path}; ingested once"})
            return False
        self.seen_sha[p.sha256] = p
        src = p.path = source_of(p.path)
        holder_src = self.ingested.get(p.sha256, src)
        if holder_src != src and (not self.rebuild or Path(holder_src).exists()):
            # a rebuild reads the holder again from its own source; only a holder whose file is gone
            # lets a copy elsewhere take its place
            plan.skipped.append({"path": src, "reason": f"same content as {holder_src}, already ingested"})
            return False
        old = state.policies.get(replaced_ids[0]) if replaced_ids else by_source.get(src)
        if old is not None:
            owner.pop(old.id, None)  # a source's own id is free for its new version
            known.pop(old.id, None)
        for extra in replaced_ids[1:]:  # the other policies it was chosen to replace go
            owner.pop(extra, None)
            known.pop(extra, None)
            if extra != p.id:
                plan.remove.append(extra)
        own = by_source.get(src) if replaced_ids else None
        if own is not None and own.id not in (*replaced_ids, p.id):  # its own kept-apart copy is superseded
            owner.pop(own.id, None)
            known.pop(own.id, None)
            plan.remove.append(own.id)
        if replaced_ids and p.id not in replaced_ids:
            with_id(p, replaced_ids[0])  # the first policy it replaces lends it its id
        identity = Identity.of_policy(p, src, flagged=False)
        claimed = _claimed(identity, known, None if replaced_ids else by_source.get(src), p.sha256)
        holder = owner.get(p.id)
        if holder is not None and holder != src:
            claimed = [p.id, *(c for c in claimed if c != p.id)]  # the one whose id it would take, first
            _keep_apart(p, holder, state, plan, claimed, known)
        elif claimed:
            _flag_claims(p, state, plan, claimed, known)
        previous = by_source.get(src)
        if previous is not None and previous.flag and previous.sha256 == p.sha256 and not replaced_ids:
            plan.flags[p.id] = previous.flag  # an unchanged file keeps its flag word for word: nothing to rewrite
        identity = replace_field(identity, flagged=p.id in plan.flags)
        owner[p.id] = src
        known[p.id] = identity
        if old is not None and old.id != p.id:
            plan.remove.append(old.id)
        current = state.policies.get(p.id)
        if current and current.sha256 == p.sha256 and not self.rebuild and current.flag == plan.flags.get(p.id):
            if not self.refresh:
                plan.unchanged.append(p)
                return False
            plan.replaced.add(p.id)  # rewritten with the new genre data in place of its earlier version
        elif old is not None:
            plan.replaced.add(p.id)
        plan.write.append(p)
        return True


def genre_changed(state: State, genre: Genre) -> bool:
    """The current generation was built with other genre data: every policy is extracted again."""
    return bool(state.policies) and state.genre != genre.signature


def refresh_for_genre(plan: Plan, state: State, genre: Genre) -> None:
    """A graph and indexes built with other genre data are rebuilt: every ingested policy is parsed and
    extracted again, also those not among the files of this run (re-read from where they came from)."""
    if not genre_changed(state, genre):
        return
    plan.write.extend(plan.unchanged)
    plan.replaced.update(p.id for p in plan.unchanged)  # each rewritten in place of its earlier version
    plan.unchanged = []
    for _ in genre_sources(plan, state, genre):
        pass


def genre_sources(plan: Plan, state: State, genre: Genre) -> Iterator[Policy]:
    """For a genre refresh: the ingested policies not among this run's files, re-read from where they
    came from one at a time (each added to the plan's writes as it is yielded)."""
    log.info("genre data changed (%s -> %s): re-extracting every policy", state.genre, genre.signature)
    taken = {p.id for p in plan.write} | {p.id for p in plan.unchanged} | set(plan.remove)
    for pid, record in sorted(state.policies.items()):
        if pid not in taken and (policy := _reparse(record, genre)) is not None:
            policy.path = source_of(policy.path)
            policy = with_id(policy, pid) if policy.id != pid else policy
            plan.write.append(policy)
            plan.replaced.add(pid)
            if record.flag:
                plan.flags[pid] = record.flag
            yield policy


@dataclass(frozen=True)
class Identity:
    """What a policy claims to be (its place, 文号 and title) and where it came from."""

    source: str
    city: str
    doc_no: str
    title: str
    flagged: bool = False  # itself kept apart for claiming another's 文号 or title

    @classmethod
    def of_record(cls, r: PolicyRecord) -> Identity:
        return cls(source_of(r.path), r.city or "", _squeeze(r.doc_no), _squeeze(r.title), bool(r.flag))

    @classmethod
    def of_policy(cls, p: Policy, src: str, flagged: bool = False) -> Identity:
        return cls(src, p.meta.city or "", _squeeze(p.meta.doc_no), _squeeze(p.meta.title), flagged)

    def claims(self, other: Identity) -> str | None:
        """Why this document claims to be `other` (its 文号, or its title where the two do not carry
        different 文号: two documents of one title and different 文号 are two documents), or None."""
        if self.city != other.city:
            return None
        if self.doc_no and self.doc_no == other.doc_no:
            return "文号"
        if self.title and self.title == other.title and not (self.doc_no and other.doc_no):
            return "title"
        return None


def _claimed(identity: Identity, known: dict[str, Identity], previous: PolicyRecord | None,
             sha256: str) -> list[str]:
    """The other sources' policies a document claims to be.

    A new source is compared with every policy, those kept apart included (a second copy of one 文号
    may be the one a user wants replaced). A file ingested before and unchanged claims nothing new
    (ingesting it again changes nothing); an edited one is compared with the policies not themselves
    kept apart, which claim it rather than the other way round."""
    if previous is not None and previous.sha256 == sha256:
        return []
    return [pid for pid, other in known.items()
            if other.source != identity.source and not (previous is not None and other.flagged)
            and identity.claims(other)]


def _squeeze(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _claim_rows(identity: Identity, claimed: Sequence[str], known: dict[str, Identity]) -> list[dict]:
    """Every policy a document claims to be, with what it shares with each (for the user's choice)."""
    rows = []
    for pid in claimed:
        other = known.get(pid)
        rows.append({"id": pid, "path": other.source if other else "",
                     "match": (identity.claims(other) if other else None) or "id"})
    return rows


def _keep_apart(policy: Policy, holder: str, state: State, plan: Plan, claimed: Sequence[str] = (),
                known: dict[str, Identity] | None = None) -> None:
    """Give a policy that claims another source's 文号/title an id of its own, and flag it."""
    claimed_id = policy.id
    identity = Identity.of_policy(policy, policy.path)
    with_id(policy, f"{claimed_id}-{hashlib.sha1(policy.path.encode()).hexdigest()[:6]}")
    _flag_claims(policy, state, plan, list(claimed) or [claimed_id], known or {}, identity, holder)


def _flag_claims(policy: Policy, state: State, plan: Plan, claimed: Sequence[str], known: dict[str, Identity],
                 identity: Identity | None = None, holder: str | None = None) -> None:
    """Flag a policy kept apart from the policies whose 文号 or title it claims, naming every one of them:
    replacing any is the user's explicit choice (`--replace ID`, repeated for several)."""
    identity = identity or Identity.of_policy(policy, policy.path)
    first = claimed[0]
    what = f"文号 {policy.meta.doc_no}" if policy.meta.doc_no else f"title {policy.meta.title or '(none)'}"
    where = holder or (known[first].source if first in known else "")
    others = f" (also claims {', '.join(claimed[1:])})" if len(claimed) > 1 else ""
    reason = (f"{policy.path} claims the {what} of {first} ({where}){others}; kept apart "
              f"as {policy.id}. To replace that policy with this file, ingest it with --replace {first}")
    plan.flags[policy.id] = reason
    plan.conflicts.append({"path": policy.path, "id": policy.id, "claims": first,
                           "candidates": _claim_rows(identity, claimed, known), "reason": reason})


def with_id(policy: Policy, new_id: str) -> Policy:
    """Rename a parsed policy and every section and measure id under it (they start with its id)."""
    old = policy.id + "."

    def renamed(x: str | None) -> str | None:
        return new_id + "." + x[len(old):] if x and x.startswith(old) else x

    for sec in policy.all_sections():
        sec.id, sec.parent_id = renamed(sec.id), renamed(sec.parent_id)
        for m in sec.measures:
            m.id, m.section_id = renamed(m.id), renamed(m.section_id)
    policy.id = new_id
    return policy


def _record(p: Policy, flag: str | None = None, counts: dict[str, tuple[int, int]] | None = None) -> PolicyRecord:
    sections, measures = _counts(p, counts)
    return PolicyRecord(id=p.id, sha256=p.sha256, path=p.path, title=p.meta.title, doc_no=p.meta.doc_no,
                        city=p.meta.city, sections=sections, measures=measures, flag=flag)


def _counts(p: Policy, counts: dict[str, tuple[int, int]] | None = None) -> tuple[int, int]:
    """(sections, measures) of a policy, also of one whose structure was let go after writing."""
    if counts and p.id in counts:
        return counts[p.id]
    return len(p.all_sections()), len(p.measures())


def _let_go(p: Policy, plan: Plan) -> None:
    """Keep what the report and state need of a written policy (metadata, counts) and drop its text
    and structure: held for the whole corpus, they were most of an ingest's peak memory at 10,000
    documents, next to the chunks and the BM25 build."""
    plan.counts[p.id] = (len(p.all_sections()), len(p.measures()))
    p.text, p.preamble, p.sections = "", "", []


def graph_name(settings: Settings, generation: int) -> str:
    return f"{settings.graph_name}_g{generation}"


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
    fresh = plan.rebuild or not state.graph
    if fresh:
        with contextlib.suppress(Exception):  # a leftover of an interrupted generation under this name
            current.drop_graph(name)
    new = open_generation_store(settings, name) if fresh else current.copy_to(name)
    if new is not current:
        current.close()
    return new, name


WRITE_BATCH = 100  # policies per UNWIND batch: big enough to amortise round trips, small enough to report progress
STAGING_PREFIX = ".ingest-g"  # <data_dir>/.ingest-g<generation>: an ingest's chunk files before its index is saved


class StreamWriter:
    """Writes planned policies into the next generation's graph in batches as they are parsed, and
    appends their chunks to a file on disk; each written policy's text and structure are let go. The
    memory of an ingest is then bounded by a batch, not by the corpus (at 10,000 documents the parsed
    policies and their chunks held at once were most of its peak).

    The graph is opened on the first batch (an ingest that changes nothing opens none). Removals are
    applied before each batch, except of ids this run has already written: the result is that of
    removing everything first and writing everything after, as a plan read whole would."""

    def __init__(self, settings: Settings, state: State, plan: Plan, timer: Timer, genre: Genre,
                 staging: Path, progress: ProgressFn = _noop) -> None:
        self.settings, self.state, self.plan, self.timer, self.genre = settings, state, plan, timer, genre
        self.progress = progress  # "graph": policies written so far, of those planned so far
        self.staging = staging
        self.store: GraphStore | None = None
        self.graph: str | None = None
        self.batch: list[Policy] = []
        self.written: set[str] = set()
        self.deleted: set[str] = set()
        self.chunks = ChunkWriter(_fresh_dir(staging / "new"))
        self.max_chars = int(getattr(settings, "chunk_max_chars", DEFAULT_MAX_CHARS))

    def add(self, policy: Policy) -> None:
        self.batch.append(policy)
        if len(self.batch) >= WRITE_BATCH:
            self.flush()

    def open(self) -> GraphStore:
        if self.store is None:
            self.store, self.graph = next_graph(self.settings, self.state, self.state.generation + 1, self.plan)
            self.store.ensure_schema()
        return self.store

    def flush(self) -> None:
        """Apply the removals known so far, then write the batch: facts, graph, chunks."""
        pending = [pid for pid in dict.fromkeys(self.plan.remove) if pid not in self.deleted | self.written]
        if not (self.batch or pending):
            return
        store = self.open()
        for pid in pending:
            store.delete_policy(pid)
            self.deleted.add(pid)
        batch, self.batch = self.batch, []
        if not batch:
            return
        planned = len(self.written) + len(batch)
        self.progress("graph", len(self.written), planned)
        with self.timer.stage("extraction"):
            facts = [extract(p, self.genre) for p in batch]
        with self.timer.stage("graph_write"):
            store.write_policies(facts, self.genre)
        del facts
        with self.timer.stage("chunking"):  # the batch's chunks to disk, then its policies' bodies are let go
            for p in batch:
                self.chunks.add(make_chunks(p, max_chars=self.max_chars, genre=self.genre))
                _let_go(p, self.plan)
                self.written.add(p.id)
        self.progress("graph", planned, planned)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def _fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(mode=0o700, parents=True)
    return path


def remove_staging(data_dir: Path) -> None:
    """Chunk files of an ingest that did not finish (killed, or failed): never part of a generation."""
    for d in Path(data_dir).glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(d, ignore_errors=True)


def build_index(settings: Settings, state: State, plan: Plan, progress: ProgressFn,
                timer: Timer, genre: Genre, new_chunks: ChunkWriter, staging: Path) -> IndexSet:
    """Chunks of every current policy — the previous index's rows where the policy is unchanged
    (copied as they are), then this run's, from disk — written to one table and indexed from it.
    Nothing here holds every chunk: BM25 reads the table in one pass."""
    previous = None if plan.rebuild else load_index(settings, state, genre)
    written = {p.id for p in plan.write}
    keep = set(state.policies) - written - set(plan.remove)
    new_chunks.close()
    new = open_table(new_chunks.folder, len(new_chunks))
    out = ChunkWriter(_fresh_dir(staging / "chunks"))
    with timer.stage("chunking"):
        if previous is not None:
            before = previous.chunks
            rows = [i for i, pid in enumerate(column(before, "policy_id")) if pid in keep]
            if isinstance(before, ChunkTable):
                out.add_rows(before, rows)
            else:
                out.add(before[i] for i in rows)
        missing = keep - set(out.keys["policy_id"])
        if new is not None:
            out.add_rows(new, range(len(new)))
        max_chars = int(getattr(settings, "chunk_max_chars", DEFAULT_MAX_CHARS))
        for p in plan.write:  # written without the stream writer (none today): chunked here
            if p.id not in plan.counts:
                out.add(make_chunks(p, max_chars=max_chars, genre=genre))
        for pid in sorted(missing):
            policy = _reparse(state.policies[pid], genre)
            if policy is not None and policy.id != pid:  # kept apart under its own id when ingested
                with_id(policy, pid)
            if policy is not None:
                out.add(make_chunks(policy, max_chars=max_chars, genre=genre))
        out.close()
    if new is not None:
        new.close()
    if previous is not None and isinstance(previous.chunks, ChunkTable):
        previous.chunks.close()
    table = open_table(out.folder, len(out))
    if table is None:
        raise RuntimeError(f"the chunk table written to {out.folder} does not read back")
    progress("index", 0, 1)
    shas = [r.sha256 for pid, r in state.policies.items() if pid in keep] + [p.sha256 for p in plan.write]
    with timer.stage("index_build"):
        # vectors come after the commit (rag/embedding.py): graph and BM25 answer at once
        index = IndexSet.build(table, settings, sources=shas, dense=False, genre=genre)
    progress("index", 1, 1)
    return index


def _reparse(record: PolicyRecord, genre: Genre) -> Policy | None:
    """Re-read a policy whose chunks were lost with a broken index, from the file it came from."""
    try:
        return parse_file(Path(record.path), genre=genre)
    except Exception as exc:
        log.warning("cannot re-read %s for the index (%s); its measures are not searchable", record.path, exc)
        return None


def load_index(settings: Settings, state: State, genre: Genre) -> IndexSet | None:
    if not state.index:
        return None
    try:
        return IndexSet.load(settings.data_dir / state.index, settings, genre=genre)
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
           index: IndexSet, genre: Genre) -> State:
    """Write the index folder, then atomically point state.json at the new generation."""
    index_name = f"index-g{generation}"
    index.save(settings.data_dir / index_name)
    policies = {k: v for k, v in state.policies.items() if k not in plan.remove}
    policies.update({p.id: _record(p, plan.flags.get(p.id), plan.counts) for p in plan.write})
    new = State(generation=generation, graph=graph, index=index_name, policies=policies,
                embedding_model=settings.embedding_model, genre=genre.signature)
    write_state(settings.data_dir, new)
    collect_garbage(settings, {g for g in (graph, state.graph) if g}, {index_name, state.index or ""})
    compact_graph(settings)
    return new


def compact_graph(settings: Settings) -> None:
    """The graph server's files as one snapshot after a commit, so that its next start loads it instead
    of replaying every write of the ingest; failing costs only that."""
    try:
        store = open_generation_store(settings, None)
        try:
            store.compact()
        finally:
            store.close()
    except Exception as exc:
        log.warning("graph server files not compacted: %s", exc)


def finish_generation(writer: StreamWriter, progress: ProgressFn) -> State:
    """The last batch and removals, then the index and artefacts from the chunks on disk, committed."""
    settings, state, plan, timer, genre = writer.settings, writer.state, writer.plan, writer.timer, writer.genre
    writer.flush()
    store = writer.open()  # an index-only rebuild still needs the current graph (its artefacts)
    index = build_index(settings, state, plan, progress, timer, genre, writer.chunks, writer.staging)
    with timer.stage("artefacts"):
        index.artefacts = build_artefacts(store, index.chunks, genre)
    return commit(settings, state, plan, state.generation + 1, writer.graph or store.name, index, genre)


def build_artefacts(store: GraphStore, chunks: Sequence, genre: Genre):
    """The generation's linker and browsing catalog, saved with its index (see rag/artefacts.py); None
    when they cannot be built (the app then builds them from the graph when first needed)."""
    from rag import artefacts

    try:
        return artefacts.build(store, chunks, genre=genre)
    except Exception as exc:
        log.warning("linker and catalog not prebuilt (%s); they will be built on first use", exc)
        return None


def needs_work(settings: Settings, state: State, plan: Plan) -> bool:
    """Whether a new generation is needed; nothing readable and nothing ingested yet builds none.

    A missing or damaged index counts: "run `policykg ingest`" is the advice its error gives."""
    if plan.graph_changes or plan.rebuild:
        return True
    if not state.index:
        return bool(state.policies)
    index_dir = settings.data_dir / state.index
    if not index_dir.is_dir() or state.embedding_model != settings.embedding_model:
        return True
    from rag.indexes import IndexUnavailable, _read_core

    try:
        _read_core(index_dir, lazy=True)  # readable: its chunks are not all parsed for that
    except IndexUnavailable:
        return True
    return False


def _over_limit(policy: Policy, settings: Settings):
    """A Skipped for a document with more measures than settings.max_measures_per_document (every
    question over such a document would do unbounded work, so it is reported, not ingested), else None."""
    from corpus.model import Skipped

    limit = settings.max_measures_per_document
    n = len(policy.measures())
    if n <= limit:
        return None
    return Skipped(path=policy.path, reason=f"{policy.path}: {n} measures, more than the limit of {limit} "
                   "(split the document or raise POLICYKG_MAX_MEASURES_PER_DOCUMENT)")


def _within_limits(policies: list[Policy], skipped: list, settings: Settings) -> tuple[list[Policy], list]:
    """The policies within the limit of measures; the others are added to `skipped` (see _over_limit)."""
    kept = []
    for p in policies:
        over = _over_limit(p, settings)
        if over is None:
            kept.append(p)
        else:
            skipped.append(over)
    return kept, skipped


def rebuild_sources(state: State, plan: Plan, genre: Genre) -> Iterator[Policy]:
    """For a rebuild: every ingested policy not loaded from the given paths, read again from its own
    source one at a time (each added to the plan's writes as it is yielded); one that cannot be read
    any more is removed and reported."""
    loaded = {p.id for p in plan.write} | set(plan.remove)
    for pid, record in list(state.policies.items()):
        if pid in loaded:
            continue
        policy = _reparse(record, genre)
        if policy is None:
            plan.remove.append(pid)
            plan.skipped.append({"path": record.path, "reason": f"{record.path}: cannot be read again; removed"})
            continue
        policy.path = source_of(policy.path)
        policy = with_id(policy, pid) if policy.id != pid else policy
        plan.write.append(policy)
        if record.flag:
            plan.flags[pid] = record.flag
        yield policy


def _parsed(targets: Sequence[Path], replace: Sequence[str], progress: ProgressFn, genre: Genre,
            settings: Settings) -> Iterator:
    """The documents of the run, one at a time (Policy, or Skipped for a file not read or over the
    limit). `--replace` takes exactly one readable file: then they are all read first and counted."""
    from corpus import iter_corpus

    items = iter_corpus(targets, progress=progress, genre=genre) if targets else iter(())
    checked = (_over_limit(x, settings) or x if isinstance(x, Policy) else x for x in items)
    if not replace:
        return checked
    items = list(checked)
    readable = sum(isinstance(x, Policy) for x in items)
    if readable != 1:
        raise ValueError(f"--replace takes exactly one readable file ({readable} given)")
    return iter(items)


def run_ingest(settings: Settings, paths: Sequence[Path] | None, progress: ProgressFn | None = None,
               remove: Sequence[str] = (), genre: Genre | None = None, replace: str | Sequence[str] | None = None,
               rebuild: bool = False, embed: str = "after") -> IngestReport:
    """Ingest files (default: the corpus folder) and/or remove policies, as one committed generation.

    Folders are mirrored (a file that is gone is removed); `replace` lets one file take the place of
    that policy id (or of several: the first lends it its id, the others are removed); `rebuild`
    writes a fresh graph and index from every policy's source.
    `genre` is the genre data to parse, extract and index with (default: see genre.resolve); when it differs from
    the one the current generation was built with, every policy is rebuilt.
    `embed`: "after" computes the dense vectors once the generation is committed (questions are
    already answered from graph and BM25 meanwhile), "none" leaves them to `policykg embed` or the
    app's background embedder.

    Documents are parsed, planned, written to the graph and chunked to disk a batch at a time
    (StreamWriter); the index is built from the chunks on disk at the end. Nothing is visible to
    readers until the commit replaces state.json.
    """
    progress = progress or _noop
    timer = Timer()
    ensure_private_dir(settings.data_dir)
    targets = list(paths or [settings.corpus_dir]) if paths != [] else []
    genre = resolve_genre(genre)
    with IngestLock(settings.data_dir):
        remove_staging(settings.data_dir)  # left by an ingest that was killed
        state = read_state(settings.data_dir)
        replace = [replace] if isinstance(replace, str) else list(dict.fromkeys(replace or []))
        missing = [pid for pid in replace if pid not in state.policies]
        if missing:
            raise KeyError(f"no ingested policy has id {missing[0]!r}")
        refresh = not rebuild and genre_changed(state, genre)
        planner = Planner(state, mirror=[Path(t) for t in targets if Path(t).is_dir()], replace=replace,
                          rebuild=rebuild, refresh=refresh)
        plan = planner.plan
        plan.remove += [pid for pid in remove if pid in state.policies and pid not in plan.remove]
        staging = settings.data_dir / f"{STAGING_PREFIX}{state.generation + 1}"
        writer = StreamWriter(settings, state, plan, timer, genre, _fresh_dir(staging), progress)
        warnings: list[dict] = []
        try:
            with timer.stage("load"):
                items = _parsed(targets, replace, progress, genre, settings)
            for item in _timed(items, timer, "load"):
                if not isinstance(item, Policy):
                    planner.skip(item)
                    continue
                warnings += [{"path": item.path, "warning": w} for w in item.warnings]
                if planner.add(item):
                    writer.add(item)
                elif plan.unchanged and plan.unchanged[-1] is item:
                    _let_go(item, plan)  # its metadata and counts are all the report needs
            extra = rebuild_sources(state, plan, genre) if rebuild else (
                genre_sources(plan, state, genre) if refresh else iter(()))
            for item in _timed(extra, timer, "load"):
                writer.add(item)
            report = IngestReport(skipped=plan.skipped, unchanged=len(plan.unchanged), replaced=len(plan.replaced | {p.id for p in plan.write if p.id in state.policies}),
                                  warnings=warnings,
                                  removed=len(set(plan.remove) - {p.id for p in plan.write}),
                                  removed_paths=plan.removed_paths, conflicts=plan.conflicts)
            if needs_work(settings, state, plan):
                state = finish_generation(writer, progress)
        finally:
            writer.close()
            shutil.rmtree(staging, ignore_errors=True)
    report.documents = len(plan.write)
    unchanged = {p.id for p in plan.unchanged}
    report.policies = [{"id": p.id, "title": p.meta.title, "doc_no": p.meta.doc_no, "city": p.meta.city,
                        "sections": _counts(p, plan.counts)[0], "measures": _counts(p, plan.counts)[1],
                        "status": "unchanged" if p.id in unchanged else "ingested", "path": p.path,
                        "format": Path(p.path).suffix.lower().lstrip("."), "text_source": p.meta.text_source,
                        "read_ms": p.read_ms,
                        "flag": plan.flags.get(p.id) or (state.policies[p.id].flag if p.id in state.policies else None)}
                       for p in [*plan.write, *plan.unchanged]]
    report.sections = sum(x["sections"] for x in report.policies)
    report.measures = sum(x["measures"] for x in report.policies)
    if embed == "after":
        from rag.embedding import embed_generation

        with timer.stage("embedding"):
            done = embed_generation(settings, progress)
        report.embedding = {"state": done.state, "model": done.model, "chunks": done.chunks,
                            "cached": done.cached, "computed": done.computed, "seconds": done.seconds}
    report.timings_ms = {k: round(v, 1) for k, v in timer.ms.items()}
    _graph_counts(settings, state, report)
    return report


def _timed(items: Iterable, timer: Timer, stage: str) -> Iterator:
    """The items of an iterator, the time spent producing each (parsing) counted under `stage`."""
    it = iter(items)
    while True:
        with timer.stage(stage):
            item = next(it, _END)
        if item is _END:
            return
        yield item


_END = object()


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
