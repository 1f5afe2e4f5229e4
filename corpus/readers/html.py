"""Web pages saved from government portals, and HTML fragments, read down to the policy text.

- The charset comes from a byte-order mark or the page's <meta charset>, then from detection; GBK and
  GB2312 pages are decoded as GB18030 (their superset).
- A fragment lifted from a JavaScript string (escaped quotes, \\n, \\u003c) is unescaped first.
- The portal's metadata table (索引号/主题分类/发文机关/成文日期/标题/发文字号/发布日期 …) is written as
  a YAML front-matter block at the top of the text (`标题: …`, `文号: …`, `发文机关: …`, `成文日期: …`,
  keys of genre/data/front_matter.yaml), which the loader reads into the document's metadata, and taken
  out of the page. As header lines in the body they would be glued into one paragraph by the repair
  step and read by nobody; as front matter they are the metadata, and stay citable as the file wrote them.
- The page's title heading is kept when the extractor drops it (it matches the page's <title>).
- Full pages go through trafilatura, which keeps the main content and drops menus, breadcrumbs, share
  buttons, footers and related-article lists. Fragments (a body without page chrome, such as Word's
  mso markup pasted into a CMS) and pages where trafilatura keeps too little are read block by block.
"""

from __future__ import annotations

import re

import yaml

from corpus.model import LoadError
from corpus.readers import Reading, table_lines

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_JS_ESCAPES = re.compile(r"\\(u[0-9a-fA-F]{4}|[nrt\"'/\\])")
# Labels of portal metadata tables -> the front-matter key (genre/data/front_matter.yaml) they are written as.
META_LABELS = {
    "索引号": "索引号", "主题分类": "主题分类", "主题词": "主题词", "体裁分类": "体裁分类",
    "发文机关": "发文机关", "发布机关": "发文机关", "发布机构": "发文机关", "发文单位": "发文机关", "制发机关": "发文机关",
    "成文日期": "成文日期", "发文日期": "成文日期", "标题": "标题", "名称": "标题", "文件名称": "标题",
    "发文字号": "文号", "文号": "文号", "发布日期": "发布日期", "公开日期": "发布日期", "发布时间": "发布日期",
    "实施日期": "施行日期", "施行日期": "施行日期", "生效日期": "施行日期", "废止日期": "失效日期", "失效日期": "失效日期",
    "有效性": "有效性", "时效性": "有效性", "时效": "有效性",
}
_LABEL = re.compile(r"^\s*(" + "|".join(sorted(META_LABELS, key=len, reverse=True)) + r")\s*[:：]?\s*(.*)$", re.S)
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote",
           "pre", "dd", "dt", "center", "ul", "ol", "table", "form", "header", "footer", "nav"}
_CHROME = re.compile(r"nav|menu|footer|foot|breadcrumb|crumb|share|bdshare|related|xgwz|xgxw|xgjd|sidebar|"
                     r"banner|toolbar|print|copyright|topbar|header", re.I)
# Never <form>: ASP.NET portals wrap the whole page, article included, in one.
_DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "footer", "button", "select", "svg", "object",
              "template")
_TAIL = re.compile(r"^(相关(新闻|解读|文件|链接|阅读|稿件|附件)|【?(打印本页|关闭窗口|打印|关闭)】?|扫一扫.*|分享到[:：]?.*)$")


def read_html(data: bytes, path: str) -> Reading:
    """The page's policy text, portal metadata first as header lines."""
    import lxml.html
    from lxml import etree

    markup, encoding = decode_html(data, path)
    markup = unescape_js(markup)
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise LoadError(f"{path}: not readable as HTML ({exc})") from exc
    for bad in root.xpath("//comment() | //processing-instruction()"):
        if bad.getparent() is not None:
            bad.drop_tree()
    found = portal_metadata(root)
    unwrap_layout_tables(root)
    body = main_text(root, markup)
    if not re.search(r"[\u4e00-\u9fff]", body):
        raise LoadError(f"{path}: no text found in the HTML page (only markup, scripts or navigation)")
    front = ""
    if found:
        front = "---\n" + yaml.safe_dump(found, allow_unicode=True, sort_keys=False, width=10**6) + "---\n"
    return Reading(text=front + body.strip(), encoding=f"html/{encoding}")


def decode_html(data: bytes, path: str) -> tuple[str, str]:
    """Markup and charset: BOM, then <meta charset>, then the text decoder's detection."""
    from corpus.loader import decode

    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii").lower()
            name = "gb18030" if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936") else name
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                pass  # a page lying about its charset: detect instead
    return decode(data, path)


def unescape_js(markup: str) -> str:
    """HTML stored inside a JavaScript string literal, unescaped (only when it is plainly escaped)."""
    if markup.count('\\"') + markup.count("\\u003c") + markup.count("\\n") < 3:
        return markup

    def sub(m: re.Match) -> str:
        code = m.group(1)
        if code[0] == "u":
            return chr(int(code[1:], 16))
        return {"n": "\n", "r": "", "t": "\t"}.get(code, code)

    return _JS_ESCAPES.sub(sub, markup)


def _text(el) -> str:
    return re.sub(r"[\s\u00a0\u3000]+", " ", el.text_content()).strip()


def portal_metadata(root) -> dict[str, str]:
    """{front-matter key: value} from the portal's metadata table, which is then removed from the page.

    Two layouts are read: a label cell followed by its value cell (gov.cn's table), and `label：value`
    in one short element (list items, spans). Only a block holding two or more labels counts: one
    "标题" in running text is not a metadata table.
    """
    found: dict[str, str] = {}
    holders = []
    for table in root.iter("table"):
        pairs = _cell_pairs(table)
        if len(pairs) >= 2:
            for label, value in pairs:
                found.setdefault(META_LABELS[label], value)
            holders.append(table)
    if not found:
        for block in root.iter("ul", "div", "dl"):
            items = [el for el in block if isinstance(el.tag, str)]
            pairs = [(m.group(1), m.group(2).strip()) for el in items
                     if len(_text(el)) < 120 and (m := _LABEL.match(_text(el))) and m.group(2).strip()]
            if len(pairs) >= 2 and len(pairs) >= 0.5 * len(items):
                for label, value in pairs:
                    found.setdefault(META_LABELS[label], value)
                holders.append(block)
                break
    for el in holders:
        if el.getparent() is not None:
            el.drop_tree()
    return {label: value for label, value in found.items() if value}


def _label_text(text: str) -> str:
    """A label cell with the spaces portals put between its characters (`标　　题：`) taken out."""
    m = re.match(r"^((?:[\u4e00-\u9fff]\s*){2,6}[:：]?)(.*)$", text, re.S)
    if not m:
        return text
    label = re.sub(r"\s+", "", m.group(1))
    return label + m.group(2) if label.rstrip(":：") in META_LABELS else text


def _cell_pairs(table) -> list[tuple[str, str]]:
    pairs = []
    for row in table.iter("tr"):
        cells = [_label_text(_text(c)) for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
        i = 0
        while i < len(cells):
            m = _LABEL.match(cells[i])
            if m and len(cells[i]) < 80:
                value = m.group(2).strip()
                if not value and i + 1 < len(cells) and not _LABEL.match(cells[i + 1] or "x"):
                    value = cells[i + 1]
                    i += 1
                if value:
                    pairs.append((m.group(1), value))
            i += 1
    return pairs


def unwrap_layout_tables(root) -> None:
    """Tables used for page layout (older portals put the whole article in one cell) replaced by their
    cells' content, so the extractor sees paragraphs, not one table cell flattened to a line. A layout
    table holds paragraphs (<p>, <div>, a nested table) inside a cell; a data table holds short cells."""
    from lxml import etree

    for table in reversed(list(root.iter("table"))):  # innermost first
        parent = table.getparent()
        if parent is None:
            continue
        cells = [c for c in table.iter("td", "th") if next(c.iterancestors("table"), None) is table]
        if not any(next(c.iter("p", "div", "table", "ul"), None) is not None and _cjk(_text(c)) >= 100 for c in cells):
            continue
        box = etree.Element("div")
        for cell in cells:
            holder = etree.SubElement(box, "div")
            holder.text = cell.text
            for child in list(cell):
                holder.append(child)
        box.tail = table.tail
        parent.replace(table, box)


def main_text(root, markup: str) -> str:
    """trafilatura's main content for a full page; block-by-block text for fragments or when it fails."""
    import lxml.html

    is_page = root.find(".//body") is not None and re.search(r"<body|<html", markup[:5000], re.I) is not None
    blocks = block_text(root)
    if not is_page:
        return blocks
    import trafilatura

    html = lxml.html.tostring(root, encoding="unicode")
    extracted = trafilatura.extract(html, include_tables=True, include_comments=False, include_links=False,
                                    include_images=False, favor_recall=True, deduplicate=False,
                                    output_format="txt") or ""
    extracted = _drop_tail(extracted.splitlines())
    if _cjk(extracted) < 0.3 * _cjk(blocks):
        return blocks
    title = page_title(root)
    if title and title not in extracted[: len(title) + 200]:
        extracted = f"{title}\n{extracted}"
    return extracted


def page_title(root) -> str | None:
    """The document's title heading: an <h1>-<h3> that the page's <title> contains, or that contains the
    first part of it (portal titles are `文件标题_栏目_网站名`); a site logo in an <h1> does not match."""
    head = root.find(".//title")
    page = _text(head) if head is not None else ""
    first = re.split(r"\s*[_|｜–—]\s*|\s+-\s+", page)[0].strip()
    if _cjk(first) < 6:
        return None
    for tag in ("h1", "h2", "h3"):
        for el in root.iter(tag):
            text = _text(el)
            if _cjk(text) >= 6 and (text in page or first in text):
                return text
    return None


def _cjk(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def _drop_tail(lines: list[str]) -> str:
    """Cut at a related-articles heading or print/close buttons: what follows is the portal's, not the policy's."""
    out = []
    for line in lines:
        s = line.strip()
        if _TAIL.match(s) and len(out) > 3:
            break
        if s.startswith("|") and re.fullmatch(r"\|[\s|:-]*", s):
            continue
        out.append(line.rstrip())
    return "\n".join(out).strip()


def block_text(root) -> str:
    """Text of the page's blocks, one per line, without chrome: the fallback extractor.

    A bold run at the start of a paragraph followed by more text becomes `**…**`, the grammar's
    run-in heading; tables become pipe rows.
    """
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    total = _cjk(_text(root))
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        ident = f"{el.get('class') or ''} {el.get('id') or ''}"
        if el.tag not in ("body", "html") and _CHROME.search(ident) and _cjk(_text(el)) < min(400, 0.5 * total):
            el.drop_tree()  # chrome is short beside the page: a wrapper named `printContent` holding the article is not
    lines: list[str] = []
    _walk(root.find("body") if root.find("body") is not None else root, lines)
    return _drop_tail([x for x in lines if x.strip()])


def _walk(el, lines: list[str]) -> None:
    """Depth-first: tables as rows; a block with no block children is one line; <br> breaks a line."""
    if el.tag == "table":
        rows = [[_text(c) for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")] for tr in el.iter("tr")]
        if sum(1 for r in rows if len(r) >= 2) >= 2:
            lines += ["", *table_lines(rows), ""]
            return
    if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
        if el.text and el.text.strip():
            lines.append(el.text.strip())
        for child in el:
            if isinstance(child.tag, str) and child.tag in _BLOCKS:
                _walk(child, lines)
            elif isinstance(child.tag, str):
                lines.append(_inline(child))
            if child.tail and child.tail.strip():
                lines.append(child.tail.strip())
        return
    lines.extend(x for x in _inline(el).split("\n"))


def _inline(el) -> str:
    """One block's text: <br> as a line break, a leading bold run marked as a run-in heading."""
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    text = el.text_content()
    text = "\n".join(re.sub(r"[ \t\u00a0\u3000]+", " ", part).strip() for part in text.split("\n"))
    bold = next((b for b in el.iter("strong", "b") if _text(b)), None)
    if bold is not None:
        lead = _text(bold)
        head = text.lstrip()
        if head.startswith(lead) and len(lead) >= 2 and head[len(lead):].strip():
            text = f"**{lead}**{head[len(lead):].strip()}"
    return text.strip()
