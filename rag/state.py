"""The data directory's commit point, and the lock that lets one ingest at a time write to it.

An ingest never edits what readers use. It builds a new *generation* — a graph copied from the current
one (FalkorDB `GRAPH.COPY`) with the changed policies written into it, and a fresh index folder — and
then commits by atomically replacing `state.json`, which names the graph and index folder of the
current generation. A process killed at any point before that replace leaves the previous generation
current and untouched; after it, the new one. Half-built generations are removed by the next ingest.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.store import GraphStore
    from rag.settings import Settings

STATE_FILE = "state.json"
LOCK_FILE = "ingest.lock"
FORMAT = 1


@dataclass
class PolicyRecord:
    """What the commit point remembers of an ingested policy."""

    id: str
    sha256: str
    path: str
    title: str
    doc_no: str | None = None
    city: str | None = None
    sections: int = 0
    measures: int = 0
    flag: str | None = None  # why it is flagged: it claims another source's 文号 or title


@dataclass
class State:
    generation: int = 0
    graph: str | None = None  # graph name (FalkorDB) of this generation; None before the first ingest
    index: str | None = None  # index folder name inside the data directory
    policies: dict[str, PolicyRecord] = field(default_factory=dict)
    embedding_model: str | None = None
    genre: str | None = None  # signature of the genre data the graph and indexes were built with
    committed_at: float = 0.0
    format: int = FORMAT

    @property
    def corpus_hash(self) -> str:
        import hashlib

        shas = sorted(p.sha256 for p in self.policies.values())
        return hashlib.sha256("\n".join(shas).encode()).hexdigest()


def ensure_private_dir(path: Path) -> Path:
    """Create a directory readable by its owner only (policy uploads and graph files are nobody else's)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(PermissionError):
        os.chmod(path, 0o700)
    return path


@dataclass(frozen=True)
class Generation:
    """What a reader needs of the commit point: the current graph and index folder, and the genre
    data they were built with."""

    generation: int = 0
    graph: str | None = None
    index: str | None = None
    genre: str | None = None


_GENERATIONS: dict[Path, tuple[tuple[int, int, int], Generation]] = {}


def current_generation(data_dir: Path) -> Generation:
    """The current generation's names, parsed again only when state.json was replaced (it lists every
    policy: at 10,000 documents one parse is 80 ms of CPU, and a starting reader needs the names
    three or four times). Read-only; an ingest reads the whole state with `read_state`."""
    path = Path(data_dir) / STATE_FILE
    try:
        st = path.stat()
    except FileNotFoundError:
        return Generation()
    except OSError:
        st = None
    key = (st.st_mtime_ns, st.st_size, st.st_ino) if st is not None else None
    seen = _GENERATIONS.get(path)
    if key is not None and seen is not None and seen[0] == key:
        return seen[1]
    state = read_state(data_dir)  # a file replaced since the stat is cached under the old key: read again next time
    found = Generation(state.generation, state.graph, state.index, state.genre)
    if key is not None:
        _GENERATIONS[path] = (key, found)
    return found


def start_graph_early(settings: Settings) -> threading.Thread | None:
    """Begin starting the embedded graph server in the background when a generation is committed, and
    return at once (the starting thread); the caller (`policykg serve` and `ask`, before their heavy
    imports) goes on while the server loads its snapshot on the other core, and the façade opens its
    store later as usual. None: nothing to start (another graph URL, or nothing ingested: only an
    existing state.json is looked at, not parsed)."""
    scheme = settings.graph_url.split("://", 1)[0].lower()
    if scheme != "embedded" or not (Path(settings.data_dir) / STATE_FILE).exists():
        return None
    from kg.embedded import start_in_background

    return start_in_background(Path(settings.data_dir))


def read_state(data_dir: Path) -> State:
    """The committed state, or an empty one before the first ingest."""
    path = data_dir / STATE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return State()
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{path} is unreadable ({exc}); remove it and run `policykg ingest` again") from exc
    policies = {k: PolicyRecord(**v) for k, v in raw.pop("policies", {}).items()}
    return State(**{**raw, "policies": policies})


def open_generation_store(settings: Settings, name: str | None, timeout: float | None = None) -> GraphStore:
    """The graph store of one generation (`State.graph`; None: the configured graph name); readers pass
    a timeout, ingest writes wait as long as they take. It needs the graph layer only, not the
    extractors: a façade opens its store first thing at start, while it loads everything else."""
    from kg.store import open_store

    return open_store(settings.graph_url, settings.data_dir, user=settings.graph_user,
                      password=settings.graph_password, name=name or settings.graph_name, timeout=timeout)


def write_state(data_dir: Path, state: State) -> None:
    """Replace the commit point only with a state that is complete and durable on disk.

    The new state goes to a temporary file written in full (a short write is continued, never
    ignored), fsynced and read back; only a temporary file that parses to the same state is renamed
    over state.json, and the folder is fsynced. Until then the previous state.json is untouched, so
    a full disk or a crash leaves the last committed generation readable. A failed attempt removes
    its temporary file and raises OSError.
    """
    state.committed_at = time.time()
    tmp = data_dir / f".{STATE_FILE}.{os.getpid()}.tmp"
    payload = json.dumps(asdict(state), ensure_ascii=False, indent=1).encode("utf-8")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        if tmp.read_bytes() != payload:
            raise OSError(errno.EIO, f"{tmp} did not read back as written; state.json left as it was")
        os.replace(tmp, data_dir / STATE_FILE)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(data_dir)


def write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written: one call may write fewer bytes than it was given."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:
            raise OSError(errno.EIO, "write made no progress")
        view = view[n:]


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (after a rename) or a file's contents to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def state_mtime(data_dir: Path) -> float:
    """Cheap change detection for long-running readers (the app) to pick up a new generation."""
    try:
        return (data_dir / STATE_FILE).stat().st_mtime_ns / 1e9
    except FileNotFoundError:
        return 0.0


class IngestBusy(RuntimeError):
    """Another ingest holds the data directory."""


class IngestLock:
    """An exclusive, non-blocking lock on the data directory for the duration of one ingest.

    The lock is an OS file lock, so it disappears with its process: a killed ingest never leaves the
    directory locked.
    """

    def __init__(self, data_dir: Path, wait_seconds: float = 0.0) -> None:
        self.path = data_dir / LOCK_FILE
        self.wait_seconds = wait_seconds
        self._fd: int | None = None

    def __enter__(self) -> IngestLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                    os.close(fd)
                    raise IngestBusy(
                        f"another ingest (pid {holder}) is writing to {self.path.parent}; "
                        "wait for it to finish and run this again"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
