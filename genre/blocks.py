"""Responsibility blocks: one table of labels with roles, one way to find blocks in text.

A Chinese task list says who carries each measure out in a block after it — （责任单位：市发展改革委、
市科委）, 【牵头单位：市教委；配合单位：各区政府】 — or in a paragraph of its own (牵头单位：市教委).
Segmentation, department extraction, chunking and answer composition must agree on what such a block
is, so they all call this module; the labels and their roles are data (genre/data/blocks.yaml).

    >>> from genre.blocks import find_blocks
    >>> [(b.label, b.role, b.body) for b in find_blocks("加强统筹。（主管部门：市经济信息化委）")]
    [('主管部门', 'responsible', '市经济信息化委')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genre.files import DATA_DIR, read_yaml

if TYPE_CHECKING:
    from genre.core import Genre

if TYPE_CHECKING:
    from genre.core import Genre

ROLES = ("responsible", "lead", "co-lead", "participant")
_HEADS = ("单位", "部门")  # the heads a qualified label keeps: 牵头(考核)单位, 配合(落实)部门
_TRAILING = "。；;，, \t\u3000"  # punctuation allowed after a block that still closes its paragraph


@dataclass(frozen=True)
class Block:
    """One responsibility block found in a text; offsets are into that text.

    `start`/`end` cover the whole block (brackets included when it has them), `body_start`/`body_end`
    only the list of bodies after the label's colon, stripped of spaces.
    """

    label: str
    role: str
    start: int
    end: int
    body_start: int
    body_end: int
    body: str
    bracketed: bool


class BlockTable:
    """The compiled label table. Build it from data with `BlockTable.from_data`, or use `default()`."""

    def __init__(self, labels: dict[str, str], brackets: list[tuple[str, str]], colons: str,
                 verbs: dict[str, str] | None = None, qualifiers: list[str] | None = None,
                 deadline_labels: list[str] | None = None, running_verbs: dict[str, str] | None = None) -> None:
        self.labels = dict(labels)
        self.verbs = dict(verbs or {})
        #: running text's verbs of responsibility (由A组织实施) besides the closing verbs
        self.running_verbs = dict(running_verbs or {})
        self.qualifiers = tuple(qualifiers or ())
        self.brackets = list(brackets)
        self.colons = colons
        #: every written form of a label -> the label of the table (牵头考核单位 -> 牵头单位)
        self.forms = self._forms()
        alt = "|".join(map(re.escape, sorted(self.forms, key=len, reverse=True)))
        opens = "".join(re.escape(o) for o, _ in self.brackets)
        closes = "".join(re.escape(c) for _, c in self.brackets)
        colon = f"[{re.escape(colons)}]"
        plain = rf"[^{opens}{closes}\n]"
        # a body may hold one level of round brackets: 市委网信办（市大数据局）
        body = rf"{plain}*(?:[（(][^（）()\n]*[）)]{plain}*)*"
        # a short clause may open the bracket before the label: （6月底完成，牵头单位：…） (完成时限 first)
        lead = rf"(?:[^{opens}{closes}\n：:。]{{1,24}}?[，,；;][ \t\u3000]*)?"
        #: a bracketed block anywhere: （责任单位：…）
        self.pattern = re.compile(
            rf"[{opens}][ \t\u3000]*{lead}(?P<label>{alt})[ \t\u3000]*{colon}(?P<body>{body}?)[{closes}]")
        #: a paragraph (line) that starts with a label: 牵头单位：市教委。
        self.line_pattern = re.compile(
            rf"^[ \t\u3000]*(?P<label>{alt})[ \t\u3000]*{colon}(?P<body>[^\n]*?)[{re.escape(_TRAILING)}]*$",
            re.MULTILINE)
        #: a task's deadline line beside its block lines: 完成时限：2024年6月
        deadlines = "|".join(map(re.escape, deadline_labels or ())) or "(?!)"
        self.deadline_line = re.compile(rf"^[ \t\u3000]*(?:{deadlines})[ \t\u3000]*{colon}")
        #: a label with its colon anywhere, e.g. inside a block: 牵头单位：A；配合单位：B
        self.label_pattern = re.compile(rf"(?P<label>{alt})[ \t\u3000]*{colon}")
        #: a bracket without a label closed by a role verb: （A牵头，B配合） / （A、B按职责分工负责）
        verbs = "|".join(map(re.escape, sorted(self.verbs, key=len, reverse=True))) or "(?!)"
        self.role_pattern = re.compile(rf"[{opens}](?P<body>[^{opens}{closes}\n。]{{2,200}}?(?:{verbs}))[{closes}]")

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> BlockTable:
        return cls(labels={str(k): str(v) for k, v in data["labels"].items()},
                   brackets=[(str(o), str(c)) for o, c in data["brackets"]], colons=str(data["colons"]),
                   verbs={str(k): str(v) for k, v in (data.get("verbs") or {}).items()},
                   qualifiers=[str(q) for q in data.get("qualifiers") or []],
                   deadline_labels=[str(d) for d in data.get("deadline_labels") or []],
                   running_verbs={str(k): str(v) for k, v in (data.get("running_verbs") or {}).items()})

    @classmethod
    def load(cls, folder: Path | None = None) -> BlockTable:
        return cls.from_data(read_yaml((folder or DATA_DIR) / "blocks.yaml"))

    def _forms(self) -> dict[str, str]:
        """The table's labels and their qualified forms: a qualifier between the role word and the head
        (牵头 + 考核 + 单位) leaves the role unchanged."""
        forms = {label: label for label in self.labels}
        for label in self.labels:
            head = next((h for h in _HEADS if label.endswith(h) and len(label) > len(h)), None)
            if head is None:
                continue
            stem = label[: -len(head)]
            for q in self.qualifiers:
                if not stem.endswith(q):
                    forms.setdefault(f"{stem}{q}{head}", label)
        return forms

    def role(self, label: str | None, default: str = "responsible") -> str:
        """The role a label gives (责任单位 → responsible, 牵头单位 → lead, 配合单位 → participant), also
        written with a qualifier (牵头考核单位 → lead)."""
        return self.labels.get(self.forms.get(label or "", label or ""), default)

    def find_blocks(self, text: str, start: int = 0, end: int | None = None) -> list[Block]:
        """Every block in text[start:end], bracketed or as a line of its own, in document order."""
        end = len(text) if end is None else end
        found: list[Block] = []
        for m in self.pattern.finditer(text, start, end):
            found.append(self._block(m, bracketed=True))
        taken = [(b.start, b.end) for b in found]
        for m in self.line_pattern.finditer(text, start, end):
            if not any(a <= m.start("label") < b for a, b in taken):
                found.append(self._block(m, bracketed=False))
        return sorted(found, key=lambda b: b.start)

    def last_block(self, text: str, start: int = 0, end: int | None = None) -> Block | None:
        """The last block in text[start:end] (a measure's own block is written at its end)."""
        found = self.find_blocks(text, start, end)
        return found[-1] if found else None

    def closing_block(self, text: str, start: int = 0, end: int | None = None) -> Block | None:
        """The block that closes text[start:end]: only punctuation and spaces may follow it."""
        end = len(text) if end is None else end
        b = self.last_block(text, start, end)
        if b is None or text[b.end:end].strip(_TRAILING + "".join(c for _, c in self.brackets)):
            return None
        return b

    def is_block(self, paragraph: str) -> bool:
        """The paragraph is nothing but a block: （责任单位：…） or 责任单位：…"""
        p = paragraph.strip(_TRAILING)
        b = self.last_block(p)
        return b is not None and b.start == 0 and b.end == len(p)

    def ends_with_block(self, paragraph: str) -> bool:
        """The paragraph ends with a block (its measure's responsibility is stated)."""
        return self.closing_block(paragraph) is not None

    def segment_roles(self, body: str, default_role: str = "responsible") -> list[tuple[str, int, int]]:
        """Split a block's text at the labels inside it (牵头单位：A；配合单位：B) into (role, start, end)."""
        parts: list[tuple[str, int, int]] = []
        role, pos = default_role, 0
        for m in self.label_pattern.finditer(body):
            if body[pos:m.start()].strip(" ；;，,。()（）【】［］[]"):
                parts.append((role, pos, m.start()))
            role, pos = self.role(m.group("label")), m.end()
        parts.append((role, pos, len(body)))
        return parts

    def _block(self, m: re.Match[str], bracketed: bool) -> Block:
        raw = m.group("body")
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        bs = m.start("body") + lead
        return Block(label=m.group("label"), role=self.role(m.group("label")), start=m.start(),
                     end=m.end() if bracketed else bs + len(body),
                     body_start=bs, body_end=bs + len(body), body=body, bracketed=bracketed)


def default(genre: Genre | None = None) -> BlockTable:
    """The table of `genre` (None: the packaged one, for library callers that pass no genre)."""
    from genre.core import resolve

    return resolve(genre).blocks


def find_blocks(text: str, start: int = 0, end: int | None = None) -> list[Block]:
    """Every responsibility block in text[start:end] by the packaged table (see BlockTable.find_blocks)."""
    return default().find_blocks(text, start, end)


def role_of(label: str | None, default_role: str = "responsible") -> str:
    """The role a label gives by the packaged table."""
    return default().role(label, default_role)


def __getattr__(name: str) -> Any:
    """BLOCK_PATTERN / LINE_PATTERN / LABEL_PATTERN of the packaged table, compiled on first use."""
    attrs = {"BLOCK_PATTERN": "pattern", "LINE_PATTERN": "line_pattern", "LABEL_PATTERN": "label_pattern"}
    if name in attrs:
        return getattr(default(), attrs[name])
    raise AttributeError(name)
