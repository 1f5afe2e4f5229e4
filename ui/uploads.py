"""Accepting a policy file from the app: a safe name, a size limit, a known type, a private copy.

The uploaded name comes from the user's machine (or an API client) and is never trusted: only a
cleaned basename survives, and the copy lives in <data_dir>/uploads/ readable by its owner only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

# The formats corpus.readers reads (kept in step with corpus.loader.SUPPORTED_SUFFIXES; the UI does not
# import the corpus room). .doc/.wps/.ofd are refused here with the loader's advice on conversion.
ALLOWED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
_UNSAFE = re.compile(r'[\\/:*?"<>|]')
_MAX_NAME = 120


class UploadError(ValueError):
    """An upload refused before ingest; the message is shown to the user as is."""


def sanitize_filename(name: str) -> str:
    """A basename safe to create in one folder: no directories, no '..', no control characters.

    Both separators count (a Windows client sends backslashes); what remains keeps its Chinese
    characters, because the file name is often the policy's title.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name).strip(" .")
    stem, suffix = os.path.splitext(name)
    if len(name) > _MAX_NAME:
        name = stem[: _MAX_NAME - len(suffix)] + suffix
    return name if stem.strip(" ._") else f"upload{suffix}"


def check_upload(path: Path, original_name: str, max_mb: int) -> str:
    """Validate type and size; return the sanitised name to store it under."""
    name = sanitize_filename(original_name)
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadError(
            f"不支持的文件类型“{suffix or '无扩展名'}”：请上传 {' / '.join(ALLOWED_SUFFIXES)} 文件。"
        )
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise UploadError(f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {max_mb} MB。")
    if size == 0:
        raise UploadError("文件为空。")
    return name


def store_upload(path: Path, original_name: str, uploads_dir: Path, max_mb: int) -> Path:
    """Copy an accepted upload to uploads_dir/<content hash>/<name> (folders 0700, file 0600).

    Content-addressed, so two different files with the same name never overwrite each other (and
    the same file uploaded twice is one stored copy, one source, one policy). Nothing is left
    behind when the copy fails.
    """
    name = check_upload(path, original_name, max_mb)
    uploads_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(uploads_dir, 0o700)
    fd, tmp_name = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=uploads_dir)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            for block in iter(lambda: src.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        folder = uploads_dir / digest.hexdigest()[:16]
        target = folder / name
        if target.resolve().parent != folder.resolve():  # belt and braces after sanitising
            raise UploadError("文件名无效。")
        folder.mkdir(mode=0o700, exist_ok=True)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.chmod(target, 0o600)
    return target


def discard_upload(stored: Path, uploads_dir: Path) -> None:
    """Delete a stored upload and its content folder once empty (never anything outside uploads_dir)."""
    folder = stored.parent
    if folder.resolve().parent != uploads_dir.resolve():
        return
    stored.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()
