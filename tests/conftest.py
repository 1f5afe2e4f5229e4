"""Shared fixtures live in tests/support/*.py, one module per area; each is loaded as a plugin."""

from pathlib import Path

pytest_plugins = sorted(
    f"tests.support.{p.stem}" for p in (Path(__file__).parent / "support").glob("*.py") if p.stem != "__init__"
)
