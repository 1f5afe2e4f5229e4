"""The scan question benchmark's pieces: which questions it asks, how their sources follow the scans,
what corpus the scans go into, and how the two runs are compared."""

from pathlib import Path

from eval.run import DEVCORPUS_DIR, corpus_files
from eval.scanqa import RunResult, compare, on_scans, scan_corpus, scan_questions


def test_the_questions_are_the_dev_questions_of_the_scanned_documents_only():
    questions = scan_questions(["044", "046"])
    assert questions and all(q.part == "dev" for q in questions)
    assert all(s["file"][:3] in ("044", "046") for q in questions for s in q.sources)


def test_a_question_on_a_scan_names_the_scan_as_its_source_and_the_gold_is_untouched():
    question = scan_questions(["044"])[0]
    moved = on_scans([question])[0]
    assert all(s["file"].endswith(".pdf") and s["file"][:3] == "044" for s in moved.sources)
    assert all(s["file"].endswith(".txt") for s in question.sources)
    assert [s.get("anchor") for s in moved.sources] == [s.get("anchor") for s in question.sources]


def test_the_scan_corpus_is_the_dev_corpus_with_the_scans_in_place_of_their_text(tmp_path: Path):
    text = next(DEVCORPUS_DIR.glob("044_*.txt"))
    scan = tmp_path / f"{text.stem}.pdf"
    scan.write_bytes(b"%PDF-1.4 stand-in")
    folder = scan_corpus([scan], tmp_path / "corpus")
    names = {f.name for f in corpus_files(folder)}
    assert scan.name in names and text.name not in names
    assert len(names) == len(corpus_files(DEVCORPUS_DIR))
    assert not any(f.is_symlink() for f in folder.iterdir())


def test_runs_are_compared_on_the_questions_both_can_score():
    questions = scan_questions(["044"])[:4]
    a, b, c, d = (q.id for q in questions)
    text = RunResult(passed={a, b, c}, refused=set(), unscored=set())
    scan = RunResult(passed={a, d}, refused={b}, unscored={c})
    r = compare(text, scan, questions, {"x.pdf": 0.9})
    assert (r.questions, r.scored, r.anchor_lost) == (4, 3, [c])
    assert (r.text_pass, r.scan_pass, r.scan_refused) == (2, 2, 1)
    assert (r.lost, r.gained) == ([b], [d])
