"""What a question or a page needs that depends only on one ingest generation, built at ingest.

At ten thousand documents the question linker (automata over every department name, inverted indexes
over every policy and measure title) takes seconds to build from a full-graph query, and the lists a
page shows (policies, filter choices) are full-graph scans. Both are computed once, when the
generation is written, and saved in its index folder beside the chunks:

    linker.pickle   {"format", "vocabulary", "linker"}: the rag.linking.Linker of the generation
    catalog.json    {"policies": [...], "vocabulary": {...}}: the rows of the browsing lists
    places.json     the documents about each place of the gazetteer (rag/placeindex.py)

A file that is missing, of another format, or built with another genre vocabulary is ignored and the
caller rebuilds what it needs the old way (from the graph), so older data directories keep working.
The pickle is only ever read from the data directory PolicyKG itself wrote (mode 0700).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genre import Genre

log = logging.getLogger(__name__)

LINKER_FILE = "linker.pickle"
CATALOG_FILE = "catalog.json"
LINKER_FORMAT = 1  # bump when the Linker's pickled layout changes

VOCABULARY_KINDS = {"city": "cities", "beneficiary": "beneficiaries", "topic": "topics",
                    "support_kind": "support_kinds", "region": "regions", "organisation": "organisations"}


@dataclass
class Artefacts:
    """The generation's linker and catalog (either may be None: not built, or unreadable)."""

    linker: Any = None
    catalog: dict[str, Any] | None = None
    places: Any = None  # rag.placeindex.PlaceIndex
    problems: list[str] = field(default_factory=list)


def vocabulary_signature(genre: Genre) -> str:
    """A hash of the genre vocabulary the linker was built with: a changed vocabulary rebuilds it."""
    from rag.linking import genre_vocabulary

    blob = json.dumps(genre_vocabulary(genre), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def build(store: Any, chunks: Any, *, genre: Genre) -> Artefacts:
    """The linker and catalog of a freshly written graph (one pass over the graph each)."""
    from rag.answer import lexicon_from_chunks
    from rag.chunkstore import iter_chunks
    from rag.graphsearch import load_graph_lexicon
    from rag.linking import Linker
    from rag.placeindex import PlaceIndexBuilder

    # the chunks in one pass (an ingest's table is streamed from disk, not held), which also
    # gathers the documents about each place
    places = PlaceIndexBuilder()
    measures = lexicon_from_chunks((places.add(c) for c in iter_chunks(chunks)), genre=genre).measures
    lexicon = load_graph_lexicon(store, measures=measures, genre=genre)
    return Artefacts(linker=Linker(lexicon, genre), catalog=build_catalog(store, lexicon.policies),
                     places=places.result())


def build_catalog(store: Any, policies: list[dict] | None = None) -> dict[str, Any]:
    """Rows of the browsing lists: every policy with its metadata, the filter choices by kind."""
    vocab: dict[str, set[str]] = {v: set() for v in VOCABULARY_KINDS.values()}
    for row in store.run("vocabulary"):
        if row.get("name") and row.get("kind") in VOCABULARY_KINDS:
            vocab[VOCABULARY_KINDS[row["kind"]]].add(str(row["name"]))
    vocab["departments"] = {r["name"] for r in store.run("departments_all") if r.get("name")}
    return {"policies": policies if policies is not None else store.run("policies_all"),
            "vocabulary": {k: sorted(v) for k, v in vocab.items()},
            "frequent": frequent_values(store)}


def frequent_values(store: Any) -> dict[str, str]:
    """The most frequent value of each kind among the support items (city, kind, beneficiary, topic,
    department) and a measure with responsible departments: what the app's example questions use."""
    best: dict[str, tuple[int, str]] = {}
    for row in store.run("support_frequencies"):
        kind, name, n = row.get("kind"), row.get("name"), row.get("n") or 0
        if kind and name and (kind not in best or n > best[kind][0] or (n == best[kind][0] and str(name) < best[kind][1])):
            best[kind] = (n, str(name))
    return {k: v for k, (_, v) in best.items()}


def save(artefacts: Artefacts, folder: Path, *, genre: Genre) -> None:
    """Write both files into an index folder being assembled (the index set fsyncs and swaps it)."""
    if artefacts.linker is not None:
        save_linker(artefacts.linker, folder, genre=genre)
    if artefacts.catalog is not None:
        (folder / CATALOG_FILE).write_text(json.dumps(artefacts.catalog, ensure_ascii=False, default=str),
                                           encoding="utf-8")
    if artefacts.places is not None:
        from rag import placeindex

        placeindex.save(artefacts.places, folder)


def save_linker(linker: Any, folder: Path, *, genre: Genre) -> None:
    """Write the linker file (to a temporary name, then renamed: a reader sees the old file or the new)."""
    import os

    path = Path(folder) / LINKER_FILE
    tmp = path.with_name(f".{LINKER_FILE}.{os.getpid()}.tmp")
    payload = {"format": LINKER_FORMAT, "vocabulary": vocabulary_signature(genre=genre), "linker": linker}
    try:
        with open(tmp, "wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Unpickling a hundred thousand small objects: the cyclic collector would walk them repeatedly."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_linker(folder: Path, *, genre: Genre) -> Any:
    """The saved linker of an index folder, or None (missing, other format or vocabulary, unreadable)."""
    path = Path(folder) / LINKER_FILE
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as fh, no_gc():
            payload = pickle.load(fh)  # only a file PolicyKG wrote into its own private data directory
    except Exception as exc:
        log.warning("saved linker unreadable (%s); rebuilding it from the graph", exc)
        return None
    if not isinstance(payload, dict) or payload.get("format") != LINKER_FORMAT:
        return None
    if payload.get("vocabulary") != vocabulary_signature(genre=genre):
        log.info("genre vocabulary changed since ingest; the linker is rebuilt from the graph")
        return None
    linker = payload.get("linker")
    if linker is not None:
        linker.genre = genre  # not pickled with it: the genre of the façade that reads it
    return linker


def load_catalog(folder: Path) -> dict[str, Any] | None:
    path = Path(folder) / CATALOG_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, ValueError) as exc:
        log.warning("saved catalog unreadable (%s); reading the graph instead", exc)
        return None
    return data if isinstance(data, dict) and "policies" in data and "vocabulary" in data else None
