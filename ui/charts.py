"""Charts for the comparison view, drawn with matplotlib (Agg) in a CJK font when one is installed."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from html import escape
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/wqy"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/noto"),
)
KNOWN_CJK = (
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
MAX_PANELS = 6
_font_lock = threading.Lock()
_font: list[str | None] = []
# CJK fonts often come in one weight; matplotlib's note that it substituted it is noise in the logs.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def cjk_font() -> str | None:
    """Register an installed CJK font with matplotlib once; its family name, or None if there is none."""
    with _font_lock:
        if not _font:
            files = [
                f
                for d in FONT_DIRS
                if d.is_dir()
                for f in sorted(d.iterdir())
                if f.suffix.lower() in (".ttc", ".ttf", ".otf")
            ]
            for f in files:
                try:
                    font_manager.fontManager.addfont(str(f))
                except (OSError, RuntimeError):
                    continue
            names = {f.name for f in font_manager.fontManager.ttflist}
            _font.append(next((n for n in KNOWN_CJK if n in names), None))
        return _font[0]


def _panels(rows: list[dict]) -> list[tuple[str, str, list[dict]]]:
    """Group target rows by (metric, unit); metrics shared by most cities first."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        if not r.get("metric") or not isinstance(r.get("value"), int | float):
            continue
        groups[(str(r["metric"]), str(r.get("unit") or ""))].append(r)
    ranked = sorted(groups.items(), key=lambda kv: (-len({r.get("city") for r in kv[1]}), -len(kv[1]), kv[0]))
    return [(m, u, rs) for (m, u), rs in ranked[:MAX_PANELS]]


def targets_figure(rows: list[dict]) -> Figure | None:
    """Small multiples: one bar panel per metric, one bar per city and year; None when nothing to plot."""
    panels = _panels(rows)
    if not panels:
        return None
    font = cjk_font()
    style = {"font.family": [font, "sans-serif"]} if font else {}
    with matplotlib.rc_context({**style, "axes.unicode_minus": False}):
        cols = min(3, len(panels))
        nrows = (len(panels) + cols - 1) // cols
        fig = Figure(figsize=(4.2 * cols, 3.0 * nrows), dpi=110, layout="constrained")
        for i, (metric, unit, rs) in enumerate(panels):
            ax = fig.add_subplot(nrows, cols, i + 1)
            # one bar per city, year and value: a goal restated in two clauses is one goal
            unique = {(r.get("city"), r.get("year"), float(r["value"])): r for r in rs}
            rs = sorted(unique.values(), key=lambda r: (str(r.get("city") or ""), r.get("year") or 0))
            labels = [f"{r.get('city') or '—'}\n{r.get('year') or ''}" for r in rs]
            values = [float(r["value"]) for r in rs]
            bars = ax.bar(range(len(rs)), values, color="#3b6ea5", width=0.6)
            ax.bar_label(bars, labels=[f"{v:g}" for v in values], fontsize=8)
            ax.set_xticks(range(len(rs)), labels, fontsize=8)
            ax.set_xlim(-0.8, max(len(rs), 3) - 0.2)
            title = metric if len(metric) <= 14 else metric[:13] + "…"
            ax.set_title(f"{title}（{unit}）" if unit else title, fontsize=10)
            ax.yaxis.set_major_locator(MaxNLocator(integer=all(v.is_integer() for v in values)))
            ax.spines[["top", "right"]].set_visible(False)
            ax.margins(y=0.18)
    return fig


def targets_chart_html(rows: list[dict]) -> str:
    """Every metric as a small bar list (one bar per city and year, the value written at its end).

    HTML and CSS rather than a picture: it reflows to a phone's width, every metric is shown (not the
    first few), and counts are written as the integers they are instead of read off fractional ticks.
    Rows come from render.target_rows (ranges as "1—2", restatements removed)."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        if r.get("metric") and isinstance(r.get("value"), int | float):
            groups[(str(r["metric"]), str(r.get("unit") or ""))].append(r)
    if not groups:
        return ""
    ranked = sorted(groups.items(), key=lambda kv: (-len({r.get("city") for r in kv[1]}), kv[0]))
    panels = []
    for (metric, unit), rs in ranked:
        top = max(float(r.get("value_high") or r["value"]) for r in rs) or 1.0
        bars = []
        for r in sorted(rs, key=lambda r: (str(r.get("city") or ""), r.get("year") or 0)):
            value = float(r.get("value_high") or r["value"])
            who = " ".join(str(x) for x in (r.get("city") or "—", r.get("year") or "") if x)
            bars.append(
                f'<div class="pkg-bar"><span class="pkg-bar-who">{escape(who)}</span>'
                f'<span class="pkg-bar-track"><span class="pkg-bar-fill" style="width:{100 * value / top:.1f}%">'
                f'</span></span><span class="pkg-bar-val">{escape(str(r.get("target") or r["value"]))}</span></div>'
            )
        title = f"{metric}（{unit}）" if unit else metric
        panels.append(f'<div class="pkg-panel"><h5>{escape(title)}</h5>{"".join(bars)}</div>')
    return f'<div class="pkg-chart" role="img" aria-label="目标对比图">{"".join(panels)}</div>'
