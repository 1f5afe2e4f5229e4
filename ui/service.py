"""The app's side of the façade: one PolicyKG per process, writes serialised, results JSON-ready.

Both the browser views and the HTTP API endpoints call these methods, so what a program gets from
the API is exactly what a person sees in the app.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from rag.followup import Scope as FacadeScope
from rag.followup import scope_policies
from rag.model import Answer, IngestReport
from rag.pipeline import PolicyKG
from ui.guard import WriteGuard
from ui.uploads import UploadError, discard_upload, store_upload

if TYPE_CHECKING:
    from genre import Genre

log = logging.getLogger(__name__)
EXAMPLES_FILE = Path(__file__).with_name("examples.yaml")
# The façade's vocabulary keys, and the names other spellings of them may take.
VOCAB_KEYS: dict[str, tuple[str, ...]] = {
    "cities": ("cities", "city"),
    "beneficiaries": ("beneficiaries", "beneficiary"),
    "topics": ("topics", "topic"),
    "kinds": ("kinds", "support_kinds", "kind"),
    "departments": ("departments", "department"),
}
SINGULAR = {
    "cities": "city",
    "beneficiaries": "beneficiary",
    "topics": "topic",
    "kinds": "kind",
    "departments": "department",
}
FEEDBACK_FILE = "feedback.jsonl"
# Applicant words that mean "any applicant" (市场主体, 创新主体 …): a measure offered to 主体 is offered to
# 企业 too, so a filter on one applicant keeps them.
GENERIC_APPLICANT = re.compile(r"^(?:各类|本市|相关|市场|创新|经营)?主体$")
# Validity status as published on government portals.
IN_FORCE, EXPIRED, NOT_YET = "现行有效", "已失效", "尚未施行"


@dataclass
class Scope:
    """What a question may draw on: some jurisdictions, some documents, only policies in force."""

    jurisdictions: list[str] = field(default_factory=list)
    policy_ids: list[str] = field(default_factory=list)
    in_force_only: bool = False

    @property
    def empty(self) -> bool:
        return not (self.jurisdictions or self.policy_ids or self.in_force_only)

    def as_dict(self) -> dict:
        return {
            "jurisdictions": list(self.jurisdictions),
            "policies": list(self.policy_ids),
            "in_force": self.in_force_only,
        }


@dataclass
class Turn:
    """One finished question and answer of a conversation, as the next question needs it."""

    question: str
    answer: str = ""
    citations: list[dict] = field(default_factory=list)  # policy_id, measure_id, title, doc_no, measure

    def as_history(self) -> dict:
        """The turn as the façade's `history` takes it."""
        return {"question": self.question, "citations": self.citations}


def validity(policy: dict, today: dt.date | None = None) -> str:
    """现行有效 / 已失效 / 尚未施行: the status the metadata carries, else read from the dates (施行 after
    today: not yet; 有效期至 before today: expired)."""
    for key in ("validity", "status", "validity_status"):
        value = policy.get(key)
        if value in (IN_FORCE, EXPIRED, NOT_YET):
            return str(value)
    today = today or dt.date.today()

    def day(key: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(policy.get(key) or "")[:10])
        except ValueError:
            return None

    effective, expiry = day("effective"), day("expiry")
    if effective and effective > today:
        return NOT_YET
    if expiry and expiry < today:
        return EXPIRED
    period = re.fullmatch(r"\s*\d{4}\s*[-—–至到~]\s*(\d{4})\s*", str(policy.get("period") or ""))
    if not expiry and period and int(period.group(1)) < today.year - 1:
        return EXPIRED  # a plan for years long past; the portal lists these as 已失效 once replaced
    return IN_FORCE


def jurisdiction(policy: dict) -> str:
    """The policy's jurisdiction name (the metadata's when present, else its city)."""
    value = policy.get("jurisdiction") or policy.get("city") or ""
    if isinstance(value, dict):
        value = value.get("name") or ""
    return str(value)


class AppService:
    """Wraps one PolicyKG shared by every session; ingest and removal run one at a time."""

    def __init__(self, kg: PolicyKG) -> None:
        self.kg = kg
        self.settings = kg.settings
        self.write_lock = threading.Lock()
        # who may upload and remove: nobody until the server sets a login or a write token
        self.guard = WriteGuard(token=None, login_required=False)

    # -- reading -------------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[Turn] = (), scope: Scope | None = None) -> Answer:
        """Answer a question in its conversation (a follow-up leans on the previous turn) and scope.

        The façade's scope names one document and one jurisdiction; a choice of several is asked
        with the in-force limit alone and the answer cut to the chosen policies."""
        scope = scope or Scope()
        several = len(scope.policy_ids) > 1 or len(scope.jurisdictions) > 1
        limits = None
        if not scope.empty:
            limits = {"in_force": scope.in_force_only}
            if not several:
                limits["document"] = scope.policy_ids[0] if scope.policy_ids else None
                limits["jurisdiction"] = scope.jurisdictions[0] if scope.jurisdictions else None
        answer = self.kg.ask(question, history=[t.as_history() for t in history] or None, scope=limits)
        if several:
            answer = _restrict(answer, self._in_scope(scope))
        return answer

    def _in_scope(self, scope: Scope) -> set[str]:
        """The ids of the policies a scope of several documents or jurisdictions allows (a place as the
        façade reads it: the policy's own or one it lies under)."""
        policies = self.policies()
        allowed = {p["id"] for p in policies if not scope.policy_ids or p["id"] in scope.policy_ids}
        if scope.jurisdictions:
            allowed &= set().union(
                *(scope_policies(FacadeScope(jurisdiction=j), policies) for j in scope.jurisdictions)
            )
        if scope.in_force_only:
            allowed &= scope_policies(FacadeScope(in_force=True), policies)
        return allowed

    def policy_meta(self, policy_id: str) -> dict:
        """One policy's metadata with its validity status and jurisdiction."""
        meta = next((p for p in self.policies() if p.get("id") == policy_id), None)
        if meta is None:
            raise KeyError("没有找到这份政策文件，它可能已被删除。")
        return {**meta, "validity": validity(meta), "jurisdiction": jurisdiction(meta)}

    def neighbours(self, node_id: str, limit: int = 24) -> dict:
        """The graph neighbours of one node (for expanding the evidence picture), as nodes and edges."""
        nodes, edges = [], []
        for r in self.kg.neighbours(node_id, limit):
            if r.get("id") is None:
                continue
            props = r.get("props") or {}
            nodes.append({"id": r["id"], "label": r.get("label"), "name": props.get("name") or r["id"], **props})
            src, dst = (node_id, r["id"]) if r.get("out") else (r["id"], node_id)
            edges.append({"source": src, "target": dst, "type": r.get("type") or ""})
        return {"nodes": nodes, "edges": edges}

    def node_properties(self, node_ids: Sequence[str]) -> dict[str, dict]:
        """Stored properties of the given nodes (amounts on support, values on targets …), by id; none
        when the graph cannot be read (the picture is drawn without them)."""
        try:
            return self.kg.node_properties(node_ids)
        except Exception as exc:
            log.warning("node properties unavailable: %s", exc)
            return {}

    def vocabulary(self) -> dict[str, list[str]]:
        """Filter choices under stable keys (cities, beneficiaries, topics, kinds, departments): the
        façade's vocabulary, completed from the policies and support items themselves so that every
        value a table can show is also a choice."""
        raw = _safe(self.kg.vocabulary, {}) or {}
        found: dict[str, set[str]] = {
            key: {str(v) for name in names if isinstance(raw.get(name), list) for v in raw[name] if v}
            for key, names in VOCAB_KEYS.items()
        }
        # every beneficiary, topic and kind a support row can show is a graph node the vocabulary
        # lists already: no need to pull every support item (minutes at ten thousand documents)
        found["cities"] |= {str(p["city"]) for p in self.policies() if p.get("city")}
        return {key: sorted(values) for key, values in found.items()}

    def policies(self) -> list[dict]:
        return _safe(self.kg.policies, [])

    def outline(self, policy_id: str) -> dict:
        return self.kg.outline(policy_id)

    def match_support(
        self,
        city: str | None = None,
        beneficiary: str | None = None,
        topic: str | None = None,
        kind: str | None = None,
    ) -> list[dict]:
        """Support items matching every filter; an applicant filter also keeps items offered to any
        applicant (主体, 市场主体 …), which are often a policy's main subsidies."""
        rows = self.kg.match_support(city=city or None, topic=topic or None, kind=kind or None)
        if beneficiary:
            rows = [r for r in rows if _applies_to(r, beneficiary)]
        seen: set = set()
        out = []
        for r in rows:
            key = r.get("support_id") or (r.get("measure_id"), r.get("kind"), r.get("what"))
            if key not in seen:
                seen.add(key)
                out.append(r)
        return out

    def compare_targets(self, cities: Sequence[str] | None = None, topic: str | None = None) -> list[dict]:
        return self.kg.compare_targets(cities=list(cities) if cities else None, topic=topic or None)

    def department_duties(self, name: str, city: str | None = None) -> list[dict]:
        return self.kg.department_duties(name.strip(), city=city or None)

    def graph_stats(self) -> dict[str, dict[str, int]]:
        return _safe(self.kg.graph_stats, {"nodes": {}, "relationships": {}})

    def documents(self) -> list[dict]:
        """Every ingested document for file management: title, source file, upload time, status,
        section and measure counts, validity."""
        records = _safe(self.kg.records, {})
        out = []
        for p in self.policies():
            rec = records.get(p["id"])
            path = Path(str(p.get("path") or (rec.path if rec else "") or ""))
            try:
                added = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
                status = "已入库（随附语料，只读）" if self._shipped(path) else "已入库"
            except OSError:
                added, status = "", "已入库（源文件已不在）"
            out.append(
                {
                    "id": p["id"],
                    "title": p.get("title") or path.stem,
                    "doc_no": p.get("doc_no"),
                    "city": p.get("city"),
                    "file": path.name,
                    "added": added,
                    "status": status,
                    "sections": rec.sections if rec else None,
                    "measures": p.get("measures") if p.get("measures") is not None else (rec.measures if rec else None),
                    "validity": validity(p),
                }
            )
        return out

    # -- feedback ------------------------------------------------------------------------------
    def save_feedback(self, entry: dict) -> Path:
        """Append one 👍/👎 (with its question, answer, citations and optional comment) to
        <data_dir>/feedback.jsonl, which `policykg eval --feedback` reads."""
        path = self.settings.data_dir / FEEDBACK_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"time": dt.datetime.now().isoformat(timespec="seconds"), **entry}
        with self.write_lock, open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        return path

    # -- writing -------------------------------------------------------------------------------
    def upload(
        self,
        files: Sequence[str | Path],
        progress: Callable[[str, int, int], None] | None = None,
        refused: Sequence[dict] = (),
    ) -> tuple[IngestReport, list[dict]]:
        """Store accepted files under <data_dir>/uploads and ingest them; refused files (and those the
        caller already refused) are reported as skipped with the reason, like unreadable ones."""
        uploads = self.settings.data_dir / "uploads"
        stored: list[Path] = []
        new: list[Path] = []  # copies this upload created (an identical earlier upload is not ours to delete)
        refused = list(refused)
        for f in files:
            src = Path(f)
            try:
                existed = _stored_path(src, uploads)
                path = store_upload(src, src.name, uploads, self.settings.max_upload_mb)
            except UploadError as exc:
                refused.append({"path": src.name, "reason": str(exc)})
                continue
            stored.append(path)
            if path != existed:
                new.append(path)
        report = IngestReport(skipped=list(refused))
        if stored:
            try:
                with self.write_lock:
                    report = ingest_in_child(self.settings, stored, progress, genre=self.kg.genre)
                self.kg.close()  # the next question loads the new generation
            except BaseException:
                for path in new:  # a failed ingest keeps none of the copies it was given
                    discard_upload(path, uploads)
                raise
            report.skipped = refused + report.skipped
            skipped = {str(Path(s.get("path", "")).resolve()) for s in report.skipped}
            for path in new:  # a file that was not ingested is not kept
                if str(path.resolve()) in skipped:
                    discard_upload(path, uploads)
        outlines = [self._outline_or_none(p["id"]) for p in report.policies if p.get("id")]
        return report, [o for o in outlines if o]

    def reparse(self, policy_id: str) -> IngestReport:
        """Read a document's source file again (after a rule or reader update): remove it, ingest it."""
        meta = self.policy_meta(policy_id)
        path = Path(str(meta.get("path") or ""))
        if not path.is_file():
            raise ValueError("这份文件的源文件已不在，无法重新解析；请重新上传。")
        with self.write_lock:
            self.kg.remove_policy(policy_id)
            report = ingest_in_child(self.settings, [path], None, genre=self.kg.genre)
        self.kg.close()  # the next question loads the new generation
        return report

    def remove(self, policy_id: str) -> IngestReport:
        self._refuse_shipped(policy_id)
        with self.write_lock:
            outline = self._outline_or_none(policy_id)
            report = self.kg.remove_policy(policy_id)
        path = Path(str((outline or {}).get("path") or ""))
        if path.name:
            discard_upload(path, self.settings.data_dir / "uploads")
        return report

    def replace(self, policy_id: str, replaces: str | Sequence[str]) -> IngestReport:
        """Put an uploaded document in the place of other policies: those its 文号 or title claims that
        the user chose (the upload report's conflict `candidates`; the first lends it its id).

        Never implicit: an upload claiming another policy's 文号 or title is kept apart and flagged;
        this is the explicit action a user confirms (`policykg ingest FILE --replace ID …` on the command
        line). Only an uploaded document may take a place, and the shipped corpus stays read-only
        unless configured. The replaced policies' own uploaded files go with them."""
        targets = list(dict.fromkeys([replaces] if isinstance(replaces, str) else replaces))
        if not targets:
            raise ValueError("choose at least one policy to replace")
        records = self.kg.records()
        new = records.get(policy_id)
        missing = [pid for pid in [policy_id, *targets] if pid not in records]
        if new is None or missing:
            raise KeyError(f"no ingested policy has id {missing[0]!r}")
        if policy_id in targets:
            raise ValueError("a policy cannot replace itself")
        uploads = self.settings.data_dir / "uploads"
        source = Path(new.path)
        if not source.resolve().is_relative_to(uploads.resolve()):
            raise PermissionError(f"{policy_id} was not uploaded through the app; replace it with "
                                  "`policykg ingest FILE --replace ID`")
        for pid in targets:
            self._refuse_shipped(pid)
        with self.write_lock:
            report = ingest_in_child(self.settings, [source], None, replace=targets, genre=self.kg.genre)
        self.kg.close()  # the next question loads the new generation
        for pid in targets:
            old = Path(records[pid].path)
            if old.resolve() != source.resolve():
                discard_upload(old, uploads)  # does nothing for a file outside the uploads
        return report

    def _shipped(self, path: Path) -> bool:
        """A document of the shipped corpus, which the app does not remove (unless configured to)."""
        if getattr(self.settings, "app_corpus_writable", True):
            return False
        corpus = Path(str(getattr(self.settings, "corpus_dir", "") or "")).resolve()
        return bool(corpus.name) and path.resolve().is_relative_to(corpus)

    def _refuse_shipped(self, policy_id: str) -> None:
        """The shipped corpus (POLICYKG_CORPUS_DIR) is read-only from the app unless configured:
        an app user may remove what was uploaded, not the official documents it was set up with."""
        if self.settings.app_corpus_writable:
            return
        record = self.kg.records().get(policy_id)
        corpus = Path(self.settings.corpus_dir).resolve()
        if record and Path(record.path).resolve().is_relative_to(corpus):
            raise PermissionError(
                f"{policy_id} belongs to the shipped corpus ({corpus}), which the app does not change; "
                "remove it with `policykg remove`, or set POLICYKG_APP_CORPUS_WRITABLE=true"
            )

    def _outline_or_none(self, policy_id: str) -> dict | None:
        try:
            return self.outline(policy_id)
        except Exception as exc:
            log.warning("no outline for %s: %s", policy_id, exc)
            return None

    # -- examples ------------------------------------------------------------------------------
    def examples(self) -> dict[str, list[str]]:
        """Example questions per kind of user, filled in from what the corpus actually covers."""
        spec = yaml.safe_load(EXAMPLES_FILE.read_text(encoding="utf-8"))
        values = self._example_values()
        out: dict[str, list[str]] = {}
        for group in spec["groups"]:
            filled = [_fill(t, values) for t in group["templates"]]
            qs = list(dict.fromkeys(q for q in filled if q))[: spec.get("per_group", 3)]
            out[group["label"]] = qs or group.get("fallback", [])
        return out

    def _example_values(self) -> dict[str, str]:
        """The most frequent value of each kind in the support items (the vocabulary's first otherwise)."""
        vocab = self.vocabulary()
        values = {SINGULAR[key]: v[0] for key, v in vocab.items() if v}
        for key, top in (_safe(self.kg.frequent_values, {}) or {}).items():
            if top:
                values[key] = str(top)
        if len(vocab["cities"]) >= 2:
            values["cities"] = "、".join(vocab["cities"][:3])
        return values


def ingest_in_child(settings, paths: Sequence[Path], progress: Callable[[str, int, int], None] | None,
                    replace: str | Sequence[str] | None = None, genre: Genre | None = None) -> IngestReport:
    """Run `policykg ingest` on `paths` in a child process and return its report.

    A long ingest (a big PDF, OCR, thousands of measures) then runs on its own core and memory: the
    app's process keeps answering questions at full speed, and whatever the ingest allocated is
    returned to the system when it ends. Progress comes back as JSON lines on the child's stderr;
    the child's settings are the app's, passed as POLICYKG_* variables.

    `genre` (the app façade's) is what the child parses and extracts with: its data files are written
    to a temporary folder the child loads, so that the genre folder changing while the app runs (or
    a façade given a genre of its own) does not make the child extract with other data than the app's
    — which would re-extract every ingested policy and count them all as this ingest's documents.
    """
    import os
    import sys
    import tempfile

    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    for key, value in settings.model_dump().items():
        if value is not None:
            env[f"POLICYKG_{key.upper()}"] = json.dumps(value) if isinstance(value, dict | list) else str(value)
    cmd = [sys.executable, "-m", "ui.cli", "ingest", "--json", "--progress-json", *map(str, paths)]
    for pid in [replace] if isinstance(replace, str) else list(replace or []):
        cmd += ["--replace", pid]
    if replace:
        cmd.append("--yes")
    if genre is None:
        return _run_ingest_child(cmd, env, progress)
    with tempfile.TemporaryDirectory(prefix="policykg-genre-") as folder:
        env["POLICYKG_GENRE_DIR"] = str(genre.save(folder))
        return _run_ingest_child(cmd, env, progress)


def _run_ingest_child(cmd: list[str], env: dict[str, str],
                      progress: Callable[[str, int, int], None] | None) -> IngestReport:
    import subprocess

    proc = subprocess.Popen(cmd, env=env, cwd=Path(__file__).resolve().parents[1], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)
    reader.start()
    errors: list[str] = []
    for line in proc.stderr:
        try:
            event = json.loads(line)
        except ValueError:
            errors.append(line.rstrip())
            continue
        if progress and isinstance(event, dict) and "stage" in event:
            progress(str(event["stage"]), int(event.get("done", 0)), int(event.get("total", 0)))
    code = proc.wait()
    reader.join()
    stdout = "".join(out).strip()
    if code not in (0, 1, 3) or not stdout:
        message = next((e.removeprefix("error: ") for e in reversed(errors) if e.startswith("error:")), None)
        raise RuntimeError(message or f"ingest failed (exit {code}): {' '.join(errors[-3:])[:500]}")
    return IngestReport(**json.loads(stdout.splitlines()[-1]))


def _stored_path(src: Path, uploads: Path) -> Path | None:
    """Where an identical earlier upload of `src` already is, if anywhere (content-addressed)."""
    import hashlib

    try:
        digest = hashlib.sha256(src.read_bytes()).hexdigest()[:16]
    except OSError:
        return None
    folder = uploads / digest
    return next(iter(folder.glob("*")), None) if folder.is_dir() else None


def _applies_to(row: dict, applicant: str) -> bool:
    names = [str(b) for b in (row.get("applicants") or row.get("beneficiaries") or []) if b]
    return applicant in names or any(GENERIC_APPLICANT.match(n) for n in names)


def _restrict(answer: Answer, allowed: set[str]) -> Answer:
    """The answer cut to the allowed policies: citations outside them dropped, the answer's lines that
    rest only on dropped citations dropped, the rest renumbered; no citation left is an abstention."""
    keep = [i for i, c in enumerate(answer.citations, 1) if c.policy_id in allowed]
    if len(keep) == len(answer.citations):
        return answer
    out = copy.copy(answer)
    out.facts = [f for f in answer.facts if f.get("policy_id") in allowed]
    out.subgraph = {"nodes": [], "edges": []} if not keep else answer.subgraph
    if not keep:
        out.answer = "在所选范围内没有找到可以回答这个问题的条款。可以放宽提问范围后再问。"
        out.citations, out.abstained = [], True
        return out
    number = {old: new for new, old in enumerate(keep, 1)}
    lines = []
    for line in answer.answer.split("\n"):
        refs = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        if refs and not any(r in number for r in refs):
            continue
        line = re.sub(r"\[(\d+)\]", lambda m: f"[{number[int(m.group(1))]}]" if int(m.group(1)) in number else "", line)
        lines.append(line)
    out.answer = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    out.citations = [answer.citations[i - 1] for i in keep]
    return out


def _fill(template: str, values: dict[str, str]) -> str | None:
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return None


def _safe(fn: Callable, default):
    try:
        return fn()
    except Exception as exc:
        log.warning("%s failed: %s", getattr(fn, "__name__", fn), exc)
        return default


def report_dict(report: IngestReport) -> dict:
    return asdict(report)


def close_quietly(kg: PolicyKG) -> None:
    with contextlib.suppress(Exception):
        kg.close()
