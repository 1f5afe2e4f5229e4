"""OCR of scanned pages: each page rendered at 300 dpi (pdfium through pdfplumber) and read by Tesseract.

Tesseract with its simplified-Chinese model (Debian: tesseract-ocr, tesseract-ocr-chi-sim) is called
through pytesseract, page by page, reporting progress. Nothing is cached: the images live in memory and
pytesseract's temporary files are removed as it goes.
"""

from __future__ import annotations

import io
import re

from corpus.model import LoadError
from corpus.readers import ProgressFn

LANG = "chi_sim"
DPI = 300  # Tesseract's models are trained on text of about 300 dpi; lower loses small 仿宋 strokes
_INSTALL = "install Tesseract and its Chinese model (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
_SPACE_NEAR_CJK_PUNCT = re.compile(r"[ \t]+(?=[，。、；：！？）》」”])|(?<=[（《「“])[ \t]+|(?<=[\u4e00-\u9fff])[ \t]+(?=[,;:?!)])")
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%])[ \t]+(?=[{_CJK}])")
_HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])[,;:?!)]")
_OPEN_BEFORE_CJK = re.compile(rf"\((?=[{_CJK}])")
# The year of a 文号 is always in 〔〕; OCR reads those brackets as 【】, [], () or a mix.
_DOC_NO_YEAR = re.compile(r"[【\[(（〔［]\s*((?:19|20)\d\d)\s*[\]】)）〕］](?=\s*\d{1,4}\s*号)")


def check_tesseract(path: str) -> None:
    """LoadError saying what to install when Tesseract or its chi_sim model is missing."""
    import pytesseract

    try:
        langs = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise LoadError(f"{path}: scanned PDF (no text layer) needs OCR, but Tesseract is not installed; "
                        f"{_INSTALL}") from exc
    if LANG not in langs:
        raise LoadError(f"{path}: scanned PDF (no text layer) needs OCR, but Tesseract has no simplified-Chinese "
                        f"model ({LANG}); {_INSTALL}")


def ocr_pages(data: bytes, path: str, pages: list[int], total: int,
              progress: ProgressFn | None = None) -> dict[int, str]:
    """Recognised text of the given pages (0-based), page by page."""
    import pdfplumber

    check_tesseract(path)
    out: dict[int, str] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for done, i in enumerate(pages, 1):
            page = pdf.pages[i]
            image = page.to_image(resolution=DPI).original
            out[i] = recognise(image)
            page.close()
            if progress:
                progress("ocr", done, len(pages))
    return out


def recognise(image) -> str:
    """Tesseract's text of one page image, with the spaces it puts between Chinese characters removed."""
    import pytesseract

    text = pytesseract.image_to_string(image.convert("L"), lang=LANG, config="--psm 3")
    return tidy(text)


def tidy(text: str) -> str:
    """Tesseract's Chinese made ordinary: no spaces between CJK characters (it separates every glyph) or
    between them and digits; ASCII punctuation next to Chinese written full width, as it was printed;
    the 〔〕 of a 文号's year restored; blank-line runs collapsed."""
    lines = []
    for line in text.splitlines():
        line = _SPACE_NEAR_CJK_PUNCT.sub("", _SPACE_IN_CJK.sub("", line.strip()))
        line = _SPACE_CJK_DIGIT.sub("", line)
        line = _HALF_AFTER_CJK.sub(lambda m: _HALF[m.group(0)], _OPEN_BEFORE_CJK.sub("（", line))
        line = _DOC_NO_YEAR.sub(r"〔\1〕", line)
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()
