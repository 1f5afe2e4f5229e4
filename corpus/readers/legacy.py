"""Formats with no Python reader: Word 97-2003 .doc, WPS .wps and OFD (the Chinese fixed-layout format).

Where LibreOffice (`soffice`) is installed, .doc and .wps are converted to .docx in a temporary folder
that is removed at once, and read as .docx; `antiword` reads .doc as text. Otherwise, and always for
.ofd, the file is refused with a message saying what to convert it to.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from corpus.model import LoadError
from corpus.readers import Reading

LEGACY_SUFFIXES = (".doc", ".wps", ".ofd")
CONVERT_TIMEOUT_S = 120
_ADVICE = {
    ".doc": "a Word 97-2003 document: save it as .docx (Word or WPS: 另存为 → Word 文档 *.docx) or as UTF-8 text",
    ".wps": "a WPS 文字 document: save it as .docx in WPS (另存为 → Word 文档 *.docx) or as UTF-8 text",
    ".ofd": "an OFD fixed-layout document (版式文档): export it to PDF in an OFD reader (e.g. 数科OFD阅读器: 另存为 PDF) "
            "and ingest the PDF",
}


def read_legacy(data: bytes, path: str) -> Reading:
    """Converted text where a converter is installed; otherwise LoadError naming the file and the fix."""
    suffix = Path(path).suffix.lower()
    if suffix in (".doc", ".wps") and shutil.which("soffice"):
        return _via_libreoffice(data, path, suffix)
    if suffix == ".doc" and shutil.which("antiword"):
        return _via_antiword(data, path)
    raise LoadError(f"{path}: cannot be read directly; it is {_ADVICE[suffix]}")


def _via_libreoffice(data: bytes, path: str, suffix: str) -> Reading:
    from corpus.readers.docx import read_docx

    with tempfile.TemporaryDirectory(prefix="policykg-convert-") as tmp:
        src = Path(tmp) / f"in{suffix}"
        src.write_bytes(data)
        try:
            subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "docx", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=CONVERT_TIMEOUT_S)
            converted = (Path(tmp) / "in.docx").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise LoadError(f"{path}: LibreOffice could not convert it ({type(exc).__name__}); it is "
                            f"{_ADVICE[suffix]}") from exc
    reading = read_docx(converted, path)
    reading.encoding = f"{suffix[1:]}→docx (LibreOffice)"
    return reading


def _via_antiword(data: bytes, path: str) -> Reading:
    try:
        out = subprocess.run(["antiword", "-m", "UTF-8.txt", "-"], input=data, check=True, capture_output=True,
                             timeout=CONVERT_TIMEOUT_S).stdout.decode("utf-8", errors="replace")
    except (subprocess.SubprocessError, OSError) as exc:
        raise LoadError(f"{path}: antiword could not read it ({type(exc).__name__}); it is {_ADVICE['.doc']}") from exc
    if not out.strip():
        raise LoadError(f"{path}: antiword found no text; it is {_ADVICE['.doc']}")
    return Reading(text=out, encoding="doc (antiword)")
