"""Bounded work per question: the graph rows an answer composes from, and the answer itself.

A document of thousands of measures made one duties question compose from 10,000 rows for 19 s and
return 4 MB with 10,000 citations; four such requests starved every other user. The graph rows are
capped before composition (`cap_graph`), and every answer is capped after it (`cap_answer`, applied
by the Answerer and again by the façade, so an LLM rewrite or a composer change cannot exceed it).
A capped answer says so and names the views that list every row: the tables behind
department_duties, match_support and compare_targets are not capped (they are paged by the client).

The limits are settings (POLICYKG_ANSWER_MAX_ITEMS, _CITATIONS, _CHARS) so that composition and
the guard agree on one number each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rag.model import Answer
from rag.settings import Settings

# which full view lists every row of a capped kind (app tab and API endpoint)
WHERE_THE_REST_IS = {
    "duties": "“政策浏览 → 按部门查询职责”（API department_duties）",
    "supports": "“支持政策匹配”（API match_support）",
    "targets": "“城市对比”（API compare_targets）",
    "deadlines": "“政策浏览”（API policy_outline）",
}
KIND_ZH = {"duties": "职责条款", "supports": "支持措施", "targets": "量化目标", "deadlines": "时间节点"}


@dataclass
class Capped:
    """What was cut: kind -> total before the cap (distinct measures where rows name them)."""

    totals: dict[str, int] = field(default_factory=dict)
    shown: dict[str, int] = field(default_factory=dict)


def _distinct(rows: list[dict]) -> int:
    ids = {r.get("measure_id") for r in rows if r.get("measure_id")}
    return len(ids) or len(rows)


def cap_graph(graph: Any, max_items: int) -> Capped:
    """Keep the first `max_items` rows of each ranked list of a GraphResult (in place)."""
    capped = Capped()
    if graph is None:
        return capped
    for kind in ("duties", "supports", "targets", "deadlines"):
        rows = getattr(graph, kind, None)
        if isinstance(rows, list) and len(rows) > max_items:
            capped.totals[kind] = _distinct(rows)
            setattr(graph, kind, rows[:max_items])
            capped.shown[kind] = _distinct(rows[:max_items])
    if isinstance(getattr(graph, "departments", None), dict) and len(graph.departments) > max_items:
        graph.departments = dict(list(graph.departments.items())[:max_items])
    return capped


def cap_answer(answer: Answer, settings: Settings, capped: Capped | None = None) -> Answer:
    """Cut citations, facts, table rows and text to the settings' limits; say what was cut and where
    the rest is (in warnings, which the app and CLI show as notices). Idempotent."""
    notes: list[str] = []
    for kind, total in (capped.totals if capped else {}).items():
        notes.append(f"回答较长：共 {total} 项{KIND_ZH[kind]}，仅列出前 {capped.shown.get(kind, 0)} 项；"
                     f"完整列表见{WHERE_THE_REST_IS[kind]}。")
    if len(answer.citations) > settings.answer_max_citations:
        notes.append(f"引用较多：共 {len(answer.citations)} 条，仅列出前 {settings.answer_max_citations} 条；"
                     f"完整列表见{WHERE_THE_REST_IS['duties']}等查询。")
        answer.citations = answer.citations[: settings.answer_max_citations]
    answer.facts = answer.facts[: settings.answer_max_items]
    answer.table = answer.table[: settings.answer_max_items]
    if len(answer.answer) > settings.answer_max_chars:
        cut = answer.answer.rfind("\n", 0, settings.answer_max_chars)
        answer.answer = answer.answer[: cut if cut > 0 else settings.answer_max_chars].rstrip()
        notes.append(f"回答过长，仅显示前 {settings.answer_max_chars} 个字符。")
    answer.warnings = [*answer.warnings, *(n for n in notes if n not in answer.warnings)]  # shown as notices
    return answer
