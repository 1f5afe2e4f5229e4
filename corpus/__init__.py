"""The corpus room: read policy files, repair extraction damage, parse their numbering into a tree.

policy = parse_file("corpus/docs/shanghai-2025-33-open-source.txt")
policies, skipped = load_corpus(["corpus/docs"])
print(render_outline(policy))
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from corpus.loader import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, load_text, text_to_loaded
from corpus.meta import is_sidecar, merge_meta
from corpus.model import DocumentMeta, LoadError, Policy, Skipped
from corpus.outline import outline_dict, render_outline
from corpus.repair import repair
from corpus.segment import segment

__all__ = [
    "SUPPORTED_SUFFIXES",
    "LoadError",
    "expand_paths",
    "load_corpus",
    "load_text",
    "outline_dict",
    "parse_file",
    "parse_text",
    "render_outline",
    "repair",
]


def parse_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Policy:
    """Load, repair and parse one file (raises LoadError naming the file when it cannot be read)."""
    return segment(load_text(path, max_bytes=max_bytes))


def parse_text(text: str, name: str = "", meta: DocumentMeta | None = None) -> Policy:
    """Parse text already in memory (tests, uploads); `meta` overrides front matter and the header."""
    loaded = text_to_loaded(text.lstrip("\ufeff").replace("\r\n", "\n"), name)
    if meta is not None:
        loaded.meta = merge_meta(loaded.meta, meta)
    return segment(loaded, name)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named or found (recursively, sorted) in folders: supported suffixes only, no sidecars."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES)
            out.extend(
                f
                for f in found
                if not is_sidecar(f) and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        else:
            out.append(p)
    return out


def load_corpus(paths: Iterable[str | Path]) -> tuple[list[Policy], list[Skipped]]:
    """Parse every document under `paths`; each unreadable file is reported in Skipped and passed over."""
    policies: list[Policy] = []
    skipped: list[Skipped] = []
    for path in expand_paths(paths):
        try:
            policies.append(parse_file(path))
        except LoadError as exc:
            skipped.append(Skipped(path=str(path), reason=str(exc)))
        except Exception as exc:  # a parser defect costs that one file, never the whole folder
            logging.getLogger(__name__).exception("cannot parse %s", path)
            skipped.append(Skipped(path=str(path), reason=f"{path}: could not be parsed ({type(exc).__name__}: {exc})"))
    return policies, skipped
