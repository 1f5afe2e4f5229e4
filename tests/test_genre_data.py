"""The genre data: validated at load, checked by `policykg genre check`, passed explicitly, and a
vocabulary change rebuilds what was built with the old vocabulary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import genre
from corpus import parse_text
from corpus.model import DocumentMeta
from genre import DATA_DIR, GenreError
from genre.dates import parse_date, parse_deadline
from genre.numerals import numeral_value
from ui.cli import app


@pytest.fixture
def genre_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "genre"
    shutil.copytree(DATA_DIR, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_packaged_genre_is_valid_and_fingerprinted(genre_copy: Path):
    g = genre.load()
    assert not [p for p in genre.check()[1] if p.level == "error"]
    assert set(g.files) >= {"blocks", "grammar", "departments", "support", "targets", "intents", "answer"}
    assert genre.load(genre_copy).signature == g.signature  # contents, not the folder, decide
    _edit(genre_copy / "thesaurus.yaml", "[风险, 隐患]", "[风险, 隐患, 漏洞]")
    assert genre.load(genre_copy).signature != g.signature


def test_errors_name_the_file_and_the_key(genre_copy: Path):
    _edit(genre_copy / "blocks.yaml", "colons:", "colours:")
    _edit(genre_copy / "support.yaml", "triggers: [补贴,", "triggers: ['补贴(', ")
    _edit(genre_copy / "departments.yaml", "aliases: [市房管局]", "aliases: [市房管局, 重庆市房管局]")
    with pytest.raises(GenreError) as caught:
        genre.load(genre_copy)
    found = {(p.file, p.key) for p in caught.value.problems}
    assert ("blocks.yaml", "colours") in found  # unknown key
    assert ("blocks.yaml", "colons") in found  # missing key
    assert any(f == "support.yaml" and k.startswith("kinds.1.triggers") for f, k in found)  # bad regex
    text = str(caught.value)
    assert "bad regular expression" in text and "names another jurisdiction (重庆)" in text


def test_an_alias_naming_two_bodies_in_one_city_is_an_error(genre_copy: Path):
    _edit(genre_copy / "departments.yaml", "aliases: [市房管局]", "aliases: [市房管局, 市民防办]")
    problems = genre.check(genre_copy)[1]
    assert any(p.file == "departments.yaml" and p.key.startswith("cities.上海.departments")
               and "names both" in p.message for p in problems)


def test_genre_check_command_reports_and_exits_non_zero(genre_copy: Path):
    runner = CliRunner()
    ok = runner.invoke(app, ["genre", "check", str(DATA_DIR)])
    assert ok.exit_code == 0 and "valid" in ok.output
    _edit(genre_copy / "grammar.yaml", "doc_no: '", "doc_no: '(")
    bad = runner.invoke(app, ["genre", "check", str(genre_copy), "--json"])
    assert bad.exit_code == 1
    report = json.loads(bad.stdout)
    assert not report["ok"]
    assert {"level": "error", "file": "grammar.yaml", "key": "doc_no"} in [
        {k: p[k] for k in ("level", "file", "key")} for p in report["problems"]]


PLAN = "关于推进开源发展的若干措施\n\n一、重点任务\n\n（一）建设开源社区。支持企业建设开源社区。（督办单位：市科委）\n"


def _with_label(folder: Path) -> genre.Genre:
    _edit(folder / "blocks.yaml", "  责任单位: responsible\n", "  责任单位: responsible\n  督办单位: lead\n")
    return genre.load(folder)


def test_the_genre_is_passed_explicitly_and_does_not_leak(genre_copy: Path):
    custom = _with_label(genre_copy)
    meta = DocumentMeta(city="上海")
    seen = parse_text(PLAN, "plan.txt", meta, genre=custom).measures()[0]
    assert (seen.responsibility_label, seen.responsibility) == ("督办单位", "市科委")
    plain = parse_text(PLAN, "plan.txt", meta).measures()[0]
    assert plain.responsibility is None  # the packaged genre has no such label, and nothing leaked
    assert not hasattr(genre, "current") and not hasattr(genre, "use")  # no ambient genre to leak into


def test_a_vocabulary_change_rebuilds_graph_and_indexes_on_the_next_ingest(tmp_path: Path, genre_copy: Path):
    from kg.embedded import stop_server
    from rag.indexes import Manifest
    from rag.pipeline import PolicyKG
    from rag.state import read_state
    from tests.support.reliability import rel_settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(PLAN, encoding="utf-8")
    data = tmp_path / "data"
    settings = rel_settings(data)
    try:
        first = PolicyKG(settings)
        first.ingest([docs])
        pid = next(iter(read_state(data).policies))
        assert not first.outline(pid)["measures"][0]["departments"]
        assert read_state(data).genre == genre.packaged().signature
        first.close()

        custom = _with_label(genre_copy)
        second = PolicyKG(settings, genre=custom)
        assert second.stale_genre() and second.stale_genre() in second.ask("建设开源社区由谁负责？").warnings
        report = second.ingest([docs])  # same file, other vocabulary: rebuilt, not "unchanged"
        assert report.unchanged == 0 and report.replaced == 1
        state = read_state(data)
        assert state.genre == custom.signature
        manifest = Manifest.from_dict(json.loads((data / state.index / "manifest.json").read_text("utf-8")))
        assert manifest.genre == custom.signature
        departments = second.outline(pid)["measures"][0]["departments"]
        assert departments == ["市科委"]
        assert second.ingest([docs]).unchanged == 1  # and then it is stable
        assert second.stale_genre() is None
        second.close()
    finally:
        stop_server(data)


def test_an_app_upload_is_ingested_with_the_facades_genre(tmp_path: Path, genre_copy: Path):
    """The app ingests an upload in a child process, which must parse and extract with the genre the
    app's façade loaded, not with what the genre folder holds by then: a folder edited while the app
    runs would otherwise re-extract every ingested policy on each upload (and the app's own removals,
    made with its genre, back again) and report them all as the upload's documents."""
    from kg.embedded import stop_server
    from rag.pipeline import PolicyKG
    from rag.settings import Settings
    from rag.state import read_state
    from ui.service import AppService

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(PLAN, encoding="utf-8")
    upload = tmp_path / "upload" / "ecosystem.txt"
    upload.parent.mkdir()
    upload.write_text(PLAN.replace("推进开源发展", "繁荣开源生态").replace("建设开源社区", "培育开源项目"),
                      encoding="utf-8")
    data = tmp_path / "data"
    custom = _with_label(genre_copy)
    settings = Settings(data_dir=data, genre_dir=genre_copy, embedding_model="policykg-test-no-such-model",
                        embedding_fallback="")
    kg = PolicyKG(settings)
    try:
        assert kg.genre.signature == custom.signature
        kg.ingest([docs], embed="none")
        _edit(genre_copy / "blocks.yaml", "  督办单位: lead\n", "")  # the folder changes under the running app
        report, outlines = AppService(kg).upload([upload])
        assert report.documents == 1 and report.replaced == 0, report.policies
        assert read_state(data).genre == custom.signature
        assert outlines[0]["measures"][0]["departments"] == ["市科委"]  # read with the façade's 督办单位
    finally:
        kg.close()
        stop_server(data)


def test_one_numeral_and_date_reader():
    assert [numeral_value(s) for s in ("十二", "二〇二三", "两", "２", "①", "章")] == [12, 2023, 2, 2, 1, None]
    assert parse_date("二〇二三年十月二十日印发") == "2023-10-20"
    assert parse_deadline("2024年底前完成") == "2024-12-31"
    assert parse_deadline("2025年6月前") == "2025-05-31"


def test_vocabulary_evidence_counts_documents_per_entry(tmp_path: Path):
    from eval.vocabulary import Entry, document_frequency, entries

    found = {(e.file, e.key, e.text) for e in entries()}
    assert ("blocks", "labels", "主管部门") in found  # keys of vocabulary mappings
    assert any(f == "support" and k == "kinds.triggers" and t == "加计扣除" for f, k, t in found)
    assert not any(f == "cities" and k.endswith("code") for f, k, _ in found)  # settings are not vocabulary
    docs = {"a": "给予一次性补贴并予以重点支持", "b": "按规定给予补贴", "c": "无关"}
    assert document_frequency(Entry("support", "kinds.triggers", "补贴"), docs) == ["a", "b"]
    assert document_frequency(Entry("support", "kinds.triggers", "(?:予以|给予)[^，。；]{0,8}支持"), docs) == ["a"]


def test_a_set_phrase_is_said_in_parts_but_a_missing_subject_is_not():
    from rag.compose import said_in_parts

    clause = "对轻微违法行为依法从轻、减轻或免予处罚"
    assert said_in_parts("从轻处理", clause)
    assert not said_in_parts("临床试验", "开展药物试验")  # a subject noun: no leniency


def test_no_process_wide_cache_holds_genre_data():
    """Whatever is derived from genre data is memoised on the Genre (genre.derived), never in a
    functools cache that would outlive a change of genre."""
    import ast

    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in [p for pkg in ("corpus", "kg", "rag") for p in (root / pkg).rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            cached = any((isinstance(d, ast.Name) and d.id in ("cache", "lru_cache"))
                         or (isinstance(d, ast.Attribute) and d.attr in ("cache", "lru_cache"))
                         or (isinstance(d, ast.Call) and getattr(d.func, "attr", getattr(d.func, "id", ""))
                             == "lru_cache") for d in node.decorator_list)
            reads = any(isinstance(c, ast.Call) and getattr(c.func, "id", "") in ("read_data", "load")
                        for c in ast.walk(node))
            if cached and reads:
                offenders.append(f"{path.relative_to(root)}:{node.name}")
    assert offenders == []


def test_every_packaged_data_file_has_a_schema():
    from pathlib import Path

    from genre.schema import MODELS

    data = Path(__file__).resolve().parent.parent / "genre" / "data"
    assert {p.stem for p in data.glob("*.yaml")} <= set(MODELS)
