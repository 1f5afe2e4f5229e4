"""Bounded work on hostile input: front matter cannot expand, answers and documents have limits.

Each test feeds the input an attacker would send and checks the outcome is refused or capped with a
message, not computed at whatever cost the input asks for.
"""

from __future__ import annotations

import pytest

from corpus import parse_file
from corpus.model import LoadError

ALIAS_BOMB = (
    "---\n"
    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "title: *g\n"
    "---\n"
    "一、总体要求\n（一）加强组织领导。\n"
)
BODY = "一、总体要求\n（一）加强组织领导。市经济信息化委负责。\n"


def test_front_matter_aliases_are_refused(tmp_path):
    doc = tmp_path / "bomb.md"
    doc.write_text(ALIAS_BOMB, encoding="utf-8")
    with pytest.raises(LoadError, match="alias"):
        parse_file(doc)


def test_a_plain_anchor_is_refused_too(tmp_path):
    doc = tmp_path / "anchor.md"
    doc.write_text("---\ntitle: &t 某某实施方案\n---\n" + BODY, encoding="utf-8")
    with pytest.raises(LoadError, match="alias"):
        parse_file(doc)


def test_an_oversized_front_matter_field_is_refused(tmp_path):
    doc = tmp_path / "long-title.md"
    doc.write_text("---\ntitle: " + "长" * 5000 + "\n---\n" + BODY, encoding="utf-8")
    with pytest.raises(LoadError, match="title"):
        parse_file(doc)


def test_an_oversized_front_matter_block_is_refused(tmp_path):
    doc = tmp_path / "big-block.md"
    keys = "".join(f"k{i}: {'值' * 100}\n" for i in range(400))
    doc.write_text("---\n" + keys + "---\n" + BODY, encoding="utf-8")
    with pytest.raises(LoadError, match="front matter"):
        parse_file(doc)


def test_a_sidecar_with_aliases_is_refused(tmp_path):
    doc = tmp_path / "plain.txt"
    doc.write_text(BODY, encoding="utf-8")
    (tmp_path / "plain.meta.yaml").write_text("x: &x 上海\ncity: *x\n", encoding="utf-8")
    with pytest.raises(LoadError, match="alias"):
        parse_file(doc)


def test_ordinary_front_matter_still_reads(tmp_path):
    doc = tmp_path / "ok.md"
    doc.write_text("---\ntitle: 上海市某某实施方案\ndoc_no: 沪府办〔2025〕1号\n---\n" + BODY, encoding="utf-8")
    policy = parse_file(doc)
    assert policy.meta.title == "上海市某某实施方案" and policy.meta.doc_no == "沪府办〔2025〕1号"
