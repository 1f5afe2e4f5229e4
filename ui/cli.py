"""The `policykg` command line: one verb per job, documented by its own --help.

Heavy imports (models, graph drivers, Gradio) happen inside the commands so that `--help` is instant.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import typer

app = typer.Typer(
    help="PolicyKG: a knowledge graph and question answering over Chinese government policy documents.\n\n"
    "Configuration comes from POLICYKG_* environment variables (see the README).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
graph_app = typer.Typer(help="Inspect the knowledge graph.", no_args_is_help=True)
app.add_typer(graph_app, name="graph")
genre_app = typer.Typer(help="Inspect the genre data (numbering grammar, block labels, vocabularies).",
                        no_args_is_help=True)
app.add_typer(genre_app, name="genre")


def _facade():
    from genre import GenreError
    from rag.pipeline import PolicyKG

    try:
        return PolicyKG()
    except GenreError as exc:
        _fail(f"{exc}\nrun `policykg genre check` for every problem")


def _start_graph_early() -> None:
    """Let the embedded graph server load its snapshot while this command imports and loads the rest
    (seconds at 10,000 documents). A bad configuration is reported by the façade that follows."""
    try:
        from rag.settings import Settings
        from rag.state import start_graph_early

        start_graph_early(Settings())
    except Exception:  # the façade that follows reports it with its own message
        return


# what a command's work may fail with that the user can act on: nothing ingested, another ingest
# running, an unreadable state, a full disk, an unknown id, a bad argument
EXPECTED = (RuntimeError, OSError, KeyError, ValueError)


@contextlib.contextmanager
def _opened(expected: tuple[type[Exception], ...] = EXPECTED,
            usage: tuple[type[Exception], ...] = ()) -> Iterator:
    """The façade for one command, closed whatever happens; an expected failure ends the command with
    one line (`error: …`, exit 1; a `usage` error exit 2) instead of a traceback."""
    kg = _facade()
    try:
        yield kg
    except (typer.Exit, typer.Abort):  # click's Exit is a RuntimeError: a command's own exit stays as it is
        raise
    except usage as exc:
        _fail(_message(exc), 2)
    except expected as exc:
        _fail(_message(exc))
    finally:
        kg.close()


def _dump(obj) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, default=str))


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="Files or folders (.txt .md .pdf .docx .html); default: corpus/docs"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild graph and indexes from every policy's "
                                 "source (repairs a damaged data directory)."),
    replace: list[str] = typer.Option(None, "--replace", metavar="POLICY_ID",
                                      help="Put the one file given in the place of this ingested policy "
                                      "(repeat to replace several: the first lends the file its id)."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation of --replace."),
    progress_json: bool = typer.Option(False, "--progress-json", hidden=True,
                                       help="Progress as JSON lines on stderr (the app reads them)."),
    no_embed: bool = typer.Option(False, "--no-embed",
                                  help="Commit graph and BM25 only; compute the vectors later with `policykg embed`."),
) -> None:
    """Read policy files, build the knowledge graph and the retrieval indexes.

    Re-running on the same files changes nothing; an edited file replaces its own earlier version;
    a file gone from an ingested folder is removed. A document claiming the 文号 or title of another
    source's policy is kept apart and flagged; use --replace to put it in that policy's place.
    Every file not ingested (unreadable, unsupported type, duplicate, symbolic link, too large) is
    reported with the reason; the rest is ingested. Exit status: 0 all ingested, 1 nothing ingested,
    3 some files not ingested. Reads .txt .md .pdf (scans through OCR) .docx .html .htm.
    Graph and BM25 are committed first (questions are answered from then on); the dense vectors
    are computed after the commit (resumable if interrupted: run `policykg embed`).
    """
    from ui.report import print_ingest_report

    with _opened() as kg:
        if replace:
            _confirm_replace(kg, replace, paths, yes)
        progress = _progress_lines if progress_json else None if as_json else _progress_bar()
        report = kg.ingest(paths or None, progress=progress, replace=replace or None, rebuild=rebuild,
                           embed="none" if no_embed else "after")
    if as_json:
        from dataclasses import asdict

        _dump(asdict(report))
    else:
        print_ingest_report(report)
    if report.documents == 0 and report.unchanged == 0 and report.skipped:
        raise typer.Exit(1)
    if report.skipped:
        raise typer.Exit(3)


def _confirm_replace(kg, policy_ids: list[str], paths: list[Path] | None, yes: bool) -> None:
    """Replacing policies is never implicit: name each, then confirm (or pass --yes)."""
    records = kg.records()
    missing = [pid for pid in policy_ids if pid not in records]
    if missing:
        raise KeyError(f"no ingested policy has id {missing[0]!r}")
    if not paths or len(paths) != 1 or not paths[0].is_file():
        raise ValueError("--replace takes exactly one file")
    named = "; ".join(f"{pid} ({records[pid].doc_no or records[pid].title}, from {records[pid].path})"
                      for pid in dict.fromkeys(policy_ids))
    if not yes and not typer.confirm(f"Replace {named} with {paths[0]}?"):
        raise typer.Exit(1)


@app.command()
def remove(
    policy_id: str = typer.Argument(..., help="The id of an ingested policy (see `policykg ingest --json`)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
) -> None:
    """Remove one policy: its subgraph, its chunks and its entry in the data directory."""
    with _opened() as kg:
        report = kg.remove_policy(policy_id)
    if as_json:
        from dataclasses import asdict

        _dump(asdict(report))
    else:
        typer.echo(f"removed {policy_id}")


def _message(exc: BaseException) -> str:
    """One line for the user: a KeyError's own text, an OSError's cause and file."""
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _progress_lines(stage: str, done: int, total: int) -> None:
    sys.stderr.write(json.dumps({"stage": stage, "done": done, "total": total}) + "\n")
    sys.stderr.flush()


@app.command()
def embed(as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object.")) -> None:
    """Compute the dense vectors of the ingested chunks that have none yet (resumable, reused per chunk)."""
    with _opened() as kg:
        report = kg.embed(progress=None if as_json else _progress_bar())
    if as_json:
        from dataclasses import asdict

        _dump({**asdict(report), "per_1000_chunks_s": report.per_1000_chunks_s})
        return
    typer.echo(f"embedding: {report.state}; model {report.model or '-'}; {report.chunks} chunks, "
               f"{report.cached} reused, {report.computed} computed in {report.seconds:.1f} s"
               + (f" ({report.per_1000_chunks_s} s per 1,000 chunks)" if report.per_1000_chunks_s else ""))
    for w in report.warnings:
        typer.echo(f"warning: {w}")


def _progress_bar():
    from ui.report import ProgressPrinter

    return ProgressPrinter()


@app.command()
def outline(
    path: Path = typer.Argument(..., help="A policy file (.txt .md .pdf .docx .html; scans through OCR)."),
    as_json: bool = typer.Option(False, "--json", help="Metadata and a flat list of measures as JSON."),
) -> None:
    """Print a document's structure: sections and measures with their 责任单位 blocks."""
    from rag.pipeline import outline_file

    try:
        result = outline_file(path, as_json=as_json)
    except Exception as exc:  # a LoadError names the file and the cause
        _fail(str(exc))
    if as_json:
        _dump(result)
    else:
        typer.echo(result)


@app.command()
def ask(
    question: str = typer.Argument(None, help="The question; omit it with --json to read one per line on stdin."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object (JSONL for stdin batches)."),
    history: str = typer.Option(None, "--history",
                                help="Earlier turns, as a JSON list of questions or {question, citations} objects."),
    document: str = typer.Option(None, "--document", help="Answer only from this document (id, title or 文号)."),
    jurisdiction: str = typer.Option(None, "--jurisdiction", help="Answer only from this place's policies."),
    in_force: bool = typer.Option(False, "--in-force", help="Answer only from policies still in force."),
) -> None:
    """Answer a question with citations. With --json and no QUESTION: JSONL batch from stdin, each line a
    question or an object {"question": ..., "history": [...], "scope": {...}}."""
    if question is None and not as_json:
        _fail("give a QUESTION, or use --json to read questions from stdin", 2)
    turns = _json_list(history, "--history") if history else None
    scope = {"document": document, "jurisdiction": jurisdiction, "in_force": in_force}
    _start_graph_early()
    from ui.report import render_answer

    # nothing ingested yet, an unreadable state, a bad scope: one line
    with _opened((RuntimeError, OSError, ValueError)) as kg:
        if question is not None:
            answer = kg.ask(question, history=turns, scope=scope)
            if as_json:
                _dump(answer.to_json())
            else:
                typer.echo(render_answer(answer))
            return
        for line in sys.stdin:
            if line.strip():
                q, h, sc = _batch_line(line.strip(), turns, scope)
                _dump(kg.ask(q, history=h, scope=sc).to_json())
                sys.stdout.flush()


def _json_list(text: str, option: str) -> list:
    try:
        value = json.loads(text)
    except ValueError as exc:
        _fail(f"{option} is not JSON: {exc}", 2)
    if not isinstance(value, list):
        _fail(f"{option} must be a JSON list", 2)
    return value


def _batch_line(line: str, history: list | None, scope: dict) -> tuple[str, list | None, dict]:
    """A stdin line: a plain question, or a JSON object with question, history and scope."""
    if not line.startswith("{"):
        return line, history, scope
    try:
        obj = json.loads(line)
    except ValueError:
        return line, history, scope
    if not isinstance(obj, dict) or not isinstance(obj.get("question"), str):
        return line, history, scope
    turns = obj.get("history") if isinstance(obj.get("history"), list) else history
    return obj["question"], turns, obj.get("scope") if isinstance(obj.get("scope"), dict) else scope


@app.command()
def serve(
    host: str = typer.Option(None, help="Bind address (default 127.0.0.1, POLICYKG_HOST)."),
    port: int = typer.Option(None, help="Port (default 7860, POLICYKG_PORT)."),
    share: bool = typer.Option(False, "--share", help="Ask Gradio for a public share link (off by default)."),
    auth: str = typer.Option(None, "--auth", metavar="USER", help="Require a login as USER for the whole app; "
                             "the password comes from POLICYKG_AUTH_PASSWORD or --password-file."),
    password_file: Path = typer.Option(None, "--password-file", help="File holding the --auth password."),
) -> None:
    """Start the Gradio app (chat, support matcher, comparison, policy browser, corpus management).

    Uploads and removals need authentication: the --auth login, or else the write token printed at
    start (POLICYKG_WRITE_TOKEN sets it).
    """
    import os

    _start_graph_early()  # Gradio's import alone takes seconds: the snapshot loads meanwhile
    from ui.app import launch

    password = os.environ.get("POLICYKG_AUTH_PASSWORD")
    if password_file is not None:
        try:
            password = password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            _fail(_message(exc))
    launch(host=host, port=port, share=share, auth_user=auth, auth_password=password)


@app.command("eval")
def evaluate(
    extraction: bool = typer.Option(False, "--extraction", help="Only the extraction report (P/R per type)."),
    metadata: bool = typer.Option(False, "--metadata", help="Only metadata accuracy per part (dev / eval / seeds)."),
    details: bool = typer.Option(False, "--details", help="With --metadata: list every wrong field."),
    as_json: bool = typer.Option(False, "--json", help="Print figures as JSON."),
    out: Path = typer.Option(None, help="Also write a markdown report here."),
    gold: str = typer.Option("seeds", help="seeds: the five seed documents and their gold questions; "
                             "devcorpus: the 36 development documents and the development questions."),
    signals: bool = typer.Option(False, "--signals",
                                 help="Also answer with BM25 only, BM25+graph, dense only and all signals."),
    feedback: bool = typer.Option(
        False, "--feedback", help="Only summarise the app's helpful / not helpful feedback."
    ),
) -> None:
    """Run the gold questions (or the extraction gold) and print quality figures.

    Set POLICYKG_DATA_DIR to keep the ingested corpus and its vectors between runs."""
    if feedback:
        from eval.feedback import main as feedback_report
        from rag.settings import Settings

        raise typer.Exit(feedback_report(Settings().data_dir, as_json=as_json))
    from eval.run import main as run_eval

    if gold not in ("seeds", "devcorpus"):
        _fail("--gold is seeds or devcorpus", 2)
    raise typer.Exit(run_eval(extraction_only=extraction, as_json=as_json, out=out, gold=gold, signals=signals,
                              metadata_only=metadata, details=details))


@app.command()
def bench(
    scale: list[int] = typer.Option([100, 1000], help="Synthetic corpus sizes to measure."),
    out: Path = typer.Option(Path("results"), help="Folder for the report and charts."),
    quick: bool = typer.Option(False, help="A short run (smaller scale, fewer repetitions)."),
    library: str = typer.Option("synth", help="Scale corpora: 'synth' (generated) or 'real' (the development "
                                "corpus relocated to other cities and years)."),
    soak: float = typer.Option(0.0, help="Seconds of sustained questions at the largest scale, memory sampled."),
    only: list[str] = typer.Option([], help="Run only these sections (ingest, queries, cold_start, baselines, scale, "
                                   "soak: memory over a sustained load at the largest --scale, only when named)."),
    minutes: float = typer.Option(10.0, help="Length of the soak section in minutes (with --only soak)."),
    cache: Path = typer.Option(None, help="Keep each scale's corpus, data directory and ingest figures here and "
                               "reuse them in the next run (the queries are measured again)."),
) -> None:
    """Measure ingest and query speed, memory and scale, against baselines; write a report."""
    from eval.bench import main as run_bench

    if library not in ("synth", "real"):
        raise typer.BadParameter("library must be 'synth' or 'real'")
    raise typer.Exit(run_bench(scales=scale, out=out, quick=quick, library=library, soak_s=soak, sections=only,
                               cache=cache, minutes=minutes))


@graph_app.command("query")
def graph_query(
    cypher: str = typer.Argument(..., help="A read-only Cypher query (write clauses are refused)."),
    as_json: bool = typer.Option(False, "--json", help="Rows as JSON lines."),
) -> None:
    """Run a read-only Cypher query and print the rows."""
    from ui.report import print_rows

    # a refused or malformed query exits 2; no graph server, or one that did not answer within
    # POLICYKG_GRAPH_TIMEOUT, is one line too
    with _opened((Exception,), usage=(ValueError,)) as kg:
        rows = kg.graph_query(cypher)
    if as_json:
        for row in rows:
            _dump(row)
    else:
        print_rows(rows)


@graph_app.command("stats")
def graph_stats(as_json: bool = typer.Option(False, "--json", help="Counts as JSON.")) -> None:
    """Count nodes by label and relationships by type."""
    from ui.report import print_stats

    with _opened((Exception,)) as kg:  # an unreachable or stopped graph server: one line, not a traceback
        stats = kg.graph_stats()
    if as_json:
        _dump(stats)
    else:
        print_stats(stats)


@graph_app.command("start")
def graph_start() -> None:
    """Start the embedded graph server of this data directory and keep it running until `graph stop`.

    Without it, the server lives as long as some command or app uses it: the last one to exit stops
    it. Kept running, it spares each later command its start (seconds for a large graph)."""
    from kg.embedded import ServerError
    from rag.pipeline import keep_embedded_server

    try:
        pid = keep_embedded_server()
    except ServerError as exc:
        _fail(str(exc))
    typer.echo(f"graph server running (pid {pid}); `policykg graph stop` stops it")


@graph_app.command("stop")
def graph_stop() -> None:
    """Stop the embedded graph server of this data directory (it persists to disk first)."""
    from rag.pipeline import stop_embedded_server

    typer.echo("stopped" if stop_embedded_server() else "no server was running")


@genre_app.command("check")
def genre_check(
    path: Path = typer.Argument(None, help="A folder of genre data files (default: POLICYKG_GENRE_DIR, "
                                           "else the packaged genre/data)."),
    as_json: bool = typer.Option(False, "--json", help="Problems as one JSON object."),
) -> None:
    """Validate every genre data file: unknown keys, wrong types, bad regular expressions, department
    aliases naming two bodies or another jurisdiction. Exits 1 when there are errors."""
    import genre
    from rag.settings import Settings

    folder = path or Settings().genre_dir or genre.DATA_DIR
    loaded, problems = genre.check(folder)
    errors = [p for p in problems if p.level == "error"]
    if as_json:
        _dump({"folder": str(folder), "ok": not errors, "signature": loaded.signature if loaded else None,
               "problems": [{"level": p.level, "file": p.file, "key": p.key, "message": p.message}
                            for p in problems]})
    else:
        for p in problems:
            typer.secho(str(p), fg=typer.colors.RED if p.level == "error" else typer.colors.YELLOW, err=True)
        if loaded:
            typer.echo(f"{folder}: {len(loaded.files)} data files valid (signature {loaded.signature})")
        else:
            typer.echo(f"{folder}: {len(errors)} error(s)")
    raise typer.Exit(1 if errors else 0)


def _exit_on_sigterm() -> None:
    """SIGTERM (a service manager, `kill`, a test harness) ends the command as an exit, not an abrupt
    death: `finally` blocks and exit handlers run, so the embedded graph server the command used is
    stopped when no other process uses it (kg.embedded.release_servers). A handler set by whoever
    embeds the command line is left alone."""
    import signal

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))


def main() -> None:
    """The `policykg` entry point: a fault of the machine (full disk, read-only file system, no
    permission) ends any command with one line naming the cause, never a traceback."""
    _exit_on_sigterm()
    try:
        app()
    except OSError as exc:
        typer.secho(f"error: {_message(exc)}", fg=typer.colors.RED, err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
