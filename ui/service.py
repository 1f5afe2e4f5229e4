"""The app's side of the façade: one PolicyKG per process, writes serialised, results JSON-ready.

Both the browser views and the HTTP API endpoints call these methods, so what a program gets from
the API is exactly what a person sees in the app.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

import yaml

from rag.model import Answer, IngestReport
from rag.pipeline import PolicyKG
from ui.guard import WriteGuard
from ui.uploads import UploadError, discard_upload, store_upload

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


class AppService:
    """Wraps one PolicyKG shared by every session; ingest and removal run one at a time."""

    def __init__(self, kg: PolicyKG) -> None:
        self.kg = kg
        self.settings = kg.settings
        self.write_lock = threading.Lock()
        # who may upload and remove: nobody until the server sets a login or a write token
        self.guard = WriteGuard(token=None, login_required=False)

    # -- reading -------------------------------------------------------------------------------
    def ask(self, question: str) -> Answer:
        return self.kg.ask(question)

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
        return self.kg.match_support(
            city=city or None, beneficiary=beneficiary or None, topic=topic or None, kind=kind or None
        )

    def compare_targets(self, cities: Sequence[str] | None = None, topic: str | None = None) -> list[dict]:
        return self.kg.compare_targets(cities=list(cities) if cities else None, topic=topic or None)

    def department_duties(self, name: str, city: str | None = None) -> list[dict]:
        return self.kg.department_duties(name.strip(), city=city or None)

    def graph_stats(self) -> dict[str, dict[str, int]]:
        return _safe(self.kg.graph_stats, {"nodes": {}, "relationships": {}})

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
                    report = ingest_in_child(self.settings, stored, progress)
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

    def remove(self, policy_id: str) -> IngestReport:
        self._refuse_shipped(policy_id)
        with self.write_lock:
            outline = self._outline_or_none(policy_id)
            report = self.kg.remove_policy(policy_id)
        path = Path(str((outline or {}).get("path") or ""))
        if path.name:
            discard_upload(path, self.settings.data_dir / "uploads")
        return report

    def _refuse_shipped(self, policy_id: str) -> None:
        """The shipped corpus (POLICYKG_CORPUS_DIR) is read-only from the app unless configured:
        an app user may remove what was uploaded, not the official documents it was set up with."""
        from rag.state import read_state

        if self.settings.app_corpus_writable:
            return
        record = read_state(self.settings.data_dir).policies.get(policy_id)
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
                    replace: str | None = None) -> IngestReport:
    """Run `policykg ingest` on `paths` in a child process and return its report.

    A long ingest (a big PDF, OCR, thousands of measures) then runs on its own core and memory: the
    app's process keeps answering questions at full speed, and whatever the ingest allocated is
    returned to the system when it ends. Progress comes back as JSON lines on the child's stderr;
    the child's settings are the app's, passed as POLICYKG_* variables.
    """
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    for key, value in settings.model_dump().items():
        if value is not None:
            env[f"POLICYKG_{key.upper()}"] = json.dumps(value) if isinstance(value, dict | list) else str(value)
    cmd = [sys.executable, "-m", "ui.cli", "ingest", "--json", "--progress-json", *map(str, paths)]
    if replace:
        cmd += ["--replace", replace, "--yes"]
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
