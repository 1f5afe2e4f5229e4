"""The corpus room: read policy files, repair extraction damage, parse their numbering into a tree.

policy = parse_file("corpus/docs/shanghai-2025-33-open-source.txt")
policies, skipped = load_corpus(["corpus/docs"])
print(render_outline(policy))
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from corpus.loader import (
    DEFAULT_MAX_BYTES,
    READABLE_SUFFIXES,
    SUPPORTED_SUFFIXES,
    load_text,
    text_to_loaded,
    unsupported_message,
)
from corpus.meta import SIDECAR_SUFFIX, is_sidecar, merge_meta
from corpus.model import DocumentMeta, LoadError, Policy, Skipped
from corpus.outline import outline_dict, render_outline
from corpus.readers import ProgressFn
from corpus.repair import repair
from corpus.segment import segment
from genre import Genre
from genre import resolve as resolve_genre

__all__ = [
    "SUPPORTED_SUFFIXES",
    "LoadError",
    "expand_paths",
    "iter_corpus",
    "load_corpus",
    "load_text",
    "outline_dict",
    "parse_file",
    "parse_text",
    "render_outline",
    "repair",
    "scan_paths",
]


def parse_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, progress: ProgressFn | None = None,
               genre: Genre | None = None) -> Policy:
    """Load, repair and parse one file (raises LoadError naming the file when it cannot be read).

    `genre`: the genre data to read it with (None: the packaged genre)."""
    genre = resolve_genre(genre)
    t0 = time.perf_counter()
    loaded = load_text(path, max_bytes=max_bytes, progress=progress, genre=genre)
    policy = segment(loaded, genre=genre)
    policy.warnings = list(loaded.warnings)
    policy.read_ms = round((time.perf_counter() - t0) * 1000, 1)
    return policy


def parse_text(text: str, name: str = "", meta: DocumentMeta | None = None, genre: Genre | None = None) -> Policy:
    """Parse text already in memory (tests, uploads); `meta` overrides front matter and the header
    (`genre` None: the packaged genre)."""
    genre = resolve_genre(genre)
    loaded = text_to_loaded(text.lstrip("\ufeff").replace("\r\n", "\n"), name, genre=genre)
    if meta is not None:
        loaded.meta = merge_meta(loaded.meta, meta)
    return segment(loaded, name, genre=genre)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named or found (recursively, sorted) in folders: readable suffixes only, no sidecars."""
    return scan_paths(paths)[0]


def scan_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """Files to read, and every file found in a folder that will not be read, with the reason.

    A folder ingest must never drop a file silently: unsupported types, symbolic links (not followed,
    so a link cannot pull in files from elsewhere), hidden files and folders, and metadata sidecars
    whose document is missing are all reported. A file named on its own is always tried (the loader
    then says what is wrong with it).
    """
    files: list[Path] = []
    skipped: list[Skipped] = []
    for p in map(Path, paths):
        if p.is_dir() and not p.is_symlink():
            _scan_folder(p, files, skipped)
        elif p.is_dir():
            skipped.append(Skipped(str(p), f"{p}: symbolic link to a folder; not followed (name the folder itself)"))
        else:
            files.append(p)
    return files, skipped


def _scan_folder(root: Path, files: list[Path], skipped: list[Skipped]) -> None:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for d in sorted(dirnames):
            sub = here / d
            if d.startswith("."):
                skipped.append(Skipped(str(sub), f"{sub}: hidden folder; not searched"))
            elif sub.is_symlink():
                skipped.append(Skipped(str(sub), f"{sub}: symbolic link to a folder; not followed"))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(filenames):
            f = here / name
            reason = _not_read(f)
            if reason:
                skipped.append(Skipped(str(f), reason))
            elif not is_sidecar(f):
                files.append(f)


def _not_read(f: Path) -> str | None:
    """Why a file found in a folder is not read, or None when it is (sidecars: when their document exists)."""
    if f.is_symlink():
        return f"{f}: symbolic link; not followed (ingest the file it points to directly)"
    if f.name.startswith("."):
        return f"{f}: hidden file; not read"
    if not f.is_file():
        return f"{f}: not a regular file (device, socket or pipe)"
    if is_sidecar(f):
        stem = f.name[: -len(SIDECAR_SUFFIX)]
        if not any((f.parent / f"{stem}{sfx}").exists() for sfx in READABLE_SUFFIXES):
            return f"{f}: metadata sidecar without its document ({stem}.txt/.pdf/… not found)"
        return None
    if f.suffix.lower() not in READABLE_SUFFIXES:
        return unsupported_message(f)
    return None


def load_corpus(paths: Iterable[str | Path], progress: ProgressFn | None = None,
                genre: Genre | None = None) -> tuple[list[Policy], list[Skipped]]:
    """Parse every document under `paths`; each file not read is reported in Skipped with the reason.

    `progress(stage, done, total)` hears about each file ("read") and long reads inside one (PDF, OCR pages).
    `genre` None: the packaged genre.
    """
    policies: list[Policy] = []
    skipped: list[Skipped] = []
    for item in iter_corpus(paths, progress=progress, genre=genre):
        (skipped if isinstance(item, Skipped) else policies).append(item)
    return policies, skipped


def iter_corpus(paths: Iterable[str | Path], progress: ProgressFn | None = None,
                genre: Genre | None = None) -> Iterator[Policy | Skipped]:
    """The documents under `paths` one at a time, as they are parsed (the files not searched first):
    an ingest writes and lets go of each batch before the next is read, so its memory is bounded
    by a batch, not by the corpus. Progress as in `load_corpus`."""
    genre = resolve_genre(genre)
    files, skipped = scan_paths(paths)
    yield from skipped
    for n, path in enumerate(files, 1):
        if progress:
            progress("read", n - 1, len(files))
        try:
            yield parse_file(path, progress=progress, genre=genre)
        except LoadError as exc:
            yield Skipped(path=str(path), reason=str(exc))
        except Exception as exc:  # a parser defect costs that one file, never the whole folder
            logging.getLogger(__name__).exception("cannot parse %s", path)
            yield Skipped(path=str(path), reason=f"{path}: could not be parsed ({type(exc).__name__}: {exc})")
    if progress and files:
        progress("read", len(files), len(files))
