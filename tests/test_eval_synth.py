"""The synthetic corpus generator: deterministic, marked synthetic, and parseable by the real parser."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from corpus import parse_file
from eval import synth


def _digest(paths) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _as_written(s: str) -> str:
    """Compare names across the two bracket widths a document may use."""
    return s.replace("(", "（").replace(")", "）")


def test_same_seed_same_corpus_and_other_seed_differs(tmp_path):
    a = synth.generate(8, tmp_path / "a", seed=3)
    b = synth.generate(8, tmp_path / "b", seed=3)
    c = synth.generate(8, tmp_path / "c", seed=4)
    assert len(a) == 8 and _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)


def test_a_small_corpus_is_the_prefix_of_a_larger_one(tmp_path):
    small = synth.generate(5, tmp_path / "small", seed=1)
    large = synth.generate(12, tmp_path / "large", seed=1)
    assert _digest(small).items() <= _digest(large).items()


def test_every_document_is_marked_synthetic(tmp_path):
    for path, doc in zip(synth.generate(10, tmp_path, seed=2), synth.documents(10, seed=2), strict=True):
        text = path.read_bytes().decode(doc.encoding)
        front = yaml.safe_load(text.split("---")[1])
        assert front["synthetic"] is True
        assert synth.MARKER in text
        assert front["发文字号"] == doc.doc_no


def test_documents_vary_in_style_city_length_and_encoding():
    docs = list(synth.documents(120, seed=0))
    assert {d.style for d in docs} == set(synth.STYLES)
    assert len({d.city for d in docs}) >= 6
    assert {d.size for d in docs} == set(synth.SIZES)
    assert {d.encoding for d in docs} == {"utf-8", "gb18030"}
    assert len({d.doc_no for d in docs}) == len(docs)
    short = [len(d.measures) for d in docs if d.size == "short"]
    long = [len(d.measures) for d in docs if d.size == "long"]
    assert max(short) < min(long)


def test_length_mix_follows_the_requested_shares():
    counts = synth.length_mix(400, seed=0, mix={"short": 0.5, "medium": 0.0, "long": 0.5})
    assert sum(counts.values()) == 400 and counts["medium"] == 0
    assert 150 < counts["short"] < 250


@pytest.mark.parametrize("seed", [0, 11])
def test_parser_recovers_measures_titles_and_responsibility_blocks(tmp_path, seed):
    """The corpus parser finds every generated measure with its run-in title and its 责任单位 block,
    through page breaks, blank lines, half-width punctuation and names broken mid-word."""
    checked_blocks = 0
    for doc in synth.documents(40, seed=seed):
        policy = parse_file(synth.write(doc, tmp_path))
        assert policy.meta.doc_no == doc.doc_no and policy.meta.city == doc.city
        parsed = {_as_written(m.number.strip()): m for m in policy.measures()}
        for want in doc.measures:
            got = parsed.get(_as_written(want.number.strip()))
            assert got is not None, f"{doc.filename}: measure {want.number} not found"
            assert got.title.rstrip("。") == want.title
            if want.label:
                checked_blocks += 1
                assert got.responsibility_label == want.label
                block = _as_written(got.responsibility or "")
                assert all(_as_written(d) in block for d in want.departments), (doc.filename, want.number)
    assert checked_blocks > 100


def test_questions_point_at_the_measure_that_answers_them():
    docs = list(synth.documents(30, seed=5))
    qs = synth.questions(docs, 20, seed=5)
    assert qs == synth.questions(docs, 20, seed=5)
    assert len(qs) == 20 and {q.intent for q in qs} >= {"departments", "support"}
    by_name = {d.filename: d for d in docs}
    for q in qs:
        doc = by_name[q.filename]
        if q.intent == "departments":
            m = next(m for m in doc.measures if m.number.strip() == q.source["measure"])
            assert m.title in q.question and q.expected == m.canonical and q.as_written == m.departments
        elif q.intent == "support":
            assert q.expected[0] in {s for m in doc.measures for s in m.supports}


# Formulae of national administrative writing that every policy library repeats; not seed sentences.
STANDARD_FORMULAE = ("可复制可推广", "研发费用加计扣除")


def test_measure_templates_do_not_reuse_seed_sentences():
    """What makes a synthetic measure (section titles, objects, body, support, conditions) is genre-level
    wording: no run of eight Chinese characters of it appears in the seed documents."""
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "corpus" / "docs"
    seeds = re.sub(r"[^\u4e00-\u9fa5]", "", "".join(p.read_text(encoding="utf-8") for p in sorted(docs.iterdir())
                                                      if p.suffix in (".txt", ".md")))
    v = synth.vocab()
    texts = [*v["section_titles"], *v["body_sentences"], *v["conditions"],
             *(t for group in v["support"] for t in group["templates"]),
             *(o for topic in v["topics"] for o in topic["objects"])]
    reused = []
    for text in texts:
        for part in re.split(r"\{[^}]*\}", text):
            run = re.sub(r"[^\u4e00-\u9fa5]", "", part)
            for f in STANDARD_FORMULAE:
                run = run.replace(f, "|")
            reused += [run[i:i + 8] for i in range(len(run) - 7) if "|" not in run[i:i + 8] and run[i:i + 8] in seeds]
    assert reused == []
