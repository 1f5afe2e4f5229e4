"""Name lookup normalises a measure once: slices of that text must equal norm() of the raw slice."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from genre import packaged as packaged_genre
from kg.extract.mentions import NormalisedSpan, named_in
from kg.lexicon import norm

# CJK, full-width forms, several kinds of space, ligatures, and characters that combine with the one
# before them under NFKC (accents, half-width voiced mark, Hangul jamo).
ALPHABET = list("临港新片区浦东ＡＩＣＮＦcafe（）－—， \u3000\u00a0\tﬁ①" "\u0301\uff9eｶ\u1100\u1161가\u11a8")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=16))
def test_slices_of_the_normalised_span_equal_norm_of_the_raw_slice(text):
    span = NormalisedSpan.of(text, 0, len(text))
    if span is None:  # some character may merge with the one before it: callers fall back to norm()
        return
    assert span.key == norm(text)
    for a in range(len(text) + 1):
        for b in range(a, len(text) + 1):
            assert span.slice(a, b) == norm(text[a:b])


def test_characters_that_merge_with_their_neighbour_disable_the_shortcut():
    for text in ("cafe\u0301", "ｶ\uff9e", "\u1100\u1161", "가\u11a8"):
        assert norm(text) != "".join(norm(ch) for ch in text)  # the case the shortcut cannot handle
        assert NormalisedSpan.of(text, 0, len(text)) is None
    assert NormalisedSpan.of("（临港ＣＮＣＦ　）", 0, 9) is not None


def test_offsets_are_relative_to_the_whole_text():
    text = "前文。依托临港　新片区建设"
    span = NormalisedSpan.of(text, 3, len(text))
    assert span is not None and span.slice(5, 11) == "临港新片区" == norm(text[5:11])


def found(text: str, city: str = "上海") -> list[tuple[str, str]]:
    return [(e.name, text[a:b]) for e, a, b in named_in(text, 0, len(text), city, genre=packaged_genre())]


def test_names_written_in_full_width_or_with_spaces_are_found():
    assert found("依托临港 新片区和ＣＮＣＦ推进") == [("临港新片区", "临港 新片区"), ("云原生计算基金会", "ＣＮＣＦ")]


def test_a_combining_character_elsewhere_in_the_measure_changes_nothing():
    plain = "依托临港 新片区和ＣＮＣＦ推进，支持cafe"
    assert found(plain + "\u0301") == found(plain) != []


def test_a_measure_naming_nothing_gives_nothing():
    assert found("加强软件人才培养，完善评价体系。") == []
    assert found("支持江北新区建设。", "重庆") == []  # a name of another city's region is not one here
