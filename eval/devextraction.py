"""Extraction quality on the development corpus, per part (dev / eval), against
eval/gold/devcorpus_extraction.yaml.

    report = devcorpus_report()            # parses the labelled documents, extracts, scores per part
    print(format_devcorpus_report(report))

A labelled measure is found by its quote (the smallest parsed measure whose text contains it), so the
labels survive changes of ids and numbering. Scored per part:
- department sets: a measure is exact when its bodies AND their roles equal the gold (a body named
  with two roles keeps the strongest: lead > co-lead > responsible > participant); names on both sides
  go through the same department resolver, so two spellings of one body are one body;
- support: an item matches when its amounts (every money amount and rate, as numbers), its condition
  (the gold key phrase inside the extracted condition) and its applicants (as a set) agree; F1 over
  the labelled measures;
- tiers: the (tier, amount) pairs of every support labelled in a measure (3A级：50万元 …; a support
  label without `tiers` has none) against those of every item extracted there; F1, so a tier missed,
  a list of grades read as tiers or an amount paired with the wrong grade all count;
- targets: (value, value_max, unit, year) multisets per labelled measure; F1;
- structure: table-of-contents entries and listed glossary terms found among the measures of every
  document of the part (should be 0).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from eval.extraction import normalize, prf
from genre import Genre

ROOT = Path(__file__).resolve().parent.parent
GOLD_PATH = Path(__file__).parent / "gold" / "devcorpus_extraction.yaml"
CORPUS_DIR = Path(__file__).parent / "devcorpus"
ROLE_RANK = {"lead": 0, "co-lead": 1, "responsible": 2, "participant": 3}
PREDICTED_ROLE = {"lead": "lead", "co-lead": "co-lead", "co_lead": "co-lead", "responsible": "responsible",
                  "co": "participant", "participant": "participant"}
_MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?\s*(元|%)")
_SCALE = {None: 1, "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}
LINKABLE = {"measure", "goal", "safeguard", "intro", "paragraph"}


def load_gold(path: Path | None = None) -> list[dict]:
    with (path or GOLD_PATH).open(encoding="utf-8") as f:
        return yaml.safe_load(f)["documents"]


def load_split(corpus_dir: Path = CORPUS_DIR) -> dict[str, str]:
    """file name -> part (dev / eval)."""
    data = yaml.safe_load((corpus_dir / "split.yaml").read_text(encoding="utf-8"))
    return {name: part for part in ("dev", "eval") for name in data.get(part) or []}


def amount_key(text: str | None) -> frozenset[tuple[float, str]]:
    """Every money amount and rate written in `text`, as (value in 元 or %, unit)."""
    out = set()
    for m in _MONEY.finditer(text or ""):
        value = float(m.group(1)) * (_SCALE[m.group(2)] if m.group(3) == "元" else 1)
        out.add((round(value, 4), m.group(3)))
    return frozenset(out)


def _strongest(pairs: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for body, role in pairs:
        if body not in out or ROLE_RANK[role] < ROLE_RANK[out[body]]:
            out[body] = role
    return out


def body_key(name: str, city: str | None, place=None, *, genre: Genre) -> str:
    """The canonical name a written body resolves to: a lexicon entry, else the name qualified by the
    document's own jurisdiction (labels are written as the text writes them, 省商务厅; the graph holds
    安徽省商务厅), else the written name, normalised."""
    from kg.extract.departments import qualified_entry
    from kg.lexicon import departments, norm

    entry = departments(genre).resolve(name, city) or qualified_entry(norm(name), city, place, genre)
    return entry.canonical if entry else norm(name)


def gold_departments(labels: dict, city: str | None, place=None, *, genre: Genre) -> dict[str, str]:
    pairs = [(body_key(n, city, place, genre=genre), role) for role, names in (labels or {}).items() for n in names or []]
    return _strongest(pairs)


def predicted_departments(refs) -> dict[str, str]:
    return _strongest([(r.canonical, PREDICTED_ROLE.get(r.role, "responsible")) for r in refs])


def find_measure(policy, quote: str):
    """The smallest parsed measure whose text contains the quote (normalised), or None."""
    key = normalize(quote)
    found = [m for m in policy.measures() if key in normalize(m.text)]
    return min(found, key=lambda m: len(m.text)) if found else None


def support_matches(gold: dict, s) -> bool:
    if amount_key(gold.get("amount")) != amount_key(" ".join(filter(None, [s.amount, s.rate, s.cap]))):
        return False
    if set(gold.get("applicant") or []) != set(getattr(s, "applicants", None) or []):
        return False
    cond = gold.get("condition")
    return not cond or normalize(cond) in normalize(s.condition or "")


def tier_key(tier: str) -> tuple[str, frozenset[tuple[float, str]]]:
    """A tier as its grade (normalised) and the amounts it is given (3A级：50万元 -> ('3A级', {(500000, '元')}))."""
    name, _, amount = re.sub(r"\s*[:：]\s*", "：", tier, count=1).partition("：")
    return normalize(name), amount_key(amount)


def target_key(t) -> tuple:
    if isinstance(t, dict):
        vmax = t.get("value_max")
        return (round(float(t["value"]), 4), round(float(vmax), 4) if vmax is not None else None,
                str(t["unit"]), t.get("year"))
    return (round(t.value, 4), round(t.value_max, 4) if t.value_max is not None else None, t.unit,
            None if t.per_year else t.year)


def toc_entries(policy) -> list[str]:
    """Linkable measures that are lines of a table of contents: dot leaders with a page number, or an
    empty heading repeated by a later heading of the same number and title."""
    measures = [m for m in policy.measures() if m.kind in LINKABLE]
    starts: dict[str, set[int]] = {}
    for x in [*policy.all_sections(), *policy.measures()]:
        starts.setdefault(normalize(x.number + x.title), set()).add(x.start)
    out = []
    for m in measures:
        text = m.text.strip()
        if re.search(r"(?:\.{4,}|…{2,}|·{4,})\s*\d+\s*$", text):
            out.append(text[:30])
            continue
        head = normalize(m.number + m.title)
        if text.endswith(("。", "；")) or text.startswith("|"):
            continue  # a sentence or a table row, not a heading
        if head and len(normalize(text)) <= len(head) + 2 and len(starts.get(head, ())) > 1:
            out.append(text[:30])
    return out


@dataclass
class PartScore:
    documents: int = 0
    documents_missing: list[str] = field(default_factory=list)
    measures: int = 0
    measures_missing: list[str] = field(default_factory=list)
    dept_exact: int = 0
    dept_exact_bodies: int = 0
    dept_measures: int = 0
    support: list[int] = field(default_factory=lambda: [0, 0, 0])
    tiers: list[int] = field(default_factory=lambda: [0, 0, 0])
    targets: list[int] = field(default_factory=lambda: [0, 0, 0])
    toc: list[str] = field(default_factory=list)
    glossary: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = self.__dict__.copy()
        d["department_sets_exact"] = round(self.dept_exact / self.dept_measures, 4) if self.dept_measures else None
        d["department_sets_exact_ignoring_roles"] = (
            round(self.dept_exact_bodies / self.dept_measures, 4) if self.dept_measures else None)
        d["support"] = prf(*self.support)
        d["tiers"] = prf(*self.tiers)
        d["targets"] = prf(*self.targets)
        return d


def score_measure(label: dict, m, facts, city: str | None, part: PartScore, where: str, *, genre: Genre) -> None:
    if "departments" in label:
        gold = gold_departments(label["departments"], city, facts.policy.meta.jurisdiction, genre=genre)
        pred = predicted_departments(facts.departments.get(m.id, []))
        part.dept_measures += 1
        part.dept_exact += gold == pred
        part.dept_exact_bodies += set(gold) == set(pred)
        if gold != pred:
            part.errors.append(f"{where}: departments gold {gold} predicted {pred}")
    if "support" in label:
        preds = list(facts.supports.get(m.id, []))
        for g in label["support"] or []:
            hit = next((s for s in preds if support_matches(g, s)), None)
            if hit is not None:
                preds.remove(hit)
                part.support[0] += 1
            else:
                part.support[2] += 1
                part.errors.append(f"{where}: support missing {g}")
        part.support[1] += len(preds)
        for s in preds:
            part.errors.append(f"{where}: support extra {s.kind} amount={s.amount} rate={s.rate} cap={s.cap} "
                               f"condition={s.condition} applicants={getattr(s, 'applicants', None)} "
                               f"| {s.text[:40]}")
        _score_tiers(label["support"] or [], facts.supports.get(m.id, []), part, where)
    if "targets" in label:
        gold_t = Counter(target_key(t) for t in label["targets"] or [])
        pred_t = Counter(target_key(t) for t in facts.targets if t.span and t.span.measure_id == m.id)
        tp = sum((gold_t & pred_t).values())
        part.targets[0] += tp
        part.targets[1] += sum(pred_t.values()) - tp
        part.targets[2] += sum(gold_t.values()) - tp
        if gold_t != pred_t:
            part.errors.append(f"{where}: targets missing {sorted((gold_t - pred_t).elements(), key=str)} "
                               f"extra {sorted((pred_t - gold_t).elements(), key=str)}")


def _score_tiers(gold: list[dict], predicted: list, part: PartScore, where: str) -> None:
    """The tiers of a labelled measure's supports against those extracted there, as (grade, amount) pairs."""
    gold_t = Counter(tier_key(t) for g in gold for t in g.get("tiers") or [])
    pred_t = Counter(tier_key(t) for s in predicted for t in getattr(s, "tiers", None) or [])
    tp = sum((gold_t & pred_t).values())
    part.tiers[0] += tp
    part.tiers[1] += sum(pred_t.values()) - tp
    part.tiers[2] += sum(gold_t.values()) - tp
    if gold_t != pred_t:
        part.errors.append(f"{where}: tiers missing {_tier_list(gold_t - pred_t)} extra {_tier_list(pred_t - gold_t)}")


def _tier_list(tiers: Counter) -> list[str]:
    def money(v: float, u: str) -> str:
        return f"{v / 1e4:g}万元" if u == "元" and v >= 1e4 else f"{v:g}{u}"

    return sorted(f"{name}：{'、'.join(money(v, u) for v, u in sorted(amounts))}" for name, amounts in tiers.elements())


def _parse(path: Path, *, genre: Genre):
    from corpus import parse_file
    from kg.extract import extract

    policy = parse_file(path, genre=genre)
    return policy, extract(policy, genre=genre)


def devcorpus_report(corpus_dir: Path | None = None, gold_path: Path | None = None,
                     all_documents: bool = False, *, genre: Genre) -> dict:
    """Scores per part over the labelled documents; with all_documents the structure check also covers
    every other document of the part (slow: a 331-page PDF and an OCR scan are among them)."""
    corpus_dir = corpus_dir or CORPUS_DIR
    split = load_split(corpus_dir)
    gold: dict[str, dict] = {}
    for d in load_gold(gold_path):  # a file labelled in two places: one document, all its labels
        if d["file"] in gold:
            gold[d["file"]] = {**gold[d["file"]], "measures": [*gold[d["file"]]["measures"], *d["measures"]]}
        else:
            gold[d["file"]] = d
    parts = {"dev": PartScore(), "eval": PartScore()}
    names = sorted(split) if all_documents else sorted(gold)
    for name in names:
        part = parts[split.get(name, "dev")]
        doc = gold.get(name)
        try:
            policy, facts = _parse(corpus_dir / "docs" / name, genre=genre)
        except Exception as exc:  # a document the loaders cannot read yet: every label is missed
            if doc:
                part.documents_missing.append(f"{name}: {type(exc).__name__}: {exc}"[:160])
                _miss_all(doc, part)
            continue
        part.toc += [f"{name}: {t}" for t in toc_entries(policy)]
        if not doc:
            continue
        part.documents += 1
        for term in doc.get("not_measures") or []:
            key = normalize(term["quote"])
            if any(normalize(m.title) == key for m in policy.measures() if m.kind in LINKABLE):
                part.glossary.append(f"{name}: {term['quote']}")
        merged: dict[str, tuple] = {}  # labels whose quotes fall in one parsed measure are scored together
        for label in doc.get("measures") or []:
            part.measures += 1
            m = find_measure(policy, label["quote"])
            where = f"{name[:12]} «{label['quote'][:16]}»"
            if m is None:
                part.measures_missing.append(where)
                _miss(label, part)
                continue
            if m.id in merged:
                merged[m.id] = (merge_labels(merged[m.id][0], label), m, merged[m.id][2])
            else:
                merged[m.id] = (label, m, where)
        for label, m, where in merged.values():
            score_measure(label, m, facts, facts.city, part, where, genre=genre)
    return {"gold": str((gold_path or GOLD_PATH).relative_to(ROOT)) if not gold_path else str(gold_path),
            "parts": {k: v.to_dict() for k, v in parts.items()}}


def merge_labels(a: dict, b: dict) -> dict:
    """Two labels of one parsed measure: the union of their facets (departments as one set)."""
    out = dict(a)
    for facet in ("support", "targets"):
        if facet in b:
            out[facet] = [*(out.get(facet) or []), *(b[facet] or [])]
    if "departments" in b:
        deps = {role: list(names) for role, names in (out.get("departments") or {}).items()}
        for role, names in (b["departments"] or {}).items():
            deps.setdefault(role, []).extend(n for n in names if n not in deps[role])
        out["departments"] = deps
    return out


def _miss_all(doc: dict, part: PartScore) -> None:
    for label in doc.get("measures") or []:
        part.measures += 1
        _miss(label, part)


def _miss(label: dict, part: PartScore) -> None:
    if "departments" in label:
        part.dept_measures += 1
    part.support[2] += len(label.get("support") or [])
    part.tiers[2] += sum(len(g.get("tiers") or []) for g in label.get("support") or [])
    part.targets[2] += len(label.get("targets") or [])


def format_devcorpus_report(report: dict, details: bool = True) -> str:
    lines = [f"Development corpus extraction against {report['gold']}", "",
             f"{'part':<6} {'docs':>4} {'measures':>8} {'dept exact':>12} {'(bodies)':>9} "
             f"{'support F1':>10} {'tiers F1':>8} {'targets F1':>10} {'TOC':>4} {'gloss':>5}"]
    for name, p in report["parts"].items():
        de = p["department_sets_exact"]
        db = p["department_sets_exact_ignoring_roles"]
        exact = f"{p['dept_exact']}/{p['dept_measures']} {de:.2f}" if de is not None else "-"
        bodies = f"{db:.2f}" if db is not None else "-"
        lines.append(
            f"{name:<6} {p['documents']:>4} {p['measures']:>8} {exact:>12} {bodies:>9} "
            f"{p['support']['f1']:>10.3f} {p['tiers']['f1']:>8.3f} {p['targets']['f1']:>10.3f} {len(p['toc']):>4} "
            f"{len(p['glossary']):>5}")
    if details:
        for name, p in report["parts"].items():
            extra = [*(f"  document not read: {d}" for d in p["documents_missing"]),
                     *(f"  measure not found: {m}" for m in p["measures_missing"]),
                     *(f"  TOC entry among measures: {t}" for t in p["toc"]),
                     *(f"  glossary entry as a measure: {t}" for t in p["glossary"]),
                     *(f"  {e}" for e in p["errors"])]
            if extra:
                lines += ["", f"[{name}]", *extra]
    return "\n".join(lines)
