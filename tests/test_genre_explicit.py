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


EXPLICIT_PLAN = ("关于推进开源发展的若干措施\n\n"
                 "一、主要目标\n\n到2027年，全市开源项目达到100个。\n\n"
                 "二、重点任务\n\n"
                 "（一）建设开源社区。支持企业建设开源社区。（责任单位：市科委）\n\n"
                 "（二）支持开源项目。对符合条件的开源项目，给予最高500万元资金支持。（责任单位：市经济信息化委）\n\n"
                 "三、附则\n\n本措施自2025年1月1日起施行，有效期至2029年12月31日。\n")
# one question of each kind: duties (who is responsible), support, targets, validity, a general one
EXPLICIT_QUESTIONS = ["建设开源社区由谁负责？", "开源项目能获得多少资金支持？", "到2027年开源项目的目标是多少？",
                      "这个措施的有效期到什么时候？", "如何推进开源发展？"]


def test_a_facade_with_an_explicit_genre_never_falls_back_to_the_packaged_one(tmp_path: Path, monkeypatch):
    """With the packaged genre unreachable, a façade built with an explicitly loaded genre ingests and
    answers questions of several kinds: the genre is passed all the way down on those paths (any
    function that fell back to a default genre would reach `genre.core.packaged` and fail)."""
    import genre.core
    from kg.embedded import stop_server
    from rag.pipeline import PolicyKG
    from tests.support.reliability import rel_settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(EXPLICIT_PLAN, encoding="utf-8")
    own = genre.load(DATA_DIR)  # the packaged data, but a distinct object

    def refuse() -> genre.Genre:
        raise AssertionError("fell back to the packaged genre")

    monkeypatch.setattr(genre.core, "packaged", refuse)
    data = tmp_path / "data"
    kg = PolicyKG(rel_settings(data, dense=False), genre=own)
    try:
        assert kg.genre is own
        kg.ingest([docs])
        answers = [kg.ask(q) for q in EXPLICIT_QUESTIONS]
        assert [a.intent for a in answers] == ["departments", "support", "targets", "metadata", "general"]
        assert "市科委" in answers[0].departments
        assert "500万元" in answers[1].answer and "100个" in answers[2].answer and "2029年12月31日" in answers[3].answer
        assert all(a.answer for a in answers)
    finally:
        kg.close()
        stop_server(data)


def test_a_comparison_reads_central_bodies_from_the_answerers_genre(tmp_path: Path):
    """A side that is a central body names its document (包头和X局的试验区方案): which bodies are central
    is the genre's data, so a genre that adds an ending reads the side differently from the packaged one."""
    from rag.answer import compared_parts

    folder = tmp_path / "genre"
    shutil.copytree(DATA_DIR, folder)
    rules = folder / "jurisdictions.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "suffixes: [部, " in text
    rules.write_text(text.replace("suffixes: [部, ", "suffixes: [管理局, 部, ", 1), encoding="utf-8")
    question = "包头和某某管理局的试验区方案有什么不同"
    assert compared_parts(question, genre.load()) == (["包头", "某某管理局"], "试验区方案有什么不同")
    assert compared_parts(question, genre.load(folder)) == (["包头", "某某管理局的试验区方案"], "有什么不同")
