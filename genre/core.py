"""The loaded genre: every data file read, validated and fingerprinted once, as one value.

`load(folder)` returns a `Genre`; nothing reads genre data behind its back. The façade loads one and
passes it to parsing, extraction, indexing and answering.
Whatever is derived from the data — compiled patterns, alias tables, dictionaries — is memoised on the
Genre object itself (`Genre.derive`, and the `derived` decorator for accessors that take the genre as
their first argument), never in a process-wide cache, so two genres can live side by side and a
changed vocabulary is never answered from stale tables. The `signature` (a hash of the files'
contents) is recorded with the graph and indexes so that a vocabulary change rebuilds them.

There is no active or ambient genre: every function that reads genre data takes the genre as an
argument. Only public library entry points accept None, which means the packaged genre (`resolve`).
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import ValidationError

from genre.blocks import BlockTable
from genre.files import DATA_DIR
from genre.schema import MODELS, Strict

T = TypeVar("T")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, located by file and key."""

    file: str
    key: str
    message: str
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{self.level}: {where}: {self.message}"


class GenreError(ValueError):
    """The genre data has errors; `problems` lists each with its file and key."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("genre data has errors:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(eq=False)
class Genre:
    """The genre's data, validated. `data(name)` gives one file's mapping; `signature` fingerprints all."""

    folder: Path
    files: dict[str, dict[str, Any]]
    models: dict[str, Strict]
    signature: str
    blocks: BlockTable
    # the bytes of each data file as read (the signature's input): `save` writes this genre out exactly,
    # for a process that must use it (an app's ingest child) whatever its folder holds by then
    sources: dict[str, bytes] = field(default_factory=dict, repr=False)
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def save(self, folder: str | Path) -> Path:
        """Write the data files this genre was read from into `folder`, byte for byte: `load(folder)`
        there gives a genre with this one's signature, even after its own folder has changed."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name, raw in self.sources.items():
            (folder / name).write_bytes(raw)
        return folder

    def data(self, name: str) -> dict[str, Any]:
        """The mapping of data file `name` (without .yaml); {} for a file this genre does not have."""
        return self.files.get(name, {})

    def derive(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(self, *args)` computed once for this genre: the place where derived tables live."""
        return self.memo((fn.__module__, fn.__qualname__, args), lambda: fn(self, *args))

    def memo(self, key: Any, factory: Callable[[], T]) -> T:
        """`factory()` computed once per genre (derived tables live and die with their genre).

        The factory runs outside the lock: factories call each other and may wait on other threads, so
        holding a lock across them could deadlock; two threads racing compute twice and keep the first."""
        try:
            return self._memo[key]
        except KeyError:
            pass
        value = factory()
        with self._lock:
            return self._memo.setdefault(key, value)


def signature_of(folder: Path) -> str:
    """sha256 over the names and bytes of every data file in `folder` (order-independent)."""
    return _signature({path.name: path.read_bytes() for path in folder.glob("*.yaml")})


def _signature(sources: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(sources):
        h.update(name.encode() + b"\0" + sources[name] + b"\0")
    return h.hexdigest()[:16]


def check(folder: Path | None = None) -> tuple[Genre | None, list[Problem]]:
    """Read and validate every data file in `folder` (default: the packaged data).

    Returns the genre (None when there are errors) and every problem found: unreadable YAML, unknown
    or missing keys, wrong types, regular expressions that do not compile, department aliases that
    name two bodies or another jurisdiction, required files missing; files without a model are warned.
    """
    folder = Path(folder or DATA_DIR)
    problems: list[Problem] = []
    files: dict[str, dict[str, Any]] = {}
    models: dict[str, Strict] = {}
    sources: dict[str, bytes] = {}
    if not folder.is_dir():
        return None, [Problem(str(folder), "", "not a folder")]
    for path in sorted(folder.glob("*.yaml")):
        name = path.stem
        try:
            # each file is read once: what is parsed is what the signature fingerprints
            sources[path.name] = path.read_bytes()
            # libyaml's loader (same safe schema) where PyYAML was built with it: the pure-Python one
            # costs about a second of every process start on these files
            raw = yaml.load(sources[path.name].decode("utf-8"), Loader=SAFE_LOADER)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(Problem(path.name, "", f"unreadable: {exc}"))
            continue
        raw = raw if raw is not None else {}
        if not isinstance(raw, dict):
            problems.append(Problem(path.name, "", "must be a mapping of keys to values"))
            continue
        files[name] = raw
        model = MODELS.get(name)
        if model is None:
            problems.append(Problem(path.name, "", "no schema for this file: read unchecked", "warning"))
            continue
        try:
            models[name] = model.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_problems(path.name, exc))
    for name in sorted(set(MODELS) - set(files)):
        if not any(p.file == f"{name}.yaml" for p in problems):
            problems.append(Problem(f"{name}.yaml", "", "missing"))
    if any(p.level == "error" for p in problems):
        return None, problems
    genre = Genre(folder=folder, files=files, models=models, signature=_signature(sources),
                  blocks=BlockTable.from_data(files["blocks"]), sources=sources)
    return genre, problems


def _problems(file: str, exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        if not key and ": " in msg:  # a whole-file rule reports "key: message; key: message"
            for part in msg.split("; "):
                where, _, what = part.partition(": ")
                out.append(Problem(file, where, what))
            continue
        out.append(Problem(file, key, msg))
    return out


def load(path: str | Path | None = None) -> Genre:
    """The genre in folder `path` (default: the packaged genre/data), validated; raises GenreError."""
    genre, problems = check(Path(path) if path else None)
    if genre is None:
        raise GenreError([p for p in problems if p.level == "error"])
    return genre


_packaged: Genre | None = None
_packaged_lock = threading.Lock()


def packaged() -> Genre:
    """The genre shipped in genre/data (what callers get when they pass none)."""
    global _packaged
    with _packaged_lock:
        if _packaged is None:
            _packaged = load()
        return _packaged


def resolve(genre: Genre | None) -> Genre:
    """`genre`, or — for a library caller that passed none — the packaged one (there is no ambient genre)."""
    return genre if genre is not None else packaged()


def derived(fn: Callable[..., T]) -> Callable[..., T]:
    """An accessor `fn(genre, *args)` of data derived from a genre, memoised on that genre.

    The genre is the accessor's first argument: `grammar(genre)`. None resolves as `resolve` says."""

    @functools.wraps(fn)
    def wrapper(genre: Genre | None = None, *args: Any) -> T:
        return resolve(genre).derive(fn, *args)

    return wrapper
