"""Reading the app's 有帮助/没帮助 feedback (<data_dir>/feedback.jsonl): totals, share helpful by question
kind, and the unhelpful answers with their comments, so that failures users met become gold questions."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

FEEDBACK_FILE = "feedback.jsonl"


def load(data_dir: Path) -> list[dict]:
    """Every feedback record; a line that is not JSON (a torn write) is skipped."""
    path = Path(data_dir) / FEEDBACK_FILE
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records


def summary(records: list[dict]) -> dict:
    ratings = Counter(r.get("rating") for r in records)
    by_intent: dict[str, Counter] = {}
    for r in records:
        by_intent.setdefault(str(r.get("intent") or "general"), Counter())[r.get("rating")] += 1
    return {
        "total": len(records),
        "up": ratings.get("up", 0),
        "down": ratings.get("down", 0),
        "by_intent": {k: {"up": v.get("up", 0), "down": v.get("down", 0)} for k, v in sorted(by_intent.items())},
        "unhelpful": [
            {k: r.get(k) for k in ("time", "question", "intent", "comment", "scope")}
            for r in records
            if r.get("rating") == "down"
        ],
    }


def render_text(s: dict) -> str:
    lines = [f"feedback: {s['total']} answers rated, {s['up']} helpful, {s['down']} not helpful"]
    for intent, c in s["by_intent"].items():
        lines.append(f"  {intent:<12} helpful {c['up']:>3}  not helpful {c['down']:>3}")
    if s["unhelpful"]:
        lines.append("not helpful:")
        for r in s["unhelpful"]:
            note = f"  — {r['comment']}" if r.get("comment") else ""
            lines.append(f"  [{r.get('time')}] {r.get('question')}{note}")
    return "\n".join(lines)


def main(data_dir: Path, as_json: bool = False) -> int:
    s = summary(load(data_dir))
    print(json.dumps(s, ensure_ascii=False, indent=1) if as_json else render_text(s))
    return 0
