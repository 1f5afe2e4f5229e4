"""Extraction quality: precision, recall and F1 per entity type against eval/gold/extraction.yaml.

    report = extraction_report()                 # parses corpus/docs, extracts, scores
    print(format_extraction_report(report))

Matching rules (one per type):
- departments: per measure, the set of canonical names; every (measure, body) pair is one item, and a
  measure counts as exact when its predicted set equals the gold set (measures without 责任单位 have
  the empty set, so a body invented there is a false positive);
- issuers: per document, the set of canonical names;
- targets: per document, the multiset of (value, unit, year);
- dates: per document, the multiset of (kind, ISO date);
- support: per document, the multiset of (measure, kind).

This scores the extraction stage itself, below the façade: it parses and extracts the files directly.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GOLD_PATH = Path(__file__).parent / "gold" / "extraction.yaml"
DOCS_DIR = ROOT / "corpus" / "docs"
TYPES = ("departments", "issuers", "targets", "dates", "support")


def load_gold(path: Path | None = None) -> list[dict]:
    with (path or GOLD_PATH).open(encoding="utf-8") as f:
        return yaml.safe_load(f)["documents"]


def normalize(text: str | None) -> str:
    """Comparison key for labels: NFKC, no spaces or punctuation (（一） == (一), 1. == 1．)."""
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s\W_]+", "", text)


def doc_key(policy) -> str:
    return policy.meta.doc_no or policy.meta.title


def find_measure(policy, label: str):
    """The parsed measure a gold label (number + title as written) names, or None."""
    key = normalize(label)
    measures = policy.measures()
    for m in measures:
        if normalize(m.number + m.title) == key:
            return m
    for m in measures:  # a title cut differently by the parser: prefix either way
        full = normalize(m.number + m.title)
        if full and (full.startswith(key) or key.startswith(full)):
            return m
    return None


def counts(gold: Counter, predicted: Counter) -> tuple[int, int, int]:
    tp = sum((gold & predicted).values())
    return tp, sum(predicted.values()) - tp, sum(gold.values()) - tp


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": tp + fn, "found": tp + fp, "tp": tp, "fp": fp, "fn": fn,
            "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _value(v) -> float:
    return float(v) if v is not None else float("nan")


def predicted_items(policy, facts) -> dict[str, Counter]:
    """The extractor's facts as comparable keys per type (departments keyed by measure id)."""
    labels = {m.id: f"{m.number}{m.title}" for m in policy.measures()}
    supports = Counter()
    for mid, items in facts.supports.items():
        for s in items:
            supports[(labels.get(mid, mid), s.kind)] += 1
    return {
        "issuers": Counter({r.canonical: 1 for r in facts.issuers}),
        "targets": Counter((round(t.value, 4), t.unit, t.year) for t in facts.targets),
        "dates": Counter((d.kind, d.date) for d in facts.dates),
        "support": supports,
    }


def gold_items(doc: dict, policy, missing: list[str]) -> dict[str, Counter]:
    """The gold facts of one document as keys comparable with predicted_items."""
    supports = Counter()
    for s in doc.get("support") or []:
        m = find_measure(policy, s["measure"])
        if m is None:
            missing.append(s["measure"])
        supports[(f"{m.number}{m.title}" if m else f"?{s['measure']}", s["kind"])] += 1
    return {
        "issuers": Counter({name: 1 for name in doc.get("issuers") or []}),
        "targets": Counter((round(_value(t["value"]), 4), str(t["unit"]), t.get("year"))
                           for t in doc.get("targets") or []),
        "dates": Counter((d["kind"], str(d["date"])) for d in doc.get("dates") or []),
        "support": supports,
    }


def department_sets(doc: dict, policy, facts, missing: list[str]) -> list[dict]:
    """Per measure with a gold or predicted set: both sets (canonical names)."""
    gold: dict[str, set[str]] = {}
    for label, names in (doc.get("departments") or {}).items():
        m = find_measure(policy, label)
        if m is None:
            missing.append(label)
            gold[f"?{label}"] = set(names)
        else:
            gold[m.id] = set(names)
    labels = {m.id: f"{m.number}{m.title}" for m in policy.measures()}
    rows = []
    for mid in dict.fromkeys([*gold, *facts.departments]):
        predicted = {r.canonical for r in facts.departments.get(mid, [])}
        rows.append({"measure": labels.get(mid, mid), "gold": sorted(gold.get(mid, set())),
                     "predicted": sorted(predicted)})
    return rows


def _diff(gold: Counter, predicted: Counter) -> dict:
    return {"missing": sorted(map(str, (gold - predicted).elements())),
            "extra": sorted(map(str, (predicted - gold).elements()))}


def score_document(doc: dict, policy, facts) -> dict:
    """Counts and differences of one document for every type."""
    missing: list[str] = []
    gold, pred = gold_items(doc, policy, missing), predicted_items(policy, facts)
    out: dict = {"doc": doc["doc"], "types": {}, "errors": {}, "unmatched_measures": missing}
    for t in ("issuers", "targets", "dates", "support"):
        out["types"][t] = counts(gold[t], pred[t])
        if gold[t] != pred[t]:
            out["errors"][t] = _diff(gold[t], pred[t])
    rows = department_sets(doc, policy, facts, missing)
    tp = sum(len(set(r["gold"]) & set(r["predicted"])) for r in rows)
    fp = sum(len(set(r["predicted"]) - set(r["gold"])) for r in rows)
    fn = sum(len(set(r["gold"]) - set(r["predicted"])) for r in rows)
    out["types"]["departments"] = (tp, fp, fn)
    out["department_sets"] = {"measures": len(rows), "exact": sum(r["gold"] == r["predicted"] for r in rows)}
    wrong = [r for r in rows if r["gold"] != r["predicted"]]
    if wrong:
        out["errors"]["departments"] = wrong
    out["new_departments"] = sorted({r.canonical for refs in facts.departments.values() for r in refs
                                     if not r.known})
    out["unresolved"] = list(facts.unresolved)
    return out


def parse_and_extract(docs_dir: Path) -> dict[str, tuple]:
    """doc key -> (policy, facts) for every document under docs_dir."""
    from rag.pipeline import parse_and_extract as parse

    return {doc_key(policy): (policy, facts) for policy, facts in parse([docs_dir])}


def extraction_report(docs_dir: Path | str | None = None, gold_path: Path | None = None) -> dict:
    """Precision/recall/F1 per entity type over the gold documents found under docs_dir."""
    parsed = parse_and_extract(Path(docs_dir) if docs_dir else DOCS_DIR)
    report = score_corpus(load_gold(gold_path), parsed)
    report["gold"] = str(gold_path or GOLD_PATH.relative_to(ROOT))
    return report


def score_corpus(gold: list[dict], parsed: dict[str, tuple]) -> dict:
    """The report for already extracted documents (doc key -> (policy, facts))."""
    per_doc, totals = [], {t: [0, 0, 0] for t in TYPES}
    not_found = []
    for doc in gold:
        if doc["doc"] not in parsed:
            not_found.append(doc["doc"])
            continue
        scored = score_document(doc, *parsed[doc["doc"]])
        per_doc.append(scored)
        for t in TYPES:
            totals[t] = [a + b for a, b in zip(totals[t], scored["types"][t], strict=True)]
    exact = sum(d["department_sets"]["exact"] for d in per_doc)
    measures = sum(d["department_sets"]["measures"] for d in per_doc)
    return {"gold": str(GOLD_PATH.relative_to(ROOT)), "documents": len(per_doc),
            "documents_not_found": not_found,
            "types": {t: prf(*totals[t]) for t in TYPES},
            "department_sets": {"measures": measures, "exact": exact},
            "per_document": per_doc}


def format_extraction_report(report: dict) -> str:
    """A readable table of the figures, then every difference from the gold."""
    lines = [f"Extraction against {report['gold']} ({report['documents']} documents)", "",
             f"{'type':<12} {'gold':>5} {'found':>6} {'tp':>4} {'precision':>10} {'recall':>7} {'f1':>6}"]
    for t, s in report["types"].items():
        lines.append(f"{t:<12} {s['gold']:>5} {s['found']:>6} {s['tp']:>4} {s['precision']:>10.3f} "
                     f"{s['recall']:>7.3f} {s['f1']:>6.3f}")
    ds = report["department_sets"]
    lines += ["", f"department sets exact: {ds['exact']}/{ds['measures']} measures"]
    if report["documents_not_found"]:
        lines.append("gold documents not in the corpus: " + ", ".join(report["documents_not_found"]))
    for d in report["per_document"]:
        notes = []
        for t, err in d["errors"].items():
            if t == "departments":
                notes += [f"  departments {r['measure']}: gold {r['gold']} predicted {r['predicted']}" for r in err]
            else:
                notes.append(f"  {t}: missing {err['missing']} extra {err['extra']}")
        if d["unmatched_measures"]:
            notes.append(f"  gold measures not found: {d['unmatched_measures']}")
        if d["new_departments"]:
            notes.append(f"  departments not in the lexicon (kept as written): {d['new_departments']}")
        if notes:
            lines += ["", d["doc"], *notes]
    return "\n".join(lines)
