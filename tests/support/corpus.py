"""Fixtures for the corpus tests: the repository's seed documents and real PDFs written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

CORPUS_DOCS = Path(__file__).resolve().parents[2] / "corpus" / "docs"


@pytest.fixture(scope="session")
def corpus_docs() -> Path:
    """The folder of seed policy documents shipped with the repository (read only)."""
    return CORPUS_DOCS


@pytest.fixture(scope="session")
def corpus_seed_policies(corpus_docs):
    """The seed documents parsed once per session, by file name."""
    from corpus import load_corpus

    policies, skipped = load_corpus([corpus_docs])
    assert not skipped, skipped
    return {Path(p.path).name: p for p in policies}


def write_cjk_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A real PDF with a Chinese text layer (reportlab's built-in CID font STSong-Light), one list per page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for lines in pages:
        c.setFont("STSong-Light", 12)
        y = 800
        for line in lines:
            c.drawString(50, y, line)
            y -= 20
        c.showPage()
    c.save()
    return path


def write_image_pdf(path: Path, pages: int = 1) -> Path:
    """A real PDF whose pages carry only drawings, no text layer (like a scan)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    return path


@pytest.fixture
def cjk_pdf() -> Callable[[Path, list[list[str]]], Path]:
    return write_cjk_pdf


@pytest.fixture
def image_pdf() -> Callable[..., Path]:
    return write_image_pdf


def hard_wrap_pages(text: str, width: int = 34, lines_per_page: int = 36) -> list[list[str]]:
    """Lay text out as a printed page would: paragraphs wrapped at `width`, pages numbered `- n -`."""
    lines: list[str] = []
    for para in text.split("\n"):
        para = para.strip()
        while len(para) > width:
            lines.append(para[:width])
            para = para[width:]
        if para:
            lines.append(para)
    return [
        [*lines[i : i + lines_per_page], f"- {i // lines_per_page + 1} -"]
        for i in range(0, len(lines), lines_per_page)
    ]
