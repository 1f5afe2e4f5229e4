"""Document frequency of every genre data entry over the development corpus: evidence for vocabulary.

    python -m eval.vocabulary [--min-docs 2] [--file support] [--all] [--json]

A vocabulary entry should describe the genre — occur in several real policy documents — not one
document. This reads the development part of eval/devcorpus (never its eval part: that part is only
measured on) and the seed documents in corpus/docs (text, GBK text, HTML and PDF, read by the corpus loader), takes
every string in the genre data files (list items and the keys of vocabulary mappings; regular
expressions are searched as such) and counts the documents each occurs in. By default it prints the
entries found in fewer than `--min-docs` documents: candidates for removal unless they are standard
administrative language or question vocabulary (words users type, which documents need not contain).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from genre import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
DEVCORPUS = ROOT / "eval" / "devcorpus"
SEEDS = ROOT / "corpus" / "docs"
# mappings whose keys are vocabulary (the values are roles, canonical forms or settings)
VOCABULARY_KEYS = {("blocks", "labels"), ("front_matter", "keys"), ("targets", "units"),
                   ("targets", "comparators_before"), ("targets", "comparators_after")}
# values that are settings, not vocabulary
SETTINGS = {"code", "slug", "kind", "type", "measure_kind", "name_pattern", "w", "intent", "when", "over",
            "require", "unless_kind", "has", "default", "min", "min_cities"}
# files whose mapping keys are names (cities, districts, beneficiaries, topics)
NAMED_KEYS = {"linking", "departments", "regions", "cities"}
_REGEX_CHARS = re.compile(r"[\\()\[\]|?*+^${}]")


@dataclass(frozen=True)
class Entry:
    file: str
    key: str
    text: str

    @property
    def is_regex(self) -> bool:
        return bool(_REGEX_CHARS.search(self.text))


def dev_documents() -> dict[str, str]:
    """name -> text of the dev part of the development corpus and of the seed documents."""
    split = yaml.safe_load((DEVCORPUS / "split.yaml").read_text(encoding="utf-8"))
    paths = [DEVCORPUS / "docs" / name for name in split["dev"]]
    paths += sorted(p for p in SEEDS.iterdir() if p.suffix in (".txt", ".md"))
    return {p.name: read_text(p) for p in paths}


def read_text(path: Path) -> str:
    """Text of one document as the corpus loader reads it (encodings, HTML, PDF layout)."""
    from corpus import load_text
    from genre import packaged

    return load_text(path, genre=packaged()).text


def entries(folder: Path = DATA_DIR) -> Iterator[Entry]:
    """Every vocabulary string of every data file, with its key path."""
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        yield from _walk(path.stem, data, [])


def _walk(file: str, node, key: list[str]) -> Iterator[Entry]:
    if isinstance(node, dict):
        here = ".".join(key)
        for k, v in node.items():
            path = f"{here}.{k}" if here else str(k)
            if (file, path) in VOCABULARY_KEYS:  # a mapping whose keys are the vocabulary
                yield from (Entry(file, path, str(word)) for word in v)
                continue
            if str(k) in SETTINGS:
                continue
            if file in NAMED_KEYS and isinstance(v, list | dict):  # 上海: {...}, 企业: [aliases]
                yield Entry(file, here, str(k))
            yield from _walk(file, v, [*key, str(k)])
    elif isinstance(node, list):
        for item in node:
            yield from _walk(file, item, key)
    elif isinstance(node, str) and re.search(r"[\u4e00-\u9fffA-Za-z]", node):
        yield Entry(file, ".".join(key), node)


def document_frequency(entry: Entry, docs: dict[str, str]) -> list[str]:
    """Names of the documents the entry occurs in (as a regular expression when it looks like one)."""
    if entry.is_regex:
        try:
            pattern = re.compile(entry.text)
        except re.error:
            return []
        return [name for name, text in docs.items() if pattern.search(text)]
    return [name for name, text in docs.items() if entry.text in text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-docs", type=int, default=2, help="print entries found in fewer documents")
    parser.add_argument("--file", help="only this data file (without .yaml)")
    parser.add_argument("--all", action="store_true", help="print every entry with its count")
    parser.add_argument("--json", action="store_true", help="one JSON object per entry")
    args = parser.parse_args(argv)
    docs = dev_documents()
    seen: set[tuple[str, str, str]] = set()
    for e in entries():
        if (args.file and e.file != args.file) or (e.file, e.key, e.text) in seen:
            continue
        seen.add((e.file, e.key, e.text))
        found = document_frequency(e, docs)
        if not args.all and len(found) >= args.min_docs:
            continue
        if args.json:
            print(json.dumps({"file": e.file, "key": e.key, "entry": e.text, "docs": len(found),
                              "in": found}, ensure_ascii=False))
        else:
            where = ", ".join(n.split("_")[0] if n[:3].isdigit() else n.split("-")[0] for n in found[:4])
            print(f"{len(found):3d}  {e.file}:{e.key}  {e.text}  [{where}]")
    print(f"({len(docs)} documents: dev part of eval/devcorpus and corpus/docs)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
