"""The façade: the one entry point the CLI, the app and eval use.

    kg = PolicyKG()                 # settings from POLICYKG_* variables
    kg.ingest([Path("corpus/docs")])
    answer = kg.ask("“防范开源供应链风险”由哪些部门负责？")

Models and indexes load lazily, once per PolicyKG instance; one instance serves many questions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from rag.model import Answer, IngestReport
from rag.settings import Settings

ProgressFn = Callable[[str, int, int], None]  # (stage or file, done, total)


class PolicyKG:
    """Ingest policy files into the graph and indexes; answer questions from both."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    # -- building ---------------------------------------------------------------------------
    def ingest(self, paths: Sequence[Path] | None = None, progress: ProgressFn | None = None) -> IngestReport:
        """Build or update graph and indexes from files/folders (default: the corpus folder)."""
        raise NotImplementedError

    def remove_policy(self, policy_id: str) -> None:
        """Remove one policy's subgraph and its chunks; shared departments stay while referenced."""
        raise NotImplementedError

    # -- asking -----------------------------------------------------------------------------
    def ask(self, question: str) -> Answer:
        """Answer one question with citations; abstain when the corpus does not cover it."""
        raise NotImplementedError

    # -- browsing (graph-backed tables for the app) -------------------------------------------
    def policies(self) -> list[dict]:
        """Rows: id, title, doc_no, city, issuers, issued, effective, expiry, period, measures."""
        raise NotImplementedError

    def outline(self, policy_id: str) -> dict:
        """The policy's metadata and its measures in order, each with its departments."""
        raise NotImplementedError

    def match_support(self, city: str | None = None, beneficiary: str | None = None,
                      topic: str | None = None, kind: str | None = None) -> list[dict]:
        """Rows: city, policy, doc_no, measure, kind, what, amount, rate, condition, beneficiaries,
        deadline, departments, quote. Every filter is optional."""
        raise NotImplementedError

    def compare_targets(self, cities: Sequence[str] | None = None, topic: str | None = None) -> list[dict]:
        """Rows: city, policy, doc_no, metric, value, unit, comparator, year, quote."""
        raise NotImplementedError

    def department_duties(self, name: str, city: str | None = None) -> list[dict]:
        """Rows: department, city, policy, doc_no, measure, role, quote."""
        raise NotImplementedError

    def vocabulary(self) -> dict[str, list[str]]:
        """Choices for filters: cities, beneficiaries, topics, support kinds, departments."""
        raise NotImplementedError

    def graph_stats(self) -> dict[str, dict[str, int]]:
        """{"nodes": {label: n}, "relationships": {type: n}}."""
        raise NotImplementedError

    def graph_query(self, cypher: str, params: dict | None = None) -> list[dict]:
        """Run a read-only Cypher query; write clauses are refused with ValueError."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the graph connection (the embedded server keeps running for other processes)."""
