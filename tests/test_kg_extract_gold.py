"""Extraction against the gold file (the seed policies) and against unseen synthetic policies."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from eval.extraction import format_extraction_report, load_gold, score_corpus
from genre import packaged as packaged_genre
from kg.lexicon import department_id, departments, norm

ANNOTATED = ("沪府办〔2025〕33号", "沪经信软〔2025〕160号")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def report(seed_facts):
    return score_corpus(load_gold(), seed_facts)


def test_every_gold_document_and_measure_is_found(report):
    assert report["documents_not_found"] == []
    assert report["documents"] == len(load_gold())
    for doc in report["per_document"]:
        assert doc["unmatched_measures"] == [], doc["doc"]


def test_responsible_departments_are_exact_on_the_annotated_documents(report):
    for doc in report["per_document"]:
        if doc["doc"] in ANNOTATED:
            tp, fp, fn = doc["types"]["departments"]
            assert tp > 0 and fp == 0 and fn == 0, doc.get("errors", {}).get("departments")
            assert doc["department_sets"]["exact"] == doc["department_sets"]["measures"]
    assert report["types"]["departments"]["f1"] == 1.0


@pytest.mark.parametrize("kind", ["issuers", "targets", "dates", "support"])
def test_precision_and_recall_on_the_gold(report, kind):
    scores = report["types"][kind]
    assert scores["gold"] > 0
    assert scores["precision"] >= 0.9, report
    assert scores["recall"] >= 0.9, report


def test_report_prints_a_row_per_type(report):
    text = format_extraction_report(report)
    for kind in ("departments", "issuers", "targets", "dates", "support"):
        assert any(line.startswith(kind) for line in text.splitlines())
    assert "department sets exact" in text


def test_command_prints_the_report():
    out = subprocess.run([sys.executable, "-m", "ui.cli", "eval", "--extraction"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "departments" in out.stdout and "precision" in out.stdout


# -- unseen documents: the synthetic genre generator, parsed by the real parser -----------------------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from corpus import parse_file
    from eval.synth import documents, write
    from kg.extract import extract

    out = tmp_path_factory.mktemp("synthetic")
    docs = [d for d in documents(40, seed=11) if d.city in departments(genre=packaged_genre()).by_city][:12]
    return [(d, extract(parse_file(write(d, out)))) for d in docs]


def test_department_sets_on_unseen_documents(synthetic):
    lex = departments(genre=packaged_genre())
    total = exact = 0
    for doc, facts in synthetic:
        by_title = {norm(m.title): m for m in facts.policy.measures() if m.kind == "measure"}
        for sm in doc.measures:
            m = by_title.get(norm(sm.title))
            if m is None:
                continue
            gold = set()
            for name in sm.canonical:
                entry = lex.resolve(name, doc.city)
                gold.add(entry.ident(packaged_genre()) if entry else department_id(doc.city, name, genre=packaged_genre()))
            total += 1
            exact += gold == {r.id for r in facts.departments.get(m.id, [])}
    assert total >= 50
    assert exact / total >= 0.97


def test_targets_on_unseen_documents(synthetic):
    gold, found = Counter(), Counter()
    for doc, facts in synthetic:
        gold.update((float(t.value), t.unit, t.year) for t in doc.targets)
        found.update((t.value, t.unit, t.year) for t in facts.targets)
    tp = sum((gold & found).values())
    assert sum(gold.values()) >= 20
    assert tp / sum(gold.values()) >= 0.85
    assert tp / sum(found.values()) >= 0.9
