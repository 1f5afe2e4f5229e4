"""Two façades in one process, each with its own genre data, stay independent — also in threads.

The genre is passed explicitly: each PolicyKG loads the genre of its own folder and hands it to
parsing, extraction, indexing and answering, so nothing one façade does can change what the other
reads, and a worker thread (which starts with none of its caller's context) parses and answers with
the genre of the façade it calls."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import genre
from genre import DATA_DIR

PLAN = "关于推进开源发展的若干措施\n\n一、重点任务\n\n（一）建设开源社区。支持企业建设开源社区。（督办单位：市科委）\n"
QUESTION = "建设开源社区由谁负责？"


def _custom_genre(folder: Path) -> Path:
    """The packaged genre with one more block label (督办单位, a lead role)."""
    shutil.copytree(DATA_DIR, folder)
    blocks = folder / "blocks.yaml"
    text = blocks.read_text(encoding="utf-8")
    assert "  责任单位: responsible\n" in text
    blocks.write_text(text.replace("  责任单位: responsible\n", "  责任单位: responsible\n  督办单位: lead\n", 1),
                      encoding="utf-8")
    return folder


def test_derived_tables_live_on_their_genre(tmp_path: Path):
    from corpus.grammar import grammar

    custom = genre.load(_custom_genre(tmp_path / "genre"))
    plain = genre.load()
    assert "督办单位" in grammar(custom).blocks.labels and "督办单位" not in grammar(plain).blocks.labels
    assert grammar(custom) is grammar(custom)  # memoised on the genre object, once


def test_two_facades_with_different_genres_are_independent_in_threads(tmp_path: Path):
    from kg.embedded import stop_server
    from rag.indexes import Manifest
    from rag.pipeline import PolicyKG
    from rag.state import read_state
    from tests.support.reliability import rel_settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(PLAN, encoding="utf-8")
    folder = _custom_genre(tmp_path / "genre")
    data = {"plain": tmp_path / "plain", "custom": tmp_path / "custom"}
    facades = {"plain": PolicyKG(rel_settings(data["plain"], dense=False)),
               "custom": PolicyKG(rel_settings(data["custom"], dense=False, genre_dir=folder))}
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:  # both ingest at once, each in a worker thread
            list(pool.map(lambda kg: kg.ingest([docs]), facades.values()))
        states = {name: read_state(path) for name, path in data.items()}
        assert states["custom"].genre == facades["custom"].genre.signature != states["plain"].genre
        manifests = {name: Manifest.from_dict(json.loads((path / states[name].index / "manifest.json")
                                                         .read_text("utf-8"))) for name, path in data.items()}
        assert manifests["custom"].genre == states["custom"].genre
        assert manifests["plain"].genre == states["plain"].genre == genre.packaged().signature

        def departments(name: str) -> tuple[list, list]:
            kg = facades[name]
            pid = next(iter(kg.records()))
            return kg.outline(pid)["measures"][0]["departments"], kg.ask(QUESTION).departments

        with ThreadPoolExecutor(max_workers=4) as pool:  # interleaved questions to both façades
            names = ["custom", "plain"] * 3
            results = list(pool.map(departments, names))
        for name, (outlined, answered) in zip(names, results, strict=True):
            if name == "custom":
                assert outlined == answered == ["市科委"], answered
            else:
                assert outlined == [] and not answered, answered
    finally:
        for kg in facades.values():
            kg.close()
        for path in data.values():
            stop_server(path)
