"""Terminal rendering for the command line: reports, answers, rows, progress."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer
from tqdm import tqdm

from rag.model import Answer, IngestReport


class ProgressPrinter:
    """A progress callback for PolicyKG.ingest that draws one tqdm bar per stage on stderr."""

    def __init__(self) -> None:
        self._bar: tqdm | None = None
        self._stage: str | None = None
        self._started = 0.0
        self._next_line = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        tty = sys.stderr.isatty()
        if stage != self._stage:
            self.close()
            self._stage = stage
            self._started = time.monotonic()
            self._next_line = 0.0
            self._bar = tqdm(total=total, desc=stage, unit="item", file=sys.stderr, leave=False, disable=not tty)
        if not tty:
            self._line(stage, done, total)
        if self._bar is not None:
            self._bar.total = total
            self._bar.n = done
            self._bar.refresh()
            if done >= total:
                self.close()

    def _line(self, stage: str, done: int, total: int) -> None:
        """Without a terminal (logs, CI): one line at every tenth of the stage, with rate and ETA."""
        if total <= 1 or (done < total and done < self._next_line):
            return
        self._next_line = done + max(total // 10, 1)
        elapsed = time.monotonic() - self._started
        rate = done / elapsed if elapsed > 0 and done else 0.0
        eta = f", ETA {(total - done) / rate:.0f} s" if rate and done < total else ""
        print(f"{stage}: {done}/{total} ({rate:.1f}/s{eta})", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            self._stage = None


def print_ingest_report(report: IngestReport) -> None:
    typer.echo(f"documents: {report.documents} ingested, {report.unchanged} unchanged, "
               f"{report.replaced} replaced, {report.removed} removed")
    typer.echo(f"structure: {report.sections} sections, {report.measures} measures")
    for p in report.policies:
        source = f", {p['text_source']}" if p.get("text_source") else ""
        read = f", read in {p['read_ms'] / 1000:.1f} s" if p.get("read_ms") else ""
        name = f"[{Path(p['path']).name}] " if p.get("path") else ""
        typer.echo(f"  - {name}{p.get('doc_no') or '(无文号)'}  {p.get('title')}: "
                   f"{p.get('sections')} sections, {p.get('measures')} measures{source}{read}")
    if report.nodes:
        typer.echo("graph nodes: " + ", ".join(f"{k} {v}" for k, v in sorted(report.nodes.items())))
    if report.relationships:
        typer.echo("graph relationships: "
                   + ", ".join(f"{k} {v}" for k, v in sorted(report.relationships.items())))
    if report.timings_ms:
        typer.echo("timings: " + ", ".join(f"{k} {v:.0f} ms" for k, v in report.timings_ms.items()))
    for path in report.removed_paths:
        typer.echo(f"removed: {path} (gone from the folder)")
    for c in report.conflicts:  # kept apart, never a replacement: the reason says how to replace
        typer.secho(f"kept apart: {c['reason']}", fg=typer.colors.YELLOW, err=True)
        candidates = c.get("candidates") or []
        if len(candidates) > 1:  # every policy it claims to be: the user chooses which to replace
            for row in candidates:
                typer.secho(f"    claims {row['id']} (same {row.get('match')}): {row.get('path')}",
                            fg=typer.colors.YELLOW, err=True)
            typer.secho(f"    to replace several: policykg ingest {c['path']} "
                        + " ".join(f"--replace {row['id']}" for row in candidates), fg=typer.colors.YELLOW, err=True)
    for w in report.warnings:
        typer.secho(f"warning: {w['warning']}", fg=typer.colors.YELLOW, err=True)  # warnings name the file
    for s in report.skipped:
        reason = s["reason"] if s["reason"].startswith(s["path"]) else f"{s['path']}: {s['reason']}"
        typer.secho(f"skipped: {reason}", fg=typer.colors.YELLOW, err=True)  # loader reasons name the file
    if report.skipped:
        typer.secho(f"{len(report.skipped)} file(s) not ingested (listed above)", fg=typer.colors.YELLOW, err=True)


def render_answer(answer: Answer) -> str:
    """The answer's markdown followed by its numbered citations, for a terminal."""
    lines = [answer.answer.rstrip(), ""]
    if answer.citations:
        lines.append("来源:")
        for i, c in enumerate(answer.citations, 1):
            where = " ".join(x for x in (c.doc_no or c.title, c.section, c.measure) if x)
            where += f"（{c.text_source}）" if c.text_source else ""
            lines.append(f"[{i}] {where}")
            lines.append(f"    “{c.quote}”")
    for w in answer.warnings:
        lines.append(f"注意: {w}")
    return "\n".join(lines)


def print_rows(rows: list[dict]) -> None:
    if not rows:
        typer.echo("(no rows)")
        return
    cols = list(rows[0].keys())
    typer.echo("\t".join(cols))
    for r in rows:
        typer.echo("\t".join(str(r.get(c, "")) for c in cols))
    typer.echo(f"({len(rows)} rows)")


def print_stats(stats: dict[str, dict[str, int]]) -> None:
    for group in ("nodes", "relationships"):
        typer.echo(f"{group}:")
        for k, v in sorted(stats.get(group, {}).items()):
            typer.echo(f"  {k:<14} {v}")
