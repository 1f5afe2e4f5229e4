"""Are departments qualified by the right jurisdiction? Measured on the development corpus.

    python -m eval.qualification            # per document and per part: relative names qualified right

A document writes its bodies relative to itself (市发展改革委, 区科技局, 省商务厅); the graph must hold
them under the issuing jurisdiction's full name (武汉市发展和改革委员会). This check is independent of
the parser's own jurisdiction: the expected place comes from the hand-written labels of
eval/gold/devcorpus_meta.yaml. A relative mention counts as qualified when its canonical name starts
with the labelled place its prefix points to (市 -> the city, 省/自治区 -> the province, 区/县 -> the
district, county or zone; 市委/区委 -> 中共<place>委) and no relative prefix is left; a mention that names
a function rather than a body (区住房保障部门) or all counties of a kind (县（市）人民政府) names no one body
and is not counted, nor is a district or county body named in a city's own document (区人力资源社会
保障局: the bureau of every district). A document counts
when every relative mention of its 责任单位 blocks and issuers is qualified; a jurisdiction counts when
every one of its documents does.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from genre import Genre, packaged

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "devcorpus"
META_GOLD = ROOT / "eval" / "gold" / "devcorpus_meta.yaml"
RELATIVE = re.compile(r"^(?:中共)?(?P<p>市委|区委|县委|省委|自治区|省|市|区|县|州)(?![场域级区县直])")
LEVEL = {"省": "province", "自治区": "province", "省委": "province", "市": "city", "市委": "city", "州": "city",
         "区": "county", "区委": "county", "县": "county", "县委": "county"}


def expected_place(prefix: str, j: dict) -> list[str]:
    """The names a relative prefix may stand for in a document of jurisdiction `j` (labels)."""
    level = LEVEL[prefix]
    if level == "province":
        return [j.get("province") or ""]
    if level == "city":
        return [j.get("city") or ""]
    return [n for n in (j.get("zone"), j.get("county"), j.get("district")) if n]


def qualified(mention: str, canonical: str, j: dict) -> bool | None:
    """True/False for a relative mention; None for a mention that is not relative (nothing to check)."""
    m = RELATIVE.match(mention)
    if m and (mention.endswith("部门") or re.search(r"[（(]市[）)]", mention)):
        return None  # a function (区住房保障部门) or every county of a kind (县（市）政府): no one body
    places = [p for p in expected_place(m.group("p"), j) if p] if m else []
    if m and not places and LEVEL[m.group("p")] == "county" and j.get("city"):
        return None  # 区人力资源社会保障局 in a city's document: every district's bureau, no one body
    if not m or canonical == mention:
        return False if m else None
    bare = canonical.removeprefix("中共")
    return bool(places) and any(bare.startswith(p) or p in bare[: len(p) + 8] for p in places) \
        and not RELATIVE.match(bare)


def report(parts: tuple[str, ...] = ("dev", "eval"), *, genre: Genre) -> dict:
    from corpus import parse_file
    from kg.extract import extract

    gold = yaml.safe_load(META_GOLD.read_text(encoding="utf-8"))["documents"]
    split = yaml.safe_load((CORPUS / "split.yaml").read_text(encoding="utf-8"))
    docs: list[dict] = []
    for part in parts:
        for name in split[part]:
            j = (gold.get(name) or {}).get("jurisdiction") or {}
            if j.get("level") in (None, "national"):
                continue  # national bodies are never relative
            try:
                facts = extract(parse_file(CORPUS / "docs" / name, genre=genre), genre=genre)
            except Exception as exc:  # an unreadable document is reported, not fatal
                docs.append({"file": name, "part": part, "error": str(exc)[:120]})
                continue
            refs = [r for rs in facts.departments.values() for r in rs] + list(facts.issuers)
            checks = [(r.mention, r.canonical, qualified(r.mention, r.canonical, j)) for r in refs]
            checks = [c for c in checks if c[2] is not None]
            place = "/".join(n for n in (j.get("province"), j.get("city"), j.get("county"), j.get("zone")) if n)
            docs.append({"file": name, "part": part, "place": place, "relative": len(checks),
                         "qualified": sum(1 for c in checks if c[2]),
                         "wrong": sorted({f"{c[0]} -> {c[1]}" for c in checks if not c[2]})})
    places: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        if d.get("relative"):
            places[d["place"]].append(d)
    good = sorted(p for p, ds in places.items() if all(d["qualified"] == d["relative"] for d in ds))
    return {"documents": docs, "jurisdictions_checked": sorted(places), "jurisdictions_all_qualified": good}


def main(genre: Genre) -> int:
    out = report(genre=genre)
    for d in out["documents"]:
        if "error" in d:
            print(f"{d['part']:5} {d['file']}: unreadable ({d['error']})")
        elif d["relative"]:
            print(f"{d['part']:5} {d['place']:28} {d['qualified']:3}/{d['relative']:<3} {d['file']}")
            for w in d["wrong"]:
                print(f"        wrong: {w}")
    for part in ("dev", "eval"):
        ds = [d for d in out["documents"] if d.get("part") == part and d.get("relative")]
        n, ok = sum(d["relative"] for d in ds), sum(d["qualified"] for d in ds)
        print(f"{part}: {ok}/{n} relative department mentions qualified right in {len(ds)} documents")
    print(f"jurisdictions with every relative department qualified right: "
          f"{len(out['jurisdictions_all_qualified'])} of {len(out['jurisdictions_checked'])}: "
          + "、".join(out["jurisdictions_all_qualified"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(genre=packaged()))
