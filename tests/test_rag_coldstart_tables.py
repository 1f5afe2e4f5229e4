"""What the first question of a fresh process needs is loaded, not rebuilt: the gazetteer travels with
the saved linker (no jionlp at question time), the part-of-speech table comes from a cache with the
same contents as jieba's own, and a genre change that does not touch what BM25 depends on (its
dictionary words and stop words) keeps the saved BM25 index."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import rag.indexes as indexes
from genre import load as load_genre
from genre import packaged as packaged_genre
from genre.files import DATA_DIR
from rag.indexes import IndexSet
from rag.linking import Linker, build_lexicon
from rag.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_saved_linker_links_places_without_loading_the_gazetteer_again(tmp_path):
    policies = [{"id": "p1", "title": "上海市开源行动方案", "city": "上海"},
                {"id": "p2", "title": "广东省算力行动方案", "city": "广东"}]
    linker = Linker(build_lexicon(policies=policies, genre=packaged_genre()), genre=packaged_genre())
    path = tmp_path / "linker.pickle"
    path.write_bytes(pickle.dumps(linker))
    got = _run(f"""
import json, pickle, sys
import genre
from rag.linking import scope_of
linker = pickle.loads(open({str(path)!r}, "rb").read())
linker.genre = genre.packaged()  # the reader gives the genre (load_linker does)
linked = linker.link("天河区对开源项目有什么补贴？")
cities = sorted(lk.value for lk in linked.links if lk.kind == "city")
print(json.dumps({{"cities": cities, "scope": scope_of(["广州"], {{"上海", "广东"}}, genre=linker.genre),
                  "jionlp": "jionlp" in sys.modules}}))
""")
    assert got["cities"] == ["广州"]  # a district stands for its city
    assert got["scope"] == ["广州", "广东"]  # the province of a city, from the carried table
    assert got["jionlp"] is False


def test_cached_part_of_speech_table_tags_as_jieba_does():
    code = """
import json
from rag.tokenize import pos_tagger
tagger = pos_tagger()
import jieba, jieba.posseg
own = jieba.posseg.POSTokenizer(jieba.dt)
text = "上海市经济信息化委对开源项目给予最高五百万元的资助，由哪些部门负责？"
print(json.dumps({"same_table": tagger.word_tag_tab == own.word_tag_tab,
                  "same_tags": [tuple(p) for p in tagger.lcut(text)] == [tuple(p) for p in own.lcut(text)],
                  "tags": len(tagger.word_tag_tab)}))
"""
    for _ in range(2):  # the first run may write the cache, the second reads it
        got = _run(code)
        assert got["same_table"] and got["same_tags"] and got["tags"] > 300_000


def _genre_copy(tmp_path: Path, name: str, edit: str | None = None) -> Path:
    folder = tmp_path / name
    shutil.copytree(DATA_DIR, folder)
    if edit:
        path = folder / f"{edit}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    return folder


@pytest.fixture
def saved_index(retrieval_chunks, retrieval_policies, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", embedding_model="none", embedding_fallback="")
    index = IndexSet.build(retrieval_chunks, settings, [p.sha256 for p in retrieval_policies], dense=False)
    index.save(settings.index_dir)
    return settings


def _loads_without_rebuilding_bm25(settings: Settings, monkeypatch, genre) -> bool:
    rebuilt = []
    real = indexes.BM25Index.build

    def build(*args, **kwargs):
        rebuilt.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(indexes.BM25Index, "build", build)
    IndexSet.load(settings.index_dir, settings, persist_repairs=False, genre=genre)
    return not rebuilt


def test_a_genre_change_outside_the_tokenizer_keeps_the_saved_bm25(saved_index, tmp_path, monkeypatch):
    genre = load_genre(_genre_copy(tmp_path, "answers-edited", "answer"))
    assert genre.signature != load_genre(DATA_DIR).signature
    assert _loads_without_rebuilding_bm25(saved_index, monkeypatch, genre)


def test_a_changed_thesaurus_rebuilds_bm25(saved_index, tmp_path, monkeypatch):
    folder = _genre_copy(tmp_path, "thesaurus-edited")
    path = folder / "thesaurus.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("stopwords:\n  [", "stopwords:\n  [开源, ", 1), encoding="utf-8")
    assert not _loads_without_rebuilding_bm25(saved_index, monkeypatch, load_genre(folder))


class _EmptyGraph:
    """A graph store that answers every named query with no rows (the lexicon then comes from the genre)."""

    def run(self, name: str, **params) -> list[dict]:
        return []


def test_a_linker_rebuilt_from_the_graph_is_kept_for_the_next_process(saved_index):
    from rag import artefacts
    from rag.answer import Answerer

    folder = saved_index.index_dir
    assert artefacts.load_linker(folder, genre=packaged_genre()) is None  # none saved, or one of another vocabulary: rebuilt
    index = IndexSet.load(folder, saved_index, persist_repairs=False)
    linker = Answerer(_EmptyGraph(), index, saved_index)._get_linker()
    kept = artefacts.load_linker(folder, genre=packaged_genre())
    assert isinstance(kept, Linker) and kept.lexicon.corpus_cities == linker.lexicon.corpus_cities
    assert IndexSet.load(folder, saved_index, persist_repairs=False).saved_linker() is not None
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_title_matcher_saved_without_its_title_ids_builds_them_as_it_loads():
    from rag.linking import TitleMatcher

    items = [{"title": "加强组织领导"}, {"title": "防范开源供应链风险"}, {"title": "加强组织领导"}]
    matcher = TitleMatcher(items)
    old = pickle.loads(pickle.dumps(matcher))
    del matcher.__dict__["_title_ids"]  # as a linker saved before the matcher carried them
    loaded = pickle.loads(pickle.dumps(matcher))
    assert loaded.__dict__.get("_title_ids") is not None
    assert loaded.title_ids()[1] == old.title_ids()[1] == ["加强组织领导", "防范开源供应链风险"]
    assert loaded.title_ids()[0].tolist() == [0, 1, 0]
