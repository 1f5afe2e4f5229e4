"""Questions asked of scans: how much of the answering a document's scan keeps.

Some text documents of the development part are typeset and scanned whole (eval.ocrbench: the same
typesetting, page damage and watermark), and their development questions are asked twice: of the
development corpus as written, and of the same corpus with those documents replaced by their scans.
A question's sources are looked up in the scan's own text, so a question whose anchor the recognition
damaged cannot be scored on the scan; it is counted apart ("anchor lost"), and pass rates compare the
questions both runs can score.

    python -m eval.scanqa [--docs 044,046,041,037,039] [--degrade office|poor|clean]
                          [--vectors DATA_DIR] [--keep DIR] [--json]

Ingesting the corpus embeds every chunk unless `--vectors` names a data directory whose vectors to reuse
(a `policykg eval --gold devcorpus` run's, with POLICYKG_DATA_DIR set); the scan run reuses the text run's
vectors for every chunk the scans leave unchanged. Tesseract's output is cached per page image
(eval.ocrbench's cache), so a change to the repair of OCR text is measured again without recognising the
pages again.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eval.ocrbench import (
    CACHE,
    DAMAGE,
    cached_ocr,
    char_accuracy,
    dev_source,
    excerpt,
    scan_dpi,
    typeset_scan,
)
from eval.run import (
    DEVCORPUS_DIR,
    DEVCORPUS_GOLD,
    GoldQuestion,
    corpus_files,
    evaluate,
    gold_error_ids,
    load_gold,
    outline_corpus,
)
from genre import Genre, packaged

# text documents of the development part with many questions, of four numbering styles and both
# punctuation widths: 1. items (044), 一、 alone (046), 一、/（一）/1. (041), 一、/（一） with run-in titles
# (037, full width), （一） items with 责任单位 blocks (039)
DEFAULT_DOCS = ("044", "046", "041", "037", "039")


@dataclass
class RunResult:
    """One corpus's answers to the questions: which passed, which were refused, which could not be scored."""

    passed: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)
    unscored: set[str] = field(default_factory=set)


@dataclass
class ScanQA:
    """The figures of a run: each scan's character accuracy, and the questions as written and as scanned."""

    documents: dict[str, float]  # file name -> character accuracy of its scan
    questions: int
    anchor_lost: list[str]
    scored: int
    text_pass: int
    scan_pass: int
    text_refused: int
    scan_refused: int
    lost: list[str]
    gained: list[str]


def scan_documents(codes: Sequence[str], folder: Path, degrade: str, genre: Genre) -> dict[Path, str]:
    """Each development document typeset and scanned whole into `folder`: scan path -> the text it shows."""
    folder.mkdir(parents=True, exist_ok=True)
    damage = DAMAGE[degrade]
    out = {}
    for code in codes:
        source = dev_source(code)
        text = excerpt(source, 10**6, genre)
        pdf, _ = typeset_scan(folder / f"{source.stem}.pdf", text, genre=genre, dpi=scan_dpi(damage),
                              degrade=damage)
        out[pdf] = text
    return out


def scan_corpus(scans: Sequence[Path], folder: Path) -> Path:
    """A copy of the development corpus with the scanned documents in place of their text files."""
    folder.mkdir(parents=True, exist_ok=True)
    replaced = {p.stem for p in scans}
    for f in corpus_files(DEVCORPUS_DIR):
        if f.stem not in replaced:
            shutil.copy2(f, folder / f.name)  # copies: ingest follows no symbolic link
    for p in scans:
        shutil.copy2(p, folder / p.name)
    return folder


def scan_questions(codes: Sequence[str]) -> list[GoldQuestion]:
    """The development questions whose every source is one of the documents."""
    return [q for q in load_gold(DEVCORPUS_GOLD)
            if q.part == "dev" and q.sources and all(s["file"][:3] in codes for s in q.sources)]


def on_scans(questions: Sequence[GoldQuestion]) -> list[GoldQuestion]:
    """The questions with their sources named by the scans' file names."""
    return [dataclasses.replace(q, sources=[{**s, "file": Path(s["file"]).stem + ".pdf"} for s in q.sources])
            for q in questions]


def ask_corpus(folder: Path, data_dir: Path, questions: Sequence[GoldQuestion], codes: Sequence[str],
               vectors: Path | None) -> RunResult:
    """Ingest `folder` into `data_dir` (seeded with `vectors`), ask the questions, score them."""
    from rag.pipeline import PolicyKG, stop_embedded_server
    from rag.settings import Settings

    if vectors and vectors.is_dir() and not (data_dir / "vectors").exists():
        shutil.copytree(vectors, data_dir / "vectors")
    settings = Settings(data_dir=data_dir)
    kg = PolicyKG(settings)
    try:
        kg.ingest([folder])
        docs = outline_corpus([f for f in corpus_files(folder) if f.name[:3] in codes])
        results, errors = evaluate(kg, questions, docs)
    finally:
        kg.close()
        stop_embedded_server(settings)
    unscored = gold_error_ids(errors)
    return RunResult({r.id for r in results if r.passed and r.id not in unscored},
                     {r.id for r in results if r.abstained and not r.expected_abstain and r.id not in unscored},
                     unscored)


def compare(text: RunResult, scan: RunResult, questions: Sequence[GoldQuestion],
            accuracy: dict[str, float]) -> ScanQA:
    """The two runs over the questions both can score."""
    scored = {q.id for q in questions} - text.unscored - scan.unscored
    return ScanQA(accuracy, len(questions), sorted(scan.unscored - text.unscored), len(scored),
                  len(text.passed & scored), len(scan.passed & scored), len(text.refused & scored),
                  len(scan.refused & scored), sorted((text.passed - scan.passed) & scored),
                  sorted((scan.passed - text.passed) & scored))


def run(codes: Sequence[str], degrade: str, workdir: Path, vectors: Path | None, genre: Genre) -> ScanQA:
    """Scan the documents, ask their questions of the corpus as written and of the corpus with the scans
    (the second run reuses the first one's vectors: only the scans' chunks are embedded), compare."""
    from corpus.readers.pdf import read_pdf

    questions = scan_questions(codes)
    with cached_ocr(CACHE):
        scans = scan_documents(codes, workdir / "scans", degrade, genre)
        accuracy = {p.name: round(char_accuracy(read_pdf(p.read_bytes(), str(p), genre=genre).text, text), 4)
                    for p, text in scans.items()}
        print(f"scanned {len(scans)} documents ({degrade}); asking {len(questions)} questions", file=sys.stderr)
        text = ask_corpus(DEVCORPUS_DIR, workdir / "data-text", questions, codes, vectors)
        scan = ask_corpus(scan_corpus(list(scans), workdir / "scan"), workdir / "data-scan", on_scans(questions),
                          codes, workdir / "data-text" / "vectors")
    return compare(text, scan, questions, accuracy)


def format_report(r: ScanQA) -> str:
    lines = [f"{name[:56]:56} character accuracy {acc:.3f}" for name, acc in r.documents.items()]
    lines += [f"questions {r.questions}: {len(r.anchor_lost)} whose anchor the scan no longer carries; "
              f"{r.scored} scored on both",
              f"as written: pass {r.text_pass}/{r.scored} ({r.text_pass / max(1, r.scored):.1%}), "
              f"false refusals {r.text_refused}",
              f"scanned:    pass {r.scan_pass}/{r.scored} ({r.scan_pass / max(1, r.scored):.1%}), "
              f"false refusals {r.scan_refused}",
              f"lost on the scan: {' '.join(r.lost) or '-'}", f"gained on the scan: {' '.join(r.gained) or '-'}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", default=",".join(DEFAULT_DOCS), help="development text documents to scan, by number")
    ap.add_argument("--degrade", choices=tuple(DAMAGE), default="office", help="scan damage (eval.ocrbench)")
    ap.add_argument("--vectors", type=Path, help="a data directory whose dense vectors to reuse")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (scans, corpora, data directories)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    codes = [c.strip() for c in args.docs.split(",") if c.strip()]
    vectors = args.vectors / "vectors" if args.vectors and (args.vectors / "vectors").is_dir() else args.vectors
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="policykg-scanqa-"))
    try:
        result = run(codes, args.degrade, workdir, vectors, packaged())
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(dataclasses.asdict(result), ensure_ascii=False) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
