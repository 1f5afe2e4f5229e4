"""Metadata accuracy: what the parser reads from each document's text against labels, per corpus part.

    report = metadata_report()            # dev part, eval part, the five seeds
    print(format_metadata_report(report))

Parts: `dev` and `eval` of eval/devcorpus (split.yaml), labelled in eval/gold/devcorpus_meta.yaml;
`seeds` are corpus/docs, labelled by their sidecars. For the seeds the sidecar is NOT read while
parsing (it would hand the parser the answer): the figure is what the text alone yields.

Every labelled field counts, absent ones too: a document that prints no 文号 is right only when the
parser reports none (a guessed value is wrong, "未载明" must be true). A file that cannot be read
gets every field wrong. Fields: title, doc_no, issuers, jurisdiction (level and place), issued,
published, effective, expiry.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from genre import Genre

ROOT = Path(__file__).resolve().parent.parent
DEVCORPUS = ROOT / "eval" / "devcorpus"
GOLD_PATH = ROOT / "eval" / "gold" / "devcorpus_meta.yaml"
SEEDS_DIR = ROOT / "corpus" / "docs"
FIELDS = ("title", "doc_no", "issuers", "jurisdiction", "issued", "published", "effective", "expiry")
DATE_FIELDS = ("issued", "published", "effective", "expiry")
PARTS = ("dev", "eval", "seeds")


@dataclass
class FieldResult:
    field: str
    gold: object
    predicted: object
    ok: bool


@dataclass
class DocResult:
    name: str
    part: str
    fields: list[FieldResult] = field(default_factory=list)
    error: str | None = None


def _key(text: str | None) -> str:
    """Comparison form: NFKC, no whitespace, one set of brackets/quotes/dashes, no 《》."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(str.maketrans({"“": '"', "”": '"', "〔": "[", "〕": "]", "﹝": "[", "﹞": "]",
                                         "—": "-", "–": "-", "－": "-", "〈": "", "〉": "", "《": "", "》": ""}))
    return re.sub(r"[\s\"'《》<>]+", "", text)


def _date(value) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def _same_body(a: str, b: str) -> bool:
    """One issuing body named two ways: equal, or one the other with 国家/中共 or a place prefix."""
    ka, kb = _key(a), _key(b)
    return ka == kb or (min(len(ka), len(kb)) >= 2 and (ka.endswith(kb) or kb.endswith(ka)))


def issuers_match(gold: list[str], predicted: list[str]) -> bool:
    if len(gold) != len(predicted):
        return False
    rest = list(predicted)
    for g in gold:
        hit = next((p for p in rest if _same_body(g, p)), None)
        if hit is None:
            return False
        rest.remove(hit)
    return True


def jurisdiction_of(meta, *, genre: Genre) -> dict:
    """The predicted jurisdiction as a label-shaped dict (level, province, city, county)."""
    j = getattr(meta, "jurisdiction", None)
    if j is not None:
        return {"level": j.level, "province": j.province, "city": j.city, "county": j.county}
    if getattr(meta, "city", None):  # before jurisdictions existed: a known city only
        city = meta.city + "市"
        return {"level": "city", "province": _province_of(city, genre=genre), "city": city, "county": None}
    return {"level": None, "province": None, "city": None, "county": None}


def jurisdiction_match(gold: dict, predicted: dict) -> bool:
    return all((gold.get(k) or None) == (predicted.get(k) or None) for k in ("level", "province", "city", "county"))


def title_printed(meta) -> str | None:
    """The title the parser read from the text; None when it only derived one (file name, first line)."""
    if not meta.title or meta.extra.get("title_source") in ("derived", "file"):
        return None
    return meta.title


def score_fields(gold: dict, meta, *, genre: Genre) -> list[FieldResult]:
    out: list[FieldResult] = []
    title = title_printed(meta)
    accepted = [gold.get("title"), *(gold.get("title_alt") or [])]
    if gold.get("title") is None:
        ok = title is None
    else:
        ok = title is not None and any(_key(title) == _key(t) for t in accepted if t)
    out.append(FieldResult("title", gold.get("title"), title, ok))
    gdoc = gold.get("doc_no")
    out.append(FieldResult("doc_no", gdoc, meta.doc_no, _key(gdoc) == _key(meta.doc_no)))
    giss = list(gold.get("issuers") or [])
    out.append(FieldResult("issuers", giss, list(meta.issuers), issuers_match(giss, list(meta.issuers))))
    gj = dict(gold.get("jurisdiction") or {})
    pj = jurisdiction_of(meta, genre=genre)
    out.append(FieldResult("jurisdiction", gj, pj, jurisdiction_match(gj, pj)))
    for f in DATE_FIELDS:
        g, p = _date(gold.get(f)), _date(getattr(meta, f))
        out.append(FieldResult(f, g, p, g == p))
    return out


def _parse(path: Path, with_sidecar: bool = True, *, genre: Genre):
    """The parsed Policy of a file; the seeds are parsed without their sidecar."""
    from corpus import parse_file
    from corpus.loader import decode, read_bytes, text_to_loaded
    from corpus.segment import segment

    if with_sidecar:
        return parse_file(path, genre=genre)
    decoded, encoding = decode(read_bytes(path), path)
    return segment(text_to_loaded(decoded, str(path), encoding, genre=genre), path.name, genre=genre)


def _empty_meta():
    from corpus.model import DocumentMeta

    return DocumentMeta()


def score_document(name: str, part: str, gold: dict, path: Path, with_sidecar: bool = True, *, genre: Genre) -> DocResult:
    result = DocResult(name=name, part=part)
    try:
        meta = _parse(path, with_sidecar, genre=genre).meta
    except Exception as exc:  # an unreadable file scores every field wrong, with the reason shown
        result.error = f"{type(exc).__name__}: {exc}"
        meta = _empty_meta()
    result.fields = score_fields(gold, meta, genre=genre)
    if result.error:
        for f in result.fields:
            f.ok = False
    return result


def load_split() -> dict[str, str]:
    data = yaml.safe_load((DEVCORPUS / "split.yaml").read_text(encoding="utf-8"))
    return {name: part for part in ("dev", "eval") for name in data.get(part) or []}


def load_gold(path: Path | None = None) -> dict[str, dict]:
    data = yaml.safe_load((path or GOLD_PATH).read_text(encoding="utf-8"))
    return {name: (doc or {}) for name, doc in data["documents"].items()}


def seed_gold(genre: Genre) -> dict[str, tuple[Path, dict]]:
    """Each seed's label from its sidecar; only the fields the sidecar sets are scored."""
    from corpus.meta import SIDECAR_SUFFIX

    out: dict[str, tuple[Path, dict]] = {}
    for sidecar in sorted(SEEDS_DIR.glob("*" + SIDECAR_SUFFIX)):
        stem = sidecar.name.removesuffix(SIDECAR_SUFFIX)
        doc = next((p for p in SEEDS_DIR.glob(stem + ".*") if not p.name.endswith(SIDECAR_SUFFIX)), None)
        if doc is None:
            continue
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        gold = {k: data[k] for k in ("title", "doc_no", "issuers", *DATE_FIELDS) if k in data}
        if data.get("city"):
            city = str(data["city"]).removesuffix("市") + "市"
            gold["jurisdiction"] = {"level": "city", "province": _province_of(city, genre=genre), "city": city}
        gold["_fields"] = [f for f in FIELDS if f in gold]
        out[doc.name] = (doc, gold)
    return out


def _province_of(city: str, *, genre: Genre) -> str | None:
    from corpus.jurisdiction import gazetteer_lookup

    found = gazetteer_lookup(city, genre=genre)
    return found.province if found else None


def metadata_report(parts: tuple[str, ...] = PARTS, *, genre: Genre) -> dict:
    split = load_split()
    gold = load_gold()
    docs: list[DocResult] = []
    for name in sorted(gold):
        part = split.get(name, "dev")
        if part in parts:
            docs.append(score_document(name, part, gold[name], DEVCORPUS / "docs" / name, genre=genre))
    if "seeds" in parts:
        for name, (path, g) in seed_gold(genre=genre).items():
            r = score_document(name, "seeds", g, path, with_sidecar=False, genre=genre)
            r.fields = [f for f in r.fields if f.field in g["_fields"]]
            docs.append(r)
    return {"parts": {p: summarize([d for d in docs if d.part == p]) for p in parts}, "documents": docs}


def summarize(docs: list[DocResult]) -> dict:
    per_field: dict[str, list[int]] = {}
    for d in docs:
        for f in d.fields:
            ok_n = per_field.setdefault(f.field, [0, 0])
            ok_n[0] += int(f.ok)
            ok_n[1] += 1
    ok = sum(v[0] for v in per_field.values())
    n = sum(v[1] for v in per_field.values())
    return {
        "documents": len(docs),
        "fields": n,
        "correct": ok,
        "accuracy": ok / n if n else 0.0,
        "per_field": {k: {"correct": v[0], "n": v[1]} for k, v in per_field.items()},
        "unreadable": [d.name for d in docs if d.error],
    }


def format_metadata_report(report: dict, details: bool = False) -> str:
    lines = ["Metadata read from the text (exact fields / labelled fields)"]
    header = f"{'part':<6} {'docs':>4} {'accuracy':>9}  " + "  ".join(f"{f:>12}" for f in FIELDS)
    lines.append(header)
    for part, s in report["parts"].items():
        cells = []
        for f in FIELDS:
            v = s["per_field"].get(f)
            cells.append(f"{v['correct']:>5}/{v['n']:<6}" if v else f"{'-':>12}")
        lines.append(f"{part:<6} {s['documents']:>4} {100 * s['accuracy']:8.1f}%  " + "  ".join(f"{c:>12}" for c in cells))
        if s["unreadable"]:
            lines.append(f"       unreadable: {', '.join(s['unreadable'])}")
    if details:
        lines.append("")
        lines.append("Wrong fields:")
        for d in report["documents"]:
            for f in d.fields:
                if not f.ok:
                    lines.append(f"  [{d.part}] {d.name} {f.field}: gold={f.gold!r} got={f.predicted!r}")
            if d.error:
                lines.append(f"  [{d.part}] {d.name} error: {d.error}")
    return "\n".join(lines)


def report_json(report: dict) -> dict:
    """The report with each document's fields as plain dicts (for --json)."""
    docs = [{"name": d.name, "part": d.part, "error": d.error,
             "fields": [vars(f) for f in d.fields]} for d in report["documents"]]
    return {"parts": report["parts"], "documents": docs}
