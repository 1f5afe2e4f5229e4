"""Outline spot-check of the development corpus: for every document, its sections and measures in
figures, its first headings, and flags for an outline that looks broken.

    python -m eval.outlinecheck [--part dev|eval|all] [--docs 037,021] [--headings 4] [--cache DIR]

Flags (each a symptom a reader of the outline would see, not a comparison with labels):
- `toc`: table-of-contents lines among the measures (eval.devextraction.toc_entries);
- `giant`: one measure holds most of a long text (headings not recognised, measures run together);
- `flat`: a long text with no numbered heading at all;
- `gap`: numbered siblings skip a number (一、 二、 四、): a heading lost, usually to extraction or OCR;
- `swallowed`: a measure whose own text has a later paragraph opening with its own marker style (its
  sibling was not split off);
- `long-title`: a measure title of more than 60 characters (a heading run into its paragraph);
- `inverted`: a heading of a higher style (一、) below top-level sections of a lower one of its chain
  (（一）; genre/data/grammar.yaml `hierarchy`): the higher headings were not recognised (a scan's
  damaged numbering); articles numbered 第1条 under 一、 sections are a nesting of the genre, not a flag;
- `restart`: numbered siblings of one style counting from 1 again ((一)(二)(一)(二) side by side): the
  heading above the second run was lost (a scan's damaged numbering; the parser keeps a higher style
  from nesting under a lower one, so a lost 一、 shows here rather than as `inverted`);
- `glossary`: unnumbered measures that are definitions (X是指…): a glossary read as measures.
Scans are read through OCR; `--cache` keeps Tesseract's output (eval.ocrbench.cached_ocr).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from eval.devextraction import CORPUS_DIR, LINKABLE, load_split, toc_entries
from genre import Genre, packaged

GIANT_SHARE = 0.4  # one measure holding this much of a long text is a run-together outline
LONG_TEXT = 3000  # characters: below this a document may well be one or two paragraphs
_DEFINITION = re.compile(r"^[^，。；]{2,30}(?:，|,)?(?:是指|指的是|系指)")


@dataclass
class DocOutline:
    """One document's outline in figures, with its broken-outline flags."""

    name: str
    part: str
    chars: int
    sections: int
    top: int
    measures: int
    largest: float
    heads: list[str]
    flags: list[str] = field(default_factory=list)


def check(policy, name: str, part: str, n_heads: int = 4, *, genre: Genre) -> DocOutline:
    """Figures and flags of one parsed policy."""
    from corpus.grammar import grammar
    from corpus.outline import numbered

    g = grammar(genre)
    measures = [m for m in policy.measures() if m.kind in LINKABLE]
    chars = len(policy.text)
    largest = max((m.end - m.start for m in measures), default=0) / max(1, chars)
    items = sorted([(s.start, numbered(s.number, s.title)) for s in policy.all_sections() if s.number or s.title]
                   + [(m.start, numbered(m.number, m.title)) for m in measures], key=lambda t: t[0])
    heads: list[str] = []
    for _, h in items:  # a heading with text of its own is a section and its measure: shown once
        if h and (not heads or heads[-1] != h[:24]) and len(heads) < n_heads:
            heads.append(h[:24])
    out = DocOutline(name, part, chars, len(policy.all_sections()), len(policy.sections), len(measures), largest,
                     heads)
    toc = toc_entries(policy)
    if toc:
        out.flags.append(f"toc×{len(toc)}")
    if chars >= LONG_TEXT and largest >= GIANT_SHARE:
        out.flags.append(f"giant({largest:.0%})")
    numbered_heads = [m for m in measures if m.number] + [s for s in policy.all_sections() if s.number]
    if chars >= LONG_TEXT and not numbered_heads:
        out.flags.append("flat")
    gaps = _gaps(policy, g)
    if gaps:
        out.flags.append(f"gap×{len(gaps)}: " + "; ".join(gaps[:3]))
    swallowed = [m for m in measures if m.number and _swallows(m, g)]
    if swallowed:
        out.flags.append(f"swallowed×{len(swallowed)}: " + "; ".join(numbered(m.number, m.title)[:16]
                                                                      for m in swallowed[:3]))
    long_titles = [m for m in measures if len(m.title) > 60]
    if long_titles:
        out.flags.append(f"long-title×{len(long_titles)}")
    inverted = _inverted(policy, g)
    if inverted:
        out.flags.append(f"inverted: {inverted}")
    restarts = _restarts(policy, g)
    if restarts:
        out.flags.append(f"restart×{len(restarts)}: " + "; ".join(restarts[:3]))
    definitions = [m for m in measures if not m.number.startswith("第")  # an article may define a term
                   and _DEFINITION.match(m.text.split("\n")[0][len(m.number):])]
    if len(definitions) >= 3:
        out.flags.append(f"glossary×{len(definitions)}")
    return out


def _gaps(policy, g) -> list[str]:
    """Sibling headings (one parent, one numbering style) whose numbers skip: 一、 二、 四、."""
    out = []
    for parent in [None, *policy.all_sections()]:
        children = [(x.start, x.number) for x in policy.sections] if parent is None else \
            [(x.start, x.number) for x in parent.sections] + [(m.start, m.number) for m in parent.measures]
        runs: dict[str, list[int]] = {}
        for _, number in sorted(children):
            marker = g.match_marker(number) if number else None
            if marker is not None and marker.value is not None:
                runs.setdefault(marker.style.name, []).append(marker.value)
        for style, values in runs.items():
            for a, b in itertools.pairwise(values):
                if b > a + 1 and b - a <= 5:
                    out.append(f"{style} {a}→{b}")
    return out


def _siblings(policy) -> list[list[tuple[int, str]]]:
    """(start, number) of the numbered children of each parent (the document's top level first)."""
    out = [[(x.start, x.number) for x in policy.sections]]
    for parent in policy.all_sections():
        out.append([(x.start, x.number) for x in parent.sections] + [(m.start, m.number) for m in parent.measures])
    return out


def _restarts(policy, g) -> list[str]:
    """Siblings of one style numbered from 1 again ((一)(二)(一)(二) side by side): the heading above the
    second run was lost, and its items were read into the parent of the first."""
    out = []
    for children in _siblings(policy):
        values: dict[str, list[int]] = {}
        for _, number in sorted(children):
            marker = g.match_marker(number) if number else None
            if marker is not None and marker.value is not None:
                values.setdefault(marker.style.name, []).append(marker.value)
        for style, seq in values.items():
            out += [f"{style} {a}→{b}" for a, b in itertools.pairwise(seq) if b == 1 and a >= 2]
    return out


def _inverted(policy, g) -> str:
    """A heading of a higher style of the genre (一、) found below top-level sections of a lower one of its
    chain ((一)): the higher headings were not recognised, and their sections run together. Styles of
    different chains nest either way (第1条 articles under 一、 sections), so they are never compared; nor
    are the body and an attachment or a carried document, each numbered in a context of its own."""

    def style(number: str) -> str | None:
        marker = g.match_marker(number) if number else None
        return marker.style.name if marker is not None and marker.value is not None else None

    found: dict[tuple[str, str], int] = {}
    for tops in _contexts(policy):
        for top in tops:
            own = style(top.number)
            for x in _below(top) if own else []:
                if style(x.number) and g.above(style(x.number), own):
                    found[(style(x.number), own)] = found.get((style(x.number), own), 0) + 1
    return "; ".join(f"{higher} under {lower} ×{n}" for (higher, lower), n in found.items())


_OWN_CONTEXT = ("appendix", "document")  # parts numbered in a context of their own


def _contexts(policy) -> list[list]:
    """The top-level sections of each numbering context: the body's, then each attachment's and carried
    document's own."""
    out = [[x for x in policy.sections if x.kind not in _OWN_CONTEXT]]
    out += [list(x.sections) for x in policy.all_sections() if x.kind in _OWN_CONTEXT]
    return out


def _below(section) -> list:
    """The measures and sections under a section, within its numbering context."""
    out = list(section.measures)
    for child in section.sections:
        if child.kind not in _OWN_CONTEXT:
            out += [child, *_below(child)]
    return out


def _swallows(m, g) -> bool:
    """A later paragraph of the measure opens with the measure's own numbering style: a sibling run in."""
    own = g.match_marker(m.number)
    if own is None:
        return False
    for para in m.text.split("\n")[1:]:
        marker = g.match_marker(para.strip())
        if marker is not None and marker.style.name == own.style.name and marker.value not in (None, own.value):
            return True
    return False


def main(argv: list[str] | None = None, *, genre: Genre) -> int:
    from corpus import parse_file
    from eval.ocrbench import cached_ocr

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=("dev", "eval", "all"), default="all")
    ap.add_argument("--docs", help="comma-separated document numbers (e.g. 037,021)")
    ap.add_argument("--headings", type=int, default=4, help="first headings shown per document")
    ap.add_argument("--cache", type=Path, help="folder of cached Tesseract output for scans")
    args = ap.parse_args(argv)
    split = load_split()
    codes = {c.strip() for c in args.docs.split(",")} if args.docs else None
    names = [n for n in sorted(split) if (args.part == "all" or split[n] == args.part)
             and (codes is None or n.split("_")[0] in codes)]
    flagged = 0
    for name in names:
        with cached_ocr(args.cache) if args.cache else contextlib.nullcontext():
            try:
                policy = parse_file(CORPUS_DIR / "docs" / name, genre=genre)
            except Exception as exc:  # report the document and carry on with the rest
                print(f"{split[name]:4} {name[:44]:44} ERROR {type(exc).__name__}: {exc}"[:200])
                flagged += 1
                continue
        d = check(policy, name, split[name], args.headings, genre=genre)
        flagged += bool(d.flags)
        print(f"{d.part:4} {d.name[:44]:44} chars {d.chars:>6}  sections {d.sections:>3} (top {d.top:>2})  "
              f"measures {d.measures:>3}  largest {d.largest:>4.0%}  {' | '.join(d.flags) or 'ok'}")
        print(f"     first: {' / '.join(d.heads)}")
    print(f"{len(names)} documents, {flagged} flagged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(genre=packaged()))
