"""Where the genre's data files live and how one is read.

The genre package is the only reader of these files: every other module asks it, so that there is one
place that knows the folder, the encoding and the validation rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"


def data_path(name: str, folder: Path | None = None) -> Path:
    """The path of data file `name` (without .yaml) in `folder` (default: the packaged data)."""
    return (folder or DATA_DIR) / f"{name}.yaml"


def read_yaml(path: Path) -> dict[str, Any]:
    """One data file as a mapping (an empty file is an empty mapping); unvalidated: see genre.core."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_SAFE_LOADER)  # the C loader: several times faster at start-up
    return data or {}


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
