"""Fuzzing, bounded in examples and time: the loader and segmenter on random bytes and on random
policy-like text full of numbering markers, and the question path on random unicode. No crash, no hang,
and what comes back keeps its invariants (offsets index the cleaned text; answers are well formed).

RELIABILITY_FUZZ_EXAMPLES raises the number of examples (CI runs the default)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.model import LoadError

EXAMPLES = int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=False, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# the building blocks of the genre: numbering markers of every style, labels, punctuation, damage
MARKERS = ["一、", "二、", "十二、", "（一）", "（十）", "(三)", "1.", "2．", "10、", "（1）", "①", "第一章", "第三条",
           "1.1", "2.3.4", "附件1：", "**加强组织领导。**", "（责任单位：", "市经济信息化委、市委网信办）",
           "牵头单位：", "到2027年，", "给予最高500万元补贴", "有效期至2028年12月31日", "\n", "\n\n", "。", "，",
           "：", "；", "\u3000", " ", "\t", "\r\n", "---\n", "title: 测试\n", "沪府办〔2025〕33号"]
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
WORDS = st.text(alphabet=HAN, min_size=1, max_size=12)
POLICYISH = st.lists(st.one_of(st.sampled_from(MARKERS), WORDS, st.text(max_size=6)), max_size=80).map("".join)


def check_policy(policy) -> None:
    text = policy.text
    for section in policy.all_sections():
        assert 0 <= section.start <= section.end <= len(text), section.id
    ids = [m.id for m in policy.measures()]
    assert len(ids) == len(set(ids)), "measure ids must be unique"
    for m in policy.measures():
        assert 0 <= m.start <= m.end <= len(text), m.id
        assert text[m.start : m.end] == m.text, m.id


@pytest.mark.timeout(300)
@FUZZ
@given(POLICYISH)
def test_segmenter_survives_policy_like_text(text):
    from corpus import parse_text

    try:
        policy = parse_text(text, name="fuzz.txt")
    except LoadError:  # e.g. malformed front matter: a clear refusal is fine
        return
    check_policy(policy)


@pytest.mark.timeout(300)
@FUZZ
@given(st.text(max_size=400))
def test_segmenter_survives_any_unicode(text):
    from corpus import parse_text

    try:
        policy = parse_text(text, name="fuzz.txt")
    except LoadError:
        return
    check_policy(policy)


@pytest.mark.timeout(300)
@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".md", ".pdf"]))
def test_loader_refuses_or_reads_random_bytes(data, suffix):
    from corpus import parse_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            policy = parse_file(path)
        except LoadError as exc:
            assert "fuzz" in str(exc)  # the message names the file
            return
        check_policy(policy)


@pytest.mark.timeout(300)
@FUZZ
@given(st.lists(st.sampled_from(["utf-8", "gb18030", "utf-16", "big5"]), min_size=1, max_size=3), POLICYISH)
def test_loader_reads_or_refuses_encoded_policy_text(encodings, text):
    from corpus import parse_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.txt"
        pieces = []
        for i, enc in enumerate(encodings):
            try:
                pieces.append(text[i::len(encodings)].encode(enc))
            except UnicodeEncodeError:
                pieces.append(text[i::len(encodings)].encode("utf-8"))
        path.write_bytes(b"\n".join(pieces))
        try:
            policy = parse_file(path)
        except LoadError as exc:
            assert "fuzz.txt" in str(exc)
            return
        check_policy(policy)


QUESTIONS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from([*MARKERS, "由哪些部门负责？", "补贴", "上海", "南京", "重庆", "'})", "`",
                                        "DETACH DELETE n", "\u0000", "$x", "{", "}"]), WORDS),
             max_size=20).map("".join),
)


@pytest.mark.timeout(600)
@FUZZ
@given(QUESTIONS)
def test_ask_returns_a_well_formed_answer_for_any_text(rel_kg, question):
    from rag.model import Answer

    kg, _ = rel_kg
    answer = kg.ask(question)
    assert isinstance(answer, Answer)
    assert isinstance(answer.answer, str) and answer.answer.strip()
    assert isinstance(answer.abstained, bool) and isinstance(answer.graph_available, bool)
    assert all(isinstance(d, str) and d for d in answer.departments)
    for c in answer.citations:
        assert c.quote and c.title and 0 <= c.start <= c.end
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert cited <= set(range(1, len(answer.citations) + 1)), "a marker points at no citation"
    if answer.abstained:
        assert not answer.departments
