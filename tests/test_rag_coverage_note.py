"""A refusal says what the corpus covers: every title for a small corpus, its places for a large one."""
from rag.compose import COVERAGE_TITLES, coverage_note


def _policies(n: int) -> list[dict]:
    cities = ["上海", "全国", "成都"]
    return [{"id": f"p{i}", "title": f"第{i}号试点办法（2024年）", "city": cities[i % 3]} for i in range(n)]


def test_a_small_corpus_is_listed_by_title_without_its_periods():
    note = coverage_note(_policies(3))
    assert "《第0号试点办法》" in note and "2024" not in note
    assert note.startswith("现有语料涵盖 上海、全国、成都 的政策文件——")


def test_a_large_corpus_is_summed_up_by_its_places():
    note = coverage_note(_policies(COVERAGE_TITLES + 1))
    assert "《" not in note
    assert "上海、全国、成都" in note and "政策浏览" in note


def test_an_empty_corpus_says_so():
    assert coverage_note([]) == "语料库目前为空。"
