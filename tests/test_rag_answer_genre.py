"""An answerer answers with the genre it was built with, handed down explicitly to routing."""

from __future__ import annotations

import genre


def test_an_answerer_answers_with_its_own_genre(answer_indexes, answer_settings, monkeypatch):
    import rag.answer as answer_module
    from rag.answer import Answerer

    own = genre.load()  # a genre object of its own (same data), distinct from the packaged one
    seen: list = []
    route = answer_module.route

    def spy(*args, **kwargs):
        seen.append(kwargs.get("genre"))
        return route(*args, **kwargs)

    monkeypatch.setattr(answer_module, "route", spy)
    answerer = Answerer(None, answer_indexes, answer_settings, genre=own)
    answerer.ask("开源供应链安全这块上海谁牵头？")
    answerer.retrieve("上海对开源项目有什么补贴？")
    assert seen and all(g is own for g in seen)
