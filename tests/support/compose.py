"""Building a composition Context from hand-made views, the way the answer pipeline builds one: the
compose tests each need the same question analysis and ranked hits, so they build them here once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from genre import packaged as packaged_genre
from rag.compose import Context, View, analyse_focus
from rag.docfacts import asked_facts, document_fact_lines
from rag.intents import Intent
from rag.linking import Link, Linked
from rag.model import Hit


def ranked_hits(views: Sequence[View]) -> list[Hit]:
    """Fused hits for the views in the order given, as BM25 ranked them."""
    return [Hit(chunk_id=v.measure_id, measure_id=v.measure_id, score=1.0 / i, signal="fused", rank=i,
                ranks={"bm25": i}) for i, v in enumerate(views, 1)]


def compose_context(question: str, intent: str, views: Sequence[View], fused: list[Hit] | None = None,
                    links: Sequence[Link] = (), graph=None,
                    absent: Callable[[str], bool] | None = None, policies: Sequence[dict] = (),
                    outline: Callable[[str], list[View]] | None = None) -> Context:
    """A Context over `views` for `question` routed to `intent`; hits default to the views' order.
    `policies`: the corpus's documents ({id, title, city}); `outline`: a document's views in text order."""
    genre = packaged_genre()
    linked = Linked(text=question, links=list(links))
    focus, nouns = analyse_focus(linked, intent, genre=genre)
    return Context(question=question, linked=linked, intent=Intent(intent), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused if fused is not None else ranked_hits(views),
                   graph=graph, policies=list(policies), responsibility_labels=["责任单位"], nouns=nouns, genre=genre,
                   absent=absent, outline=outline)


def document_fact_answer(text: str, meta: dict, question: str, today: dt.date) -> tuple[str, list[str]]:
    """The document-fact lines answering `question` about a document whose head is `text`, judged at
    `today`, and the quotes they cite in order (a repeated quote keeps its first number)."""
    view = View(measure_id="", policy_id="p", text=text, start=0, title="文件头", policy=meta.get("title", ""))
    quotes: list[str] = []

    def cite(span):
        if span[2] not in quotes:
            quotes.append(span[2])
        return quotes.index(span[2]) + 1

    genre = packaged_genre()
    lines = document_fact_lines(view, meta, asked_facts(question, genre=genre), cite, today, genre=genre)
    return "\n".join(lines), quotes
