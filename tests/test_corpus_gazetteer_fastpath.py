"""The gazetteer's fast path (corpus.jurisdiction.parse_location / gazetteer_lookup) answers exactly as
jionlp's parser does: texts without any place name are answered without running the parser's full
table scan, and repeated texts are remembered."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from corpus import jurisdiction as J
from genre import packaged as packaged_genre

TEXTS = [
    "市发展改革委", "区科技局", "中共武汉市委网信办", "武汉市发展和改革委员会", "杭州市西湖区人民政府",
    "安康高新区管委会", "阿坝州人民政府", "南宁海关", "国务院办公厅", "襄樊市人民政府", "柳河县委",
    "上海市经济信息化委", "关于促进广州人工智能发展的若干措施", "北京", "各区人民政府", "",
    "省市场监管局", "深圳人工智能终端行动计划", "重庆市两江新区管委会", "鼓楼区教育局",
]


@pytest.fixture(scope="module")
def jio():
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp

    return jionlp


@pytest.mark.parametrize("text", TEXTS)
def test_parse_location_is_jionlps_answer(jio, text):
    assert dict(J.parse_location(text)) == jio.parse_location(text)


@pytest.mark.parametrize("text", TEXTS)
def test_gazetteer_lookup_agrees_with_the_parser_on_the_start(jio, text):
    head = re.sub(r"^(?:中共|中国共产党)", "", text)[:24]
    r = jio.parse_location(head) if head else {}
    expected = bool(r.get("province")) and J.written_at_start(head, r["province"], r.get("city"), r.get("county"))
    assert (J.gazetteer_lookup(text, genre=packaged_genre()) is not None) == expected


def test_a_text_without_place_names_never_runs_the_parser(monkeypatch):
    calls = []
    monkeypatch.setattr(J, "_parse_location", lambda t: calls.append(t) or {})
    assert J.parse_location("负责落实各项扶持资金")["province"] is None
    assert J.gazetteer_lookup("市经济信息化委", genre=packaged_genre()) is None
    assert calls == []
    J.parse_location("武汉市财政局")
    assert calls == ["武汉市财政局"]


def test_the_parser_prepared_from_the_kept_table_has_jionlps_own_rows(jio):
    from jionlp.gadget.location_parser import LocationParser

    own = LocationParser()
    with contextlib.redirect_stdout(io.StringIO()):
        own._prepare()  # jionlp reading its division file itself
    ours = jio.parse_location
    J._parser_table()
    # rows are [code, province, city, county, current]; parsing appends match state to the rows it used
    assert [r[:5] for r in ours.administrative_map_list] == [r[:5] for r in own.administrative_map_list]
    assert ours.old2new_loc_map == own.old2new_loc_map


def test_the_division_table_is_parsed_once_and_read_back_until_its_file_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(J.tempfile, "gettempdir", lambda: str(tmp_path))
    source = tmp_path / "china_location.txt"
    source.write_text("江苏省\t320000\t苏\n", encoding="utf-8")
    builds = []

    def build():
        builds.append(1)
        return {"江苏省": {"_full_name": "江苏省", "_alias": "苏", "南京市": {"_alias": ["南京"]}}}

    first = J._kept_table(source, "1.0", build)
    again = J._kept_table(source, "1.0", build)
    assert again == first and len(builds) == 1
    assert J._kept_table(source, "1.1", build) == first and len(builds) == 2  # another jionlp version
    source.write_text("江苏省\t320000\t苏\n浙江省\t330000\t浙\n", encoding="utf-8")
    J._kept_table(source, "1.0", build)
    assert len(builds) == 3  # the file changed: parsed again
    for kept in tmp_path.glob("policykg-gazetteer-*.json"):
        assert kept.stat().st_mode & 0o077 == 0  # owner-only, like the data directory
        kept.write_text("{broken", encoding="utf-8")
    assert J._kept_table(source, "1.0", build) == first and len(builds) == 4  # a damaged copy is rebuilt
