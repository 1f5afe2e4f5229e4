"""Read a policy file into text: each format through its reader (corpus.readers), metadata merged.

Text files have their encoding detected (not assumed); a text with a few invalid bytes is decoded with
replacement characters and the byte positions reported as warnings, instead of being refused as binary.

Every failure raises LoadError with a message that names the file and the specific cause, so that a
folder ingest can report it and carry on.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from corpus.meta import load_metadata_yaml, merge_meta, meta_from_mapping, read_sidecar
from corpus.model import LoadedText, LoadError
from corpus.readers import ProgressFn, Reading
from corpus.repair import repair
from genre import Genre, frontmatter

TEXT_SUFFIXES = (".txt", ".md")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx", ".html", ".htm")
LEGACY_SUFFIXES = (".doc", ".wps", ".ofd")  # recognised: converted where a converter exists, else explained
READABLE_SUFFIXES = (*SUPPORTED_SUFFIXES, *LEGACY_SUFFIXES)
MAX_BAD_PLACES = 8  # more damaged places than this (or one per 2,000 bytes): the wrong encoding, not damage
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # a policy text is tens of kilobytes; refuse anything absurd
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CHARS = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\u00a0-\u00ff\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def load_text(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, progress: ProgressFn | None = None, *, genre: Genre) -> LoadedText:
    """Read with the format's reader, split off front matter, repair; metadata from front matter and sidecar.

    `progress(stage, done, total)` hears about long reads (PDF pages, OCR pages).
    """
    path = Path(path)
    data = read_bytes(path, max_bytes)
    reading = read_document(data, path, progress, genre=genre)
    loaded = text_to_loaded(reading.text, str(path), reading.encoding, genre=genre)
    loaded.sha256 = hashlib.sha256(data).hexdigest()
    loaded.warnings = list(reading.warnings)
    if reading.text_source:
        loaded.meta.text_source = reading.text_source
    sidecar = read_sidecar(path, genre=genre)
    if sidecar is not None:
        loaded.meta = merge_meta(loaded.meta, sidecar)
    return loaded


def read_document(data: bytes, path: Path, progress: ProgressFn | None = None, *, genre: Genre) -> Reading:
    """The file's text through the reader for its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from corpus.readers.pdf import read_pdf

        return read_pdf(data, str(path), progress, genre=genre)
    if suffix == ".docx":
        from corpus.readers.docx import read_docx

        return read_docx(data, str(path))
    if suffix in (".html", ".htm"):
        from corpus.readers.html import read_html

        return read_html(data, str(path))
    if suffix in LEGACY_SUFFIXES:
        from corpus.readers.legacy import read_legacy

        return read_legacy(data, str(path))
    text, encoding, warnings = decode_reporting(data, path)
    return Reading(text=text, encoding=encoding, warnings=warnings)


def text_to_loaded(decoded: str, path: str = "", encoding: str = "utf-8", *, genre: Genre) -> LoadedText:
    """Front matter split off, body repaired: the text of a document however it arrived."""
    front, body = split_front_matter(decoded, path)
    text, offset_map = repair(body, genre=genre)
    return LoadedText(
        path=path,
        raw=body,
        text=text,
        offset_map=offset_map,
        encoding=encoding,
        sha256=hashlib.sha256(decoded.encode("utf-8")).hexdigest(),
        meta=meta_from_mapping(front, genre=genre),
    )


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, after the checks that need no decoding (exists, suffix, size)."""
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    if not path.is_file():
        raise LoadError(f"{path}: not a regular file")
    if path.suffix.lower() not in READABLE_SUFFIXES:
        raise LoadError(unsupported_message(path))
    size = path.stat().st_size
    if size == 0:
        raise LoadError(f"{path}: empty file")
    if size > max_bytes:
        raise LoadError(f"{path}: file too large ({size:,} bytes; the limit is {max_bytes:,} bytes)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


class _Damaged(LoadError):
    """UTF-8 or GB18030 text with a few invalid bytes: decoded with replacement by decode_reporting."""


def unsupported_message(path: Path) -> str:
    return f"{path}: unsupported file type '{path.suffix or '(none)'}' (supported: {', '.join(SUPPORTED_SUFFIXES)})"


def decode(data: bytes, path: Path | str = "") -> tuple[str, str]:
    """Text and encoding name (see decode_reporting; replaced bytes are accepted silently here)."""
    text, encoding, _ = decode_reporting(data, path)
    return text, encoding


def decode_reporting(data: bytes, path: Path | str = "") -> tuple[str, str, list[str]]:
    """Text, encoding name and warnings. A file that is UTF-8 or GB18030 but for a few invalid bytes
    (a damaged copy, a truncated last character) is decoded with U+FFFD for them and the byte offsets
    reported; a file with many invalid bytes is in another encoding and goes to detection."""
    try:
        return (*_decode_strict(data, path), [])
    except _Damaged:
        lossy = _decode_lossy(data, path)
        if lossy is None:
            raise
        return lossy


def _decode_strict(data: bytes, path: Path | str = "") -> tuple[str, str]:
    """Text and encoding name. BOMs decide first; then strict UTF-8; then GB18030; then detection."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise LoadError(
                    f"{path}: starts with a {name} byte-order mark but does not decode as {name}"
                ) from exc
            return _checked(text, name, path), name
    if b"\x00" in data:
        return _utf16_without_bom(data, path)
    for name in ("utf-8", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            if name == "utf-8" and _lossy_candidate(data, ("utf-8",)) is not None:
                raise _Damaged(f"{path}: invalid UTF-8 bytes") from None  # damaged UTF-8, not GB18030
            continue
        if name == "gb18030":
            text, name = _big5_if_garbled(data, text)
        return _checked(text, name, path), name
    mixed = _mixed_lines(data)
    if mixed is not None:
        return _checked(mixed, "utf-8+gb18030", path), "utf-8+gb18030"
    if _lossy_candidate(data) is not None:  # damaged UTF-8/GB18030: decode_reporting replaces the bad bytes
        raise _Damaged(f"{path}: invalid bytes")
    return _detected(data, path)


def _bad_offsets(data: bytes, encoding: str) -> list[int]:
    """Byte offsets where `encoding` fails, found with a collecting error handler."""
    bad: list[int] = []

    def collect(err: UnicodeDecodeError):
        bad.extend(range(err.start, err.end))
        return "\ufffd", err.end

    name = f"policykg-collect-{id(bad)}"
    codecs.register_error(name, collect)
    data.decode(encoding, errors=name)
    return bad


def _lossy_candidate(data: bytes, names: tuple[str, ...] = ("utf-8", "gb18030")) -> tuple[str, list[int]] | None:
    """The encoding (UTF-8, else GB18030) that fails at only a few places, with the bad byte offsets.

    Places, not bytes: one damaged byte inside a three-byte character makes up to three bad bytes."""
    if b"\x00" in data:
        return None
    for name in names:
        bad = _bad_offsets(data, name)
        places = sum(1 for k, off in enumerate(bad) if k == 0 or off > bad[k - 1] + 1)
        if bad and places <= max(MAX_BAD_PLACES, len(data) // 2000):
            return name, bad
    return None


def _decode_lossy(data: bytes, path: Path | str) -> tuple[str, str, list[str]] | None:
    found = _lossy_candidate(data)
    if found is None:
        return None
    name, bad = found
    text = _checked(data.decode(name, errors="replace"), name, path)
    lines = sorted({data.count(b"\n", 0, off) + 1 for off in bad})
    shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
    warning = (f"{path}: {len(bad)} invalid byte(s) for {name} at byte offset(s) {shown} "
               f"(line(s) {', '.join(map(str, lines[:10]))}); replaced with U+FFFD")
    return text, name, [warning]


def _odd_share(text: str) -> float:
    """Share of non-ASCII characters a Chinese text is not written in (kana, Greek, box drawing ...)."""
    wide = [ch for ch in text if not ch.isascii()]
    return sum(1 for ch in wide if not _TEXT_CHARS.match(ch)) / len(wide) if wide else 0.0


def _big5_if_garbled(data: bytes, text: str) -> tuple[str, str]:
    """Big5 (traditional Chinese) bytes also decode as GB18030, into kana and symbols: prefer Big5 then."""
    odd = _odd_share(text)
    if odd <= 0.01:
        return text, "gb18030"
    try:
        alt = data.decode("big5")
    except UnicodeDecodeError:
        return text, "gb18030"
    return (alt, "big5") if _odd_share(alt) < odd else (text, "gb18030")


def _mixed_lines(data: bytes) -> str | None:
    """Files pasted together from UTF-8 and GB18030 sources: each line decoded on its own, else None."""
    lines = []
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                lines.append(line.decode("gb18030"))
            except UnicodeDecodeError:
                return None
    return "\n".join(lines)


def _utf16_without_bom(data: bytes, path: Path | str) -> tuple[str, str]:
    """NUL bytes: UTF-16 text without a byte-order mark, or else a binary file."""
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return _checked(text, name, path), name
    raise LoadError(f"{path}: binary file (contains NUL bytes), not text")


def _plausible(text: str) -> bool:
    """Nearly all characters are ones a Chinese policy text is written in."""
    ok = sum(
        1 for ch in text if (ch.isascii() and (ch.isprintable() or ch in "\n\r\t")) or _TEXT_CHARS.match(ch)
    )
    return ok >= 0.95 * len(text)


def _detected(data: bytes, path: Path | str) -> tuple[str, str]:
    """Let charset-normalizer decide when neither UTF-8 nor GB18030 decodes cleanly."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(f"{path}: binary file or unknown text encoding (no encoding decodes it)")
    return _checked(str(best), best.encoding, path), best.encoding


def _checked(text: str, encoding: str, path: Path | str) -> str:
    """Refuse decoded text that is mostly control characters (a binary file that happened to decode)."""
    body = text.lstrip("\ufeff")
    if not body.strip():
        raise LoadError(f"{path}: empty file (only whitespace)")
    sample = body[:20000]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise LoadError(f"{path}: binary file (control characters after decoding as {encoding}), not text")
    return body.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: str = "") -> tuple[dict, str]:
    """YAML front matter (as a mapping) and the body after it; ({}, text) when there is none."""
    block, body = frontmatter.split(text)
    if block is None:
        return {}, text
    return load_metadata_yaml(block, str(path)), body
