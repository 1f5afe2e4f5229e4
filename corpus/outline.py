"""The outline of a parsed policy: the `policykg outline --json` object and a readable terminal tree."""

from __future__ import annotations

from corpus.model import Policy, Section

META_FIELDS = (
    "title",
    "doc_no",
    "issuers",
    "city",
    "issued",
    "published",
    "effective",
    "expiry",
    "period",
    "source_url",
    "index_no",
    "text_source",
)


def section_label(section: Section | None) -> str:
    """A section's number and title as one string: 二、实施开源基础能力筑基工程."""
    if section is None:
        return ""
    return numbered(section.number, section.title)


def numbered(number: str, title: str) -> str:
    """Number and title as one string; a space only after word-like numbers (第一章 总则, but 一、总则)."""
    sep = " " if number and title and "\u4e00" <= number[-1] <= "\u9fff" else ""
    return f"{number}{sep}{title}".strip()


def outline_dict(policy: Policy) -> dict:
    """Metadata fields plus `measures`: a flat list in document order (id, number, title, section, text ...)."""
    meta = policy.meta
    out: dict = {"id": policy.id}
    out.update({f: getattr(meta, f) for f in META_FIELDS})
    out["issuers"] = list(meta.issuers)
    out["sections"] = len(policy.all_sections())
    out["warnings"] = list(policy.warnings)
    out["measures"] = [
        {
            "id": m.id,
            "number": m.number,
            "title": m.title,
            "section": section_label(policy.section(m.section_id)),
            "text": m.text,
            "start": m.start,
            "end": m.end,
            "kind": m.kind,
            "responsibility": m.responsibility,
        }
        for m in policy.measures()
    ]
    return out


def render_outline(policy: Policy) -> str:
    """An indented tree for the terminal: metadata, then sections and measures with their 责任单位."""
    meta = policy.meta
    lines = [meta.title or policy.path or policy.id]
    facts = [
        ("文号", meta.doc_no),
        ("发文机关", "、".join(meta.issuers)),
        ("城市", meta.city),
        ("成文日期", meta.issued),
        ("发布日期", meta.published),
        ("施行日期", meta.effective),
        ("有效期至", meta.expiry),
        ("规划期", meta.period),
        ("来源", meta.source_url),
        ("文本", meta.text_source),  # 「OCR识别」: recognised from a scan, may contain errors
        ("id", policy.id),
    ]
    lines += [f"  {k}: {v}" for k, v in facts if v]
    for section in policy.sections:
        _render_section(section, 1, lines)
    return "\n".join(lines)


def _render_section(section: Section, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    label = section_label(section) or f"[{section.kind}]"
    kind = f"  [{section.kind}]" if section.kind != "section" and section_label(section) else ""
    lines.append(f"{pad}{label}{kind}")
    items = [(m.start, "m", m) for m in section.measures] + [(s.start, "s", s) for s in section.sections]
    for _, what, item in sorted(items, key=lambda t: t[0]):
        if what == "s":
            _render_section(item, depth + 1, lines)
            continue
        tag = f"  [{item.kind}]" if item.kind != "measure" else ""
        lines.append(f"{pad}  {numbered(item.number, item.title)}{tag}")
        if item.responsibility:
            lines.append(f"{pad}    {item.responsibility_label}：{item.responsibility}")
